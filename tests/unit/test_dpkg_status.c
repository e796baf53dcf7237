/* Unit tests for the deb822 / dpkg status parser (tables/lib/dpkg_status.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "lib/dpkg_status.h"

static hq_slice S(const char *s)
{
	return (hq_slice){s, strlen(s)};
}

static void assert_slice(hq_slice s, const char *want)
{
	if (!want) {
		assert_null(s.p);
		return;
	}
	assert_non_null(s.p);
	assert_int_equal(s.n, strlen(want));
	assert_memory_equal(s.p, want, s.n);
}

static const char status_text[] = "Package: rp-alpha\n"
				  "Status: hold ok installed\n"
				  "Priority: optional\n"
				  "Section: misc\n"
				  "Installed-Size: 12\n"
				  "Maintainer: Test <test@example.invalid>\n"
				  "Architecture: amd64\n"
				  "Multi-Arch: same\n"
				  "Source: rp-alpha-src (0.9)\n"
				  "Version: 1.0-1\n"
				  "Description: realparts test package rp-alpha\n"
				  " Long description line.\n"
				  " .\n"
				  " Source: not a field\n"
				  "\n"
				  "\n"
				  "Package: rp-beta\n"
				  "Status: deinstall ok config-files\n"
				  "Architecture: all\n"
				  "Version: 2:3.4~rc1-0+deb12u1\n"
				  "Config-Version: 2:3.4~rc1-0+deb12u1\n"
				  "Conffiles:\n"
				  " /etc/rp-beta/rp-beta.conf 0123456789abcdef0123456789abcdef\n"
				  "\n"
				  "Package: rp-multi\n"
				  "Status: install ok installed\n"
				  "Architecture: i386\n"
				  "version: 1.2\r\n"
				  " \t \n"
				  "package: rp-last\n"
				  "Status: purge ok not-installed";

static void test_stanzas(void **state)
{
	size_t pos = 0;
	hq_slice st;
	hq_dpkg_package pkg;
	hq_dpkg_status s;
	int n = 0;

	/* stanza 1 */
	assert_int_equal(hq_deb822_next_stanza(status_text, sizeof(status_text) - 1, &pos, &st), 1);
	assert_int_equal(hq_dpkg_package_parse(st, &pkg), 0);
	assert_slice(pkg.field[HQ_DPKG_PACKAGE], "rp-alpha");
	assert_slice(pkg.field[HQ_DPKG_STATUS], "hold ok installed");
	assert_slice(pkg.field[HQ_DPKG_INSTALLED_SIZE], "12");
	assert_slice(pkg.field[HQ_DPKG_MAINTAINER], "Test <test@example.invalid>");
	assert_slice(pkg.field[HQ_DPKG_SOURCE], "rp-alpha-src (0.9)");
	assert_slice(hq_dpkg_source_name(pkg.field[HQ_DPKG_SOURCE]), "rp-alpha-src");
	assert_slice(pkg.field[HQ_DPKG_VERSION], "1.0-1");
	assert_slice(pkg.field[HQ_DPKG_MULTI_ARCH], "same");
	assert_int_equal(hq_dpkg_status_parse(pkg.field[HQ_DPKG_STATUS], &s), 0);
	assert_slice(s.want, "hold");
	assert_slice(s.eflag, "ok");
	assert_slice(s.status, "installed");
	n++;

	/* stanza 2: multi-line Conffiles, no Source, epoch and tilde */
	assert_int_equal(hq_deb822_next_stanza(status_text, sizeof(status_text) - 1, &pos, &st), 1);
	assert_int_equal(hq_dpkg_package_parse(st, &pkg), 0);
	assert_slice(pkg.field[HQ_DPKG_PACKAGE], "rp-beta");
	assert_slice(pkg.field[HQ_DPKG_SOURCE], NULL);
	assert_slice(pkg.field[HQ_DPKG_CONFIG_VERSION], "2:3.4~rc1-0+deb12u1");
	assert_int_equal(hq_dpkg_status_parse(pkg.field[HQ_DPKG_STATUS], &s), 0);
	assert_slice(s.status, "config-files");
	n++;

	/* stanza 3: lower-case field names, CRLF, whitespace-only separator line */
	assert_int_equal(hq_deb822_next_stanza(status_text, sizeof(status_text) - 1, &pos, &st), 1);
	assert_int_equal(hq_dpkg_package_parse(st, &pkg), 0);
	assert_slice(pkg.field[HQ_DPKG_PACKAGE], "rp-multi");
	assert_slice(pkg.field[HQ_DPKG_VERSION], "1.2");
	n++;

	/* stanza 4: no trailing newline */
	assert_int_equal(hq_deb822_next_stanza(status_text, sizeof(status_text) - 1, &pos, &st), 1);
	assert_int_equal(hq_dpkg_package_parse(st, &pkg), 0);
	assert_slice(pkg.field[HQ_DPKG_PACKAGE], "rp-last");
	assert_slice(pkg.field[HQ_DPKG_STATUS], "purge ok not-installed");
	n++;

	assert_int_equal(hq_deb822_next_stanza(status_text, sizeof(status_text) - 1, &pos, &st), 0);
	assert_int_equal(n, 4);
}

static void test_multiline_value(void **state)
{
	const char txt[] = "Types: deb\nURIs: http://a.example/debian\n  http://b.example/debian\n"
			   "# a comment\nSuites: bookworm\nComponents: main contrib\n";
	hq_slice st;
	hq_deb822_field f;
	size_t pos = 0, fpos = 0;
	int n = 0;

	assert_int_equal(hq_deb822_next_stanza(txt, sizeof(txt) - 1, &pos, &st), 1);
	while (hq_deb822_next_field(st, &fpos, &f) > 0) {
		if (hq_deb822_name_is(f.name, "uris"))
			assert_slice(f.value, "http://a.example/debian\n  http://b.example/debian");
		n++;
	}
	assert_int_equal(n, 4);
}

static void test_empty_and_garbage(void **state)
{
	const char garbage[] = "no colon here\n:empty name\n  orphan: continuation\n\n\n";
	hq_slice st;
	hq_dpkg_package pkg;
	size_t pos = 0;

	assert_int_equal(hq_deb822_next_stanza(NULL, 0, &pos, &st), 0);
	pos = 0;
	assert_int_equal(hq_deb822_next_stanza("\n\n  \n", 5, &pos, &st), 0);
	pos = 0;
	assert_int_equal(hq_deb822_next_stanza(garbage, sizeof(garbage) - 1, &pos, &st), 1);
	assert_int_equal(hq_dpkg_package_parse(st, &pkg), -EBADMSG);
	assert_int_equal(hq_deb822_next_stanza(garbage, sizeof(garbage) - 1, &pos, &st), 0);

	/* A field with an empty value. */
	pos = 0;
	assert_int_equal(hq_deb822_next_stanza("Package:\n", 9, &pos, &st), 1);
	assert_int_equal(hq_dpkg_package_parse(st, &pkg), -EBADMSG);
}

static void check_version(const char *in, const char *epoch, const char *up, const char *rev,
			  const char *formatted)
{
	hq_dpkg_version v;
	char buf[128];

	assert_int_equal(hq_dpkg_version_parse(S(in), &v), 0);
	if (epoch)
		assert_slice(v.epoch, epoch);
	else
		assert_int_equal(v.epoch.n, 0);
	assert_slice(v.upstream, up);
	assert_int_equal(v.revision.n, strlen(rev));
	assert_memory_equal(v.revision.p, rev, v.revision.n);
	assert_int_equal(hq_dpkg_version_format(&v, buf, sizeof(buf)), (int)strlen(formatted));
	assert_string_equal(buf, formatted);
}

static void test_versions(void **state)
{
	hq_dpkg_version v;
	char small[4];

	check_version("1.0-1", NULL, "1.0", "1", "1.0-1");
	check_version("2:3.4~rc1-0+deb12u1", "2", "3.4~rc1", "0+deb12u1", "2:3.4~rc1-0+deb12u1");
	check_version("1.2", NULL, "1.2", "", "1.2");
	check_version("0:1.2-3", "0", "1.2", "3", "1.2-3");
	check_version("1:2.0-rc-1ubuntu1", "1", "2.0-rc", "1ubuntu1", "1:2.0-rc-1ubuntu1");
	check_version("7:4.4.2-0+deb12u1:x", "7", "4.4.2", "0+deb12u1:x", "7:4.4.2-0+deb12u1:x");

	assert_int_equal(hq_dpkg_version_parse(S(""), &v), -EBADMSG);
	assert_int_equal(hq_dpkg_version_parse(S(":1.0"), &v), -EBADMSG);
	assert_int_equal(hq_dpkg_version_parse(S("a:1.0"), &v), -EBADMSG);
	assert_int_equal(hq_dpkg_version_parse(S("1:"), &v), -EBADMSG);
	assert_int_equal(hq_dpkg_version_parse(S("-1"), &v), -EBADMSG);
	assert_int_equal(hq_dpkg_version_parse(S("1.0 2"), &v), -EBADMSG);
	assert_int_equal(hq_dpkg_version_parse(S("99999999999:1"), &v), -EBADMSG);
	assert_int_equal(hq_dpkg_version_parse(S("1.0-1"), &v), 0);
	assert_int_equal(hq_dpkg_version_format(&v, small, sizeof(small)), -ENOBUFS);
}

static void test_status_words(void **state)
{
	hq_dpkg_status s;

	assert_int_equal(hq_dpkg_status_parse(S("install ok installed"), &s), 0);
	assert_int_equal(hq_dpkg_status_parse(S("install ok"), &s), -EBADMSG);
	assert_int_equal(hq_dpkg_status_parse(S("install ok installed extra"), &s), -EBADMSG);
	assert_int_equal(hq_dpkg_status_parse(S(""), &s), -EBADMSG);
	assert_int_equal(hq_dpkg_status_parse(S("  install\tok  installed "), &s), 0);
	assert_slice(s.status, "installed");
}

static void test_source_name(void **state)
{
	assert_slice(hq_dpkg_source_name(S("glibc (2.36-9)")), "glibc");
	assert_slice(hq_dpkg_source_name(S("glibc")), "glibc");
	assert_slice(hq_dpkg_source_name(S("")), "");
}

/* The single-pass reader must agree with stanza + parse on every stanza with a Package. */
static void check_single_pass(const char *buf, size_t size)
{
	size_t p1 = 0, p2 = 0;
	hq_slice st;
	hq_dpkg_package a, b;
	int n = 0;

	for (;;) {
		int r1;

		do {
			r1 = hq_deb822_next_stanza(buf, size, &p1, &st);
		} while (r1 > 0 && hq_dpkg_package_parse(st, &a) < 0);
		assert_int_equal(hq_dpkg_next_package(buf, size, &p2, &b), r1);
		if (r1 == 0)
			break;
		for (int k = 0; k < _HQ_DPKG_FIELD_MAX; k++) {
			assert_ptr_equal(a.field[k].p, b.field[k].p);
			assert_int_equal(a.field[k].n, b.field[k].n);
		}
		n++;
	}
	assert_int_equal(p1, p2);
}

static void test_single_pass(void **state)
{
	const char garbage[] = "no colon\n\nPackage: x\n\n \n:bad\nPackage:\n\nPackage: y";

	check_single_pass(status_text, sizeof(status_text) - 1);
	check_single_pass(garbage, sizeof(garbage) - 1);
	check_single_pass("", 0);
}

static void test_host_status_file(void **state)
{
	/* The live dpkg database, when present, must parse with every stanza having a package. */
	FILE *f = fopen("/var/lib/dpkg/status", "re");
	static char buf[16 << 20];
	size_t size, pos = 0;
	hq_slice st;
	int n = 0;

	if (!f)
		skip();
	size = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	while (hq_deb822_next_stanza(buf, size, &pos, &st) > 0) {
		hq_dpkg_package pkg;
		hq_dpkg_version v;

		assert_int_equal(hq_dpkg_package_parse(st, &pkg), 0);
		if (pkg.field[HQ_DPKG_VERSION].p)
			assert_int_equal(hq_dpkg_version_parse(pkg.field[HQ_DPKG_VERSION], &v), 0);
		n++;
	}
	assert_true(n > 0);
	check_single_pass(buf, size);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stanzas),		  cmocka_unit_test(test_multiline_value),
		cmocka_unit_test(test_empty_and_garbage), cmocka_unit_test(test_versions),
		cmocka_unit_test(test_status_words),	  cmocka_unit_test(test_source_name),
		cmocka_unit_test(test_single_pass),	  cmocka_unit_test(test_host_status_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
