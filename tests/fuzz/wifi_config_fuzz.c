/* libFuzzer target for the saved Wi-Fi parsers: the same bytes go through the wpa_supplicant
 * parser, the NetworkManager profile reader (via the key file parser) and the iwd name decoder,
 * and every network found is rendered as the table would. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/keyfile.h"
#include "lib/wifi_config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void render(const hq_wifi_network *n)
{
	char hex[HQ_WIFI_SSID_HEX_MAX], text[HQ_WIFI_SSID_TEXT_MAX];

	hq_wifi_ssid_hex(n->ssid, n->ssid_len, hex);
	hq_wifi_ssid_text(n->ssid, n->ssid_len, text);
	(void)hq_wifi_security_label(n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	_cleanup_(hq_keyfile_freep) hq_keyfile *kf = NULL;
	_cleanup_free_ hq_wifi_network *nets = NULL;
	_cleanup_free_ char *name = NULL;
	hq_wifi_network n = {0};
	int r;

	r = hq_wpa_conf_parse((const char *)data, size, &nets);
	for (int i = 0; i < r; i++)
		render(&nets[i]);

	if (hq_keyfile_parse((const char *)data, size, &kf) >= 0 &&
	    hq_nm_wifi_from_keyfile(kf, &n) >= 0)
		render(&n);

	if (size < 256) {
		name = strndup((const char *)data, size);
		if (name && hq_iwd_name_decode(name, &n) >= 0)
			render(&n);
		/* Only the SSID is decoded here: render the rest as a fresh network. */
		n = (hq_wifi_network){0};
		if (name && hq_nm_ssid_decode(name, n.ssid, &n.ssid_len) >= 0)
			render(&n);
	}
	return 0;
}
