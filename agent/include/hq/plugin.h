/* Plugin vtables for loggers, config sources and distributed-query sources. Built-in plugins
 * (plugins/<kind>/<name>.c) and extension proxies (extensions/manager) implement the same
 * versioned structs, so the daemon cannot tell them apart (libgit2's backend idea).
 *
 * Ownership: hq_plugin_register() takes `state` on every path, including failure, and frees it
 * with the vtable's free(). Every string handed to a callback is borrowed for the call. */
#pragma once

#include <stdint.h>

#include "hq/util.h"

#define HQ_PLUGIN_ABI_VERSION 1

typedef enum hq_plugin_kind {
	HQ_PLUGIN_LOGGER,
	HQ_PLUGIN_CONFIG,
	HQ_PLUGIN_DISTRIBUTED,
	_HQ_PLUGIN_KIND_MAX,
	_HQ_PLUGIN_KIND_INVALID = -EINVAL,
} hq_plugin_kind;

/* One status log entry, osquery's fields (remote.md "s, f, i, m, h, c, u"). */
typedef struct hq_status_entry {
	int severity; /* 0 info, 1 warning, 2 error, 3 fatal */
	const char *filename;
	int line;
	const char *message;
	const char *host_identifier;
	const char *calendar_time;
	int64_t unix_time;
} hq_status_entry;

typedef struct hq_logger_plugin {
	unsigned version; /* HQ_PLUGIN_ABI_VERSION */
	const char *name;
	/* Called once when the plugin becomes active; name is the binary name (hostqd). */
	int (*init)(void *state, const char *name);
	/* One result line: a JSON object in event, batch or snapshot format, no newline.
	 * is_snapshot selects osquery's snapshot stream (hostqd.snapshots.log). */
	int (*log_result)(void *state, const char *json_line, int is_snapshot);
	/* A batch of status entries; optional (NULL: status logs are not wanted). */
	int (*log_status)(void *state, const hq_status_entry *entries, size_t n);
	/* Optional: push buffered lines out (called before stop and after each schedule tick). */
	int (*flush)(void *state);
	void (*free)(void *state);
	/* Optional, for crash recovery: returns 1 when json_line is already stored by this
	 * logger (a line delivered just before a crash whose delivery was not confirmed), 0 when
	 * not. Called in queue order at start-up for re-delivered lines; a call with a NULL line
	 * ends the replay (the plugin may drop what it cached). */
	int (*already_logged)(void *state, const char *json_line, int is_snapshot);
} hq_logger_plugin;

/* A config source: name (e.g. the file path) and its JSON text. */
typedef struct hq_config_source {
	char *name;
	char *json;
} hq_config_source;

typedef struct hq_config_plugin {
	unsigned version;
	const char *name;
	/* Produces the config sources; the caller frees them with hq_config_sources_free(). */
	int (*gen_config)(void *state, hq_config_source **ret_sources, size_t *ret_n);
	/* Optional: the JSON text of a pack referenced by name (osquery genPack). */
	int (*gen_pack)(void *state, const char *name, const char *value, char **ret_json);
	void (*free)(void *state);
} hq_config_plugin;

typedef struct hq_distributed_plugin {
	unsigned version;
	const char *name;
	/* Returns the JSON text {"queries": {...}, "discovery": {...}, "accelerate": N}. */
	int (*get_queries)(void *state, char **ret_json);
	/* results_json: {"queries": {...}, "statuses": {...}, "messages": {...}, "stats": {...}} */
	int (*write_results)(void *state, const char *results_json);
	void (*free)(void *state);
} hq_distributed_plugin;

void hq_config_sources_free(hq_config_source *sources, size_t n);

/* The plugin registry: one per kind. vtable is a hq_logger_plugin, hq_config_plugin or
 * hq_distributed_plugin matching kind; it must outlive its registration. Takes ownership of
 * state on every path (freed with the vtable's free() on failure or removal). -EEXIST when a
 * plugin of that kind and name is registered, -EINVAL for a wrong ABI version. */
int hq_plugin_register(hq_plugin_kind kind, const void *vtable, void *state);
/* Removes and frees a registered plugin; -ENOENT when absent. */
int hq_plugin_unregister(hq_plugin_kind kind, const char *name);
/* Looks a plugin up; the vtable and *ret_state are borrowed until it is unregistered. */
const void *hq_plugin_find(hq_plugin_kind kind, const char *name, void **ret_state);
/* The n-th plugin of a kind in registration order (NULL past the end), for osquery_registry. */
const void *hq_plugin_nth(hq_plugin_kind kind, size_t n, const char **ret_name);
/* Unregisters everything (exit, tests). */
void hq_plugin_registry_clear(void);
/* Registers the built-in plugins listed in plugins/plugins.list (those already present are
 * skipped). */
int hq_plugins_register_builtin(void);
