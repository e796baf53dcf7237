/* hostqd: the scheduled-query daemon. Parses the flags (osquery's), reads and checks the
 * config, takes the pidfile lock, optionally daemonizes, then runs the watcher (which forks the
 * worker) or, with --disable_watchdog, the worker in this process. */
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-event.h>

#include "daemon/daemon.h"
#include "hq/plugin.h"
#include "options/options.h"
#include "scheduler/state.h"

static int pidfile_fd = -1;
bool hq_daemon_config_deferred;

static int resolve_pack(const char *name, const char *value, char **ret_json, void *userdata)
{
	const hq_config_plugin *vt = userdata;
	void *state = NULL;

	if (!hq_plugin_find(HQ_PLUGIN_CONFIG, vt->name, &state) || !vt->gen_pack)
		return -EOPNOTSUPP;
	return vt->gen_pack(state, name, value, ret_json);
}

int hq_daemon_load_config(hq_config **ret, char **ret_error)
{
	const hq_config_plugin *vt;
	hq_config_source *sources = NULL;
	void *state = NULL;
	size_t n = 0;
	int r;

	*ret_error = NULL;
	vt = hq_plugin_find(HQ_PLUGIN_CONFIG, hq_opt.config_plugin, &state);
	if (!vt) {
		if (asprintf(ret_error, "unknown config plugin '%s'", hq_opt.config_plugin) < 0)
			*ret_error = NULL;
		return -ENOENT;
	}
	r = vt->gen_config(state, &sources, &n);
	if (r < 0) {
		if (strcmp(vt->name, "filesystem") == 0) {
			if (asprintf(ret_error, "cannot read config %s: %s", hq_opt.config_path,
				     strerror(-r)) < 0)
				*ret_error = NULL;
		} else if (asprintf(ret_error, "config plugin %s failed: %s", vt->name,
				    strerror(-r)) < 0)
			*ret_error = NULL;
		return r;
	}
	r = hq_config_parse(sources, n, hq_opt.pack_delimiter, vt->gen_pack ? resolve_pack : NULL,
			    (void *)vt, ret, ret_error);
	hq_config_sources_free(sources, n);
	return r;
}

void hq_daemon_apply_options(const hq_config *c)
{
	hq_buf noeffect = HQ_BUF_INIT(64 << 10);
	const char *k;
	json_t *v;

	json_object_foreach(c->options, k, v)
	{
		int r = hq_options_set(k, json_string_value(v), HQ_OPT_SRC_CONFIG);
		const hq_option_def *d = r == 0 ? hq_options_find(k) : NULL;

		if (d && (d->flags & HQ_OPT_UNSUPPORTED) && !hq_options_is_default(d))
			hq_buf_printf(&noeffect, "%s%s", noeffect.len > 0 ? ", " : "", k);
		if (r == -ENOENT && !hq_startswith(k, "custom_"))
			hq_status_warning("Unknown option in config: %s", k);
		else if (r == -EPERM)
			hq_status_warning(
				"Option %s can only be set on the command line, ignoring it "
				"in the config",
				k);
		else if (r == -EINVAL)
			hq_status_warning("Invalid value for option %s in config: %s", k,
					  json_string_value(v));
	}
	/* One line for all of them: an osquery config may set many options hostq lacks. */
	if (noeffect.len > 0 && !noeffect.error)
		hq_status_warning(
			"Config options accepted for osquery compatibility have no effect "
			"in hostq: %s",
			noeffect.data);
	hq_buf_done(&noeffect);
}

/* Start-up: one warning naming every flag from the command line or flagfiles that hostq only
 * accepts (set to something other than osquery's default). */
static void warn_unsupported_flags(void)
{
	_cleanup_free_ char *names = NULL;

	if (hq_options_unsupported_in_use(&names) > 0)
		hq_status_warning("Flags accepted for osquery compatibility have no effect in "
				  "hostq: %s",
				  names);
}

void hq_daemon_notify_ready(void)
{
	(void)sd_notifyf(0, "READY=1\nSTATUS=Running scheduled queries\nMAINPID=%d", (int)getpid());
}

/* --config_enable_backup: the worker stores the last config it ran in the state database;
 * when the config cannot be read at start, that copy is used instead. */
static int load_backup(hq_config **ret)
{
	_cleanup_(hq_state_closep) hq_state *st = NULL;
	_cleanup_free_ char *text = NULL;
	hq_config_source *sources = NULL;
	json_t *all, *v;
	const char *k;
	size_t n = 0;
	int r;

	if (access(hq_opt.database_path, F_OK) < 0)
		return -ENOENT;
	r = hq_state_open(hq_opt.database_path, &st);
	if (r < 0)
		return r;
	r = hq_state_kv_get(st, "config_backup", &text);
	if (r < 0)
		return r;
	all = json_loads(text, 0, NULL);
	if (!json_is_object(all)) {
		json_decref(all);
		return -EINVAL;
	}
	sources = calloc(json_object_size(all) + 1, sizeof(*sources));
	json_object_foreach(all, k, v)
	{
		if (!sources)
			break;
		sources[n].name = strdup(k);
		sources[n].json = json_dumps(v, JSON_COMPACT);
		n++;
	}
	json_decref(all);
	if (!sources)
		return -ENOMEM;
	r = hq_config_parse(sources, n, hq_opt.pack_delimiter, NULL, NULL, ret, NULL);
	hq_config_sources_free(sources, n);
	return r;
}

static bool (*watchdog_healthy)(void);

static int on_watchdog(sd_event_source *s, uint64_t usec, void *userdata)
{
	uint64_t every = (uint64_t)(uintptr_t)userdata;

	if (!watchdog_healthy || watchdog_healthy())
		(void)sd_notify(0, "WATCHDOG=1");
	return sd_event_source_set_time(s, usec + every);
}

int hq_daemon_add_watchdog(sd_event *e, bool (*healthy)(void), sd_event_source **ret_source)
{
	uint64_t usec = 0;
	int r;

	*ret_source = NULL;
	if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0)
		return 0;
	watchdog_healthy = healthy;
	r = sd_event_add_time_relative(e, ret_source, CLOCK_MONOTONIC, usec / 2, 0, on_watchdog,
				       (void *)(uintptr_t)(usec / 2));
	if (r < 0)
		return r;
	return sd_event_source_set_enabled(*ret_source, SD_EVENT_ON);
}

static int take_pidfile(const char *path)
{
	char buf[32];
	ssize_t n;
	int fd;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		fprintf(stderr, "hostqd: cannot open pidfile %s: %m\n", path);
		return -errno;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int e = errno;
		n = pread(fd, buf, sizeof(buf) - 1, 0);
		buf[n > 0 ? n : 0] = '\0';
		hq_strstrip_trailing(buf);
		if (e == EWOULDBLOCK)
			fprintf(stderr,
				"hostqd: another hostqd is already running (pid %s, pidfile %s)\n",
				*buf ? buf : "?", path);
		else
			fprintf(stderr, "hostqd: cannot lock pidfile %s: %s\n", path, strerror(e));
		close(fd);
		return -e;
	}
	n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	if (ftruncate(fd, 0) < 0 || pwrite(fd, buf, (size_t)n, 0) != n) {
		fprintf(stderr, "hostqd: cannot write pidfile %s: %m\n", path);
		close(fd);
		return -EIO;
	}
	pidfile_fd = fd;
	return 0;
}

static int daemonize(void)
{
	pid_t pid = fork();
	int fd;

	if (pid < 0)
		return -errno;
	if (pid > 0)
		_exit(0);
	if (setsid() < 0)
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid > 0)
		_exit(0);
	if (chdir("/") < 0)
		return -errno;
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: hostqd [OPTION]...\n"
		   "Runs scheduled SQL queries and logs their differential results "
		   "(osqueryd-compatible).\n\n"
		   "    --help\n        Print this help and exit\n"
		   "    --version\n        Print the version and exit\n");
	hq_options_usage(f);
}

int main(int argc, char **argv)
{
	static const char *const extra[] = {"help", "version", NULL};
	_cleanup_free_ char *err = NULL;
	hq_config *config = NULL;
	unsigned flags = 0;
	sigset_t mask;
	int idx = 0, r;

	if (hq_options_reset() < 0)
		return 1;
	r = hq_options_parse_argv(argc, argv, extra, &flags, &idx, &err);
	if (r < 0) {
		fprintf(stderr, "hostqd: %s\nTry 'hostqd --help' for the list of flags.\n",
			err ?: strerror(-r));
		return 2;
	}
	if (idx < argc) {
		fprintf(stderr, "hostqd: unexpected argument '%s'\n", argv[idx]);
		return 2;
	}
	if (flags & 1) {
		usage(stdout);
		return 0;
	}
	if (flags & 2) {
		printf("hostqd version %s\n", HQ_VERSION);
		return 0;
	}
	hq_status_install_log_sink();
	warn_unsupported_flags();
	r = hq_plugins_register_builtin();
	if (r < 0) {
		fprintf(stderr, "hostqd: cannot register plugins: %s\n", strerror(-r));
		return 1;
	}

	free(err);
	err = NULL;
	r = hq_daemon_load_config(&config, &err);
	if (hq_opt.config_check || hq_opt.config_dump) {
		if (r < 0) {
			fprintf(stderr, "hostqd: config error: %s\n", err ?: strerror(-r));
			return 1;
		}
		for (size_t i = 0; config->warnings && config->warnings[i]; i++)
			fprintf(stderr, "hostqd: config warning: %s\n", config->warnings[i]);
		if (hq_opt.config_dump) {
			char *s = json_dumps(config->sources, JSON_INDENT(2));
			if (s)
				puts(s);
			free(s);
		}
		hq_config_free(config);
		return 0;
	}
	if (r == -ENOENT && hq_daemon_extensions_managed() &&
	    !hq_plugin_find(HQ_PLUGIN_CONFIG, hq_opt.config_plugin, NULL)) {
		/* Not a core plugin: an autoloaded extension may provide it once the worker
		 * runs its extension manager. Start with an empty schedule until then. */
		hq_daemon_config_deferred = true;
		r = hq_config_parse(NULL, 0, hq_opt.pack_delimiter, NULL, NULL, &config, NULL);
	}
	if (r < 0 && hq_opt.config_enable_backup && load_backup(&config) >= 0) {
		hq_status_warning("Config error (%s); running the backup of the last good config",
				  err ?: strerror(-r));
		r = 0;
	}
	if (r == -ENOENT && strcmp(hq_opt.config_plugin, "filesystem") == 0) {
		/* osquery runs without a config when the file is missing; say so clearly. */
		hq_status_warning("%s; running with an empty schedule", err ?: "no config");
		r = hq_config_parse(NULL, 0, hq_opt.pack_delimiter, NULL, NULL, &config, NULL);
	}
	if (r < 0) {
		fprintf(stderr, "hostqd: config error: %s\n", err ?: strerror(-r));
		return 1;
	}
	/* Unknown logger plugins are a usage error, found before anything starts, unless managed
	 * extensions may still provide them (the worker waits for those, as osquery does). */
	if (!hq_daemon_extensions_managed()) {
		_cleanup_free_ char *list = strdup(hq_opt.logger_plugin);
		char *save = NULL;
		for (char *t = list ? strtok_r(list, ",", &save) : NULL; t;
		     t = strtok_r(NULL, ",", &save))
			if (!hq_plugin_find(HQ_PLUGIN_LOGGER, t, NULL)) {
				fprintf(stderr, "hostqd: unknown logger plugin '%s'\n", t);
				hq_config_free(config);
				return 1;
			}
	}

	/* From here on, SIGHUP/SIGTERM/SIGINT are handled by the event loops (signalfd); block them
	 * now so one arriving during start-up is queued instead of killing the daemon. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);

	/* Options from the config are applied by the worker (the watcher only needs CLI flags). */
	if (hq_opt.daemonize) {
		r = daemonize();
		if (r < 0) {
			fprintf(stderr, "hostqd: cannot daemonize: %s\n", strerror(-r));
			return 1;
		}
	}
	if (*hq_opt.pidfile && take_pidfile(hq_opt.pidfile) < 0) {
		hq_config_free(config);
		return 1;
	}
	if (hq_opt.disable_watchdog || hq_opt.watchdog_level < 0)
		r = hq_worker_run(config, -1, false);
	else
		r = hq_watcher_run(config);
	if (r == HQ_EXIT_STARTUP)
		r = 1;
	if (pidfile_fd >= 0) {
		(void)unlink(hq_opt.pidfile);
		close(pidfile_fd);
	}
	hq_plugin_registry_clear();
	hq_options_done();
	return r;
}
