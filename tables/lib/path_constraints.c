/* Path constraints for the file and hash tables. osquery keeps the resolved paths in a
 * std::set, so rows come out sorted; we do the same, which also keeps results stable. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hq/table.h"
#include "hq/util.h"
#include "lib/glob.h"
#include "lib/path_constraints.h"

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

	hq_glob_sort_unique(out.v, &out.n);
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

int hq_path_list_dir(const char *real, char ***ret_names, size_t *ret_n)
{
	*ret_names = NULL;
	*ret_n = 0;
	int fd = open(real, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -ENOMEM;
	}

	strv names = {0};
	int r = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		r = strv_push(&names, strdup(de->d_name));
		if (r < 0)
			break;
	}
	closedir(d);
	if (r < 0) {
		hq_glob_free(names.v);
		return r;
	}
	if (!names.v) {
		names.v = calloc(1, sizeof(char *));
		if (!names.v)
			return -ENOMEM;
	}
	/* Entry names are unique: this only sorts. */
	hq_glob_sort_unique(names.v, &names.n);
	*ret_names = names.v;
	*ret_n = names.n;
	return 0;
}

int hq_path_constraints_generate(hq_query_ctx *ctx, hq_row_sink *sink, unsigned path_column,
				 unsigned path_glob_flags, unsigned directory_column,
				 hq_path_emit_fn emit)
{
	const char *table = hq_ctx_table(ctx)->name;
	char **paths = NULL, **dirs = NULL;
	size_t n_paths, n_dirs;
	int r;

	r = hq_path_constraints_collect(ctx, path_column, path_glob_flags, &paths, &n_paths);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n_paths; i++) {
		_cleanup_free_ char *parent = hq_path_parent(paths[i]);
		r = parent ? emit(ctx, sink, paths[i], parent) : -ENOMEM;
		if (r != 0)
			goto out;
	}

	r = hq_path_constraints_collect(ctx, directory_column, HQ_GLOB_FOLDERS, &dirs, &n_dirs);
	if (r < 0)
		goto out_error_set;
	for (size_t i = 0; i < n_dirs; i++) {
		_cleanup_free_ char *real = hq_path_below_root(ctx, dirs[i]);
		if (!real)
			continue;
		char **names;
		size_t n;
		r = hq_path_list_dir(real, &names, &n);
		if (r < 0)
			goto out;
		if (!names) {
			hq_log_debug("%s: cannot list %s, skipping", table, real);
			continue;
		}
		for (size_t j = 0; j < n && r == 0; j++) {
			_cleanup_free_ char *p = hq_path_join(dirs[i], names[j]);
			r = p ? emit(ctx, sink, p, dirs[i]) : -ENOMEM;
		}
		hq_glob_free(names);
		if (r != 0)
			goto out;
	}
	r = 0;

out:
	if (r < 0)
		r = hq_ctx_error(ctx, r, "%s: %m", table);
out_error_set:
	hq_glob_free(paths);
	hq_glob_free(dirs);
	return r > 0 ? 0 : r;
}
