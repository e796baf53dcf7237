/* What the running agent knows about itself, for the osquery_* introspection tables. The shell
 * or daemon fills it at start-up and updates it (config loads, extension state); tables read a
 * consistent copy. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

typedef struct hq_agent_info {
	const char *binary; /* "hostqi" or "hostqd" */
	int64_t pid;
	int64_t start_time;   /* epoch seconds */
	int64_t watcher_pid;  /* -1 when no watcher */
	char instance_id[40]; /* random per-install UUID (daemon state db), or per run */
	char config_hash[41]; /* sha1 hex of the active config, "" when none */
	bool config_valid;
	bool extensions_active; /* the extension manager socket answers */
} hq_agent_info;

/* Returns a copy of the current info (thread-safe). */
void hq_agent_info_get(hq_agent_info *ret);
/* Replaces the info (thread-safe); the binary string must be static. */
void hq_agent_info_set(const hq_agent_info *info);
