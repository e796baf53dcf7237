/* wifi_survey: the networks each wireless interface can see (osquery's macOS schema, for Linux).
 * Source: nl80211 over generic netlink: the kernel's cached scan results per interface
 * (NL80211_CMD_GET_SCAN dump; the table does not trigger a scan, so it shows what the last
 * scan by NetworkManager/wpa_supplicant/iwd found) and NL80211_CMD_GET_SURVEY for the noise
 * floor per channel. No privileges needed. A kernel without nl80211 (no cfg80211) or a host
 * without wireless interfaces gives zero rows.
 * channel_width comes from the BSS's HT/VHT operation elements; channel_band may be 6 (6 GHz),
 * an extension of osquery's 2/5.
 *
 * Example: SELECT network_name, bssid, rssi, channel FROM wifi_survey ORDER BY rssi DESC; */
#include <assert.h>

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
	COL_RSSI,
	COL_NOISE,
	COL_CHANNEL,
	COL_CHANNEL_WIDTH,
	COL_CHANNEL_BAND,
	_COL_MAX,
};

static const hq_column columns[] = {
	[COL_INTERFACE] = {"interface", HQ_TYPE_TEXT, 0, "Name of the interface"},
	[COL_SSID] = {"ssid", HQ_TYPE_TEXT, 0, "SSID octets of the network"},
	[COL_BSSID] = {"bssid", HQ_TYPE_TEXT, 0, "The current basic service set identifier"},
	[COL_NETWORK_NAME] = {"network_name", HQ_TYPE_TEXT, 0, "Name of the network"},
	[COL_COUNTRY_CODE] = {"country_code", HQ_TYPE_TEXT, 0,
			      "The country code (ISO/IEC 3166-1:1997) for the network"},
	[COL_RSSI] = {"rssi", HQ_TYPE_INTEGER, 0,
		      "The current received signal strength indication "
		      "(dbm)"},
	[COL_NOISE] = {"noise", HQ_TYPE_INTEGER, 0, "The current noise measurement (dBm)"},
	[COL_CHANNEL] = {"channel", HQ_TYPE_INTEGER, 0, "Channel number"},
	[COL_CHANNEL_WIDTH] = {"channel_width", HQ_TYPE_INTEGER, 0, "Channel width"},
	[COL_CHANNEL_BAND] = {"channel_band", HQ_TYPE_INTEGER, 0, "Channel band"},
};
static_assert(HQ_ELEMENTSOF(columns) == _COL_MAX, "column enum and array disagree");

static int emit_bss(hq_query_ctx *ctx, hq_row_sink *sink, const hq_nl80211_iface *iface,
		    const hq_nl80211_bss *b, const hq_nl80211_survey *surveys, size_t n_surveys)
{
	hq_wifi_ies ies;
	hq_row *row;
	int r;

	hq_wifi_ies_parse(b->ies, b->ies_len, &ies);

	r = hq_row_begin(sink, &row);
	if (r < 0)
		return r;
	hq_row_set_text(row, COL_INTERFACE, iface->name);
	if (ies.has_ssid)
		hq_wifi_set_ssid(row, COL_SSID, COL_NETWORK_NAME, ies.ssid, ies.ssid_len);
	hq_wifi_set_bssid(row, COL_BSSID, b->bssid);
	if (ies.country[0])
		hq_row_set_text(row, COL_COUNTRY_CODE, ies.country);
	if (b->has_signal)
		hq_row_set_int64(row, COL_RSSI, b->signal_mbm / 100);
	for (size_t i = 0; i < n_surveys; i++)
		if (surveys[i].freq == b->freq && surveys[i].has_noise)
			hq_row_set_int64(row, COL_NOISE, surveys[i].noise_dbm);
	if (b->freq)
		hq_wifi_set_channel(row, COL_CHANNEL, COL_CHANNEL_BAND, b->freq);
	hq_row_set_int64(row, COL_CHANNEL_WIDTH, hq_wifi_ies_channel_width(&ies));
	return hq_row_commit(sink, row);
}

static int emit_iface(hq_query_ctx *ctx, hq_row_sink *sink, hq_nl80211 *nl,
		      const hq_nl80211_iface *iface)
{
	hq_nl80211_bss *bss = NULL;
	hq_nl80211_survey *surveys = NULL;
	size_t n_bss = 0, n_surveys = 0;
	int r;

	r = hq_nl80211_scan_dump(nl, iface->ifindex, &bss, &n_bss);
	if (r == -ENODEV || r == -ENETDOWN || r == -EOPNOTSUPP || r == -EINVAL) {
		hq_log_debug("wifi_survey: no scan results on %s: %s", iface->name, strerror(-r));
		return 0;
	}
	if (r < 0)
		return hq_ctx_error(ctx, r, "wifi_survey: scan results of %s: %m", iface->name);
	if (hq_ctx_column_used(ctx, COL_NOISE) &&
	    hq_nl80211_surveys(nl, iface->ifindex, &surveys, &n_surveys) < 0)
		n_surveys = 0; /* drivers without survey support: noise stays NULL */

	for (size_t i = 0; i < n_bss; i++) {
		r = emit_bss(ctx, sink, iface, &bss[i], surveys, n_surveys);
		if (r != 0)
			break;
	}
	hq_nl80211_bss_free(bss, n_bss);
	free(surveys);
	return r;
}

static int generate(hq_query_ctx *ctx, hq_row_sink *sink)
{
	return hq_wifi_generate_per_iface(ctx, sink, emit_iface);
}

const hq_table_def hq_table_wifi_survey = {
	.version = HQ_TABLE_ABI_VERSION,
	.name = "wifi_survey",
	.description = "Wireless networks visible to each wireless interface (nl80211 scan "
		       "results).",
	.columns = columns,
	.n_columns = _COL_MAX,
	.generate = generate,
};
