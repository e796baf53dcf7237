/* deb822 stanza/field scanner and the dpkg status helpers declared in dpkg_status.h. Every index
 * is checked against the slice length; nothing reads past the buffer or expects a NUL. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lib/dpkg_status.h"

/* End of the line starting at pos (index of '\n' or size). */
static size_t line_end(const char *buf, size_t size, size_t pos)
{
	const char *nl = memchr(buf + pos, '\n', size - pos);

	return nl ? (size_t)(nl - buf) : size;
}

static bool line_is_blank(const char *buf, size_t start, size_t end)
{
	for (size_t i = start; i < end; i++)
		if (!hq_char_is_blank(buf[i]))
			return false;
	return true;
}

int hq_deb822_next_stanza(const char *buf, size_t size, size_t *pos, hq_slice *ret_stanza)
{
	size_t i = *pos, start, last;

	if (!buf)
		size = 0;
	/* Skip blank separator lines. */
	while (i < size) {
		size_t e = line_end(buf, size, i);

		if (!line_is_blank(buf, i, e))
			break;
		i = e < size ? e + 1 : size;
	}
	if (i >= size) {
		*pos = size;
		return 0;
	}
	start = i;
	last = i;
	while (i < size) {
		size_t e = line_end(buf, size, i);

		if (line_is_blank(buf, i, e))
			break;
		last = e;
		i = e < size ? e + 1 : size;
	}
	*pos = i;
	*ret_stanza = (hq_slice){buf + start, last - start};
	return 1;
}

int hq_deb822_next_field(hq_slice stanza, size_t *pos, hq_deb822_field *ret)
{
	const char *b = stanza.p;
	size_t size = stanza.p ? stanza.n : 0, i = *pos;

	while (i < size) {
		size_t e = line_end(b, size, i), next = e < size ? e + 1 : size;
		const char *colon;

		/* Comments and orphaned continuation lines carry no field. */
		if (b[i] == '#' || b[i] == ' ' || b[i] == '\t') {
			i = next;
			continue;
		}
		colon = memchr(b + i, ':', e - i);
		if (!colon || colon == b + i) {
			i = next;
			continue;
		}
		size_t vstart = (size_t)(colon - b) + 1, vend = e;

		/* Continuation lines start with a space or tab. */
		while (next < size && (b[next] == ' ' || b[next] == '\t')) {
			vend = line_end(b, size, next);
			next = vend < size ? vend + 1 : size;
		}
		ret->name = hq_slice_trim(b + i, (size_t)(colon - b) - i);
		ret->value = hq_slice_trim(b + vstart, vend - vstart);
		*pos = next;
		return 1;
	}
	*pos = size;
	return 0;
}

bool hq_deb822_name_is(hq_slice name, const char *field)
{
	size_t l = strlen(field);

	return name.n == l && strncasecmp(name.p, field, l) == 0;
}

static const char *const dpkg_field_names[_HQ_DPKG_FIELD_MAX] = {
	[HQ_DPKG_PACKAGE] = "Package",
	[HQ_DPKG_STATUS] = "Status",
	[HQ_DPKG_PRIORITY] = "Priority",
	[HQ_DPKG_SECTION] = "Section",
	[HQ_DPKG_INSTALLED_SIZE] = "Installed-Size",
	[HQ_DPKG_MAINTAINER] = "Maintainer",
	[HQ_DPKG_ARCHITECTURE] = "Architecture",
	[HQ_DPKG_MULTI_ARCH] = "Multi-Arch",
	[HQ_DPKG_SOURCE] = "Source",
	[HQ_DPKG_VERSION] = "Version",
	[HQ_DPKG_CONFIG_VERSION] = "Config-Version",
};

int hq_dpkg_package_parse(hq_slice stanza, hq_dpkg_package *ret)
{
	hq_deb822_field f;
	size_t pos = 0;

	memset(ret, 0, sizeof(*ret));
	while (hq_deb822_next_field(stanza, &pos, &f) > 0) {
		/* Cheap pre-filter: most status fields (Depends, Description, Conffiles...) are
		 * not wanted, and their first letter rarely matches. */
		for (size_t k = 0; k < _HQ_DPKG_FIELD_MAX; k++) {
			if ((f.name.p[0] | 0x20) != (dpkg_field_names[k][0] | 0x20))
				continue;
			if (hq_deb822_name_is(f.name, dpkg_field_names[k])) {
				ret->field[k] = f.value;
				break;
			}
		}
	}
	if (!ret->field[HQ_DPKG_PACKAGE].p || ret->field[HQ_DPKG_PACKAGE].n == 0)
		return -EBADMSG;
	return 0;
}

/* Which wanted field a name is, or -1. */
static int dpkg_field_index(const char *name, size_t n)
{
	/* dpkg writes canonical case: try an exact match before the case-insensitive one. */
	for (size_t k = 0; k < _HQ_DPKG_FIELD_MAX; k++)
		if (name[0] == dpkg_field_names[k][0] && strlen(dpkg_field_names[k]) == n &&
		    memcmp(name, dpkg_field_names[k], n) == 0)
			return (int)k;
	for (size_t k = 0; k < _HQ_DPKG_FIELD_MAX; k++) {
		if ((name[0] | 0x20) != (dpkg_field_names[k][0] | 0x20))
			continue;
		if (hq_deb822_name_is((hq_slice){name, n}, dpkg_field_names[k]))
			return (int)k;
	}
	return -1;
}

/* Whether a line starting with c can name a wanted field: most status lines (Depends,
 * Description, Conffiles, continuation lines) are skipped without looking for the colon. */
static bool wanted_first_char(char c)
{
	switch (c | 0x20) {
	case 'a':
	case 'c':
	case 'i':
	case 'm':
	case 'p':
	case 's':
	case 'v':
		return true;
	default:
		return false;
	}
}

int hq_dpkg_next_package(const char *buf, size_t size, size_t *pos, hq_dpkg_package *ret)
{
	size_t i = *pos;

	if (!buf)
		size = 0;
	while (i < size) {
		bool in_stanza = false;

		memset(ret, 0, sizeof(*ret));
		while (i < size) {
			size_t e = line_end(buf, size, i), next = e < size ? e + 1 : size;
			const char *colon;
			int k;

			if (line_is_blank(buf, i, e)) {
				i = next;
				if (in_stanza)
					break;
				continue;
			}
			in_stanza = true;
			/* Comments, orphaned continuations (always ' '/'\t') and unwanted fields;
			 * a continuation of a skipped field is skipped as its own line. */
			if (!wanted_first_char(buf[i])) {
				i = next;
				continue;
			}
			colon = memchr(buf + i, ':', e - i);
			if (!colon || colon == buf + i) {
				i = next;
				continue;
			}
			hq_slice name = hq_slice_trim(buf + i, (size_t)(colon - buf) - i);
			size_t vstart = (size_t)(colon - buf) + 1, vend = e;

			/* Continuation lines start with a space or tab; a whitespace-only line
			 * ends the stanza instead. */
			while (next < size && (buf[next] == ' ' || buf[next] == '\t')) {
				size_t ce = line_end(buf, size, next);

				if (line_is_blank(buf, next, ce))
					break;
				vend = ce;
				next = ce < size ? ce + 1 : size;
			}
			k = name.n ? dpkg_field_index(name.p, name.n) : -1;
			if (k >= 0)
				ret->field[k] = hq_slice_trim(buf + vstart, vend - vstart);
			i = next;
		}
		if (in_stanza && ret->field[HQ_DPKG_PACKAGE].p &&
		    ret->field[HQ_DPKG_PACKAGE].n > 0) {
			*pos = i;
			return 1;
		}
	}
	*pos = size;
	return 0;
}

int hq_dpkg_status_parse(hq_slice value, hq_dpkg_status *ret)
{
	hq_slice words[3];
	size_t i = 0, n = 0;

	while (i < value.n) {
		size_t s;

		while (i < value.n && hq_char_is_blank(value.p[i]))
			i++;
		if (i >= value.n)
			break;
		s = i;
		while (i < value.n && !hq_char_is_blank(value.p[i]))
			i++;
		if (n == 3)
			return -EBADMSG;
		words[n++] = (hq_slice){value.p + s, i - s};
	}
	if (n != 3)
		return -EBADMSG;
	ret->want = words[0];
	ret->eflag = words[1];
	ret->status = words[2];
	return 0;
}

int hq_dpkg_version_parse(hq_slice value, hq_dpkg_version *ret)
{
	hq_dpkg_version v = {};
	const char *p, *colon, *hyphen = NULL;
	size_t n;

	value = hq_slice_trim(value.p, value.p ? value.n : 0);
	if (value.n == 0)
		return -EBADMSG;
	for (size_t i = 0; i < value.n; i++)
		if (hq_char_is_blank(value.p[i]))
			return -EBADMSG;
	p = value.p;
	n = value.n;
	colon = memchr(p, ':', n);
	if (colon) {
		size_t elen = (size_t)(colon - p);

		if (elen == 0)
			return -EBADMSG;
		for (size_t i = 0; i < elen; i++) {
			unsigned d;

			if (p[i] < '0' || p[i] > '9')
				return -EBADMSG;
			d = (unsigned)(p[i] - '0');
			/* dpkg caps epochs at INT_MAX. */
			if (v.epoch_value > (0x7fffffffULL - d) / 10)
				return -EBADMSG;
			v.epoch_value = v.epoch_value * 10 + d;
		}
		v.epoch = (hq_slice){p, elen};
		p = colon + 1;
		n -= elen + 1;
	}
	for (size_t i = n; i > 0; i--)
		if (p[i - 1] == '-') {
			hyphen = p + i - 1;
			break;
		}
	if (hyphen) {
		v.upstream = (hq_slice){p, (size_t)(hyphen - p)};
		v.revision = (hq_slice){hyphen + 1, n - (size_t)(hyphen - p) - 1};
	} else {
		v.upstream = (hq_slice){p, n};
		v.revision = (hq_slice){p + n, 0};
	}
	if (v.upstream.n == 0)
		return -EBADMSG;
	*ret = v;
	return 0;
}

int hq_dpkg_version_format(const hq_dpkg_version *v, char *buf, size_t size)
{
	size_t need = v->upstream.n + (v->revision.n ? v->revision.n + 1 : 0), off = 0;
	char ep[24];
	int elen = 0;

	if (v->epoch_value > 0) {
		elen = snprintf(ep, sizeof(ep), "%llu:", (unsigned long long)v->epoch_value);
		need += (size_t)elen;
	}
	if (need + 1 > size || need > 0x7fffffff)
		return -ENOBUFS;
	memcpy(buf, ep, (size_t)elen);
	off = (size_t)elen;
	memcpy(buf + off, v->upstream.p, v->upstream.n);
	off += v->upstream.n;
	if (v->revision.n) {
		buf[off++] = '-';
		memcpy(buf + off, v->revision.p, v->revision.n);
		off += v->revision.n;
	}
	buf[off] = '\0';
	return (int)off;
}

hq_slice hq_dpkg_source_name(hq_slice source)
{
	size_t i = 0;

	source = hq_slice_trim(source.p, source.p ? source.n : 0);
	while (i < source.n && !hq_char_is_blank(source.p[i]) && source.p[i] != '(')
		i++;
	return (hq_slice){source.p, i};
}

int hq_dpkg_foreach_admindir(hq_query_ctx *ctx, hq_row_sink *sink, int admindir_col,
			     const char *table, hq_dpkg_admindir_fn fn, void *userdata)
{
	bool any = false;
	int r;

	HQ_CTX_FOREACH_CONSTRAINT (c, ctx, admindir_col) {
		if (c->op != HQ_OP_EQ || !c->text)
			continue;
		any = true;
		if (c->text[0] != '/')
			return hq_ctx_error(ctx, -EINVAL, "%s: admindir must be absolute", table);
		r = fn(ctx, sink, c->text, userdata);
		if (r != 0)
			return r;
	}
	if (any)
		return 0;
	return fn(ctx, sink, HQ_DPKG_ADMINDIR, userdata);
}
