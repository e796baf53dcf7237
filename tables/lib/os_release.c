/* os-release(5) and legacy release-file parsing, following what osquery's os_version reads:
 * NAME, VERSION, VERSION_ID, BUILD_ID, ID, ID_LIKE and any *CODENAME* key. */
#include <ctype.h>
#include <errno.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "hq/util.h"
#include "lib/os_release.h"

void hq_os_release_done(hq_os_release *r)
{
	if (!r)
		return;
	free(r->name);
	free(r->version);
	free(r->version_id);
	free(r->build_id);
	free(r->id);
	free(r->id_like);
	free(r->codename);
	memset(r, 0, sizeof(*r));
}

static char **os_release_slot(hq_os_release *r, const char *key, size_t klen)
{
	static const struct {
		const char *key;
		size_t offset;
	} keys[] = {
		{"NAME", offsetof(hq_os_release, name)},
		{"VERSION", offsetof(hq_os_release, version)},
		{"VERSION_ID", offsetof(hq_os_release, version_id)},
		{"BUILD_ID", offsetof(hq_os_release, build_id)},
		{"ID", offsetof(hq_os_release, id)},
		{"ID_LIKE", offsetof(hq_os_release, id_like)},
		{"VERSION_CODENAME", offsetof(hq_os_release, codename)},
	};

	for (size_t i = 0; i < HQ_ELEMENTSOF(keys); i++)
		if (strlen(keys[i].key) == klen && memcmp(keys[i].key, key, klen) == 0)
			return (char **)((char *)r + keys[i].offset);
	/* Some distributions invent their own codename key (UBUNTU_CODENAME, ...). */
	if (memmem(key, klen, "CODENAME", 8))
		return &r->codename;
	return NULL;
}

int hq_os_release_parse(const char *buf, size_t len, hq_os_release *ret)
{
	memset(ret, 0, sizeof(*ret));
	const char *end = buf + len;

	for (const char *line = buf; line < end;) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		const char *eol = nl ? nl : end;
		const char *next = nl ? nl + 1 : end;

		while (eol > line && isspace((unsigned char)eol[-1]))
			eol--;
		const char *eq = memchr(line, '=', (size_t)(eol - line));
		if (!eq || line[0] == '#' || eq == line) {
			line = next;
			continue;
		}

		char **slot = os_release_slot(ret, line, (size_t)(eq - line));
		if (slot) {
			const char *v = eq + 1;
			size_t vlen = (size_t)(eol - v);
			if (vlen > 0 && (v[0] == '"' || v[0] == '\'')) {
				v++;
				vlen--;
			}
			if (vlen > 0 && (v[vlen - 1] == '"' || v[vlen - 1] == '\''))
				vlen--;
			char *copy = strndup(v, vlen);
			if (!copy) {
				hq_os_release_done(ret);
				return -ENOMEM;
			}
			free(*slot);
			*slot = copy;
		}
		line = next;
	}
	return 0;
}

static bool parse_decimal(const char *s, size_t n, int64_t *ret)
{
	if (n == 0 || n > 18)
		return false;
	int64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*ret = v;
	return true;
}

void hq_version_split(const char *version, int64_t ret[3], bool have[3])
{
	for (int i = 0; i < 3; i++) {
		ret[i] = 0;
		have[i] = false;
	}
	if (!version)
		return;

	const char *parts[4];
	size_t lens[4];
	size_t n = 0;
	const char *p = version;
	for (;;) {
		const char *dot = strchr(p, '.');
		size_t l = dot ? (size_t)(dot - p) : strlen(p);
		if (n == 4)
			return;
		parts[n] = p;
		lens[n] = l;
		n++;
		if (!dot)
			break;
		p = dot + 1;
	}
	if (n > 3)
		return;
	for (size_t i = 0; i < n; i++)
		have[i] = parse_decimal(parts[i], lens[i], &ret[i]);
}

void hq_release_file_done(hq_release_file *r)
{
	if (!r)
		return;
	free(r->name);
	free(r->text);
	memset(r, 0, sizeof(*r));
}

static bool match_number(const char *text, const regmatch_t *m, int64_t *ret)
{
	if (m->rm_so < 0)
		return false;
	return parse_decimal(text + m->rm_so, (size_t)(m->rm_eo - m->rm_so), ret);
}

int hq_release_file_parse(const char *buf, size_t len, hq_release_file *ret)
{
	memset(ret, 0, sizeof(*ret));

	/* Trim and collapse whitespace runs (newlines included) to one space. */
	char *text = malloc(len + 1);
	if (!text)
		return -ENOMEM;
	size_t o = 0;
	bool pending_space = false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)buf[i];
		if (c == '\0')
			break;
		if (isspace(c)) {
			pending_space = o > 0;
			continue;
		}
		if (pending_space)
			text[o++] = ' ';
		pending_space = false;
		text[o++] = (char)c;
	}
	text[o] = '\0';
	ret->text = text;

	/* "<name> <anything> <major>.<minor>[.<patch>]", the name being words and spaces. */
	regex_t rx;
	if (regcomp(&rx, "([[:alnum:]_+[:space:]]+) .* ([0-9]+)\\.([0-9]+)\\.?([[:alnum:]_]+)?",
		    REG_EXTENDED) != 0) {
		hq_release_file_done(ret);
		return -EINVAL;
	}
	regmatch_t m[5];
	if (regexec(&rx, text, HQ_ELEMENTSOF(m), m, 0) == 0) {
		ret->name = strndup(text + m[1].rm_so, (size_t)(m[1].rm_eo - m[1].rm_so));
		if (!ret->name) {
			regfree(&rx);
			hq_release_file_done(ret);
			return -ENOMEM;
		}
		ret->have_major = match_number(text, &m[2], &ret->major);
		ret->have_minor = match_number(text, &m[3], &ret->minor);
		if (m[4].rm_so < 0 || m[4].rm_eo == m[4].rm_so) {
			ret->patch = 0;
			ret->have_patch = true;
		} else {
			ret->have_patch = match_number(text, &m[4], &ret->patch);
		}
	}
	regfree(&rx);
	return 0;
}
