/* Unit tests for the ListUnits record reader (tables/lib/sd_unit_list.c): replies are built
 * by hand with sd-bus's own marshaller, sealed and read back as the table would. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <cmocka.h>
#include <systemd/sd-bus.h>

#include "hq/util.h"
#include "lib/sd_unit_list.h"

/* sd_bus_message_new() wants a bus past its unset state; an unauthenticated bus on one end of
 * a socketpair is enough and never talks to anything. */
static sd_bus *test_bus(void)
{
	sd_bus *bus = NULL;
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	assert_int_equal(sd_bus_new(&bus), 0);
	assert_int_equal(sd_bus_set_fd(bus, sv[0], sv[0]), 0);
	assert_true(sd_bus_start(bus) >= 0);
	close(sv[1]);
	return bus;
}

static sd_bus_message *sealed(sd_bus_message *m)
{
	assert_true(sd_bus_message_seal(m, 1, 0) >= 0);
	assert_true(sd_bus_message_rewind(m, 1) >= 0);
	return m;
}

static sd_bus_message *build_reply(sd_bus *bus, unsigned n)
{
	sd_bus_message *m = NULL;

	assert_true(sd_bus_message_new(bus, &m, SD_BUS_MESSAGE_METHOD_CALL) >= 0);
	assert_true(sd_bus_message_open_container(m, 'a', "(ssssssouso)") >= 0);
	if (n >= 1)
		assert_true(sd_bus_message_append(
				    m, "(ssssssouso)", "rp-sleep.service", "realparts test sleeper",
				    "loaded", "active", "running", "",
				    "/org/freedesktop/systemd1/unit/rp_2dsleep_2eservice", 0u, "",
				    "/") >= 0);
	if (n >= 2)
		assert_true(sd_bus_message_append(
				    m, "(ssssssouso)", "dev-vda.device", "/dev/vda", "loaded",
				    "activating", "tentative", "sys-devices-vda.device",
				    "/org/freedesktop/systemd1/unit/dev_2dvda_2edevice", 42u,
				    "start", "/org/freedesktop/systemd1/job/42") >= 0);
	assert_true(sd_bus_message_close_container(m) >= 0);
	return sealed(m);
}

typedef struct seen {
	unsigned n;
	unsigned stop_after;
	hq_sd_unit_info last;
	char first_id[64];
} seen;

static int collect(const hq_sd_unit_info *u, void *userdata)
{
	seen *s = userdata;

	if (s->n == 0)
		snprintf(s->first_id, sizeof(s->first_id), "%s", u->id);
	s->last = *u;
	s->n++;
	if (s->stop_after && s->n >= s->stop_after)
		return 7;
	return 0;
}

static void test_reads_all_records(void **state)
{
	_cleanup_(sd_bus_unrefp) sd_bus *bus = test_bus();
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *m = build_reply(bus, 2);
	seen s = {};

	assert_int_equal(hq_sd_unit_list_read(m, collect, &s), 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.first_id, "rp-sleep.service");
	assert_string_equal(s.last.id, "dev-vda.device");
	assert_string_equal(s.last.description, "/dev/vda");
	assert_string_equal(s.last.load_state, "loaded");
	assert_string_equal(s.last.active_state, "activating");
	assert_string_equal(s.last.sub_state, "tentative");
	assert_string_equal(s.last.following, "sys-devices-vda.device");
	assert_string_equal(s.last.unit_path, "/org/freedesktop/systemd1/unit/dev_2dvda_2edevice");
	assert_int_equal(s.last.job_id, 42);
	assert_string_equal(s.last.job_type, "start");
	assert_string_equal(s.last.job_path, "/org/freedesktop/systemd1/job/42");
}

static void test_empty_array(void **state)
{
	_cleanup_(sd_bus_unrefp) sd_bus *bus = test_bus();
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *m = build_reply(bus, 0);
	seen s = {};

	assert_int_equal(hq_sd_unit_list_read(m, collect, &s), 0);
	assert_int_equal(s.n, 0);
}

static void test_callback_stops_walk(void **state)
{
	_cleanup_(sd_bus_unrefp) sd_bus *bus = test_bus();
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *m = build_reply(bus, 2);
	seen s = {.stop_after = 1};

	assert_int_equal(hq_sd_unit_list_read(m, collect, &s), 7);
	assert_int_equal(s.n, 1);
}

static void test_wrong_shape(void **state)
{
	_cleanup_(sd_bus_unrefp) sd_bus *bus = test_bus();
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
	seen s = {};

	/* An array of the wrong struct (ListUnitFiles' a(ss)) must be refused, not misread. */
	assert_true(sd_bus_message_new(bus, &m, SD_BUS_MESSAGE_METHOD_CALL) >= 0);
	assert_true(sd_bus_message_append(m, "a(ss)", 1, "/x.service", "enabled") >= 0);
	sealed(m);
	assert_true(hq_sd_unit_list_read(m, collect, &s) < 0);
	assert_int_equal(s.n, 0);

	assert_int_equal(hq_sd_unit_list_read(NULL, collect, &s), -EINVAL);
}

static void test_name_valid(void **state)
{
	assert_true(hq_sd_unit_name_valid("sshd.service"));
	assert_true(hq_sd_unit_name_valid("getty@tty1.service"));
	assert_true(hq_sd_unit_name_valid("dev-disk-by\\x2duuid-1234.device"));
	assert_true(hq_sd_unit_name_valid("-.mount"));
	assert_false(hq_sd_unit_name_valid("*.service"));
	assert_false(hq_sd_unit_name_valid("a b.service"));
	assert_false(hq_sd_unit_name_valid("sshd"));
	assert_false(hq_sd_unit_name_valid(".service"));
	assert_false(hq_sd_unit_name_valid(""));
	assert_false(hq_sd_unit_name_valid(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reads_all_records),   cmocka_unit_test(test_empty_array),
		cmocka_unit_test(test_callback_stops_walk), cmocka_unit_test(test_wrong_shape),
		cmocka_unit_test(test_name_valid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
