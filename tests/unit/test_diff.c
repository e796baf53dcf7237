/* Differentials and osquery's result log formats, byte for byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "hq/util.h"
#include "scheduler/diff.h"

static json_t *rows(const char *text)
{
	json_t *j = json_loads(text, 0, NULL);
	assert_non_null(j);
	return j;
}

static void test_row_new(void **state)
{
	char *values[] = {"15822", "osqueryd\x01", NULL, "2.5", "caf\xc3\xa9"};
	char *names[] = {"pid", "cmd", "n", "load", "name"};
	int types[] = {SQLITE_INTEGER, SQLITE_TEXT, SQLITE_NULL, SQLITE_FLOAT, SQLITE_TEXT};
	json_t *r;
	char *s;

	(void)state;
	r = hq_result_row_new(5, values, names, types);
	assert_non_null(r);
	s = json_dumps(r, JSON_COMPACT);
	assert_string_equal(s, "{\"pid\":15822,\"cmd\":\"osqueryd\\\\x01\",\"n\":\"\",\"load\":2.5,"
			       "\"name\":\"caf\\\\xC3\\\\xA9\"}");
	free(s);
	json_decref(r);
}

static void test_multiset_diff(void **state)
{
	json_t *prev = rows("[{\"a\":1},{\"a\":1},{\"a\":2},{\"a\":\"3\"}]");
	json_t *cur = rows("[{\"a\":1},{\"a\":2},{\"a\":2},{\"a\":3}]");
	json_t *added, *removed;
	char *s;

	(void)state;
	assert_int_equal(hq_diff_rows(prev, cur, &added, &removed), 0);
	s = json_dumps(added, JSON_COMPACT);
	/* Typed equality: the integer 3 is not the string "3". */
	assert_string_equal(s, "[{\"a\":2},{\"a\":3}]");
	free(s);
	s = json_dumps(removed, JSON_COMPACT);
	assert_string_equal(s, "[{\"a\":\"3\"},{\"a\":1}]");
	free(s);
	json_decref(added);
	json_decref(removed);

	/* No change, whatever the order. */
	json_t *shuffled = rows("[{\"a\":3},{\"a\":2},{\"a\":1},{\"a\":2}]");
	assert_int_equal(hq_diff_rows(cur, shuffled, &added, &removed), 0);
	json_decref(shuffled);
	assert_int_equal(json_array_size(added), 0);
	assert_int_equal(json_array_size(removed), 0);
	json_decref(added);
	json_decref(removed);
	json_decref(prev);
	json_decref(cur);
}

static void test_calendar(void **state)
{
	char buf[64];

	(void)state;
	hq_calendar_time(1589600136, buf);
	assert_string_equal(buf, "Sat May 16 03:35:36 2020 UTC");
	hq_calendar_time(1462228052, buf);
	assert_string_equal(buf, "Mon May  2 22:27:32 2016 UTC");
}

static void test_event_format(void **state)
{
	json_t *dec = rows("{\"host_uuid\":\"abc\",\"a_first\":\"1\"}");
	hq_log_item item = {.name = "pack_sample_running_processes",
			    .host_identifier = "ip-172-22-1-112",
			    .unix_time = 1589600136,
			    .epoch = 0,
			    .counter = 2,
			    .decorations = dec};
	json_t *added = rows("[{\"uid\":0,\"pid\":15823,\"cmdline\":\"b\"}]");
	json_t *removed = rows("[{\"uid\":0,\"pid\":15822,\"cmdline\":\"osqueryd --verbose\"}]");
	json_t *lines;

	(void)state;
	assert_int_equal(hq_format_events(&item, added, removed, &lines), 0);
	assert_int_equal(json_array_size(lines), 2);
	assert_string_equal(
		json_string_value(json_array_get(lines, 0)),
		"{\"name\":\"pack_sample_running_processes\",\"hostIdentifier\":\"ip-172-22-1-112\","
		"\"calendarTime\":\"Sat May 16 03:35:36 2020 UTC\",\"unixTime\":1589600136,"
		"\"epoch\":0,\"counter\":2,\"numerics\":false,\"decorations\":{\"a_first\":\"1\","
		"\"host_uuid\":\"abc\"},\"columns\":{\"cmdline\":\"osqueryd --verbose\","
		"\"pid\":\"15822\",\"uid\":\"0\"},\"action\":\"removed\"}");
	assert_non_null(
		strstr(json_string_value(json_array_get(lines, 1)), "\"action\":\"added\""));
	json_decref(lines);

	/* numerics: integers stay numbers; top-level decorations. */
	item.numerics = true;
	item.decorations_top_level = true;
	json_t *none = rows("[]");
	assert_int_equal(hq_format_events(&item, added, none, &lines), 0);
	json_decref(none);
	assert_string_equal(
		json_string_value(json_array_get(lines, 0)),
		"{\"name\":\"pack_sample_running_processes\",\"hostIdentifier\":\"ip-172-22-1-112\","
		"\"calendarTime\":\"Sat May 16 03:35:36 2020 UTC\",\"unixTime\":1589600136,"
		"\"epoch\":0,\"counter\":2,\"numerics\":true,\"a_first\":\"1\","
		"\"host_uuid\":\"abc\",\"columns\":{\"cmdline\":\"b\",\"pid\":15823,\"uid\":0},"
		"\"action\":\"added\"}");
	json_decref(lines);
	json_decref(added);
	json_decref(removed);
	json_decref(dec);
}

static void test_batch_and_snapshot(void **state)
{
	hq_log_item item = {.name = "q", .host_identifier = "h", .unix_time = 0, .counter = 1};
	json_t *added = rows("[{\"x\":2.0,\"y\":\"s\"}]"), *none = rows("[]");
	char *s;
	json_t *lines;

	(void)state;
	s = hq_format_batch(&item, added, none);
	assert_string_equal(s, "{\"diffResults\":{\"removed\":[],\"added\":[{\"x\":\"2.0\",\"y\":"
			       "\"s\"}]},\"name\":\"q\",\"hostIdentifier\":\"h\",\"calendarTime\":"
			       "\"Thu Jan  1 00:00:00 1970 UTC\",\"unixTime\":0,\"epoch\":0,"
			       "\"counter\":1,\"numerics\":false}");
	free(s);
	item.counter = 0;
	s = hq_format_snapshot(&item, added);
	assert_string_equal(s,
			    "{\"snapshot\":[{\"x\":\"2.0\",\"y\":\"s\"}],\"action\":\"snapshot\","
			    "\"name\":\"q\",\"hostIdentifier\":\"h\",\"calendarTime\":"
			    "\"Thu Jan  1 00:00:00 1970 UTC\",\"unixTime\":0,\"epoch\":0,"
			    "\"counter\":0,\"numerics\":false}");
	free(s);
	s = hq_format_snapshot(&item, none);
	assert_true(hq_startswith(s, "{\"snapshot\":[],\"action\":\"snapshot\""));
	free(s);
	assert_int_equal(hq_format_snapshot_events(&item, added, &lines), 0);
	assert_int_equal(json_array_size(lines), 1);
	assert_non_null(strstr(json_string_value(json_array_get(lines, 0)),
			       "\"columns\":{\"x\":\"2.0\",\"y\":\"s\"},\"action\":\"snapshot\"}"));
	json_decref(lines);
	json_decref(added);
	json_decref(none);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_row_new),
		cmocka_unit_test(test_multiset_diff),
		cmocka_unit_test(test_calendar),
		cmocka_unit_test(test_event_format),
		cmocka_unit_test(test_batch_and_snapshot),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
