/* osquery's path patterns: a LIKE pattern on a path column is expanded as a glob where '%'
 * matches within one path component and a trailing '%%' matches everything below, at any depth.
 * The patterns are expanded below a host-path root and the results are host paths again. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

enum {
	HQ_GLOB_FILES = 1 << 0,	  /* keep non-directories */
	HQ_GLOB_FOLDERS = 1 << 1, /* keep directories (reported with a trailing '/') */
	HQ_GLOB_ALL = HQ_GLOB_FILES | HQ_GLOB_FOLDERS,
};

/* Deepest level a trailing '%%' descends to, and the most paths one expansion may return. */
#define HQ_GLOB_MAX_DEPTH 64
#define HQ_GLOB_MAX_RESULTS 500000

/* Translates an osquery pattern into a glob(3) pattern ('%' becomes '*'). *ret_recursive tells
 * whether the pattern ends in '%%' (optionally followed by one '/'), which makes the expansion
 * descend. Returns 0, -EINVAL for NULL arguments or -ENOMEM; *ret is the caller's to free. */
int hq_glob_translate(const char *pattern, char **ret, bool *ret_recursive);

/* Escapes glob(3) metacharacters in a literal string (the root prefix). Caller frees. */
char *hq_glob_escape(const char *literal);

/* Expands pattern (an absolute host path pattern; relative ones only when root is "") below
 * root ("" for the real root). The results are host paths without the root prefix, sorted and
 * without duplicates; directories end with '/'. flags choose files and/or folders. A pattern
 * that matches nothing gives 0 results, not an error. Returns 0 or -ENOMEM / -E2BIG; *ret_paths
 * is a NULL-terminated array the caller frees with hq_glob_free(). */
int hq_glob_expand(const char *root, const char *pattern, unsigned flags, char ***ret_paths,
		   size_t *ret_n);

void hq_glob_free(char **paths);

/* Sorts the n strings of v (strcmp order) and frees the duplicates; *n becomes the number kept
 * and v stays NULL-terminated. */
void hq_glob_sort_unique(char **v, size_t *n);
