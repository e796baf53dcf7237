/* Unit tests for the saved Wi-Fi network parsers (tables/lib/wifi_config.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "lib/wifi_config.h"

static void assert_ssid(const hq_wifi_network *n, const char *expected)
{
	assert_int_equal(n->ssid_len, strlen(expected));
	assert_memory_equal(n->ssid, expected, n->ssid_len);
}

static void test_ssid_hex(void **state)
{
	char out[HQ_WIFI_SSID_HEX_MAX];
	uint8_t full[32];

	hq_wifi_ssid_hex((const uint8_t *)"MyNet", 5, out);
	assert_string_equal(out, "4d794e65 74");
	hq_wifi_ssid_hex((const uint8_t *)"abcd", 4, out);
	assert_string_equal(out, "61626364");
	hq_wifi_ssid_hex(NULL, 0, out);
	assert_string_equal(out, "");
	memset(full, 0xab, sizeof(full));
	hq_wifi_ssid_hex(full, sizeof(full), out);
	assert_int_equal(strlen(out), HQ_WIFI_SSID_HEX_MAX - 1);
}

static void test_ssid_text(void **state)
{
	char out[HQ_WIFI_SSID_TEXT_MAX];
	uint8_t worst[32];

	hq_wifi_ssid_text((const uint8_t *)"Caf\xc3\xa9 \xe2\x98\x95", 9, out);
	assert_string_equal(out, "Caf\xc3\xa9 \xe2\x98\x95");
	/* Control bytes, invalid and truncated sequences, overlong and surrogate forms. */
	hq_wifi_ssid_text((const uint8_t *)"A\x00"
					   "B\x7f\xff\xc3",
			  6, out);
	assert_string_equal(out, "A\\x00B\\x7f\\xff\\xc3");
	hq_wifi_ssid_text((const uint8_t *)"\xc0\xaf\xed\xa0\x80", 5, out);
	assert_string_equal(out, "\\xc0\\xaf\\xed\\xa0\\x80");
	memset(worst, 0x01, sizeof(worst));
	hq_wifi_ssid_text(worst, sizeof(worst), out);
	assert_int_equal(strlen(out), HQ_WIFI_SSID_TEXT_MAX - 1);
}

static void test_nm_ssid_decode(void **state)
{
	uint8_t ssid[HQ_WIFI_SSID_MAX];
	size_t len = 0;

	assert_int_equal(hq_nm_ssid_decode("72;111;109;101;", ssid, &len), 0);
	assert_int_equal(len, 4);
	assert_memory_equal(ssid, "Home", 4);
	assert_int_equal(hq_nm_ssid_decode(" 0 ; 255;", ssid, &len), 0);
	assert_int_equal(len, 2);
	assert_int_equal(ssid[0], 0);
	assert_int_equal(ssid[1], 255);
	/* Not an integer list: taken as text. */
	assert_int_equal(hq_nm_ssid_decode("256;", ssid, &len), 0);
	assert_int_equal(len, 4);
	assert_int_equal(hq_nm_ssid_decode("12", ssid, &len), 0);
	assert_memory_equal(ssid, "12", 2);
	assert_int_equal(hq_nm_ssid_decode("1;2", ssid, &len), 0);
	assert_int_equal(len, 3);
	assert_int_equal(hq_nm_ssid_decode("a\\;b", ssid, &len), 0);
	assert_int_equal(len, 3);
	assert_memory_equal(ssid, "a;b", 3);
	assert_int_equal(hq_nm_ssid_decode("", ssid, &len), -EINVAL);
	assert_int_equal(hq_nm_ssid_decode(NULL, ssid, &len), -EINVAL);
	assert_int_equal(hq_nm_ssid_decode("0123456789012345678901234567890123", ssid, &len),
			 -EINVAL);
	assert_int_equal(
		hq_nm_ssid_decode("1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;"
				  "1;1;",
				  ssid, &len),
		-EINVAL);
}

static hq_keyfile *kf_parse(const char *s)
{
	hq_keyfile *kf = NULL;
	assert_int_equal(hq_keyfile_parse(s, strlen(s), &kf), 0);
	return kf;
}

static void test_nm_profiles(void **state)
{
	_cleanup_(hq_keyfile_freep) hq_keyfile *psk = kf_parse(
		"[connection]\nid=H\nuuid=u-1\ntype=wifi\ntimestamp=123\n[wifi]\nssid=HomeNet\n"
		"[wifi-security]\nkey-mgmt=wpa-psk\npsk=secret\n");
	_cleanup_(hq_keyfile_freep) hq_keyfile *open =
		kf_parse("[connection]\ntype=802-11-wireless\nautoconnect=false\n"
			 "[802-11-wireless]\nssid=Cafe\nhidden=true\n");
	_cleanup_(hq_keyfile_freep) hq_keyfile *wep = kf_parse(
		"[connection]\ntype=wifi\n[wifi]\nssid=W\n[wifi-security]\nkey-mgmt=none\n");
	_cleanup_(hq_keyfile_freep) hq_keyfile *eth = kf_parse("[connection]\ntype=ethernet\n");
	_cleanup_(hq_keyfile_freep) hq_keyfile *nossid =
		kf_parse("[connection]\ntype=wifi\n[wifi]\nmode=ap\n");
	_cleanup_(hq_keyfile_freep) hq_keyfile *odd = kf_parse(
		"[connection]\ntype=wifi\n[wifi]\nssid=X\n[wifi-security]\nkey-mgmt=wpa-future\n");
	hq_wifi_network n;

	assert_int_equal(hq_nm_wifi_from_keyfile(psk, &n), 0);
	assert_ssid(&n, "HomeNet");
	assert_string_equal(hq_wifi_security_label(&n), "WPA2 Personal");
	assert_string_equal(n.uuid, "u-1");
	assert_int_equal(n.timestamp, 123);
	assert_int_equal(n.auto_join, 1);
	assert_int_equal(n.hidden, 0);
	assert_int_equal(n.disabled, -1);

	assert_int_equal(hq_nm_wifi_from_keyfile(open, &n), 0);
	assert_ssid(&n, "Cafe");
	assert_string_equal(hq_wifi_security_label(&n), "Open");
	assert_int_equal(n.auto_join, 0);
	assert_int_equal(n.hidden, 1);
	assert_string_equal(n.uuid, "");

	assert_int_equal(hq_nm_wifi_from_keyfile(wep, &n), 0);
	assert_string_equal(hq_wifi_security_label(&n), "WEP");
	assert_int_equal(hq_nm_wifi_from_keyfile(odd, &n), 0);
	assert_string_equal(hq_wifi_security_label(&n), "Unknown");

	assert_int_equal(hq_nm_wifi_from_keyfile(eth, &n), -ENOMSG);
	assert_int_equal(hq_nm_wifi_from_keyfile(nossid, &n), -EINVAL);
}

static void test_security_labels(void **state)
{
	static const struct {
		unsigned km, proto;
		bool wep;
		const char *label;
	} cases[] = {
		{0, 0, false, "Unknown"},
		{HQ_WIFI_KM_NONE, 0, false, "Open"},
		{HQ_WIFI_KM_NONE, 0, true, "WEP"},
		{HQ_WIFI_KM_IEEE8021X, 0, false, "Dynamic WEP"},
		{HQ_WIFI_KM_PSK, HQ_WIFI_PROTO_WPA, false, "WPA Personal"},
		{HQ_WIFI_KM_PSK, HQ_WIFI_PROTO_WPA | HQ_WIFI_PROTO_RSN, false,
		 "WPA Personal Mixed"},
		{HQ_WIFI_KM_PSK, HQ_WIFI_PROTO_RSN, false, "WPA2 Personal"},
		{HQ_WIFI_KM_PSK, 0, false, "WPA2 Personal"},
		{HQ_WIFI_KM_SAE, 0, false, "WPA3 Personal"},
		{HQ_WIFI_KM_SAE | HQ_WIFI_KM_PSK, 0, false, "WPA3 Transition"},
		{HQ_WIFI_KM_EAP, HQ_WIFI_PROTO_WPA, false, "WPA Enterprise"},
		{HQ_WIFI_KM_EAP, 0, false, "WPA2 Enterprise"},
		{HQ_WIFI_KM_EAP_SUITE_B, 0, false, "WPA3 Enterprise"},
		{HQ_WIFI_KM_OWE, 0, false, "OWE"},
		{HQ_WIFI_KM_OTHER, 0, false, "Unknown"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		hq_wifi_network n = {
			.key_mgmt = cases[i].km, .proto = cases[i].proto, .wep_keys = cases[i].wep};
		assert_string_equal(hq_wifi_security_label(&n), cases[i].label);
	}
}

static void test_wpa_conf(void **state)
{
	static const char conf[] =
		"ctrl_interface=/run/wpa_supplicant\n"
		"network={\n"
		"\tssid=\"Home Net\"\n"
		"\t#psk=\"plain\"\n"
		"\tpsk=0011223344556677889900112233445566778899001122334455667788990011\n"
		"}\n"
		"network={\n"
		"  ssid=\"Hash#Inside\"  # trailing comment\n"
		"  key_mgmt=NONE\n"
		"  disabled=1\n"
		"  scan_ssid=1\n"
		"}\n"
		"network={\n"
		"\tssid=556e69636f6465e29895\n"
		"\tkey_mgmt=WPA-EAP FT-EAP\n"
		"\tproto=WPA\n"
		"}\n"
		"network={\n"
		"\tssid=P\"a\\\\b\\\"c\\x41\\101\\n\"\n"
		"\tkey_mgmt=NONE\n"
		"\twep_key1=\"abcde\"\n"
		"}\n"
		"cred={\n\trealm=\"x\"\n\tssid=\"NotANetwork\"\n}\n"
		"network={\n\tkey_mgmt=NONE\n}\n"				/* no ssid */
		"network={\n\tssid=abc\n}\n"					/* odd hex */
		"network={\n\tssid=\"\"\n}\n"					/* empty */
		"network={\n\tssid=\"0123456789012345678901234567890123\"\n}\n" /* > 32 */
		"network={\n\tssid=\"Dangling\"\n";				/* unterminated */
	_cleanup_free_ hq_wifi_network *nets = NULL;
	int n;

	n = hq_wpa_conf_parse(conf, sizeof(conf) - 1, &nets);
	assert_int_equal(n, 4);

	assert_ssid(&nets[0], "Home Net");
	assert_string_equal(hq_wifi_security_label(&nets[0]), "WPA2 Personal");
	assert_int_equal(nets[0].disabled, 0);
	assert_int_equal(nets[0].auto_join, 1);
	assert_int_equal(nets[0].hidden, 0);

	assert_ssid(&nets[1], "Hash#Inside");
	assert_string_equal(hq_wifi_security_label(&nets[1]), "Open");
	assert_int_equal(nets[1].disabled, 1);
	assert_int_equal(nets[1].auto_join, 0);
	assert_int_equal(nets[1].hidden, 1);

	assert_ssid(&nets[2], "Unicode\xe2\x98\x95");
	assert_string_equal(hq_wifi_security_label(&nets[2]), "WPA Enterprise");

	assert_ssid(&nets[3], "a\\b\"cAA\n");
	assert_string_equal(hq_wifi_security_label(&nets[3]), "WEP");
}

static void test_wpa_conf_defaults_and_empty(void **state)
{
	static const char eap[] = "network={\nssid=\"E\"\neap=PEAP\nidentity=\"x\"\n}\n";
	static const char none[] = "network={\nssid=\"N\"\n}\n";
	_cleanup_free_ hq_wifi_network *a = NULL, *b = NULL, *c = NULL;

	/* Without key_mgmt the default "WPA-PSK WPA-EAP" applies: credentials decide. */
	assert_int_equal(hq_wpa_conf_parse(eap, sizeof(eap) - 1, &a), 1);
	assert_string_equal(hq_wifi_security_label(&a[0]), "WPA2 Enterprise");
	assert_int_equal(hq_wpa_conf_parse(none, sizeof(none) - 1, &b), 1);
	assert_string_equal(hq_wifi_security_label(&b[0]), "Unknown");
	assert_int_equal(hq_wpa_conf_parse("", 0, &c), 0);
	assert_null(c);
}

static void test_iwd_names(void **state)
{
	hq_wifi_network n;

	assert_int_equal(hq_iwd_name_decode("Home Net.psk", &n), 0);
	assert_ssid(&n, "Home Net");
	assert_string_equal(hq_wifi_security_label(&n), "WPA2 Personal");

	assert_int_equal(hq_iwd_name_decode("Cafe_Free-WiFi.open", &n), 0);
	assert_ssid(&n, "Cafe_Free-WiFi");
	assert_string_equal(hq_wifi_security_label(&n), "Open");

	assert_int_equal(hq_iwd_name_decode("=556e69636f6465e29895.8021x", &n), 0);
	assert_ssid(&n, "Unicode\xe2\x98\x95");
	assert_string_equal(hq_wifi_security_label(&n), "WPA2 Enterprise");

	assert_int_equal(hq_iwd_name_decode("notes.txt", &n), -ENOMSG);
	assert_int_equal(hq_iwd_name_decode(".psk", &n), -ENOMSG);
	assert_int_equal(hq_iwd_name_decode("bad.name.psk", &n), -EINVAL);
	assert_int_equal(hq_iwd_name_decode("=abc.psk", &n), -EINVAL);
	assert_int_equal(hq_iwd_name_decode("=zz.psk", &n), -EINVAL);
	assert_int_equal(hq_iwd_name_decode("=.psk", &n), -EINVAL);
	assert_int_equal(
		hq_iwd_name_decode(
			"=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20.psk",
			&n),
		-EINVAL);
	assert_int_equal(hq_iwd_name_decode("0123456789012345678901234567890123.psk", &n), -EINVAL);
	assert_int_equal(hq_iwd_name_decode(NULL, &n), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ssid_hex),
		cmocka_unit_test(test_ssid_text),
		cmocka_unit_test(test_nm_ssid_decode),
		cmocka_unit_test(test_nm_profiles),
		cmocka_unit_test(test_security_labels),
		cmocka_unit_test(test_wpa_conf),
		cmocka_unit_test(test_wpa_conf_defaults_and_empty),
		cmocka_unit_test(test_iwd_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
