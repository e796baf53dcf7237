/* Unit tests for the GLib-style key file parser (tables/lib/keyfile.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "lib/keyfile.h"

static hq_keyfile *parse(const char *s)
{
	hq_keyfile *kf = NULL;

	assert_int_equal(hq_keyfile_parse(s, strlen(s), &kf), 0);
	assert_non_null(kf);
	return kf;
}

static void test_groups_and_keys(void **state)
{
	_cleanup_(hq_keyfile_freep) hq_keyfile *kf = parse("# leading comment\n"
							   "ignored=outside any group\n"
							   "[connection]\n"
							   "id=Home Net\n"
							   "  type = wifi  \n"
							   "\n"
							   "[wifi]\r\n"
							   "ssid=Home\r\n"
							   "  # indented comment\n"
							   "no equals sign here\n"
							   "=empty key\n"
							   "[empty]\n"
							   "[wifi]\n"
							   "ssid=Later wins\n");

	assert_string_equal(hq_keyfile_get(kf, "connection", "id"), "Home Net");
	assert_string_equal(hq_keyfile_get(kf, "connection", "type"), "wifi");
	assert_string_equal(hq_keyfile_get(kf, "wifi", "ssid"), "Later wins");
	assert_null(hq_keyfile_get(kf, "connection", "ignored"));
	assert_null(hq_keyfile_get(kf, "wifi", "no equals sign here"));
	assert_null(hq_keyfile_get(kf, "wifi", ""));
	assert_null(hq_keyfile_get(kf, "nope", "id"));
	assert_true(hq_keyfile_has_group(kf, "empty"));
	assert_false(hq_keyfile_has_group(kf, "missing"));
	assert_int_equal(kf->n_groups, 4);
}

static void test_escapes(void **state)
{
	_cleanup_(hq_keyfile_freep) hq_keyfile *kf =
		parse("[g]\na=\\sleading space\nb=tab\\there\\nnew\\\\slash\nc=semi\\;colon\n"
		      "d=trailing\\s\ne=   \nf=x\\");

	assert_string_equal(hq_keyfile_get(kf, "g", "a"), " leading space");
	assert_string_equal(hq_keyfile_get(kf, "g", "b"), "tab\there\nnew\\slash");
	/* Unknown escapes stay for the caller (NetworkManager's "\;"). */
	assert_string_equal(hq_keyfile_get(kf, "g", "c"), "semi\\;colon");
	assert_string_equal(hq_keyfile_get(kf, "g", "d"), "trailing ");
	assert_string_equal(hq_keyfile_get(kf, "g", "e"), "");
	assert_string_equal(hq_keyfile_get(kf, "g", "f"), "x\\");
}

static void test_malformed_headers(void **state)
{
	_cleanup_(hq_keyfile_freep) hq_keyfile *kf =
		parse("[good]\na=1\n[unterminated\nb=2\n[]\nc=3\n[a[b]\nd=4\n[ok]\ne=5");

	assert_string_equal(hq_keyfile_get(kf, "good", "a"), "1");
	/* Keys after a broken header belong to no group. */
	assert_null(hq_keyfile_get(kf, "good", "b"));
	assert_null(hq_keyfile_get(kf, "good", "c"));
	assert_null(hq_keyfile_get(kf, "good", "d"));
	assert_string_equal(hq_keyfile_get(kf, "ok", "e"), "5");
}

static void test_bools(void **state)
{
	_cleanup_(hq_keyfile_freep) hq_keyfile *kf =
		parse("[s]\nt=true\nf=false\none=1\nzero=0\nbad=yes\n");

	assert_int_equal(hq_keyfile_get_bool(kf, "s", "t", -1), 1);
	assert_int_equal(hq_keyfile_get_bool(kf, "s", "f", -1), 0);
	assert_int_equal(hq_keyfile_get_bool(kf, "s", "one", -1), 1);
	assert_int_equal(hq_keyfile_get_bool(kf, "s", "zero", -1), 0);
	assert_int_equal(hq_keyfile_get_bool(kf, "s", "bad", -1), -1);
	assert_int_equal(hq_keyfile_get_bool(kf, "s", "missing", 7), 7);
	assert_int_equal(hq_keyfile_get_bool(NULL, "s", "t", 3), 3);
}

static void test_not_nul_terminated_and_empty(void **state)
{
	const char buf[] = {'[', 'g', ']', '\n', 'k', '=', 'v', 'X'};
	_cleanup_(hq_keyfile_freep) hq_keyfile *kf = NULL, *empty = NULL;

	/* Only the first 7 bytes: "k=v" must not run into the 'X'. */
	assert_int_equal(hq_keyfile_parse(buf, 7, &kf), 0);
	assert_string_equal(hq_keyfile_get(kf, "g", "k"), "v");

	assert_int_equal(hq_keyfile_parse("", 0, &empty), 0);
	assert_int_equal(empty->n_entries, 0);
	assert_null(hq_keyfile_get(empty, "g", "k"));
	assert_int_equal(hq_keyfile_parse(NULL, 3, &kf), -EINVAL);
}

static void test_embedded_nul(void **state)
{
	const char buf[] = "[g]\nk=a\0b\nn=2\n";
	_cleanup_(hq_keyfile_freep) hq_keyfile *kf = NULL;

	assert_int_equal(hq_keyfile_parse(buf, sizeof(buf) - 1, &kf), 0);
	assert_string_equal(hq_keyfile_get(kf, "g", "k"), "a");
	assert_string_equal(hq_keyfile_get(kf, "g", "n"), "2");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_groups_and_keys),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_malformed_headers),
		cmocka_unit_test(test_bools),
		cmocka_unit_test(test_not_nul_terminated_and_empty),
		cmocka_unit_test(test_embedded_nul),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
