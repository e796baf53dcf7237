/* Flag table: defaults, argv forms, flagfiles, config-settable checks, aliases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "hq/util.h"
#include "options/options.h"

static int setup(void **state)
{
	(void)state;
	return hq_options_reset();
}

static int teardown(void **state)
{
	(void)state;
	hq_options_done();
	return 0;
}

static void test_defaults(void **state)
{
	(void)state;
	assert_string_equal(hq_opt.config_path, "/etc/hostq/hostq.conf");
	assert_string_equal(hq_opt.logger_plugin, "filesystem");
	assert_int_equal(hq_opt.schedule_splay_percent, 10);
	assert_int_equal(hq_opt.schedule_default_interval, 3600);
	assert_true(hq_opt.logger_event_type);
	assert_false(hq_opt.logger_numerics);
	assert_string_equal(hq_opt.database_path, "/var/lib/hostq/hostq.db");
}

static void test_argv(void **state)
{
	char *argv[] = {"hostqd",
			"--config_path=/tmp/x.conf",
			"--verbose",
			"--logger_rotate_size",
			"100",
			"-schedule_epoch=7",
			"--nologger_event_type",
			"--version",
			"rest",
			NULL};
	static const char *const extra[] = {"help", "version", NULL};
	unsigned ex = 0;
	int idx = 0;
	char *err = NULL;

	(void)state;
	assert_int_equal(hq_options_parse_argv(9, argv, extra, &ex, &idx, &err), 0);
	assert_null(err);
	assert_string_equal(hq_opt.config_path, "/tmp/x.conf");
	assert_true(hq_opt.verbose);
	assert_int_equal(hq_opt.logger_rotate_size, 100);
	assert_int_equal(hq_opt.schedule_epoch, 7);
	assert_false(hq_opt.logger_event_type);
	assert_int_equal(ex, 2u);
	assert_int_equal(idx, 8);
}

static void test_argv_errors(void **state)
{
	char *a1[] = {"hostqd", "--no_such_flag=1", NULL};
	char *a2[] = {"hostqd", "--schedule_epoch=abc", NULL};
	char *a3[] = {"hostqd", "--verbose=maybe", NULL};
	char *a4[] = {"hostqd", "--config_path", NULL};
	char *err = NULL;

	(void)state;
	assert_int_equal(hq_options_parse_argv(2, a1, NULL, NULL, NULL, &err), -ENOENT);
	assert_non_null(strstr(err, "no_such_flag"));
	free(err);
	assert_int_equal(hq_options_parse_argv(2, a2, NULL, NULL, NULL, &err), -EINVAL);
	free(err);
	assert_int_equal(hq_options_parse_argv(2, a3, NULL, NULL, NULL, &err), -EINVAL);
	free(err);
	assert_int_equal(hq_options_parse_argv(2, a4, NULL, NULL, NULL, &err), -EINVAL);
	free(err);
}

static void test_booleans(void **state)
{
	(void)state;
	assert_int_equal(hq_options_set("logger_rotate", "true", HQ_OPT_SRC_CLI), 0);
	assert_true(hq_opt.logger_rotate);
	assert_int_equal(hq_options_set("logger_rotate", "FALSE", HQ_OPT_SRC_CLI), 0);
	assert_false(hq_opt.logger_rotate);
	assert_int_equal(hq_options_set("logger_rotate", "1", HQ_OPT_SRC_CONFIG), 0);
	assert_true(hq_opt.logger_rotate);
}

static void test_aliases_and_config(void **state)
{
	const hq_option_def *d;
	char *v;

	(void)state;
	assert_int_equal(hq_options_set("config_tls_refresh", "30", HQ_OPT_SRC_CLI), 0);
	assert_int_equal(hq_opt.config_refresh, 30);
	assert_int_equal(hq_options_set("log_numerics_as_numbers", "true", HQ_OPT_SRC_CONFIG), 0);
	assert_true(hq_opt.logger_numerics);
	/* CLI-only flags are refused from the config and keep their value. */
	assert_int_equal(hq_options_set("config_path", "/x", HQ_OPT_SRC_CONFIG), -EPERM);
	assert_string_equal(hq_opt.config_path, "/etc/hostq/hostq.conf");
	assert_int_equal(hq_options_set("nope", "1", HQ_OPT_SRC_CONFIG), -ENOENT);

	d = hq_options_find("config_tls_refresh");
	assert_non_null(d);
	assert_string_equal(d->name, "config_refresh");
	v = hq_options_value_string(d);
	assert_string_equal(v, "30");
	free(v);
	assert_false(hq_options_is_default(d));
	assert_true(hq_options_is_default(hq_options_find("logger_mode")));
}

static void test_flagfile(void **state)
{
	char path[] = "/tmp/test_options_XXXXXX", inner[] = "/tmp/test_options_in_XXXXXX";
	char *err = NULL;
	FILE *f;
	int fd;

	(void)state;
	fd = mkstemp(inner);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fprintf(f, "--pack_delimiter=/\n");
	fclose(f);

	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fprintf(f,
		"# comment\n\n  --logger_path=/tmp/logs\n--logger_rotate\n"
		"--host_identifier specified\n--nodisable_logging\n--flagfile=%s\n",
		inner);
	fclose(f);
	assert_int_equal(hq_options_load_flagfile(path, &err), 0);
	assert_null(err);
	assert_string_equal(hq_opt.logger_path, "/tmp/logs");
	assert_true(hq_opt.logger_rotate);
	assert_string_equal(hq_opt.host_identifier, "specified");
	assert_string_equal(hq_opt.pack_delimiter, "/");

	f = fopen(path, "w");
	fprintf(f, "--logger_path=/a\n--bogus_flag=1\n");
	fclose(f);
	assert_int_equal(hq_options_load_flagfile(path, &err), -ENOENT);
	assert_non_null(strstr(err, ":2:"));
	free(err);
	unlink(path);
	unlink(inner);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_argv, setup, teardown),
		cmocka_unit_test_setup_teardown(test_argv_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_booleans, setup, teardown),
		cmocka_unit_test_setup_teardown(test_aliases_and_config, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flagfile, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
