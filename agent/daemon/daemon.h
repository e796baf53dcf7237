/* hostqd internals shared by its files: config loading, status logging, the worker and the
 * watcher. The introspection tables read the worker's state through daemon_info.h only. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "hq/log.h"
#include "hq/util.h"
#include "scheduler/config.h"

#define HQ_DAEMON_NAME "hostqd"
/* The osquery version whose behaviour hostq follows; pack/query "version" minimums are
 * compared against it, so osquery packs keep their meaning. */
#define HQ_OSQUERY_COMPAT_VERSION "5.23.0"

/* Reads the config through the active config plugin (--config_plugin) and parses it. A
 * missing main file is -ENOENT with ret_error set. */
int hq_daemon_load_config(hq_config **ret, char **ret_error);
/* Applies the config's options (FLAG kinds only), logging what it ignores. */
void hq_daemon_apply_options(const hq_config *c);

/* Status log (osquery's s/f/i/m/h/c/u entries): goes to stderr (per --logger_stderr and
 * --logger_min_stderr) and, once loggers are up, to every active logger's log_status.
 * Entries logged before that are buffered. severity: 0 info, 1 warning, 2 error, 3 fatal. */
void hq_status(int severity, const char *file, int line, const char *fmt, ...) _printf_(4, 5);
#define hq_status_info(...) hq_status(0, __FILE__, __LINE__, __VA_ARGS__)
#define hq_status_warning(...) hq_status(1, __FILE__, __LINE__, __VA_ARGS__)
#define hq_status_error(...) hq_status(2, __FILE__, __LINE__, __VA_ARGS__)
/* Routes hq_log() (engine, util) into the status log. */
void hq_status_install_log_sink(void);
/* Loggers named by --logger_plugin become active; buffered status entries are flushed. */
int hq_status_init_loggers(const char *host_identifier);
void hq_status_set_host_identifier(const char *host_identifier);

/* The active loggers, in --logger_plugin order. */
typedef struct hq_active_logger {
	const struct hq_logger_plugin *vt;
	void *state;
} hq_active_logger;
size_t hq_status_loggers(const hq_active_logger **ret);
/* Drops buffered entries: the watcher calls it after a fork, because the new worker inherited
 * them and delivers them to its loggers. */
void hq_status_forget_pending(void);
void hq_status_flush_loggers(void);

/* A worker that cannot start (state database, loggers, engine) exits with this code; the
 * watcher then gives up instead of restarting it forever (sysexits' EX_CONFIG). */
#define HQ_EXIT_STARTUP 78

/* Runs the worker: scheduler, state, loggers. config is the startup config (ownership taken);
 * restarted tells a worker forked again by the watcher to re-read the config. Returns the
 * process exit code. */
int hq_worker_run(hq_config *config, int64_t watcher_pid, bool restarted);

/* Runs the watcher: forks and supervises workers (restart on death, RSS cap, signal
 * forwarding, systemd notifications). Returns the exit code. */
int hq_watcher_run(hq_config *config);

/* The extension manager in the worker (daemon/extensions.c): start next to the engine (waits
 * for extension-provided config/logger plugins), dispatch its engine work from the event loop,
 * stop before the engine is freed. */
typedef struct hq_engine hq_engine;
int hq_daemon_extensions_start(hq_engine *engine);
/* Whether extensions are enabled and an autoload list is readable: only then may plugins named
 * on the command line still appear (osquery's rule). */
bool hq_daemon_extensions_managed(void);
/* Set by main when --config_plugin names a plugin no one has registered yet: the worker reads
 * the config once extensions are up. */
extern bool hq_daemon_config_deferred;
int hq_daemon_extensions_fd(void);
void hq_daemon_extensions_dispatch(void);
void hq_daemon_extensions_stop(void);

/* systemd notification helpers (no-ops when not under systemd). */
void hq_daemon_notify_ready(void);
/* When systemd asked for watchdog pings (WATCHDOG_USEC), adds a timer to e sending
 * WATCHDOG=1 every half period while healthy() (NULL: always) says so. *ret_source is NULL
 * when no watchdog is wanted; the caller unrefs it. */
typedef struct sd_event sd_event;
typedef struct sd_event_source sd_event_source;
int hq_daemon_add_watchdog(sd_event *e, bool (*healthy)(void), sd_event_source **ret_source);
