/* etc_services: one row per service entry of /etc/services.
 * Source: <root>/etc/services; world-readable. A missing file gives no rows.
 * Example: SELECT name, port, protocol FROM etc_services WHERE port = 22; */
#include "hq/query.h"
#include "hq/row.h"
#include "hq/table.h"
#include "lib/etcfiles.h"

enum {
	COL_NAME,
	COL_PORT,
	COL_PROTOCOL,
	COL_ALIASES,
	COL_COMMENT,
	_COL_MAX,
};

static const hq_column columns[] = {
	[COL_NAME] = {"name", HQ_TYPE_TEXT, 0, "Service name"},
	[COL_PORT] = {"port", HQ_TYPE_INTEGER, 0, "Service port number"},
	[COL_PROTOCOL] = {"protocol", HQ_TYPE_TEXT, 0, "Transport protocol (TCP/UDP)"},
	[COL_ALIASES] = {"aliases", HQ_TYPE_TEXT, 0,
			 "Optional space separated list of other names for a service"},
	[COL_COMMENT] = {"comment", HQ_TYPE_TEXT, 0, "Optional comment for a service."},
};
static_assert(HQ_ELEMENTSOF(columns) == _COL_MAX, "column enum and array disagree");

#define SERVICES_MAX_BYTES (64u << 20)

/* Tokens joined by single spaces. */
static void set_joined(hq_row *row, unsigned col, hq_slice s)
{
	hq_buf b = HQ_BUF_INIT(s.n + 1);

	hq_etc_join_tokens(s, &b);
	hq_row_set_text_len(row, col, b.data ? b.data : "", b.len);
	hq_buf_done(&b);
}

static int generate(hq_query_ctx *ctx, hq_row_sink *sink)
{
	_cleanup_free_ char *buf = NULL;
	size_t size = 0, pos = 0;
	hq_slice line;
	int r;

	r = hq_ctx_read_file(ctx, "/etc/services", SERVICES_MAX_BYTES, &buf, &size);
	if (r == -ENOENT) {
		hq_log_debug("etc_services: no /etc/services");
		return 0;
	}
	if (r < 0)
		return hq_ctx_error(ctx, r, "etc_services: cannot read /etc/services: %m");
	while (hq_etc_next_line(buf, size, &pos, &line)) {
		hq_etc_service s;
		hq_row *row;

		if (!hq_etc_service_parse(line, &s))
			continue;
		r = hq_row_begin(sink, &row);
		if (r < 0)
			return r;
		hq_row_set_text_len(row, COL_NAME, s.name.p, s.name.n);
		hq_row_set_int64(row, COL_PORT, s.port);
		hq_row_set_text_len(row, COL_PROTOCOL, s.protocol.p, s.protocol.n);
		if (hq_ctx_column_used(ctx, COL_ALIASES))
			set_joined(row, COL_ALIASES, s.aliases);
		hq_row_set_text_len(row, COL_COMMENT, s.comment.p ? s.comment.p : "", s.comment.n);
		r = hq_row_commit(sink, row);
		if (r != 0)
			return r < 0 ? r : 0;
	}
	return 0;
}

const hq_table_def hq_table_etc_services = {
	.version = HQ_TABLE_ABI_VERSION,
	.name = "etc_services",
	.description = "Line-parsed /etc/services.",
	.columns = columns,
	.n_columns = _COL_MAX,
	.flags = HQ_TABLE_CACHEABLE,
	.generate = generate,
};
