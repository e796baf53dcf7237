/* The scheduler's timing core: a min-heap of query slots keyed by their next run on
 * CLOCK_MONOTONIC. Pure: the caller passes the clock readings in (tests use a fake clock) and
 * runs the queries; this module only decides when.
 *
 * Timing is osquery's: each query has a splayed interval (interval ± splay_percent, fixed per
 * query name so restarts keep it) and first runs at the next multiple of that interval in unix
 * time (osquery runs a query when unix_time % interval == 0). After a run the next one is
 * previous + interval, so runs do not drift; a run that fell behind is clamped to now. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hq/util.h"

#define HQ_USEC_PER_SEC UINT64_C(1000000)

typedef struct hq_schedule hq_schedule;

hq_schedule *hq_schedule_new(void);
hq_schedule *hq_schedule_free(hq_schedule *s);
HQ_DEFINE_TRIVIAL_CLEANUP_FUNC(hq_schedule *, hq_schedule_free);

/* The splayed interval for a query: interval ± up to splay_percent %, chosen deterministically
 * from seed (the query name). Percent outside 1..100 leaves the interval unchanged. */
int64_t hq_schedule_splay(int64_t interval, int64_t splay_percent, const char *seed);

/* Adds slot id with the given (already splayed) interval in seconds. now_mono is the monotonic
 * clock in µs, now_unix the wall clock in seconds (only used to align the first run). */
int hq_schedule_add(hq_schedule *s, size_t id, int64_t interval, uint64_t now_mono,
		    int64_t now_unix);
/* Same, but the first run is at now_mono (osquery startup_priority). */
int hq_schedule_add_now(hq_schedule *s, size_t id, int64_t interval, uint64_t now_mono);

size_t hq_schedule_size(const hq_schedule *s);
/* The earliest next run; false when the schedule is empty. */
bool hq_schedule_peek(const hq_schedule *s, uint64_t *ret_next);
/* When the earliest slot is due at now_mono, returns true with its id and its planned time, and
 * re-queues it at planned + interval (clamped to now_mono when that is already past). */
bool hq_schedule_pop_due(hq_schedule *s, uint64_t now_mono, size_t *ret_id, uint64_t *ret_planned);
/* The interval of slot id in seconds, -ENOENT when absent. */
int64_t hq_schedule_interval(const hq_schedule *s, size_t id);
