/* A parser for 802.11 information elements, as nl80211 hands them over for each BSS of a scan
 * (NL80211_BSS_INFORMATION_ELEMENTS): the SSID, the country, the security suites of the RSN and
 * WPA elements and the channel width of the HT/VHT operation elements. Pure: takes a buffer,
 * never logs, bounds-checks every element. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/wifi_config.h"

typedef struct hq_wifi_ies {
	uint8_t ssid[HQ_WIFI_SSID_MAX];
	size_t ssid_len;
	bool has_ssid;
	char country[3];   /* two letters, "" when the BSS announces none */
	unsigned key_mgmt; /* HQ_WIFI_KM_* from the RSN/WPA AKM suites */
	unsigned proto;	   /* HQ_WIFI_PROTO_* for each of RSN/WPA present */
	int ht_40;	   /* -1: no HT operation element; 0: 20 MHz; 1: 40 MHz */
	int vht_width;	   /* -1: no VHT operation element; else its channel width field */
	uint8_t vht_ccfs0, vht_ccfs1;
} hq_wifi_ies;

/* Parses len bytes of elements. Malformed trailing data (an element running past the end) ends
 * the walk: what was read before is kept. Returns 0, or -EINVAL for NULL arguments. */
int hq_wifi_ies_parse(const uint8_t *buf, size_t len, hq_wifi_ies *ret);

/* The BSS's channel width in MHz (20, 40, 80, 160), or -1 when the elements tell nothing. */
int hq_wifi_ies_channel_width(const hq_wifi_ies *ies);

/* Fills a network description from the elements and the BSS's privacy capability bit, so
 * hq_wifi_security_label() can name its security. */
void hq_wifi_ies_to_network(const hq_wifi_ies *ies, bool privacy, hq_wifi_network *ret);

/* 802.11 channel number and band (2, 5 or 6 GHz) of a centre frequency in MHz; -1 for either
 * when the frequency is outside those bands. */
int hq_wifi_freq_to_channel(uint32_t freq);
int hq_wifi_freq_to_band(uint32_t freq);
