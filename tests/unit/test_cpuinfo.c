/* Unit tests for tables/lib/cpuinfo.c: hyperthreaded two-socket x86 text, a block without
 * topology ids (ARM-like), the committed fixture file, and junk. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "hq/util.h"
#include "lib/cpuinfo.h"

static void test_two_sockets_ht(void **state)
{
	(void)state;
	/* 2 sockets x 2 cores x 2 threads = 8 logical, 4 physical. */
	char text[4096] = "";
	for (int cpu = 0; cpu < 8; cpu++) {
		char block[256];
		snprintf(block, sizeof(block),
			 "processor\t: %d\nvendor_id\t: GenuineIntel\nmodel\t\t: 85\n"
			 "model name\t: Test CPU @ 2.00GHz  \nmicrocode\t: 0x5003\n"
			 "physical id\t: %d\ncore id\t\t: %d\n\n",
			 cpu, cpu / 4, (cpu / 2) % 2);
		strcat(text, block);
	}
	hq_cpuinfo info;
	assert_int_equal(hq_cpuinfo_parse(text, strlen(text), &info), 0);
	assert_int_equal(info.logical, 8);
	assert_int_equal(info.physical, 4);
	assert_int_equal(info.sockets, 2);
	assert_string_equal(info.brand, "Test CPU @ 2.00GHz");
	assert_string_equal(info.model, "85");
	assert_string_equal(info.microcode, "0x5003");
	hq_cpuinfo_done(&info);
}

static void test_no_topology(void **state)
{
	(void)state;
	static const char text[] = "processor\t: 0\nBogoMIPS\t: 48.00\n\nprocessor\t: 1\n"
				   "BogoMIPS\t: 48.00";
	hq_cpuinfo info;
	assert_int_equal(hq_cpuinfo_parse(text, strlen(text), &info), 0);
	assert_int_equal(info.logical, 2);
	assert_int_equal(info.physical, -1);
	assert_int_equal(info.sockets, -1);
	assert_null(info.brand);
	assert_null(info.model);
	hq_cpuinfo_done(&info);
}

static void test_fixture(void **state)
{
	(void)state;
	_cleanup_free_ char *buf = NULL;
	size_t size;
	assert_int_equal(hq_read_full_file_at(AT_FDCWD,
					      HQ_TEST_SRCDIR
					      "/tests/fixtures/sysroots/basic/proc/cpuinfo",
					      1 << 20, &buf, &size),
			 0);
	hq_cpuinfo info;
	assert_int_equal(hq_cpuinfo_parse(buf, size, &info), 0);
	assert_int_equal(info.logical, 4);
	assert_int_equal(info.physical, 2);
	assert_int_equal(info.sockets, 1);
	hq_cpuinfo_done(&info);
}

static void test_junk(void **state)
{
	(void)state;
	static const char text[] = ":::\n\x01\x02: \nprocessor: x\nprocessor:\n";
	hq_cpuinfo info;
	assert_int_equal(hq_cpuinfo_parse(text, sizeof(text) - 1, &info), 0);
	assert_int_equal(info.logical, 0);
	assert_int_equal(info.physical, -1);
	hq_cpuinfo_done(&info);

	assert_int_equal(hq_cpuinfo_parse("", 0, &info), 0);
	assert_int_equal(info.logical, 0);
	hq_cpuinfo_done(&info);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_sockets_ht),
		cmocka_unit_test(test_no_topology),
		cmocka_unit_test(test_fixture),
		cmocka_unit_test(test_junk),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
