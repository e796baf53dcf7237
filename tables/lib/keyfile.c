/* GLib-style key file parser (see keyfile.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/keyfile.h"

#define KEYFILE_MAX_ENTRIES 100000

hq_keyfile *hq_keyfile_free(hq_keyfile *kf)
{
	if (!kf)
		return NULL;
	for (size_t i = 0; i < kf->n_entries; i++) {
		free(kf->entries[i].key);
		free(kf->entries[i].value);
	}
	/* Group names are shared between entries: each was allocated once, stored in the
	 * first entry of its run, and flagged by pointer equality with the previous entry. */
	for (size_t i = 0; i < kf->n_entries; i++)
		if (i == 0 || kf->entries[i].group != kf->entries[i - 1].group)
			free(kf->entries[i].group);
	free(kf->entries);
	free(kf);
	return NULL;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* GLib's escapes; unknown ones (NetworkManager's "\;" for instance) are kept verbatim. */
static char *unescape(const char *s, size_t n)
{
	char *out = malloc(n + 1), *q = out;

	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\\' || i + 1 >= n) {
			*q++ = s[i];
			continue;
		}
		switch (s[++i]) {
		case 's':
			*q++ = ' ';
			break;
		case 'n':
			*q++ = '\n';
			break;
		case 't':
			*q++ = '\t';
			break;
		case 'r':
			*q++ = '\r';
			break;
		case '\\':
			*q++ = '\\';
			break;
		default:
			*q++ = '\\';
			*q++ = s[i];
			break;
		}
	}
	*q = 0;
	return out;
}

int hq_keyfile_parse(const char *buf, size_t len, hq_keyfile **ret)
{
	_cleanup_(hq_keyfile_freep) hq_keyfile *kf = NULL;
	char *group = NULL; /* owned by kf once an entry uses it, else freed here */
	bool group_used = false;
	size_t cap = 0;
	int r = 0;

	if (!buf && len > 0)
		return -EINVAL;

	kf = calloc(1, sizeof(*kf));
	if (!kf)
		return -ENOMEM;

	for (size_t pos = 0; pos < len;) {
		const char *line = buf + pos, *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;
		const char *eq;

		pos += n + (nl ? 1 : 0);

		/* Leading and trailing blanks do not count (an escaped "\s" survives). */
		while (n > 0 && is_blank(*line)) {
			line++;
			n--;
		}
		while (n > 0 && is_blank(line[n - 1]))
			n--;
		if (n == 0 || line[0] == '#')
			continue;

		if (line[0] == '[') {
			const char *end = memchr(line, ']', n);

			if (!group_used)
				free(group);
			group = NULL;
			group_used = false;
			/* A malformed header ends the previous group; its keys are skipped. */
			if (!end || end == line + 1 || memchr(line + 1, '[', end - line - 1))
				continue;
			group = strndup(line + 1, end - line - 1);
			if (!group) {
				r = -ENOMEM;
				goto out;
			}
			kf->n_groups++;
			/* An empty group still counts for hq_keyfile_has_group(). */
			if (kf->n_entries == cap) {
				size_t ncap = cap ? cap * 2 : 16;
				hq_keyfile_entry *t = realloc(kf->entries, ncap * sizeof(*t));
				if (!t) {
					r = -ENOMEM;
					goto out;
				}
				kf->entries = t;
				cap = ncap;
			}
			if (kf->n_entries >= KEYFILE_MAX_ENTRIES) {
				r = -E2BIG;
				goto out;
			}
			kf->entries[kf->n_entries++] = (hq_keyfile_entry){.group = group};
			group_used = true;
			continue;
		}

		if (!group)
			continue;
		eq = memchr(line, '=', n);
		if (!eq)
			continue;

		size_t klen = eq - line;
		while (klen > 0 && is_blank(line[klen - 1]))
			klen--;
		if (klen == 0)
			continue;
		const char *v = eq + 1;
		size_t vlen = n - (v - line);
		while (vlen > 0 && is_blank(*v)) {
			v++;
			vlen--;
		}

		if (kf->n_entries >= KEYFILE_MAX_ENTRIES) {
			r = -E2BIG;
			goto out;
		}
		if (kf->n_entries == cap) {
			size_t ncap = cap * 2;
			hq_keyfile_entry *t = realloc(kf->entries, ncap * sizeof(*t));
			if (!t) {
				r = -ENOMEM;
				goto out;
			}
			kf->entries = t;
			cap = ncap;
		}
		hq_keyfile_entry *e = &kf->entries[kf->n_entries];
		*e = (hq_keyfile_entry){.group = group};
		e->key = strndup(line, klen);
		e->value = unescape(v, vlen);
		kf->n_entries++;
		if (!e->key || !e->value) {
			r = -ENOMEM;
			goto out;
		}
	}

out:
	if (!group_used)
		free(group);
	if (r < 0)
		return r;
	*ret = TAKE_PTR(kf);
	return 0;
}

const char *hq_keyfile_get(const hq_keyfile *kf, const char *group, const char *key)
{
	if (!kf || !group || !key)
		return NULL;
	/* Backwards, so the last duplicate wins. */
	for (size_t i = kf->n_entries; i > 0; i--) {
		const hq_keyfile_entry *e = &kf->entries[i - 1];
		if (e->key && strcmp(e->key, key) == 0 && strcmp(e->group, group) == 0)
			return e->value;
	}
	return NULL;
}

bool hq_keyfile_has_group(const hq_keyfile *kf, const char *group)
{
	if (!kf || !group)
		return false;
	for (size_t i = 0; i < kf->n_entries; i++)
		if (strcmp(kf->entries[i].group, group) == 0)
			return true;
	return false;
}

int hq_keyfile_get_bool(const hq_keyfile *kf, const char *group, const char *key, int def)
{
	const char *v = hq_keyfile_get(kf, group, key);

	if (!v)
		return def;
	if (strcmp(v, "true") == 0 || strcmp(v, "1") == 0)
		return 1;
	if (strcmp(v, "false") == 0 || strcmp(v, "0") == 0)
		return 0;
	return def;
}
