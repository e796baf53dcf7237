/* Unit tests for the /etc line parsers (tables/lib/etcfiles.c). */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "lib/etcfiles.h"

static hq_slice S(const char *s)
{
	return (hq_slice){s, strlen(s)};
}

static void assert_slice(hq_slice s, const char *want)
{
	if (!want) {
		assert_null(s.p);
		return;
	}
	assert_int_equal(s.n, strlen(want));
	assert_memory_equal(s.p, want, s.n);
}

static void test_services(void **state)
{
	hq_etc_service s;

	assert_int_equal(
		hq_etc_service_parse(S("kerberos\t88/tcp  kerberos5 krb5\t# Kerberos v5 "), &s), 1);
	assert_slice(s.name, "kerberos");
	assert_int_equal(s.port, 88);
	assert_slice(s.protocol, "tcp");
	assert_slice(s.aliases, "kerberos5 krb5");
	assert_slice(s.comment, "Kerberos v5");
	assert_int_equal(hq_etc_service_parse(S("echo 7/udp"), &s), 1);
	assert_slice(s.aliases, "");
	assert_slice(s.comment, NULL);
	assert_int_equal(hq_etc_service_parse(S("# echo 7/udp"), &s), 0);
	assert_int_equal(hq_etc_service_parse(S("echo 7"), &s), 0);
	assert_int_equal(hq_etc_service_parse(S("echo 7/"), &s), 0);
	assert_int_equal(hq_etc_service_parse(S("echo /tcp"), &s), 0);
	assert_int_equal(hq_etc_service_parse(S("echo 70000/tcp"), &s), 0);
	assert_int_equal(hq_etc_service_parse(S(""), &s), 0);
}

static void test_protocols_hosts(void **state)
{
	hq_etc_protocol p;
	hq_etc_host h;

	assert_int_equal(
		hq_etc_protocol_parse(S("ipv6-icmp 58 IPv6-ICMP ICMP6 # ICMP for IPv6"), &p), 1);
	assert_slice(p.name, "ipv6-icmp");
	assert_int_equal(p.number, 58);
	assert_slice(p.alias, "IPv6-ICMP");
	assert_slice(p.comment, "ICMP for IPv6");
	assert_int_equal(hq_etc_protocol_parse(S("x 256"), &p), 0);
	assert_int_equal(hq_etc_protocol_parse(S("x"), &p), 0);

	assert_int_equal(hq_etc_host_parse(S("127.0.1.1\tbox.example.org  box # me"), &h), 1);
	assert_slice(h.address, "127.0.1.1");
	assert_slice(h.hostnames, "box.example.org  box");
	assert_int_equal(hq_etc_host_parse(S("10.0.0.5"), &h), 0);
	assert_int_equal(hq_etc_host_parse(S("  # x y"), &h), 0);
}

static void test_resolv(void **state)
{
	const char txt[] = "nameserver 192.0.2.1\nnameserver fe80::1%eth0\nnameserver bogus\n"
			   "nameserver 192.0.2.2\nnameserver 192.0.2.3\nsearchx no.example\n"
			   "search a b c d e f g\ndomain d.example\n"
			   "sortlist 10.0.0.0 172.16.0.0/255.240.0.0 junk\n"
			   "options rotate edns0foo ndots:1\n";
	hq_resolv_conf rc;
	char buf[64];

	hq_resolv_conf_parse(txt, sizeof(txt) - 1, &rc);
	assert_int_equal(rc.n_ns, 3);
	assert_int_equal(rc.ns[1].family, AF_INET6);
	inet_ntop(AF_INET, rc.ns[2].addr, buf, sizeof(buf));
	assert_string_equal(buf, "192.0.2.2"); /* the 4th is past glibc's limit of 3 */
	assert_int_equal(rc.n_search, 1);      /* the later "domain" line wins */
	assert_slice(rc.search[0], "d.example");
	assert_int_equal(rc.n_sort, 2);
	inet_ntop(AF_INET, rc.sort[0].mask, buf, sizeof(buf));
	assert_string_equal(buf, "255.0.0.0");
	inet_ntop(AF_INET, rc.sort[1].mask, buf, sizeof(buf));
	assert_string_equal(buf, "255.240.0.0");
	/* RES_INIT | RES_DEFAULT | rotate | edns0 (prefix match, as glibc) */
	assert_int_equal(rc.options, 0x1 | 0x2c0 | 0x4000 | 0x100000);

	hq_resolv_conf_parse(NULL, 0, &rc);
	assert_int_equal(rc.n_ns, 1);
	inet_ntop(AF_INET, rc.ns[0].addr, buf, sizeof(buf));
	assert_string_equal(buf, "127.0.0.1");
	assert_int_equal(rc.options, 0x2c1);
	assert_int_equal(rc.n_search, 0);

	const char six[] = "search a b c d e f g h\n";
	hq_resolv_conf_parse(six, sizeof(six) - 1, &rc);
	assert_int_equal(rc.n_search, 6);
	assert_slice(rc.search[5], "f");
}

static void test_lines(void **state)
{
	const char txt[] = "a\n\nb";
	hq_slice l;
	size_t pos = 0;

	assert_true(hq_etc_next_line(txt, 4, &pos, &l));
	assert_slice(l, "a");
	assert_true(hq_etc_next_line(txt, 4, &pos, &l));
	assert_slice(l, "");
	assert_true(hq_etc_next_line(txt, 4, &pos, &l));
	assert_slice(l, "b");
	assert_false(hq_etc_next_line(txt, 4, &pos, &l));
	pos = 0;
	assert_false(hq_etc_next_line(NULL, 0, &pos, &l));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_services),
		cmocka_unit_test(test_protocols_hosts),
		cmocka_unit_test(test_resolv),
		cmocka_unit_test(test_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
