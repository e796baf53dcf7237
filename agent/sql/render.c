/* Renders a table definition as the CREATE TABLE statement osquery declares: backquoted
 * columns with osquery's type names, HIDDEN and COLLATE, and a PRIMARY KEY ... WITHOUT ROWID
 * over the index/additional columns. */
#include "hq/table.h"
#include "hq/util.h"
#include "sql/engine.h"

static const char *const type_names[_HQ_TYPE_MAX] = {
	[HQ_TYPE_TEXT] = "TEXT",     [HQ_TYPE_INTEGER] = "INTEGER",
	[HQ_TYPE_BIGINT] = "BIGINT", [HQ_TYPE_UNSIGNED_BIGINT] = "UNSIGNED BIGINT",
	[HQ_TYPE_DOUBLE] = "DOUBLE", [HQ_TYPE_BLOB] = "BLOB",
};

static const char *collation_name(unsigned flags)
{
	if (flags & HQ_COL_COLLATE_BINARY)
		return "BINARY";
	if (flags & HQ_COL_COLLATE_NOCASE)
		return "NOCASE";
	if (flags & HQ_COL_COLLATE_RTRIM)
		return "RTRIM";
	if (flags & HQ_COL_COLLATE_VERSION)
		return "VERSION";
	if (flags & HQ_COL_COLLATE_VERSION_ARCH)
		return "VERSION_ARCH";
	if (flags & HQ_COL_COLLATE_VERSION_DPKG)
		return "VERSION_DPKG";
	if (flags & HQ_COL_COLLATE_VERSION_RHEL)
		return "VERSION_RHEL";
	return NULL;
}

char *hq_table_schema_sql(const hq_table_def *def)
{
	hq_buf b = HQ_BUF_INIT(1 << 20);
	bool any_index = false, any_key = false;

	for (size_t i = 0; i < def->n_columns; i++) {
		if (def->columns[i].flags & HQ_COL_INDEX)
			any_index = true;
		if (def->columns[i].flags & (HQ_COL_INDEX | HQ_COL_ADDITIONAL))
			any_key = true;
	}

	hq_buf_printf(&b, "CREATE TABLE %s(", def->name);
	for (size_t i = 0; i < def->n_columns; i++) {
		const hq_column *c = &def->columns[i];
		const char *coll = collation_name(c->flags);
		unsigned t = c->type < _HQ_TYPE_MAX ? c->type : HQ_TYPE_TEXT;

		hq_buf_printf(&b, "%s`%s` %s", i ? ", " : "", c->name, type_names[t]);
		if ((c->flags & HQ_COL_HIDDEN) || c->alias_of)
			hq_buf_puts(&b, " HIDDEN");
		if (coll)
			hq_buf_printf(&b, " COLLATE %s", coll);
	}
	if (any_key) {
		/* osquery: index and additional columns form the key; with additional columns but
		 * no index, every column joins it. Aliases never do. */
		bool first = true;

		hq_buf_puts(&b, ", PRIMARY KEY (");
		for (size_t i = 0; i < def->n_columns; i++) {
			const hq_column *c = &def->columns[i];

			if (c->alias_of)
				continue;
			if (any_index && !(c->flags & (HQ_COL_INDEX | HQ_COL_ADDITIONAL)))
				continue;
			hq_buf_printf(&b, "%s`%s`", first ? "" : ", ", c->name);
			first = false;
		}
		hq_buf_puts(&b, ")) WITHOUT ROWID");
	} else
		hq_buf_puts(&b, ")");
	return hq_buf_steal(&b);
}
