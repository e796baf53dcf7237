/* Unit tests for osquery's custom SQL functions, run through SQL on a bare in-memory SQLite
 * connection: osquery's documented results, Community ID's published test vectors, digests
 * of well-known inputs, and bad input that must give NULL or an SQL error, never a crash. */
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

static int setup(void **state)
{
	return hq_test_memdb_open(state, hq_sql_register_functions);
}

/* The single value a one-row, one-column query returns, rendered as text: "NULL" for SQL
 * NULL, "ERROR: <message>" when the statement fails. */
static const char *q(sqlite3 *db, const char *sql)
{
	static char out[512];
	sqlite3_stmt *st = NULL;
	int r;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		snprintf(out, sizeof(out), "ERROR: %s", sqlite3_errmsg(db));
		return out;
	}
	r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		if (sqlite3_column_type(st, 0) == SQLITE_NULL)
			snprintf(out, sizeof(out), "NULL");
		else
			snprintf(out, sizeof(out), "%s", (const char *)sqlite3_column_text(st, 0));
		r = sqlite3_step(st);
		assert_int_equal(r, SQLITE_DONE);
	} else {
		snprintf(out, sizeof(out), "ERROR: %s", sqlite3_errmsg(db));
	}
	sqlite3_finalize(st);
	return out;
}

#define EXPECT(db, sql, want) assert_string_equal(q(db, sql), want)

static void expect_error(sqlite3 *db, const char *sql, const char *substring)
{
	const char *got = q(db, sql);

	if (strncmp(got, "ERROR: ", 7) != 0 || !strstr(got, substring))
		fail_msg("%s: got '%s', want an error containing '%s'", sql, got, substring);
}

static void test_split(void **state)
{
	sqlite3 *db = *state;

	EXPECT(db, "SELECT split('192.168.0.1', '.', 1)", "168");
	EXPECT(db, "SELECT split('192.168.0.1', '.', 3)", "1");
	EXPECT(db, "SELECT split('192.168.0.1', '.', 4)", "NULL");
	/* Every character of tokens splits; empty pieces are skipped. */
	EXPECT(db, "SELECT split('192.168.0.1', '.0', 0)", "192");
	EXPECT(db, "SELECT split('192.168.0.1', '.0', 2)", "1");
	EXPECT(db, "SELECT split('a,,b', ',', 1)", "b");
	EXPECT(db, "SELECT split(',a', ',', 0)", "a");
	/* Pieces are trimmed of whitespace. */
	EXPECT(db, "SELECT split('a, b ,c', ',', 1)", "b");
	EXPECT(db, "SELECT split('', ',', 0)", "NULL");
	EXPECT(db, "SELECT split('abc', ',', 0)", "abc");
	EXPECT(db, "SELECT split('abc', ',', -1)", "NULL");
	EXPECT(db, "SELECT split(NULL, ',', 0)", "NULL");
	EXPECT(db, "SELECT split('a,b', NULL, 0)", "NULL");
	EXPECT(db, "SELECT split('a,b', ',', NULL)", "NULL");
	EXPECT(db, "SELECT split(1234, 3, 0)", "12");
	expect_error(db, "SELECT split('a,b', '', 0)", "split");
}

static void test_regex_match(void **state)
{
	sqlite3 *db = *state;

	EXPECT(db, "SELECT regex_match('foo123bar', '([a-z]+)([0-9]+)', 0)", "foo123");
	EXPECT(db, "SELECT regex_match('foo123bar', '([a-z]+)([0-9]+)', 1)", "foo");
	EXPECT(db, "SELECT regex_match('foo123bar', '([a-z]+)([0-9]+)', 2)", "123");
	EXPECT(db, "SELECT regex_match('foo123bar', '([a-z]+)([0-9]+)', 3)", "NULL");
	EXPECT(db, "SELECT regex_match('foo123bar', '([a-z]+)([0-9]+)', -1)", "NULL");
	EXPECT(db, "SELECT regex_match('foobar', '[0-9]+', 0)", "NULL");
	EXPECT(db, "SELECT regex_match('abc', '^b', 0)", "NULL");
	EXPECT(db, "SELECT regex_match('abc', 'c$|(z)', 1)", "");
	/* ECMAScript's \\d (osquery uses std::regex) works, inside brackets too. */
	EXPECT(db, "SELECT regex_match('kernel 5.10.0-21-amd64', '(\\d+)\\.(\\d+)', 2)", "10");
	EXPECT(db, "SELECT regex_match('ab12', '[\\d]+', 0)", "12");
	EXPECT(db, "SELECT regex_match('ab12', '\\D+', 0)", "ab");
	EXPECT(db, "SELECT regex_match('a b', '\\w\\s\\w', 0)", "a b");
	EXPECT(db, "SELECT regex_match('x9', '[[:digit:]]', 0)", "9");
	EXPECT(db, "SELECT regex_match(NULL, 'a', 0)", "NULL");
	EXPECT(db, "SELECT regex_match('a', NULL, 0)", "NULL");
	/* The pattern is cached per statement; a column pattern still changes per row. */
	EXPECT(db,
	       "SELECT group_concat(regex_match('abc123', p, 0), ',') FROM "
	       "(SELECT '[a-z]+' AS p UNION ALL SELECT '[0-9]+')",
	       "abc,123");
	EXPECT(db,
	       "SELECT group_concat(regex_match(s, '[0-9]+', 0), ',') FROM "
	       "(SELECT 'a1' AS s UNION ALL SELECT 'b22' UNION ALL SELECT 'c')",
	       "1,22");
	/* ECMAScript's lazy quantifiers are accepted (POSIX matching stays leftmost-longest). */
	EXPECT(db, "SELECT regex_match('aaa', 'a+?', 0)", "aaa");
	EXPECT(db,
	       "SELECT regex_match('id 0f8fad5b-d9cb-469f-a165-70867728950e', "
	       "'[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}', 0)",
	       "0f8fad5b-d9cb-469f-a165-70867728950e");
	/* Patterns whose compiled form would explode are refused instead of exhausting memory. */
	expect_error(db, "SELECT regex_match('a', 'a++++++++++++++++++++++++++++++', 0)",
		     "stacked quantifiers");
	expect_error(db, "SELECT regex_match('a', '((a{99}){99}){99}', 0)", "too complex");
	expect_error(db, "SELECT regex_match('a', '(.?){1000}', 0)", "too complex");
	EXPECT(db, "SELECT regex_match('aaa', '(.?){100}', 0)", "aaa");
	expect_error(db, "SELECT regex_match('a', '(((((a+)+)+)+)+){9999}', 0)", "too complex");
	expect_error(db, "SELECT regex_match('abc', '(', 0)", "regex_match");
	expect_error(db, "SELECT regex_match('abc', 'a{2,1}', 0)", "invalid regex");
	expect_error(db, "SELECT regex_match('abc', printf('%.300c', 'a'), 0)", "longer than");
}

static void test_regex_split(void **state)
{
	sqlite3 *db = *state;

	EXPECT(db, "SELECT regex_split('/foo/bar', '/', 0)", "");
	EXPECT(db, "SELECT regex_split('/foo/bar', '/', 1)", "foo");
	EXPECT(db, "SELECT regex_split('/foo/bar', '/', 2)", "bar");
	EXPECT(db, "SELECT regex_split('/foo/bar', '/', 3)", "NULL");
	EXPECT(db, "SELECT regex_split('foo;;bar', ';;', 1)", "bar");
	EXPECT(db, "SELECT regex_split('foo;;bar', ';;', 2)", "NULL");
	EXPECT(db, "SELECT regex_split('foo;bar//qux', '(;|/)+', 2)", "qux");
	EXPECT(db, "SELECT regex_split('foo/', '/', 1)", "NULL");
	EXPECT(db, "SELECT regex_split('foo', '/', 0)", "foo");
	EXPECT(db, "SELECT regex_split('', '/', 0)", "NULL");
	EXPECT(db,
	       "SELECT regex_split('/filesystem/path/download.extension.zip', "
	       "'(.*/)|(.extension.zip)', 1)",
	       "download");
	EXPECT(db, "SELECT regex_split('a1b22c', '\\d+', 2)", "c");
	/* A pattern that matches the empty string still terminates. */
	EXPECT(db, "SELECT regex_split('ab', 'x*', 1)", "a");
	EXPECT(db, "SELECT regex_split('ab', 'x*', 5)", "NULL");
	expect_error(db, "SELECT regex_split('foo/bar', '', 0)", "regex_split");
	expect_error(db, "SELECT regex_split('foo/bar', '(/', 0)", "regex_split: invalid regex");
	expect_error(db, "SELECT regex_split('foo/bar', printf('%.1000c', '|'), 0)", "longer than");
}

static void test_inet_aton(void **state)
{
	sqlite3 *db = *state;

	EXPECT(db, "SELECT inet_aton('192.168.0.1')", "3232235521");
	EXPECT(db, "SELECT inet_aton('0.0.0.0')", "0");
	EXPECT(db, "SELECT inet_aton('255.255.255.255')", "4294967295");
	EXPECT(db, "SELECT typeof(inet_aton('10.0.0.1'))", "integer");
	EXPECT(db, "SELECT inet_aton('1.2.3')", "NULL");
	EXPECT(db, "SELECT inet_aton('256.1.1.1')", "NULL");
	EXPECT(db, "SELECT inet_aton('::1')", "NULL");
	EXPECT(db, "SELECT inet_aton('abc')", "NULL");
	EXPECT(db, "SELECT inet_aton('')", "NULL");
	EXPECT(db, "SELECT inet_aton(NULL)", "NULL");
}

static void test_concat(void **state)
{
	sqlite3 *db = *state;

	EXPECT(db, "SELECT concat()", "NULL");
	EXPECT(db, "SELECT concat('hello')", "hello");
	EXPECT(db, "SELECT concat('hello', 'world')", "helloworld");
	EXPECT(db, "SELECT concat('hello', NULL, 'world')", "helloworld");
	EXPECT(db, "SELECT concat(1, 2, 3, 'go')", "123go");
	EXPECT(db, "SELECT concat('')", "");
	EXPECT(db, "SELECT concat(NULL)", "");
	EXPECT(db, "SELECT concat_ws('')", "NULL");
	EXPECT(db, "SELECT concat_ws(', ', 'hello', 'world', 1, 2, 3)", "hello, world, 1, 2, 3");
	EXPECT(db, "SELECT concat_ws('', 'hello', 'world', 1, 2, 3)", "helloworld123");
	EXPECT(db, "SELECT concat_ws(NULL, 'hello', 'world', 1, 2, 3)", "helloworld123");
	EXPECT(db, "SELECT concat_ws(' ', 'hello', NULL, 'world')", "hello world");
	EXPECT(db, "SELECT concat_ws(' ', 'hello', NULL)", "hello");
	EXPECT(db, "SELECT concat_ws('x', 'hello')", "hello");
	EXPECT(db, "SELECT concat_ws('x', '', '')", "x");
	expect_error(db, "SELECT concat_ws()", "concat_ws");
}

static void test_base64(void **state)
{
	sqlite3 *db = *state;

	EXPECT(db, "SELECT to_base64('hello')", "aGVsbG8=");
	EXPECT(db, "SELECT to_base64('')", "");
	EXPECT(db, "SELECT to_base64(x'00ff10')", "AP8Q");
	EXPECT(db, "SELECT to_base64(NULL)", "NULL");
	EXPECT(db, "SELECT from_base64('aGVsbG8=')", "hello");
	EXPECT(db, "SELECT from_base64('aGVsbG8')", "hello");
	EXPECT(db, "SELECT from_base64('aGVs\nbG8=')", "hello");
	EXPECT(db, "SELECT from_base64('aGk=')", "hi");
	EXPECT(db, "SELECT from_base64('')", "");
	EXPECT(db, "SELECT hex(from_base64('AP8Q'))", "00FF10");
	EXPECT(db, "SELECT from_base64(to_base64('round trip ~!'))", "round trip ~!");
	EXPECT(db, "SELECT from_base64(NULL)", "NULL");
	/* Not base64: NULL. */
	EXPECT(db, "SELECT from_base64('!!!!')", "NULL");
	EXPECT(db, "SELECT from_base64('aGVsbG8=x')", "NULL");
	EXPECT(db, "SELECT from_base64('a')", "NULL");
	EXPECT(db, "SELECT from_base64('aGk===')", "NULL");
	EXPECT(db, "SELECT from_base64('aG=k')", "NULL");

	EXPECT(db, "SELECT conditional_to_base64('hello world')", "hello world");
	EXPECT(db, "SELECT conditional_to_base64('a' || char(10))", "YQo=");
	EXPECT(db, "SELECT conditional_to_base64(x'00ff10')", "AP8Q");
	EXPECT(db, "SELECT conditional_to_base64('caf' || char(233))", "Y2Fmw6k=");
	EXPECT(db, "SELECT conditional_to_base64('')", "");
	EXPECT(db, "SELECT conditional_to_base64(NULL)", "NULL");
}

static void test_hashes(void **state)
{
	sqlite3 *db = *state;

	EXPECT(db, "SELECT md5('abc')", "900150983cd24fb0d6963f7d28e17f72");
	EXPECT(db, "SELECT md5('')", "d41d8cd98f00b204e9800998ecf8427e");
	EXPECT(db, "SELECT sha1('abc')", "a9993e364706816aba3e25717850c26c9cd0d89d");
	EXPECT(db, "SELECT sha256('abc')",
	       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	EXPECT(db, "SELECT sha256('')",
	       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	EXPECT(db, "SELECT md5(NULL)", "NULL");
	EXPECT(db, "SELECT sha1(NULL)", "NULL");
	EXPECT(db, "SELECT sha256(NULL)", "NULL");
	/* Numbers hash as their text. */
	EXPECT(db, "SELECT md5(123) = md5('123')", "1");
}

static void test_community_id(void **state)
{
	sqlite3 *db = *state;

	/* The Community ID spec's published vectors (seed 0 and 1), in both directions. */
	EXPECT(db, "SELECT community_id_v1('1.2.3.4', '5.6.7.8', 1122, 3344, 6)",
	       "1:wCb3OG7yAFWelaUydu0D+125CLM=");
	EXPECT(db, "SELECT community_id_v1('5.6.7.8', '1.2.3.4', 3344, 1122, 6)",
	       "1:wCb3OG7yAFWelaUydu0D+125CLM=");
	EXPECT(db, "SELECT community_id_v1('1.2.3.4', '5.6.7.8', 1122, 3344, 6, 1)",
	       "1:HhA1B+6CoLbiKPEs5nhNYN4XWfk=");
	EXPECT(db, "SELECT community_id_v1('1.2.3.4', '5.6.7.8', 1122, 3344, 17)",
	       "1:0Mu9InQx6z4ZiCZM/7HXi2WMhOg=");
	EXPECT(db, "SELECT community_id_v1('5.6.7.8', '1.2.3.4', 3344, 1122, 17)",
	       "1:0Mu9InQx6z4ZiCZM/7HXi2WMhOg=");
	EXPECT(db, "SELECT community_id_v1('1.2.3.4', '5.6.7.8', 1122, 3344, 17, 1)",
	       "1:OShq+iKDAMVouh/4bMxB9Sz4amw=");
	/* ICMP echo and echo reply are one flow: the "ports" are type and code. */
	EXPECT(db, "SELECT community_id_v1('1.2.3.4', '5.6.7.8', 8, 0, 1)",
	       "1:crodRHL2FEsHjbv3UkRrfbs4bZ0=");
	EXPECT(db, "SELECT community_id_v1('5.6.7.8', '1.2.3.4', 0, 0, 1)",
	       "1:crodRHL2FEsHjbv3UkRrfbs4bZ0=");
	EXPECT(db, "SELECT community_id_v1('1.2.3.4', '5.6.7.8', 8, 0, 1, 1)",
	       "1:9pr4ZGTICiuZoIh90RRYE2RyXpU=");
	EXPECT(db, "SELECT community_id_v1('10.10.10.10', '10.10.10.10', 0, 8, 1)",
	       "1:4MHSMLtBw+4q7Wke3ztBRVwtgt0=");
	EXPECT(db,
	       "SELECT community_id_v1('fe80:0001:0203:0405:0607:0809:0A0B:0C0D', "
	       "'fe80:1011:1213:1415:1617:1819:1A1B:1C1D', 128, 0, 58)",
	       "1:0bf7hyMJUwt3fMED7z8LIfRpBeo=");
	EXPECT(db,
	       "SELECT community_id_v1('fe80:1011:1213:1415:1617:1819:1a1b:1c1d', "
	       "'fe80:1:203:405:607:809:a0b:c0d', 129, 0, 58)",
	       "1:0bf7hyMJUwt3fMED7z8LIfRpBeo=");
	EXPECT(db,
	       "SELECT community_id_v1('fe80:0001:0203:0405:0607:0809:0A0B:0C0D', "
	       "'fe80:1011:1213:1415:1617:1819:1A1B:1C1D', 128, 0, 58, 1)",
	       "1:IO27GQzPuCtNnwFvjWALMHu5tJE=");
	/* A protocol without ports: the ports are left out of the hash. */
	EXPECT(db, "SELECT community_id_v1('1.2.3.4', '5.6.7.8', NULL, NULL, 46)",
	       "1:ikv3kmf89luf73WPz1jOs49S768=");
	EXPECT(db, "SELECT community_id_v1('1.2.3.4', '5.6.7.8', 1, 2, 46)",
	       "1:ikv3kmf89luf73WPz1jOs49S768=");

	/* Bad input: NULL, or an error from the _strict variant. */
	EXPECT(db, "SELECT community_id_v1('1.2.3', '5.6.7.8', 1122, 3344, 6)", "NULL");
	EXPECT(db, "SELECT community_id_v1('1.2.3.4', '::1', 1122, 3344, 6)", "NULL");
	EXPECT(db, "SELECT community_id_v1('1.2.3.4', '5.6.7.8', 70000, 3344, 6)", "NULL");
	EXPECT(db, "SELECT community_id_v1('1.2.3.4', '5.6.7.8', -1, 3344, 6)", "NULL");
	EXPECT(db, "SELECT community_id_v1('1.2.3.4', '5.6.7.8', 1122, NULL, 6)", "NULL");
	EXPECT(db, "SELECT community_id_v1('1.2.3.4', '5.6.7.8', 1122, 3344, 256)", "NULL");
	EXPECT(db, "SELECT community_id_v1('1.2.3.4', '5.6.7.8', 1122, 3344, 6, 'x')", "NULL");
	EXPECT(db, "SELECT community_id_v1(NULL, '5.6.7.8', 1122, 3344, 6)", "NULL");
	EXPECT(db, "SELECT community_id_v1_strict('1.2.3.4', '5.6.7.8', 1122, 3344, 6)",
	       "1:wCb3OG7yAFWelaUydu0D+125CLM=");
	expect_error(db, "SELECT community_id_v1_strict('x', '5.6.7.8', 1122, 3344, 6)",
		     "community_id_v1: src_ip");
	expect_error(db, "SELECT community_id_v1_strict('1.2.3.4', '5.6.7.8', 1122, 99999, 6)",
		     "community_id_v1: the ports");
	expect_error(db, "SELECT community_id_v1_strict('1.2.3.4', '5.6.7.8', 1, 2, 6, 70000)",
		     "community_id_v1: the seed");
}

static void test_version_compare(void **state)
{
	sqlite3 *db = *state;

	EXPECT(db, "SELECT version_compare('1.0', '1.0')", "0");
	EXPECT(db, "SELECT version_compare('1:2.0-10', '1:2.0-10', 'DPKG')", "0");
	EXPECT(db, "SELECT version_compare('4:1.1.0', '4:1.1.0-3', 'arCH')", "0");
	EXPECT(db, "SELECT version_compare('50.4.1b', '50.4.1c')", "-1");
	EXPECT(db, "SELECT version_compare('1.0.8-4', '1.0.8-6', 'arch')", "-1");
	EXPECT(db, "SELECT version_compare('1.0.0~rc2^2021', '1.0.0', 'RHEL')", "-1");
	EXPECT(db, "SELECT version_compare('1.0.1.1', '1.0.1^2021', 'rhel')", "1");
	EXPECT(db, "SELECT version_compare('1.9.9-1ubuntu2.4', '1.9.9-1ubuntu2.3', 'dpkg')", "1");
	EXPECT(db, "SELECT version_compare('1:1.2.13-2', '4.2.1', 'ARCH')", "1");
	EXPECT(db, "SELECT version_compare('106.32.1', '106:32.1')", "0");
	EXPECT(db, "SELECT version_compare(NULL, '1')", "NULL");
	expect_error(db, "SELECT version_compare('1', '2', 'msi')", "version_compare");
}

static void test_flags(void **state)
{
	sqlite3 *db = *state;

	/* Deterministic functions may appear in index expressions and CHECK constraints. */
	assert_int_equal(sqlite3_exec(db,
				      "CREATE TABLE t (s TEXT CHECK (md5(s) IS NOT NULL));"
				      "CREATE INDEX t_b64 ON t (to_base64(s));"
				      "INSERT INTO t VALUES ('x');"
				      "DROP TABLE t;",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	/* Wrong argument counts are refused by SQLite itself. */
	expect_error(db, "SELECT split('a')", "wrong number of arguments");
	expect_error(db, "SELECT community_id_v1('1.2.3.4', '5.6.7.8', 1, 2)",
		     "wrong number of arguments");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_split, setup, hq_test_memdb_close),
		cmocka_unit_test_setup_teardown(test_regex_match, setup, hq_test_memdb_close),
		cmocka_unit_test_setup_teardown(test_regex_split, setup, hq_test_memdb_close),
		cmocka_unit_test_setup_teardown(test_inet_aton, setup, hq_test_memdb_close),
		cmocka_unit_test_setup_teardown(test_concat, setup, hq_test_memdb_close),
		cmocka_unit_test_setup_teardown(test_base64, setup, hq_test_memdb_close),
		cmocka_unit_test_setup_teardown(test_hashes, setup, hq_test_memdb_close),
		cmocka_unit_test_setup_teardown(test_community_id, setup, hq_test_memdb_close),
		cmocka_unit_test_setup_teardown(test_version_compare, setup, hq_test_memdb_close),
		cmocka_unit_test_setup_teardown(test_flags, setup, hq_test_memdb_close),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
