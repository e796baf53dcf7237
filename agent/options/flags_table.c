/* osquery_flags: every flag of the agent's shared table with its value and default.
 * Source: agent/options (the flag table); no privileges. Registered by hostqi and hostqd.
 * Example: SELECT name, value FROM osquery_flags WHERE default_value != value; */
#include <assert.h>

#include "hq/query.h"
#include "hq/row.h"
#include "hq/table.h"
#include "options/options.h"

enum { F_NAME, F_TYPE, F_DESCRIPTION, F_DEFAULT_VALUE, F_VALUE, F_SHELL_ONLY, _F_MAX };

static const hq_column flags_columns[] = {
	[F_NAME] = {"name", HQ_TYPE_TEXT, 0, "Flag name"},
	[F_TYPE] = {"type", HQ_TYPE_TEXT, 0, "Flag type"},
	[F_DESCRIPTION] = {"description", HQ_TYPE_TEXT, 0, "Flag description"},
	[F_DEFAULT_VALUE] = {"default_value", HQ_TYPE_TEXT, 0, "Flag default value"},
	[F_VALUE] = {"value", HQ_TYPE_TEXT, 0, "Flag value"},
	[F_SHELL_ONLY] = {"shell_only", HQ_TYPE_INTEGER, 0, "Is the flag shell only?"},
};
static_assert(HQ_ELEMENTSOF(flags_columns) == _F_MAX, "column enum and array disagree");

static int flag_row(hq_row_sink *sink, const hq_option_def *d, const char *name)
{
	_cleanup_free_ char *v = hq_options_value_string(d);
	hq_row *row;
	int r = hq_row_begin(sink, &row);

	if (r < 0)
		return r;
	hq_row_set_text(row, F_NAME, name);
	hq_row_set_text_static(row, F_TYPE, hq_option_type_to_string(d->type));
	hq_row_set_text_static(row, F_DESCRIPTION, d->description);
	hq_row_set_text_static(row, F_DEFAULT_VALUE, d->default_value);
	hq_row_set_text(row, F_VALUE, v ?: "");
	hq_row_set_int64(row, F_SHELL_ONLY, (d->flags & HQ_OPT_SHELL) != 0);
	return hq_row_commit(sink, row);
}

static int flags_generate(hq_query_ctx *ctx, hq_row_sink *sink)
{
	const hq_option_def *defs;
	size_t n = hq_options_all(&defs);

	(void)ctx;
	for (size_t i = 0; i < n; i++) {
		int r = flag_row(sink, &defs[i], defs[i].name);
		/* osquery lists an alias (config_tls_refresh) as a flag of its own. */
		if (r == 0 && defs[i].alias)
			r = flag_row(sink, &defs[i], defs[i].alias);
		if (r != 0)
			return r < 0 ? r : 0;
	}
	return 0;
}

const hq_table_def hq_table_osquery_flags = {
	.version = HQ_TABLE_ABI_VERSION,
	.name = "osquery_flags",
	.description = "Configurable flags that modify osquery's behavior.",
	.columns = flags_columns,
	.n_columns = _F_MAX,
	.flags = HQ_TABLE_UTILITY,
	.generate = flags_generate,
};
