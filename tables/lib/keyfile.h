/* A parser for GLib-style key files (the INI dialect of NetworkManager keyfiles, iwd network
 * files and NetworkManager's timestamps file): [group] lines, key=value pairs, '#' comments,
 * and GLib's value escapes (\s \n \t \r \\). Pure: takes a buffer, never logs. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "hq/util.h"

typedef struct hq_keyfile_entry {
	char *group;
	char *key;
	char *value; /* unescaped */
} hq_keyfile_entry;

typedef struct hq_keyfile {
	hq_keyfile_entry *entries;
	size_t n_entries;
	size_t n_groups;
} hq_keyfile;

/* Parses len bytes of buf (need not be NUL-terminated). Lines outside any group, lines without
 * '=' and empty keys are skipped, as are lines in a malformed group header's scope. A later
 * duplicate key in the same group wins on lookup, as in GLib. Returns 0 and a new keyfile the
 * caller frees with hq_keyfile_free(), -ENOMEM, or -E2BIG past 100000 entries. */
int hq_keyfile_parse(const char *buf, size_t len, hq_keyfile **ret);

/* Frees kf (NULL is fine) and returns NULL. */
hq_keyfile *hq_keyfile_free(hq_keyfile *kf);
HQ_DEFINE_TRIVIAL_CLEANUP_FUNC(hq_keyfile *, hq_keyfile_free)

/* The value of group/key (borrowed from kf), or NULL when absent. */
const char *hq_keyfile_get(const hq_keyfile *kf, const char *group, const char *key);

/* Whether the file has the group (even an empty one). */
bool hq_keyfile_has_group(const hq_keyfile *kf, const char *group);

/* A boolean value as GLib reads it ("true"/"false"/"1"/"0", trailing blanks ignored); def when
 * the key is absent or not a boolean. */
int hq_keyfile_get_bool(const hq_keyfile *kf, const char *group, const char *key, int def);
