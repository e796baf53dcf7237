/* interface_details: one row per network interface (link) with counters and link attributes.
 * Source: rtnetlink RTM_GETLINK dump (IFLA_STATS64 counters, MTU, hardware address), ethtool
 * ioctls ETHTOOL_GSET (speed) and ETHTOOL_GDRVINFO (bus_info as pci_slot); no privileges.
 * Differs from osquery: the counters are the kernel's 64-bit ones, where osquery reads the
 * 32-bit struct rtnl_link_stats through getifaddrs() and wraps at 2^32 (4 GiB of traffic);
 * link_speed is 0 when the driver reports SPEED_UNKNOWN.
 * Example: SELECT interface, mac, mtu, ibytes, obytes FROM interface_details; */
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "hq/query.h"
#include "hq/row.h"
#include "hq/table.h"
#include "lib/rtnl.h"

enum {
	COL_INTERFACE,
	COL_MAC,
	COL_TYPE,
	COL_MTU,
	COL_METRIC,
	COL_FLAGS,
	COL_IPACKETS,
	COL_OPACKETS,
	COL_IBYTES,
	COL_OBYTES,
	COL_IERRORS,
	COL_OERRORS,
	COL_IDROPS,
	COL_ODROPS,
	COL_COLLISIONS,
	COL_LAST_CHANGE,
	COL_LINK_SPEED,
	COL_PCI_SLOT,
	COL_FRIENDLY_NAME,
	COL_DESCRIPTION,
	COL_MANUFACTURER,
	COL_CONNECTION_ID,
	COL_CONNECTION_STATUS,
	COL_ENABLED,
	COL_PHYSICAL_ADAPTER,
	COL_SPEED,
	COL_SERVICE,
	COL_DHCP_ENABLED,
	COL_DHCP_LEASE_EXPIRES,
	COL_DHCP_LEASE_OBTAINED,
	COL_DHCP_SERVER,
	COL_DNS_DOMAIN,
	COL_DNS_DOMAIN_SUFFIX_SEARCH_ORDER,
	COL_DNS_HOST_NAME,
	COL_DNS_SERVER_SEARCH_ORDER,
	_COL_MAX,
};

static const hq_column columns[] = {
	[COL_INTERFACE] = {"interface", HQ_TYPE_TEXT, 0, "Network interface name"},
	[COL_MAC] = {"mac", HQ_TYPE_TEXT, HQ_COL_COLLATE_NOCASE, "MAC of interface (optional)"},
	[COL_TYPE] = {"type", HQ_TYPE_INTEGER, 0, "Interface type (includes virtual)"},
	[COL_MTU] = {"mtu", HQ_TYPE_INTEGER, 0, "Network MTU"},
	[COL_METRIC] = {"metric", HQ_TYPE_INTEGER, 0, "Metric based on the speed of the interface"},
	[COL_FLAGS] = {"flags", HQ_TYPE_INTEGER, 0, "Flags (netdevice) for the device"},
	[COL_IPACKETS] = {"ipackets", HQ_TYPE_BIGINT, 0, "Input packets"},
	[COL_OPACKETS] = {"opackets", HQ_TYPE_BIGINT, 0, "Output packets"},
	[COL_IBYTES] = {"ibytes", HQ_TYPE_BIGINT, 0, "Input bytes"},
	[COL_OBYTES] = {"obytes", HQ_TYPE_BIGINT, 0, "Output bytes"},
	[COL_IERRORS] = {"ierrors", HQ_TYPE_BIGINT, 0, "Input errors"},
	[COL_OERRORS] = {"oerrors", HQ_TYPE_BIGINT, 0, "Output errors"},
	[COL_IDROPS] = {"idrops", HQ_TYPE_BIGINT, 0, "Input drops"},
	[COL_ODROPS] = {"odrops", HQ_TYPE_BIGINT, 0, "Output drops"},
	[COL_COLLISIONS] = {"collisions", HQ_TYPE_BIGINT, 0, "Packet Collisions detected"},
	[COL_LAST_CHANGE] = {"last_change", HQ_TYPE_BIGINT, 0,
			     "Time of last device modification (optional)"},
	[COL_LINK_SPEED] = {"link_speed", HQ_TYPE_BIGINT, 0, "Interface speed in Mb/s"},
	[COL_PCI_SLOT] = {"pci_slot", HQ_TYPE_TEXT, 0, "PCI slot number"},
	[COL_FRIENDLY_NAME] = {"friendly_name", HQ_TYPE_TEXT, HQ_COL_HIDDEN,
			       "The friendly display name of the interface."},
	[COL_DESCRIPTION] = {"description", HQ_TYPE_TEXT, HQ_COL_HIDDEN,
			     "Short description of the object"},
	[COL_MANUFACTURER] = {"manufacturer", HQ_TYPE_TEXT, HQ_COL_HIDDEN,
			      "Name of the network adapter's manufacturer."},
	[COL_CONNECTION_ID] = {"connection_id", HQ_TYPE_TEXT, HQ_COL_HIDDEN,
			       "Name of the network connection"},
	[COL_CONNECTION_STATUS] = {"connection_status", HQ_TYPE_TEXT, HQ_COL_HIDDEN,
				   "State of the network adapter connection"},
	[COL_ENABLED] = {"enabled", HQ_TYPE_INTEGER, HQ_COL_HIDDEN,
			 "Indicates whether the adapter is enabled or not."},
	[COL_PHYSICAL_ADAPTER] =
		{"physical_adapter", HQ_TYPE_INTEGER, HQ_COL_HIDDEN,
		 "Indicates whether the adapter is a physical or a logical adapter."},
	[COL_SPEED] = {"speed", HQ_TYPE_INTEGER, HQ_COL_HIDDEN,
		       "Estimate of the current bandwidth in bits per second."},
	[COL_SERVICE] = {"service", HQ_TYPE_TEXT, HQ_COL_HIDDEN,
			 "The name of the service the network adapter uses."},
	[COL_DHCP_ENABLED] =
		{"dhcp_enabled", HQ_TYPE_INTEGER, HQ_COL_HIDDEN,
		 "If TRUE, the dynamic host configuration protocol (DHCP) server automatically assigns an IP address"},
	[COL_DHCP_LEASE_EXPIRES] = {"dhcp_lease_expires", HQ_TYPE_TEXT, HQ_COL_HIDDEN,
				    "Expiration date and time for a leased IP address"},
	[COL_DHCP_LEASE_OBTAINED] = {"dhcp_lease_obtained", HQ_TYPE_TEXT, HQ_COL_HIDDEN,
				     "Date and time the lease was obtained"},
	[COL_DHCP_SERVER] = {"dhcp_server", HQ_TYPE_TEXT, HQ_COL_HIDDEN,
			     "IP address of the DHCP server"},
	[COL_DNS_DOMAIN] = {"dns_domain", HQ_TYPE_TEXT, HQ_COL_HIDDEN,
			    "Organization name followed by a period and an extension"},
	[COL_DNS_DOMAIN_SUFFIX_SEARCH_ORDER] = {"dns_domain_suffix_search_order", HQ_TYPE_TEXT,
						HQ_COL_HIDDEN, "Array of DNS domain suffixes"},
	[COL_DNS_HOST_NAME] = {"dns_host_name", HQ_TYPE_TEXT, HQ_COL_HIDDEN,
			       "Host name used to identify the local computer"},
	[COL_DNS_SERVER_SEARCH_ORDER] = {"dns_server_search_order", HQ_TYPE_TEXT, HQ_COL_HIDDEN,
					 "Array of server IP addresses used when querying"},
};
static_assert(HQ_ELEMENTSOF(columns) == _COL_MAX, "column enum and array disagree");

/* ethtool over an AF_INET datagram socket; false when the driver does not answer. */
static bool ethtool(int sock, const char *name, void *cmd)
{
	struct ifreq ifr = {};

	if (sock < 0)
		return false;
	if (strlen(name) >= sizeof(ifr.ifr_name))
		return false;
	memcpy(ifr.ifr_name, name, strlen(name));
	ifr.ifr_data = cmd;
	return ioctl(sock, SIOCETHTOOL, &ifr) == 0;
}

static int emit_link(hq_query_ctx *ctx, hq_row_sink *sink, const hq_rtnl_link *l, int sock)
{
	static const uint8_t zero_mac[6];
	char mac[3 * 32 + 1];
	hq_row *row;
	int r;

	r = hq_row_begin(sink, &row);
	if (r < 0)
		return r;
	hq_row_set_text(row, COL_INTERFACE, l->name);
	if (l->addr_len > 0)
		hq_format_mac(l->addr, l->addr_len, mac, sizeof(mac));
	else
		hq_format_mac(zero_mac, sizeof(zero_mac), mac, sizeof(mac));
	hq_row_set_text(row, COL_MAC, mac);
	/* osquery reads sa_family of SIOCGIFHWADDR as an unsigned char. */
	hq_row_set_int64(row, COL_TYPE, l->type & 0xff);
	hq_row_set_int64(row, COL_MTU, l->mtu);
	hq_row_set_int64(row, COL_METRIC, 0); /* SIOCGIFMETRIC is always 0 on Linux */
	hq_row_set_int64(row, COL_FLAGS, l->flags);
	hq_row_set_int64(row, COL_IPACKETS, (int64_t)l->rx_packets);
	hq_row_set_int64(row, COL_OPACKETS, (int64_t)l->tx_packets);
	hq_row_set_int64(row, COL_IBYTES, (int64_t)l->rx_bytes);
	hq_row_set_int64(row, COL_OBYTES, (int64_t)l->tx_bytes);
	hq_row_set_int64(row, COL_IERRORS, (int64_t)l->rx_errors);
	hq_row_set_int64(row, COL_OERRORS, (int64_t)l->tx_errors);
	hq_row_set_int64(row, COL_IDROPS, (int64_t)l->rx_dropped);
	hq_row_set_int64(row, COL_ODROPS, (int64_t)l->tx_dropped);
	hq_row_set_int64(row, COL_COLLISIONS, (int64_t)l->collisions);
	hq_row_set_int64(row, COL_LAST_CHANGE, -1);
	if (hq_ctx_column_used(ctx, COL_LINK_SPEED)) {
		struct ethtool_cmd cmd = {.cmd = ETHTOOL_GSET};
		uint32_t speed = 0;

		if (ethtool(sock, l->name, &cmd)) {
			/* The header's ethtool_cmd_speed() shifts speed_hi as an int, which
			 * overflows for SPEED_UNKNOWN (0xffff << 16): combine unsigned here. */
			speed = (uint32_t)cmd.speed_hi << 16 | cmd.speed;
			if (speed == (uint32_t)SPEED_UNKNOWN || speed == 0xffff)
				speed = 0;
		}
		hq_row_set_int64(row, COL_LINK_SPEED, speed);
	}
	if (hq_ctx_column_used(ctx, COL_PCI_SLOT)) {
		struct ethtool_drvinfo info = {.cmd = ETHTOOL_GDRVINFO};

		if (ethtool(sock, l->name, &info)) {
			info.bus_info[sizeof(info.bus_info) - 1] = '\0';
			hq_row_set_text(row, COL_PCI_SLOT, info.bus_info);
		} else
			hq_row_set_text_static(row, COL_PCI_SLOT, "-1");
	}
	return hq_row_commit(sink, row);
}

static int generate(hq_query_ctx *ctx, hq_row_sink *sink)
{
	_cleanup_close_ int sock = -EBADF;
	hq_rtnl_links links;
	int r = 0;

	r = hq_rtnl_links_load(&links);
	if (r < 0)
		return hq_ctx_error(ctx, r, "interface_details: cannot list links: %m");
	if (hq_ctx_column_used(ctx, COL_LINK_SPEED) || hq_ctx_column_used(ctx, COL_PCI_SLOT))
		sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	for (size_t i = 0; i < links.n && r == 0; i++)
		r = emit_link(ctx, sink, &links.v[i], sock);
	hq_rtnl_links_done(&links);
	return r < 0 ? hq_ctx_error(ctx, r, "interface_details: %m") : 0;
}

const hq_table_def hq_table_interface_details = {
	.version = HQ_TABLE_ABI_VERSION,
	.name = "interface_details",
	.description = "Detailed information and stats of network interfaces.",
	.columns = columns,
	.n_columns = _COL_MAX,
	.flags = HQ_TABLE_CACHEABLE,
	.generate = generate,
};
