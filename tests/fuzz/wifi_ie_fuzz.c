/* libFuzzer target for the 802.11 information element parser: every input is a BSS's element
 * list, rendered the way wifi_survey would. */
#include <stddef.h>
#include <stdint.h>

#include "lib/wifi_ie.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char hex[HQ_WIFI_SSID_HEX_MAX], text[HQ_WIFI_SSID_TEXT_MAX];
	hq_wifi_network n;
	hq_wifi_ies ies;

	if (hq_wifi_ies_parse(data, size, &ies) < 0)
		return 0;
	(void)hq_wifi_ies_channel_width(&ies);
	hq_wifi_ies_to_network(&ies, size & 1, &n);
	(void)hq_wifi_security_label(&n);
	hq_wifi_ssid_hex(n.ssid, n.ssid_len, hex);
	hq_wifi_ssid_text(n.ssid, n.ssid_len, text);
	return 0;
}
