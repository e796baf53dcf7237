/* etc_protocols: one row per protocol entry of /etc/protocols.
 * Source: <root>/etc/protocols; world-readable. A missing file gives no rows.
 * Example: SELECT name, number FROM etc_protocols WHERE alias = 'TCP'; */
#include "hq/query.h"
#include "hq/row.h"
#include "hq/table.h"
#include "lib/etcfiles.h"

enum {
	COL_NAME,
	COL_NUMBER,
	COL_ALIAS,
	COL_COMMENT,
	_COL_MAX,
};

static const hq_column columns[] = {
	[COL_NAME] = {"name", HQ_TYPE_TEXT, 0, "Protocol name"},
	[COL_NUMBER] = {"number", HQ_TYPE_INTEGER, 0, "Protocol number"},
	[COL_ALIAS] = {"alias", HQ_TYPE_TEXT, 0, "Protocol alias"},
	[COL_COMMENT] = {"comment", HQ_TYPE_TEXT, 0, "Comment with protocol description"},
};
static_assert(HQ_ELEMENTSOF(columns) == _COL_MAX, "column enum and array disagree");

#define PROTOCOLS_MAX_BYTES (16u << 20)

static int generate(hq_query_ctx *ctx, hq_row_sink *sink)
{
	_cleanup_free_ char *buf = NULL;
	size_t size = 0, pos = 0;
	hq_slice line;
	int r;

	r = hq_ctx_read_file(ctx, "/etc/protocols", PROTOCOLS_MAX_BYTES, &buf, &size);
	if (r == -ENOENT) {
		hq_log_debug("etc_protocols: no /etc/protocols");
		return 0;
	}
	if (r < 0)
		return hq_ctx_error(ctx, r, "etc_protocols: cannot read /etc/protocols: %m");
	while (hq_etc_next_line(buf, size, &pos, &line)) {
		hq_etc_protocol p;
		hq_row *row;

		if (!hq_etc_protocol_parse(line, &p))
			continue;
		r = hq_row_begin(sink, &row);
		if (r < 0)
			return r;
		hq_row_set_text_len(row, COL_NAME, p.name.p, p.name.n);
		hq_row_set_int64(row, COL_NUMBER, p.number);
		hq_row_set_text_len(row, COL_ALIAS, p.alias.p ? p.alias.p : "", p.alias.n);
		hq_row_set_text_len(row, COL_COMMENT, p.comment.p ? p.comment.p : "", p.comment.n);
		r = hq_row_commit(sink, row);
		if (r != 0)
			return r < 0 ? r : 0;
	}
	return 0;
}

const hq_table_def hq_table_etc_protocols = {
	.version = HQ_TABLE_ABI_VERSION,
	.name = "etc_protocols",
	.description = "Line-parsed /etc/protocols.",
	.columns = columns,
	.n_columns = _COL_MAX,
	.flags = HQ_TABLE_CACHEABLE,
	.generate = generate,
};
