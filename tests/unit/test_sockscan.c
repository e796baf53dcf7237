/* Unit tests for the socket collection and pid attribution (tables/lib/sockscan.c) over the
 * fixture /proc in tests/fixtures/sysroots/sockets (procfs mode, no netlink). */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/sockscan.h"

static int open_proc(void)
{
	int fd = open(HQ_TEST_SRCDIR "/tests/fixtures/sysroots/sockets/proc",
		      O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	assert_true(fd >= 0);
	return fd;
}

typedef struct owners {
	int64_t pid[16], fd[16];
	uint64_t inode[16], netns[16];
	int n;
} owners;

static int on_owner(const hq_sock_record *rec, int64_t pid, int64_t fd, void *userdata)
{
	owners *o = userdata;

	if (o->n < 16) {
		o->pid[o->n] = pid;
		o->fd[o->n] = fd;
		o->inode[o->n] = rec->inode;
		o->netns[o->n] = rec->netns;
		o->n++;
	}
	return 0;
}

static void test_collect_filter(void **state)
{
	int procfd = open_proc();
	hq_sock_set set = {};
	hq_sockscan_filter f = {};

	/* everything: tcp 2 + tcp6 1 + udp 1 + unix 2 + packet 1 */
	assert_int_equal(hq_sockscan_collect(&set, HQ_SOCKSCAN_PROCFS, NULL, procfd), 0);
	assert_int_equal(set.n, 7);
	hq_sock_set_done(&set);

	/* listening: the established TCP, the unbound UNIX and the packet socket drop out */
	assert_int_equal(
		hq_sockscan_collect(&set, HQ_SOCKSCAN_PROCFS | HQ_SOCKSCAN_LISTENING, NULL, procfd),
		0);
	assert_int_equal(set.n, 4);
	hq_sock_set_done(&set);

	/* family != 1 and protocol = 6 */
	hq_sockscan_filter_add(&f, true, false, AF_UNIX);
	hq_sockscan_filter_add(&f, false, true, IPPROTO_TCP);
	assert_int_equal(hq_sockscan_collect(&set, HQ_SOCKSCAN_PROCFS, &f, procfd), 0);
	assert_int_equal(set.n, 3);
	for (size_t i = 0; i < set.n; i++)
		assert_int_equal(set.recs[i].protocol, IPPROTO_TCP);
	hq_sock_set_done(&set);

	/* protocol = 3 still reads the packet list (its protocol varies per socket) */
	f = (hq_sockscan_filter){};
	hq_sockscan_filter_add(&f, true, true, AF_PACKET);
	assert_int_equal(hq_sockscan_collect(&set, HQ_SOCKSCAN_PROCFS, &f, procfd), 0);
	assert_int_equal(set.n, 1);
	assert_int_equal(set.recs[0].protocol, 3);
	hq_sock_set_done(&set);

	/* family = 10 only */
	f = (hq_sockscan_filter){};
	hq_sockscan_filter_add(&f, true, true, AF_INET6);
	assert_int_equal(hq_sockscan_collect(&set, HQ_SOCKSCAN_PROCFS, &f, procfd), 0);
	assert_int_equal(set.n, 1);
	assert_int_equal(set.recs[0].sport, 443);
	hq_sock_set_done(&set);
	close(procfd);
}

static void test_owners_and_foreign_namespace(void **state)
{
	int procfd = open_proc();
	hq_sock_set set = {};
	owners o = {};
	char ns[24];
	size_t unowned = 0;

	assert_int_equal(
		hq_sockscan_collect(&set, HQ_SOCKSCAN_PROCFS | HQ_SOCKSCAN_LISTENING, NULL, procfd),
		0);
	assert_int_equal(hq_sockscan_owners(&set, procfd, NULL, 0, on_owner, &o), 0);
	/* 100: fd 3 (tcp 1001) and fd 5 (unix 1005); 200: fd 7; 300: fd 3 in its own netns */
	assert_int_equal(o.n, 4);
	for (int i = 0; i < o.n; i++) {
		if (o.pid[i] == 300) {
			assert_int_equal(o.inode[i], 2001);
			assert_true(o.netns[i] == 4026532999ULL);
		} else
			assert_int_equal(o.netns[i], 0);
		if (o.pid[i] == 200)
			assert_int_equal(o.fd[i], 7);
	}
	/* the foreign record is kept, so unowned ones can be listed: only udp 53 */
	assert_int_equal(set.n, 5);
	for (size_t i = 0; i < set.n; i++)
		if (!set.owned[i]) {
			unowned++;
			assert_int_equal(set.recs[i].inode, 1004);
		}
	assert_int_equal(unowned, 1);
	hq_sock_set_done(&set);

	/* only the pids asked for */
	o = (owners){};
	assert_int_equal(
		hq_sockscan_collect(&set, HQ_SOCKSCAN_PROCFS | HQ_SOCKSCAN_LISTENING, NULL, procfd),
		0);
	assert_int_equal(hq_sockscan_owners(&set, procfd, (int64_t[]){200, 12345}, 2, on_owner, &o),
			 0);
	assert_int_equal(o.n, 1);
	assert_int_equal(o.pid[0], 200);
	hq_sock_set_done(&set);

	hq_sockscan_netns(procfd, ns, sizeof(ns));
	assert_string_equal(ns, "4026531000");
	close(procfd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_collect_filter),
		cmocka_unit_test(test_owners_and_foreign_namespace),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
