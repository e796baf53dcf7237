/* sqltest: runs golden SQL cases (tests/tables/NAME.test) against fixture roots.
 *
 * File format (blank lines separate cases, '#' starts a comment line):
 *   require CMD          skip the whole file (exit 77) when CMD is not on PATH
 *   root DIR             host-path root for the following cases, relative to --fixtures;
 *                        "root /" is the real host
 *   test ID              a case: SQL lines follow, up to a line starting with "----"
 *   ----                 expected rows in order, values joined by '|', NULL as NULL
 *   ---- unordered       expected rows compared as a sorted multiset
 *   ---- error           the next line must be a substring of the error message
 * Exit status: 0 all passed, 1 a case failed, 2 bad usage or file, 77 skipped. */
#include <sys/stat.h>

#include "hq/util.h"
#include "sql/engine.h"

typedef struct lines {
	char **v;
	size_t n;
} lines;

static void lines_push(lines *l, const char *s)
{
	char **n = reallocarray(l->v, l->n + 1, sizeof(char *));

	if (!n || !(n[l->n] = strdup(s))) {
		fprintf(stderr, "sqltest: out of memory\n");
		exit(2);
	}
	l->v = n;
	l->n++;
}

static void lines_clear(lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	*l = (lines){0};
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool on_path(const char *cmd)
{
	const char *path = getenv("PATH");
	_cleanup_free_ char *copy = strdup(path ? path : "/usr/bin:/bin");
	char *save = NULL;

	for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		_cleanup_free_ char *p = NULL;

		if (asprintf(&p, "%s/%s", dir, cmd) >= 0 && access(p, X_OK) == 0)
			return true;
	}
	return false;
}

static int collect_row(int n, char **values, char **names, const int *types, void *userdata)
{
	hq_buf b = HQ_BUF_INIT(1 << 24);

	for (int i = 0; i < n; i++) {
		if (i)
			hq_buf_putc(&b, '|');
		hq_buf_puts(&b, values[i] ? values[i] : "NULL");
	}
	lines_push(userdata, b.data ? b.data : "");
	hq_buf_done(&b);
	return 0;
}

typedef enum { EXPECT_ROWS, EXPECT_UNORDERED, EXPECT_ERROR } expect_kind;

static bool run_case(hq_engine *e, const char *id, const char *sql, expect_kind kind,
		     lines *expected)
{
	lines got = {0};
	_cleanup_free_ char *err = NULL;
	bool ok = true;
	int r;

	r = hq_engine_exec(e, sql, collect_row, &got, &err);
	if (kind == EXPECT_ERROR) {
		const char *want = expected->n ? expected->v[0] : "";

		ok = r < 0 && err && strstr(err, want);
		if (!ok)
			printf("FAIL %s: expected error containing \"%s\", got %s%s\n", id, want,
			       r < 0 ? "error: " : "success", r < 0 && err ? err : "");
		lines_clear(&got);
		return ok;
	}
	if (r < 0) {
		printf("FAIL %s: %s\n", id, err ? err : strerror(-r));
		lines_clear(&got);
		return false;
	}
	if (kind == EXPECT_UNORDERED) {
		if (got.n)
			qsort(got.v, got.n, sizeof(char *), cmp_str);
		if (expected->n)
			qsort(expected->v, expected->n, sizeof(char *), cmp_str);
	}
	ok = got.n == expected->n;
	for (size_t i = 0; ok && i < got.n; i++)
		ok = strcmp(got.v[i], expected->v[i]) == 0;
	if (!ok) {
		printf("FAIL %s\n  expected (%zu rows):\n", id, expected->n);
		for (size_t i = 0; i < expected->n; i++)
			printf("    %s\n", expected->v[i]);
		printf("  got (%zu rows):\n", got.n);
		for (size_t i = 0; i < got.n; i++)
			printf("    %s\n", got.v[i]);
	}
	lines_clear(&got);
	return ok;
}

static hq_engine *engine_for(const char *fixtures, const char *root)
{
	_cleanup_free_ char *path = NULL;
	hq_engine_config cfg = {.query_timeout_ms = 60000};
	hq_engine *e = NULL;
	struct stat st;
	int r;

	if (strcmp(root, "/") != 0) {
		if (asprintf(&path, "%s/%s", fixtures, root) < 0)
			return NULL;
		if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode)) {
			fprintf(stderr, "sqltest: fixture root %s is not a directory\n", path);
			exit(2);
		}
		cfg.root = path;
	}
	r = hq_engine_new(&cfg, &e);
	if (r < 0) {
		fprintf(stderr, "sqltest: cannot create engine: %s\n", strerror(-r));
		exit(2);
	}
	return e;
}

int main(int argc, char **argv)
{
	const char *fixtures = ".", *file = NULL;
	_cleanup_fclose_ FILE *f = NULL;
	_cleanup_free_ char *line = NULL;
	_cleanup_(hq_engine_freep) hq_engine *e = NULL;
	hq_buf sql = HQ_BUF_INIT(1 << 20);
	lines expected = {0};
	char id[256] = "";
	expect_kind kind = EXPECT_ROWS;
	enum { IDLE, IN_SQL, IN_EXPECT } state = IDLE;
	unsigned passed = 0, failed = 0;
	size_t cap = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--fixtures") == 0 && i + 1 < argc)
			fixtures = argv[++i];
		else
			file = argv[i];
	}
	if (!file) {
		fprintf(stderr, "usage: sqltest [--fixtures DIR] FILE.test\n");
		return 2;
	}
	f = fopen(file, "re");
	if (!f) {
		fprintf(stderr, "sqltest: %s: %m\n", file);
		return 2;
	}

	for (bool eof = false; !eof;) {
		ssize_t n = getline(&line, &cap, f);

		eof = n < 0;
		if (!eof)
			hq_strstrip_trailing(line);
		if (state == IN_EXPECT && (eof || line[0] == '\0')) {
			if (!e)
				e = engine_for(fixtures, "/");
			if (run_case(e, id, sql.data ? sql.data : "", kind, &expected))
				passed++;
			else
				failed++;
			hq_buf_done(&sql);
			lines_clear(&expected);
			state = IDLE;
			continue;
		}
		if (eof)
			break;
		if (state == IDLE) {
			if (line[0] == '\0' || line[0] == '#')
				continue;
			if (hq_startswith(line, "require ")) {
				if (!on_path(line + 8)) {
					printf("SKIP %s: %s is not installed\n", file, line + 8);
					return 77;
				}
			} else if (hq_startswith(line, "root ")) {
				e = hq_engine_free(e);
				e = engine_for(fixtures, line + 5);
			} else if (hq_startswith(line, "test ")) {
				snprintf(id, sizeof(id), "%s", line + 5);
				state = IN_SQL;
			} else {
				fprintf(stderr, "sqltest: %s: unexpected line: %s\n", file, line);
				return 2;
			}
			continue;
		}
		if (state == IN_SQL) {
			if (hq_startswith(line, "----")) {
				const char *k = line + 4;

				while (*k == ' ')
					k++;
				kind = strcmp(k, "error") == 0	     ? EXPECT_ERROR
				       : strcmp(k, "unordered") == 0 ? EXPECT_UNORDERED
								     : EXPECT_ROWS;
				state = IN_EXPECT;
				continue;
			}
			if (sql.len)
				hq_buf_putc(&sql, '\n');
			hq_buf_puts(&sql, line);
			continue;
		}
		lines_push(&expected, line);
	}
	if (state == IN_SQL) {
		fprintf(stderr, "sqltest: %s: case %s has no ---- line\n", file, id);
		return 2;
	}
	hq_buf_done(&sql);
	printf("%s: %u passed, %u failed\n", file, passed, failed);
	if (passed + failed == 0)
		return 2;
	return failed ? 1 : 0;
}
