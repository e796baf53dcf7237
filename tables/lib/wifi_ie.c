/* 802.11 information element parser (see wifi_ie.h). */
#include <errno.h>
#include <string.h>

#include "lib/wifi_ie.h"

enum {
	IE_SSID = 0,
	IE_COUNTRY = 7,
	IE_HT_OPERATION = 61,
	IE_RSN = 48,
	IE_VHT_OPERATION = 192,
	IE_VENDOR = 221,
};

static unsigned rsn_akm(uint8_t type)
{
	switch (type) {
	case 1:	 /* 802.1X */
	case 3:	 /* FT over 802.1X */
	case 5:	 /* 802.1X SHA-256 */
	case 13: /* FT 802.1X SHA-384 */
		return HQ_WIFI_KM_EAP;
	case 11: /* Suite B */
	case 12: /* Suite B 192 */
		return HQ_WIFI_KM_EAP_SUITE_B;
	case 2: /* PSK */
	case 4: /* FT PSK */
	case 6: /* PSK SHA-256 */
		return HQ_WIFI_KM_PSK;
	case 8:	 /* SAE */
	case 9:	 /* FT SAE */
	case 24: /* SAE with extended key */
	case 25:
		return HQ_WIFI_KM_SAE;
	case 18:
		return HQ_WIFI_KM_OWE;
	default:
		return HQ_WIFI_KM_OTHER;
	}
}

/* The suite part shared by RSN (after its 2-byte version) and WPA (same after the vendor
 * header): group cipher, pairwise cipher list, AKM list. Lists may be cut short; the
 * standard allows dropping trailing fields. */
static unsigned parse_akms(const uint8_t *p, size_t len, const uint8_t oui[3])
{
	unsigned km = 0;
	size_t n;

	if (len < 4)
		return 0;
	p += 4; /* group cipher */
	len -= 4;
	if (len < 2)
		return 0;
	n = p[0] | (size_t)p[1] << 8;
	p += 2;
	len -= 2;
	if (n > len / 4)
		return 0;
	p += 4 * n;
	len -= 4 * n;
	if (len < 2)
		return 0;
	n = p[0] | (size_t)p[1] << 8;
	p += 2;
	len -= 2;
	if (n > len / 4)
		n = len / 4;
	for (size_t i = 0; i < n; i++, p += 4) {
		if (memcmp(p, oui, 3) != 0) {
			km |= HQ_WIFI_KM_OTHER;
			continue;
		}
		if (oui[0] == 0x00 && oui[1] == 0x50) /* WPA: 1 = 802.1X, 2 = PSK */
			km |= p[3] == 1	  ? HQ_WIFI_KM_EAP
			      : p[3] == 2 ? HQ_WIFI_KM_PSK
					  : HQ_WIFI_KM_OTHER;
		else
			km |= rsn_akm(p[3]);
	}
	return km;
}

int hq_wifi_ies_parse(const uint8_t *buf, size_t len, hq_wifi_ies *ret)
{
	static const uint8_t rsn_oui[3] = {0x00, 0x0f, 0xac}, wpa_oui[3] = {0x00, 0x50, 0xf2};
	hq_wifi_ies ies = {.ht_40 = -1, .vht_width = -1};

	if (!ret || (!buf && len > 0))
		return -EINVAL;

	for (size_t pos = 0; pos + 2 <= len;) {
		uint8_t id = buf[pos], elen = buf[pos + 1];
		const uint8_t *e = buf + pos + 2;

		if (pos + 2 + elen > len)
			break;
		pos += 2 + (size_t)elen;

		switch (id) {
		case IE_SSID:
			/* The first SSID element is the BSS's; later ones (multi-BSSID) are not. */
			if (!ies.has_ssid && elen <= HQ_WIFI_SSID_MAX) {
				memcpy(ies.ssid, e, elen);
				ies.ssid_len = elen;
				ies.has_ssid = true;
			}
			break;
		case IE_COUNTRY:
			if (elen >= 2 && e[0] >= 'A' && e[0] <= 'Z' && e[1] >= 'A' && e[1] <= 'Z') {
				ies.country[0] = (char)e[0];
				ies.country[1] = (char)e[1];
				ies.country[2] = 0;
			}
			break;
		case IE_RSN:
			if (elen >= 2) {
				ies.proto |= HQ_WIFI_PROTO_RSN;
				ies.key_mgmt |= parse_akms(e + 2, elen - 2, rsn_oui);
				/* No AKM list means the default, 802.1X. */
				if (elen < 2 + 4 + 2 + 2)
					ies.key_mgmt |= HQ_WIFI_KM_EAP;
			}
			break;
		case IE_VENDOR:
			if (elen >= 6 && memcmp(e, wpa_oui, 3) == 0 && e[3] == 1) {
				ies.proto |= HQ_WIFI_PROTO_WPA;
				ies.key_mgmt |= parse_akms(e + 6, elen - 6, wpa_oui);
			}
			break;
		case IE_HT_OPERATION:
			if (elen >= 2)
				ies.ht_40 = (e[1] & 0x04) && (e[1] & 0x03) ? 1 : 0;
			break;
		case IE_VHT_OPERATION:
			if (elen >= 3) {
				ies.vht_width = e[0];
				ies.vht_ccfs0 = e[1];
				ies.vht_ccfs1 = e[2];
			}
			break;
		default:
			break;
		}
	}
	*ret = ies;
	return 0;
}

int hq_wifi_ies_channel_width(const hq_wifi_ies *ies)
{
	switch (ies->vht_width) {
	case 1: {
		/* 80 MHz, or 160/80+80 announced through CCFS1 (the 802.11-2016 form). */
		int d = (int)ies->vht_ccfs1 - (int)ies->vht_ccfs0;
		if (ies->vht_ccfs1 != 0 && (d == 8 || d == -8 || d > 16 || d < -16))
			return 160;
		return 80;
	}
	case 2:
	case 3:
		return 160;
	default:
		break;
	}
	if (ies->ht_40 == 1)
		return 40;
	if (ies->ht_40 == 0 || ies->has_ssid)
		return 20;
	return -1;
}

void hq_wifi_ies_to_network(const hq_wifi_ies *ies, bool privacy, hq_wifi_network *ret)
{
	hq_wifi_network n = {.hidden = -1, .auto_join = -1, .disabled = -1};

	memcpy(n.ssid, ies->ssid, ies->ssid_len);
	n.ssid_len = ies->ssid_len;
	n.proto = ies->proto;
	n.key_mgmt = ies->key_mgmt;
	if (!n.key_mgmt) {
		/* No RSN/WPA element: the privacy bit alone means WEP. */
		n.key_mgmt = HQ_WIFI_KM_NONE;
		n.wep_keys = privacy;
	}
	*ret = n;
}

int hq_wifi_freq_to_channel(uint32_t freq)
{
	if (freq == 2484)
		return 14;
	if (freq >= 2412 && freq < 2484)
		return (int)(freq - 2407) / 5;
	if (freq == 5935)
		return 2;
	if (freq > 5950 && freq <= 7115)
		return (int)(freq - 5950) / 5;
	if (freq >= 4910 && freq <= 5895)
		return (int)(freq - 5000) / 5;
	return -1;
}

int hq_wifi_freq_to_band(uint32_t freq)
{
	if (freq >= 2400 && freq < 2500)
		return 2;
	if (freq == 5935 || (freq > 5950 && freq <= 7115))
		return 6;
	if (freq >= 4900 && freq < 5935)
		return 5;
	return -1;
}
