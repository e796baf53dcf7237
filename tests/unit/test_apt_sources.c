/* Unit tests for the APT source parsers (tables/lib/apt_sources.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/apt_sources.h"

static int parse(const char *line, hq_apt_source *s)
{
	return hq_apt_source_parse_line(line, strlen(line), s);
}

static void test_one_line(void **state)
{
	hq_apt_source s;

	assert_int_equal(parse("deb http://deb.debian.org/debian/ bookworm main contrib", &s), 1);
	assert_string_equal(s.base_uri, "http://deb.debian.org/debian");
	assert_string_equal(s.name, "deb.debian.org/debian bookworm");
	assert_string_equal(s.cache, "deb.debian.org_debian_dists_bookworm");
	hq_apt_source_done(&s);

	assert_int_equal(parse("deb [arch=amd64 signed-by=/k.gpg] https://x.example/apt "
			       "stable main # trailing",
			       &s),
			 1);
	assert_string_equal(s.base_uri, "https://x.example/apt");
	assert_string_equal(s.cache, "x.example_apt_dists_stable");
	hq_apt_source_done(&s);

	/* flat repository: the suite is a path */
	assert_int_equal(parse("deb http://x.example/repo ./bin/", &s), 1);
	assert_string_equal(s.name, "x.example/repo ./bin/");
	assert_string_equal(s.cache, "x.example_repo_._bin");
	hq_apt_source_done(&s);

	assert_int_equal(parse("deb-src http://deb.debian.org/debian bookworm main", &s), 0);
	assert_int_equal(parse("# deb http://deb.debian.org/debian bookworm main", &s), 0);
	assert_int_equal(parse("deb http://deb.debian.org/debian", &s), 0);
	assert_int_equal(parse("deb noscheme bookworm main", &s), 0);
	assert_int_equal(parse("deb [arch=amd64", &s), 0);
	assert_int_equal(parse("", &s), 0);
}

static void test_deb822(void **state)
{
	const char txt[] = "Types: deb deb-src\n"
			   "URIs: http://a.example/debian/ http://b.example/debian\n"
			   "Suites: bookworm bookworm-updates\n"
			   "Components: main\n";
	hq_slice st = {txt, sizeof(txt) - 1};
	hq_apt_source *s = NULL;
	size_t n = 0;

	assert_int_equal(hq_apt_source_parse_stanza(st, &s, &n), 4);
	assert_int_equal(n, 4);
	assert_string_equal(s[0].name, "a.example/debian bookworm");
	assert_string_equal(s[1].cache, "a.example_debian_dists_bookworm-updates");
	assert_string_equal(s[3].base_uri, "http://b.example/debian");
	hq_apt_sources_free(s, n);

	const char off[] = "Types: deb\nURIs: http://a.example/\nSuites: x\nEnabled: no\n";
	assert_int_equal(hq_apt_source_parse_stanza((hq_slice){off, sizeof(off) - 1}, &s, &n), 0);
	assert_null(s);
	const char src[] = "Types: deb-src\nURIs: http://a.example/\nSuites: x\n";
	assert_int_equal(hq_apt_source_parse_stanza((hq_slice){src, sizeof(src) - 1}, &s, &n), 0);
	const char nosuite[] = "Types: deb\nURIs: http://a.example/\n";
	assert_int_equal(
		hq_apt_source_parse_stanza((hq_slice){nosuite, sizeof(nosuite) - 1}, &s, &n), 0);
}

static void test_release(void **state)
{
	const char txt[] = "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n"
			   "Origin: Debian\nLabel: Debian\nVersion: 12.5\nCodename: bookworm\n"
			   "Date: Sat, 10 Feb 2024 09:48:22 UTC\nArchitectures: all amd64\n"
			   "Components: main contrib\n"
			   "-----BEGIN PGP SIGNATURE-----\nCodename: evil\n";
	hq_slice out[_HQ_APT_RELEASE_MAX];

	hq_apt_release_parse(txt, sizeof(txt) - 1, out);
	assert_int_equal(out[HQ_APT_RELEASE_CODENAME].n, 8);
	assert_memory_equal(out[HQ_APT_RELEASE_CODENAME].p, "bookworm", 8);
	assert_memory_equal(out[HQ_APT_RELEASE_ORIGIN].p, "Debian", 6);
	assert_memory_equal(out[HQ_APT_RELEASE_VERSION].p, "12.5", 4);
	assert_memory_equal(out[HQ_APT_RELEASE_ARCHITECTURES].p, "all amd64", 9);
	assert_memory_equal(out[HQ_APT_RELEASE_COMPONENTS].p, "main contrib", 12);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_line),
		cmocka_unit_test(test_deb822),
		cmocka_unit_test(test_release),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
