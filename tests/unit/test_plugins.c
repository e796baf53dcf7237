/* Plugin registry ownership rules and the filesystem logger: files and modes, rotation,
 * partial-line repair and the replay check used after a crash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "hq/plugin.h"
#include "hq/util.h"
#include "options/options.h"

static int freed;

static void count_free(void *state)
{
	free(state);
	freed++;
}

static const hq_logger_plugin fake = {
	.version = HQ_PLUGIN_ABI_VERSION,
	.name = "fake",
	.free = count_free,
};
static const hq_logger_plugin bad_version = {
	.version = 99,
	.name = "bad",
	.free = count_free,
};

static void test_registry(void **state)
{
	void *st = NULL;
	const char *name = NULL;

	(void)state;
	freed = 0;
	assert_int_equal(hq_plugin_register(HQ_PLUGIN_LOGGER, &fake, malloc(4)), 0);
	/* Duplicate and bad ABI: refused, and the state is freed anyway. */
	assert_int_equal(hq_plugin_register(HQ_PLUGIN_LOGGER, &fake, malloc(4)), -EEXIST);
	assert_int_equal(freed, 1);
	assert_int_equal(hq_plugin_register(HQ_PLUGIN_LOGGER, &bad_version, malloc(4)), -EINVAL);
	assert_int_equal(freed, 2);
	assert_ptr_equal(hq_plugin_find(HQ_PLUGIN_LOGGER, "fake", &st), &fake);
	assert_non_null(st);
	assert_null(hq_plugin_find(HQ_PLUGIN_CONFIG, "fake", NULL));
	assert_ptr_equal(hq_plugin_nth(HQ_PLUGIN_LOGGER, 0, &name), &fake);
	assert_string_equal(name, "fake");
	assert_int_equal(hq_plugin_unregister(HQ_PLUGIN_LOGGER, "fake"), 0);
	assert_int_equal(freed, 3);
	assert_int_equal(hq_plugin_unregister(HQ_PLUGIN_LOGGER, "fake"), -ENOENT);

	assert_int_equal(hq_plugins_register_builtin(), 0);
	assert_non_null(hq_plugin_find(HQ_PLUGIN_CONFIG, "filesystem", NULL));
	assert_non_null(hq_plugin_find(HQ_PLUGIN_LOGGER, "syslog", NULL));
	assert_non_null(hq_plugin_find(HQ_PLUGIN_LOGGER, "journald", NULL));
	assert_int_equal(hq_plugins_register_builtin(), 0); /* idempotent */
	hq_plugin_registry_clear();
	assert_null(hq_plugin_find(HQ_PLUGIN_CONFIG, "filesystem", NULL));
}

static char *slurp(const char *path)
{
	char *s = NULL;
	assert_int_equal(hq_read_full_file_at(AT_FDCWD, path, 1 << 20, &s, NULL), 0);
	return s;
}

static void test_filesystem_logger(void **state)
{
	char dir[] = "/tmp/test_plugins_XXXXXX", path[256], cmd[300];
	const hq_logger_plugin *vt;
	void *st = NULL;
	struct stat sb;
	hq_status_entry e = {.severity = 1, .filename = "x.c", .line = 7, .message = "careful"};
	char *s;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	hq_options_reset();
	snprintf(path, sizeof(path), "%s/logs", dir);
	assert_int_equal(hq_options_set("logger_path", path, HQ_OPT_SRC_CLI), 0);
	assert_int_equal(hq_options_set("logger_mode", "0640", HQ_OPT_SRC_CLI), 0);
	assert_int_equal(hq_options_set("logger_rotate", "true", HQ_OPT_SRC_CLI), 0);
	assert_int_equal(hq_options_set("logger_rotate_size", "100", HQ_OPT_SRC_CLI), 0);
	assert_int_equal(hq_options_set("logger_rotate_max_files", "2", HQ_OPT_SRC_CLI), 0);
	assert_int_equal(hq_plugins_register_builtin(), 0);
	vt = hq_plugin_find(HQ_PLUGIN_LOGGER, "filesystem", &st);
	assert_non_null(vt);
	assert_int_equal(vt->init(st, "hostqd"), 0);

	assert_int_equal(vt->log_result(st, "{\"a\":1}", 0), 0);
	assert_int_equal(vt->log_result(st, "{\"s\":1}", 1), 0);
	assert_int_equal(vt->log_status(st, &e, 1), 0);
	snprintf(path, sizeof(path), "%s/logs/hostqd.results.log", dir);
	s = slurp(path);
	assert_string_equal(s, "{\"a\":1}\n");
	free(s);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0640);
	snprintf(path, sizeof(path), "%s/logs/hostqd.snapshots.log", dir);
	s = slurp(path);
	assert_string_equal(s, "{\"s\":1}\n");
	free(s);
	snprintf(path, sizeof(path), "%s/logs/hostqd.INFO", dir);
	s = slurp(path);
	assert_true(s[0] == 'W');
	assert_non_null(strstr(s, " x.c:7] careful\n"));
	free(s);

	/* Rotation: 60-byte lines with a 100-byte cap rotate on every second line; only
	 * .1 and .2 are kept. */
	for (int i = 0; i < 6; i++) {
		char line[64];
		snprintf(line, sizeof(line), "{\"i\":%d,\"pad\":\"%040d\"}", i, 0);
		assert_int_equal(vt->log_result(st, line, 0), 0);
	}
	snprintf(path, sizeof(path), "%s/logs/hostqd.results.log.1", dir);
	assert_int_equal(access(path, F_OK), 0);
	snprintf(path, sizeof(path), "%s/logs/hostqd.results.log.2", dir);
	assert_int_equal(access(path, F_OK), 0);
	snprintf(path, sizeof(path), "%s/logs/hostqd.results.log.3", dir);
	assert_int_equal(access(path, F_OK), -1);
	snprintf(path, sizeof(path), "%s/logs/hostqd.results.log", dir);
	s = slurp(path);
	assert_non_null(strstr(s, "\"i\":5"));
	free(s);

	/* Replay check: the last line is known, an unseen one is not. */
	assert_int_equal(
		vt->already_logged(
			st, "{\"i\":5,\"pad\":\"0000000000000000000000000000000000000000\"}", 0),
		1);
	assert_int_equal(vt->already_logged(st, "{\"i\":9}", 0), 0);
	assert_int_equal(vt->already_logged(st, "{\"i\":5", 0), 0);
	assert_int_equal(vt->already_logged(st, NULL, 0), 0);

	/* A partial last line (crash mid-write) is cut when the logger starts again. */
	f = fopen(path, "a");
	fputs("{\"partial\":", f);
	fclose(f);
	assert_int_equal(hq_options_set("logger_rotate", "false", HQ_OPT_SRC_CLI), 0);
	assert_int_equal(vt->init(st, "hostqd"), 0);
	assert_int_equal(vt->log_result(st, "{\"b\":2}", 0), 0);
	s = slurp(path);
	assert_null(strstr(s, "partial"));
	assert_non_null(strstr(s, "}\n{\"b\":2}\n"));
	free(s);

	hq_plugin_registry_clear();
	hq_options_done();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry),
		cmocka_unit_test(test_filesystem_logger),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
