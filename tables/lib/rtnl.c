/* rtnetlink parser and dump (rtnl.h). Attribute payloads are copied out with memcpy after their
 * length is checked, so unaligned or short attributes are never dereferenced. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hq/util.h"
#include "lib/rtnl.h"

typedef struct attr_iter {
	const uint8_t *p;
	size_t left;
} attr_iter;

/* Returns 1 with the next attribute, 0 at the end, -EBADMSG for a bad length. */
static int attr_next(attr_iter *it, unsigned *type, const uint8_t **data, size_t *dlen)
{
	struct rtattr a;
	size_t step;

	if (it->left < sizeof(a))
		return 0; /* trailing padding */
	memcpy(&a, it->p, sizeof(a));
	if (a.rta_len < sizeof(a) || a.rta_len > it->left)
		return -EBADMSG;
	*type = a.rta_type & NLA_TYPE_MASK;
	*data = it->p + RTA_LENGTH(0);
	*dlen = a.rta_len - RTA_LENGTH(0);
	step = RTA_ALIGN(a.rta_len);
	if (step >= it->left)
		it->left = 0;
	else {
		it->p += step;
		it->left -= step;
	}
	return 1;
}

static uint32_t get_u32(const uint8_t *d)
{
	uint32_t v;

	memcpy(&v, d, sizeof(v));
	return v;
}

static void copy_name(char *dst, size_t size, const uint8_t *d, size_t n)
{
	const uint8_t *nul = memchr(d, '\0', n);

	if (nul)
		n = (size_t)(nul - d);
	if (n >= size)
		n = size - 1;
	memcpy(dst, d, n);
	dst[n] = '\0';
}

/* Copies an address attribute of the family's exact size; false otherwise. */
static bool copy_addr(int family, uint8_t dst[16], const uint8_t *d, size_t n)
{
	size_t want = family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;

	if (want == 0 || n != want)
		return false;
	memcpy(dst, d, want);
	return true;
}

/* Copies the fixed header (hdr_size bytes) that starts a message body of len bytes into hdr and
 * points *it at the attributes after it. -EBADMSG when the body is shorter than the header. */
static int msg_begin(const uint8_t *p, size_t len, void *hdr, size_t hdr_size, attr_iter *it)
{
	size_t off = NLMSG_ALIGN(hdr_size);

	if (len < hdr_size)
		return -EBADMSG;
	memcpy(hdr, p, hdr_size);
	*it = (attr_iter){p + off, len > off ? len - off : 0};
	return 0;
}

/* IFLA_STATS64 and the older IFLA_STATS carry the same counters, 64- and 32-bit wide. */
#define COPY_LINK_STATS(l, s)                                                                      \
	do {                                                                                       \
		(l)->rx_packets = (s)->rx_packets;                                                 \
		(l)->tx_packets = (s)->tx_packets;                                                 \
		(l)->rx_bytes = (s)->rx_bytes;                                                     \
		(l)->tx_bytes = (s)->tx_bytes;                                                     \
		(l)->rx_errors = (s)->rx_errors;                                                   \
		(l)->tx_errors = (s)->tx_errors;                                                   \
		(l)->rx_dropped = (s)->rx_dropped;                                                 \
		(l)->tx_dropped = (s)->tx_dropped;                                                 \
		(l)->collisions = (s)->collisions;                                                 \
	} while (0)

static int parse_link(const uint8_t *p, size_t len, hq_rtnl_record *rec)
{
	hq_rtnl_link *l = &rec->link;
	struct ifinfomsg ifi;
	attr_iter it;
	unsigned type;
	const uint8_t *d;
	size_t n;
	bool have64 = false;
	int r;

	r = msg_begin(p, len, &ifi, sizeof(ifi), &it);
	if (r < 0)
		return r;
	memset(l, 0, sizeof(*l));
	rec->kind = HQ_RTNL_LINK;
	l->index = ifi.ifi_index;
	l->type = ifi.ifi_type;
	l->flags = ifi.ifi_flags;
	while ((r = attr_next(&it, &type, &d, &n)) > 0) {
		switch (type) {
		case IFLA_IFNAME:
			copy_name(l->name, sizeof(l->name), d, n);
			break;
		case IFLA_ADDRESS:
			if (n <= sizeof(l->addr)) {
				memcpy(l->addr, d, n);
				l->addr_len = n;
			}
			break;
		case IFLA_MTU:
			if (n >= 4)
				l->mtu = get_u32(d);
			break;
		case IFLA_STATS64:
			if (n >= sizeof(struct rtnl_link_stats64)) {
				struct rtnl_link_stats64 s;

				memcpy(&s, d, sizeof(s));
				COPY_LINK_STATS(l, &s);
				l->have_stats = have64 = true;
			}
			break;
		case IFLA_STATS:
			if (!have64 && n >= sizeof(struct rtnl_link_stats)) {
				struct rtnl_link_stats s;

				memcpy(&s, d, sizeof(s));
				COPY_LINK_STATS(l, &s);
				l->have_stats = true;
			}
			break;
		default:
			break;
		}
	}
	return r;
}

static int parse_addr(const uint8_t *p, size_t len, hq_rtnl_record *rec)
{
	hq_rtnl_addr *a = &rec->addr;
	struct ifaddrmsg ifa;
	attr_iter it;
	unsigned type;
	const uint8_t *d;
	size_t n;
	int r;

	r = msg_begin(p, len, &ifa, sizeof(ifa), &it);
	if (r < 0)
		return r;
	if (ifa.ifa_family != AF_INET && ifa.ifa_family != AF_INET6)
		return 0;
	memset(a, 0, sizeof(*a));
	rec->kind = HQ_RTNL_ADDR;
	a->family = ifa.ifa_family;
	a->index = (int)ifa.ifa_index;
	a->prefixlen = ifa.ifa_prefixlen;
	a->scope = ifa.ifa_scope;
	a->flags = ifa.ifa_flags;
	while ((r = attr_next(&it, &type, &d, &n)) > 0) {
		switch (type) {
		case IFA_ADDRESS:
			a->has_address = copy_addr(a->family, a->address, d, n);
			break;
		case IFA_LOCAL:
			a->has_local = copy_addr(a->family, a->local, d, n);
			break;
		case IFA_BROADCAST:
			a->has_broadcast = copy_addr(a->family, a->broadcast, d, n);
			break;
		case IFA_LABEL:
			copy_name(a->label, sizeof(a->label), d, n);
			break;
		case IFA_FLAGS:
			if (n >= 4)
				a->flags = get_u32(d);
			break;
		default:
			break;
		}
	}
	return r < 0 ? r : 1;
}

static int parse_metrics(const uint8_t *p, size_t len, hq_rtnl_route *rt)
{
	attr_iter it = {p, len};
	unsigned type;
	const uint8_t *d;
	size_t n;
	int r;

	while ((r = attr_next(&it, &type, &d, &n)) > 0) {
		if (n < 4)
			continue;
		if (type == RTAX_MTU)
			rt->mtu = get_u32(d);
		else if (type == RTAX_HOPLIMIT)
			rt->hoplimit = get_u32(d);
	}
	return r;
}

static int parse_route(const uint8_t *p, size_t len, hq_rtnl_record *rec)
{
	hq_rtnl_route *rt = &rec->route;
	struct rtmsg m;
	attr_iter it;
	unsigned type;
	const uint8_t *d;
	size_t n;
	int r;

	r = msg_begin(p, len, &m, sizeof(m), &it);
	if (r < 0)
		return r;
	if (m.rtm_family != AF_INET && m.rtm_family != AF_INET6)
		return 0;
	memset(rt, 0, sizeof(*rt));
	rec->kind = HQ_RTNL_ROUTE;
	rt->family = m.rtm_family;
	rt->dst_len = m.rtm_dst_len;
	rt->src_len = m.rtm_src_len;
	rt->tos = m.rtm_tos;
	rt->protocol = m.rtm_protocol;
	rt->scope = m.rtm_scope;
	rt->type = m.rtm_type;
	rt->flags = m.rtm_flags;
	rt->table = m.rtm_table;
	while ((r = attr_next(&it, &type, &d, &n)) > 0) {
		switch (type) {
		case RTA_DST:
			rt->has_dst = copy_addr(rt->family, rt->dst, d, n);
			break;
		case RTA_GATEWAY:
			rt->has_gateway = copy_addr(rt->family, rt->gateway, d, n);
			break;
		case RTA_PREFSRC:
			rt->has_prefsrc = copy_addr(rt->family, rt->prefsrc, d, n);
			break;
		case RTA_OIF:
			if (n >= 4)
				rt->oif = (int)get_u32(d);
			break;
		case RTA_PRIORITY:
			if (n >= 4)
				rt->priority = get_u32(d);
			break;
		case RTA_TABLE:
			if (n >= 4)
				rt->table = get_u32(d);
			break;
		case RTA_METRICS:
			if (parse_metrics(d, n, rt) < 0)
				return -EBADMSG;
			break;
		default:
			break;
		}
	}
	return r < 0 ? r : 1;
}

static int parse_neigh(const uint8_t *p, size_t len, hq_rtnl_record *rec)
{
	hq_rtnl_neigh *ne = &rec->neigh;
	struct ndmsg nd;
	attr_iter it;
	unsigned type;
	const uint8_t *d;
	size_t n;
	int r;

	r = msg_begin(p, len, &nd, sizeof(nd), &it);
	if (r < 0)
		return r;
	if (nd.ndm_family != AF_INET && nd.ndm_family != AF_INET6)
		return 0;
	memset(ne, 0, sizeof(*ne));
	rec->kind = HQ_RTNL_NEIGH;
	ne->family = nd.ndm_family;
	ne->index = nd.ndm_ifindex;
	ne->state = nd.ndm_state;
	ne->flags = nd.ndm_flags;
	while ((r = attr_next(&it, &type, &d, &n)) > 0) {
		if (type == NDA_DST)
			ne->has_dst = copy_addr(ne->family, ne->dst, d, n);
		else if (type == NDA_LLADDR && n <= sizeof(ne->lladdr)) {
			memcpy(ne->lladdr, d, n);
			ne->lladdr_len = n;
		}
	}
	return r < 0 ? r : 1;
}

int hq_nlmsg_walk(const void *buf, size_t len, hq_nlmsg_fn fn, void *userdata)
{
	const uint8_t *p = buf;

	while (len > 0) {
		struct nlmsghdr h;
		const uint8_t *payload;
		size_t plen, step;
		int r;

		if (len < sizeof(h))
			return -EBADMSG;
		memcpy(&h, p, sizeof(h));
		if (h.nlmsg_len < sizeof(h) || h.nlmsg_len > len)
			return -EBADMSG;
		payload = p + NLMSG_HDRLEN;
		plen = h.nlmsg_len - NLMSG_HDRLEN;

		if (h.nlmsg_type == NLMSG_DONE)
			return 1;
		if (h.nlmsg_type == NLMSG_ERROR) {
			struct nlmsgerr e;

			if (plen < sizeof(e))
				return -EBADMSG;
			memcpy(&e, payload, sizeof(e));
			if (e.error < 0)
				return e.error;
			/* else an ACK */
		} else {
			r = fn(h.nlmsg_type, payload, plen, userdata);
			if (r != 0)
				return r;
		}
		step = NLMSG_ALIGN(h.nlmsg_len);
		if (step >= len)
			break;
		p += step;
		len -= step;
	}
	return 0;
}

int hq_nl_dump(int fd, const void *req, size_t req_len, hq_nlmsg_fn fn, void *userdata)
{
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
	_cleanup_free_ uint8_t *buf = NULL;
	int r;

	if (sendto(fd, req, req_len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	/* 32 KiB reads keep the syscall count low (link messages with stats are ~1.5 KiB, inet
	 * socket records ~100 bytes); the kernel fills as much as fits. */
	buf = malloc(32768);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t n = recv(fd, buf, 32768, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EBADMSG;
		r = hq_nlmsg_walk(buf, (size_t)n, fn, userdata);
		if (r == 1)
			return 0;
		if (r != 0)
			return r;
	}
}

typedef struct rtnl_cb {
	hq_rtnl_fn fn;
	void *userdata;
} rtnl_cb;

static int on_rtnl_msg(uint16_t type, const uint8_t *payload, size_t plen, void *userdata)
{
	const rtnl_cb *cb = userdata;
	hq_rtnl_record rec;
	int r;

	switch (type) {
	case RTM_NEWLINK:
		r = parse_link(payload, plen, &rec);
		if (r == 0)
			r = 1;
		break;
	case RTM_NEWADDR:
		r = parse_addr(payload, plen, &rec);
		break;
	case RTM_NEWROUTE:
		r = parse_route(payload, plen, &rec);
		break;
	case RTM_NEWNEIGH:
		r = parse_neigh(payload, plen, &rec);
		break;
	default:
		return 0;
	}
	if (r <= 0)
		return r; /* malformed, or a family that is skipped */
	return cb->fn(&rec, cb->userdata);
}

int hq_rtnl_parse(const void *buf, size_t len, hq_rtnl_fn fn, void *userdata)
{
	rtnl_cb cb = {fn, userdata};

	return hq_nlmsg_walk(buf, len, on_rtnl_msg, &cb);
}

int hq_rtnl_build_request(void *buf, size_t size, int rtm_type, int family, uint32_t seq)
{
	struct nlmsghdr *h = buf;
	size_t body;

	switch (rtm_type) {
	case RTM_GETLINK:
		body = sizeof(struct ifinfomsg);
		break;
	case RTM_GETADDR:
		body = sizeof(struct ifaddrmsg);
		break;
	case RTM_GETROUTE:
		body = sizeof(struct rtmsg);
		break;
	case RTM_GETNEIGH:
		body = sizeof(struct ndmsg);
		break;
	default:
		return -EINVAL;
	}
	if (size < NLMSG_LENGTH(body))
		return -EINVAL;
	memset(buf, 0, NLMSG_LENGTH(body));
	h->nlmsg_len = NLMSG_LENGTH(body);
	h->nlmsg_type = (uint16_t)rtm_type;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	h->nlmsg_seq = seq;
	/* Every one of these headers starts with the family byte. */
	*(uint8_t *)NLMSG_DATA(h) = (uint8_t)family;
	return (int)h->nlmsg_len;
}

int hq_rtnl_dump(int rtm_type, int family, hq_rtnl_fn fn, void *userdata)
{
	_cleanup_close_ int fd = -EBADF;
	rtnl_cb cb = {fn, userdata};
	uint8_t req[64];
	int len;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	len = hq_rtnl_build_request(req, sizeof(req), rtm_type, family, 1);
	if (len < 0)
		return len;
	return hq_nl_dump(fd, req, (size_t)len, on_rtnl_msg, &cb);
}

void hq_format_mac(const uint8_t *addr, size_t len, char *buf, size_t size)
{
	size_t o = 0;

	if (size == 0)
		return;
	buf[0] = '\0';
	for (size_t i = 0; i < len; i++) {
		if (o + (i ? 4 : 3) > size)
			break;
		snprintf(buf + o, size - o, i ? ":%02x" : "%02x", addr[i]);
		o += i ? 3 : 2;
	}
}

void hq_format_prefix_mask(int family, unsigned prefixlen, char *buf, size_t size)
{
	uint8_t m[16] = {};
	unsigned bits = family == AF_INET ? 32 : 128;

	if (size == 0)
		return;
	buf[0] = '\0';
	if (family != AF_INET && family != AF_INET6)
		return;
	if (prefixlen > bits)
		prefixlen = bits;
	for (unsigned i = 0; i < prefixlen; i++)
		m[i / 8] |= (uint8_t)(0x80 >> (i % 8));
	(void)inet_ntop(family, m, buf, (socklen_t)size);
}

static int add_link(const hq_rtnl_record *rec, void *userdata)
{
	hq_rtnl_links *links = userdata;

	if (rec->kind != HQ_RTNL_LINK)
		return 0;
	if (links->n == links->cap) {
		size_t ncap = links->cap ? links->cap * 2 : 16;
		hq_rtnl_link *t = realloc(links->v, ncap * sizeof(*t));

		if (!t)
			return -ENOMEM;
		links->v = t;
		links->cap = ncap;
	}
	links->v[links->n++] = rec->link;
	return 0;
}

int hq_rtnl_links_load(hq_rtnl_links *links)
{
	int r;

	*links = (hq_rtnl_links){};
	r = hq_rtnl_dump(RTM_GETLINK, AF_UNSPEC, add_link, links);
	if (r < 0)
		hq_rtnl_links_done(links);
	return r;
}

const hq_rtnl_link *hq_rtnl_links_find(const hq_rtnl_links *links, int index)
{
	for (size_t i = 0; i < links->n; i++)
		if (links->v[i].index == index)
			return &links->v[i];
	return NULL;
}

void hq_rtnl_links_done(hq_rtnl_links *links)
{
	free(links->v);
	*links = (hq_rtnl_links){};
}
