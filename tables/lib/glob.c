/* Expansion of osquery path patterns with glob(3). '%' becomes '*'; a trailing '%%' repeats the
 * glob one level deeper (pattern, pattern/'*', pattern/'*'/'*', ...) until a level matches
 * nothing or HQ_GLOB_MAX_DEPTH is reached, which is how osquery makes it recursive. The root
 * prefix is escaped so that its characters are never taken as wildcards. */
#include <errno.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>

#include "hq/util.h"
#include "lib/glob.h"

int hq_glob_translate(const char *pattern, char **ret, bool *ret_recursive)
{
	if (!pattern || !ret || !ret_recursive)
		return -EINVAL;

	char *t = strdup(pattern);
	if (!t)
		return -ENOMEM;
	for (char *p = t; *p; p++)
		if (*p == '%')
			*p = '*';

	size_t len = strlen(pattern);
	bool recursive = false;
	if (len >= 2 && strcmp(pattern + len - 2, "%%") == 0)
		recursive = true;
	else if (len >= 3 && strcmp(pattern + len - 3, "%%/") == 0)
		recursive = true;

	*ret_recursive = recursive;
	*ret = t;
	return 0;
}

char *hq_glob_escape(const char *literal)
{
	size_t len = strlen(literal);
	char *out = malloc(len * 2 + 1);
	if (!out)
		return NULL;

	char *o = out;
	for (const char *p = literal; *p; p++) {
		if (strchr("*?[]{}\\~", *p))
			*o++ = '\\';
		*o++ = *p;
	}
	*o = '\0';
	return out;
}

void hq_glob_free(char **paths)
{
	if (!paths)
		return;
	for (char **p = paths; *p; p++)
		free(*p);
	free(paths);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void hq_glob_sort_unique(char **v, size_t *n)
{
	if (*n < 2)
		return;
	qsort(v, *n, sizeof(char *), cmp_str);
	size_t w = 1;
	for (size_t i = 1; i < *n; i++) {
		if (strcmp(v[i], v[w - 1]) == 0)
			free(v[i]);
		else
			v[w++] = v[i];
	}
	*n = w;
	v[w] = NULL;
}

typedef struct path_list {
	char **v;
	size_t n;
	size_t cap;
} path_list;

static int path_list_add(path_list *l, const char *s)
{
	if (l->n >= HQ_GLOB_MAX_RESULTS)
		return -E2BIG;
	if (l->n + 2 > l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		char **v = realloc(l->v, cap * sizeof(char *));
		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	char *copy = strdup(s);
	if (!copy)
		return -ENOMEM;
	l->v[l->n++] = copy;
	l->v[l->n] = NULL;
	return 0;
}

/* Runs one glob(3) level and appends the kept matches. Returns the number of matches (kept or
 * not), so the caller knows whether to descend, or -errno. */
static int glob_level(const char *pattern, size_t root_len, int glob_flags, unsigned flags,
		      path_list *out)
{
	glob_t g = {0};
	int r = glob(pattern, glob_flags, NULL, &g);
	if (r == GLOB_NOMATCH || r == GLOB_ABORTED) {
		globfree(&g);
		return 0;
	}
	if (r != 0) {
		globfree(&g);
		return -ENOMEM;
	}

	int count = 0;
	for (size_t i = 0; i < g.gl_pathc; i++) {
		const char *found = g.gl_pathv[i];
		size_t len = strlen(found);
		count++;
		if (len <= root_len)
			continue;
		bool is_dir = found[len - 1] == '/';
		if (is_dir && !(flags & HQ_GLOB_FOLDERS))
			continue;
		if (!is_dir && !(flags & HQ_GLOB_FILES))
			continue;
		r = path_list_add(out, found + root_len);
		if (r < 0) {
			globfree(&g);
			return r;
		}
	}
	globfree(&g);
	return count;
}

/* Hands the list over, allocating an empty one when nothing matched. */
static int finish(char **v, size_t n, char ***ret_paths, size_t *ret_n)
{
	if (!v) {
		v = calloc(1, sizeof(char *));
		if (!v)
			return -ENOMEM;
	}
	*ret_paths = v;
	*ret_n = n;
	return 0;
}

int hq_glob_expand(const char *root, const char *pattern, unsigned flags, char ***ret_paths,
		   size_t *ret_n)
{
	if (!root || !pattern || !ret_paths || !ret_n)
		return -EINVAL;
	if (strcmp(root, "/") == 0)
		root = "";

	/* Below a root only absolute host paths make sense. */
	if (root[0] != '\0' && pattern[0] != '/')
		return finish(NULL, 0, ret_paths, ret_n);

	path_list out = {0};
	int r;
	_cleanup_free_ char *translated = NULL;
	bool recursive;
	r = hq_glob_translate(pattern, &translated, &recursive);
	if (r < 0)
		return r;

	_cleanup_free_ char *escaped_root = hq_glob_escape(root);
	if (!escaped_root)
		return -ENOMEM;

	size_t tlen = strlen(translated);
	/* "dir/%%/" descends like "dir/%%". */
	if (recursive && tlen > 1 && translated[tlen - 1] == '/')
		translated[--tlen] = '\0';

	size_t root_len = strlen(root);
	size_t elen = strlen(escaped_root);
	size_t cap = elen + tlen + 2 * HQ_GLOB_MAX_DEPTH + 1;
	_cleanup_free_ char *cur = malloc(cap);
	if (!cur)
		return -ENOMEM;
	memcpy(cur, escaped_root, elen);
	memcpy(cur + elen, translated, tlen + 1);

	int glob_flags = GLOB_MARK | GLOB_BRACE | GLOB_NOSORT;
	if (root[0] == '\0')
		glob_flags |= GLOB_TILDE;

	for (unsigned level = 0; level < HQ_GLOB_MAX_DEPTH; level++) {
		r = glob_level(cur, root_len, glob_flags, flags, &out);
		if (r < 0)
			goto fail;
		if (r == 0 || !recursive)
			break;
		strcat(cur, "/*");
	}

	hq_glob_sort_unique(out.v, &out.n);
	return finish(out.v, out.n, ret_paths, ret_n);

fail:
	hq_glob_free(out.v);
	return r;
}
