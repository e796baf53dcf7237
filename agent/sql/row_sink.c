/* Row sink: the typed rows a generator pushes, stored row-major in one growable cell array,
 * with strings in a per-scan arena. Everything is released in hq_row_sink_done(). */
#include <stdarg.h>

#include "sql/bridge.h"

struct hq_arena_chunk {
	hq_arena_chunk *next;
	size_t used;
	size_t size;
	char data[];
};

#define ARENA_CHUNK_SIZE (64 * 1024)

void *hq_arena_alloc(hq_arena *a, size_t n)
{
	hq_arena_chunk *c = a->head;
	size_t aligned = (n + 7) & ~(size_t)7;

	if (aligned < n)
		return NULL;
	if (!c || c->size - c->used < aligned) {
		size_t size = aligned > ARENA_CHUNK_SIZE ? aligned : ARENA_CHUNK_SIZE;

		if (a->max && a->total + size > a->max) {
			errno = E2BIG;
			return NULL;
		}
		c = malloc(sizeof(*c) + size);
		if (!c) {
			errno = ENOMEM;
			return NULL;
		}
		c->size = size;
		c->used = 0;
		c->next = a->head;
		a->head = c;
		a->total += size;
	}
	void *p = c->data + c->used;
	c->used += aligned;
	return p;
}

char *hq_arena_strndup(hq_arena *a, const char *s, size_t n)
{
	char *p = hq_arena_alloc(a, n + 1);

	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void hq_arena_reset(hq_arena *a)
{
	while (a->head) {
		hq_arena_chunk *next = a->head->next;

		free(a->head);
		a->head = next;
	}
	a->total = 0;
}

void hq_row_sink_init(hq_row_sink *sink, unsigned n_cols, int64_t limit, size_t max_bytes)
{
	*sink = (hq_row_sink){.n_cols = n_cols, .limit = limit, .arena.max = max_bytes};
}

void hq_row_sink_done(hq_row_sink *sink)
{
	free(sink->cells);
	hq_arena_reset(&sink->arena);
	sink->cells = NULL;
	sink->n_rows = sink->cap_rows = 0;
}

int hq_row_begin(hq_row_sink *sink, hq_row **ret_row)
{
	if (!sink || !ret_row)
		return -EINVAL;
	if (sink->n_rows == sink->cap_rows) {
		size_t ncap = sink->cap_rows ? sink->cap_rows * 2 : 64;
		size_t bytes;
		hq_cell *n;

		if (__builtin_mul_overflow(ncap, (size_t)sink->n_cols * sizeof(hq_cell), &bytes))
			return -E2BIG;
		if (sink->arena.max && bytes > sink->arena.max)
			return -E2BIG;
		n = realloc(sink->cells, bytes ? bytes : 1);
		if (!n)
			return -ENOMEM;
		sink->cells = n;
		sink->cap_rows = ncap;
	}
	sink->row.sink = sink;
	sink->row.cells = sink->cells + sink->n_rows * sink->n_cols;
	sink->row.error = 0;
	memset(sink->row.cells, 0, sizeof(hq_cell) * sink->n_cols);
	sink->building = true;
	*ret_row = &sink->row;
	return 0;
}

int hq_row_commit(hq_row_sink *sink, hq_row *row)
{
	if (!sink || row != &sink->row || !sink->building)
		return -EINVAL;
	sink->building = false;
	if (row->error < 0)
		return row->error;
	sink->n_rows++;
	if (sink->limit >= 0 && (int64_t)sink->n_rows >= sink->limit)
		return 1;
	return 0;
}

static hq_cell *row_cell(hq_row *row, unsigned col)
{
	if (_unlikely_(!row || col >= row->sink->n_cols)) {
		if (row)
			row->error = -EINVAL;
		return NULL;
	}
	return &row->cells[col];
}

void hq_row_set_null(hq_row *row, unsigned col)
{
	hq_cell *c = row_cell(row, col);

	if (c)
		c->type = HQ_CELL_NULL;
}

void hq_row_set_int64(hq_row *row, unsigned col, int64_t v)
{
	hq_cell *c = row_cell(row, col);

	if (c) {
		c->type = HQ_CELL_INT;
		c->i = v;
	}
}

void hq_row_set_double(hq_row *row, unsigned col, double v)
{
	hq_cell *c = row_cell(row, col);

	if (c) {
		c->type = HQ_CELL_DOUBLE;
		c->d = v;
	}
}

static void set_bytes(hq_row *row, unsigned col, const void *data, size_t len, uint8_t type)
{
	hq_cell *c = row_cell(row, col);
	char *p;

	if (!c)
		return;
	if (len > UINT32_MAX) {
		row->error = -E2BIG;
		return;
	}
	p = hq_arena_alloc(&row->sink->arena, len + 1);
	if (!p) {
		row->error = -errno;
		return;
	}
	if (len)
		memcpy(p, data, len);
	p[len] = '\0';
	c->type = type;
	c->p = p;
	c->len = (uint32_t)len;
}

void hq_row_set_text_len(hq_row *row, unsigned col, const char *s, size_t len)
{
	if (!s) {
		hq_row_set_null(row, col);
		return;
	}
	set_bytes(row, col, s, len, HQ_CELL_TEXT);
}

void hq_row_set_text(hq_row *row, unsigned col, const char *s)
{
	hq_row_set_text_len(row, col, s, s ? strlen(s) : 0);
}

void hq_row_set_text_static(hq_row *row, unsigned col, const char *s)
{
	hq_cell *c = row_cell(row, col);
	size_t len;

	if (!c)
		return;
	if (!s) {
		c->type = HQ_CELL_NULL;
		return;
	}
	len = strlen(s);
	if (len > UINT32_MAX) {
		row->error = -E2BIG;
		return;
	}
	c->type = HQ_CELL_TEXT;
	c->p = s;
	c->len = (uint32_t)len;
}

void hq_row_set_textf(hq_row *row, unsigned col, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0) {
		row->error = -EINVAL;
		return;
	}
	if ((size_t)n < sizeof(small)) {
		set_bytes(row, col, small, (size_t)n, HQ_CELL_TEXT);
		return;
	}
	hq_cell *c = row_cell(row, col);
	char *p;

	if (!c)
		return;
	p = hq_arena_alloc(&row->sink->arena, (size_t)n + 1);
	if (!p) {
		row->error = -errno;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	c->type = HQ_CELL_TEXT;
	c->p = p;
	c->len = (uint32_t)n;
}

void hq_row_set_blob(hq_row *row, unsigned col, const void *data, size_t len)
{
	set_bytes(row, col, data, len, HQ_CELL_BLOB);
}
