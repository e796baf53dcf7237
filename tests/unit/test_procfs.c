/* Unit tests for the procfs parsers: real samples from a Linux 6.x host, plus truncated and
 * malformed ones. Each malformed input is also parsed from an exact-size heap copy, so ASan
 * catches any read past the end. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/procfs.h"

static const char stat_sleep[] =
	"7929 (sleep) S 7926 7926 3291 0 -1 4194304 99 0 0 0 12 34 0 0 20 -5 3 0 36054 3133440 "
	"393 18446744073709551615 94472448507904 94472448527785 140734844489568 0 0 0 0 0 0 0 0 0 "
	"17 1 0 0 0 0 0 94472448543792 94472448545408 94472862490624 140734844492427 "
	"140734844492447 140734844492447 140734844493803 0\n";

static const char stat_kthread[] =
	"2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 6 0 0 18446744073709551615 0 0 "
	"0 0 0 0 0 2147483647 0 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n";

static const char status_sample[] = "Name:\tsleep\n"
				    "Umask:\t0022\n"
				    "State:\tS (sleeping)\n"
				    "Tgid:\t4242\n"
				    "PPid:\t1\n"
				    "Uid:\t1000\t1001\t1002\t1003\n"
				    "Gid:\t2000\t2001\t2002\t2003\n"
				    "FDSize:\t64\n"
				    "Groups:\t \n"
				    "VmPeak:\t    8000 kB\n"
				    "VmSize:\t    7680 kB\n"
				    "VmRSS:\t     904 kB\n"
				    "Threads:\t1\n";

static const char io_sample[] = "rchar: 6976\n"
				"wchar: 0\n"
				"syscr: 10\n"
				"syscw: 0\n"
				"read_bytes: 4096\n"
				"write_bytes: 8192\n"
				"cancelled_write_bytes: 4096\n";

/* Copies s into an exact-size heap buffer (no terminating NUL) so out-of-bounds reads trip
 * the sanitizers. */
static char *exact(const char *s, size_t len)
{
	char *b = malloc(len ? len : 1);

	assert_non_null(b);
	memcpy(b, s, len);
	return b;
}

/* Parses an exact-size copy; comm is copied to comm_copy because the copy is freed. */
static char comm_copy[64];

static int parse_stat_exact(const char *s, size_t len, hq_proc_stat *st)
{
	char *b = exact(s, len);
	int r = hq_procfs_parse_stat(b, len, st);

	if (r == 0) {
		assert_true(st->comm_len < sizeof(comm_copy));
		assert_true(st->comm >= b && st->comm + st->comm_len <= b + len);
		memcpy(comm_copy, st->comm, st->comm_len);
		st->comm = comm_copy;
	}
	free(b);
	return r;
}

static void test_stat_real(void **state)
{
	hq_proc_stat st;

	assert_int_equal(hq_procfs_parse_stat(stat_sleep, strlen(stat_sleep), &st), 0);
	assert_int_equal(st.comm_len, 5);
	assert_memory_equal(st.comm, "sleep", 5);
	assert_int_equal(st.state, 'S');
	assert_int_equal(st.ppid, 7926);
	assert_int_equal(st.pgrp, 7926);
	assert_int_equal(st.utime, 12);
	assert_int_equal(st.stime, 34);
	assert_int_equal(st.nice, -5);
	assert_int_equal(st.num_threads, 3);
	assert_int_equal(st.starttime, 36054);
	assert_int_equal(st.vsize, 3133440);
	assert_int_equal(st.rss, 393);
	assert_int_equal(st.flags, 4194304);
	assert_false(st.flags & HQ_PF_KTHREAD);

	assert_int_equal(hq_procfs_parse_stat(stat_kthread, strlen(stat_kthread), &st), 0);
	assert_memory_equal(st.comm, "kthreadd", 8);
	assert_int_equal(st.ppid, 0);
	assert_int_equal(st.starttime, 6);
	assert_int_equal(st.vsize, 0);
	assert_true(st.flags & HQ_PF_KTHREAD);
}

static void test_stat_tricky_comm(void **state)
{
	/* A task may call itself "a) (b" or ") S 1 ": only the last ')' ends comm. */
	static const char tricky[] = "77 (a) (b) R 1 77 77 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 500 "
				     "4096 1 0\n";
	static const char fake[] = "78 () S 1 2 ) S 5 6 7 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 9 8 7\n";
	static const char empty[] = "79 () Z 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 9 0 0\n";
	hq_proc_stat st;

	assert_int_equal(parse_stat_exact(tricky, strlen(tricky), &st), 0);
	assert_int_equal(st.comm_len, 5);
	assert_memory_equal(st.comm, "a) (b", 5);
	assert_int_equal(st.state, 'R');
	assert_int_equal(st.pgrp, 77);
	assert_int_equal(st.starttime, 500);

	assert_int_equal(parse_stat_exact(fake, strlen(fake), &st), 0);
	assert_int_equal(st.comm_len, 8);
	assert_memory_equal(st.comm, ") S 1 2 ", 8);
	assert_int_equal(st.ppid, 5);

	assert_int_equal(parse_stat_exact(empty, strlen(empty), &st), 0);
	assert_int_equal(st.comm_len, 0);
	assert_int_equal(st.state, 'Z');
}

static void test_stat_malformed(void **state)
{
	static const char *const bad[] = {
		"",
		"1234",
		"1 (noclose S 1 1",
		"1 noopen) S 1 1",
		")( S 1 2 3",
		"1 (x)",
		"1 (x) ",
		"1 (x) S",
		"1 (x) S ",
		"1 (x)S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 9 0 0",
		"1 (x) S one 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 9 0 0",
		"1 (x) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 9 0",
		"1 (x) S 1 1 1 0 -1 0 0 0 0 0 -3 0 0 0 20 0 1 0 9 0 0",
		"1 (x) S 1 1 1 0 -1 0 0 0 0 0 99999999999999999999 0 0 0 20 0 1 0 9 0 0",
		"1 (x) S 1 1 1 0 -1 0 0 0 0 0 1x 0 0 0 20 0 1 0 9 0 0",
		"1 (x) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 9 0 -",
	};
	hq_proc_stat st;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(parse_stat_exact(bad[i], strlen(bad[i]), &st), -EBADMSG);

	/* Every truncation of a real line fails cleanly or parses (cut after rss). */
	for (size_t n = 0; n < strlen(stat_sleep); n++) {
		int r = parse_stat_exact(stat_sleep, n, &st);
		assert_true(r == 0 || r == -EBADMSG);
		if (n < 80)
			assert_int_equal(r, -EBADMSG);
	}
	assert_int_equal(hq_procfs_parse_stat(NULL, 0, &st), -EINVAL);
}

static void test_status(void **state)
{
	hq_proc_status s;
	char *b;

	b = exact(status_sample, strlen(status_sample));
	assert_int_equal(hq_procfs_parse_status(b, strlen(status_sample), &s), 0);
	assert_int_equal(s.fields, HQ_PROC_STATUS_UID | HQ_PROC_STATUS_GID |
					   HQ_PROC_STATUS_THREADS | HQ_PROC_STATUS_VMRSS |
					   HQ_PROC_STATUS_VMSIZE | HQ_PROC_STATUS_NAME |
					   HQ_PROC_STATUS_STATE | HQ_PROC_STATUS_PPID);
	assert_int_equal(s.uid[0], 1000);
	assert_int_equal(s.uid[1], 1001);
	assert_int_equal(s.uid[2], 1002);
	assert_int_equal(s.gid[0], 2000);
	assert_int_equal(s.gid[1], 2001);
	assert_int_equal(s.gid[2], 2002);
	assert_int_equal(s.threads, 1);
	assert_int_equal(s.vm_rss_kb, 904);
	assert_int_equal(s.vm_size_kb, 7680);
	assert_true(s.fields & HQ_PROC_STATUS_NAME);
	assert_int_equal(s.name_len, 5);
	assert_memory_equal(s.name, "sleep", 5);
	assert_int_equal(s.state, 'S');
	assert_int_equal(s.ppid, 1);
	assert_false(s.fields & HQ_PROC_STATUS_KTHREAD);
	free(b); /* name pointed into it */

	/* Kernel threads have no Vm* lines. */
	static const char kthread[] = "Name:\tkthreadd\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n"
				      "Threads:\t1\nKthread:\t1\n";
	assert_int_equal(hq_procfs_parse_status(kthread, strlen(kthread), &s), 0);
	assert_int_equal(s.fields, HQ_PROC_STATUS_UID | HQ_PROC_STATUS_GID |
					   HQ_PROC_STATUS_THREADS | HQ_PROC_STATUS_NAME |
					   HQ_PROC_STATUS_KTHREAD);
	assert_true(s.kthread);
}

static void test_status_malformed(void **state)
{
	static const char *const bad[] = {
		"",
		"Name:\tx\n",
		"Uid:\t1\t2\t3\t4\n",
		"Uid:\t1\t2\nGid:\t1\t2\t3\t4\n",
		"Uid:\t1\t2\t3\t4\nGid:\tx\t2\t3\t4\n",
		"Uid:\t1\t2\t3\t4\nGid:\t1\t2\t3\t4\nVmRSS:\t  12\n",
		"Uid:\t1\t2\t3\t4\nGid:\t1\t2\t3\t4\nVmRSS:\t  12 MB\n",
		"Uid:\t1\t2\t3\t4\nGid:\t1\t2\t3\t4\nThreads:\t\n",
		"Uid:",
		"State:\nUid:\t1\t2\t3\t4\nGid:\t1\t2\t3\t4\n",
		"PPid:\tx\nUid:\t1\t2\t3\t4\nGid:\t1\t2\t3\t4\n",
	};
	hq_proc_status s;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *b = exact(bad[i], strlen(bad[i]));
		assert_int_equal(hq_procfs_parse_status(b, strlen(bad[i]), &s), -EBADMSG);
		free(b);
	}
	for (size_t n = 0; n < strlen(status_sample); n++) {
		char *b = exact(status_sample, n);
		int r = hq_procfs_parse_status(b, n, &s);
		assert_true(r == 0 || r == -EBADMSG);
		free(b);
	}
}

static void test_unescape_name(void **state)
{
	char out[64];
	size_t n;

	/* The kernel prints a newline in comm as backslash-n and a backslash doubled. */
	n = hq_procfs_unescape_name("a\\nb\\\\c", 7, out, sizeof(out));
	assert_int_equal(n, 5);
	assert_memory_equal(out, "a\nb\\c", 5);
	n = hq_procfs_unescape_name("trail\\", 6, out, sizeof(out));
	assert_int_equal(n, 6);
	assert_memory_equal(out, "trail\\", 6);
	n = hq_procfs_unescape_name("abcdef", 6, out, 3);
	assert_int_equal(n, 3);
}

static void test_io(void **state)
{
	hq_proc_io io;
	char *b = exact(io_sample, strlen(io_sample));

	assert_int_equal(hq_procfs_parse_io(b, strlen(io_sample), &io), 0);
	free(b);
	assert_int_equal(io.read_bytes, 4096);
	assert_int_equal(io.write_bytes, 8192);
	assert_int_equal(io.cancelled_write_bytes, 4096);
	assert_int_equal(io.fields, HQ_PROC_IO_READ_BYTES | HQ_PROC_IO_WRITE_BYTES |
					    HQ_PROC_IO_CANCELLED_WRITE_BYTES);

	assert_int_equal(hq_procfs_parse_io("", 0, &io), -EBADMSG);
	assert_int_equal(hq_procfs_parse_io("rchar: 1\n", 9, &io), -EBADMSG);
	assert_int_equal(hq_procfs_parse_io("read_bytes: -1\n", 15, &io), -EBADMSG);
	assert_int_equal(hq_procfs_parse_io("read_bytes: 12", 14, &io), 0);
	assert_int_equal(io.read_bytes, 12);
	for (size_t n = 0; n < strlen(io_sample); n++) {
		char *c = exact(io_sample, n);
		int r = hq_procfs_parse_io(c, n, &io);
		assert_true(r == 0 || r == -EBADMSG);
		free(c);
	}
}

static void test_cmdline(void **state)
{
	char a[] = "sleep\0001000\0marker-arg\0";
	size_t n = hq_procfs_cmdline_to_text(a, sizeof(a) - 1);

	assert_int_equal(n, strlen("sleep 1000 marker-arg"));
	assert_memory_equal(a, "sleep 1000 marker-arg", n);

	/* Rewritten argv, padded with NULs. */
	char b[] = "nginx: worker process\0\0\0\0";
	n = hq_procfs_cmdline_to_text(b, sizeof(b) - 1);
	assert_int_equal(n, strlen("nginx: worker process"));

	/* Empty cmdline (kernel threads, zombies). */
	char c[1] = "";
	assert_int_equal(hq_procfs_cmdline_to_text(c, 0), 0);
	char d[] = "\0\0";
	assert_int_equal(hq_procfs_cmdline_to_text(d, 2), 0);

	/* Empty arguments in the middle stay as double spaces; no trailing NUL. */
	char e[] = "a\0\0b";
	n = hq_procfs_cmdline_to_text(e, 4);
	assert_int_equal(n, 4);
	assert_memory_equal(e, "a  b", 4);
}

static void test_cgroup(void **state)
{
	static const char v1v2[] = "9:name=systemd:/\n4:memory:/x/y\n0::/user.slice/a:b.scope\n";
	static const char v1[] = "\n4:memory:/x/y\n1:cpu:/\n";
	const char *p;
	size_t n;

	assert_int_equal(hq_procfs_parse_cgroup(v1v2, strlen(v1v2), &p, &n), 0);
	assert_int_equal(n, strlen("/user.slice/a:b.scope"));
	assert_memory_equal(p, "/user.slice/a:b.scope", n);
	assert_int_equal(hq_procfs_parse_cgroup(v1, strlen(v1), &p, &n), 0);
	assert_memory_equal(p, "/x/y", n);
	assert_int_equal(hq_procfs_parse_cgroup("", 0, &p, &n), -ENODATA);
	assert_int_equal(hq_procfs_parse_cgroup("\n\n", 2, &p, &n), -ENODATA);
	assert_int_equal(hq_procfs_parse_cgroup("garbage\n", 8, &p, &n), -EBADMSG);
	assert_int_equal(hq_procfs_parse_cgroup("0::", 3, &p, &n), 0);
	assert_int_equal(n, 0);
}

static void test_btime(void **state)
{
	static const char s[] = "cpu  1 2 3 4\ncpu0 1 2 3 4\nintr 5 6\nctxt 7\nbtime 1763700000\n"
				"processes 8\n";
	int64_t t = 0;

	assert_int_equal(hq_procfs_parse_btime(s, strlen(s), &t), 0);
	assert_int_equal(t, 1763700000);
	assert_int_equal(hq_procfs_parse_btime("cpu 1\n", 6, &t), -ENODATA);
	assert_int_equal(hq_procfs_parse_btime("btime x\n", 8, &t), -EBADMSG);
	assert_int_equal(hq_procfs_parse_btime("btime 12", 8, &t), 0);
	assert_int_equal(t, 12);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stat_real),	 cmocka_unit_test(test_stat_tricky_comm),
		cmocka_unit_test(test_stat_malformed),	 cmocka_unit_test(test_status),
		cmocka_unit_test(test_status_malformed), cmocka_unit_test(test_io),
		cmocka_unit_test(test_unescape_name),	 cmocka_unit_test(test_cmdline),
		cmocka_unit_test(test_cgroup),		 cmocka_unit_test(test_btime),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
