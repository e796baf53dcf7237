/* Saved Wi-Fi network parsers for NetworkManager, wpa_supplicant and iwd (see wifi_config.h). */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/wifi_config.h"

#define WPA_MAX_NETWORKS 10000

const char *hq_wifi_security_label(const hq_wifi_network *n)
{
	unsigned km = n->key_mgmt, proto = n->proto;

	if ((km & HQ_WIFI_KM_SAE) && (km & HQ_WIFI_KM_PSK))
		return "WPA3 Transition";
	if (km & HQ_WIFI_KM_SAE)
		return "WPA3 Personal";
	if (km & HQ_WIFI_KM_PSK) {
		if (proto == HQ_WIFI_PROTO_WPA)
			return "WPA Personal";
		if (proto == (HQ_WIFI_PROTO_WPA | HQ_WIFI_PROTO_RSN))
			return "WPA Personal Mixed";
		return "WPA2 Personal";
	}
	if (km & HQ_WIFI_KM_EAP_SUITE_B)
		return "WPA3 Enterprise";
	if (km & HQ_WIFI_KM_EAP)
		return proto == HQ_WIFI_PROTO_WPA ? "WPA Enterprise" : "WPA2 Enterprise";
	if (km & HQ_WIFI_KM_IEEE8021X)
		return "Dynamic WEP";
	if (km & HQ_WIFI_KM_OWE)
		return "OWE";
	if (km & HQ_WIFI_KM_NONE)
		return n->wep_keys ? "WEP" : "Open";
	return "Unknown";
}

void hq_wifi_ssid_hex(const uint8_t *ssid, size_t len, char out[static HQ_WIFI_SSID_HEX_MAX])
{
	static const char hex[] = "0123456789abcdef";
	char *q = out;

	if (len > HQ_WIFI_SSID_MAX)
		len = HQ_WIFI_SSID_MAX;
	for (size_t i = 0; i < len; i++) {
		if (i > 0 && i % 4 == 0)
			*q++ = ' ';
		*q++ = hex[ssid[i] >> 4];
		*q++ = hex[ssid[i] & 15];
	}
	*q = 0;
}

/* Length of the valid UTF-8 sequence at s (1-4), or 0 when it is not one. */
static size_t utf8_seq_len(const uint8_t *s, size_t n)
{
	uint32_t cp;
	size_t len;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF. */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

void hq_wifi_ssid_text(const uint8_t *ssid, size_t len, char out[static HQ_WIFI_SSID_TEXT_MAX])
{
	static const char hex[] = "0123456789abcdef";
	char *q = out;

	if (len > HQ_WIFI_SSID_MAX)
		len = HQ_WIFI_SSID_MAX;
	for (size_t i = 0; i < len;) {
		size_t l = utf8_seq_len(ssid + i, len - i);

		if (l == 0 || (l == 1 && (ssid[i] < 0x20 || ssid[i] == 0x7f))) {
			*q++ = '\\';
			*q++ = 'x';
			*q++ = hex[ssid[i] >> 4];
			*q++ = hex[ssid[i] & 15];
			i++;
			continue;
		}
		memcpy(q, ssid + i, l);
		q += l;
		i += l;
	}
	*q = 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes exactly n hex digits into at most max bytes. */
static int hex_decode(const char *s, size_t n, uint8_t *out, size_t max, size_t *ret_len)
{
	if (n == 0 || n % 2 != 0 || n / 2 > max)
		return -EINVAL;
	for (size_t i = 0; i < n; i += 2) {
		int hi = hexval(s[i]), lo = hexval(s[i + 1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	*ret_len = n / 2;
	return 0;
}

/* NetworkManager's old integer-list form: "12;34;" with optional blanks, every item ending in
 * ';', each 1-3 digits and at most 255. */
static bool nm_int_list(const char *s, uint8_t *out, size_t *ret_len)
{
	size_t n = 0;

	for (;;) {
		unsigned v = 0, digits = 0;

		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == 0)
			break;
		while (*s >= '0' && *s <= '9') {
			v = v * 10 + (unsigned)(*s++ - '0');
			if (++digits > 3)
				return false;
		}
		if (digits == 0 || v > 255)
			return false;
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s != ';')
			return false;
		s++;
		if (n >= HQ_WIFI_SSID_MAX)
			return false;
		out[n++] = (uint8_t)v;
	}
	if (n == 0)
		return false;
	*ret_len = n;
	return true;
}

int hq_nm_ssid_decode(const char *value, uint8_t ret[static HQ_WIFI_SSID_MAX], size_t *ret_len)
{
	uint8_t buf[HQ_WIFI_SSID_MAX];
	size_t n = 0;

	if (!value || !*value)
		return -EINVAL;
	if (nm_int_list(value, buf, &n)) {
		memcpy(ret, buf, n);
		*ret_len = n;
		return 0;
	}
	for (const char *p = value; *p; p++) {
		if (p[0] == '\\' && p[1] == ';')
			p++;
		if (n >= HQ_WIFI_SSID_MAX)
			return -EINVAL;
		buf[n++] = (uint8_t)*p;
	}
	memcpy(ret, buf, n);
	*ret_len = n;
	return 0;
}

static unsigned nm_key_mgmt(const char *v)
{
	static const struct {
		const char *name;
		unsigned km;
	} map[] = {
		{"none", HQ_WIFI_KM_NONE},   {"ieee8021x", HQ_WIFI_KM_IEEE8021X},
		{"wpa-psk", HQ_WIFI_KM_PSK}, {"sae", HQ_WIFI_KM_SAE},
		{"wpa-eap", HQ_WIFI_KM_EAP}, {"wpa-eap-suite-b-192", HQ_WIFI_KM_EAP_SUITE_B},
		{"owe", HQ_WIFI_KM_OWE},
	};

	if (!v)
		return 0;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(v, map[i].name) == 0)
			return map[i].km;
	return HQ_WIFI_KM_OTHER;
}

/* Splits a list on any of seps and ORs in the protocols it names. */
static unsigned proto_list(const char *v, const char *seps)
{
	unsigned proto = 0;

	while (v && *v) {
		size_t n = strcspn(v, seps);
		if ((n == 3 && strncasecmp(v, "wpa", 3) == 0))
			proto |= HQ_WIFI_PROTO_WPA;
		else if ((n == 3 && strncasecmp(v, "rsn", 3) == 0) ||
			 (n == 4 && strncasecmp(v, "wpa2", 4) == 0))
			proto |= HQ_WIFI_PROTO_RSN;
		v += n;
		v += strspn(v, seps);
	}
	return proto;
}

static const char *kf_get2(const hq_keyfile *kf, const char *g1, const char *g2, const char *key)
{
	const char *v = hq_keyfile_get(kf, g1, key);
	return v ? v : hq_keyfile_get(kf, g2, key);
}

int hq_nm_wifi_from_keyfile(const hq_keyfile *kf, hq_wifi_network *ret)
{
	static const char *const SEC = "wifi-security", *const SEC_OLD = "802-11-wireless-security";
	hq_wifi_network n = {.hidden = 0, .auto_join = 1, .disabled = -1};
	const char *type = hq_keyfile_get(kf, "connection", "type"), *v;
	int64_t ts;
	int r;

	if (!type || (strcmp(type, "wifi") != 0 && strcmp(type, "802-11-wireless") != 0))
		return -ENOMSG;

	r = hq_nm_ssid_decode(kf_get2(kf, "wifi", "802-11-wireless", "ssid"), n.ssid, &n.ssid_len);
	if (r < 0)
		return r;

	v = kf_get2(kf, "wifi", "802-11-wireless", "hidden");
	if (v)
		n.hidden = hq_streq(v, "true") || hq_streq(v, "1");
	n.auto_join = hq_keyfile_get_bool(kf, "connection", "autoconnect", 1);
	v = hq_keyfile_get(kf, "connection", "timestamp");
	if (v && hq_safe_atoi64(v, &ts) >= 0 && ts > 0)
		n.timestamp = ts;
	v = hq_keyfile_get(kf, "connection", "uuid");
	if (v && strlen(v) < sizeof(n.uuid))
		strcpy(n.uuid, v);

	if (!hq_keyfile_has_group(kf, SEC) && !hq_keyfile_has_group(kf, SEC_OLD)) {
		n.key_mgmt = HQ_WIFI_KM_NONE; /* no security setting: an open network */
	} else {
		n.key_mgmt = nm_key_mgmt(kf_get2(kf, SEC, SEC_OLD, "key-mgmt"));
		/* In NetworkManager, key-mgmt=none inside a security setting means static WEP. */
		if (n.key_mgmt == HQ_WIFI_KM_NONE)
			n.wep_keys = true;
		n.proto = proto_list(kf_get2(kf, SEC, SEC_OLD, "proto"), ";");
	}

	*ret = n;
	return 0;
}

/* ---- wpa_supplicant ---- */

/* wpa_supplicant's string values: "quoted" (up to the last quote), P"printf-escaped", or
 * unquoted hex. Returns 0 or -EINVAL. */
static int wpa_string(const char *v, uint8_t *out, size_t max, size_t *ret_len)
{
	size_t n = strlen(v);

	if (n >= 2 && v[0] == '"') {
		const char *end = strrchr(v + 1, '"');
		size_t l;
		if (!end)
			return -EINVAL;
		l = (size_t)(end - v - 1);
		if (l == 0 || l > max)
			return -EINVAL;
		memcpy(out, v + 1, l);
		*ret_len = l;
		return 0;
	}
	if (n >= 3 && v[0] == 'P' && v[1] == '"') {
		const char *p = v + 2, *end = strrchr(p, '"');
		size_t l = 0;
		if (!end)
			return -EINVAL;
		while (p < end) {
			uint8_t c = (uint8_t)*p++;
			if (c == '\\' && p < end) {
				char e = *p++;
				switch (e) {
				case 'n':
					c = '\n';
					break;
				case 'r':
					c = '\r';
					break;
				case 't':
					c = '\t';
					break;
				case 'e':
					c = 0x1b;
					break;
				case 'x':
					if (end - p >= 2 && hexval(p[0]) >= 0 &&
					    hexval(p[1]) >= 0) {
						c = (uint8_t)(hexval(p[0]) << 4 | hexval(p[1]));
						p += 2;
					} else
						c = 'x';
					break;
				default:
					if (e >= '0' && e <= '7') {
						unsigned o = (unsigned)(e - '0');
						for (int k = 0;
						     k < 2 && p < end && *p >= '0' && *p <= '7';
						     k++)
							o = o * 8 + (unsigned)(*p++ - '0');
						c = (uint8_t)o;
					} else
						c = (uint8_t)e; /* \\ and \" */
					break;
				}
			}
			if (l >= max)
				return -EINVAL;
			out[l++] = c;
		}
		if (l == 0)
			return -EINVAL;
		*ret_len = l;
		return 0;
	}
	return hex_decode(v, n, out, max, ret_len);
}

static unsigned wpa_key_mgmt(const char *v)
{
	unsigned km = 0;

	while (*v) {
		size_t n = strcspn(v, " \t");
		char tok[32];

		if (n > 0 && n < sizeof(tok)) {
			memcpy(tok, v, n);
			tok[n] = 0;
			if (strcmp(tok, "NONE") == 0)
				km |= HQ_WIFI_KM_NONE;
			else if (strcmp(tok, "WPA-PSK") == 0 || strcmp(tok, "FT-PSK") == 0 ||
				 strcmp(tok, "WPA-PSK-SHA256") == 0)
				km |= HQ_WIFI_KM_PSK;
			else if (strcmp(tok, "SAE") == 0 || strcmp(tok, "FT-SAE") == 0 ||
				 strcmp(tok, "SAE-EXT-KEY") == 0 ||
				 strcmp(tok, "FT-SAE-EXT-KEY") == 0)
				km |= HQ_WIFI_KM_SAE;
			else if (strncmp(tok, "WPA-EAP-SUITE-B", 15) == 0)
				km |= HQ_WIFI_KM_EAP_SUITE_B;
			else if (strncmp(tok, "WPA-EAP", 7) == 0 ||
				 strncmp(tok, "FT-EAP", 6) == 0 || strncmp(tok, "FILS-", 5) == 0)
				km |= HQ_WIFI_KM_EAP;
			else if (strcmp(tok, "IEEE8021X") == 0)
				km |= HQ_WIFI_KM_IEEE8021X;
			else if (strcmp(tok, "OWE") == 0)
				km |= HQ_WIFI_KM_OWE;
			else
				km |= HQ_WIFI_KM_OTHER;
		} else if (n > 0)
			km |= HQ_WIFI_KM_OTHER;
		v += n;
		v += strspn(v, " \t");
	}
	return km;
}

typedef struct wpa_block {
	hq_wifi_network n;
	bool has_ssid, bad_ssid, has_key_mgmt, has_psk, has_eap;
} wpa_block;

static void wpa_block_finish(wpa_block *b)
{
	if (!b->has_key_mgmt) {
		/* The default is "WPA-PSK WPA-EAP": whichever credentials are present decide. */
		if (b->has_psk)
			b->n.key_mgmt = HQ_WIFI_KM_PSK;
		else if (b->has_eap)
			b->n.key_mgmt = HQ_WIFI_KM_EAP;
	}
	if (b->n.disabled < 0)
		b->n.disabled = 0;
	b->n.auto_join = b->n.disabled ? 0 : 1;
	if (b->n.hidden < 0)
		b->n.hidden = 0;
}

static void wpa_block_set(wpa_block *b, const char *key, const char *v)
{
	int64_t i;

	if (strcmp(key, "ssid") == 0) {
		b->has_ssid = true;
		b->bad_ssid = wpa_string(v, b->n.ssid, HQ_WIFI_SSID_MAX, &b->n.ssid_len) < 0;
	} else if (strcmp(key, "key_mgmt") == 0) {
		b->has_key_mgmt = true;
		b->n.key_mgmt = wpa_key_mgmt(v);
	} else if (strcmp(key, "proto") == 0)
		b->n.proto = proto_list(v, " \t");
	else if (strcmp(key, "psk") == 0 || strcmp(key, "sae_password") == 0)
		b->has_psk = true;
	else if (strcmp(key, "eap") == 0 || strcmp(key, "identity") == 0)
		b->has_eap = true;
	else if (strncmp(key, "wep_key", 7) == 0 && key[7] >= '0' && key[7] <= '3' && !key[8])
		b->n.wep_keys = true;
	else if (strcmp(key, "scan_ssid") == 0 && hq_safe_atoi64(v, &i) >= 0)
		b->n.hidden = i != 0;
	else if (strcmp(key, "disabled") == 0 && hq_safe_atoi64(v, &i) >= 0)
		b->n.disabled = i != 0;
}

int hq_wpa_conf_parse(const char *buf, size_t len, hq_wifi_network **ret)
{
	_cleanup_free_ hq_wifi_network *nets = NULL;
	size_t n_nets = 0, cap = 0, n_blocks = 0;
	bool in_network = false, in_other = false;
	wpa_block b;

	if (!buf && len > 0)
		return -EINVAL;

	for (size_t pos = 0; pos < len;) {
		const char *line = buf + pos, *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;
		char tmp[1024];
		bool quoted = false;
		char *s, *eq;

		pos += n + (nl ? 1 : 0);
		/* wpa_supplicant itself refuses lines of 256 bytes and more; keep a margin. */
		if (n >= sizeof(tmp))
			continue;
		memcpy(tmp, line, n);
		tmp[n] = 0;

		/* Comments start at a '#' outside double quotes. */
		for (s = tmp; *s; s++) {
			if (*s == '"')
				quoted = !quoted;
			else if (*s == '#' && !quoted) {
				*s = 0;
				break;
			}
		}
		s = tmp + strspn(tmp, " \t\r");
		hq_strstrip_trailing(s);
		if (!*s)
			continue;

		if (!in_network && !in_other) {
			if (strcmp(s, "network={") == 0) {
				if (++n_blocks > WPA_MAX_NETWORKS)
					return -E2BIG;
				in_network = true;
				b = (wpa_block){
					.n = {.hidden = -1, .auto_join = 1, .disabled = -1}};
			} else if (s[strlen(s) - 1] == '{')
				in_other = true; /* cred={, blob-base64-x={ ... */
			continue;
		}
		if (strcmp(s, "}") == 0) {
			if (in_network && b.has_ssid && !b.bad_ssid) {
				wpa_block_finish(&b);
				if (n_nets == cap) {
					size_t ncap = cap ? cap * 2 : 8;
					hq_wifi_network *t = realloc(nets, ncap * sizeof(*t));
					if (!t)
						return -ENOMEM;
					nets = t;
					cap = ncap;
				}
				nets[n_nets++] = b.n;
			}
			in_network = in_other = false;
			continue;
		}
		if (!in_network)
			continue;
		eq = strchr(s, '=');
		if (!eq || eq == s)
			continue;
		*eq = 0;
		hq_strstrip_trailing(s);
		wpa_block_set(&b, s, eq + 1 + strspn(eq + 1, " \t"));
	}

	/* An unterminated block at the end is dropped, as wpa_supplicant rejects it. */
	*ret = TAKE_PTR(nets);
	return (int)n_nets;
}

/* ---- iwd ---- */

int hq_iwd_name_decode(const char *name, hq_wifi_network *ret)
{
	static const struct {
		const char *ext;
		unsigned km;
	} exts[] = {
		{".psk", HQ_WIFI_KM_PSK},
		{".open", HQ_WIFI_KM_NONE},
		{".8021x", HQ_WIFI_KM_EAP},
	};
	hq_wifi_network n = {.hidden = 0, .auto_join = 1, .disabled = -1};
	size_t len, stem = 0;
	bool found = false;

	if (!name)
		return -EINVAL;
	len = strlen(name);
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		size_t el = strlen(exts[i].ext);
		if (len > el && strcmp(name + len - el, exts[i].ext) == 0) {
			stem = len - el;
			n.key_mgmt = exts[i].km;
			found = true;
			break;
		}
	}
	if (!found)
		return -ENOMSG;

	if (name[0] == '=') {
		/* Any SSID that is not plain text: '=' and the lower-case hex of its bytes. */
		if (hex_decode(name + 1, stem - 1, n.ssid, HQ_WIFI_SSID_MAX, &n.ssid_len) < 0)
			return -EINVAL;
	} else {
		if (stem > HQ_WIFI_SSID_MAX)
			return -EINVAL;
		for (size_t i = 0; i < stem; i++)
			if (!isalnum((unsigned char)name[i]) && !strchr(" _-", name[i]))
				return -EINVAL;
		memcpy(n.ssid, name, stem);
		n.ssid_len = stem;
	}
	*ret = n;
	return 0;
}
