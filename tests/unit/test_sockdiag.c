/* Unit tests for the sock_diag and /proc/net parsers (tables/lib/sockdiag.c), plus one live
 * dump of a listener this test opens. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/sockdiag.h"

typedef struct collected {
	hq_sock_record rec[8];
	int n;
} collected;

static int collect(const hq_sock_record *rec, void *userdata)
{
	collected *c = userdata;

	if (c->n < 8)
		c->rec[c->n++] = *rec;
	return 0;
}

static size_t put_inet(uint8_t *buf, int family, int state, uint16_t sport, const void *src,
		       uint32_t inode)
{
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	struct inet_diag_msg *m = NLMSG_DATA(h);

	memset(buf, 0, NLMSG_SPACE(sizeof(*m)));
	h->nlmsg_len = NLMSG_LENGTH(sizeof(*m));
	h->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	m->idiag_family = (uint8_t)family;
	m->idiag_state = (uint8_t)state;
	m->id.idiag_sport = htons(sport);
	memcpy(m->id.idiag_src, src, family == AF_INET ? 4 : 16);
	m->idiag_inode = inode;
	m->idiag_uid = 1000;
	return NLMSG_SPACE(sizeof(*m));
}

static size_t put_done(uint8_t *buf)
{
	struct nlmsghdr *h = (struct nlmsghdr *)buf;

	memset(buf, 0, NLMSG_SPACE(sizeof(int)));
	h->nlmsg_len = NLMSG_LENGTH(sizeof(int));
	h->nlmsg_type = NLMSG_DONE;
	return NLMSG_SPACE(sizeof(int));
}

static void test_inet_records(void **state)
{
	static uint8_t buf[4096];
	struct in_addr a4;
	struct in6_addr a6;
	collected c = {};
	char addr[64];
	size_t len = 0;

	inet_pton(AF_INET, "127.0.0.1", &a4);
	inet_pton(AF_INET6, "::1", &a6);
	len += put_inet(buf + len, AF_INET, 10, 18080, &a4, 4242);
	len += put_inet(buf + len, AF_INET6, 7, 15353, &a6, 4343);
	assert_int_equal(hq_sockdiag_parse(buf, len, IPPROTO_TCP, collect, &c), 0);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.rec[0].family, AF_INET);
	assert_int_equal(c.rec[0].protocol, IPPROTO_TCP);
	assert_int_equal(c.rec[0].sport, 18080);
	assert_int_equal(c.rec[0].inode, 4242);
	assert_int_equal(c.rec[0].uid, 1000);
	assert_string_equal(hq_tcp_state_name(c.rec[0].state), "LISTEN");
	hq_sock_format_addr(c.rec[0].family, c.rec[0].src, addr, sizeof(addr));
	assert_string_equal(addr, "127.0.0.1");
	hq_sock_format_addr(c.rec[1].family, c.rec[1].src, addr, sizeof(addr));
	assert_string_equal(addr, "::1");
	assert_string_equal(hq_tcp_state_name(c.rec[1].state), "CLOSE");
	assert_string_equal(hq_tcp_state_name(0), "UNKNOWN");
	assert_string_equal(hq_tcp_state_name(12), "UNKNOWN");
	assert_string_equal(hq_tcp_state_name(-3), "UNKNOWN");

	/* DONE ends the dump */
	c.n = 0;
	len += put_done(buf + len);
	assert_int_equal(hq_sockdiag_parse(buf, len, IPPROTO_TCP, collect, &c), 1);
	assert_int_equal(c.n, 2);
}

static void test_malformed(void **state)
{
	static uint8_t buf[4096];
	struct in6_addr a4 = {};
	collected c = {};
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	size_t len = put_inet(buf, AF_INET, 10, 1, &a4, 1);

	/* truncated buffer, bogus lengths, short payload */
	assert_int_equal(hq_sockdiag_parse(buf, len - 8, IPPROTO_TCP, collect, &c), -EBADMSG);
	assert_int_equal(hq_sockdiag_parse(buf, 8, IPPROTO_TCP, collect, &c), -EBADMSG);
	h->nlmsg_len = 4;
	assert_int_equal(hq_sockdiag_parse(buf, len, IPPROTO_TCP, collect, &c), -EBADMSG);
	h->nlmsg_len = NLMSG_LENGTH(8);
	assert_int_equal(hq_sockdiag_parse(buf, len, IPPROTO_TCP, collect, &c), -EBADMSG);
	/* an unknown family in an inet reply */
	len = put_inet(buf, 99, 10, 1, &a4, 1);
	assert_int_equal(hq_sockdiag_parse(buf, len, IPPROTO_TCP, collect, &c), -EBADMSG);
	assert_int_equal(c.n, 0);

	/* NLMSG_ERROR carries the kernel's errno */
	memset(buf, 0, sizeof(buf));
	h->nlmsg_len = NLMSG_LENGTH(sizeof(struct nlmsgerr));
	h->nlmsg_type = NLMSG_ERROR;
	((struct nlmsgerr *)NLMSG_DATA(h))->error = -ENOENT;
	assert_int_equal(hq_sockdiag_parse(buf, h->nlmsg_len, IPPROTO_RAW, collect, &c), -ENOENT);
	h->nlmsg_len = NLMSG_LENGTH(2);
	assert_int_equal(hq_sockdiag_parse(buf, h->nlmsg_len, IPPROTO_RAW, collect, &c), -EBADMSG);
	assert_int_equal(hq_sockdiag_parse(buf, 0, IPPROTO_RAW, collect, &c), 0);
}

static size_t put_unix(uint8_t *buf, const char *name, size_t nlen, uint32_t ino, int attr_len)
{
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	struct unix_diag_msg *m = NLMSG_DATA(h);
	struct rtattr *a = (struct rtattr *)((uint8_t *)m + NLMSG_ALIGN(sizeof(*m)));
	size_t len;

	memset(buf, 0, 512);
	m->udiag_family = AF_UNIX;
	m->udiag_type = SOCK_STREAM;
	m->udiag_state = 10;
	m->udiag_ino = ino;
	a->rta_type = UNIX_DIAG_NAME;
	a->rta_len = attr_len >= 0 ? (unsigned short)attr_len : (unsigned short)RTA_LENGTH(nlen);
	memcpy(RTA_DATA(a), name, nlen);
	len = NLMSG_ALIGN(sizeof(*m)) + RTA_SPACE(nlen);
	h->nlmsg_len = (uint32_t)NLMSG_LENGTH(len);
	h->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	return NLMSG_ALIGN(h->nlmsg_len);
}

static void test_unix_records(void **state)
{
	static uint8_t buf[2048];
	collected c = {};
	size_t len = 0;

	len += put_unix(buf + len, "/run/test.sock", 14, 77, -1);
	len += put_unix(buf + len, "\0abstract\0x", 11, 78, -1);
	assert_int_equal(hq_sockdiag_parse(buf, len, 0, collect, &c), 0);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.rec[0].family, AF_UNIX);
	assert_int_equal(c.rec[0].type, SOCK_STREAM);
	assert_int_equal(c.rec[0].inode, 77);
	assert_string_equal(c.rec[0].path, "/run/test.sock");
	assert_string_equal(c.rec[1].path, "@abstract@x");

	/* an attribute longer than the message */
	len = put_unix(buf, "/x", 2, 1, 400);
	assert_int_equal(hq_sockdiag_parse(buf, len, 0, collect, &c), -EBADMSG);
}

static void test_procnet(void **state)
{
	const char tcp[] =
		"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
		"timeout inode\n"
		"   0: 0100007F:46A0 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0 "
		"       0 31337 1 0000000000000000 100 0 0 10 0\n"
		"   1: garbage\n";
	const char tcp6[] =
		"  sl  local_address                         remote_address                        st "
		"tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
		"   0: 00000000000000000000000001000000:480B 00000000000000000000000000000000:0000 "
		"0A 00000000:00000000 00:00000000 00000000   100        0 4444 1 0 100 0 0 10 0\n";
	const char unx[] =
		"Num       RefCount Protocol Flags    Type St Inode Path\n"
		"0000000000000000: 00000002 00000000 00010000 0001 01 5555 /run/a b.sock\n"
		"0000000000000000: 00000002 00000000 00000000 0002 01 5556\n"
		"0000000000000000: 00000003 00000000 00000000 0001 03 5557 @abs\n";
	collected c = {};
	char addr[64];

	assert_int_equal(
		hq_procnet_parse_inet(tcp, sizeof(tcp) - 1, AF_INET, IPPROTO_TCP, collect, &c), 0);
	assert_int_equal(c.n, 1);
	hq_sock_format_addr(AF_INET, c.rec[0].src, addr, sizeof(addr));
	assert_string_equal(addr, "127.0.0.1");
	assert_int_equal(c.rec[0].sport, 18080);
	assert_int_equal(c.rec[0].state, 10);
	assert_int_equal(c.rec[0].inode, 31337);

	c.n = 0;
	assert_int_equal(
		hq_procnet_parse_inet(tcp6, sizeof(tcp6) - 1, AF_INET6, IPPROTO_TCP, collect, &c),
		0);
	assert_int_equal(c.n, 1);
	hq_sock_format_addr(AF_INET6, c.rec[0].src, addr, sizeof(addr));
	assert_string_equal(addr, "::1");
	assert_int_equal(c.rec[0].sport, 18443);
	assert_int_equal(c.rec[0].uid, 100);

	const char pkt[] = "sk               RefCnt Type Proto  Iface R Rmem   User   Inode\n"
			   "ffff88810a1b2c00 3      3    0003   2     1 0      0      7777\n"
			   "ffff88810a1b2c01 3      2    88cc   0     1 0      0      7778\n"
			   "short line\n";

	c.n = 0;
	assert_int_equal(hq_procnet_parse_packet(pkt, sizeof(pkt) - 1, collect, &c), 0);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.rec[0].family, 17);
	assert_int_equal(c.rec[0].protocol, 3);
	assert_int_equal(c.rec[1].protocol, 0x88cc);
	assert_int_equal(c.rec[1].inode, 7778);

	c.n = 0;
	assert_int_equal(hq_procnet_parse_unix(unx, sizeof(unx) - 1, collect, &c), 0);
	assert_int_equal(c.n, 3);
	assert_string_equal(c.rec[0].path, "/run/a b.sock");
	assert_int_equal(c.rec[0].state, 10);
	assert_int_equal(c.rec[1].type, SOCK_DGRAM);
	assert_string_equal(c.rec[1].path, "");
	assert_int_equal(c.rec[1].state, 7);
	assert_string_equal(c.rec[2].path, "@abs");
	assert_int_equal(c.rec[2].state, 1);
}

typedef struct find_ctx {
	uint64_t inode;
	int found;
	uint16_t port;
} find_ctx;

static int find_inode(const hq_sock_record *rec, void *userdata)
{
	find_ctx *f = userdata;

	if (rec->inode == f->inode) {
		f->found++;
		f->port = rec->sport;
	}
	return 0;
}

static void test_live_dump(void **state)
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t sl = sizeof(sin);
	struct stat st;
	find_ctx f = {};
	int s, r;

	s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		skip();
	assert_int_equal(bind(s, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(listen(s, 1), 0);
	assert_int_equal(getsockname(s, (struct sockaddr *)&sin, &sl), 0);
	assert_int_equal(fstat(s, &st), 0);
	f.inode = st.st_ino;
	r = hq_sockdiag_dump(-1, AF_INET, IPPROTO_TCP, 1u << 10, find_inode, &f);
	if (r == -EPROTONOSUPPORT || r == -EAFNOSUPPORT || r == -EACCES) {
		close(s);
		skip();
	}
	assert_int_equal(r, 0);
	assert_int_equal(f.found, 1);
	assert_int_equal(f.port, ntohs(sin.sin_port));
	close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inet_records), cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_unix_records), cmocka_unit_test(test_procnet),
		cmocka_unit_test(test_live_dump),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
