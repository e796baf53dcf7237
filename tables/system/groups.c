/* groups: local system groups.
 * Source: <root>/etc/group parsed directly (no NSS). No privileges.
 * Example: SELECT gid, groupname FROM groups WHERE gid < 1000; */
#include <assert.h>

#include "hq/query.h"
#include "hq/row.h"
#include "hq/table.h"
#include "lib/int_constraint.h"
#include "lib/passwd.h"

enum {
	COL_GID,
	COL_GID_SIGNED,
	COL_GROUPNAME,
	COL_PID_WITH_NAMESPACE,
	COL_GROUP_SID,
	COL_COMMENT,
	COL_IS_HIDDEN,
	_COL_MAX,
};

static const hq_column columns[] = {
	[COL_GID] = {"gid", HQ_TYPE_BIGINT, HQ_COL_INDEX, "Unsigned int64 group ID"},
	[COL_GID_SIGNED] = {"gid_signed", HQ_TYPE_BIGINT, 0, "A signed int64 version of gid"},
	[COL_GROUPNAME] = {"groupname", HQ_TYPE_TEXT, 0, "Canonical local group name"},
	[COL_PID_WITH_NAMESPACE] = {"pid_with_namespace", HQ_TYPE_INTEGER, HQ_COL_INPUT,
				    "Pids that contain a namespace"},
	[COL_GROUP_SID] = {"group_sid", HQ_TYPE_TEXT, HQ_COL_INDEX | HQ_COL_HIDDEN,
			   "Unique group ID (Windows)"},
	[COL_COMMENT] = {"comment", HQ_TYPE_TEXT, HQ_COL_HIDDEN,
			 "Remarks about the group (Windows)"},
	[COL_IS_HIDDEN] = {"is_hidden", HQ_TYPE_INTEGER, HQ_COL_HIDDEN,
			   "IsHidden attribute set in OpenDirectory (macOS)"},
};
static_assert(HQ_ELEMENTSOF(columns) == _COL_MAX, "column enum and array disagree");

/* Whether gid satisfies the gid equality constraints (any value of an IN list). */
static bool gid_wanted(hq_query_ctx *ctx, uint32_t gid)
{
	bool constrained = false;
	HQ_CTX_FOREACH_CONSTRAINT (c, ctx, COL_GID) {
		if (c->op != HQ_OP_EQ)
			continue;
		constrained = true;
		int64_t v;
		if (hq_constraint_int64(c, &v) && v == (int64_t)gid)
			return true;
	}
	return !constrained;
}

static int generate(hq_query_ctx *ctx, hq_row_sink *sink)
{
	_cleanup_free_ char *buf = NULL;
	size_t size;
	int r = hq_ctx_read_file(ctx, "/etc/group", 64 << 20, &buf, &size);
	if (r == -ENOENT) {
		hq_log_debug("groups: no /etc/group");
		return 0;
	}
	if (r < 0)
		return hq_ctx_error(ctx, r, "failed to read /etc/group: %m");

	char *save = NULL;
	for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		hq_group_entry g;
		if (hq_group_parse_line(line, &g) < 0)
			continue;
		if (!gid_wanted(ctx, g.gid))
			continue;

		hq_row *row;
		r = hq_row_begin(sink, &row);
		if (r < 0)
			return r;
		hq_row_set_int64(row, COL_GID, g.gid);
		hq_row_set_int64(row, COL_GID_SIGNED, (int32_t)g.gid);
		hq_row_set_text(row, COL_GROUPNAME, g.name);
		hq_row_set_int64(row, COL_PID_WITH_NAMESPACE, 0);
		r = hq_row_commit(sink, row);
		if (r != 0)
			return r > 0 ? 0 : r;
	}
	return 0;
}

const hq_table_def hq_table_groups = {
	.version = HQ_TABLE_ABI_VERSION,
	.name = "groups",
	.description = "Local system groups.",
	.columns = columns,
	.n_columns = _COL_MAX,
	.generate = generate,
};
