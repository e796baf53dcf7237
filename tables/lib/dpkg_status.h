/* A pure deb822 parser for the dpkg status database and APT .sources files. Everything works on
 * a caller-owned buffer and hands back slices into it (no allocation, no NUL needed), so a
 * whole status file is scanned once with memchr. Never logs. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hq/query.h"

/* A borrowed slice of the input buffer. */
typedef struct hq_slice {
	const char *p;
	size_t n;
} hq_slice;

/* Whitespace as the deb822 and /etc file parsers skip it (isspace() in the C locale). */
static inline bool hq_char_is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

/* The n bytes at p without leading and trailing blanks. */
static inline hq_slice hq_slice_trim(const char *p, size_t n)
{
	while (n > 0 && hq_char_is_blank(*p)) {
		p++;
		n--;
	}
	while (n > 0 && hq_char_is_blank(p[n - 1]))
		n--;
	return (hq_slice){p, n};
}

static inline bool hq_slice_eq(hq_slice s, const char *lit)
{
	size_t l = 0;

	while (lit[l])
		l++;
	return s.p && s.n == l && (l == 0 || __builtin_memcmp(s.p, lit, l) == 0);
}

/* One field of a stanza. name excludes the colon; value is trimmed of surrounding whitespace
 * and, for multi-line fields, spans every continuation line (newlines and the continuation
 * indentation included, exactly as in the buffer). */
typedef struct hq_deb822_field {
	hq_slice name;
	hq_slice value;
} hq_deb822_field;

/* Finds the next stanza (paragraph) at or after *pos: stanzas are separated by one or more
 * blank (whitespace-only) lines; '#' comment lines belong to no field. Returns 1 and the
 * stanza's span in ret_stanza, 0 at the end of the buffer. *pos is advanced past it. */
int hq_deb822_next_stanza(const char *buf, size_t size, size_t *pos, hq_slice *ret_stanza);

/* Iterates the fields of a stanza span (from hq_deb822_next_stanza): returns 1 with the next
 * field, 0 when done. Lines that are neither "Name: value" nor continuations are skipped. */
int hq_deb822_next_field(hq_slice stanza, size_t *pos, hq_deb822_field *ret);

/* Case-insensitive field-name comparison, as deb822 requires. */
bool hq_deb822_name_is(hq_slice name, const char *field);

/* The status-file fields the package tables use. */
typedef enum hq_dpkg_field {
	HQ_DPKG_PACKAGE,
	HQ_DPKG_STATUS,
	HQ_DPKG_PRIORITY,
	HQ_DPKG_SECTION,
	HQ_DPKG_INSTALLED_SIZE,
	HQ_DPKG_MAINTAINER,
	HQ_DPKG_ARCHITECTURE,
	HQ_DPKG_MULTI_ARCH,
	HQ_DPKG_SOURCE,
	HQ_DPKG_VERSION,
	HQ_DPKG_CONFIG_VERSION,
	_HQ_DPKG_FIELD_MAX,
	_HQ_DPKG_FIELD_INVALID = -22,
} hq_dpkg_field;

/* Field slices of one status stanza; unset fields have p == NULL. */
typedef struct hq_dpkg_package {
	hq_slice field[_HQ_DPKG_FIELD_MAX];
} hq_dpkg_package;

/* Fills ret with the known fields of one stanza. Returns 0, or -EBADMSG when the stanza has no
 * Package field. Later duplicates of a field win, like dpkg's parser. */
int hq_dpkg_package_parse(hq_slice stanza, hq_dpkg_package *ret);

/* Single-pass form of hq_deb822_next_stanza() + hq_dpkg_package_parse() for whole status files:
 * fills ret with the next stanza that has a Package field. Returns 1, or 0 at the end. */
int hq_dpkg_next_package(const char *buf, size_t size, size_t *pos, hq_dpkg_package *ret);

/* The three words of a Status field. */
typedef struct hq_dpkg_status {
	hq_slice want;	 /* unknown install hold deinstall purge */
	hq_slice eflag;	 /* ok reinstreq */
	hq_slice status; /* not-installed config-files half-installed unpacked ... installed */
} hq_dpkg_status;

/* Splits a Status value into its words. Returns 0 or -EBADMSG unless there are exactly three. */
int hq_dpkg_status_parse(hq_slice value, hq_dpkg_status *ret);

/* A version split the dpkg way: [epoch:]upstream[-revision]. The epoch is the digits before the
 * first colon (empty when absent), the revision follows the last hyphen (empty when absent). */
typedef struct hq_dpkg_version {
	hq_slice epoch;
	hq_slice upstream;
	hq_slice revision;
	uint64_t epoch_value;
} hq_dpkg_version;

/* Returns 0, or -EBADMSG for an empty version, a non-numeric or overflowing epoch, an empty
 * upstream part, or embedded whitespace. */
int hq_dpkg_version_parse(hq_slice value, hq_dpkg_version *ret);

/* Writes the version in dpkg's non-ambiguous form (the epoch only when non-zero) into buf,
 * NUL-terminated. Returns the length, or -ENOBUFS when size is too small. */
int hq_dpkg_version_format(const hq_dpkg_version *v, char *buf, size_t size);

/* The "Source" field without its optional " (version)" suffix. */
hq_slice hq_dpkg_source_name(hq_slice source);

/* Table glue shared by deb_packages and deb_package_files (not part of the pure parser). */

#define HQ_DPKG_ADMINDIR "/var/lib/dpkg"

/* Called with each dpkg database directory to read; non-zero stops and is returned. */
typedef int (*hq_dpkg_admindir_fn)(hq_query_ctx *ctx, hq_row_sink *sink, const char *admindir,
				   void *userdata);

/* Calls fn for each admindir = '<path>' text constraint on column admindir_col, or once with
 * HQ_DPKG_ADMINDIR when there is none. A relative path fails the query ("<table>: admindir
 * must be absolute", -EINVAL). Returns 0 or the first non-zero value of fn. */
int hq_dpkg_foreach_admindir(hq_query_ctx *ctx, hq_row_sink *sink, int admindir_col,
			     const char *table, hq_dpkg_admindir_fn fn, void *userdata);
