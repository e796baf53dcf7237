/* Scheduler heap driven by a fake clock: alignment, order, no drift, clamping, splay. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "scheduler/schedule.h"

#define SEC HQ_USEC_PER_SEC

static void test_alignment_and_order(void **state)
{
	_cleanup_(hq_schedule_freep) hq_schedule *s = hq_schedule_new();
	uint64_t now = 1000 * SEC, next, planned;
	size_t id;

	(void)state;
	/* unix time 100: a 60 s query first runs at unix 120, a 10 s one at unix 100 (now). */
	assert_int_equal(hq_schedule_add(s, 0, 60, now, 100), 0);
	assert_int_equal(hq_schedule_add(s, 1, 10, now, 100), 0);
	assert_int_equal(hq_schedule_size(s), 2);
	assert_true(hq_schedule_peek(s, &next));
	assert_int_equal(next, now);
	assert_true(hq_schedule_pop_due(s, now, &id, &planned));
	assert_int_equal(id, 1);
	assert_int_equal(planned, now);
	assert_false(hq_schedule_pop_due(s, now, &id, NULL));
	assert_true(hq_schedule_peek(s, &next));
	assert_int_equal(next, now + 10 * SEC);
	/* Fake clock walks to unix 120 (mono +20 s): both are due, the 10 s one first (earlier). */
	now += 20 * SEC;
	assert_true(hq_schedule_pop_due(s, now, &id, &planned));
	assert_int_equal(id, 1);
	assert_int_equal(planned, 1010 * SEC);
	assert_true(hq_schedule_pop_due(s, now, &id, &planned));
	assert_int_equal(id, 0);
	assert_int_equal(planned, now);
	/* id 1 was late (planned 1010 s, ran at 1020 s): its next is clamped to now, not 1020+...
	 */
	assert_true(hq_schedule_pop_due(s, now, &id, &planned));
	assert_int_equal(id, 1);
	assert_int_equal(planned, now);
	assert_false(hq_schedule_pop_due(s, now, &id, NULL));
}

static void test_no_drift(void **state)
{
	_cleanup_(hq_schedule_freep) hq_schedule *s = hq_schedule_new();
	uint64_t now = 5 * SEC, planned;
	size_t id;

	(void)state;
	assert_int_equal(hq_schedule_add_now(s, 7, 3, now), 0);
	/* Each run is picked up 0.4 s late; planned times stay on the 3 s grid. */
	for (int i = 0; i < 100; i++) {
		uint64_t due = 5 * SEC + (uint64_t)i * 3 * SEC;
		assert_false(hq_schedule_pop_due(s, due - 1, &id, NULL) && i > 0);
		assert_true(hq_schedule_pop_due(s, due + 400000, &id, &planned));
		assert_int_equal(id, 7);
		assert_int_equal(planned, due);
	}
	assert_int_equal(hq_schedule_interval(s, 7), 3);
	assert_int_equal(hq_schedule_interval(s, 8), -ENOENT);
}

static void test_many(void **state)
{
	_cleanup_(hq_schedule_freep) hq_schedule *s = hq_schedule_new();
	uint64_t now = 0, last = 0, planned;
	size_t id;
	int runs[50] = {0};

	(void)state;
	for (size_t i = 0; i < 50; i++)
		assert_int_equal(hq_schedule_add(s, i, (int64_t)(i % 7) + 1, 0, 0), 0);
	/* Walk a fake clock one second at a time for 420 s: heap order is monotonic and each
	 * slot runs exactly 420 / interval times. */
	for (now = 0; now < 420 * SEC; now += SEC)
		while (hq_schedule_pop_due(s, now, &id, &planned)) {
			assert_true(planned >= last);
			last = planned;
			runs[id]++;
		}
	for (size_t i = 0; i < 50; i++)
		assert_int_equal(runs[i], 420 / ((int)(i % 7) + 1));
}

static void test_splay(void **state)
{
	(void)state;
	assert_int_equal(hq_schedule_splay(3600, 0, "q"), 3600);
	assert_int_equal(hq_schedule_splay(1, 10, "q"), 1);
	for (int i = 0; i < 200; i++) {
		char name[16];
		int64_t v;
		snprintf(name, sizeof(name), "q%d", i);
		v = hq_schedule_splay(3600, 10, name);
		assert_true(v >= 3240 && v <= 3960);
		assert_int_equal(v, hq_schedule_splay(3600, 10, name));
	}
	assert_int_equal(hq_schedule_add(NULL, 0, 1, 0, 0), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alignment_and_order),
		cmocka_unit_test(test_no_drift),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_splay),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
