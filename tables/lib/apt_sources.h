/* Pure parsers for APT source definitions: one-line sources.list entries, deb822 .sources
 * stanzas, and the header of a cached (In)Release file. Follows osquery's reading of them:
 * only "deb" entries, the name is "<uri without scheme> <suite>", and the cache file prefix
 * is what apt names the lists under /var/lib/apt/lists/. Never logs. */
#pragma once

#include <stddef.h>

#include "lib/dpkg_status.h"

typedef struct hq_apt_source {
	char *base_uri; /* URI without trailing slashes */
	char *name;	/* "<uri without scheme> <suite>" */
	char *cache;	/* lists/ file prefix: "<host/path>_dists_<suite>" with '/' -> '_' */
} hq_apt_source;

void hq_apt_source_done(hq_apt_source *s);
void hq_apt_sources_free(hq_apt_source *s, size_t n);

/* Parses one sources.list line. Returns 1 with *ret filled (caller owns, free with
 * hq_apt_source_done), 0 when the line is no usable "deb" entry, -ENOMEM. */
int hq_apt_source_parse_line(const char *line, size_t len, hq_apt_source *ret);

/* Parses one deb822 stanza into every (URI, suite) pair. Returns the number of entries (0 when
 * the stanza is disabled, not of type deb or incomplete) with a new array in *ret (caller
 * frees with hq_apt_sources_free), or -ENOMEM. */
int hq_apt_source_parse_stanza(hq_slice stanza, hq_apt_source **ret, size_t *ret_n);

enum {
	HQ_APT_RELEASE_CODENAME,
	HQ_APT_RELEASE_VERSION,
	HQ_APT_RELEASE_ORIGIN,
	HQ_APT_RELEASE_COMPONENTS,
	HQ_APT_RELEASE_ARCHITECTURES,
	_HQ_APT_RELEASE_MAX,
};

/* Reads the single-line "Key: value" headers of an (In)Release file up to its signature;
 * out[] slices point into buf (p == NULL when absent). Values with a further ':' are skipped,
 * as osquery does. */
void hq_apt_release_parse(const char *buf, size_t size, hq_slice out[_HQ_APT_RELEASE_MAX]);
