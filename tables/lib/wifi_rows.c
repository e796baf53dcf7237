/* Row glue shared by the nl80211 wifi tables (see wifi_rows.h). */
#include <errno.h>

#include "hq/table.h"
#include "lib/wifi_config.h"
#include "lib/wifi_ie.h"
#include "lib/wifi_rows.h"

int hq_wifi_generate_per_iface(hq_query_ctx *ctx, hq_row_sink *sink, hq_wifi_iface_fn emit)
{
	const char *table = hq_ctx_table(ctx)->name;
	_cleanup_(hq_nl80211_closep) hq_nl80211 *nl = NULL;
	_cleanup_free_ hq_nl80211_iface *ifaces = NULL;
	size_t n = 0;
	int r;

	r = hq_nl80211_load();
	if (r < 0) {
		hq_log_debug("%s: libnl-genl-3 cannot be loaded, no wireless interfaces", table);
		return 0;
	}
	r = hq_nl80211_open(&nl);
	if (r == -ENOENT || r == -EAFNOSUPPORT || r == -EPROTONOSUPPORT) {
		hq_log_debug("%s: no nl80211 in this kernel, no wireless interfaces", table);
		return 0;
	}
	if (r < 0)
		return hq_ctx_error(ctx, r, "%s: cannot talk to nl80211: %m", table);

	r = hq_nl80211_interfaces(nl, &ifaces, &n);
	if (r < 0)
		return hq_ctx_error(ctx, r, "%s: listing wireless interfaces: %m", table);

	for (size_t i = 0; i < n; i++) {
		r = emit(ctx, sink, nl, &ifaces[i]);
		if (r != 0)
			return r < 0 ? r : 0;
	}
	return 0;
}

void hq_wifi_set_ssid(hq_row *row, unsigned ssid_col, unsigned name_col, const uint8_t *ssid,
		      size_t len)
{
	char hex[HQ_WIFI_SSID_HEX_MAX], text[HQ_WIFI_SSID_TEXT_MAX];

	hq_wifi_ssid_hex(ssid, len, hex);
	hq_wifi_ssid_text(ssid, len, text);
	hq_row_set_text(row, ssid_col, hex);
	hq_row_set_text(row, name_col, text);
}

void hq_wifi_set_bssid(hq_row *row, unsigned col, const uint8_t bssid[static 6])
{
	hq_row_set_textf(row, col, "%02x:%02x:%02x:%02x:%02x:%02x", bssid[0], bssid[1], bssid[2],
			 bssid[3], bssid[4], bssid[5]);
}

void hq_wifi_set_channel(hq_row *row, unsigned channel_col, unsigned band_col, uint32_t freq)
{
	int ch = hq_wifi_freq_to_channel(freq);

	if (ch > 0)
		hq_row_set_int64(row, channel_col, ch);
	hq_row_set_int64(row, band_col, hq_wifi_freq_to_band(freq));
}
