/* Result rows, differentials and osquery's result log formats. Pure functions over jansson
 * values: rows are JSON objects {column: value} with typed values (strings for TEXT/NULL/BLOB,
 * integers, reals), exactly what the state database stores. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* One row from hq_engine_exec's callback: SQL NULL becomes "", non-printable bytes in text are
 * escaped as \xHH (osquery escapeResults). Returns a new object or NULL on OOM. */
json_t *hq_result_row_new(int n_cols, char **values, char **names, const int *types);

/* Multiset difference of two arrays of rows: a row of cur equal (all columns, typed) to a
 * remaining row of prev cancels it. Returns new arrays (empty when nothing changed). */
int hq_diff_rows(json_t *prev, json_t *cur, json_t **ret_added, json_t **ret_removed);

/* The metadata of one log item (osquery QueryLogItem). Borrowed strings. */
typedef struct hq_log_item {
	const char *name;
	const char *host_identifier;
	int64_t unix_time;
	int64_t epoch;
	int64_t counter;
	bool numerics;		    /* --logger_numerics */
	json_t *decorations;	    /* object or NULL */
	bool decorations_top_level; /* --decorations_top_level */
} hq_log_item;

/* "Sat May 16 03:35:36 2020 UTC" for a unix time. */
void hq_calendar_time(int64_t unix_time, char buf[64]);

/* Event format: one line per row, removed rows first; *ret_lines is a new array of strings. */
int hq_format_events(const hq_log_item *item, json_t *added, json_t *removed, json_t **ret_lines);
/* Batch format (diffResults); caller frees the line. */
char *hq_format_batch(const hq_log_item *item, json_t *added, json_t *removed);
/* Snapshot format (one line with every row); caller frees the line. */
char *hq_format_snapshot(const hq_log_item *item, json_t *rows);
/* Snapshot as events ("action":"snapshot" per row, --logger_snapshot_event_type). */
int hq_format_snapshot_events(const hq_log_item *item, json_t *rows, json_t **ret_lines);
