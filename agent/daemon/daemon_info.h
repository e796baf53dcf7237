/* Read-only view of the worker's schedule and packs for the introspection tables
 * (osquery_schedule, osquery_packs). Pointers are borrowed until the next config load; the
 * worker is single-threaded, so tables read them between scheduler ticks. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct hq_query_stats {
	const char *name;
	const char *query;
	int64_t interval;
	int64_t executions;
	int64_t last_executed;
	int64_t denylisted_until; /* unix time, 0 when not denylisted */
	int64_t output_size;
	int64_t wall_time_ms;
	int64_t last_wall_time_ms;
	int64_t user_time;
	int64_t last_user_time;
	int64_t system_time;
	int64_t last_system_time;
	int64_t average_memory;
	int64_t last_memory;
} hq_query_stats;

typedef struct hq_pack_info {
	const char *name;
	const char *platform;
	const char *version;
	int shard;
	int64_t discovery_cache_hits;
	int64_t discovery_executions;
	bool active;
} hq_pack_info;

/* Both return 0 entries outside hostqd. */
size_t hq_daemon_query_stats(const hq_query_stats **ret);
size_t hq_daemon_pack_info(const hq_pack_info **ret);
