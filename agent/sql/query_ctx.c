/* The query context handed to generators: constraints pushed down by xBestIndex/xFilter,
 * columns used, LIMIT, the host-path root and the error message slot. */
#include <stdarg.h>

#include "sql/bridge.h"

void hq_query_ctx_init(hq_query_ctx *ctx, const hq_table_def *def, const char *root)
{
	*ctx = (hq_query_ctx){
		.def = def, .root = root ? root : "", .col_used = UINT64_MAX, .limit = -1};
}

void hq_query_ctx_done(hq_query_ctx *ctx)
{
	free(ctx->cons);
	free(ctx->error);
	hq_arena_reset(&ctx->arena);
	ctx->cons = NULL;
	ctx->error = NULL;
	ctx->n_cons = ctx->cap_cons = 0;
}

int hq_query_ctx_add(hq_query_ctx *ctx, unsigned column, hq_op op, hq_value_type type,
		     const char *text, size_t len, int64_t i64, double dbl)
{
	hq_constraint *c;

	if (ctx->n_cons == ctx->cap_cons) {
		size_t ncap = ctx->cap_cons ? ctx->cap_cons * 2 : 8;
		hq_constraint *n = reallocarray(ctx->cons, ncap, sizeof(*n));

		if (!n)
			return -ENOMEM;
		ctx->cons = n;
		ctx->cap_cons = ncap;
	}
	c = &ctx->cons[ctx->n_cons];
	*c = (hq_constraint){.column = column, .op = op, .type = type, .i64 = i64, .dbl = dbl};
	if (text) {
		c->text = hq_arena_strndup(&ctx->arena, text, len);
		if (!c->text)
			return -ENOMEM;
		c->len = len;
	}
	ctx->n_cons++;
	return 0;
}

const hq_constraint *hq_ctx_next_constraint(const hq_query_ctx *ctx, unsigned column,
					    const hq_constraint *prev)
{
	size_t i = prev ? (size_t)(prev - ctx->cons) + 1 : 0;

	for (; i < ctx->n_cons; i++)
		if (ctx->cons[i].column == column)
			return &ctx->cons[i];
	return NULL;
}

bool hq_ctx_has_constraint(const hq_query_ctx *ctx, unsigned column, hq_op op)
{
	HQ_CTX_FOREACH_CONSTRAINT (c, ctx, column)
		if (c->op == op)
			return true;
	return false;
}

bool hq_ctx_column_used(const hq_query_ctx *ctx, unsigned column)
{
	/* SQLite's colUsed: bit 63 stands for column 63 and every column after it. */
	if (column >= 63)
		return (ctx->col_used >> 63) & 1;
	return (ctx->col_used >> column) & 1;
}

int64_t hq_ctx_limit(const hq_query_ctx *ctx)
{
	return ctx->limit;
}

const hq_table_def *hq_ctx_table(const hq_query_ctx *ctx)
{
	return ctx->def;
}

const char *hq_ctx_root(const hq_query_ctx *ctx)
{
	return ctx->root;
}

char *hq_ctx_path(const hq_query_ctx *ctx, const char *path)
{
	size_t rl = strlen(ctx->root), pl = strlen(path);
	char *p = malloc(rl + pl + 2);

	if (!p)
		return NULL;
	memcpy(p, ctx->root, rl);
	if (path[0] != '/')
		p[rl++] = '/';
	memcpy(p + rl, path, pl + 1);
	return p;
}

int hq_ctx_open(const hq_query_ctx *ctx, const char *path, int flags)
{
	_cleanup_free_ char *full = NULL;
	int fd;

	if (!ctx->root[0])
		fd = open(path, flags | O_CLOEXEC);
	else {
		full = hq_ctx_path(ctx, path);
		if (!full)
			return -ENOMEM;
		fd = open(full, flags | O_CLOEXEC);
	}
	return fd < 0 ? -errno : fd;
}

int hq_ctx_read_file(const hq_query_ctx *ctx, const char *path, size_t max_size, char **ret,
		     size_t *ret_size)
{
	_cleanup_free_ char *full = NULL;

	if (!ctx->root[0])
		return hq_read_full_file_at(AT_FDCWD, path, max_size, ret, ret_size);
	full = hq_ctx_path(ctx, path);
	if (!full)
		return -ENOMEM;
	return hq_read_full_file_at(AT_FDCWD, full, max_size, ret, ret_size);
}

int hq_ctx_error(hq_query_ctx *ctx, int r, const char *fmt, ...)
{
	char *msg = NULL;
	va_list ap;

	if (r >= 0)
		r = -EIO;
	errno = -r; /* for %m */
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	free(ctx->error);
	ctx->error = msg;
	return r;
}
