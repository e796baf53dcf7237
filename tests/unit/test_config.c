/* Config JSON: options, schedule, packs (inline, by path, glob), decorators, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "hq/util.h"
#include "scheduler/config.h"

static int read_pack(const char *name, const char *value, char **ret_json, void *userdata)
{
	(void)name;
	(void)userdata;
	return hq_read_full_file_at(AT_FDCWD, value, 1 << 20, ret_json, NULL);
}

static hq_config *parse1(const char *json, char **ret_error)
{
	hq_config_source s = {.name = (char *)"test.conf", .json = (char *)json};
	hq_config *c = NULL;
	int r = hq_config_parse(&s, 1, "_", read_pack, NULL, &c, ret_error);
	return r < 0 ? NULL : c;
}

static const hq_sched_query *find(const hq_config *c, const char *name)
{
	for (size_t i = 0; i < c->n_queries; i++)
		if (strcmp(c->queries[i].name, name) == 0)
			return &c->queries[i];
	return NULL;
}

static void test_full(void **state)
{
	static const char json[] =
		"# comment line\n"
		"{\n"
		"  // another comment\n"
		"  \"options\": {\"schedule_splay_percent\": 5, \"logger_rotate\": true,"
		"               \"pack_delimiter\": \"/\"},\n"
		"  \"schedule\": {\n"
		"    \"users\": {\"query\": \"SELECT * FROM users\", \"interval\": 60},\n"
		"    \"ports\": {\"query\": \"SELECT * FROM listening_ports\", \"interval\": \"120\","
		"                \"removed\": false, \"shard\": 50},\n"
		"    \"bad\": {\"query\": \"SELECT 1\", \"interval\": 0},\n"
		"    \"noq\": {\"interval\": 10},\n"
		"    \"dflt\": {\"query\": \"SELECT 2\", \"platform\": \"darwin\"}\n"
		"  },\n"
		"  \"packs\": {\n"
		"    \"inline\": {\"platform\": \"posix\", \"discovery\": [\"SELECT 1\"],"
		"                 \"queries\": {\"q1\": {\"query\": \"SELECT 3\", \"interval\": 10}}},\n"
		"    \"file\": \"" HQ_TEST_SRCDIR "/tests/fixtures/config/pack_a.conf\"\n"
		"  },\n"
		"  \"decorators\": {\"load\": [\"SELECT 'a' AS a\"], \"always\": [\"SELECT 1 AS b\"],"
		"                  \"interval\": {\"3600\": [\"SELECT 2 AS c\"], \"61\": [\"x\"]}},\n"
		"  \"file_paths\": {\"etc\": [\"/etc/%%\"]}\n"
		"}\n";
	char *err = NULL;
	hq_config *c = parse1(json, &err);
	const hq_sched_query *q;

	(void)state;
	assert_null(err);
	assert_non_null(c);
	assert_string_equal(
		json_string_value(json_object_get(c->options, "schedule_splay_percent")), "5");
	assert_string_equal(json_string_value(json_object_get(c->options, "logger_rotate")),
			    "true");
	assert_int_equal(c->n_queries, 5);
	q = find(c, "users");
	assert_non_null(q);
	assert_int_equal(q->interval, 60);
	assert_true(q->removed);
	assert_false(q->snapshot);
	q = find(c, "ports");
	assert_int_equal(q->interval, 120);
	assert_false(q->removed);
	assert_int_equal(q->shard, 50);
	q = find(c, "dflt");
	assert_int_equal(q->interval, 0);
	assert_false(hq_config_query_applies(c, q, 0, "5.0.0"));
	assert_null(find(c, "bad"));
	assert_null(find(c, "noq"));
	q = find(c, "pack/inline/q1");
	assert_non_null(q);
	assert_string_equal(c->packs[q->pack_index].discovery[0], "SELECT 1");
	q = find(c, "pack/file/procs");
	assert_non_null(q);
	assert_true(q->snapshot);
	assert_string_equal(c->decorators_load[0], "SELECT 'a' AS a");
	assert_string_equal(c->decorators_always[0], "SELECT 1 AS b");
	assert_int_equal(c->n_decorators_interval, 1);
	assert_int_equal(c->decorators_interval[0].interval, 3600);
	assert_non_null(json_object_get(c->file_paths, "etc"));
	assert_non_null(c->warnings);
	assert_int_equal(strlen(c->hash), 40);
	hq_config_free(c);
}

static void test_merge_sources(void **state)
{
	hq_config_source s[] = {
		{.name = (char *)"a.conf",
		 .json = (char *)"{\"options\":{\"x\":\"1\"},\"schedule\":{\"q\":{\"query\":"
				 "\"SELECT 1\",\"interval\":5}}}"},
		{.name = (char *)"a.conf.d/b.conf",
		 .json = (char *)"{\"options\":{\"x\":\"2\"},\"schedule\":{\"r\":{\"query\":"
				 "\"SELECT 2\"}, \"q\":{\"query\":\"SELECT 9\"}}}"},
	};
	hq_config *c = NULL;

	(void)state;
	assert_int_equal(hq_config_parse(s, 2, "_", NULL, NULL, &c, NULL), 0);
	assert_string_equal(json_string_value(json_object_get(c->options, "x")), "2");
	assert_int_equal(c->n_queries, 2); /* duplicate q dropped */
	assert_string_equal(find(c, "q")->sql, "SELECT 1");
	assert_non_null(json_object_get(c->sources, "a.conf.d/b.conf"));
	hq_config_free(c);
}

static void test_errors(void **state)
{
	char *err = NULL;

	(void)state;
	assert_null(parse1("{\n  \"schedule\": {\n    \"a\": {\"query\": \"x\",}\n  }\n}\n", &err));
	assert_non_null(err);
	assert_true(hq_startswith(err, "test.conf:3:"));
	free(err);
	assert_null(parse1("[1,2]", &err));
	assert_non_null(strstr(err, "root must be"));
	free(err);
	assert_null(parse1("{\"schedule\": []}", &err));
	assert_non_null(strstr(err, "schedule"));
	free(err);
	/* Comment-only config is an empty config. */
	hq_config *c = parse1("# nothing\n", &err);
	assert_non_null(c);
	assert_int_equal(c->n_queries, 0);
	hq_config_free(c);
}

static void test_filters(void **state)
{
	(void)state;
	assert_true(hq_config_platform_matches(NULL));
	assert_true(hq_config_platform_matches("darwin,linux"));
	assert_true(hq_config_platform_matches("posix"));
	assert_false(hq_config_platform_matches("windows"));
	assert_true(hq_config_version_matches("1.4.5", "5.23.0"));
	assert_true(hq_config_version_matches("5.23.0", "5.23.0"));
	assert_false(hq_config_version_matches("5.24", "5.23.0"));
	assert_false(hq_config_version_matches("10.0.0", "9.9.9"));
	int s = hq_config_host_shard("localhost");
	assert_true(s >= 0 && s <= 100);
	assert_int_equal(s, hq_config_host_shard("localhost"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_merge_sources),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_filters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
