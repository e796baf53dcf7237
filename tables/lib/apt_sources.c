/* APT source parsers declared in apt_sources.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/apt_sources.h"

void hq_apt_source_done(hq_apt_source *s)
{
	if (!s)
		return;
	free(s->base_uri);
	free(s->name);
	free(s->cache);
	*s = (hq_apt_source){};
}

void hq_apt_sources_free(hq_apt_source *s, size_t n)
{
	for (size_t i = 0; s && i < n; i++)
		hq_apt_source_done(&s[i]);
	free(s);
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Next whitespace-separated token of [*pos, len). */
static bool next_token(const char *s, size_t len, size_t *pos, hq_slice *ret)
{
	size_t i = *pos, st;

	while (i < len && is_space(s[i]))
		i++;
	if (i >= len) {
		*pos = len;
		return false;
	}
	st = i;
	while (i < len && !is_space(s[i]))
		i++;
	*ret = (hq_slice){s + st, i - st};
	*pos = i;
	return true;
}

static const char *find_scheme(hq_slice uri)
{
	for (size_t i = 0; i + 3 <= uri.n; i++)
		if (memcmp(uri.p + i, "://", 3) == 0)
			return uri.p + i;
	return NULL;
}

/* Builds one entry from a URI (with "://") and a suite. Returns 1, 0 for an unusable URI,
 * -ENOMEM. */
static int make_source(hq_slice uri, hq_slice suite, hq_apt_source *ret)
{
	hq_apt_source s = {};
	const char *scheme;
	size_t hlen;
	bool flat;

	while (uri.n > 0 && uri.p[uri.n - 1] == '/')
		uri.n--;
	scheme = find_scheme(uri);
	if (!scheme || suite.n == 0)
		return 0;
	hlen = uri.n - (size_t)(scheme + 3 - uri.p);
	if (hlen == 0)
		return 0;
	flat = memchr(suite.p, '/', suite.n) != NULL;
	if (asprintf(&s.base_uri, "%.*s", (int)uri.n, uri.p) < 0 ||
	    asprintf(&s.name, "%.*s %.*s", (int)hlen, scheme + 3, (int)suite.n, suite.p) < 0 ||
	    asprintf(&s.cache, "%.*s_%s%.*s", (int)hlen, scheme + 3, flat ? "" : "dists_",
		     (int)suite.n, suite.p) < 0) {
		hq_apt_source_done(&s);
		return -ENOMEM;
	}
	for (char *c = s.cache; *c; c++)
		if (*c == '/')
			*c = '_';
	/* A flat suite such as "./" leaves a trailing separator apt does not use. */
	for (size_t l = strlen(s.cache); l > 0 && s.cache[l - 1] == '_'; l--)
		s.cache[l - 1] = '\0';
	*ret = s;
	return 1;
}

int hq_apt_source_parse_line(const char *line, size_t len, hq_apt_source *ret)
{
	const char *hash = memchr(line, '#', len), *deb = NULL;
	hq_slice tok, uri, suite;
	size_t pos;

	if (hash)
		len = (size_t)(hash - line);
	/* osquery takes the first "deb " anywhere on the line, which skips "deb-src". */
	for (size_t i = 0; i + 4 <= len; i++)
		if (memcmp(line + i, "deb ", 4) == 0) {
			deb = line + i;
			break;
		}
	if (!deb)
		return 0;
	pos = (size_t)(deb - line) + 4;
	if (!next_token(line, len, &pos, &tok))
		return 0;
	if (tok.p[0] == '[') {
		/* Skip "[opt=val ...]" up to the token holding ']'. */
		while (!memchr(tok.p, ']', tok.n))
			if (!next_token(line, len, &pos, &tok))
				return 0;
		if (!next_token(line, len, &pos, &tok))
			return 0;
	}
	uri = tok;
	if (!next_token(line, len, &pos, &suite))
		return 0;
	return make_source(uri, suite, ret);
}

int hq_apt_source_parse_stanza(hq_slice stanza, hq_apt_source **ret, size_t *ret_n)
{
	hq_slice uris = {}, suites = {};
	hq_apt_source *out = NULL;
	hq_deb822_field f;
	size_t pos = 0, n = 0, cap = 0;
	bool is_deb = false;

	*ret = NULL;
	*ret_n = 0;
	while (hq_deb822_next_field(stanza, &pos, &f) > 0) {
		if (hq_deb822_name_is(f.name, "Types")) {
			hq_slice t;
			size_t tp = 0;

			while (next_token(f.value.p, f.value.n, &tp, &t))
				if (hq_slice_eq(t, "deb"))
					is_deb = true;
			if (!is_deb)
				return 0;
		} else if (hq_deb822_name_is(f.name, "Enabled")) {
			if (!hq_slice_eq(f.value, "on") && !hq_slice_eq(f.value, "yes"))
				return 0;
		} else if (hq_deb822_name_is(f.name, "URIs"))
			uris = f.value;
		else if (hq_deb822_name_is(f.name, "Suites"))
			suites = f.value;
	}
	if (!is_deb)
		return 0;

	hq_slice u;
	size_t up = 0;

	while (next_token(uris.p, uris.n, &up, &u)) {
		hq_slice s;
		size_t sp = 0;

		while (next_token(suites.p, suites.n, &sp, &s)) {
			hq_apt_source src;
			int r;

			r = make_source(u, s, &src);
			if (r < 0) {
				hq_apt_sources_free(out, n);
				return r;
			}
			if (r == 0)
				break; /* the URI is unusable for every suite */
			if (n == cap) {
				size_t ncap = cap ? cap * 2 : 4;
				hq_apt_source *t = realloc(out, ncap * sizeof(*out));

				if (!t) {
					hq_apt_source_done(&src);
					hq_apt_sources_free(out, n);
					return -ENOMEM;
				}
				out = t;
				cap = ncap;
			}
			out[n++] = src;
		}
	}
	*ret = out;
	*ret_n = n;
	return (int)n;
}

void hq_apt_release_parse(const char *buf, size_t size, hq_slice out[_HQ_APT_RELEASE_MAX])
{
	static const char *const keys[_HQ_APT_RELEASE_MAX] = {
		[HQ_APT_RELEASE_CODENAME] = "Codename",
		[HQ_APT_RELEASE_VERSION] = "Version",
		[HQ_APT_RELEASE_ORIGIN] = "Origin",
		[HQ_APT_RELEASE_COMPONENTS] = "Components",
		[HQ_APT_RELEASE_ARCHITECTURES] = "Architectures",
	};
	size_t i = 0;

	memset(out, 0, sizeof(hq_slice) * _HQ_APT_RELEASE_MAX);
	while (i < size) {
		const char *nl = memchr(buf + i, '\n', size - i), *line = buf + i, *colon;
		size_t e = nl ? (size_t)(nl - buf) : size, n = e - i;

		i = e + 1;
		if (n >= 29 && memcmp(line, "-----BEGIN PGP SIGNATURE-----", 29) == 0)
			break;
		colon = memchr(line, ':', n);
		if (!colon || colon == line ||
		    memchr(colon + 1, ':', n - (size_t)(colon + 1 - line)))
			continue;
		for (size_t k = 0; k < _HQ_APT_RELEASE_MAX; k++) {
			size_t kl = strlen(keys[k]);
			hq_slice v = {colon + 1, n - (size_t)(colon + 1 - line)};

			if ((size_t)(colon - line) != kl || memcmp(line, keys[k], kl) != 0)
				continue;
			while (v.n > 0 && is_space(v.p[0])) {
				v.p++;
				v.n--;
			}
			while (v.n > 0 && is_space(v.p[v.n - 1]))
				v.n--;
			out[k] = v;
		}
	}
}
