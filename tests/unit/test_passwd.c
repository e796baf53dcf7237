/* Unit tests for tables/lib/passwd.c. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/passwd.h"

static void test_passwd_ok(void **state)
{
	(void)state;
	char line[] = "nobody:x:65534:65534:nobody,,,:/nonexistent:/usr/sbin/nologin";
	hq_passwd_entry e;
	assert_int_equal(hq_passwd_parse_line(line, &e), 0);
	assert_string_equal(e.name, "nobody");
	assert_int_equal(e.uid, 65534);
	assert_int_equal(e.gid, 65534);
	assert_string_equal(e.gecos, "nobody,,,");
	assert_string_equal(e.dir, "/nonexistent");
	assert_string_equal(e.shell, "/usr/sbin/nologin");

	char big[] = "big:x:4294967294:4294967295::/:\r";
	assert_int_equal(hq_passwd_parse_line(big, &e), 0);
	assert_int_equal(e.uid, 4294967294u);
	assert_int_equal(e.gid, 4294967295u);
	assert_string_equal(e.shell, "");
}

static void test_passwd_bad(void **state)
{
	(void)state;
	hq_passwd_entry e;
	const char *bad[] = {
		"",
		"# comment:x:0:0::/:/bin/sh",
		"+nisuser::0:0:::",
		"-",
		"short:x:0:0:/root:/bin/sh",
		"long:x:0:0::/root:/bin/sh:extra",
		"neg:x:-1:0::/:/bin/sh",
		"hex:x:0x10:0::/:/bin/sh",
		"range:x:4294967296:0::/:/bin/sh",
		"empty:x::0::/:/bin/sh",
		":x:0:0::/:/bin/sh",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char buf[128];
		strcpy(buf, bad[i]);
		assert_int_equal(hq_passwd_parse_line(buf, &e), -EINVAL);
	}
}

static void test_group(void **state)
{
	(void)state;
	hq_group_entry g;
	char line[] = "sudo:x:27:alice,bob";
	assert_int_equal(hq_group_parse_line(line, &g), 0);
	assert_string_equal(g.name, "sudo");
	assert_int_equal(g.gid, 27);
	assert_string_equal(g.members, "alice,bob");

	char nomembers[] = "nogroup:x:65534:";
	assert_int_equal(hq_group_parse_line(nomembers, &g), 0);
	assert_string_equal(g.members, "");

	char bad[] = "bad:x:27";
	assert_int_equal(hq_group_parse_line(bad, &g), -EINVAL);
	char bad2[] = "bad:x:abc:";
	assert_int_equal(hq_group_parse_line(bad2, &g), -EINVAL);
}

static void test_parse_id(void **state)
{
	(void)state;
	uint32_t v;
	assert_int_equal(hq_parse_id("0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(hq_parse_id("4294967295", &v), 0);
	assert_int_equal(v, UINT32_MAX);
	assert_int_equal(hq_parse_id("99999999999999999999", &v), -ERANGE);
	assert_int_equal(hq_parse_id("", &v), -EINVAL);
	assert_int_equal(hq_parse_id(NULL, &v), -EINVAL);
	assert_int_equal(hq_parse_id(" 1", &v), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_passwd_ok),
		cmocka_unit_test(test_passwd_bad),
		cmocka_unit_test(test_group),
		cmocka_unit_test(test_parse_id),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
