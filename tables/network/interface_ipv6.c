/* interface_ipv6: IPv6 settings of each interface.
 * Source: rtnetlink RTM_GETLINK for the interface list, then
 * <root>/proc/sys/net/ipv6/conf/<if>/{hop_limit,forwarding,accept_redirects,accept_ra};
 * interfaces without IPv6 (no conf directory) are skipped. No privileges needed.
 * Example: SELECT interface, forwarding_enabled FROM interface_ipv6; */
#include <stdio.h>

#include "hq/query.h"
#include "hq/row.h"
#include "hq/table.h"
#include "lib/rtnl.h"

enum {
	COL_INTERFACE,
	COL_HOP_LIMIT,
	COL_FORWARDING_ENABLED,
	COL_REDIRECT_ACCEPT,
	COL_RTADV_ACCEPT,
	_COL_MAX,
};

static const hq_column columns[] = {
	[COL_INTERFACE] = {"interface", HQ_TYPE_TEXT, 0, "Interface name"},
	[COL_HOP_LIMIT] = {"hop_limit", HQ_TYPE_INTEGER, 0, "Current Hop Limit"},
	[COL_FORWARDING_ENABLED] = {"forwarding_enabled", HQ_TYPE_INTEGER, 0,
				    "Enable IP forwarding"},
	[COL_REDIRECT_ACCEPT] = {"redirect_accept", HQ_TYPE_INTEGER, 0,
				 "Accept ICMP redirect messages"},
	[COL_RTADV_ACCEPT] = {"rtadv_accept", HQ_TYPE_INTEGER, 0,
			      "Accept ICMP Router Advertisement"},
};
static_assert(HQ_ELEMENTSOF(columns) == _COL_MAX, "column enum and array disagree");

static const char *const files[_COL_MAX] = {
	[COL_HOP_LIMIT] = "hop_limit",
	[COL_FORWARDING_ENABLED] = "forwarding",
	[COL_REDIRECT_ACCEPT] = "accept_redirects",
	[COL_RTADV_ACCEPT] = "accept_ra",
};

static int emit(hq_query_ctx *ctx, hq_row_sink *sink, const char *name)
{
	_cleanup_close_ int dfd = -EBADF;
	char path[96];
	hq_row *row;
	int r;

	/* A name from the kernel never holds '/', but do not build paths from one that does. */
	if (!name[0] || strchr(name, '/') || hq_streq(name, ".") || hq_streq(name, ".."))
		return 0;
	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s", name);
	dfd = hq_ctx_open(ctx, path, O_RDONLY | O_DIRECTORY);
	if (dfd < 0)
		return 0; /* no IPv6 on this interface (or it vanished) */
	r = hq_row_begin(sink, &row);
	if (r < 0)
		return r;
	hq_row_set_text(row, COL_INTERFACE, name);
	for (unsigned c = COL_HOP_LIMIT; c < _COL_MAX; c++) {
		char buf[32];
		int64_t v;

		if (!hq_ctx_column_used(ctx, c))
			continue;
		if (hq_read_small_file_at(dfd, files[c], buf, sizeof(buf)) > 0 &&
		    hq_safe_atoi64(hq_strstrip_trailing(buf), &v) == 0)
			hq_row_set_int64(row, c, v);
	}
	return hq_row_commit(sink, row);
}

static int generate(hq_query_ctx *ctx, hq_row_sink *sink)
{
	hq_rtnl_links links;
	int r;

	r = hq_rtnl_links_load(&links);
	if (r < 0)
		return hq_ctx_error(ctx, r, "interface_ipv6: cannot list links: %m");
	r = 0;
	for (size_t i = 0; i < links.n && r == 0; i++)
		r = emit(ctx, sink, links.v[i].name);
	hq_rtnl_links_done(&links);
	return r < 0 ? hq_ctx_error(ctx, r, "interface_ipv6: %m") : 0;
}

const hq_table_def hq_table_interface_ipv6 = {
	.version = HQ_TABLE_ABI_VERSION,
	.name = "interface_ipv6",
	.description = "IPv6 configuration and stats of network interfaces.",
	.columns = columns,
	.n_columns = _COL_MAX,
	.generate = generate,
};
