/* Path constraints for the file and hash tables. osquery keeps the resolved paths in a
 * std::set, so rows come out sorted; we do the same, which also keeps results stable. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hq/util.h"
#include "lib/glob.h"
#include "lib/path_constraints.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct strv {
	char **v;
	size_t n, cap;
} strv;

static int strv_push(strv *s, char *take)
{
	if (!take)
		return -ENOMEM;
	if (s->n + 2 > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		char **v = realloc(s->v, cap * sizeof(char *));
		if (!v) {
			free(take);
			return -ENOMEM;
		}
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = take;
	s->v[s->n] = NULL;
	return 0;
}

int hq_path_constraints_collect(hq_query_ctx *ctx, unsigned column, unsigned glob_flags,
				char ***ret_paths, size_t *ret_n)
{
	strv out = {0};
	int r = 0;

	HQ_CTX_FOREACH_CONSTRAINT (c, ctx, column) {
		if (c->type == HQ_VALUE_NULL || !c->text)
			continue;
		if (c->op == HQ_OP_EQ) {
			r = strv_push(&out, strndup(c->text, c->len));
			if (r < 0)
				break;
		} else if (c->op == HQ_OP_LIKE) {
			_cleanup_free_ char *pattern = strndup(c->text, c->len);
			char **found = NULL;
			size_t n = 0;
			if (!pattern) {
				r = -ENOMEM;
				break;
			}
			r = hq_glob_expand(hq_ctx_root(ctx), pattern, glob_flags, &found, &n);
			if (r < 0) {
				hq_glob_free(out.v);
				return hq_ctx_error(ctx, r, "cannot expand '%s': %m", pattern);
			}
			for (size_t i = 0; i < n && r >= 0; i++)
				r = strv_push(&out, TAKE_PTR(found[i]));
			hq_glob_free(found);
			if (r < 0)
				break;
		}
	}
	if (r < 0) {
		hq_glob_free(out.v);
		return hq_ctx_error(ctx, r, "cannot collect paths: %m");
	}

	if (out.n > 1) {
		qsort(out.v, out.n, sizeof(char *), cmp_str);
		size_t w = 1;
		for (size_t i = 1; i < out.n; i++) {
			if (strcmp(out.v[i], out.v[w - 1]) == 0)
				free(out.v[i]);
			else
				out.v[w++] = out.v[i];
		}
		out.n = w;
		out.v[w] = NULL;
	}
	if (!out.v) {
		out.v = calloc(1, sizeof(char *));
		if (!out.v)
			return hq_ctx_error(ctx, -ENOMEM, "cannot collect paths: %m");
	}
	*ret_paths = out.v;
	*ret_n = out.n;
	return 0;
}

char *hq_path_below_root(hq_query_ctx *ctx, const char *path)
{
	const char *root = hq_ctx_root(ctx);
	if (root[0] == '\0')
		return strdup(path);
	if (path[0] != '/')
		return NULL;
	char *s;
	if (asprintf(&s, "%s%s", root, path) < 0)
		return NULL;
	return s;
}

char *hq_path_filename(const char *path)
{
	size_t len = strlen(path);
	if (len == 0)
		return strdup("");
	if (strcmp(path, "/") == 0)
		return strdup("/");
	if (path[len - 1] == '/')
		return strdup(".");
	const char *slash = strrchr(path, '/');
	return strdup(slash ? slash + 1 : path);
}

char *hq_path_parent(const char *path)
{
	size_t len = strlen(path);
	if (len <= 1)
		return strdup("");
	if (path[len - 1] == '/')
		return strndup(path, len - 1);
	const char *slash = strrchr(path, '/');
	if (!slash)
		return strdup("");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

char *hq_path_join(const char *dir, const char *name)
{
	size_t dlen = strlen(dir);
	bool slash = dlen > 0 && dir[dlen - 1] == '/';
	char *s;
	if (asprintf(&s, "%s%s%s", dir, slash || dlen == 0 ? "" : "/", name) < 0)
		return NULL;
	return s;
}
