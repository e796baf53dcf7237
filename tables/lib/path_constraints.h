/* Shared glue of the tables that take paths from WHERE (file, hash): the host paths a path or
 * directory column's constraints name, the generator walking them, and the boost-style path
 * splitting osquery reports. */
#pragma once

#include <stddef.h>

#include "hq/query.h"
#include "hq/row.h"

/* Collects the paths named by column's constraints: '=' (and IN) values exactly as written,
 * LIKE patterns expanded with hq_glob_expand() below the context's root using glob_flags.
 * Sorted, without duplicates, NULL-terminated (free with hq_glob_free()). Returns 0 or -errno
 * after setting the context's error. */
int hq_path_constraints_collect(hq_query_ctx *ctx, unsigned column, unsigned glob_flags,
				char ***ret_paths, size_t *ret_n);

/* The real path of a host path: root + path, or path itself when the root is "". Returns NULL
 * for a relative path below a root (nothing to look at) or on OOM. Caller frees. */
char *hq_path_below_root(hq_query_ctx *ctx, const char *path);

/* Last component as boost::filesystem::path::filename() gives it: "." for a path ending in
 * '/', "/" for the root. Caller frees; NULL on OOM. */
char *hq_path_filename(const char *path);

/* The parent as boost::filesystem::path::parent_path() gives it: "/a/b" for "/a/b/" and
 * "/a/b/c", "/" for "/a", "" for "/" and for a bare name. Caller frees; NULL on OOM. */
char *hq_path_parent(const char *path);

/* dir joined with name, adding a '/' only when dir does not end with one. Caller frees. */
char *hq_path_join(const char *dir, const char *name);

/* The entry names of the directory at real (a real path, root included), without "." and "..",
 * sorted (readdir order is arbitrary), NULL-terminated (free with hq_glob_free()). Returns 0 with
 * *ret_names NULL when the directory cannot be opened, or -ENOMEM. */
int hq_path_list_dir(const char *real, char ***ret_names, size_t *ret_n);

/* Emits the row(s) of one host path; directory is the value of the table's directory column.
 * Returns what hq_row_commit() does (0, > 0 when a LIMIT is reached) or a negative errno. */
typedef int (*hq_path_emit_fn)(hq_query_ctx *ctx, hq_row_sink *sink, const char *path,
			       const char *directory);

/* The generator of a table keyed by a path and a directory column (file, hash): emits every path
 * the path column's constraints name (LIKE expanded with path_glob_flags), with its parent as
 * directory, then every entry of each directory the directory column's constraints name, in
 * name order; a directory that cannot be listed is skipped. Errors are reported through
 * hq_ctx_error() as "<table>: <error>". */
int hq_path_constraints_generate(hq_query_ctx *ctx, hq_row_sink *sink, unsigned path_column,
				 unsigned path_glob_flags, unsigned directory_column,
				 hq_path_emit_fn emit);
