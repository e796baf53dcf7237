/* Unit tests for tables/lib/glob.c: pattern translation and expansion below a root directory
 * built by the test (whose name contains glob metacharacters on purpose). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "hq/util.h"
#include "lib/glob.h"

static char root[256];

static void make_file(const char *rel)
{
	char p[512];
	snprintf(p, sizeof(p), "%s%s", root, rel);
	FILE *f = fopen(p, "we");
	assert_non_null(f);
	fputs("x", f);
	fclose(f);
}

static void make_dir(const char *rel)
{
	char p[512];
	snprintf(p, sizeof(p), "%s%s", root, rel);
	assert_int_equal(mkdir(p, 0755), 0);
}

static int setup(void **state)
{
	(void)state;
	char tmpl[] = "/tmp/hq-glob-XXXXXX";
	if (!mkdtemp(tmpl))
		return -1;
	/* A root whose name would be a wildcard if it were not escaped. */
	snprintf(root, sizeof(root), "%s/r[1]*", tmpl);
	if (mkdir(root, 0755) < 0)
		return -1;
	make_dir("/a");
	make_dir("/a/sub");
	make_dir("/a/sub/deep");
	make_file("/a/x.conf");
	make_file("/a/y.conf");
	make_file("/a/.hidden");
	make_file("/a/sub/s.txt");
	make_file("/a/sub/deep/d.txt");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[600];
	char *slash = strrchr(root, '/');
	*slash = '\0';
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd) == 0 ? 0 : -1;
}

static void assert_paths(char **got, size_t n, const char *const *want)
{
	size_t i = 0;
	for (; want[i]; i++) {
		assert_true(i < n);
		assert_string_equal(got[i], want[i]);
	}
	assert_int_equal(n, i);
	assert_null(got[n]);
}

static void test_translate(void **state)
{
	(void)state;
	_cleanup_free_ char *a = NULL, *b = NULL, *c = NULL, *d = NULL;
	bool rec;

	assert_int_equal(hq_glob_translate("/etc/%.conf", &a, &rec), 0);
	assert_string_equal(a, "/etc/*.conf");
	assert_false(rec);

	assert_int_equal(hq_glob_translate("/etc/%%", &b, &rec), 0);
	assert_string_equal(b, "/etc/**");
	assert_true(rec);

	assert_int_equal(hq_glob_translate("/etc/%%/", &c, &rec), 0);
	assert_true(rec);

	/* '%%' in the middle is one level only. */
	assert_int_equal(hq_glob_translate("/home/%%/.ssh", &d, &rec), 0);
	assert_string_equal(d, "/home/**/.ssh");
	assert_false(rec);

	assert_int_equal(hq_glob_translate(NULL, &d, &rec), -EINVAL);
}

static void test_escape(void **state)
{
	(void)state;
	_cleanup_free_ char *e = hq_glob_escape("/x[1]*?{a}\\~");
	assert_string_equal(e, "/x\\[1\\]\\*\\?\\{a\\}\\\\\\~");
}

static void test_one_level(void **state)
{
	(void)state;
	char **v = NULL;
	size_t n;

	assert_int_equal(hq_glob_expand(root, "/a/%.conf", HQ_GLOB_ALL, &v, &n), 0);
	assert_paths(v, n, (const char *const[]){"/a/x.conf", "/a/y.conf", NULL});
	hq_glob_free(v);

	/* '%' stays within a component and skips dot files, like glob(3). */
	assert_int_equal(hq_glob_expand(root, "/a/%", HQ_GLOB_ALL, &v, &n), 0);
	assert_paths(v, n, (const char *const[]){"/a/sub/", "/a/x.conf", "/a/y.conf", NULL});
	hq_glob_free(v);

	assert_int_equal(hq_glob_expand(root, "/a/%", HQ_GLOB_FILES, &v, &n), 0);
	assert_paths(v, n, (const char *const[]){"/a/x.conf", "/a/y.conf", NULL});
	hq_glob_free(v);

	assert_int_equal(hq_glob_expand(root, "/a/%", HQ_GLOB_FOLDERS, &v, &n), 0);
	assert_paths(v, n, (const char *const[]){"/a/sub/", NULL});
	hq_glob_free(v);

	/* A middle '%%' is a single level. */
	assert_int_equal(hq_glob_expand(root, "/%%/x.conf", HQ_GLOB_ALL, &v, &n), 0);
	assert_paths(v, n, (const char *const[]){"/a/x.conf", NULL});
	hq_glob_free(v);
}

static void test_recursive(void **state)
{
	(void)state;
	char **v = NULL;
	size_t n;

	assert_int_equal(hq_glob_expand(root, "/a/%%", HQ_GLOB_ALL, &v, &n), 0);
	assert_paths(v, n,
		     (const char *const[]){"/a/sub/", "/a/sub/deep/", "/a/sub/deep/d.txt",
					   "/a/sub/s.txt", "/a/x.conf", "/a/y.conf", NULL});
	hq_glob_free(v);

	assert_int_equal(hq_glob_expand(root, "/a/%%/", HQ_GLOB_FILES, &v, &n), 0);
	assert_paths(v, n,
		     (const char *const[]){"/a/sub/deep/d.txt", "/a/sub/s.txt", "/a/x.conf",
					   "/a/y.conf", NULL});
	hq_glob_free(v);
}

static void test_no_match(void **state)
{
	(void)state;
	char **v = NULL;
	size_t n = 99;

	assert_int_equal(hq_glob_expand(root, "/nope/%", HQ_GLOB_ALL, &v, &n), 0);
	assert_int_equal(n, 0);
	assert_null(v[0]);
	hq_glob_free(v);

	/* Relative patterns mean nothing below a root. */
	assert_int_equal(hq_glob_expand(root, "a/%", HQ_GLOB_ALL, &v, &n), 0);
	assert_int_equal(n, 0);
	hq_glob_free(v);

	/* Without wildcards the path itself, when it exists. */
	assert_int_equal(hq_glob_expand(root, "/a/x.conf", HQ_GLOB_ALL, &v, &n), 0);
	assert_paths(v, n, (const char *const[]){"/a/x.conf", NULL});
	hq_glob_free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_translate), cmocka_unit_test(test_escape),
		cmocka_unit_test(test_one_level), cmocka_unit_test(test_recursive),
		cmocka_unit_test(test_no_match),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
