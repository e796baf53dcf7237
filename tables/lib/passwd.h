/* Parsers for single lines of /etc/passwd and /etc/group (the files the users and groups tables
 * read directly, without NSS). Lines are split in place: the returned strings point into the
 * caller's line buffer. */
#pragma once

#include <stdint.h>

typedef struct hq_passwd_entry {
	const char *name;
	const char *passwd;
	uint32_t uid;
	uint32_t gid;
	const char *gecos;
	const char *dir;
	const char *shell;
} hq_passwd_entry;

typedef struct hq_group_entry {
	const char *name;
	const char *passwd;
	uint32_t gid;
	const char *members; /* comma-separated, may be "" */
} hq_group_entry;

/* Parses one passwd line (without its newline), modifying it. Returns 0, or -EINVAL for
 * comments, blank lines, NIS "+"/"-" entries, a wrong field count or ids that are not
 * decimal numbers below 2^32. */
int hq_passwd_parse_line(char *line, hq_passwd_entry *ret);

/* Same for one group line (4 fields). */
int hq_group_parse_line(char *line, hq_group_entry *ret);

/* Parses a uid/gid: decimal digits only, value below 2^32. Returns 0 or -EINVAL / -ERANGE. */
int hq_parse_id(const char *s, uint32_t *ret);
