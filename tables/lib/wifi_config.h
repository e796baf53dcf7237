/* Saved Wi-Fi networks from Linux configuration files, as pure parsers: NetworkManager keyfile
 * profiles (already split by keyfile.h), wpa_supplicant.conf network blocks and iwd network
 * file names; plus the SSID renderings osquery uses (grouped hex, text) and the security
 * labels of its macOS wifi tables. Secrets (psk, passwords, WEP keys) are only ever tested for
 * presence, never copied out. Nothing here logs or touches files. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/keyfile.h"

#define HQ_WIFI_SSID_MAX 32
/* 32 bytes as 64 hex digits in 8 space-separated groups, plus the NUL. */
#define HQ_WIFI_SSID_HEX_MAX (HQ_WIFI_SSID_MAX * 2 + HQ_WIFI_SSID_MAX / 4)
/* Text rendering: at most 4 bytes of output per input byte ("\xHH"). */
#define HQ_WIFI_SSID_TEXT_MAX (HQ_WIFI_SSID_MAX * 4 + 1)

/* Key management, as a set (a network may allow several). */
enum {
	HQ_WIFI_KM_NONE = 1 << 0, /* open, or static WEP when WEP keys are set */
	HQ_WIFI_KM_PSK = 1 << 1,  /* WPA/WPA2 personal */
	HQ_WIFI_KM_SAE = 1 << 2,  /* WPA3 personal */
	HQ_WIFI_KM_EAP = 1 << 3,  /* WPA/WPA2 enterprise */
	HQ_WIFI_KM_EAP_SUITE_B = 1 << 4,
	HQ_WIFI_KM_IEEE8021X = 1 << 5, /* dynamic WEP */
	HQ_WIFI_KM_OWE = 1 << 6,
	HQ_WIFI_KM_OTHER = 1 << 7,
};

enum {
	HQ_WIFI_PROTO_WPA = 1 << 0,
	HQ_WIFI_PROTO_RSN = 1 << 1,
};

typedef struct hq_wifi_network {
	uint8_t ssid[HQ_WIFI_SSID_MAX];
	size_t ssid_len;
	unsigned key_mgmt; /* HQ_WIFI_KM_*; 0 = not determinable */
	unsigned proto;	   /* HQ_WIFI_PROTO_*; 0 = unspecified (both allowed) */
	bool wep_keys;	   /* static WEP keys are configured */
	int hidden;	   /* 1: probed for by name (hidden SSID); 0 not; -1 unknown */
	int auto_join;	   /* 1/0; -1 unknown */
	int disabled;	   /* 1/0; -1 unknown */
	int64_t timestamp; /* last connection (epoch s) recorded in the profile, 0 if none */
	char uuid[40];	   /* NetworkManager connection UUID, "" otherwise */
} hq_wifi_network;

/* osquery's security_type label for a network: Open, WEP, WPA Personal, WPA Personal Mixed,
 * WPA2 Personal, Dynamic WEP, WPA Enterprise, WPA2 Enterprise, Enterprise, Unknown; plus the
 * labels newer macOS reports for WPA3 and OWE (WPA3 Personal, WPA3 Transition,
 * WPA3 Enterprise, OWE), which Linux configurations need too. A static string. */
const char *hq_wifi_security_label(const hq_wifi_network *n);

/* Writes the SSID as osquery's grouped hex ("4d794e65 74") into out (HQ_WIFI_SSID_HEX_MAX). */
void hq_wifi_ssid_hex(const uint8_t *ssid, size_t len, char out[static HQ_WIFI_SSID_HEX_MAX]);

/* Writes the SSID as text into out (HQ_WIFI_SSID_TEXT_MAX): verbatim when it is valid UTF-8
 * without control characters; otherwise each offending byte becomes "\xHH". */
void hq_wifi_ssid_text(const uint8_t *ssid, size_t len, char out[static HQ_WIFI_SSID_TEXT_MAX]);

/* Reads a NetworkManager connection profile. Returns 0 and fills *ret for a Wi-Fi profile
 * (connection.type wifi / 802-11-wireless with an SSID), -ENOMSG for a profile of another
 * type, -EINVAL for a Wi-Fi profile whose SSID is missing or invalid. */
int hq_nm_wifi_from_keyfile(const hq_keyfile *kf, hq_wifi_network *ret);

/* Decodes a NetworkManager ssid value: a byte list ("72;111;109;101;"), or a string in which
 * "\;" stands for ';'. Returns 0, or -EINVAL when empty or longer than 32 bytes. */
int hq_nm_ssid_decode(const char *value, uint8_t ret[static HQ_WIFI_SSID_MAX], size_t *ret_len);

/* Parses a wpa_supplicant configuration: one network per network={...} block with a valid
 * ssid (blocks without one are skipped, as wpa_supplicant rejects them). Returns the count
 * (>= 0) and a new array in *ret (caller frees; NULL when there are none), -ENOMEM, or -E2BIG
 * past 10000 blocks. */
int hq_wpa_conf_parse(const char *buf, size_t len, hq_wifi_network **ret);

/* Decodes an iwd network file name ("Home Net.psk", "=4d79.open", "Corp.8021x"): the SSID from
 * the stem, key_mgmt from the extension. Returns 0, -ENOMSG for other files (no known
 * extension), -EINVAL for a malformed name. */
int hq_iwd_name_decode(const char *name, hq_wifi_network *ret);
