/* The agent's flags: one table (Redis config.c style) gives the command-line parser, flagfiles,
 * config "options", defaults, the osquery_flags table and the usage text. Names, defaults and
 * kinds are osquery's; a few hostq additions are marked in their description.
 *
 * Values live in the global struct hq_opt (one field per flag, named like the flag). Strings in
 * it are owned by this module; read them, never free or keep them across a hq_options_set(). */
#pragma once

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum hq_option_type {
	HQ_OPT_BOOL,
	HQ_OPT_INT,
	HQ_OPT_STRING,
	_HQ_OPT_TYPE_MAX,
	_HQ_OPT_TYPE_INVALID = -EINVAL,
} hq_option_type;

enum {
	/* Command line or flagfile only: ignored with a warning in config "options" (CLI_FLAG). */
	HQ_OPT_CLI = 1 << 0,
	/* Not listed in --help (osquery HIDDEN_FLAG); still settable and in osquery_flags. */
	HQ_OPT_HIDDEN = 1 << 1,
	/* Only meaningful in the shell (osquery SHELL_FLAG). */
	HQ_OPT_SHELL = 1 << 2,
};

#define HQ_OPT_CTYPE_BOOL bool
#define HQ_OPT_CTYPE_INT int64_t
#define HQ_OPT_CTYPE_STRING char *

/* X(name, type, default, flags, alias or NULL, description) */
#define HQ_OPTIONS_LIST(X)                                                                         \
	X(flagfile, STRING, "", HQ_OPT_CLI, NULL, "Line-delimited file of additional flags")       \
	X(verbose, BOOL, "false", HQ_OPT_CLI, NULL, "Enable verbose informational messages")       \
	X(config_plugin, STRING, "filesystem", HQ_OPT_CLI, NULL, "Config plugin name")             \
	X(config_path, STRING, "/etc/hostq/hostq.conf", HQ_OPT_CLI, NULL,                          \
	  "Path to JSON config file")                                                              \
	X(config_check, BOOL, "false", HQ_OPT_CLI, NULL, "Check the format of a config and exit")  \
	X(config_dump, BOOL, "false", HQ_OPT_CLI, NULL, "Dump the contents of the configuration")  \
	X(config_refresh, INT, "0", HQ_OPT_CLI, "config_tls_refresh",                              \
	  "Optional interval in seconds to re-read configuration")                                 \
	X(config_accelerated_refresh, INT, "300", HQ_OPT_CLI, "config_tls_accelerated_refresh",    \
	  "Interval to wait if reading a configuration fails")                                     \
	X(config_enable_backup, BOOL, "false", HQ_OPT_CLI, NULL,                                   \
	  "Backup config and use it when refresh fails")                                           \
	X(database_path, STRING, "/var/lib/hostq/hostq.db", HQ_OPT_CLI, NULL,                      \
	  "If using a disk-based backing store, specify a path")                                   \
	X(disable_database, BOOL, "false", HQ_OPT_CLI | HQ_OPT_HIDDEN, NULL,                       \
	  "Disable the persistent state database (keep state in memory)")                          \
	X(pidfile, STRING, "/run/hostqd.pid", HQ_OPT_CLI, NULL,                                    \
	  "Path to the daemon pidfile mutex")                                                      \
	X(daemonize, BOOL, "false", HQ_OPT_CLI, NULL, "Run as a daemon process")                   \
	X(disable_watchdog, BOOL, "false", HQ_OPT_CLI, NULL, "Disable userland watchdog process")  \
	X(watchdog_level, INT, "0", HQ_OPT_CLI, NULL,                                              \
	  "Performance limit level (0=normal, -1=off)")                                            \
	X(watchdog_memory_limit, INT, "200", HQ_OPT_CLI, NULL,                                     \
	  "Override watchdog profile memory limit (e.g., 300, for 300MB)")                         \
	X(watchdog_utilization_limit, INT, "10", HQ_OPT_CLI, NULL,                                 \
	  "Override watchdog profile CPU utilization limit")                                       \
	X(watchdog_delay, INT, "60", HQ_OPT_CLI, NULL,                                             \
	  "Initial delay in seconds before watchdog starts")                                       \
	X(watchdog_denylist_duration, INT, "86400", HQ_OPT_CLI, NULL,                              \
	  "Seconds a query stopped by the watchdog stays denylisted")                              \
	X(watchdog_query_timeout, INT, "60", HQ_OPT_CLI, NULL,                                     \
	  "Wall-clock seconds one scheduled query may run (hostq)")                                \
	X(schedule_splay_percent, INT, "10", 0, NULL, "Percent to splay config times")             \
	X(schedule_default_interval, INT, "3600", 0, NULL,                                         \
	  "Query interval to use if none is provided")                                             \
	X(schedule_epoch, INT, "0", 0, NULL, "Epoch for scheduled queries")                        \
	X(schedule_timeout, INT, "0", HQ_OPT_HIDDEN, NULL, "Limit the schedule, 0 for no limit")   \
	X(schedule_max_drift, INT, "60", 0, NULL,                                                  \
	  "Max time drift in seconds the scheduler tries to compensate")                           \
	X(pack_delimiter, STRING, "_", 0, NULL, "Delimiter used for pack and query names")         \
	X(pack_refresh_interval, INT, "3600", 0, NULL, "Cache expiration for a packs discovery")   \
	X(host_identifier, STRING, "hostname", 0, NULL,                                            \
	  "Field used to identify the host running osquery (hostname, uuid, instance, ephemeral, " \
	  "specified)")                                                                            \
	X(specified_identifier, STRING, "", 0, NULL,                                               \
	  "Field used to specify the host_identifier when set to \"specified\"")                   \
	X(disable_decorators, BOOL, "false", 0, NULL, "Disable log result decoration")             \
	X(decorations_top_level, BOOL, "false", 0, NULL,                                           \
	  "Add decorators as top level JSON objects")                                              \
	X(logger_plugin, STRING, "filesystem", HQ_OPT_CLI, NULL,                                   \
	  "Logger plugin name (comma separated list)")                                             \
	X(logger_path, STRING, "/var/log/hostq", HQ_OPT_CLI, "osquery_log_dir",                    \
	  "Directory path for ERROR/WARN/INFO and results logging")                                \
	X(logger_mode, STRING, "0600", HQ_OPT_CLI, NULL, "Octal mode for log files")               \
	X(logger_rotate, BOOL, "false", 0, NULL, "Use log file rotation")                          \
	X(logger_rotate_size, INT, "26214400", 0, NULL, "Size of each log file (default 25M)")     \
	X(logger_rotate_max_files, INT, "25", 0, NULL, "Max number of rotated log files")          \
	X(logger_syslog_facility, INT, "19", 0, NULL,                                              \
	  "Syslog facility for status and results logs")                                           \
	X(logger_syslog_prepend_cee, BOOL, "false", 0, NULL, "Prepend @cee: tag to logged JSON")   \
	X(logger_event_type, BOOL, "true", 0, "log_result_events",                                 \
	  "Log scheduled results as events")                                                       \
	X(logger_snapshot_event_type, BOOL, "false", 0, NULL,                                      \
	  "Log scheduled snapshot results as events")                                              \
	X(logger_numerics, BOOL, "false", 0, "log_numerics_as_numbers",                            \
	  "Use numeric JSON syntax for numeric values")                                            \
	X(logger_min_status, INT, "0", 0, NULL, "Minimum level for status log recording")          \
	X(logger_min_stderr, INT, "0", 0, NULL, "Minimum level for statuses written to stderr")    \
	X(logger_stderr, BOOL, "true", 0, NULL, "Write status logs to stderr")                     \
	X(disable_logging, BOOL, "false", 0, NULL, "Disable ERROR/INFO logging")                   \
	X(logger_secondary_status_only, BOOL, "false", 0, NULL,                                    \
	  "Only send status logs to secondary logger plugins")                                     \
	X(disable_extensions, BOOL, "false", HQ_OPT_CLI, NULL, "Disable extension API")            \
	X(extensions_socket, STRING, "/var/run/hostq.em", HQ_OPT_CLI, NULL,                        \
	  "Path to the extensions UNIX domain socket")                                             \
	X(extensions_autoload, STRING, "/etc/hostq/extensions.load", HQ_OPT_CLI, NULL,             \
	  "Optional path to a list of autoloaded & managed extensions")                            \
	X(extensions_timeout, STRING, "3", HQ_OPT_CLI, NULL,                                       \
	  "Seconds to wait for autoloaded extensions")                                             \
	X(extensions_interval, STRING, "3", HQ_OPT_CLI, NULL,                                      \
	  "Seconds delay between connectivity checks")                                             \
	X(extensions_require, STRING, "", HQ_OPT_CLI, NULL,                                        \
	  "Comma-separated list of required extensions")                                           \
	X(thrift_timeout, INT, "300", HQ_OPT_CLI, NULL,                                            \
	  "Thrift client send/receive timeout in seconds")                                         \
	X(allow_unsafe, BOOL, "false", HQ_OPT_CLI | HQ_OPT_HIDDEN, NULL,                           \
	  "Allow unsafe executable permissions")

#define HQ_OPT_FIELD_(name, type, def, flags, alias, desc) HQ_OPT_CTYPE_##type name;
struct hq_options {
	HQ_OPTIONS_LIST(HQ_OPT_FIELD_)
};
#undef HQ_OPT_FIELD_

extern struct hq_options hq_opt;

typedef struct hq_option_def {
	const char *name;
	hq_option_type type;
	const char *default_value;
	unsigned flags;
	const char *alias;
	const char *description;
	size_t offset; /* into struct hq_options */
} hq_option_def;

typedef enum hq_option_source {
	HQ_OPT_SRC_CLI,	   /* command line or flagfile */
	HQ_OPT_SRC_CONFIG, /* config "options" */
	_HQ_OPT_SRC_MAX,
	_HQ_OPT_SRC_INVALID = -EINVAL,
} hq_option_source;

/* (Re)sets every flag to its default. Call once at start; tests call it between cases. */
int hq_options_reset(void);
/* Frees the strings (valgrind-clean exit). */
void hq_options_done(void);

/* Looks a flag up by name or alias; NULL when unknown. */
const hq_option_def *hq_options_find(const char *name);
/* The table, in declaration order. */
size_t hq_options_all(const hq_option_def **ret_defs);

/* Sets a flag from text. Booleans accept true/false/1/0/yes/no/on/off (case-insensitive).
 * Returns -ENOENT for an unknown name, -EINVAL for a value of the wrong type, -EPERM when a
 * CLI-only flag is set from the config (the value is left unchanged). */
int hq_options_set(const char *name, const char *value, hq_option_source source);
/* The current value (or default) as text, osquery's rendering ("true"/"false", decimal);
 * caller frees. */
char *hq_options_value_string(const hq_option_def *def);
bool hq_options_is_default(const hq_option_def *def);

/* Reads a flagfile: one --name=value (or --name value, or --bool) per line, blank lines and
 * lines starting with # ignored. On failure ret_error (caller frees) says which line. */
int hq_options_load_flagfile(const char *path, char **ret_error);

/* Parses argv: --name=value, --name value, --bool, --nobool, -name forms as gflags, and
 * --flagfile (read where it appears). Stops at "--" or the first non-flag argument, whose
 * index is returned in *ret_index. extra_bools lists binary-specific boolean switches (e.g.
 * "help", "version") handled by the caller: they land in *ret_extra as a bit mask. Returns
 * -ENOENT (unknown flag), -EINVAL (bad value) with ret_error set (caller frees). */
int hq_options_parse_argv(int argc, char **argv, const char *const *extra_bools,
			  unsigned *ret_extra, int *ret_index, char **ret_error);

/* Prints "--name=default  description" lines for every visible flag. */
void hq_options_usage(FILE *f);
