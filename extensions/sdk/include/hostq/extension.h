/* libhostq-extension: write hostq (and osquery) extensions in C.
 *
 * An extension is a separate executable that adds tables and logger/config/distributed plugins
 * to a running agent over its extension socket. A table extension:
 *
 *	#include <hostq/extension.h>
 *
 *	static const hq_extension_column columns[] = {
 *		{ "n", HQ_EXTENSION_INTEGER, HQ_EXTENSION_COL_INDEX },
 *		{ "name", HQ_EXTENSION_TEXT, 0 },
 *	};
 *
 *	static int generate(const hq_extension_context *ctx, hq_extension_rows *rows, void *ud)
 *	{
 *		for (int i = 1; i <= 3; i++) {
 *			hq_extension_row_begin(rows);
 *			hq_extension_row_set_int(rows, "n", i);
 *			hq_extension_row_set(rows, "name", "three");
 *		}
 *		return 0;
 *	}
 *
 *	int main(int argc, char **argv)
 *	{
 *		hq_extension *e = hq_extension_new("example", "1.0.0");
 *		hq_extension_add_table(e, "example", columns, 2, generate, NULL);
 *		return hq_extension_run(e, argc, argv);
 *	}
 *
 * hq_extension_run() parses --socket, --timeout, --interval and --verbose (the arguments the
 * agent passes to autoloaded extensions), waits for the manager socket with backoff, registers,
 * serves calls, pings the manager every interval and returns 0 when the agent goes away or asks
 * the extension to shut down. Callbacks run on the serving thread, one at a time.
 *
 * Functions return 0 or a negative errno. Strings passed in are copied; strings handed to
 * callbacks are borrowed for the call. */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define HQ_EXTENSION_SDK_VERSION "1.8.0"

typedef struct hq_extension hq_extension;
typedef struct hq_extension_rows hq_extension_rows;
typedef struct hq_extension_context hq_extension_context;

typedef enum hq_extension_col_type {
	HQ_EXTENSION_TEXT,
	HQ_EXTENSION_INTEGER,
	HQ_EXTENSION_BIGINT,
	HQ_EXTENSION_UNSIGNED_BIGINT,
	HQ_EXTENSION_DOUBLE,
	HQ_EXTENSION_BLOB,
} hq_extension_col_type;

/* Column options, osquery's ColumnOptions bits. */
enum {
	HQ_EXTENSION_COL_INDEX = 1 << 0,
	HQ_EXTENSION_COL_REQUIRED = 1 << 1,
	HQ_EXTENSION_COL_ADDITIONAL = 1 << 2,
	HQ_EXTENSION_COL_OPTIMIZED = 1 << 3,
	HQ_EXTENSION_COL_HIDDEN = 1 << 4,
};

typedef struct hq_extension_column {
	const char *name;
	hq_extension_col_type type;
	unsigned options;
} hq_extension_column;

/* Constraint operators as SQLite numbers them (what the agent sends). */
enum {
	HQ_EXTENSION_OP_EQ = 2,
	HQ_EXTENSION_OP_GT = 4,
	HQ_EXTENSION_OP_LE = 8,
	HQ_EXTENSION_OP_LT = 16,
	HQ_EXTENSION_OP_GE = 32,
	HQ_EXTENSION_OP_LIKE = 65,
	HQ_EXTENSION_OP_GLOB = 66,
	HQ_EXTENSION_OP_NE = 68,
};

/* ---- the query context of a generate call ---- */

/* The raw context JSON the agent sent ("{}" when it sent none). */
const char *hq_extension_context_json(const hq_extension_context *ctx);
/* The n-th constraint on column (0-based), or -ENOENT past the last one. */
int hq_extension_context_constraint(const hq_extension_context *ctx, const char *column, size_t n,
				    int *ret_op, const char **ret_expr);
/* Whether the query uses the column (true when the agent did not say). */
bool hq_extension_context_used(const hq_extension_context *ctx, const char *column);

/* ---- result rows (tables; config uses one row: source name -> JSON) ---- */

int hq_extension_row_begin(hq_extension_rows *rows);
/* Sets a value in the current row; NULL value leaves the cell NULL. */
int hq_extension_row_set(hq_extension_rows *rows, const char *column, const char *value);
int hq_extension_row_set_int(hq_extension_rows *rows, const char *column, int64_t value);
int hq_extension_row_set_double(hq_extension_rows *rows, const char *column, double value);
int hq_extension_row_setf(hq_extension_rows *rows, const char *column, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Makes the call fail with this message (the agent shows it as the SQL error). Returns r. */
int hq_extension_rows_error(hq_extension_rows *rows, int r, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

typedef int (*hq_extension_generate_fn)(const hq_extension_context *ctx, hq_extension_rows *rows,
					void *userdata);

/* ---- plugins ---- */

typedef struct hq_extension_logger {
	/* A result or other log line (JSON); category is "event" for scheduled results. */
	int (*log_string)(const char *line, const char *category, void *userdata);
	/* Optional: snapshot-mode results. NULL: they go to log_string with category
	 * "snapshot". */
	int (*log_snapshot)(const char *line, void *userdata);
	/* Optional: status log entries; non-NULL asks the agent to send them. */
	int (*log_status)(int severity, const char *file, int line, const char *message,
			  void *userdata);
	/* Optional: called once when the agent activates the logger. */
	int (*init)(const char *agent_name, void *userdata);
} hq_extension_logger;

/* A config plugin fills one row mapping source names to JSON config text. */
typedef int (*hq_extension_config_fn)(hq_extension_rows *rows, void *userdata);

typedef struct hq_extension_distributed {
	/* Returns (malloc'd) JSON {"queries": {...}, "discovery": {...}, "accelerate": N}. */
	int (*get_queries)(char **ret_json, void *userdata);
	/* Receives {"queries": ..., "statuses": ..., "messages": ..., "stats": ...}. */
	int (*write_results)(const char *json, void *userdata);
} hq_extension_distributed;

/* ---- the extension ---- */

hq_extension *hq_extension_new(const char *name, const char *version);
void hq_extension_free(hq_extension *e);

int hq_extension_add_table(hq_extension *e, const char *name, const hq_extension_column *columns,
			   size_t n_columns, hq_extension_generate_fn generate, void *userdata);
int hq_extension_add_logger(hq_extension *e, const char *name, const hq_extension_logger *logger,
			    void *userdata);
int hq_extension_add_config(hq_extension *e, const char *name, hq_extension_config_fn gen_config,
			    void *userdata);
int hq_extension_add_distributed(hq_extension *e, const char *name,
				 const hq_extension_distributed *distributed, void *userdata);

/* Parses the agent's arguments, registers and serves until the agent goes away, shuts the
 * extension down, or SIGTERM/SIGINT arrives. Returns the process exit status (0 on a clean
 * end, 1 on failure). Frees nothing: call hq_extension_free() afterwards if you care. */
int hq_extension_run(hq_extension *e, int argc, char **argv);

/* Logs to stderr when --verbose was given. */
void hq_extension_log(hq_extension *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#ifdef __cplusplus
}
#endif
