/* wifi_status: the current association of each wireless interface (osquery's macOS schema, for
 * Linux).
 * Source: nl80211 over generic netlink: NL80211_CMD_GET_INTERFACE for the interfaces, the
 * kernel's cached BSS list (NL80211_CMD_GET_SCAN, the entry marked associated) for the AP's
 * SSID, security and country, NL80211_CMD_GET_STATION for the signal and transmit rate, and
 * NL80211_CMD_GET_SURVEY for the noise floor. No privileges needed. A kernel without nl80211
 * (no cfg80211) or a host without wireless interfaces gives zero rows. The table never
 * triggers a scan.
 * security_type uses osquery's labels plus WPA3 Personal/Transition/Enterprise and OWE;
 * channel_band may be 6 (6 GHz), an extension of osquery's 2/5.
 *
 * Example: SELECT interface, network_name, rssi, channel FROM wifi_status; */
#include <assert.h>
#include <linux/nl80211.h>

#include "hq/query.h"
#include "hq/row.h"
#include "hq/table.h"
#include "lib/nl80211.h"
#include "lib/wifi_ie.h"
#include "lib/wifi_rows.h"

enum {
	COL_INTERFACE,
	COL_SSID,
	COL_BSSID,
	COL_NETWORK_NAME,
	COL_COUNTRY_CODE,
	COL_SECURITY_TYPE,
	COL_RSSI,
	COL_NOISE,
	COL_CHANNEL,
	COL_CHANNEL_WIDTH,
	COL_CHANNEL_BAND,
	COL_TRANSMIT_RATE,
	COL_MODE,
	_COL_MAX,
};

static const hq_column columns[] = {
	[COL_INTERFACE] = {"interface", HQ_TYPE_TEXT, 0, "Name of the interface"},
	[COL_SSID] = {"ssid", HQ_TYPE_TEXT, 0, "SSID octets of the network"},
	[COL_BSSID] = {"bssid", HQ_TYPE_TEXT, 0, "The current basic service set identifier"},
	[COL_NETWORK_NAME] = {"network_name", HQ_TYPE_TEXT, 0, "Name of the network"},
	[COL_COUNTRY_CODE] = {"country_code", HQ_TYPE_TEXT, 0,
			      "The country code (ISO/IEC 3166-1:1997) for the network"},
	[COL_SECURITY_TYPE] = {"security_type", HQ_TYPE_TEXT, 0,
			       "Type of security on this network"},
	[COL_RSSI] = {"rssi", HQ_TYPE_INTEGER, 0,
		      "The current received signal strength indication "
		      "(dbm)"},
	[COL_NOISE] = {"noise", HQ_TYPE_INTEGER, 0, "The current noise measurement (dBm)"},
	[COL_CHANNEL] = {"channel", HQ_TYPE_INTEGER, 0, "Channel number"},
	[COL_CHANNEL_WIDTH] = {"channel_width", HQ_TYPE_INTEGER, 0, "Channel width"},
	[COL_CHANNEL_BAND] = {"channel_band", HQ_TYPE_INTEGER, 0, "Channel band"},
	[COL_TRANSMIT_RATE] = {"transmit_rate", HQ_TYPE_TEXT, 0, "The current transmit rate"},
	[COL_MODE] = {"mode", HQ_TYPE_TEXT, 0,
		      "The current operating mode for the Wi-Fi "
		      "interface"},
};
static_assert(HQ_ELEMENTSOF(columns) == _COL_MAX, "column enum and array disagree");

static const char *mode_label(int iftype)
{
	switch (iftype) {
	case NL80211_IFTYPE_STATION:
	case NL80211_IFTYPE_P2P_CLIENT:
		return "Station";
	case NL80211_IFTYPE_ADHOC:
		return "IBSS";
	case NL80211_IFTYPE_AP:
	case NL80211_IFTYPE_P2P_GO:
		return "Host AP";
	default:
		return "None";
	}
}

/* Errors that mean "this interface has nothing to tell" (down, gone, not a station...). */
static bool iface_error_ignorable(int r)
{
	return r == -ENODEV || r == -ENETDOWN || r == -EOPNOTSUPP || r == -ENOENT ||
	       r == -ENOLINK || r == -EINVAL;
}

static int emit_iface(hq_query_ctx *ctx, hq_row_sink *sink, hq_nl80211 *nl,
		      const hq_nl80211_iface *iface)
{
	hq_nl80211_bss *bss = NULL, *cur = NULL;
	hq_nl80211_survey *surveys = NULL;
	size_t n_bss = 0, n_surveys = 0;
	uint32_t freq = iface->freq;
	hq_row *row;
	int r;

	r = hq_nl80211_scan_dump(nl, iface->ifindex, &bss, &n_bss);
	if (r < 0 && !iface_error_ignorable(r))
		return hq_ctx_error(ctx, r, "wifi_status: scan results of %s: %m", iface->name);
	for (size_t i = 0; i < n_bss; i++)
		if (bss[i].associated)
			cur = &bss[i];

	r = hq_row_begin(sink, &row);
	if (r < 0)
		goto out;
	hq_row_set_text(row, COL_INTERFACE, iface->name);
	hq_row_set_text_static(row, COL_MODE, mode_label(iface->iftype));

	if (cur) {
		hq_wifi_ies ies = {};
		hq_wifi_network n;
		hq_nl80211_station st = {};

		hq_wifi_ies_parse(cur->ies, cur->ies_len, &ies);
		if (!ies.has_ssid && iface->has_ssid) {
			memcpy(ies.ssid, iface->ssid, iface->ssid_len);
			ies.ssid_len = iface->ssid_len;
			ies.has_ssid = true;
		}
		hq_wifi_ies_to_network(&ies, cur->capability & 0x10, &n);
		if (ies.has_ssid)
			hq_wifi_set_ssid(row, COL_SSID, COL_NETWORK_NAME, n.ssid, n.ssid_len);
		hq_wifi_set_bssid(row, COL_BSSID, cur->bssid);
		if (ies.country[0])
			hq_row_set_text(row, COL_COUNTRY_CODE, ies.country);
		hq_row_set_text_static(row, COL_SECURITY_TYPE, hq_wifi_security_label(&n));
		if (!freq)
			freq = cur->freq;

		if (hq_ctx_column_used(ctx, COL_RSSI) ||
		    hq_ctx_column_used(ctx, COL_TRANSMIT_RATE)) {
			r = hq_nl80211_station_get(nl, iface->ifindex, cur->bssid, &st);
			if (r >= 0) {
				if (st.has_signal)
					hq_row_set_int64(row, COL_RSSI, st.signal_dbm);
				if (st.has_tx_bitrate)
					hq_row_set_textf(row, COL_TRANSMIT_RATE, "%u%s%.0u",
							 st.tx_bitrate / 10,
							 st.tx_bitrate % 10 ? "." : "",
							 st.tx_bitrate % 10);
			} else if (!iface_error_ignorable(r)) {
				r = hq_ctx_error(ctx, r, "wifi_status: station info of %s: %m",
						 iface->name);
				goto out;
			}
			if (!st.has_signal && cur->has_signal)
				hq_row_set_int64(row, COL_RSSI, cur->signal_mbm / 100);
		}
	} else if (iface->has_ssid) {
		/* An AP or IBSS interface: the SSID it serves. */
		hq_wifi_set_ssid(row, COL_SSID, COL_NETWORK_NAME, iface->ssid, iface->ssid_len);
	}

	if (freq) {
		hq_wifi_set_channel(row, COL_CHANNEL, COL_CHANNEL_BAND, freq);
		hq_row_set_int64(row, COL_CHANNEL_WIDTH, iface->width_mhz);

		if (hq_ctx_column_used(ctx, COL_NOISE) &&
		    hq_nl80211_surveys(nl, iface->ifindex, &surveys, &n_surveys) >= 0)
			for (size_t i = 0; i < n_surveys; i++)
				if (surveys[i].freq == freq && surveys[i].has_noise)
					hq_row_set_int64(row, COL_NOISE, surveys[i].noise_dbm);
	}

	r = hq_row_commit(sink, row);
out:
	hq_nl80211_bss_free(bss, n_bss);
	free(surveys);
	return r;
}

static int generate(hq_query_ctx *ctx, hq_row_sink *sink)
{
	return hq_wifi_generate_per_iface(ctx, sink, emit_iface);
}

const hq_table_def hq_table_wifi_status = {
	.version = HQ_TABLE_ABI_VERSION,
	.name = "wifi_status",
	.description = "Current association of each wireless interface (nl80211).",
	.columns = columns,
	.n_columns = _COL_MAX,
	.generate = generate,
};
