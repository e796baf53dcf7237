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

/* Every flag, old and new, takes its own default from the command line and stays "default";
 * unsupported ones say so in their description. */
static void test_every_default_parses(void **state)
{
	const hq_option_def *defs;
	size_t n = hq_options_all(&defs), unsupported = 0;

	(void)state;
	assert_true(n > 150);
	for (size_t i = 0; i < n; i++) {
		char arg[512], *argv[] = {"hostqd", arg, NULL}, *err = NULL, *v;
		int idx = 0;

		snprintf(arg, sizeof(arg), "--%s=%s", defs[i].name, defs[i].default_value);
		/* --flagfile= with an empty value reads nothing; every other flag is set. */
		assert_int_equal(hq_options_parse_argv(2, argv, NULL, NULL, &idx, &err), 0);
		assert_null(err);
		assert_int_equal(idx, 2);
		assert_true(hq_options_is_default(&defs[i]));
		v = hq_options_value_string(&defs[i]);
		assert_non_null(v);
		if (defs[i].type != HQ_OPT_BOOL)
			assert_string_equal(v, defs[i].default_value);
		free(v);
		assert_non_null(hq_option_type_to_string(defs[i].type));
		assert_ptr_equal(hq_options_find(defs[i].name), &defs[i]);
		if (defs[i].flags & HQ_OPT_UNSUPPORTED) {
			const char *d = defs[i].description;
			size_t dl = strlen(d), nl = strlen(HQ_OPT_NOEFFECT);

			assert_true(dl > nl);
			assert_string_equal(d + dl - nl, HQ_OPT_NOEFFECT);
			unsupported++;
		}
	}
	assert_true(unsupported > 100);
}

/* The flags osquery users put in flagfiles are all known, with osquery's defaults and kinds. */
static void test_osquery_flags_known(void **state)
{
	static const struct {
		const char *name, *def;
		const char *type;
		bool cli;
	} want[] = {
		{"tls_hostname", "", "string", true},
		{"tls_server_certs", "/opt/osquery/share/osquery/certs/certs.pem", "string", true},
		{"tls_client_cert", "", "string", true},
		{"tls_session_timeout", "3600", "uint32", true},
		{"enroll_secret_path", "", "string", true},
		{"enroll_secret_env", "", "string", true},
		{"enroll_tls_endpoint", "", "string", true},
		{"tls_enroll_max_attempts", "12", "uint64", true},
		{"config_tls_endpoint", "", "string", true},
		{"config_tls_max_attempts", "3", "uint64", true},
		{"logger_tls_endpoint", "", "string", false},
		{"logger_tls_period", "4", "uint64", false},
		{"logger_tls_max_lines", "1024", "uint64", false},
		{"logger_tls_max", "1048576", "uint64", false},
		{"buffered_log_max", "1000000", "uint64", false},
		{"disable_distributed", "true", "bool", false},
		{"distributed_plugin", "tls", "string", false},
		{"distributed_interval", "60", "uint64", false},
		{"disable_carver", "true", "bool", true},
		{"carver_block_size", "8192", "uint32", true},
		{"disable_events", "false", "bool", false},
		{"events_expiry", "3600", "uint64", false},
		{"disable_audit", "true", "bool", false},
		{"audit_allow_config", "false", "bool", false},
		{"audit_allow_process_events", "true", "bool", false},
		{"audit_backlog_limit", "4096", "int32", false},
		{"enable_file_events", "false", "bool", false},
		{"enable_syslog", "false", "bool", false},
		{"logger_kafka_brokers", "localhost", "string", false},
		{"logger_kafka_acks", "all", "string", false},
		{"utc", "true", "bool", false},
		{"ephemeral", "false", "bool", false},
		{"force", "false", "bool", true},
		{"install", "false", "bool", true},
		{"uninstall", "false", "bool", true},
		{"D", "false", "bool", true},
		{"disable_tables", "", "string", true},
		{"enable_tables", "", "string", true},
		{"enable_foreign", "false", "bool", false},
		{"table_delay", "0", "uint64", false},
		{"worker_threads", "4", "int32", false},
		{"read_max", "52428800", "uint64", false},
		{"hash_cache_max", "500", "uint32", false},
		{"watchdog_latency_limit", "0", "uint64", true},
		{"extensions_default_index", "true", "bool", false},
	};

	(void)state;
	for (size_t i = 0; i < HQ_ELEMENTSOF(want); i++) {
		const hq_option_def *d = hq_options_find(want[i].name);

		if (!d)
			fail_msg("unknown flag %s", want[i].name);
		assert_string_equal(d->default_value, want[i].def);
		assert_string_equal(hq_option_type_to_string(d->type), want[i].type);
		assert_int_equal((d->flags & HQ_OPT_CLI) != 0, want[i].cli);
		assert_true(d->flags & HQ_OPT_UNSUPPORTED);
	}
	/* Implemented flags are not marked. */
	assert_false(hq_options_find("logger_plugin")->flags & HQ_OPT_UNSUPPORTED);
	assert_false(hq_options_find("host_identifier")->flags & HQ_OPT_UNSUPPORTED);
}

static void test_unsigned_and_unsupported(void **state)
{
	char *names = NULL;

	(void)state;
	assert_int_equal(hq_options_set("distributed_interval", "-1", HQ_OPT_SRC_CLI), -EINVAL);
	assert_int_equal(hq_options_set("carver_block_size", "4294967296", HQ_OPT_SRC_CLI),
			 -EINVAL);
	assert_int_equal(hq_options_set("carver_block_size", "4294967295", HQ_OPT_SRC_CLI), 0);
	assert_int_equal(hq_options_set("audit_backlog_wait_time", "-5", HQ_OPT_SRC_CLI), 0);
	/* CLI-only unsupported flags keep the CLI-only rule for config options. */
	assert_int_equal(hq_options_set("tls_hostname", "x:1", HQ_OPT_SRC_CONFIG), -EPERM);
	assert_int_equal(hq_options_set("distributed_interval", "5", HQ_OPT_SRC_CONFIG), 0);
	/* Named in table order. */
	assert_int_equal(hq_options_unsupported_in_use(&names), 3);
	assert_string_equal(names,
			    "distributed_interval, carver_block_size, audit_backlog_wait_time");
	free(names);
	/* Back to the defaults: nothing to report. */
	assert_int_equal(hq_options_reset(), 0);
	assert_int_equal(hq_options_set("utc", "true", HQ_OPT_SRC_CLI), 0);
	assert_int_equal(hq_options_set("logger_plugin", "stdout", HQ_OPT_SRC_CLI), 0);
	assert_int_equal(hq_options_unsupported_in_use(&names), 0);
	assert_null(names);
}

/* A realistic osqueryd flagfile (Fleet enrollment, tls plugins, events, audit) loads as is. */
static void test_osquery_flagfile_fixture(void **state)
{
	char *err = NULL, *names = NULL;
	const hq_option_def *d;
	char *v;

	(void)state;
	assert_int_equal(hq_options_load_flagfile(
				 HQ_TEST_SRCDIR "/tests/fixtures/flags/osquery.flags", &err),
			 0);
	assert_null(err);
	assert_string_equal(hq_opt.config_plugin, "tls");
	assert_string_equal(hq_opt.logger_plugin, "tls");
	assert_string_equal(hq_opt.host_identifier, "instance");
	assert_int_equal(hq_opt.config_refresh, 10);
	assert_string_equal(hq_opt.pack_delimiter, "/");
	assert_int_equal(hq_opt.watchdog_memory_limit, 350);
	assert_false(hq_opt.disable_logging);
	d = hq_options_find("tls_hostname");
	v = hq_options_value_string(d);
	assert_string_equal(v, "fleet.example.com:8080");
	free(v);
	v = hq_options_value_string(hq_options_find("audit_allow_sockets"));
	assert_string_equal(v, "true");
	free(v);
	assert_true(hq_options_unsupported_in_use(&names) > 20);
	assert_non_null(strstr(names, "tls_hostname"));
	assert_non_null(strstr(names, "enroll_secret_path"));
	assert_non_null(strstr(names, "disable_distributed"));
	assert_non_null(strstr(names, "audit_allow_config"));
	/* Set to osquery's defaults: nothing is asked of hostq there. */
	assert_null(strstr(names, "utc"));
	assert_null(strstr(names, "disable_events"));
	assert_null(strstr(names, "tls_session_reuse"));
	free(names);
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
		cmocka_unit_test_setup_teardown(test_every_default_parses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_osquery_flags_known, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unsigned_and_unsupported, setup, teardown),
		cmocka_unit_test_setup_teardown(test_osquery_flagfile_fixture, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
