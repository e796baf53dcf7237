/* Line parsers for hosts, services, protocols and resolv.conf (etcfiles.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "lib/etcfiles.h"

bool hq_etc_next_line(const char *buf, size_t size, size_t *pos, hq_slice *ret)
{
	size_t i = *pos;
	const char *nl;

	if (!buf || i >= size)
		return false;
	nl = memchr(buf + i, '\n', size - i);
	*ret = (hq_slice){buf + i, (nl ? (size_t)(nl - buf) : size) - i};
	*pos = nl ? (size_t)(nl - buf) + 1 : size;
	return true;
}

void hq_etc_split_comment(hq_slice line, const char *comment_chars, hq_slice *ret_data,
			  hq_slice *ret_comment)
{
	for (size_t i = 0; i < line.n; i++)
		if (strchr(comment_chars, line.p[i]) && line.p[i] != '\0') {
			*ret_data = hq_slice_trim(line.p, i);
			*ret_comment = hq_slice_trim(line.p + i + 1, line.n - i - 1);
			return;
		}
	*ret_data = hq_slice_trim(line.p, line.n);
	*ret_comment = (hq_slice){};
}

bool hq_etc_next_token(hq_slice s, size_t *pos, hq_slice *ret)
{
	size_t i = *pos, st;

	while (i < s.n && hq_char_is_blank(s.p[i]))
		i++;
	if (i >= s.n) {
		*pos = s.n;
		return false;
	}
	st = i;
	while (i < s.n && !hq_char_is_blank(s.p[i]))
		i++;
	*ret = (hq_slice){s.p + st, i - st};
	*pos = i;
	return true;
}

void hq_etc_join_tokens(hq_slice s, hq_buf *b)
{
	hq_slice t;
	size_t pos = 0;

	while (hq_etc_next_token(s, &pos, &t)) {
		if (b->len)
			hq_buf_putc(b, ' ');
		hq_buf_append(b, t.p, t.n);
	}
}

/* Parses a decimal number in [0, max]. */
static bool parse_uint(hq_slice s, int max, int *ret)
{
	long v = 0;

	if (s.n == 0 || s.n > 10)
		return false;
	for (size_t i = 0; i < s.n; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return false;
		v = v * 10 + (s.p[i] - '0');
	}
	if (v > max)
		return false;
	*ret = (int)v;
	return true;
}

/* The rest of the data after the token ending at *pos, trimmed. */
static hq_slice rest(hq_slice data, size_t pos)
{
	return hq_slice_trim(data.p + pos, data.n - pos);
}

int hq_etc_service_parse(hq_slice line, hq_etc_service *ret)
{
	hq_slice data, comment, name, portproto;
	const char *slash;
	size_t pos = 0;
	int port;

	hq_etc_split_comment(line, "#", &data, &comment);
	if (!hq_etc_next_token(data, &pos, &name) || !hq_etc_next_token(data, &pos, &portproto))
		return 0;
	slash = memchr(portproto.p, '/', portproto.n);
	if (!slash || slash + 1 == portproto.p + portproto.n ||
	    !parse_uint((hq_slice){portproto.p, (size_t)(slash - portproto.p)}, 65535, &port))
		return 0;
	*ret = (hq_etc_service){
		.name = name,
		.port = port,
		.protocol = {slash + 1, portproto.n - (size_t)(slash + 1 - portproto.p)},
		.aliases = rest(data, pos),
		.comment = comment,
	};
	return 1;
}

int hq_etc_protocol_parse(hq_slice line, hq_etc_protocol *ret)
{
	hq_slice data, comment, name, num, alias = {};
	size_t pos = 0;
	int number;

	hq_etc_split_comment(line, "#", &data, &comment);
	if (!hq_etc_next_token(data, &pos, &name) || !hq_etc_next_token(data, &pos, &num) ||
	    !parse_uint(num, 255, &number))
		return 0;
	(void)hq_etc_next_token(data, &pos, &alias);
	*ret = (hq_etc_protocol){
		.name = name, .number = number, .alias = alias, .comment = comment};
	return 1;
}

int hq_etc_host_parse(hq_slice line, hq_etc_host *ret)
{
	hq_slice data, comment, addr, first;
	size_t pos = 0;

	hq_etc_split_comment(line, "#", &data, &comment);
	if (!hq_etc_next_token(data, &pos, &addr) || !hq_etc_next_token(data, &pos, &first))
		return 0;
	*ret = (hq_etc_host){
		.address = addr,
		.hostnames = {first.p, data.n - (size_t)(first.p - data.p)},
	};
	return 1;
}

/* glibc's resolv.h RES_* bits. */
#define RES_INIT_ 0x00000001u
#define RES_DEBUG_ 0x00000002u
#define RES_USEVC_ 0x00000008u
#define RES_RECURSE_ 0x00000040u
#define RES_DEFNAMES_ 0x00000080u
#define RES_DNSRCH_ 0x00000200u
#define RES_ROTATE_ 0x00004000u
#define RES_USE_EDNS0_ 0x00100000u
#define RES_SNGLKUP_ 0x00200000u
#define RES_SNGLKUPREOP_ 0x00400000u
#define RES_NOTLDQUERY_ 0x01000000u
#define RES_NORELOAD_ 0x02000000u
#define RES_TRUSTAD_ 0x04000000u
#define RES_NOAAAA_ 0x08000000u

/* glibc matches option names as prefixes, in this order (resolv/res_init.c). */
static const struct {
	const char *name;
	uint32_t bit;
} resolv_options[] = {
	{"rotate", RES_ROTATE_},
	{"edns0", RES_USE_EDNS0_},
	{"single-request-reopen", RES_SNGLKUPREOP_},
	{"single-request", RES_SNGLKUP_},
	{"no_tld_query", RES_NOTLDQUERY_},
	{"no-tld-query", RES_NOTLDQUERY_},
	{"no-reload", RES_NORELOAD_},
	{"use-vc", RES_USEVC_},
	{"trust-ad", RES_TRUSTAD_},
	{"no-aaaa", RES_NOAAAA_},
};

static bool keyword(hq_slice line, const char *kw, hq_slice *ret_rest)
{
	size_t l = strlen(kw);

	/* The keyword must be followed by a blank. */
	if (line.n <= l || memcmp(line.p, kw, l) != 0 || (line.p[l] != ' ' && line.p[l] != '\t'))
		return false;
	*ret_rest = hq_slice_trim(line.p + l, line.n - l);
	return true;
}

/* A token as a NUL-terminated string; false when it does not fit. */
static bool tok_str(hq_slice t, char *buf, size_t size)
{
	if (t.n >= size)
		return false;
	memcpy(buf, t.p, t.n);
	buf[t.n] = '\0';
	return true;
}

/* The classful mask glibc's sortlist falls back to (net_mask()). */
static void classful_mask(const uint8_t a[4], uint8_t m[4])
{
	uint32_t v = (uint32_t)a[0] << 24;
	uint32_t mask = (v & 0x80000000u) == 0		   ? 0xff000000u
			: (v & 0xc0000000u) == 0x80000000u ? 0xffff0000u
							   : 0xffffff00u;

	m[0] = (uint8_t)(mask >> 24);
	m[1] = (uint8_t)(mask >> 16);
	m[2] = (uint8_t)(mask >> 8);
	m[3] = (uint8_t)mask;
}

void hq_resolv_conf_parse(const char *buf, size_t size, hq_resolv_conf *ret)
{
	hq_slice line;
	size_t pos = 0;

	memset(ret, 0, sizeof(*ret));
	ret->options = RES_INIT_ | RES_RECURSE_ | RES_DEFNAMES_ | RES_DNSRCH_;
	while (hq_etc_next_line(buf, size, &pos, &line)) {
		hq_slice r, t;
		size_t tp = 0;

		if (line.n == 0 || line.p[0] == ';' || line.p[0] == '#')
			continue;
		if (keyword(line, "domain", &r)) {
			if (hq_etc_next_token(r, &tp, &t)) {
				ret->search[0] = t;
				ret->n_search = 1;
			}
		} else if (keyword(line, "search", &r)) {
			ret->n_search = 0;
			while (ret->n_search < HQ_RESOLV_MAXDNSRCH && hq_etc_next_token(r, &tp, &t))
				ret->search[ret->n_search++] = t;
		} else if (keyword(line, "nameserver", &r)) {
			char s[INET6_ADDRSTRLEN + 16];
			char *pct;

			if (ret->n_ns >= HQ_RESOLV_MAXNS || !hq_etc_next_token(r, &tp, &t) ||
			    !tok_str(t, s, sizeof(s)))
				continue;
			if (inet_pton(AF_INET, s, ret->ns[ret->n_ns].addr) == 1) {
				ret->ns[ret->n_ns++].family = AF_INET;
				continue;
			}
			pct = strchr(s, '%'); /* a scope id is accepted and not reported */
			if (pct)
				*pct = '\0';
			if (inet_pton(AF_INET6, s, ret->ns[ret->n_ns].addr) == 1)
				ret->ns[ret->n_ns++].family = AF_INET6;
		} else if (keyword(line, "sortlist", &r)) {
			while (ret->n_sort < HQ_RESOLV_MAXSORT && hq_etc_next_token(r, &tp, &t)) {
				char s[64];
				char *slash;

				if (!tok_str(t, s, sizeof(s)))
					continue;
				slash = strpbrk(s, "/&");
				if (slash)
					*slash++ = '\0';
				if (inet_pton(AF_INET, s, ret->sort[ret->n_sort].addr) != 1)
					continue;
				if (!slash ||
				    inet_pton(AF_INET, slash, ret->sort[ret->n_sort].mask) != 1)
					classful_mask(ret->sort[ret->n_sort].addr,
						      ret->sort[ret->n_sort].mask);
				ret->n_sort++;
			}
		} else if (keyword(line, "options", &r)) {
			while (hq_etc_next_token(r, &tp, &t)) {
				for (size_t i = 0;
				     i < sizeof(resolv_options) / sizeof(resolv_options[0]); i++) {
					size_t l = strlen(resolv_options[i].name);

					if (t.n >= l &&
					    memcmp(t.p, resolv_options[i].name, l) == 0) {
						ret->options |= resolv_options[i].bit;
						break;
					}
				}
			}
		}
	}
	if (ret->n_ns == 0) {
		/* glibc falls back to the local host. */
		ret->ns[0].family = AF_INET;
		ret->ns[0].addr[0] = 127;
		ret->ns[0].addr[3] = 1;
		ret->n_ns = 1;
	}
}
