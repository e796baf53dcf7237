/* Unit tests for the path helpers in tables/lib/path_constraints.c: boost-style filename and
 * parent (what osquery's file and hash tables report) and directory joining. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "hq/util.h"
#include "lib/path_constraints.h"

static void check(char *(*fn)(const char *), const char *in, const char *want)
{
	_cleanup_free_ char *got = fn(in);
	assert_non_null(got);
	assert_string_equal(got, want);
}

static void test_filename(void **state)
{
	(void)state;
	check(hq_path_filename, "/etc/passwd", "passwd");
	check(hq_path_filename, "/etc", "etc");
	check(hq_path_filename, "/etc/ssh/", ".");
	check(hq_path_filename, "/", "/");
	check(hq_path_filename, "README", "README");
	check(hq_path_filename, "", "");
}

static void test_parent(void **state)
{
	(void)state;
	check(hq_path_parent, "/etc/passwd", "/etc");
	check(hq_path_parent, "/etc", "/");
	check(hq_path_parent, "/etc/ssh/", "/etc/ssh");
	check(hq_path_parent, "/", "");
	check(hq_path_parent, "README", "");
	check(hq_path_parent, "a/b", "a");
}

static void test_join(void **state)
{
	(void)state;
	_cleanup_free_ char *a = hq_path_join("/etc", "passwd");
	_cleanup_free_ char *b = hq_path_join("/etc/", "passwd");
	_cleanup_free_ char *c = hq_path_join("/", "etc");
	_cleanup_free_ char *d = hq_path_join("", "x");
	assert_string_equal(a, "/etc/passwd");
	assert_string_equal(b, "/etc/passwd");
	assert_string_equal(c, "/etc");
	assert_string_equal(d, "x");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filename),
		cmocka_unit_test(test_parent),
		cmocka_unit_test(test_join),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
