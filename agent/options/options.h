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
	HQ_OPT_UINT32, /* osquery's unsigned flags: negative values are refused */
	HQ_OPT_UINT64,
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
	/* An osquery flag hostq does not implement (yet): accepted so osquery flagfiles and
	 * configs load unchanged, listed in osquery_flags, left out of --help. Setting one to a
	 * non-default value is reported once at start-up (hq_options_unsupported_in_use). */
	HQ_OPT_UNSUPPORTED = 1 << 3,
};

/* Appended to the description of every HQ_OPT_UNSUPPORTED flag. */
#define HQ_OPT_NOEFFECT "; accepted for osquery compatibility; no effect in hostq"

#define HQ_OPT_CTYPE_BOOL bool
#define HQ_OPT_CTYPE_INT int64_t
#define HQ_OPT_CTYPE_STRING char *
#define HQ_OPT_CTYPE_UINT32 int64_t
#define HQ_OPT_CTYPE_UINT64 int64_t

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
	  "Allow unsafe executable permissions")                                                   \
	/* osquery's other Linux flags, accepted but not implemented (HQ_OPT_UNSUPPORTED). */      \
	X(tls_hostname, STRING, "", HQ_OPT_CLI | HQ_OPT_UNSUPPORTED, NULL,                         \
	  "TLS server host[:port] used by the tls plugins" HQ_OPT_NOEFFECT)                        \
	X(tls_server_certs, STRING, "/opt/osquery/share/osquery/certs/certs.pem",                  \
	  HQ_OPT_CLI | HQ_OPT_UNSUPPORTED, NULL,                                                   \
	  "CA bundle file or OpenSSL hash directory trusted for the TLS server" HQ_OPT_NOEFFECT)   \
	X(tls_client_cert, STRING, "", HQ_OPT_CLI | HQ_OPT_UNSUPPORTED, NULL,                      \
	  "PEM client certificate presented to the TLS server" HQ_OPT_NOEFFECT)                    \
	X(tls_client_key, STRING, "", HQ_OPT_CLI | HQ_OPT_UNSUPPORTED, NULL,                       \
	  "PEM private key (unencrypted) of the TLS client certificate" HQ_OPT_NOEFFECT)           \
	X(tls_session_reuse, BOOL, "true", HQ_OPT_CLI | HQ_OPT_UNSUPPORTED, NULL,                  \
	  "Keep TLS connections alive and reuse them" HQ_OPT_NOEFFECT)                             \
	X(tls_session_timeout, UINT32, "3600", HQ_OPT_CLI | HQ_OPT_UNSUPPORTED, NULL,              \
	  "Seconds before a reused TLS connection is recycled (0 = never)" HQ_OPT_NOEFFECT)        \
	X(tls_accept_gzip, BOOL, "false", HQ_OPT_CLI | HQ_OPT_UNSUPPORTED, NULL,                   \
	  "Ask the TLS server for gzip-compressed responses" HQ_OPT_NOEFFECT)                      \
	X(proxy_hostname, STRING, "", HQ_OPT_CLI | HQ_OPT_UNSUPPORTED, NULL,                       \
	  "HTTP CONNECT proxy (host[:port]) for TLS requests" HQ_OPT_NOEFFECT)                     \
	X(tls_dump, BOOL, "false", HQ_OPT_HIDDEN | HQ_OPT_UNSUPPORTED, NULL,                       \
	  "Print TLS request and response bodies (with --verbose)" HQ_OPT_NOEFFECT)                \
	X(tls_secret_always, BOOL, "false", HQ_OPT_HIDDEN | HQ_OPT_UNSUPPORTED, NULL,              \
	  "Append the enroll secret to every TLS request URI" HQ_OPT_NOEFFECT)                     \
	X(tls_enroll_override, STRING, "enroll_secret", HQ_OPT_HIDDEN | HQ_OPT_UNSUPPORTED, NULL,  \
	  "Name of the enroll secret key in TLS requests" HQ_OPT_NOEFFECT)                         \
	X(tls_node_api, BOOL, "false", HQ_OPT_HIDDEN | HQ_OPT_UNSUPPORTED, NULL,                   \
	  "Use node-key-in-path GET requests for the TLS API" HQ_OPT_NOEFFECT)                     \
	X(enroll_tls_endpoint, STRING, "", HQ_OPT_CLI | HQ_OPT_UNSUPPORTED, NULL,                  \
	  "TLS endpoint path used for enrollment" HQ_OPT_NOEFFECT)                                 \
	X(enroll_secret_path, STRING, "", HQ_OPT_CLI | HQ_OPT_UNSUPPORTED, NULL,                   \
	  "File holding the enrollment secret" HQ_OPT_NOEFFECT)                                    \
	X(enroll_secret_env, STRING, "", HQ_OPT_CLI | HQ_OPT_UNSUPPORTED, NULL,                    \
	  "Environment variable holding the enrollment secret" HQ_OPT_NOEFFECT)                    \
	X(enroll_always, BOOL, "false", HQ_OPT_CLI | HQ_OPT_UNSUPPORTED, NULL,                     \
	  "Enroll again at every start" HQ_OPT_NOEFFECT)                                           \
	X(disable_enrollment, BOOL, "false", HQ_OPT_CLI | HQ_OPT_UNSUPPORTED, NULL,                \
	  "Never enroll with the remote server" HQ_OPT_NOEFFECT)                                   \
	X(disable_reenrollment, BOOL, "false", HQ_OPT_CLI | HQ_OPT_UNSUPPORTED, NULL,              \
	  "Keep the node key when the server calls it invalid" HQ_OPT_NOEFFECT)                    \
	X(tls_enroll_max_attempts, UINT64, "12", HQ_OPT_CLI | HQ_OPT_UNSUPPORTED, NULL,            \
	  "Enrollment attempts before giving up (0 = no limit)" HQ_OPT_NOEFFECT)                   \
	X(tls_enroll_max_interval, UINT64, "600", HQ_OPT_CLI | HQ_OPT_UNSUPPORTED, NULL,           \
	  "Longest wait in seconds between enrollment attempts" HQ_OPT_NOEFFECT)                   \
	X(config_tls_endpoint, STRING, "", HQ_OPT_CLI | HQ_OPT_UNSUPPORTED, NULL,                  \
	  "TLS endpoint path of the tls config plugin" HQ_OPT_NOEFFECT)                            \
	X(config_tls_max_attempts, UINT64, "3", HQ_OPT_CLI | HQ_OPT_UNSUPPORTED, NULL,             \
	  "Attempts per config fetch by the tls config plugin" HQ_OPT_NOEFFECT)                    \
	X(logger_tls_endpoint, STRING, "", HQ_OPT_UNSUPPORTED, NULL,                               \
	  "TLS endpoint path of the tls logger plugin" HQ_OPT_NOEFFECT)                            \
	X(logger_tls_period, UINT64, "4", HQ_OPT_UNSUPPORTED, NULL,                                \
	  "Seconds between flushes of buffered logs by the tls logger" HQ_OPT_NOEFFECT)            \
	X(logger_tls_max_lines, UINT64, "1024", HQ_OPT_UNSUPPORTED, NULL,                          \
	  "Buffered log lines sent per tls logger flush" HQ_OPT_NOEFFECT)                          \
	X(logger_tls_max_linesize, UINT64, "1048576", HQ_OPT_UNSUPPORTED, "logger_tls_max",        \
	  "Largest tls logger line in bytes; longer lines are dropped" HQ_OPT_NOEFFECT)            \
	X(logger_tls_backoff_max, UINT64, "3600", HQ_OPT_UNSUPPORTED, NULL,                        \
	  "Longest backoff in seconds after failed tls logger posts (0 = none)" HQ_OPT_NOEFFECT)   \
	X(logger_tls_compress, BOOL, "false", HQ_OPT_UNSUPPORTED, NULL,                            \
	  "Gzip the tls logger request bodies" HQ_OPT_NOEFFECT)                                    \
	X(tls_disable_status_log, BOOL, "false", HQ_OPT_UNSUPPORTED, NULL,                         \
	  "Do not send status logs through the tls logger" HQ_OPT_NOEFFECT)                        \
	X(buffered_log_max, UINT64, "1000000", HQ_OPT_UNSUPPORTED, NULL,                           \
	  "Most log records kept buffered for a remote logger (0 = no limit)" HQ_OPT_NOEFFECT)     \
	X(disable_distributed, BOOL, "true", HQ_OPT_UNSUPPORTED, NULL,                             \
	  "Disable distributed (ad-hoc remote) queries" HQ_OPT_NOEFFECT)                           \
	X(distributed_plugin, STRING, "tls", HQ_OPT_UNSUPPORTED, NULL,                             \
	  "Distributed query plugin name" HQ_OPT_NOEFFECT)                                         \
	X(distributed_tls_read_endpoint, STRING, "", HQ_OPT_UNSUPPORTED, NULL,                     \
	  "TLS endpoint path to fetch distributed queries" HQ_OPT_NOEFFECT)                        \
	X(distributed_tls_write_endpoint, STRING, "", HQ_OPT_UNSUPPORTED, NULL,                    \
	  "TLS endpoint path to post distributed query results" HQ_OPT_NOEFFECT)                   \
	X(distributed_tls_max_attempts, UINT64, "3", HQ_OPT_UNSUPPORTED, NULL,                     \
	  "Attempts per distributed request" HQ_OPT_NOEFFECT)                                      \
	X(distributed_interval, UINT64, "60", HQ_OPT_UNSUPPORTED, NULL,                            \
	  "Seconds between polls for distributed queries" HQ_OPT_NOEFFECT)                         \
	X(distributed_denylist_duration, UINT64, "86400", HQ_OPT_UNSUPPORTED, NULL,                \
	  "Seconds a distributed query that stopped the worker stays denylisted" HQ_OPT_NOEFFECT)  \
	X(distributed_loginfo, BOOL, "false", HQ_OPT_UNSUPPORTED, NULL,                            \
	  "Log executed distributed queries at info level" HQ_OPT_NOEFFECT)                        \
	X(disable_carver, BOOL, "true", HQ_OPT_CLI | HQ_OPT_UNSUPPORTED, NULL,                     \
	  "Disable file carving" HQ_OPT_NOEFFECT)                                                  \
	X(carver_disable_function, BOOL, "true", HQ_OPT_CLI | HQ_OPT_UNSUPPORTED, NULL,            \
	  "Disable the carve() SQL function" HQ_OPT_NOEFFECT)                                      \
	X(carver_start_endpoint, STRING, "", HQ_OPT_CLI | HQ_OPT_UNSUPPORTED, NULL,                \
	  "TLS endpoint path to start a carve upload" HQ_OPT_NOEFFECT)                             \
	X(carver_continue_endpoint, STRING, "", HQ_OPT_CLI | HQ_OPT_UNSUPPORTED, NULL,             \
	  "TLS endpoint path to upload carve blocks" HQ_OPT_NOEFFECT)                              \
	X(carver_block_size, UINT32, "8192", HQ_OPT_CLI | HQ_OPT_UNSUPPORTED, NULL,                \
	  "Bytes per uploaded carve block" HQ_OPT_NOEFFECT)                                        \
	X(carver_compression, BOOL, "false", HQ_OPT_CLI | HQ_OPT_UNSUPPORTED, NULL,                \
	  "Compress carve archives" HQ_OPT_NOEFFECT)                                               \
	X(carver_expiry, UINT32, "86400", HQ_OPT_CLI | HQ_OPT_UNSUPPORTED, NULL,                   \
	  "Seconds a finished carve is kept" HQ_OPT_NOEFFECT)                                      \
	X(logger_status_sync, BOOL, "false", HQ_OPT_HIDDEN | HQ_OPT_UNSUPPORTED, NULL,             \
	  "Send status logs to the logger plugins synchronously" HQ_OPT_NOEFFECT)                  \
	X(logger_kafka_brokers, STRING, "localhost", HQ_OPT_UNSUPPORTED, NULL,                     \
	  "Kafka bootstrap brokers (comma-separated host[:port])" HQ_OPT_NOEFFECT)                 \
	X(logger_kafka_topic, STRING, "", HQ_OPT_UNSUPPORTED, NULL,                                \
	  "Kafka topic the kafka logger publishes to" HQ_OPT_NOEFFECT)                             \
	X(logger_kafka_acks, STRING, "all", HQ_OPT_UNSUPPORTED, NULL,                              \
	  "Kafka acknowledgements required per publish (0, 1 or all)" HQ_OPT_NOEFFECT)             \
	X(logger_kafka_compression, STRING, "none", HQ_OPT_UNSUPPORTED, NULL,                      \
	  "Kafka message compression (none or gzip)" HQ_OPT_NOEFFECT)                              \
	X(aws_access_key_id, STRING, "", HQ_OPT_UNSUPPORTED, NULL,                                 \
	  "AWS access key ID for the AWS loggers" HQ_OPT_NOEFFECT)                                 \
	X(aws_secret_access_key, STRING, "", HQ_OPT_UNSUPPORTED, NULL,                             \
	  "AWS secret access key for the AWS loggers" HQ_OPT_NOEFFECT)                             \
	X(aws_session_token, STRING, "", HQ_OPT_UNSUPPORTED, NULL,                                 \
	  "AWS session token for the AWS loggers" HQ_OPT_NOEFFECT)                                 \
	X(aws_profile_name, STRING, "", HQ_OPT_UNSUPPORTED, NULL,                                  \
	  "AWS profile used for credentials and region" HQ_OPT_NOEFFECT)                           \
	X(aws_region, STRING, "", HQ_OPT_UNSUPPORTED, NULL,                                        \
	  "AWS region of the AWS loggers" HQ_OPT_NOEFFECT)                                         \
	X(aws_sts_arn_role, STRING, "", HQ_OPT_UNSUPPORTED, NULL,                                  \
	  "AWS STS role ARN to assume" HQ_OPT_NOEFFECT)                                            \
	X(aws_sts_region, STRING, "", HQ_OPT_UNSUPPORTED, NULL, "AWS STS region" HQ_OPT_NOEFFECT)  \
	X(aws_sts_session_name, STRING, "default", HQ_OPT_UNSUPPORTED, NULL,                       \
	  "AWS STS session name" HQ_OPT_NOEFFECT)                                                  \
	X(aws_sts_timeout, UINT64, "3600", HQ_OPT_UNSUPPORTED, NULL,                               \
	  "Seconds assumed-role credentials stay valid" HQ_OPT_NOEFFECT)                           \
	X(aws_kinesis_stream, STRING, "", HQ_OPT_UNSUPPORTED, NULL,                                \
	  "Kinesis stream of the aws_kinesis logger" HQ_OPT_NOEFFECT)                              \
	X(aws_kinesis_period, UINT64, "10", HQ_OPT_UNSUPPORTED, NULL,                              \
	  "Seconds between aws_kinesis logger flushes" HQ_OPT_NOEFFECT)                            \
	X(aws_kinesis_random_partition_key, BOOL, "false", HQ_OPT_UNSUPPORTED, NULL,               \
	  "Use random Kinesis partition keys" HQ_OPT_NOEFFECT)                                     \
	X(aws_firehose_stream, STRING, "", HQ_OPT_UNSUPPORTED, NULL,                               \
	  "Firehose stream of the aws_firehose logger" HQ_OPT_NOEFFECT)                            \
	X(aws_firehose_period, UINT64, "10", HQ_OPT_UNSUPPORTED, NULL,                             \
	  "Seconds between aws_firehose logger flushes" HQ_OPT_NOEFFECT)                           \
	X(logtostderr, BOOL, "false", HQ_OPT_CLI | HQ_OPT_UNSUPPORTED, NULL,                       \
	  "Copy status logs to stderr as well as the logger plugins" HQ_OPT_NOEFFECT)              \
	X(stderrthreshold, INT, "2", HQ_OPT_CLI | HQ_OPT_UNSUPPORTED, NULL,                        \
	  "Lowest status severity copied to stderr" HQ_OPT_NOEFFECT)                               \
	X(S, BOOL, "false", HQ_OPT_CLI | HQ_OPT_HIDDEN | HQ_OPT_UNSUPPORTED, NULL,                 \
	  "Run as the shell" HQ_OPT_NOEFFECT)                                                      \
	X(D, BOOL, "false", HQ_OPT_CLI | HQ_OPT_HIDDEN | HQ_OPT_UNSUPPORTED, NULL,                 \
	  "Run as the daemon" HQ_OPT_NOEFFECT)                                                     \
	X(force, BOOL, "false", HQ_OPT_CLI | HQ_OPT_UNSUPPORTED, NULL,                             \
	  "Stop an already running daemon named in the pidfile" HQ_OPT_NOEFFECT)                   \
	X(install, BOOL, "false", HQ_OPT_CLI | HQ_OPT_HIDDEN | HQ_OPT_UNSUPPORTED, NULL,           \
	  "Install the daemon as a service (Windows)" HQ_OPT_NOEFFECT)                             \
	X(uninstall, BOOL, "false", HQ_OPT_CLI | HQ_OPT_HIDDEN | HQ_OPT_UNSUPPORTED, NULL,         \
	  "Uninstall the daemon service (Windows)" HQ_OPT_NOEFFECT)                                \
	X(alarm_timeout, UINT64, "15", HQ_OPT_CLI | HQ_OPT_UNSUPPORTED, NULL,                      \
	  "Seconds allowed for a clean shutdown" HQ_OPT_NOEFFECT)                                  \
	X(ephemeral, BOOL, "false", HQ_OPT_UNSUPPORTED, NULL,                                      \
	  "Skip the pidfile and the state database" HQ_OPT_NOEFFECT)                               \
	X(utc, BOOL, "true", HQ_OPT_UNSUPPORTED, NULL,                                             \
	  "Convert UNIX calendar times to UTC" HQ_OPT_NOEFFECT)                                    \
	X(malloc_trim_threshold, UINT64, "200", HQ_OPT_UNSUPPORTED, NULL,                          \
	  "Heap size in MB above which freed memory is returned to the system" HQ_OPT_NOEFFECT)    \
	X(watchdog_latency_limit, UINT64, "0", HQ_OPT_CLI | HQ_OPT_UNSUPPORTED, NULL,              \
	  "Override the seconds of sustained CPU use the watchdog tolerates" HQ_OPT_NOEFFECT)      \
	X(watchdog_forced_shutdown_delay, UINT64, "4", HQ_OPT_CLI | HQ_OPT_UNSUPPORTED, NULL,      \
	  "Seconds between the watchdog's graceful and forced stop of a worker" HQ_OPT_NOEFFECT)   \
	X(watchdog_max_delay, UINT64, "600", HQ_OPT_CLI | HQ_OPT_HIDDEN | HQ_OPT_UNSUPPORTED,      \
	  NULL, "Longest delay in seconds between worker restarts" HQ_OPT_NOEFFECT)                \
	X(enable_extensions_watchdog, BOOL, "false", HQ_OPT_CLI | HQ_OPT_UNSUPPORTED, NULL,        \
	  "Apply the watchdog's CPU and memory limits to extensions" HQ_OPT_NOEFFECT)              \
	X(database_dump, BOOL, "false", HQ_OPT_CLI | HQ_OPT_UNSUPPORTED, NULL,                     \
	  "Print the state database contents and exit" HQ_OPT_NOEFFECT)                            \
	X(disable_tables, STRING, "", HQ_OPT_CLI | HQ_OPT_UNSUPPORTED, NULL,                       \
	  "Comma-separated tables to disable" HQ_OPT_NOEFFECT)                                     \
	X(enable_tables, STRING, "", HQ_OPT_CLI | HQ_OPT_UNSUPPORTED, NULL,                        \
	  "Comma-separated tables to enable (all others disabled)" HQ_OPT_NOEFFECT)                \
	X(disable_caching, BOOL, "false", HQ_OPT_UNSUPPORTED, NULL,                                \
	  "Disable caching of table results between scheduled queries" HQ_OPT_NOEFFECT)            \
	X(table_delay, UINT64, "0", HQ_OPT_UNSUPPORTED, NULL,                                      \
	  "Microseconds to wait between table scans of one query" HQ_OPT_NOEFFECT)                 \
	X(enable_foreign, BOOL, "false", HQ_OPT_UNSUPPORTED, NULL,                                 \
	  "Register the tables of other platforms as empty tables" HQ_OPT_NOEFFECT)                \
	X(extensions_default_index, BOOL, "true", HQ_OPT_UNSUPPORTED, NULL,                        \
	  "Treat every extension table column as indexed" HQ_OPT_NOEFFECT)                         \
	X(table_exceptions, BOOL, "false", HQ_OPT_UNSUPPORTED, NULL,                               \
	  "Let table implementations raise exceptions" HQ_OPT_NOEFFECT)                            \
	X(value_max, UINT64, "512", HQ_OPT_UNSUPPORTED, NULL,                                      \
	  "Largest returned row value size" HQ_OPT_NOEFFECT)                                       \
	X(read_max, UINT64, "52428800", HQ_OPT_UNSUPPORTED, NULL,                                  \
	  "Largest file in bytes that tables read" HQ_OPT_NOEFFECT)                                \
	X(hash_cache_max, UINT32, "500", HQ_OPT_UNSUPPORTED, NULL,                                 \
	  "Entries kept in the hash table's cache" HQ_OPT_NOEFFECT)                                \
	X(hash_delay, UINT32, "20", HQ_OPT_UNSUPPORTED, NULL,                                      \
	  "Milliseconds to wait between files hashed by one query" HQ_OPT_NOEFFECT)                \
	X(disable_hash_cache, BOOL, "false", HQ_OPT_UNSUPPORTED, NULL,                             \
	  "Always recompute file hashes" HQ_OPT_NOEFFECT)                                          \
	X(disable_memory, BOOL, "false", HQ_OPT_UNSUPPORTED, NULL,                                 \
	  "Disable physical memory reads" HQ_OPT_NOEFFECT)                                         \
	X(worker_threads, INT, "4", HQ_OPT_HIDDEN | HQ_OPT_UNSUPPORTED, NULL,                      \
	  "Number of work dispatch threads" HQ_OPT_NOEFFECT)                                       \
	X(nullvalue, STRING, "", HQ_OPT_UNSUPPORTED, NULL,                                         \
	  "Text printed for NULL values" HQ_OPT_NOEFFECT)                                          \
	X(planner, BOOL, "false", HQ_OPT_SHELL | HQ_OPT_UNSUPPORTED, NULL,                         \
	  "Print the query planner's decisions" HQ_OPT_NOEFFECT)                                   \
	X(docker_socket, STRING, "/var/run/docker.sock", HQ_OPT_UNSUPPORTED, NULL,                 \
	  "Docker API socket used by the docker tables" HQ_OPT_NOEFFECT)                           \
	X(augeas_lenses, STRING, "/opt/osquery/share/osquery/lenses", HQ_OPT_UNSUPPORTED, NULL,    \
	  "Directory of Augeas lenses for the augeas table" HQ_OPT_NOEFFECT)                       \
	X(thrift_verbose, BOOL, "false", HQ_OPT_UNSUPPORTED, NULL,                                 \
	  "Let Thrift print its own messages" HQ_OPT_NOEFFECT)                                     \
	X(disable_events, BOOL, "false", HQ_OPT_UNSUPPORTED, NULL,                                 \
	  "Disable the event publishers and the *_events tables" HQ_OPT_NOEFFECT)                  \
	X(events_expiry, UINT64, "3600", HQ_OPT_UNSUPPORTED, NULL,                                 \
	  "Seconds buffered events are kept once queried" HQ_OPT_NOEFFECT)                         \
	X(events_max, UINT64, "50000", HQ_OPT_UNSUPPORTED, NULL,                                   \
	  "Most events buffered per event table" HQ_OPT_NOEFFECT)                                  \
	X(events_optimize, BOOL, "true", HQ_OPT_UNSUPPORTED, NULL,                                 \
	  "Return only events newer than the last scheduled run" HQ_OPT_NOEFFECT)                  \
	X(events_enforce_denylist, BOOL, "false", HQ_OPT_HIDDEN | HQ_OPT_UNSUPPORTED, NULL,        \
	  "Denylist slow queries that read only event tables" HQ_OPT_NOEFFECT)                     \
	X(enable_file_events, BOOL, "false", HQ_OPT_UNSUPPORTED, NULL,                             \
	  "Enable the inotify file_events table" HQ_OPT_NOEFFECT)                                  \
	X(enable_bpf_events, BOOL, "false", HQ_OPT_UNSUPPORTED, NULL,                              \
	  "Enable the eBPF event tables" HQ_OPT_NOEFFECT)                                          \
	X(hardware_disabled_types, STRING, "partition", HQ_OPT_UNSUPPORTED, NULL,                  \
	  "Comma-separated udev device types to ignore in hardware_events" HQ_OPT_NOEFFECT)        \
	X(enable_syslog, BOOL, "false", HQ_OPT_UNSUPPORTED, NULL,                                  \
	  "Enable the syslog_events publisher (rsyslog named pipe)" HQ_OPT_NOEFFECT)               \
	X(syslog_pipe_path, STRING, "/var/osquery/syslog_pipe", HQ_OPT_UNSUPPORTED, NULL,          \
	  "Named pipe rsyslog writes events to" HQ_OPT_NOEFFECT)                                   \
	X(syslog_rate_limit, UINT64, "100", HQ_OPT_UNSUPPORTED, NULL,                              \
	  "Most syslog lines read per publisher run" HQ_OPT_NOEFFECT)                              \
	X(disable_audit, BOOL, "true", HQ_OPT_UNSUPPORTED, NULL,                                   \
	  "Disable the Linux audit event publisher" HQ_OPT_NOEFFECT)                               \
	X(audit_allow_config, BOOL, "false", HQ_OPT_UNSUPPORTED, NULL,                             \
	  "Let the audit publisher change the audit configuration" HQ_OPT_NOEFFECT)                \
	X(audit_persist, BOOL, "true", HQ_OPT_UNSUPPORTED, NULL,                                   \
	  "Try to keep ownership of the audit netlink socket" HQ_OPT_NOEFFECT)                     \
	X(audit_allow_process_events, BOOL, "true", HQ_OPT_UNSUPPORTED, NULL,                      \
	  "Install audit rules for process_events" HQ_OPT_NOEFFECT)                                \
	X(audit_allow_fork_process_events, BOOL, "false", HQ_OPT_UNSUPPORTED, NULL,                \
	  "Also audit fork, vfork and clone in process_events" HQ_OPT_NOEFFECT)                    \
	X(audit_allow_kill_process_events, BOOL, "false", HQ_OPT_UNSUPPORTED, NULL,                \
	  "Also audit kill, tkill and tgkill in process_events" HQ_OPT_NOEFFECT)                   \
	X(audit_allow_sockets, BOOL, "false", HQ_OPT_UNSUPPORTED, NULL,                            \
	  "Install audit rules for socket_events" HQ_OPT_NOEFFECT)                                 \
	X(audit_allow_failed_socket_events, BOOL, "false", HQ_OPT_UNSUPPORTED, NULL,               \
	  "Include failed socket calls in socket_events" HQ_OPT_NOEFFECT)                          \
	X(audit_allow_accept_socket_events, BOOL, "true", HQ_OPT_UNSUPPORTED, NULL,                \
	  "Include accept calls in socket_events" HQ_OPT_NOEFFECT)                                 \
	X(audit_allow_null_accept_socket_events, BOOL, "false", HQ_OPT_UNSUPPORTED, NULL,          \
	  "Include non-blocking accept calls that found no client" HQ_OPT_NOEFFECT)                \
	X(audit_allow_unix, BOOL, "false", HQ_OPT_HIDDEN | HQ_OPT_UNSUPPORTED, NULL,               \
	  "Include UNIX domain sockets in socket_events" HQ_OPT_NOEFFECT)                          \
	X(audit_allow_user_events, BOOL, "true", HQ_OPT_UNSUPPORTED, NULL,                         \
	  "Collect audit user messages for user_events" HQ_OPT_NOEFFECT)                           \
	X(audit_allow_fim_events, BOOL, "false", HQ_OPT_UNSUPPORTED, NULL,                         \
	  "Install audit rules for process_file_events" HQ_OPT_NOEFFECT)                           \
	X(audit_allow_selinux_events, BOOL, "false", HQ_OPT_UNSUPPORTED, NULL,                     \
	  "Collect SELinux audit records for selinux_events" HQ_OPT_NOEFFECT)                      \
	X(audit_allow_apparmor_events, BOOL, "false", HQ_OPT_UNSUPPORTED, NULL,                    \
	  "Collect AppArmor audit records for apparmor_events" HQ_OPT_NOEFFECT)                    \
	X(audit_allow_seccomp_events, BOOL, "false", HQ_OPT_UNSUPPORTED, NULL,                     \
	  "Collect seccomp audit records for seccomp_events" HQ_OPT_NOEFFECT)                      \
	X(audit_force_reconfigure, BOOL, "false", HQ_OPT_UNSUPPORTED, NULL,                        \
	  "Remove all audit rules at start and configure from scratch" HQ_OPT_NOEFFECT)            \
	X(audit_force_unconfigure, BOOL, "false", HQ_OPT_UNSUPPORTED, NULL,                        \
	  "Remove the audit rules at exit even if they were there before" HQ_OPT_NOEFFECT)         \
	X(audit_backlog_limit, INT, "4096", HQ_OPT_UNSUPPORTED, NULL,                              \
	  "Kernel audit backlog limit to set" HQ_OPT_NOEFFECT)                                     \
	X(audit_backlog_wait_time, INT, "0", HQ_OPT_UNSUPPORTED, NULL,                             \
	  "Kernel audit backlog wait time to set" HQ_OPT_NOEFFECT)                                 \
	X(audit_debug, BOOL, "false", HQ_OPT_HIDDEN | HQ_OPT_UNSUPPORTED, NULL,                    \
	  "Print audit messages for debugging" HQ_OPT_NOEFFECT)                                    \
	X(audit_fim_debug, BOOL, "false", HQ_OPT_HIDDEN | HQ_OPT_UNSUPPORTED, NULL,                \
	  "Print process_file_events debugging messages" HQ_OPT_NOEFFECT)                          \
	X(audit_fim_show_accesses, BOOL, "false", HQ_OPT_HIDDEN | HQ_OPT_UNSUPPORTED, NULL,        \
	  "Also report file reads in process_file_events" HQ_OPT_NOEFFECT)                         \
	X(audit_show_partial_fim_events, BOOL, "false", HQ_OPT_HIDDEN | HQ_OPT_UNSUPPORTED, NULL,  \
	  "Report incomplete file events in process_file_events" HQ_OPT_NOEFFECT)                  \
	X(audit_show_untracked_res_warnings, BOOL, "false", HQ_OPT_HIDDEN | HQ_OPT_UNSUPPORTED,    \
	  NULL, "Warn about processes started before the agent" HQ_OPT_NOEFFECT)                   \
	X(enable_numeric_monitoring, BOOL, "false", HQ_OPT_UNSUPPORTED, NULL,                      \
	  "Enable numeric monitoring of the agent" HQ_OPT_NOEFFECT)                                \
	X(numeric_monitoring_plugins, STRING, "filesystem", HQ_OPT_UNSUPPORTED, NULL,              \
	  "Comma-separated numeric monitoring plugins" HQ_OPT_NOEFFECT)                            \
	X(numeric_monitoring_pre_aggregation_time, UINT64, "60", HQ_OPT_UNSUPPORTED, NULL,         \
	  "Seconds numeric monitoring points are aggregated before a flush" HQ_OPT_NOEFFECT)       \
	X(numeric_monitoring_filesystem_path, STRING, "/var/log/osquery/numeric_monitoring.log",   \
	  HQ_OPT_UNSUPPORTED, NULL,                                                                \
	  "File the filesystem numeric monitoring plugin appends to" HQ_OPT_NOEFFECT)

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

/* osquery's (gflags) name of a flag type: "bool", "int32", "string", "uint32", "uint64". */
const char *hq_option_type_to_string(hq_option_type t);

/* Parses osquery's boolean spellings (true/false, 1/0, yes/no, on/off, t/f, y/n; any case).
 * Returns 0, or -EINVAL with ret untouched. Every flag parser in the agent uses this one. */
int hq_options_parse_bool(const char *v, bool *ret);

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

/* The HQ_OPT_UNSUPPORTED flags set to something other than their default, as "a, b" in *ret
 * (NULL when there is none; caller frees). Returns how many, or -ENOMEM. */
int hq_options_unsupported_in_use(char **ret);

/* Prints "--name=default  description" lines for every visible flag (neither hidden nor
 * unsupported), then how many unsupported ones are accepted. */
void hq_options_usage(FILE *f);

/* The osquery_flags table over this flag table (agent/options/flags_table.c). */
struct hq_table_def;
extern const struct hq_table_def hq_table_osquery_flags;
