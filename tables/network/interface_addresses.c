/* interface_addresses: one row per IPv4/IPv6 address assigned to an interface.
 * Source: rtnetlink RTM_GETLINK and RTM_GETADDR dumps of the reader's network namespace; no
 * privileges needed. Follows getifaddrs(), which osquery uses: an address with both IFA_LOCAL
 * and IFA_ADDRESS reports IFA_ADDRESS as its destination unless IFA_BROADCAST is present, and
 * the destination is "broadcast" on IFF_BROADCAST links, "point_to_point" otherwise. IPv6
 * link-local addresses carry "%<interface>".
 * Example: SELECT interface, address, mask FROM interface_addresses WHERE interface = 'eth0'; */
#include <arpa/inet.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>

#include "hq/query.h"
#include "hq/row.h"
#include "hq/table.h"
#include "lib/rtnl.h"

enum {
	COL_INTERFACE,
	COL_ADDRESS,
	COL_MASK,
	COL_BROADCAST,
	COL_POINT_TO_POINT,
	COL_TYPE,
	COL_FRIENDLY_NAME,
	_COL_MAX,
};

static const hq_column columns[] = {
	[COL_INTERFACE] = {"interface", HQ_TYPE_TEXT, 0, "Interface name"},
	[COL_ADDRESS] = {"address", HQ_TYPE_TEXT, 0, "Specific address for interface"},
	[COL_MASK] = {"mask", HQ_TYPE_TEXT, 0, "Interface netmask"},
	[COL_BROADCAST] = {"broadcast", HQ_TYPE_TEXT, 0, "Broadcast address for the interface"},
	[COL_POINT_TO_POINT] = {"point_to_point", HQ_TYPE_TEXT, 0, "PtP address for the interface"},
	[COL_TYPE] = {"type", HQ_TYPE_TEXT, 0,
		      "Type of address. One of dhcp, manual, auto, other, unknown"},
	[COL_FRIENDLY_NAME] = {"friendly_name", HQ_TYPE_TEXT, HQ_COL_HIDDEN,
			       "The friendly display name of the interface."},
};
static_assert(HQ_ELEMENTSOF(columns) == _COL_MAX, "column enum and array disagree");

typedef struct scan {
	hq_query_ctx *ctx;
	hq_row_sink *sink;
	hq_rtnl_links links;
} scan;

/* getnameinfo(NI_NUMERICHOST) form: link-local IPv6 gets "%<ifname>". */
static void format_addr(int family, const uint8_t *a, const char *ifname, char *buf, size_t size)
{
	char tmp[INET6_ADDRSTRLEN];

	buf[0] = '\0';
	if (!inet_ntop(family, a, tmp, sizeof(tmp)))
		return;
	if (family == AF_INET6 &&
	    ((a[0] == 0xfe && (a[1] & 0xc0) == 0x80) || (a[0] == 0xff && (a[1] & 0x0f) == 0x02)))
		snprintf(buf, size, "%s%%%s", tmp, ifname);
	else
		snprintf(buf, size, "%s", tmp);
}

static int on_addr(const hq_rtnl_record *rec, void *userdata)
{
	scan *s = userdata;
	const hq_rtnl_addr *a = &rec->addr;
	const hq_rtnl_link *l;
	const uint8_t *local, *dst = NULL;
	char ifname[HQ_IFNAME_MAX + 1], buf[INET6_ADDRSTRLEN + HQ_IFNAME_MAX + 2];
	hq_row *row;
	int r;

	if (rec->kind != HQ_RTNL_ADDR || (!a->has_address && !a->has_local))
		return 0;
	l = hq_rtnl_links_find(&s->links, a->index);
	/* getifaddrs names IPv4 addresses by their label (eth0:1 aliases). */
	snprintf(ifname, sizeof(ifname), "%s", a->label[0] ? a->label : l ? l->name : "");
	local = a->has_local ? a->local : a->address;
	if (a->has_broadcast)
		dst = a->broadcast;
	else if (a->has_local && a->has_address)
		dst = a->address;

	r = hq_row_begin(s->sink, &row);
	if (r < 0)
		return r;
	hq_row_set_text(row, COL_INTERFACE, ifname);
	format_addr(a->family, local, l ? l->name : ifname, buf, sizeof(buf));
	hq_row_set_text(row, COL_ADDRESS, buf);
	hq_format_prefix_mask(a->family, a->prefixlen, buf, sizeof(buf));
	hq_row_set_text(row, COL_MASK, buf);
	hq_row_set_text_static(row, COL_BROADCAST, "");
	hq_row_set_text_static(row, COL_POINT_TO_POINT, "");
	if (dst) {
		format_addr(a->family, dst, l ? l->name : ifname, buf, sizeof(buf));
		hq_row_set_text(
			row, l && (l->flags & IFF_BROADCAST) ? COL_BROADCAST : COL_POINT_TO_POINT,
			buf);
	}
	hq_row_set_text_static(row, COL_TYPE, "unknown");
	return hq_row_commit(s->sink, row);
}

static int generate(hq_query_ctx *ctx, hq_row_sink *sink)
{
	scan s = {.ctx = ctx, .sink = sink};
	int r;

	r = hq_rtnl_links_load(&s.links);
	if (r < 0)
		return hq_ctx_error(ctx, r, "interface_addresses: cannot list links: %m");
	r = hq_rtnl_dump(RTM_GETADDR, AF_UNSPEC, on_addr, &s);
	hq_rtnl_links_done(&s.links);
	if (r < 0)
		return hq_ctx_error(ctx, r, "interface_addresses: cannot list addresses: %m");
	return 0;
}

const hq_table_def hq_table_interface_addresses = {
	.version = HQ_TABLE_ABI_VERSION,
	.name = "interface_addresses",
	.description = "Network interfaces and relevant metadata.",
	.columns = columns,
	.n_columns = _COL_MAX,
	.flags = HQ_TABLE_CACHEABLE,
	.generate = generate,
};
