/* Pure parsers for per-process procfs files (/proc/<pid>/{stat,status,io,cmdline,cgroup}) and
 * the btime line of /proc/stat. Every function takes a buffer and its length (no NUL needed),
 * never reads past it, never allocates and never logs. Malformed input is -EBADMSG. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* /proc/<pid>/stat. comm points into the parsed buffer (not NUL-terminated): it is taken
 * between the first '(' and the last ')', because a task may name itself "a) (b". */
typedef struct hq_proc_stat {
	const char *comm;
	size_t comm_len;
	char state;
	int64_t ppid;
	int64_t pgrp;
	uint64_t flags; /* PF_* task flags */
	uint64_t utime; /* clock ticks */
	uint64_t stime; /* clock ticks */
	int64_t nice;
	int64_t num_threads;
	uint64_t starttime; /* clock ticks after boot */
	uint64_t vsize;	    /* bytes (the same counter as status VmSize) */
	int64_t rss;	    /* pages (the same counters as status VmRSS) */
} hq_proc_stat;

/* Task flag of kernel threads in hq_proc_stat.flags (include/linux/sched.h). */
#define HQ_PF_KTHREAD 0x00200000u

/* Parses one stat line. Returns 0, or -EBADMSG when the comm parentheses or one of the
 * numeric fields up to rss (field 24) are missing or not numbers. */
int hq_procfs_parse_stat(const char *buf, size_t len, hq_proc_stat *ret);

enum {
	HQ_PROC_STATUS_UID = 1 << 0,
	HQ_PROC_STATUS_GID = 1 << 1,
	HQ_PROC_STATUS_THREADS = 1 << 2,
	HQ_PROC_STATUS_VMRSS = 1 << 3, /* absent for kernel threads */
	HQ_PROC_STATUS_VMSIZE = 1 << 4,
	HQ_PROC_STATUS_NAME = 1 << 5,
	HQ_PROC_STATUS_STATE = 1 << 6,
	HQ_PROC_STATUS_PPID = 1 << 7,
	HQ_PROC_STATUS_KTHREAD = 1 << 8, /* "Kthread:" line (Linux 6.x) */
};

/* /proc/<pid>/status: the fields hostq uses. uid/gid are {real, effective, saved}. name points
 * into the parsed buffer and is escaped as the kernel prints it (see
 * hq_procfs_unescape_name). */
typedef struct hq_proc_status {
	unsigned fields; /* HQ_PROC_STATUS_* present in the input */
	const char *name;
	size_t name_len;
	char state;
	int64_t ppid;
	bool kthread;
	int64_t uid[3];
	int64_t gid[3];
	int64_t threads;
	int64_t vm_rss_kb;
	int64_t vm_size_kb;
} hq_proc_status;

/* Parses status. Lines it does not know are skipped; a known line with a malformed value is
 * -EBADMSG. A file without Uid: and Gid: lines is -EBADMSG too (every task has them). */
int hq_procfs_parse_status(const char *buf, size_t len, hq_proc_status *ret);

/* Undoes the kernel's escaping of the status Name: line ("\\n" for a newline, "\\\\" for a
 * backslash), so the result equals the raw comm of stat. Writes at most out_size bytes (no
 * NUL) and returns the length written. */
size_t hq_procfs_unescape_name(const char *name, size_t len, char *out, size_t out_size);

enum {
	HQ_PROC_IO_READ_BYTES = 1 << 0,
	HQ_PROC_IO_WRITE_BYTES = 1 << 1,
	HQ_PROC_IO_CANCELLED_WRITE_BYTES = 1 << 2,
};

typedef struct hq_proc_io {
	unsigned fields; /* HQ_PROC_IO_* present in the input */
	uint64_t read_bytes;
	uint64_t write_bytes;
	uint64_t cancelled_write_bytes;
} hq_proc_io;

/* Parses /proc/<pid>/io. Returns 0, or -EBADMSG for a malformed known line or when none of
 * the three byte counters is present. */
int hq_procfs_parse_io(const char *buf, size_t len, hq_proc_io *ret);

/* Turns /proc/<pid>/cmdline into text in place: trailing NULs are dropped (a process may pad
 * its rewritten argv with them), the remaining NULs become spaces. Returns the new length;
 * the buffer is not NUL-terminated by this function. */
size_t hq_procfs_cmdline_to_text(char *buf, size_t len);

/* Finds the cgroup path of /proc/<pid>/cgroup: the unified (v2, "0::") entry, else the first
 * entry. ret_path points into buf. Returns 0, -ENODATA for an empty file, -EBADMSG if the
 * chosen line has no "id:controllers:" prefix. */
int hq_procfs_parse_cgroup(const char *buf, size_t len, const char **ret_path,
			   size_t *ret_path_len);

/* Finds "btime <seconds>" in /proc/stat. Returns 0, -ENODATA if absent, -EBADMSG if not a
 * number. */
int hq_procfs_parse_btime(const char *buf, size_t len, int64_t *ret);
