/* The query context a generator sees: pushed-down constraints, the columns the query uses, a
 * pushed-down LIMIT, the host-path root and the error slot. Tables never see SQLite types. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hq/table.h"
#include "hq/util.h"

typedef enum hq_op {
	HQ_OP_EQ, /* also every value of an IN (...) list */
	HQ_OP_GT,
	HQ_OP_LE,
	HQ_OP_LT,
	HQ_OP_GE,
	HQ_OP_LIKE,
	HQ_OP_GLOB,
	HQ_OP_NE,
	_HQ_OP_MAX,
} hq_op;

typedef enum hq_value_type {
	HQ_VALUE_NULL,
	HQ_VALUE_INTEGER,
	HQ_VALUE_DOUBLE,
	HQ_VALUE_TEXT,
	HQ_VALUE_BLOB,
} hq_value_type;

/* One constraint value. text is always set for non-NULL values (the SQL text rendering of
 * numbers), i64/dbl are the numeric conversions. All of it lives until the scan ends. */
typedef struct hq_constraint {
	unsigned column;
	hq_op op;
	hq_value_type type;
	const char *text;
	size_t len;
	int64_t i64;
	double dbl;
} hq_constraint;

/* Iterates the constraints on one column: pass NULL first, then the previous result. */
const hq_constraint *hq_ctx_next_constraint(const hq_query_ctx *ctx, unsigned column,
					    const hq_constraint *prev);

#define HQ_CTX_FOREACH_CONSTRAINT(c, ctx, column)                                                  \
	for (const hq_constraint *c = hq_ctx_next_constraint((ctx), (column), NULL); c;            \
	     c = hq_ctx_next_constraint((ctx), (column), c))

/* Whether the column has a constraint with this operator (HQ_OP_EQ covers IN lists). */
bool hq_ctx_has_constraint(const hq_query_ctx *ctx, unsigned column, hq_op op);

/* Whether the query reads this column (colUsed). Generators skip work for unused columns. */
bool hq_ctx_column_used(const hq_query_ctx *ctx, unsigned column);

/* Pushed-down LIMIT (+OFFSET) or -1. hq_row_commit() already stops at it. */
int64_t hq_ctx_limit(const hq_query_ctx *ctx);

const hq_table_def *hq_ctx_table(const hq_query_ctx *ctx);

/* The host-path root ("" for the real root, else a directory without trailing slash). Every
 * host file a table reads goes through it. */
const char *hq_ctx_root(const hq_query_ctx *ctx);

/* Joins the root and an absolute host path into a new string (caller frees); NULL on OOM. */
char *hq_ctx_path(const hq_query_ctx *ctx, const char *path);

/* Opens an absolute host path below the root with O_CLOEXEC added. Returns fd or -errno. */
int hq_ctx_open(const hq_query_ctx *ctx, const char *path, int flags);

/* Reads a whole host file below the root (see hq_read_full_file_at). */
int hq_ctx_read_file(const hq_query_ctx *ctx, const char *path, size_t max_size, char **ret,
		     size_t *ret_size);

/* Records the message the user sees for a failed scan and returns r (negative errno), so a
 * generator can write `return hq_ctx_error(ctx, r, "...: %m")`. %m prints strerror(-r). */
int hq_ctx_error(hq_query_ctx *ctx, int r, const char *fmt, ...) _printf_(3, 4);

/* Debug-level logging for tables and parsers (shown with --verbose). */
void hq_log_debug(const char *fmt, ...) _printf_(1, 2);
