/* Table definitions: what a table file exports. A table is a static column array plus a
 * generate callback; the generic SQLite bridge (agent/sql/vtab.c) does everything else. */
#pragma once

#include <stddef.h>

#define HQ_TABLE_ABI_VERSION 1

/* Column types with osquery's names; the CREATE TABLE text uses exactly these. */
typedef enum hq_col_type {
	HQ_TYPE_TEXT,
	HQ_TYPE_INTEGER,
	HQ_TYPE_BIGINT,
	HQ_TYPE_UNSIGNED_BIGINT,
	HQ_TYPE_DOUBLE,
	HQ_TYPE_BLOB,
	_HQ_TYPE_MAX,
} hq_col_type;

/* Column options, bit-compatible with osquery's ColumnOptions. */
enum {
	HQ_COL_INDEX = 1 << 0,	    /* constraints are pushed down; a join on it is cheap */
	HQ_COL_REQUIRED = 1 << 1,   /* the table cannot run without a constraint on it */
	HQ_COL_ADDITIONAL = 1 << 2, /* an input that changes what is generated */
	HQ_COL_OPTIMIZED = 1 << 3,  /* IN (...) arrives as one list, not one scan per value */
	HQ_COL_HIDDEN = 1 << 4,	    /* not part of SELECT * */
	HQ_COL_COLLATE_BINARY = 1 << 5,
	HQ_COL_COLLATE_NOCASE = 1 << 6,
	HQ_COL_COLLATE_RTRIM = 1 << 7,
	HQ_COL_COLLATE_VERSION = 1 << 8,
	HQ_COL_COLLATE_VERSION_ARCH = 1 << 9,
	HQ_COL_COLLATE_VERSION_DPKG = 1 << 10,
	HQ_COL_COLLATE_VERSION_RHEL = 1 << 11,
};

/* Shorthand for input columns such as deb_packages.admindir. */
#define HQ_COL_INPUT (HQ_COL_ADDITIONAL | HQ_COL_HIDDEN)

typedef struct hq_column {
	const char *name;
	hq_col_type type;
	unsigned flags;
	const char *description;
	/* For osquery's column aliases (time.date_time): the name of the real column this one
	 * mirrors. Alias columns are hidden and never set by the generator. */
	const char *alias_of;
} hq_column;

enum {
	/* Not usable from triggers or views of a hostile schema: for tables exposing file data
	 * or secrets (SQLITE_VTAB_DIRECTONLY). */
	HQ_TABLE_DIRECTONLY = 1 << 0,
	HQ_TABLE_CACHEABLE = 1 << 1,
	HQ_TABLE_UTILITY = 1 << 2,
	/* Declared only so queries naming it parse; generate may be NULL (osquery's foreign
	 * tables). */
	HQ_TABLE_FOREIGN = 1 << 3,
};

typedef struct hq_query_ctx hq_query_ctx;
typedef struct hq_row_sink hq_row_sink;

/* Generates the rows for one scan. Returns 0 (also when a pushed-down LIMIT stopped it early),
 * or a negative errno after hq_ctx_error() set the message the user sees. A missing data
 * source is 0 rows, not an error. */
typedef int (*hq_generate_fn)(hq_query_ctx *ctx, hq_row_sink *sink);

typedef struct hq_table_def {
	unsigned version; /* HQ_TABLE_ABI_VERSION */
	const char *name;
	const char *description;
	const hq_column *columns;
	size_t n_columns;
	unsigned flags;
	/* NULL-terminated list of view names that alias the table (etc_hosts -> hosts). */
	const char *const *aliases;
	hq_generate_fn generate;
	/* Opaque data for dynamically defined tables (extension proxies); reached through
	 * hq_ctx_table(ctx)->userdata. */
	void *userdata;
} hq_table_def;

/* The built-in table list, generated from tables/tables.list. NULL-terminated. */
extern const hq_table_def *const hq_builtin_tables[];
