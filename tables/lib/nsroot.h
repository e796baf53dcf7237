/* pid_with_namespace support: a table reads the files a process sees by prefixing its host
 * paths with /proc/<pid>/root (its root in its own mount namespace). Absolute symlinks inside
 * that tree still resolve against the reader's root. */
#pragma once

#include <stddef.h>
#include <stdint.h>

typedef struct hq_nsroot {
	int64_t pid;	 /* 0: the reader's own view */
	char prefix[40]; /* "" or "/proc/<pid>/root" */
	char mntns[24];	 /* mount namespace inode of pid as text, "" for pid 0 */
} hq_nsroot;

/* Fills ret for pid (<= 0 means none). procfd is an open /proc. Returns 0, or -ESRCH when the
 * process does not exist (or its namespace link cannot be read). */
int hq_nsroot_resolve(int procfd, int64_t pid, hq_nsroot *ret);

typedef struct hq_query_ctx hq_query_ctx;
typedef struct hq_row_sink hq_row_sink;
typedef int (*hq_nsroot_scan_fn)(hq_query_ctx *ctx, hq_row_sink *sink, const hq_nsroot *ns);

/* Runs scan once per pid_with_namespace equality on column (a pid that does not exist gives
 * no rows), or once with the reader's own view when the column is unconstrained. Returns 0
 * (also when scan stopped at a LIMIT) or scan's negative errno. */
int hq_nsroot_generate(hq_query_ctx *ctx, hq_row_sink *sink, unsigned column,
		       hq_nsroot_scan_fn scan);
