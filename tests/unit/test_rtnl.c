/* Unit tests for the rtnetlink parser (tables/lib/rtnl.c) on hand-built messages, plus one live
 * link dump that must contain the loopback interface. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "lib/rtnl.h"

typedef struct msgbuf {
	uint8_t b[4096];
	size_t len;   /* bytes of finished messages */
	size_t start; /* offset of the message being built */
} msgbuf;

static void *msg_begin(msgbuf *m, uint16_t type, const void *hdr, size_t hlen)
{
	struct nlmsghdr *h = (struct nlmsghdr *)(m->b + m->len);

	m->start = m->len;
	memset(h, 0, NLMSG_SPACE(hlen));
	h->nlmsg_type = type;
	h->nlmsg_len = NLMSG_LENGTH(hlen);
	memcpy(NLMSG_DATA(h), hdr, hlen);
	return h;
}

static void msg_attr(msgbuf *m, uint16_t type, const void *data, size_t n)
{
	struct nlmsghdr *h = (struct nlmsghdr *)(m->b + m->start);
	struct rtattr *a = (struct rtattr *)((uint8_t *)h + NLMSG_ALIGN(h->nlmsg_len));

	a->rta_type = type;
	a->rta_len = (unsigned short)RTA_LENGTH(n);
	memcpy(RTA_DATA(a), data, n);
	h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + RTA_ALIGN(a->rta_len);
}

static void msg_end(msgbuf *m)
{
	struct nlmsghdr *h = (struct nlmsghdr *)(m->b + m->start);

	m->len = m->start + NLMSG_ALIGN(h->nlmsg_len);
}

typedef struct got {
	hq_rtnl_record rec[8];
	int n;
} got;

static int collect(const hq_rtnl_record *rec, void *userdata)
{
	got *g = userdata;

	if (g->n < 8)
		g->rec[g->n++] = *rec;
	return 0;
}

static void test_link(void **state)
{
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC,
				.ifi_type = 772,
				.ifi_index = 1,
				.ifi_flags = IFF_UP | IFF_LOOPBACK};
	struct rtnl_link_stats64 s64 = {.rx_bytes = 5000000000ULL, .tx_packets = 7};
	struct rtnl_link_stats s32 = {.rx_bytes = 1};
	uint8_t mac[6] = {0x02, 0, 0, 0, 0xaa, 0x01};
	uint32_t mtu = 65536;
	msgbuf m = {};
	got g = {};
	char buf[64];

	msg_begin(&m, RTM_NEWLINK, &ifi, sizeof(ifi));
	msg_attr(&m, IFLA_IFNAME, "lo", 3);
	msg_attr(&m, IFLA_MTU, &mtu, 4);
	msg_attr(&m, IFLA_ADDRESS, mac, 6);
	msg_attr(&m, IFLA_STATS, &s32, sizeof(s32));
	msg_attr(&m, IFLA_STATS64, &s64, sizeof(s64));
	msg_end(&m);
	assert_int_equal(hq_rtnl_parse(m.b, m.len, collect, &g), 0);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.rec[0].kind, HQ_RTNL_LINK);
	assert_string_equal(g.rec[0].link.name, "lo");
	assert_int_equal(g.rec[0].link.mtu, 65536);
	assert_int_equal(g.rec[0].link.type, 772);
	/* 64-bit counters win over the 32-bit block whatever the order */
	assert_true(g.rec[0].link.rx_bytes == 5000000000ULL);
	assert_int_equal(g.rec[0].link.tx_packets, 7);
	hq_format_mac(g.rec[0].link.addr, g.rec[0].link.addr_len, buf, sizeof(buf));
	assert_string_equal(buf, "02:00:00:00:aa:01");
	/* a too-small buffer truncates at a whole byte */
	hq_format_mac(mac, 6, buf, 8);
	assert_string_equal(buf, "02:00");
}

static void test_addr_route_neigh(void **state)
{
	struct ifaddrmsg ifa = {.ifa_family = AF_INET, .ifa_prefixlen = 24, .ifa_index = 3};
	struct rtmsg rtm = {.rtm_family = AF_INET6,
			    .rtm_dst_len = 48,
			    .rtm_type = RTN_UNICAST,
			    .rtm_table = RT_TABLE_MAIN};
	struct ndmsg nd = {.ndm_family = AF_INET, .ndm_ifindex = 3, .ndm_state = NUD_PERMANENT};
	struct in_addr a4, b4;
	struct in6_addr d6, g6;
	uint32_t prio = 55, oif = 3, table = 100;
	uint8_t metrics[16];
	struct rtattr *mx = (struct rtattr *)metrics;
	uint8_t ll[6] = {2, 0, 0, 0, 0, 9};
	msgbuf m = {};
	got g = {};
	char buf[64];

	inet_pton(AF_INET, "10.77.0.1", &a4);
	inet_pton(AF_INET, "10.77.0.255", &b4);
	msg_begin(&m, RTM_NEWADDR, &ifa, sizeof(ifa));
	msg_attr(&m, IFA_ADDRESS, &a4, 4);
	msg_attr(&m, IFA_LOCAL, &a4, 4);
	msg_attr(&m, IFA_BROADCAST, &b4, 4);
	msg_attr(&m, IFA_LABEL, "hqv0:al", 8);
	msg_end(&m);

	inet_pton(AF_INET6, "fd99::", &d6);
	inet_pton(AF_INET6, "fd77::2", &g6);
	msg_begin(&m, RTM_NEWROUTE, &rtm, sizeof(rtm));
	msg_attr(&m, RTA_DST, &d6, 16);
	msg_attr(&m, RTA_GATEWAY, &g6, 16);
	msg_attr(&m, RTA_PRIORITY, &prio, 4);
	msg_attr(&m, RTA_OIF, &oif, 4);
	msg_attr(&m, RTA_TABLE, &table, 4);
	mx->rta_type = RTAX_MTU;
	mx->rta_len = RTA_LENGTH(4);
	memcpy(RTA_DATA(mx), &(uint32_t){1300}, 4);
	msg_attr(&m, RTA_METRICS, metrics, RTA_LENGTH(4));
	/* a wrong-size address attribute is ignored, not trusted */
	msg_attr(&m, RTA_PREFSRC, &a4, 4);
	msg_end(&m);

	msg_begin(&m, RTM_NEWNEIGH, &nd, sizeof(nd));
	msg_attr(&m, NDA_DST, &a4, 4);
	msg_attr(&m, NDA_LLADDR, ll, 6);
	msg_end(&m);

	assert_int_equal(hq_rtnl_parse(m.b, m.len, collect, &g), 0);
	assert_int_equal(g.n, 3);

	assert_int_equal(g.rec[0].kind, HQ_RTNL_ADDR);
	assert_true(g.rec[0].addr.has_local && g.rec[0].addr.has_broadcast);
	assert_string_equal(g.rec[0].addr.label, "hqv0:al");
	inet_ntop(AF_INET, g.rec[0].addr.broadcast, buf, sizeof(buf));
	assert_string_equal(buf, "10.77.0.255");

	assert_int_equal(g.rec[1].kind, HQ_RTNL_ROUTE);
	assert_int_equal(g.rec[1].route.priority, 55);
	assert_int_equal(g.rec[1].route.oif, 3);
	assert_int_equal(g.rec[1].route.table, 100);
	assert_int_equal(g.rec[1].route.mtu, 1300);
	assert_false(g.rec[1].route.has_prefsrc);
	inet_ntop(AF_INET6, g.rec[1].route.gateway, buf, sizeof(buf));
	assert_string_equal(buf, "fd77::2");

	assert_int_equal(g.rec[2].kind, HQ_RTNL_NEIGH);
	assert_int_equal(g.rec[2].neigh.state, NUD_PERMANENT);
	assert_int_equal(g.rec[2].neigh.lladdr_len, 6);

	hq_format_prefix_mask(AF_INET, 24, buf, sizeof(buf));
	assert_string_equal(buf, "255.255.255.0");
	hq_format_prefix_mask(AF_INET6, 64, buf, sizeof(buf));
	assert_string_equal(buf, "ffff:ffff:ffff:ffff::");
	hq_format_prefix_mask(AF_INET, 99, buf, sizeof(buf));
	assert_string_equal(buf, "255.255.255.255");
}

static void test_malformed(void **state)
{
	struct ifaddrmsg ifa = {.ifa_family = AF_INET, .ifa_prefixlen = 24, .ifa_index = 3};
	struct nlmsghdr *h;
	struct rtattr *a;
	uint8_t addr[4] = {10, 0, 0, 1};
	msgbuf m = {};
	got g = {};

	h = msg_begin(&m, RTM_NEWADDR, &ifa, sizeof(ifa));
	msg_attr(&m, IFA_ADDRESS, addr, 4);
	msg_end(&m);
	/* attribute longer than its message */
	a = (struct rtattr *)((uint8_t *)NLMSG_DATA(h) + NLMSG_ALIGN(sizeof(ifa)));
	a->rta_len = 200;
	assert_int_equal(hq_rtnl_parse(m.b, m.len, collect, &g), -EBADMSG);
	a->rta_len = 2;
	assert_int_equal(hq_rtnl_parse(m.b, m.len, collect, &g), -EBADMSG);
	a->rta_len = RTA_LENGTH(4);
	/* truncated buffer, header shorter than the family struct */
	assert_int_equal(hq_rtnl_parse(m.b, m.len - 4, collect, &g), -EBADMSG);
	h->nlmsg_len = NLMSG_LENGTH(2);
	assert_int_equal(hq_rtnl_parse(m.b, m.len, collect, &g), -EBADMSG);
	/* other families are skipped */
	h->nlmsg_len = NLMSG_LENGTH(sizeof(ifa)) + RTA_SPACE(4);
	((struct ifaddrmsg *)NLMSG_DATA(h))->ifa_family = AF_PACKET;
	assert_int_equal(hq_rtnl_parse(m.b, m.len, collect, &g), 0);
	assert_int_equal(g.n, 0);
	/* NLMSG_ERROR */
	memset(m.b, 0, sizeof(m.b));
	h->nlmsg_type = NLMSG_ERROR;
	h->nlmsg_len = NLMSG_LENGTH(sizeof(struct nlmsgerr));
	((struct nlmsgerr *)NLMSG_DATA(h))->error = -EPERM;
	assert_int_equal(hq_rtnl_parse(m.b, h->nlmsg_len, collect, &g), -EPERM);
	h->nlmsg_type = NLMSG_DONE;
	assert_int_equal(hq_rtnl_parse(m.b, h->nlmsg_len, collect, &g), 1);
}

static void test_live_links(void **state)
{
	hq_rtnl_links links;
	const hq_rtnl_link *lo;
	int r;

	r = hq_rtnl_links_load(&links);
	if (r == -EPROTONOSUPPORT || r == -EAFNOSUPPORT)
		skip();
	assert_int_equal(r, 0);
	lo = hq_rtnl_links_find(&links, (int)if_nametoindex("lo"));
	assert_non_null(lo);
	assert_string_equal(lo->name, "lo");
	assert_true(lo->flags & IFF_LOOPBACK);
	assert_null(hq_rtnl_links_find(&links, -5));
	hq_rtnl_links_done(&links);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_link),
		cmocka_unit_test(test_addr_route_neigh),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_live_links),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
