/* Internal structures shared by the generic virtual table (vtab.c), the query context
 * (query_ctx.c) and the row sink (row_sink.c). Nothing outside agent/sql includes this. */
#pragma once

#include <stdint.h>

#include "hq/query.h"
#include "hq/row.h"
#include "hq/table.h"

/* Chunked bump allocator owned by one scan; freed in one go, capped at max bytes. */
typedef struct hq_arena_chunk hq_arena_chunk;
typedef struct hq_arena {
	hq_arena_chunk *head;
	size_t total;
	size_t max;
} hq_arena;

void *hq_arena_alloc(hq_arena *a, size_t n);
char *hq_arena_strndup(hq_arena *a, const char *s, size_t n);
void hq_arena_reset(hq_arena *a);

typedef enum hq_cell_type {
	HQ_CELL_NULL,
	HQ_CELL_INT,
	HQ_CELL_DOUBLE,
	HQ_CELL_TEXT,
	HQ_CELL_BLOB,
} hq_cell_type;

typedef struct hq_cell {
	union {
		int64_t i;
		double d;
		const char *p;
	};
	uint32_t len;
	uint8_t type;
} hq_cell;

struct hq_row {
	hq_row_sink *sink;
	hq_cell *cells;
	int error;
};

struct hq_row_sink {
	unsigned n_cols;
	hq_cell *cells; /* n_rows * n_cols, row-major */
	size_t n_rows;
	size_t cap_rows;
	int64_t limit; /* stop after this many rows; -1 = none */
	hq_arena arena;
	hq_row row; /* the row being built */
	bool building;
};

void hq_row_sink_init(hq_row_sink *sink, unsigned n_cols, int64_t limit, size_t max_bytes);
void hq_row_sink_done(hq_row_sink *sink);

struct hq_query_ctx {
	const hq_table_def *def;
	const char *root; /* "" or a directory without trailing slash */
	uint64_t col_used;
	hq_constraint *cons;
	size_t n_cons;
	size_t cap_cons;
	int64_t limit;
	char *error;
	hq_arena arena; /* constraint texts */
};

void hq_query_ctx_init(hq_query_ctx *ctx, const hq_table_def *def, const char *root);
void hq_query_ctx_done(hq_query_ctx *ctx);
/* Adds one constraint, copying its text into the context. -ENOMEM on failure. */
int hq_query_ctx_add(hq_query_ctx *ctx, unsigned column, hq_op op, hq_value_type type,
		     const char *text, size_t len, int64_t i64, double dbl);
