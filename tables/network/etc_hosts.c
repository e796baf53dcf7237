/* etc_hosts: one row per mapping line of /etc/hosts (also queryable as the view "hosts").
 * Source: <root>/etc/hosts; world-readable. A missing file gives no rows.
 * Example: SELECT address, hostnames FROM etc_hosts WHERE hostnames LIKE '%localhost%'; */
#include <stdio.h>

#include "hq/query.h"
#include "hq/row.h"
#include "hq/table.h"
#include "lib/etcfiles.h"
#include "lib/nsroot.h"

enum {
	COL_ADDRESS,
	COL_HOSTNAMES,
	COL_PID_WITH_NAMESPACE,
	_COL_MAX,
};

static const hq_column columns[] = {
	[COL_ADDRESS] = {"address", HQ_TYPE_TEXT, 0, "IP address mapping"},
	[COL_HOSTNAMES] = {"hostnames", HQ_TYPE_TEXT, 0, "Raw hosts mapping"},
	[COL_PID_WITH_NAMESPACE] = {"pid_with_namespace", HQ_TYPE_INTEGER, HQ_COL_INPUT,
				    "Pids that contain a namespace"},
};
static_assert(HQ_ELEMENTSOF(columns) == _COL_MAX, "column enum and array disagree");

#define HOSTS_MAX_BYTES (64u << 20)

static int scan(hq_query_ctx *ctx, hq_row_sink *sink, const hq_nsroot *ns)
{
	_cleanup_free_ char *buf = NULL;
	char path[64];
	size_t size = 0, pos = 0;
	hq_slice line;
	int r;

	snprintf(path, sizeof(path), "%s/etc/hosts", ns->prefix);
	r = hq_ctx_read_file(ctx, path, HOSTS_MAX_BYTES, &buf, &size);
	if (r == -ENOENT) {
		hq_log_debug("etc_hosts: no /etc/hosts");
		return 0;
	}
	if (r < 0)
		return hq_ctx_error(ctx, r, "etc_hosts: cannot read /etc/hosts: %m");
	while (hq_etc_next_line(buf, size, &pos, &line)) {
		hq_etc_host h;
		hq_row *row;

		if (!hq_etc_host_parse(line, &h))
			continue;
		r = hq_row_begin(sink, &row);
		if (r < 0)
			return r;
		hq_row_set_text_len(row, COL_ADDRESS, h.address.p, h.address.n);
		/* The names joined by single spaces. */
		if (hq_ctx_column_used(ctx, COL_HOSTNAMES)) {
			hq_buf b = HQ_BUF_INIT(h.hostnames.n + 1);

			hq_etc_join_tokens(h.hostnames, &b);
			hq_row_set_text_len(row, COL_HOSTNAMES, b.data ? b.data : "", b.len);
			hq_buf_done(&b);
		}
		hq_row_set_int64(row, COL_PID_WITH_NAMESPACE, ns->pid);
		r = hq_row_commit(sink, row);
		if (r != 0)
			return r;
	}
	return 0;
}

static int generate(hq_query_ctx *ctx, hq_row_sink *sink)
{
	/* pid_with_namespace: the file that process sees, through /proc/<pid>/root. */
	return hq_nsroot_generate(ctx, sink, COL_PID_WITH_NAMESPACE, scan);
}

static const char *const aliases[] = {"hosts", NULL};

const hq_table_def hq_table_etc_hosts = {
	.version = HQ_TABLE_ABI_VERSION,
	.name = "etc_hosts",
	.description = "Line-parsed /etc/hosts.",
	.columns = columns,
	.n_columns = _COL_MAX,
	.flags = HQ_TABLE_CACHEABLE,
	.aliases = aliases,
	.generate = generate,
};
