/* The daemon's state database: an SQLite file (WAL) holding each scheduled query's last result
 * set, epoch and counter, the outgoing result-log queue, the denylist and small key/values
 * (instance uuid, the query being executed).
 *
 * Crash safety: hq_state_commit_result() writes the new result rows, the counter and the log
 * lines to deliver in ONE transaction. Lines are then delivered from the queue and deleted once
 * every logger took them; after a crash the queue still holds exactly the lines whose delivery
 * was not confirmed, so nothing is lost and the diff is never computed twice. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "hq/util.h"

typedef struct hq_state hq_state;

/* Opens (creating) the database at path; ":memory:" for a throw-away store. */
int hq_state_open(const char *path, hq_state **ret);
hq_state *hq_state_close(hq_state *st);
HQ_DEFINE_TRIVIAL_CLEANUP_FUNC(hq_state *, hq_state_close);

/* The stored result of query name. Returns 0 and sets *ret_rows (JSON array text, caller frees),
 * epoch and counter; -ENOENT when the query never stored a result. */
int hq_state_get_result(hq_state *st, const char *name, char **ret_rows, int64_t *ret_epoch,
			int64_t *ret_counter);

typedef struct hq_state_line {
	const char *line;
	bool is_snapshot;
} hq_state_line;

/* In one transaction: stores rows_json/epoch/counter for name (rows_json NULL: keep the stored
 * result, e.g. snapshots) and appends the lines to the log queue. Also clears the "executing"
 * marker. */
int hq_state_commit_result(hq_state *st, const char *name, const char *rows_json, int64_t epoch,
			   int64_t counter, const hq_state_line *lines, size_t n_lines);

/* Appends lines to the queue in one transaction (status-free results, e.g. replays). */
int hq_state_queue_lines(hq_state *st, const hq_state_line *lines, size_t n_lines);

/* Calls fn for each queued line in order, up to max lines; stops on fn's negative return.
 * *ret_last_id is the id of the last line fn accepted (0 when none). */
typedef int (*hq_state_line_fn)(int64_t id, const char *line, bool is_snapshot, void *userdata);
int hq_state_queue_foreach(hq_state *st, size_t max, hq_state_line_fn fn, void *userdata,
			   int64_t *ret_last_id);
/* Deletes queued lines with id <= last_id (delivered). */
int hq_state_queue_delete(hq_state *st, int64_t last_id);
int64_t hq_state_queue_size(hq_state *st);

/* Small persistent key/values. get returns -ENOENT when unset; value caller-owned. */
int hq_state_kv_get(hq_state *st, const char *key, char **ret_value);
int hq_state_kv_set(hq_state *st, const char *key, const char *value); /* NULL deletes */

/* Denylist: name until unix time `until`, with a reason. */
int hq_state_denylist_add(hq_state *st, const char *name, int64_t until, const char *reason);
/* Returns the until time (> now: denylisted), 0 when not listed; expired entries are removed. */
int64_t hq_state_denylist_until(hq_state *st, const char *name, int64_t now);
int hq_state_denylist_remove(hq_state *st, const char *name);

/* Forgets stored results of queries not in the keep list (NULL-terminated). */
int hq_state_prune_results(hq_state *st, const char *const *keep);
