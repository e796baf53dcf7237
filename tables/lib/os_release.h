/* Parsers for the OS release files: os-release(5) key=value text and the one-line
 * /etc/redhat-release or /etc/gentoo-release ("CentOS Linux release 7.9.2009 (Core)"). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The os-release keys osquery uses; NULL when absent. Strings are owned by the struct. */
typedef struct hq_os_release {
	char *name;	  /* NAME */
	char *version;	  /* VERSION */
	char *version_id; /* VERSION_ID */
	char *build_id;	  /* BUILD_ID */
	char *id;	  /* ID */
	char *id_like;	  /* ID_LIKE */
	char *codename;	  /* VERSION_CODENAME or the last other *CODENAME* key */
} hq_os_release;

/* Parses os-release text (len bytes, need not be NUL-terminated). Unknown keys, comments and
 * malformed lines are skipped; one pair of surrounding quotes is removed from values. Returns 0
 * or -ENOMEM (ret is then cleared). */
int hq_os_release_parse(const char *buf, size_t len, hq_os_release *ret);
void hq_os_release_done(hq_os_release *r);

/* Splits a dotted version ("22.04", "7.9.2009") into up to three decimal numbers. have[i] is
 * false for a missing or non-numeric component. A string with more than three components
 * yields none, as osquery does. */
void hq_version_split(const char *version, int64_t ret[3], bool have[3]);

/* What a legacy release file says: name and numbers from its first matching line, and the
 * whole text with whitespace runs collapsed (osquery reports it as the version). */
typedef struct hq_release_file {
	char *name; /* NULL when no line matched */
	char *text;
	int64_t major, minor, patch;
	bool have_major, have_minor, have_patch;
} hq_release_file;

/* Parses a legacy release file. Returns 0 or -ENOMEM / -EINVAL. */
int hq_release_file_parse(const char *buf, size_t len, hq_release_file *ret);
void hq_release_file_done(hq_release_file *r);
