/* The SQL engine: one SQLite connection with every table registered, the authorizer, the SQL
 * functions and collations, a time budget and a memory cap. Used by hostqi, hostqd, the
 * extension manager and the test harness; tables never see it. */
#pragma once

#include <sqlite3.h>
#include <stdint.h>

#include "hq/table.h"
#include "hq/util.h"

typedef struct hq_engine hq_engine;

typedef struct hq_engine_config {
	const char *root;	  /* host-path root; NULL or "/" for the real root */
	int64_t heap_limit;	  /* sqlite3_hard_heap_limit64 bytes; 0 = no cap */
	int64_t query_timeout_ms; /* per statement wall-clock budget; 0 = none */
	int64_t scan_max_bytes;	  /* per scan arena cap; 0 = default (1 GiB) */
} hq_engine_config;

/* Opens an in-memory database and registers the built-in tables. */
int hq_engine_new(const hq_engine_config *config, hq_engine **ret);
hq_engine *hq_engine_free(hq_engine *e);
HQ_DEFINE_TRIVIAL_CLEANUP_FUNC(hq_engine *, hq_engine_free);

sqlite3 *hq_engine_db(hq_engine *e);

/* Registers a table (built-in or an extension proxy). def must outlive the engine or its
 * removal. -EEXIST when a table of that name exists. Table aliases become TEMP views. */
int hq_engine_add_table(hq_engine *e, const hq_table_def *def);
/* Removes a table added with hq_engine_add_table (extension went away). */
int hq_engine_remove_table(hq_engine *e, const char *name);
const hq_table_def *hq_engine_find_table(hq_engine *e, const char *name);
/* Tables in name order; *ret_tables is borrowed until the next add/remove. */
size_t hq_engine_tables(hq_engine *e, const hq_table_def *const **ret_tables);

/* The CREATE TABLE statement osquery would declare for def (caller frees). */
char *hq_table_schema_sql(const hq_table_def *def);

/* Arms the time budget for the next statement(s); call before sqlite3_step loops. */
void hq_engine_begin_query(hq_engine *e);

/* Callback for hq_engine_exec: one row, values as text (NULL for SQL NULL), with column names
 * and SQLite's value types. Return non-zero to stop. */
typedef int (*hq_exec_row_fn)(int n_cols, char **values, char **names, const int *types,
			      void *userdata);
/* Runs every statement in sql. On failure returns a negative errno and, when ret_error is
 * not NULL, the SQLite error message (caller frees). */
int hq_engine_exec(hq_engine *e, const char *sql, hq_exec_row_fn fn, void *userdata,
		   char **ret_error);
