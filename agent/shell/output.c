/* Result printing in osqueryi's output modes: pretty tables, line, csv/list and JSON (an array
 * of objects whose values are all strings, as osqueryi --json prints them). */
#include <jansson.h>
#include <time.h>

#include "hq/util.h"
#include "shell/shell.h"

typedef struct row_store {
	char **cells; /* n_rows * n_cols, NULL for SQL NULL */
	size_t n_rows;
	size_t cap_rows;
	int n_cols;
} row_store;

static void row_store_done(row_store *rs)
{
	for (size_t i = 0; i < rs->n_rows * (size_t)rs->n_cols; i++)
		free(rs->cells[i]);
	free(rs->cells);
}

static int row_store_add(row_store *rs, sqlite3_stmt *stmt)
{
	if (rs->n_rows == rs->cap_rows) {
		size_t ncap = rs->cap_rows ? rs->cap_rows * 2 : 64;
		char **n = reallocarray(rs->cells, ncap * (size_t)rs->n_cols, sizeof(char *));

		if (!n)
			return -ENOMEM;
		rs->cells = n;
		rs->cap_rows = ncap;
	}
	char **row = rs->cells + rs->n_rows * (size_t)rs->n_cols;
	for (int i = 0; i < rs->n_cols; i++) {
		const unsigned char *v = sqlite3_column_text(stmt, i);

		row[i] = NULL;
		if (v && !(row[i] = strdup((const char *)v))) {
			for (int j = 0; j < i; j++)
				free(row[j]);
			return -ENOMEM;
		}
	}
	rs->n_rows++;
	return 0;
}

/* Display width in terminal columns: UTF-8 continuation bytes take no column. */
static size_t display_width(const char *s)
{
	size_t w = 0;

	for (; s && *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			w++;
	return w;
}

static void print_border(FILE *out, const size_t *widths, int n)
{
	fputc('+', out);
	for (int i = 0; i < n; i++) {
		for (size_t k = 0; k < widths[i] + 2; k++)
			fputc('-', out);
		fputc('+', out);
	}
	fputc('\n', out);
}

static void print_cells(FILE *out, const size_t *widths, char *const *cells, int n)
{
	fputc('|', out);
	for (int i = 0; i < n; i++) {
		const char *v = cells[i] ? cells[i] : "";

		fprintf(out, " %s", v);
		for (size_t k = display_width(v); k < widths[i] + 1; k++)
			fputc(' ', out);
		fputc('|', out);
	}
	fputc('\n', out);
}

static void print_pretty(hq_shell *sh, sqlite3_stmt *stmt, const row_store *rs)
{
	_cleanup_free_ size_t *widths = calloc((size_t)rs->n_cols, sizeof(size_t));
	_cleanup_free_ char **names = calloc((size_t)rs->n_cols, sizeof(char *));

	if (!widths || !names || rs->n_rows == 0)
		return;
	for (int i = 0; i < rs->n_cols; i++) {
		names[i] = (char *)sqlite3_column_name(stmt, i);
		if (sh->s.header)
			widths[i] = display_width(names[i]);
	}
	for (size_t r = 0; r < rs->n_rows; r++)
		for (int i = 0; i < rs->n_cols; i++) {
			size_t w = display_width(rs->cells[r * (size_t)rs->n_cols + i]);

			if (w > widths[i])
				widths[i] = w;
		}
	print_border(sh->out, widths, rs->n_cols);
	if (sh->s.header) {
		print_cells(sh->out, widths, names, rs->n_cols);
		print_border(sh->out, widths, rs->n_cols);
	}
	for (size_t r = 0; r < rs->n_rows; r++)
		print_cells(sh->out, widths, rs->cells + r * (size_t)rs->n_cols, rs->n_cols);
	print_border(sh->out, widths, rs->n_cols);
}

/* The width of the widest column name: line mode right-aligns names to it. */
static int name_width(sqlite3_stmt *stmt)
{
	size_t w = 0;

	for (int i = 0; i < sqlite3_column_count(stmt); i++) {
		size_t l = display_width(sqlite3_column_name(stmt, i));

		if (l > w)
			w = l;
	}
	return (int)w;
}

static void print_line_mode(hq_shell *sh, sqlite3_stmt *stmt, int width, bool *first)
{
	if (!*first)
		fputc('\n', sh->out);
	*first = false;
	for (int i = 0; i < sqlite3_column_count(stmt); i++) {
		const unsigned char *v = sqlite3_column_text(stmt, i);

		fprintf(sh->out, "%*s = %s\n", width, sqlite3_column_name(stmt, i),
			v ? (const char *)v : "");
	}
}

static void print_delimited(hq_shell *sh, sqlite3_stmt *stmt, bool header)
{
	int n = sqlite3_column_count(stmt);

	/* One lock per row and no format parsing: this loop is most of a large CSV dump. */
	flockfile(sh->out);
	for (int i = 0; i < n; i++) {
		const char *v = header ? sqlite3_column_name(stmt, i)
				       : (const char *)sqlite3_column_text(stmt, i);

		if (i)
			fputs_unlocked(sh->s.separator, sh->out);
		if (v)
			fputs_unlocked(v, sh->out);
	}
	putc_unlocked('\n', sh->out);
	funlockfile(sh->out);
}

static int print_json_row(hq_shell *sh, sqlite3_stmt *stmt, bool first)
{
	int n = sqlite3_column_count(stmt);
	json_t *obj = json_object();
	char *text;

	if (!obj)
		return -ENOMEM;
	for (int i = 0; i < n; i++) {
		const char *v = (const char *)sqlite3_column_text(stmt, i);

		/* osquery rows are strings; NULL renders as the empty string. */
		json_object_set_new(obj, sqlite3_column_name(stmt, i), json_string(v ? v : ""));
	}
	text = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(obj);
	if (!text)
		return -ENOMEM;
	fprintf(sh->out, "%s  %s", first ? "" : ",\n", text);
	free(text);
	return 0;
}

int hq_shell_print_stmt(hq_shell *sh, sqlite3_stmt *stmt)
{
	row_store rs = {.n_cols = sqlite3_column_count(stmt)};
	bool first = true;
	int width = name_width(stmt);
	struct timespec t0, t1;
	int rc, r = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	hq_engine_begin_query(sh->engine);
	if (sh->s.mode == HQ_MODE_JSON)
		fputs("[\n", sh->out);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		switch (sh->s.mode) {
		case HQ_MODE_PRETTY:
			r = row_store_add(&rs, stmt);
			break;
		case HQ_MODE_LINE:
			print_line_mode(sh, stmt, width, &first);
			break;
		case HQ_MODE_JSON:
			r = print_json_row(sh, stmt, first);
			first = false;
			break;
		default:
			if (first && sh->s.header)
				print_delimited(sh, stmt, true);
			first = false;
			print_delimited(sh, stmt, false);
			break;
		}
		if (r < 0)
			break;
	}
	if (sh->s.mode == HQ_MODE_JSON)
		fputs(first ? "]\n" : "\n]\n", sh->out);
	if (sh->s.mode == HQ_MODE_PRETTY)
		print_pretty(sh, stmt, &rs);
	row_store_done(&rs);
	fflush(sh->out);
	if (r < 0) {
		fprintf(stderr, "Error: %s\n", strerror(-r));
		return r;
	}
	if (rc != SQLITE_DONE) {
		sqlite3 *db = sqlite3_db_handle(stmt);

		if ((rc & 0xff) == SQLITE_INTERRUPT)
			fprintf(stderr, "Error: interrupted (time budget or Ctrl-C)\n");
		else
			fprintf(stderr, "Error: %s\n", sqlite3_errmsg(db));
		return -EIO;
	}
	if (sh->s.timer) {
		clock_gettime(CLOCK_MONOTONIC, &t1);
		fprintf(sh->out, "Run Time: real %.3f\n",
			(double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	}
	return 0;
}

int hq_shell_run_sql(hq_shell *sh, const char *sql)
{
	sqlite3 *db = hq_engine_db(sh->engine);
	const char *tail = sql;

	hq_shell_ext_dispatch(sh); /* attach/detach extension tables first */
	while (tail && *tail) {
		sqlite3_stmt *stmt = NULL;
		int rc = sqlite3_prepare_v2(db, tail, -1, &stmt, &tail);
		int r;

		if (rc != SQLITE_OK) {
			fprintf(stderr, "Error: %s\n", sqlite3_errmsg(db));
			return -EINVAL;
		}
		if (!stmt)
			continue;
		r = hq_shell_print_stmt(sh, stmt);
		sqlite3_finalize(stmt);
		if (r < 0)
			return r;
	}
	return 0;
}
