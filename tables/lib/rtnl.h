/* rtnetlink (NETLINK_ROUTE) dumps of links, addresses, routes and neighbours. hq_rtnl_parse() is
 * pure: a receive buffer of netlink messages in, typed records out through a callback, every
 * message and attribute length checked. hq_rtnl_dump() is the thin I/O part. The netlink
 * framing under both (hq_nlmsg_walk(), hq_nl_dump()) is shared with sock_diag. Never logs. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HQ_IFNAME_MAX 16

typedef struct hq_rtnl_link {
	int index;
	unsigned type;	/* ARPHRD_* */
	unsigned flags; /* IFF_* incl. IFF_LOWER_UP */
	char name[HQ_IFNAME_MAX + 1];
	uint8_t addr[32];
	size_t addr_len;
	uint32_t mtu;
	bool have_stats;
	/* IFLA_STATS64 (or IFLA_STATS widened) */
	uint64_t rx_packets, tx_packets, rx_bytes, tx_bytes, rx_errors, tx_errors, rx_dropped,
		tx_dropped, collisions;
} hq_rtnl_link;

typedef struct hq_rtnl_addr {
	int family;
	int index;
	uint8_t prefixlen;
	uint8_t scope;
	uint32_t flags;
	bool has_address, has_local, has_broadcast;
	uint8_t address[16]; /* IFA_ADDRESS: the peer on point-to-point links */
	uint8_t local[16];   /* IFA_LOCAL */
	uint8_t broadcast[16];
	char label[HQ_IFNAME_MAX + 1]; /* IFA_LABEL, "" when absent */
} hq_rtnl_addr;

typedef struct hq_rtnl_route {
	int family;
	uint8_t dst_len, src_len, tos, protocol, scope, type;
	uint32_t flags;
	uint32_t table; /* RTA_TABLE, else rtm_table */
	bool has_dst, has_gateway, has_prefsrc;
	uint8_t dst[16], gateway[16], prefsrc[16];
	int oif; /* 0 when absent */
	uint32_t priority;
	uint32_t mtu;	   /* RTAX_MTU, 0 when absent */
	uint32_t hoplimit; /* RTAX_HOPLIMIT, 0 when absent */
} hq_rtnl_route;

typedef struct hq_rtnl_neigh {
	int family;
	int index;
	uint16_t state; /* NUD_* */
	uint8_t flags;	/* NTF_* */
	uint8_t dst[16];
	bool has_dst;
	uint8_t lladdr[32];
	size_t lladdr_len;
} hq_rtnl_neigh;

typedef enum hq_rtnl_kind {
	HQ_RTNL_LINK,
	HQ_RTNL_ADDR,
	HQ_RTNL_ROUTE,
	HQ_RTNL_NEIGH,
	_HQ_RTNL_KIND_MAX,
	_HQ_RTNL_KIND_INVALID = -22,
} hq_rtnl_kind;

typedef struct hq_rtnl_record {
	hq_rtnl_kind kind;
	union {
		hq_rtnl_link link;
		hq_rtnl_addr addr;
		hq_rtnl_route route;
		hq_rtnl_neigh neigh;
	};
} hq_rtnl_record;

/* Called for each message of a receive buffer other than NLMSG_DONE and NLMSG_ERROR, with its
 * type and payload (the message minus its header). Non-zero stops the walk and is returned. */
typedef int (*hq_nlmsg_fn)(uint16_t type, const uint8_t *payload, size_t len, void *userdata);

/* Walks the messages of one netlink receive buffer. Returns 1 at NLMSG_DONE, 0 when more
 * buffers follow, fn's non-zero value, -EBADMSG for a truncated or malformed message, or the
 * negated errno of an NLMSG_ERROR (an ACK is skipped). */
int hq_nlmsg_walk(const void *buf, size_t len, hq_nlmsg_fn fn, void *userdata);

/* Sends the dump request req on the netlink socket fd and walks every reply buffer with
 * hq_nlmsg_walk() until it returns non-zero. Returns 0 when that is 1 (NLMSG_DONE), any other
 * non-zero value of the walk (fn's, -EBADMSG, an NLMSG_ERROR), -EBADMSG at end of file, or
 * another -errno. */
int hq_nl_dump(int fd, const void *req, size_t req_len, hq_nlmsg_fn fn, void *userdata);

/* Non-zero stops the walk and is returned. */
typedef int (*hq_rtnl_fn)(const hq_rtnl_record *rec, void *userdata);

/* Parses one receive buffer of an RTM_GET* dump. Returns 1 at NLMSG_DONE, 0 when more buffers
 * follow, a callback's value, -EBADMSG for truncated or malformed data, or the negated errno of
 * an NLMSG_ERROR. Records of families other than AF_INET/AF_INET6 in address, route and
 * neighbour dumps are skipped. */
int hq_rtnl_parse(const void *buf, size_t len, hq_rtnl_fn fn, void *userdata);

/* Builds an RTM_GETLINK/GETADDR/GETROUTE/GETNEIGH dump request for family (AF_UNSPEC for all)
 * into buf (>= 64 bytes). Returns its length or -EINVAL. */
int hq_rtnl_build_request(void *buf, size_t size, int rtm_type, int family, uint32_t seq);

/* Runs one dump on a new NETLINK_ROUTE socket. Returns 0, a callback's value or -errno. */
int hq_rtnl_dump(int rtm_type, int family, hq_rtnl_fn fn, void *userdata);

/* Formats a hardware address as lower-case "xx:xx:..." into buf (>= 3 * len bytes, >= 1). */
void hq_format_mac(const uint8_t *addr, size_t len, char *buf, size_t size);

/* Writes the netmask of a prefix length in address form ("255.255.255.0", "ffff:ffff::").
 * buf >= 46 bytes. */
void hq_format_prefix_mask(int family, unsigned prefixlen, char *buf, size_t size);

/* Every link of the reader's network namespace (one RTM_GETLINK dump), for name and flag
 * lookups by index. */
typedef struct hq_rtnl_links {
	hq_rtnl_link *v;
	size_t n;
	size_t cap;
} hq_rtnl_links;

/* Returns 0 or -errno; on failure *links is left empty. */
int hq_rtnl_links_load(hq_rtnl_links *links);
/* Borrowed pointer into links, NULL when no link has this index. */
const hq_rtnl_link *hq_rtnl_links_find(const hq_rtnl_links *links, int index);
void hq_rtnl_links_done(hq_rtnl_links *links);
