/* Renders a table definition as the CREATE TABLE statement the bridge declares: backquoted
 * columns with osquery's type names, HIDDEN and COLLATE.
 *
 * osquery also declares a PRIMARY KEY over the index/additional columns (over every column when
 * there is no index) and makes the table WITHOUT ROWID. We do not: SQLite takes key columns to
 * be NOT NULL and folds `col IS NULL` to false, which gives wrong answers for the NULLs our
 * typed rows hold (osquery's rows are strings and rarely NULL). The generic bridge provides a
 * rowid, so nothing else changes. */
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
	hq_buf_puts(&b, ")");
	return hq_buf_steal(&b);
}
