/* The extension manager as the shell and daemon see it: start it next to the engine, let the
 * engine's owning thread run queued work, stop it before freeing the engine. No GLib types
 * here; the Thrift side stays inside extensions/.
 *
 * Threads: the manager serves its socket, health-checks extensions and supervises autoloaded
 * ones on its own threads. Anything touching the engine (attaching or detaching extension
 * tables, `query`/`getQueryColumns` from extensions) is queued and runs only inside
 * hq_extensions_dispatch(), which the thread owning the engine calls when hq_extensions_fd()
 * is readable and before running SQL. */
#pragma once

#include <stdbool.h>

#include "hq/plugin.h"
#include "sql/engine.h"

typedef struct hq_ext_manager hq_ext_manager;

/* The agent's plugin registry (hq/plugin.h) and flags, handed in by hostqd so extension plugins
 * can be registered and core plugins reached; hostqi passes none (it selects no plugins, and
 * linking the registry would pull every built-in plugin's libraries into the shell). The
 * manager reaches the daemon's flags only through here, so it never links the option table. */
typedef struct hq_ext_plugin_registry {
	int (*register_plugin)(hq_plugin_kind kind, const void *vtable, void *state);
	const void *(*find)(hq_plugin_kind kind, const char *name, void **ret_state);
	const void *(*nth)(hq_plugin_kind kind, size_t n, const char **ret_name);
	void (*sources_free)(hq_config_source *sources, size_t n);
	/* The selection flag of a kind: --config_plugin, --logger_plugin (comma-separated),
	 * --distributed_plugin; NULL when unset. Engine thread only. */
	const char *(*selected)(hq_plugin_kind kind);
	/* Calls fn for every agent flag (the manager's `options` call; type is osquery's: "bool",
	 * "int32" or "string"). Engine thread only. */
	void (*options)(void (*fn)(void *ud, const char *name, const char *value,
				   const char *default_value, const char *type),
			void *ud);
} hq_ext_plugin_registry;

typedef struct hq_ext_config {
	bool shell;		 /* hostqi: per-user default socket; else hostqd's /var/run one */
	bool disable;		 /* --disable_extensions */
	const char *socket_path; /* --extensions_socket; NULL: the default for shell/daemon */
	const char *autoload;	 /* --extensions_autoload file; NULL/"": none */
	const char *extension;	 /* --extension: one extension path (no file checks) */
	const char *require;	 /* --extensions_require: comma-separated names */
	const char *timeout;	 /* --extensions_timeout seconds (osquery: string "3") */
	const char *interval;	 /* --extensions_interval seconds ("3") */
	unsigned thrift_timeout; /* --thrift_timeout seconds for core->extension calls; 0: 300 */
	bool allow_unsafe;	 /* --allow_unsafe: skip autoload ownership/permission checks */
	bool verbose;		 /* --verbose: passed on to autoloaded extensions */
	const hq_ext_plugin_registry *plugins; /* NULL: no plugin proxies, no core calls */
} hq_ext_config;

#define HQ_EXT_DEFAULT_DAEMON_SOCKET "/var/run/hostq.em"

/* Consumes one extension flag (name without dashes). Returns 1 when it was one of ours, 0 when
 * not, -EINVAL for a bad value. String values are borrowed: keep them alive. */
int hq_extensions_parse_flag(hq_ext_config *cfg, const char *name, const char *value);

/* Registers the osquery_extensions / osquery_registry tables, then (unless disabled) opens the
 * manager socket, launches autoloaded extensions and waits for --extensions_require names.
 * Call on the engine's owning thread. Fails (-ETIMEDOUT) when a required extension did not
 * register in time, or when the socket cannot be set up. */
int hq_extensions_start(hq_engine *engine, const hq_ext_config *cfg, hq_ext_manager **ret);

/* An fd that becomes readable when engine work is queued (for poll/sd-event). -1 when
 * extensions are disabled. */
int hq_extensions_fd(hq_ext_manager *m);

/* Runs queued engine work on the calling (owning) thread. Returns how many items ran. */
int hq_extensions_dispatch(hq_ext_manager *m);

/* Waits up to timeout_ms for the extensions launched by autoload/--extension to register,
 * dispatching meanwhile (a one-shot hostqi query wants their tables). */
void hq_extensions_wait_autoloaded(hq_ext_manager *m, int timeout_ms);

/* Waits up to --extensions_timeout for a plugin of that kind and name to be registered (core or
 * extension), dispatching meanwhile. 0 when present, -ENOENT after the timeout (at once when
 * extensions are disabled). For --config_plugin/--logger_plugin/--distributed_plugin naming a
 * plugin an autoloaded extension provides. */
int hq_extensions_wait_plugin(hq_ext_manager *m, hq_plugin_kind kind, const char *name);

/* Sends shutdown() to registered extensions, stops serving, terminates launched extensions
 * (SIGTERM, SIGKILL after a grace period), removes the sockets and the extension tables. Call on
 * the owning thread before hq_engine_free(). NULL is fine. */
void hq_extensions_stop(hq_ext_manager *m);

/* The manager socket path in use (NULL when disabled). */
const char *hq_extensions_socket(hq_ext_manager *m);
