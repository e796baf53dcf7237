/* State database: results, queue, kv, denylist, reopen after close (persistence). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "hq/util.h"
#include "scheduler/state.h"

typedef struct seen {
	int n;
	char lines[8][32];
	int stop_after;
} seen;

static int collect(int64_t id, const char *line, bool is_snapshot, void *userdata)
{
	seen *s = userdata;

	(void)id;
	(void)is_snapshot;
	if (s->stop_after && s->n >= s->stop_after)
		return -EIO;
	snprintf(s->lines[s->n++], 32, "%s", line);
	return 0;
}

static void test_roundtrip(void **state)
{
	char dir[] = "/tmp/test_state_XXXXXX", path[64];
	hq_state *st = NULL;
	hq_state_line lines[] = {{"l1", false}, {"l2", true}, {"l3", false}};
	char *rows = NULL, *v = NULL;
	int64_t epoch, counter, last;
	seen s = {.stop_after = 2};

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/hostq.db", dir);
	assert_int_equal(hq_state_open(path, &st), 0);
	assert_int_equal(hq_state_get_result(st, "q", &rows, &epoch, &counter), -ENOENT);
	assert_int_equal(hq_state_kv_set(st, "executing", "q"), 0);
	assert_int_equal(hq_state_commit_result(st, "q", "[{\"a\":1}]", 0, 0, lines, 3), 0);
	assert_int_equal(hq_state_kv_get(st, "executing", &v), -ENOENT);
	assert_int_equal(hq_state_queue_size(st), 3);
	/* A logger failing on the third line: only the first two are confirmed. */
	assert_int_equal(hq_state_queue_foreach(st, 100, collect, &s, &last), -EIO);
	assert_int_equal(s.n, 2);
	assert_int_equal(hq_state_queue_delete(st, last), 0);
	assert_int_equal(hq_state_queue_size(st), 1);
	assert_int_equal(hq_state_denylist_add(st, "bad", 1000, "timeout"), 0);
	assert_int_equal(hq_state_kv_set(st, "instance", "abc"), 0);
	hq_state_close(st);

	/* Reopen: everything persisted; the undelivered line is still queued. */
	assert_int_equal(hq_state_open(path, &st), 0);
	assert_int_equal(hq_state_get_result(st, "q", &rows, &epoch, &counter), 0);
	assert_string_equal(rows, "[{\"a\":1}]");
	free(rows);
	assert_int_equal(counter, 0);
	s = (seen){0};
	assert_int_equal(hq_state_queue_foreach(st, 100, collect, &s, &last), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.lines[0], "l3");
	assert_int_equal(hq_state_denylist_until(st, "bad", 999), 1000);
	assert_int_equal(hq_state_denylist_until(st, "bad", 1000), 0);
	assert_int_equal(hq_state_denylist_until(st, "bad", 0), 0);
	assert_int_equal(hq_state_kv_get(st, "instance", &v), 0);
	assert_string_equal(v, "abc");
	free(v);
	/* Snapshot-style commit keeps the stored rows. */
	assert_int_equal(hq_state_commit_result(st, "q", NULL, 0, 0, lines, 1), 0);
	assert_int_equal(hq_state_get_result(st, "q", NULL, NULL, &counter), 0);
	const char *keep[] = {"other", NULL};
	assert_int_equal(hq_state_prune_results(st, keep), 0);
	assert_int_equal(hq_state_get_result(st, "q", NULL, NULL, NULL), -ENOENT);
	hq_state_close(st);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	assert_int_equal(system(path), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
