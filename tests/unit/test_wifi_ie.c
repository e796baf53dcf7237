/* Unit tests for the 802.11 information element parser (tables/lib/wifi_ie.c). The element
 * bytes follow what hostapd announces (compare `iw dev X scan dump` output). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "lib/wifi_ie.h"

static const char *label(const hq_wifi_ies *ies, bool privacy)
{
	hq_wifi_network n;
	hq_wifi_ies_to_network(ies, privacy, &n);
	return hq_wifi_security_label(&n);
}

static void test_open_bss(void **state)
{
	/* SSID "RP-Open", supported rates, DS parameter set (channel 1). */
	static const uint8_t ies_buf[] = {0, 7, 'R',  'P',  '-',  'O',	'p', 'e', 'n',
					  1, 4, 0x82, 0x84, 0x8b, 0x96, 3,   1,	  1};
	hq_wifi_ies ies;

	assert_int_equal(hq_wifi_ies_parse(ies_buf, sizeof(ies_buf), &ies), 0);
	assert_true(ies.has_ssid);
	assert_int_equal(ies.ssid_len, 7);
	assert_memory_equal(ies.ssid, "RP-Open", 7);
	assert_string_equal(ies.country, "");
	assert_string_equal(label(&ies, false), "Open");
	assert_string_equal(label(&ies, true), "WEP");
	assert_int_equal(hq_wifi_ies_channel_width(&ies), 20);
}

static void test_wpa2_psk_country_ht40(void **state)
{
	static const uint8_t ies_buf[] =
		{
			0,    7,    'R',  'P',	'-',  'W', 'P', 'A', '2', 7, 6, 'D',
			'E',  ' ',  1,	  13,	20,	 /* country DE */
			48,   20,   1,	  0,		 /* RSN v1 */
			0x00, 0x0f, 0xac, 4,		 /* group CCMP */
			1,    0,    0x00, 0x0f, 0xac, 4, /* pairwise CCMP */
			1,    0,    0x00, 0x0f, 0xac, 2, /* AKM PSK */
			0,    0,			 /* capabilities */
			61,   22,   6,	  0x05, 0,    0,   0,	0,   0,	  0, 0, 0,
			0,    0,    0,	  0,	0,    0,   0,	0,   0,	  0, 0, 0,
		};
	hq_wifi_ies ies;

	assert_int_equal(hq_wifi_ies_parse(ies_buf, sizeof(ies_buf), &ies), 0);
	assert_string_equal(ies.country, "DE");
	assert_int_equal(ies.proto, HQ_WIFI_PROTO_RSN);
	assert_int_equal(ies.key_mgmt, HQ_WIFI_KM_PSK);
	assert_string_equal(label(&ies, true), "WPA2 Personal");
	assert_int_equal(hq_wifi_ies_channel_width(&ies), 40);
}

static void test_wpa_mixed_and_sae_transition(void **state)
{
	static const uint8_t mixed[] = {
		0, 1,	 'M',  48,   18, 1,   0,  0x00, 0x0f, 0xac, 4, 1, 0, 0x00, 0x0f, 0xac, 4, 1,
		0, 0x00, 0x0f, 0xac, 2,	 221, 22, 0x00, 0x50, 0xf2, 1, 1, 0, 0x00, 0x50, 0xf2, 2, 1,
		0, 0x00, 0x50, 0xf2, 2,	 1,   0,  0x00, 0x50, 0xf2, 2,
	};
	static const uint8_t transition[] = {
		0,    1,    'T', 48, 22, 1,    0,    0x00, 0x0f, 0xac, 4,    1,	   0, 0x00,
		0x0f, 0xac, 4,	 2,  0,	 0x00, 0x0f, 0xac, 2,	 0x00, 0x0f, 0xac, 8,
	};
	static const uint8_t enterprise[] = {
		48,   18,   1,	  0, 0x00, 0x0f, 0xac, 4,    1,	   0,
		0x00, 0x0f, 0xac, 4, 1,	   0,	 0x00, 0x0f, 0xac, 1,
	};
	static const uint8_t rsn_no_akm[] = {48, 6, 1, 0, 0x00, 0x0f, 0xac, 4};
	hq_wifi_ies ies;

	assert_int_equal(hq_wifi_ies_parse(mixed, sizeof(mixed), &ies), 0);
	assert_int_equal(ies.proto, HQ_WIFI_PROTO_RSN | HQ_WIFI_PROTO_WPA);
	assert_string_equal(label(&ies, true), "WPA Personal Mixed");
	assert_int_equal(hq_wifi_ies_parse(transition, sizeof(transition), &ies), 0);
	assert_string_equal(label(&ies, true), "WPA3 Transition");
	assert_int_equal(hq_wifi_ies_parse(enterprise, sizeof(enterprise), &ies), 0);
	assert_string_equal(label(&ies, true), "WPA2 Enterprise");
	assert_int_equal(hq_wifi_ies_channel_width(&ies), -1);
	assert_int_equal(hq_wifi_ies_parse(rsn_no_akm, sizeof(rsn_no_akm), &ies), 0);
	assert_string_equal(label(&ies, true), "WPA2 Enterprise");
}

static void test_vht_widths(void **state)
{
	uint8_t buf[] = {192, 5, 1, 42, 0, 0, 0};
	hq_wifi_ies ies;

	assert_int_equal(hq_wifi_ies_parse(buf, sizeof(buf), &ies), 0);
	assert_int_equal(hq_wifi_ies_channel_width(&ies), 80);
	buf[4] = 50; /* CCFS1 8 channels from CCFS0: 160 MHz */
	assert_int_equal(hq_wifi_ies_parse(buf, sizeof(buf), &ies), 0);
	assert_int_equal(hq_wifi_ies_channel_width(&ies), 160);
	buf[2] = 2;
	buf[4] = 0;
	assert_int_equal(hq_wifi_ies_parse(buf, sizeof(buf), &ies), 0);
	assert_int_equal(hq_wifi_ies_channel_width(&ies), 160);
}

static void test_truncated_and_bogus(void **state)
{
	/* An element running past the end stops the walk; earlier ones are kept. */
	static const uint8_t cut[] = {0, 2, 'O', 'K', 48, 30, 1, 0};
	/* An RSN element whose counts lie about the lengths. */
	static const uint8_t lying[] = {48, 10, 1, 0, 0x00, 0x0f, 0xac, 4, 0xff, 0xff, 0, 0};
	static const uint8_t long_ssid[] = {0,	 33,  'x', 'x', 'x', 'x', 'x', 'x', 'x',
					    'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x',
					    'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x',
					    'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x'};
	static const uint8_t bad_country[] = {7, 3, 'd', 'e', ' '};
	hq_wifi_ies ies;

	assert_int_equal(hq_wifi_ies_parse(cut, sizeof(cut), &ies), 0);
	assert_true(ies.has_ssid);
	assert_int_equal(ies.proto, 0);
	assert_int_equal(hq_wifi_ies_parse(lying, sizeof(lying), &ies), 0);
	assert_int_equal(ies.proto, HQ_WIFI_PROTO_RSN);
	assert_int_equal(hq_wifi_ies_parse(long_ssid, sizeof(long_ssid), &ies), 0);
	assert_false(ies.has_ssid);
	assert_int_equal(hq_wifi_ies_parse(bad_country, sizeof(bad_country), &ies), 0);
	assert_string_equal(ies.country, "");
	assert_int_equal(hq_wifi_ies_parse(NULL, 0, &ies), 0);
	assert_int_equal(hq_wifi_ies_parse(NULL, 1, &ies), -EINVAL);
	assert_int_equal(hq_wifi_ies_parse(cut, 1, &ies), 0);
	assert_false(ies.has_ssid);
}

static void test_channels(void **state)
{
	assert_int_equal(hq_wifi_freq_to_channel(2412), 1);
	assert_int_equal(hq_wifi_freq_to_channel(2437), 6);
	assert_int_equal(hq_wifi_freq_to_channel(2484), 14);
	assert_int_equal(hq_wifi_freq_to_channel(5180), 36);
	assert_int_equal(hq_wifi_freq_to_channel(5825), 165);
	assert_int_equal(hq_wifi_freq_to_channel(5955), 1);
	assert_int_equal(hq_wifi_freq_to_channel(60480), -1);
	assert_int_equal(hq_wifi_freq_to_band(2412), 2);
	assert_int_equal(hq_wifi_freq_to_band(5180), 5);
	assert_int_equal(hq_wifi_freq_to_band(5955), 6);
	assert_int_equal(hq_wifi_freq_to_band(900), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_bss),
		cmocka_unit_test(test_wpa2_psk_country_ht40),
		cmocka_unit_test(test_wpa_mixed_and_sae_transition),
		cmocka_unit_test(test_vht_widths),
		cmocka_unit_test(test_truncated_and_bogus),
		cmocka_unit_test(test_channels),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
