/* Shared glue of the tables that take paths from WHERE (file, hash): the host paths a path or
 * directory column's constraints name, and the boost-style path splitting osquery reports. */
#pragma once

#include <stddef.h>

#include "hq/query.h"

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
