/* hqloop: runs one SQL statement N times inside one hostq engine and reports the best and
 * mean wall time per run ("best_us mean_us" on stderr). Every cell is fetched as text and
 * written out (to stdout, which the bench sends to /dev/null), as a shell or logger would.
 *
 *   hqloop N "SELECT ..." */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "sql/engine.h"

static char out[65536];
static size_t out_len;

static void flush_out(void)
{
	if (out_len)
		(void)!write(STDOUT_FILENO, out, out_len);
	out_len = 0;
}

static void put(const char *s, size_t n)
{
	if (n > sizeof(out)) {
		flush_out();
		(void)!write(STDOUT_FILENO, s, n);
		return;
	}
	if (out_len + n > sizeof(out))
		flush_out();
	memcpy(out + out_len, s, n);
	out_len += n;
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int run_once(sqlite3 *db, const char *sql, long *ret_rows)
{
	sqlite3_stmt *stmt = NULL;
	long rows = 0;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK) {
		fprintf(stderr, "hqloop: %s\n", sqlite3_errmsg(db));
		return -1;
	}
	int ncol = sqlite3_column_count(stmt);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		for (int i = 0; i < ncol; i++) {
			const unsigned char *t = sqlite3_column_text(stmt, i);
			if (i)
				put("|", 1);
			if (t)
				put((const char *)t, (size_t)sqlite3_column_bytes(stmt, i));
		}
		put("\n", 1);
		rows++;
	}
	flush_out();
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "hqloop: %s\n", sqlite3_errmsg(db));
		sqlite3_finalize(stmt);
		return -1;
	}
	sqlite3_finalize(stmt);
	*ret_rows = rows;
	return 0;
}

int main(int argc, char **argv)
{
	hq_engine_config cfg = {0};
	hq_engine *e = NULL;
	long rows = 0;
	int n;

	if (argc != 3 || (n = atoi(argv[1])) <= 0) {
		fprintf(stderr, "usage: hqloop N SQL\n");
		return 2;
	}
	if (hq_engine_new(&cfg, &e) < 0) {
		fprintf(stderr, "hqloop: cannot open the engine\n");
		return 1;
	}
	sqlite3 *db = hq_engine_db(e);
	long long best = -1, total = 0;
	for (int i = 0; i < n; i++) {
		long long t0 = now_ns();
		hq_engine_begin_query(e);
		if (run_once(db, argv[2], &rows) < 0) {
			hq_engine_free(e);
			return 1;
		}
		long long dt = now_ns() - t0;
		total += dt;
		if (best < 0 || dt < best)
			best = dt;
	}
	fprintf(stderr, "%.1f %.1f %ld\n", best / 1000.0, total / 1000.0 / n, rows);
	hq_engine_free(e);
	return 0;
}
