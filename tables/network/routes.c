/* routes: the kernel routing tables (every table the RTM_GETROUTE dump returns: main, local,
 * policy tables), IPv4 and IPv6.
 * Source: rtnetlink RTM_GETROUTE and RTM_GETLINK dumps of the reader's network namespace; no
 * privileges. A route without RTA_DST is a default route (destination 0.0.0.0 or ::).
 * Example: SELECT destination, netmask, gateway, interface FROM routes WHERE type = 'gateway'; */
#include <arpa/inet.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "hq/query.h"
#include "hq/row.h"
#include "hq/table.h"
#include "lib/rtnl.h"

enum {
	COL_DESTINATION,
	COL_NETMASK,
	COL_GATEWAY,
	COL_SOURCE,
	COL_FLAGS,
	COL_INTERFACE,
	COL_MTU,
	COL_METRIC,
	COL_TYPE,
	COL_HOPCOUNT,
	_COL_MAX,
};

static const hq_column columns[] = {
	[COL_DESTINATION] = {"destination", HQ_TYPE_TEXT, 0, "Destination IP address"},
	[COL_NETMASK] = {"netmask", HQ_TYPE_INTEGER, 0, "Netmask length"},
	[COL_GATEWAY] = {"gateway", HQ_TYPE_TEXT, 0, "Route gateway"},
	[COL_SOURCE] = {"source", HQ_TYPE_TEXT, 0, "Route source"},
	[COL_FLAGS] = {"flags", HQ_TYPE_INTEGER, 0, "Flags to describe route"},
	[COL_INTERFACE] = {"interface", HQ_TYPE_TEXT, 0, "Route local interface"},
	[COL_MTU] = {"mtu", HQ_TYPE_INTEGER, 0, "Maximum Transmission Unit for the route"},
	[COL_METRIC] = {"metric", HQ_TYPE_INTEGER, 0, "Cost of route. Lowest is preferred"},
	[COL_TYPE] = {"type", HQ_TYPE_TEXT, HQ_COL_ADDITIONAL,
		      "Type of route: gateway, local, broadcast, anycast, other"},
	[COL_HOPCOUNT] = {"hopcount", HQ_TYPE_INTEGER, 0, "Max hops expected"},
};
static_assert(HQ_ELEMENTSOF(columns) == _COL_MAX, "column enum and array disagree");

typedef struct scan {
	hq_query_ctx *ctx;
	hq_row_sink *sink;
	hq_rtnl_links links;
} scan;

static const char *route_type(unsigned t)
{
	switch (t) {
	case RTN_UNICAST:
		return "gateway";
	case RTN_LOCAL:
		return "local";
	case RTN_BROADCAST:
		return "broadcast";
	case RTN_ANYCAST:
		return "anycast";
	default:
		return "other";
	}
}

static bool type_wanted(hq_query_ctx *ctx, const char *type)
{
	bool constrained = false;

	HQ_CTX_FOREACH_CONSTRAINT (c, ctx, COL_TYPE) {
		if (c->op != HQ_OP_EQ || !c->text)
			continue;
		constrained = true;
		if (strcmp(c->text, type) == 0)
			return true;
	}
	return !constrained;
}

static int on_route(const hq_rtnl_record *rec, void *userdata)
{
	scan *s = userdata;
	const hq_rtnl_route *rt = &rec->route;
	const char *type = route_type(rt->type);
	const hq_rtnl_link *l;
	char buf[INET6_ADDRSTRLEN];
	hq_row *row;
	int r;

	if (rec->kind != HQ_RTNL_ROUTE || !type_wanted(s->ctx, type))
		return 0;
	r = hq_row_begin(s->sink, &row);
	if (r < 0)
		return r;
	if (rt->has_dst)
		inet_ntop(rt->family, rt->dst, buf, sizeof(buf));
	else
		snprintf(buf, sizeof(buf), "%s", rt->family == AF_INET6 ? "::" : "0.0.0.0");
	hq_row_set_text(row, COL_DESTINATION, buf);
	hq_row_set_int64(row, COL_NETMASK, rt->dst_len);
	if (rt->has_gateway && inet_ntop(rt->family, rt->gateway, buf, sizeof(buf)))
		hq_row_set_text(row, COL_GATEWAY, buf);
	else
		hq_row_set_text_static(row, COL_GATEWAY, "");
	if (rt->has_prefsrc && inet_ntop(rt->family, rt->prefsrc, buf, sizeof(buf)))
		hq_row_set_text(row, COL_SOURCE, buf);
	else
		hq_row_set_text_static(row, COL_SOURCE, "");
	hq_row_set_int64(row, COL_FLAGS, rt->flags);
	l = rt->oif ? hq_rtnl_links_find(&s->links, rt->oif) : NULL;
	hq_row_set_text(row, COL_INTERFACE, l ? l->name : "");
	hq_row_set_int64(row, COL_MTU, rt->mtu);
	hq_row_set_int64(row, COL_METRIC, rt->priority);
	hq_row_set_text_static(row, COL_TYPE, type);
	hq_row_set_int64(row, COL_HOPCOUNT, rt->hoplimit);
	return hq_row_commit(s->sink, row);
}

static int generate(hq_query_ctx *ctx, hq_row_sink *sink)
{
	scan s = {.ctx = ctx, .sink = sink};
	int r;

	r = hq_rtnl_links_load(&s.links);
	if (r < 0)
		return hq_ctx_error(ctx, r, "routes: cannot list links: %m");
	r = hq_rtnl_dump(RTM_GETROUTE, AF_UNSPEC, on_route, &s);
	hq_rtnl_links_done(&s.links);
	if (r < 0)
		return hq_ctx_error(ctx, r, "routes: cannot dump routes: %m");
	return 0;
}

const hq_table_def hq_table_routes = {
	.version = HQ_TABLE_ABI_VERSION,
	.name = "routes",
	.description = "The active route table for the host system.",
	.columns = columns,
	.n_columns = _COL_MAX,
	.flags = HQ_TABLE_CACHEABLE,
	.generate = generate,
};
