/* A small nl80211 client over generic netlink (libnl-genl-3) for the wifi tables: the wireless
 * interfaces, the cached scan results (NL80211_CMD_GET_SCAN, the BSS list the kernel keeps; no
 * scan is triggered), the station entry of the current AP and the channel surveys (noise).
 * Attribute lengths are checked before use; information elements are copied out for
 * wifi_ie.h. Nothing here logs, except hq/dlopen.h's debug line when libnl is missing. */
#pragma once

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hq/util.h"

typedef struct hq_nl80211 hq_nl80211;

typedef struct hq_nl80211_iface {
	uint32_t ifindex;
	char name[IF_NAMESIZE + 1];
	int iftype;	  /* enum nl80211_iftype, -1 unknown */
	uint32_t freq;	  /* MHz of the operating channel, 0 unknown */
	int width_mhz;	  /* operating channel width, -1 unknown */
	uint8_t ssid[32]; /* the SSID the interface is using (station: connected to) */
	size_t ssid_len;
	bool has_ssid;
} hq_nl80211_iface;

typedef struct hq_nl80211_bss {
	uint8_t bssid[6];
	uint32_t freq;
	int32_t signal_mbm; /* dBm * 100 */
	bool has_signal;
	bool associated;
	uint16_t capability;
	uint8_t *ies; /* owned; NULL when the BSS reported none */
	size_t ies_len;
} hq_nl80211_bss;

typedef struct hq_nl80211_station {
	int signal_dbm;
	bool has_signal;
	uint32_t tx_bitrate; /* units of 100 kbit/s */
	bool has_tx_bitrate;
} hq_nl80211_station;

typedef struct hq_nl80211_survey {
	uint32_t freq;
	int noise_dbm;
	bool has_noise;
	bool in_use;
} hq_nl80211_survey;

/* Loads libnl-3 and libnl-genl-3 (dlopen() on first use, thread-safe). 0, or -EOPNOTSUPP when
 * either library or one of its symbols is missing (the reason is logged at debug level). */
int hq_nl80211_load(void);

/* Connects and resolves the nl80211 family. -EOPNOTSUPP without libnl (hq_nl80211_load()),
 * -ENOENT when the kernel has no nl80211 (no cfg80211: no Wi-Fi support at all), other -errno
 * on socket failures. */
int hq_nl80211_open(hq_nl80211 **ret);
hq_nl80211 *hq_nl80211_close(hq_nl80211 *nl);
HQ_DEFINE_TRIVIAL_CLEANUP_FUNC(hq_nl80211 *, hq_nl80211_close)

/* All wireless interfaces, in the kernel's order. *ret is a new array (caller frees). */
int hq_nl80211_interfaces(hq_nl80211 *nl, hq_nl80211_iface **ret, size_t *ret_n);

/* The cached scan results of an interface; free with hq_nl80211_bss_free(). */
int hq_nl80211_scan_dump(hq_nl80211 *nl, uint32_t ifindex, hq_nl80211_bss **ret, size_t *ret_n);
void hq_nl80211_bss_free(hq_nl80211_bss *bss, size_t n);

/* The station entry for mac on an interface (for a station interface: its AP). */
int hq_nl80211_station_get(hq_nl80211 *nl, uint32_t ifindex, const uint8_t mac[6],
			   hq_nl80211_station *ret);

/* The channel surveys of an interface. *ret is a new array (caller frees). */
int hq_nl80211_surveys(hq_nl80211 *nl, uint32_t ifindex, hq_nl80211_survey **ret, size_t *ret_n);
