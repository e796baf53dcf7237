/* Unit tests for tables/lib/os_release.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/os_release.h"

static void test_debian(void **state)
{
	(void)state;
	static const char text[] = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"
				   "NAME=\"Debian GNU/Linux\"\n"
				   "VERSION_ID=\"12\"\n"
				   "VERSION=\"12 (bookworm)\"\n"
				   "VERSION_CODENAME=bookworm\n"
				   "ID=debian\n"
				   "# comment=ignored\n"
				   "garbage line\n"
				   "HOME_URL=\"https://www.debian.org/\"\n";
	hq_os_release r;
	assert_int_equal(hq_os_release_parse(text, strlen(text), &r), 0);
	assert_string_equal(r.name, "Debian GNU/Linux");
	assert_string_equal(r.version, "12 (bookworm)");
	assert_string_equal(r.version_id, "12");
	assert_string_equal(r.codename, "bookworm");
	assert_string_equal(r.id, "debian");
	assert_null(r.id_like);
	assert_null(r.build_id);
	hq_os_release_done(&r);
}

static void test_ubuntu_codename_and_quotes(void **state)
{
	(void)state;
	/* Not NUL-terminated at len, CRLF line ends, single quotes. */
	static const char text[] =
		"ID_LIKE=debian\r\nUBUNTU_CODENAME=jammy\r\nNAME='Ubuntu'\r\nID=";
	hq_os_release r;
	assert_int_equal(hq_os_release_parse(text, strlen(text), &r), 0);
	assert_string_equal(r.id_like, "debian");
	assert_string_equal(r.codename, "jammy");
	assert_string_equal(r.name, "Ubuntu");
	assert_string_equal(r.id, "");
	hq_os_release_done(&r);

	assert_int_equal(hq_os_release_parse(text, 6, &r), 0); /* "ID_LIK" */
	assert_null(r.id_like);
	hq_os_release_done(&r);
}

static void test_version_split(void **state)
{
	(void)state;
	int64_t v[3];
	bool h[3];

	hq_version_split("22.04", v, h);
	assert_true(h[0] && h[1] && !h[2]);
	assert_int_equal(v[0], 22);
	assert_int_equal(v[1], 4);

	hq_version_split("7.9.2009", v, h);
	assert_true(h[0] && h[1] && h[2]);
	assert_int_equal(v[2], 2009);

	hq_version_split("1.2.3.4", v, h);
	assert_false(h[0] || h[1] || h[2]);

	hq_version_split("rolling", v, h);
	assert_false(h[0]);

	hq_version_split(NULL, v, h);
	assert_false(h[0]);
}

static void test_redhat(void **state)
{
	(void)state;
	static const char text[] = "CentOS Linux release 7.9.2009 (Core)\n";
	hq_release_file r;
	assert_int_equal(hq_release_file_parse(text, strlen(text), &r), 0);
	assert_string_equal(r.name, "CentOS Linux");
	assert_string_equal(r.text, "CentOS Linux release 7.9.2009 (Core)");
	assert_true(r.have_major && r.have_minor && r.have_patch);
	assert_int_equal(r.major, 7);
	assert_int_equal(r.minor, 9);
	assert_int_equal(r.patch, 2009);
	hq_release_file_done(&r);
}

static void test_gentoo_and_garbage(void **state)
{
	(void)state;
	static const char text[] = "  Gentoo Base System release 2.14\n\n";
	hq_release_file r;
	assert_int_equal(hq_release_file_parse(text, strlen(text), &r), 0);
	assert_string_equal(r.name, "Gentoo Base System");
	assert_string_equal(r.text, "Gentoo Base System release 2.14");
	assert_int_equal(r.major, 2);
	assert_int_equal(r.minor, 14);
	assert_true(r.have_patch);
	assert_int_equal(r.patch, 0);
	hq_release_file_done(&r);

	static const char junk[] = "\x01\xff no numbers here";
	assert_int_equal(hq_release_file_parse(junk, sizeof(junk) - 1, &r), 0);
	assert_null(r.name);
	assert_false(r.have_major);
	hq_release_file_done(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_debian),
		cmocka_unit_test(test_ubuntu_codename_and_quotes),
		cmocka_unit_test(test_version_split),
		cmocka_unit_test(test_redhat),
		cmocka_unit_test(test_gentoo_and_garbage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
