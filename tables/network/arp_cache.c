/* arp_cache: the IPv4 neighbour (ARP) table, as /proc/net/arp shows it.
 * Source: rtnetlink RTM_GETNEIGH dump (AF_INET) of the reader's network namespace; no
 * privileges. Like /proc/net/arp, NOARP entries are left out and an entry without a valid
 * hardware address shows 00:00:00:00:00:00.
 * Example: SELECT address, mac, interface FROM arp_cache WHERE permanent = '0'; */
#include <arpa/inet.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "hq/query.h"
#include "hq/row.h"
#include "hq/table.h"
#include "lib/rtnl.h"

enum {
	COL_ADDRESS,
	COL_MAC,
	COL_INTERFACE,
	COL_PERMANENT,
	_COL_MAX,
};

static const hq_column columns[] = {
	[COL_ADDRESS] = {"address", HQ_TYPE_TEXT, 0, "IPv4 address target"},
	[COL_MAC] = {"mac", HQ_TYPE_TEXT, HQ_COL_COLLATE_NOCASE,
		     "MAC address of broadcasted address"},
	[COL_INTERFACE] = {"interface", HQ_TYPE_TEXT, 0, "Interface of the network for the MAC"},
	[COL_PERMANENT] = {"permanent", HQ_TYPE_TEXT, 0, "1 for true, 0 for false"},
};
static_assert(HQ_ELEMENTSOF(columns) == _COL_MAX, "column enum and array disagree");

/* The kernel's NUD_VALID (include/net/neighbour.h): states with a usable hardware address. */
#define NUD_VALID_STATES                                                                           \
	(NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE | NUD_PROBE | NUD_STALE | NUD_DELAY)

typedef struct scan {
	hq_row_sink *sink;
	hq_rtnl_links links;
} scan;

static int on_neigh(const hq_rtnl_record *rec, void *userdata)
{
	static const uint8_t zero_mac[6];
	scan *s = userdata;
	const hq_rtnl_neigh *n = &rec->neigh;
	const hq_rtnl_link *l;
	char addr[INET_ADDRSTRLEN], mac[3 * 32 + 1];
	hq_row *row;
	int r;

	if (rec->kind != HQ_RTNL_NEIGH || n->family != AF_INET || !n->has_dst ||
	    (n->state & NUD_NOARP) || (n->flags & NTF_PROXY))
		return 0;
	r = hq_row_begin(s->sink, &row);
	if (r < 0)
		return r;
	inet_ntop(AF_INET, n->dst, addr, sizeof(addr));
	hq_row_set_text(row, COL_ADDRESS, addr);
	if ((n->state & NUD_VALID_STATES) && n->lladdr_len > 0)
		hq_format_mac(n->lladdr, n->lladdr_len, mac, sizeof(mac));
	else
		hq_format_mac(zero_mac, sizeof(zero_mac), mac, sizeof(mac));
	hq_row_set_text(row, COL_MAC, mac);
	l = hq_rtnl_links_find(&s->links, n->index);
	hq_row_set_text(row, COL_INTERFACE, l ? l->name : "");
	/* /proc/net/arp flags 0x6 (ATF_COM | ATF_PERM) is a permanent entry. */
	hq_row_set_text_static(row, COL_PERMANENT, (n->state & NUD_PERMANENT) ? "1" : "0");
	return hq_row_commit(s->sink, row);
}

static int generate(hq_query_ctx *ctx, hq_row_sink *sink)
{
	scan s = {.sink = sink};
	int r;

	r = hq_rtnl_links_load(&s.links);
	if (r < 0)
		return hq_ctx_error(ctx, r, "arp_cache: cannot list links: %m");
	r = hq_rtnl_dump(RTM_GETNEIGH, AF_INET, on_neigh, &s);
	hq_rtnl_links_done(&s.links);
	if (r < 0)
		return hq_ctx_error(ctx, r, "arp_cache: cannot dump neighbours: %m");
	return 0;
}

const hq_table_def hq_table_arp_cache = {
	.version = HQ_TABLE_ABI_VERSION,
	.name = "arp_cache",
	.description = "Address resolution cache, both static and dynamic (from ARP, NDP).",
	.columns = columns,
	.n_columns = _COL_MAX,
	.generate = generate,
};
