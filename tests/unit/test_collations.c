/* Unit tests for the version collations, through SQL on a bare in-memory SQLite connection:
 * dpkg cases checked against `dpkg --compare-versions`, rpm cases from rpm's rpmvercmp tests
 * and rpm 4.18's rpm.vercmp(), pacman cases from its vercmp tests, and osquery's own collation
 * expectations (bar one rpm case osquery's character-based comparator gets differently). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "memdb.h"
#include "sql/functions.h"
#include "sql/version_compare.h"

typedef struct vcase {
	const char *a;
	const char *b;
	int want; /* -1, 0, 1 */
} vcase;

static int setup(void **state)
{
	return hq_test_memdb_open(state, hq_sql_register_collations);
}

/* -1/0/1 as SQL sees a versus b under the collation, via <, = and > so that every operator
 * path is exercised (the collation binds through the COLLATE on the right operand). */
static int sql_cmp(sqlite3 *db, const char *coll, const char *a, const char *b)
{
	char sql[256];
	sqlite3_stmt *st = NULL;
	int lt, eq, gt;

	snprintf(sql, sizeof(sql),
		 "SELECT ?1 < ?2 COLLATE %s, ?1 = ?2 COLLATE %s, ?1 > ?2 COLLATE %s", coll, coll,
		 coll);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	lt = sqlite3_column_int(st, 0);
	eq = sqlite3_column_int(st, 1);
	gt = sqlite3_column_int(st, 2);
	sqlite3_finalize(st);
	assert_int_equal(lt + eq + gt, 1);
	return lt ? -1 : eq ? 0 : 1;
}

static void check_cases(sqlite3 *db, const char *coll, const vcase *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int got = sql_cmp(db, coll, cases[i].a, cases[i].b);
		int rev = sql_cmp(db, coll, cases[i].b, cases[i].a);

		if (got != cases[i].want || rev != -cases[i].want)
			fail_msg("%s: '%s' vs '%s': got %d (reverse %d), want %d", coll, cases[i].a,
				 cases[i].b, got, rev, cases[i].want);
	}
}

#define CHECK(db, coll, cases) check_cases(db, coll, cases, sizeof(cases) / sizeof(cases[0]))

static void test_dpkg(void **state)
{
	/* Every expectation below was checked with dpkg --compare-versions (dpkg 1.21). */
	static const vcase cases[] = {
		{"1.0~rc1", "1.0", -1},
		{"1.0", "1.0-1", -1},
		{"1.0-1", "1:0.9", -1},
		{"1.2.10", "1.2.9", 1},
		{"1.0", "1.0-0", 0},
		{"1.0~", "1.0", -1},
		{"1.0~~", "1.0~", -1},
		{"1.0a", "1.0", 1},
		{"1.0+", "1.0a", 1},
		{"1.0.a", "1.0+", 1},
		{"2:1", "10:0", -1},
		{"01:1.0", "1:1.0", 0},
		{"1.0-1ubuntu1", "1.0-1", 1},
		{"1.0-1~bpo1", "1.0-1", -1},
		{"1.001", "1.1", 0},
		{"a", "b", -1},
		{"1.0-a", "1.0-B", 1},
		{"9", "10", -1},
		{"1.2.3-4", "1.2.3-04", 0},
		{"0:1.0", "1.0", 0},
		{"1.0--1", "1.0-1", 1},
		{"1.0.0", "1.0", 1},
		{"abc", "abc~", 1},
		{"1.0", "1.0.", -1},
		{"1.0", "1.0+", -1},
		{"+5:14-5", "5:14-5", 0},
		/* osquery's expectations */
		{"1:2.0-10", "1:2.0-10", 0},
		{"22.07.5-2ubuntu1.3", "22.07.5-2ubuntu1.4", -1},
		{"2.5.13+dfsg-0ubuntu0.22.04.1", "2.5.14+dfsg-0ubuntu0.22.04.2", -1},
		{"3.0.2-0ubuntu1.10", "3.0.2-0ubuntu1.8", 1},
		{"2:8.2.3995-1ubuntu2.9", "2:8.2.3995-1ubuntu2.3", 1},
	};
	CHECK(*state, "version_dpkg", cases);
}

static void test_dpkg_order_by(void **state)
{
	sqlite3 *db = *state;
	sqlite3_stmt *st = NULL;
	static const char *const want[] = {"1.0~rc1", "1.0", "1.0-1", "1.2.9", "1.2.10", "1:0.9"};
	size_t i = 0;

	assert_int_equal(sqlite3_exec(db,
				      "CREATE TABLE p (v TEXT COLLATE version_dpkg);"
				      "INSERT INTO p VALUES ('1:0.9'), ('1.2.10'), ('1.0-1'), "
				      "('1.0~rc1'), ('1.2.9'), ('1.0');",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT v FROM p ORDER BY v", -1, &st, NULL),
			 SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		assert_true(i < sizeof(want) / sizeof(want[0]));
		assert_string_equal((const char *)sqlite3_column_text(st, 0), want[i]);
		i++;
	}
	sqlite3_finalize(st);
	assert_int_equal(i, sizeof(want) / sizeof(want[0]));

	/* The column's collation applies to a WHERE comparison with a plain literal too. */
	assert_int_equal(
		sqlite3_prepare_v2(db, "SELECT count(*) FROM p WHERE v < '1.0-1'", -1, &st, NULL),
		SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 2);
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_exec(db, "DROP TABLE p", NULL, NULL, NULL), SQLITE_OK);
}

static void test_rhel(void **state)
{
	static const vcase cases[] = {
		/* rpm's rpmvercmp test suite */
		{"1.0", "1.0", 0},
		{"1.0", "2.0", -1},
		{"2.0.1", "2.0", 1},
		{"2.0.1a", "2.0.1", 1},
		{"5.5p1", "5.5p2", -1},
		{"5.5p1", "5.5p10", -1},
		{"10xyz", "10.1xyz", -1},
		{"xyz10", "xyz10.1", -1},
		{"xyz.4", "8", -1},
		{"xyz.4", "2", -1},
		{"5.5p2", "5.6p1", -1},
		{"6.0.rc1", "6.0", 1},
		{"10b2", "10a1", 1},
		{"1.0a", "1.0aa", -1},
		{"10.0001", "10.1", 0},
		{"10.0001", "10.0039", -1},
		{"4.999.9", "5.0", -1},
		{"20101121", "20101122", -1},
		{"2.0", "2_0", 0},
		{"a+", "a_", 0},
		{"+a", "_a", 0},
		{"_+", "+_", 0},
		{"1.0~rc1", "1.0", -1},
		{"1.0~rc1", "1.0~rc2", -1},
		{"1.0~rc1~git123", "1.0~rc1", -1},
		{"1.0^", "1.0", 1},
		{"1.0^git1", "1.0", 1},
		{"1.0^git1", "1.0^git2", -1},
		{"1.0^git1", "1.01", -1},
		{"1.0^20160101", "1.0.1", -1},
		{"1.0^20160102", "1.0^20160101^git1", 1},
		{"1.0~rc1^git1", "1.0~rc1", 1},
		{"1.0^git1~pre", "1.0^git1", -1},
		/* EVR, checked with rpm.vercmp() of rpm 4.18: epoch first, and a missing release
		 * sorts before any release */
		{"1:1.0", "2.0", 1},
		{"0:1.0", "1.0", 0},
		{"1.0-2", "1.0-10", -1},
		{"1.0", "1.0-5", -1},
		{"1.0", "1.0-", -1},
		{"1.0-", "1.0-0", -1},
		{"9.11.4-26.P2.el7_9.10", "32:9.11.4-26.P2.el7_9.13", -1},
		{"1:1.8.0.352.b08-2.el7_9", "1:1.8.0.372.b07-1.el7_9", -1},
		/* osquery's expectations */
		{"0.5.0~rc1^202", "0.5.0~rc1^202", 0},
		{"1.0.0~rc2^2021", "1.0.0", -1},
		{"1.0.1^2021", "1.0.1.security1", -1},
		{"1.1.0~BETA2", "1.1.0~CR1", -1},
		{"1.1.0.2021.SP1", "1.1.0.2021.SP1_CP1", -1},
		{"1.1.0.20201001.GA1", "1.1.0~CR1", 1},
		{"1.0.0~rc2^20210101gf00fabd", "1.0.0~rc2", 1},
	};
	CHECK(*state, "version_rhel", cases);
}

static void test_arch(void **state)
{
	static const vcase cases[] = {
		/* pacman's vercmp test suite (and libalpm 13's alpm_pkg_vercmp()) */
		{"1.5.0", "1.5.0", 0},
		{"1.5.1", "1.5.0", 1},
		{"1.5.1", "1.5", 1},
		{"1.5.0-1", "1.5.0-2", -1},
		{"1.5.0-2", "1.5.1-1", -1},
		{"1.5-1", "1.5.1-1", -1},
		{"1.5", "1.5-1", 0},
		{"1.1-1", "1.1", 0},
		{"1.0-1", "1.1", -1},
		{"1.5b-1", "1.5-1", -1},
		{"1.5b", "1.5", -1},
		{"1.5b", "1.5.1", -1},
		{"1.0a", "1.0alpha", -1},
		{"1.0alpha", "1.0b", -1},
		{"1.0b", "1.0beta", -1},
		{"1.0beta", "1.0rc", -1},
		{"1.0rc", "1.0", -1},
		{"1.5.a", "1.5", 1},
		{"1.5.b", "1.5.a", 1},
		{"1.5.1", "1.5.b", 1},
		{"1.5.b-1", "1.5.b", 0},
		{"1.5-1", "1.5.b", -1},
		{"1:1.0", "2.0", 1},
		{"1..0", "1.0", 1},
		/* osquery's expectations */
		{"4:2", "4:2-1", 0},
		{"2-2pre", "2-2rc", -1},
		{"41.1-2", "43alpha+r8+g1de47dbc-1", -1},
		{"3:0.164.r3095.baee400-4", "3:0.164.r3081.19856cc-2", 1},
		{"6.0.12.arch1-1", "5.18.14.arch1-1", 1},
		{"1:1.2.13-2", "4.2.1", 1},
	};
	CHECK(*state, "version_arch", cases);
}

static void test_version(void **state)
{
	static const vcase cases[] = {
		/* osquery's expectations */
		{"1.0", "1.0", 0},
		{"1:0.0", "1.0.0", 0},
		{"2.50^1a", "2.50~1a", 0},
		{"1.0", "1.1", -1},
		{"1.1", "1.a", -1},
		{"50.4.1b", "50.4.1c", -1},
		{"1.0.0", "1.0.0-2", -1},
		{"1.0.0-2", "1:0.0.3", -1},
		{"1.12.1", "1.13", -1},
		{"190.10a", "20.10a", 1},
		{"20.10a", "20.102", 1},
		{"57:4", "6.87.5", 1},
		{"98.100.21-1b", "98.100.21-1a", 1},
		{"8.11", "8.10.24", 1},
		/* numeric segments compare as numbers wherever the string ends */
		{"1.10", "1.9", 1},
		{"1.2", "1.10", -1},
		{"5.15.0-91", "5.4.0-200", 1},
		{"1.01", "1.1", 0},
		{"", "", 0},
		{"", "1", -1},
		{"1", "1.", -1},
	};
	CHECK(*state, "version", cases);
}

static void test_names_and_odd_keys(void **state)
{
	sqlite3 *db = *state;

	/* Collation names are case-insensitive in SQLite. */
	assert_int_equal(sql_cmp(db, "VERSION_DPKG", "1.0~rc1", "1.0"), -1);
	assert_int_equal(sql_cmp(db, "Version_Rhel", "1.0^", "1.0"), 1);
	assert_int_equal(sql_cmp(db, "VERSION_ARCH", "1.0rc", "1.0"), -1);
	assert_int_equal(sql_cmp(db, "VERSION", "1.10", "1.9"), 1);

	/* Degenerate keys must not crash or read past their length. */
	for (const char *const *c = (const char *const[]){"version", "version_dpkg", "version_rhel",
							  "version_arch", NULL};
	     *c; c++) {
		assert_int_equal(sql_cmp(db, *c, "", ""), 0);
		(void)sql_cmp(db, *c, "~", "");
		(void)sql_cmp(db, *c, ":", "-");
		(void)sql_cmp(db, *c, "1:", "1-");
		(void)sql_cmp(db, *c, "-", "^~");
		(void)sql_cmp(db, *c, "\xff\xfe", "1");
		(void)sql_cmp(db, *c, "99999999999999999999999:1", "1");
	}
	/* Direct calls with unterminated keys: only the first n bytes count. */
	assert_int_equal(hq_version_cmp_dpkg("1.0~rc1", 3, "1.0", 3), 0);
	assert_int_equal(hq_version_cmp_rhel("1.0^git", 3, "1.0", 3), 0);
	assert_int_equal(hq_version_cmp_arch("1.0a", 3, "1.0", 3), 0);
	assert_int_equal(hq_version_cmp("1.10", 3, "1.1", 3), 0);
	/* Big numbers compare without overflow. */
	assert_int_equal(hq_version_cmp_dpkg("1.123456789012345678901", 23, "1.99", 4), 1);
	assert_int_equal(hq_version_cmp_rhel("123456789012345678901", 21, "99", 2), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_dpkg, setup, hq_test_memdb_close),
		cmocka_unit_test_setup_teardown(test_dpkg_order_by, setup, hq_test_memdb_close),
		cmocka_unit_test_setup_teardown(test_rhel, setup, hq_test_memdb_close),
		cmocka_unit_test_setup_teardown(test_arch, setup, hq_test_memdb_close),
		cmocka_unit_test_setup_teardown(test_version, setup, hq_test_memdb_close),
		cmocka_unit_test_setup_teardown(test_names_and_odd_keys, setup,
						hq_test_memdb_close),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
