/* Engine tests: the generic bridge with a synthetic table. Covers constraint pushdown (=, IN
 * all at once, ranges, LIKE), colUsed, required-column errors, LIMIT pushdown, type
 * conversion of text cells, aliases, the authorizer and table removal. */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "hq/query.h"
#include "hq/row.h"
#include "sql/engine.h"

enum { COL_ID, COL_NAME, COL_SQUARE, COL_NOTE, COL_NAME_ALIAS, _COL_MAX };

static const hq_column columns[] = {
	[COL_ID] = {"id", HQ_TYPE_BIGINT, HQ_COL_INDEX | HQ_COL_OPTIMIZED, "row id"},
	[COL_NAME] = {"name", HQ_TYPE_TEXT, 0, "name"},
	[COL_SQUARE] = {"square", HQ_TYPE_INTEGER, 0, "id squared, as text"},
	[COL_NOTE] = {"note", HQ_TYPE_TEXT, HQ_COL_HIDDEN, "hidden, never set"},
	[COL_NAME_ALIAS] = {"label", HQ_TYPE_TEXT, HQ_COL_HIDDEN, "alias of name", "name"},
};

/* What the last scan saw, for assertions. */
static struct {
	unsigned scans;
	unsigned n_eq;
	int64_t eq[16];
	bool square_used;
	int64_t limit;
	unsigned rows_made;
} seen;

static int numbers_generate(hq_query_ctx *ctx, hq_row_sink *sink)
{
	bool filtered = false;
	int64_t want[16];
	unsigned n = 0;

	seen.scans++;
	seen.n_eq = 0;
	seen.limit = hq_ctx_limit(ctx);
	seen.square_used = hq_ctx_column_used(ctx, COL_SQUARE);
	seen.rows_made = 0;
	HQ_CTX_FOREACH_CONSTRAINT (c, ctx, COL_ID) {
		if (c->op != HQ_OP_EQ || c->type != HQ_VALUE_INTEGER || n >= 16)
			continue;
		filtered = true;
		want[n++] = c->i64;
		seen.eq[seen.n_eq++] = c->i64;
	}
	for (int64_t i = 1; i <= 100; i++) {
		hq_row *row;
		bool keep = !filtered;
		int r;

		for (unsigned k = 0; k < n; k++)
			keep = keep || want[k] == i;
		if (!keep)
			continue;
		r = hq_row_begin(sink, &row);
		if (r < 0)
			return r;
		hq_row_set_int64(row, COL_ID, i);
		hq_row_set_textf(row, COL_NAME, "n%" PRId64, i);
		if (hq_ctx_column_used(ctx, COL_SQUARE))
			hq_row_set_textf(row, COL_SQUARE, "%" PRId64, i * i);
		seen.rows_made++;
		r = hq_row_commit(sink, row);
		if (r != 0)
			return r < 0 ? r : 0;
	}
	return 0;
}

static const char *const numbers_aliases[] = {"nums", NULL};

static const hq_table_def numbers = {
	.version = HQ_TABLE_ABI_VERSION,
	.name = "numbers",
	.description = "1..100",
	.columns = columns,
	.n_columns = _COL_MAX,
	.aliases = numbers_aliases,
	.generate = numbers_generate,
};

enum { RCOL_PATH, RCOL_DIR, RCOL_SIZE, _RCOL_MAX };
static const hq_column req_columns[] = {
	[RCOL_PATH] = {"path", HQ_TYPE_TEXT, HQ_COL_REQUIRED | HQ_COL_INDEX, "path"},
	[RCOL_DIR] = {"directory", HQ_TYPE_TEXT, HQ_COL_REQUIRED, "directory"},
	[RCOL_SIZE] = {"size", HQ_TYPE_BIGINT, 0, "size"},
};

static int req_generate(hq_query_ctx *ctx, hq_row_sink *sink)
{
	HQ_CTX_FOREACH_CONSTRAINT (c, ctx, RCOL_PATH) {
		hq_row *row;
		int r;

		if (!c->text)
			continue;
		if (strcmp(c->text, "/fail") == 0)
			return hq_ctx_error(ctx, -EACCES, "needs: cannot open %s: %m", c->text);
		r = hq_row_begin(sink, &row);
		if (r < 0)
			return r;
		hq_row_set_text(row, RCOL_PATH, c->text);
		hq_row_set_int64(row, RCOL_SIZE, (int64_t)c->len);
		r = hq_row_commit(sink, row);
		if (r < 0)
			return r;
	}
	return 0;
}

static const hq_table_def needs = {
	.version = HQ_TABLE_ABI_VERSION,
	.name = "needs",
	.columns = req_columns,
	.n_columns = _RCOL_MAX,
	.generate = req_generate,
};

typedef struct result {
	char text[4096];
	unsigned rows;
} result;

static int collect(int n, char **values, char **names, const int *types, void *userdata)
{
	result *res = userdata;
	size_t len = strlen(res->text);

	for (int i = 0; i < n; i++)
		len += (size_t)snprintf(res->text + len, sizeof(res->text) - len, "%s%s",
					i ? "|" : (res->rows ? ";" : ""),
					values[i] ? values[i] : "NULL");
	res->rows++;
	return 0;
}

static hq_engine *engine;

static int setup(void **state)
{
	assert_int_equal(hq_engine_new(NULL, &engine), 0);
	assert_int_equal(hq_engine_add_table(engine, &numbers), 0);
	assert_int_equal(hq_engine_add_table(engine, &needs), 0);
	return 0;
}

static int teardown(void **state)
{
	engine = hq_engine_free(engine);
	return 0;
}

static void query_ok(const char *sql, const char *expect)
{
	result res = {0};
	_cleanup_free_ char *err = NULL;
	int r = hq_engine_exec(engine, sql, collect, &res, &err);

	if (r < 0)
		fail_msg("%s: %s", sql, err ? err : "error");
	assert_string_equal(res.text, expect);
}

static void query_fails(const char *sql, const char *message_part)
{
	result res = {0};
	_cleanup_free_ char *err = NULL;
	int r = hq_engine_exec(engine, sql, collect, &res, &err);

	assert_true(r < 0);
	assert_non_null(err);
	if (!strstr(err, message_part))
		fail_msg("error \"%s\" lacks \"%s\"", err, message_part);
}

static void test_equality_pushdown(void **state)
{
	query_ok("SELECT id, name FROM numbers WHERE id = 7", "7|n7");
	assert_int_equal(seen.n_eq, 1);
	assert_int_equal(seen.eq[0], 7);
	assert_int_equal(seen.rows_made, 1);
}

static void test_in_all_at_once(void **state)
{
	unsigned before = seen.scans;

	query_ok("SELECT id FROM numbers WHERE id IN (3, 5, 99) ORDER BY id", "3;5;99");
	/* One scan for the whole list, not one per value. */
	assert_int_equal(seen.scans - before, 1);
	assert_int_equal(seen.n_eq, 3);
}

static void test_unpushed_columns_still_filtered(void **state)
{
	/* name has no index flag: the generator sees no constraint, SQLite filters. */
	query_ok("SELECT id FROM numbers WHERE name = 'n42'", "42");
	assert_int_equal(seen.n_eq, 0);
	assert_int_equal(seen.rows_made, 100);
}

static void test_col_used(void **state)
{
	query_ok("SELECT id FROM numbers WHERE id = 4", "4");
	assert_false(seen.square_used);
	query_ok("SELECT square FROM numbers WHERE id = 4", "16");
	assert_true(seen.square_used);
}

static void test_text_in_integer_column_is_converted(void **state)
{
	/* square is produced as text; the declared INTEGER type makes it a number. */
	query_ok("SELECT typeof(square), square + 1 FROM numbers WHERE id = 3", "integer|10");
}

static void test_hidden_and_alias(void **state)
{
	query_ok("SELECT note, label FROM numbers WHERE id = 2", "NULL|n2");
	query_ok("SELECT count(*) FROM nums", "100");
	/* SELECT * leaves hidden columns out. */
	query_ok("SELECT * FROM numbers WHERE id = 1", "1|n1|1");
}

static void test_limit_pushdown(void **state)
{
	query_ok("SELECT id FROM numbers LIMIT 3", "1;2;3");
	assert_int_equal(seen.limit, 3);
	assert_int_equal(seen.rows_made, 3);
	query_ok("SELECT id FROM numbers LIMIT 2 OFFSET 5", "6;7");
	assert_int_equal(seen.limit, 7);
	/* With a WHERE term stopping early could drop rows: no pushdown. */
	query_ok("SELECT id FROM numbers WHERE name LIKE 'n9%' LIMIT 2", "9;90");
	assert_int_equal(seen.limit, -1);
	/* ORDER BY needs every row. */
	query_ok("SELECT id FROM numbers ORDER BY id DESC LIMIT 1", "100");
	assert_int_equal(seen.limit, -1);
}

static void test_required_column(void **state)
{
	query_fails("SELECT * FROM needs", "needs: a constraint on path or directory is required");
	query_ok("SELECT path, size FROM needs WHERE path = '/etc/hosts'", "/etc/hosts|10");
	query_ok("SELECT path FROM needs WHERE path IN ('/a', '/b') ORDER BY path", "/a;/b");
	/* A join supplies the constraint: the planner must put needs on the inner side. */
	query_ok("SELECT n.path FROM (SELECT '/x' AS p UNION SELECT '/y') AS s "
		 "JOIN needs n ON n.path = s.p ORDER BY 1",
		 "/x;/y");
}

static void test_generator_error_reaches_sql(void **state)
{
	query_fails("SELECT * FROM needs WHERE path = '/fail'",
		    "needs: cannot open /fail: Permission denied");
}

static void test_authorizer(void **state)
{
	query_fails("ATTACH DATABASE '/tmp/hostq-test.db' AS x", "not authorized");
	query_fails("CREATE TABLE main.t(x)", "not authorized");
	query_fails("PRAGMA journal_mode = WAL", "not authorized");
	query_fails("SELECT load_extension('/tmp/x.so')", "not authorized");
	query_ok("CREATE TEMP TABLE t(x); INSERT INTO t VALUES (5); SELECT x FROM t", "5");
	query_ok("SELECT name FROM pragma_table_info('numbers') WHERE cid = 0", "id");
}

static void test_remove_table(void **state)
{
	assert_non_null(hq_engine_find_table(engine, "numbers"));
	assert_int_equal(hq_engine_remove_table(engine, "numbers"), 0);
	assert_null(hq_engine_find_table(engine, "numbers"));
	query_fails("SELECT * FROM numbers", "no such table");
	assert_int_equal(hq_engine_add_table(engine, &numbers), 0);
	assert_int_equal(hq_engine_add_table(engine, &numbers), -EEXIST);
	query_ok("SELECT count(*) FROM numbers", "100");
}

static void test_schema_sql(void **state)
{
	_cleanup_free_ char *sql = hq_table_schema_sql(&numbers);

	assert_string_equal(sql, "CREATE TABLE numbers(`id` BIGINT, `name` TEXT, `square` "
				 "INTEGER, `note` TEXT HIDDEN, `label` TEXT HIDDEN)");
}

static void test_is_null_on_index_columns(void **state)
{
	/* A declared key would make SQLite assume NOT NULL and fold this to false. */
	query_ok("SELECT count(*) FROM numbers WHERE note IS NULL AND id IN (1, 2)", "2");
	query_ok("SELECT count(*) FROM needs WHERE path = '/p' AND directory IS NULL", "1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_equality_pushdown),
		cmocka_unit_test(test_in_all_at_once),
		cmocka_unit_test(test_unpushed_columns_still_filtered),
		cmocka_unit_test(test_col_used),
		cmocka_unit_test(test_text_in_integer_column_is_converted),
		cmocka_unit_test(test_hidden_and_alias),
		cmocka_unit_test(test_limit_pushdown),
		cmocka_unit_test(test_required_column),
		cmocka_unit_test(test_generator_error_reaches_sql),
		cmocka_unit_test(test_authorizer),
		cmocka_unit_test(test_remove_table),
		cmocka_unit_test(test_schema_sql),
		cmocka_unit_test(test_is_null_on_index_columns),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
