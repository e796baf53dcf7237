/* Row glue shared by the nl80211 wifi tables (wifi_status, wifi_survey): the per-interface
 * generator and osquery's renderings of SSIDs, BSSIDs and channels. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "hq/query.h"
#include "hq/row.h"
#include "lib/nl80211.h"

/* Emits the rows of one wireless interface. Returns what hq_row_commit() does (0, > 0 when a
 * LIMIT is reached) or a negative errno after hq_ctx_error(). */
typedef int (*hq_wifi_iface_fn)(hq_query_ctx *ctx, hq_row_sink *sink, hq_nl80211 *nl,
				const hq_nl80211_iface *iface);

/* The generator of a table with rows per wireless interface: connects to nl80211 and calls emit
 * for each interface in the kernel's order. A kernel without nl80211 gives no rows (debug log);
 * other failures are reported through hq_ctx_error() prefixed with the table's name. */
int hq_wifi_generate_per_iface(hq_query_ctx *ctx, hq_row_sink *sink, hq_wifi_iface_fn emit);

/* Sets the ssid column (the octets in hex) and the network_name column (the printable name). */
void hq_wifi_set_ssid(hq_row *row, unsigned ssid_col, unsigned name_col, const uint8_t *ssid,
		      size_t len);

/* Sets a BSSID as six colon-separated lower-case hex octets. */
void hq_wifi_set_bssid(hq_row *row, unsigned col, const uint8_t bssid[static 6]);

/* Sets the channel number (when the frequency maps to one) and band of a frequency in MHz. */
void hq_wifi_set_channel(hq_row *row, unsigned channel_col, unsigned band_col, uint32_t freq);
