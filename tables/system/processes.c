/* processes: one row per process in /proc (threads are not listed).
 * Source: <root>/proc/<pid>/{stat,status,cmdline,io,cgroup} and the exe, cwd and root links,
 * <root>/proc/stat for the boot time. Other users' io, exe, cwd and root need root privileges
 * (those cells are NULL otherwise).
 * Example: SELECT pid, name, cmdline FROM processes WHERE pid IN (1, 2);
 *
 * The scan is column-aware: a file is opened only when a column of the query needs it. status,
 * the most expensive read, is read only for uid/gid/suid/sgid, or for euid/egid when the pid
 * directory's owner cannot be trusted; when it is read it also serves name, state, parent,
 * threads and the sizes, so stat is skipped if nothing else needs it. Kernel threads (known
 * from stat's flags) skip status, cmdline and exe. pid = / IN constraints read only those
 * pids. */
#include <assert.h>
#include <dirent.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "hq/query.h"
#include "hq/row.h"
#include "hq/table.h"
#include "lib/procfs.h"

enum {
	COL_PID,
	COL_NAME,
	COL_PATH,
	COL_CMDLINE,
	COL_STATE,
	COL_CWD,
	COL_ROOT,
	COL_UID,
	COL_GID,
	COL_EUID,
	COL_EGID,
	COL_SUID,
	COL_SGID,
	COL_ON_DISK,
	COL_WIRED_SIZE,
	COL_RESIDENT_SIZE,
	COL_TOTAL_SIZE,
	COL_USER_TIME,
	COL_SYSTEM_TIME,
	COL_DISK_BYTES_READ,
	COL_DISK_BYTES_WRITTEN,
	COL_START_TIME,
	COL_PARENT,
	COL_PGROUP,
	COL_THREADS,
	COL_NICE,
	COL_CGROUP_PATH,
	COL_ELEVATED_TOKEN,
	COL_SECURE_PROCESS,
	COL_PROTECTION_TYPE,
	COL_VIRTUAL_PROCESS,
	COL_ELAPSED_TIME,
	COL_HANDLE_COUNT,
	COL_PERCENT_PROCESSOR_TIME,
	COL_UPID,
	COL_UPPID,
	COL_CPU_TYPE,
	COL_CPU_SUBTYPE,
	COL_TRANSLATED,
	_COL_MAX,
};

static const hq_column columns[] = {
	[COL_PID] = {"pid", HQ_TYPE_BIGINT, HQ_COL_INDEX | HQ_COL_OPTIMIZED,
		     "Process (or thread) ID"},
	[COL_NAME] = {"name", HQ_TYPE_TEXT, 0, "The process path or shorthand argv[0]"},
	[COL_PATH] = {"path", HQ_TYPE_TEXT, 0, "Path to executed binary"},
	[COL_CMDLINE] = {"cmdline", HQ_TYPE_TEXT, 0, "Complete argv"},
	[COL_STATE] = {"state", HQ_TYPE_TEXT, 0, "Process state"},
	[COL_CWD] = {"cwd", HQ_TYPE_TEXT, 0, "Process current working directory"},
	[COL_ROOT] = {"root", HQ_TYPE_TEXT, 0, "Process virtual root directory"},
	[COL_UID] = {"uid", HQ_TYPE_BIGINT, 0, "Unsigned user ID"},
	[COL_GID] = {"gid", HQ_TYPE_BIGINT, 0, "Unsigned group ID"},
	[COL_EUID] = {"euid", HQ_TYPE_BIGINT, 0, "Unsigned effective user ID"},
	[COL_EGID] = {"egid", HQ_TYPE_BIGINT, 0, "Unsigned effective group ID"},
	[COL_SUID] = {"suid", HQ_TYPE_BIGINT, 0, "Unsigned saved user ID"},
	[COL_SGID] = {"sgid", HQ_TYPE_BIGINT, 0, "Unsigned saved group ID"},
	[COL_ON_DISK] = {"on_disk", HQ_TYPE_INTEGER, 0,
			 "The process path exists yes=1, no=0, unknown=-1"},
	[COL_WIRED_SIZE] = {"wired_size", HQ_TYPE_BIGINT, 0, "Bytes of unpageable memory used"},
	[COL_RESIDENT_SIZE] = {"resident_size", HQ_TYPE_BIGINT, 0, "Bytes of private memory used"},
	[COL_TOTAL_SIZE] = {"total_size", HQ_TYPE_BIGINT, 0, "Total virtual memory size"},
	[COL_USER_TIME] = {"user_time", HQ_TYPE_BIGINT, 0,
			   "CPU time in milliseconds spent in user space"},
	[COL_SYSTEM_TIME] = {"system_time", HQ_TYPE_BIGINT, 0,
			     "CPU time in milliseconds spent in kernel space"},
	[COL_DISK_BYTES_READ] = {"disk_bytes_read", HQ_TYPE_BIGINT, 0, "Bytes read from disk"},
	[COL_DISK_BYTES_WRITTEN] = {"disk_bytes_written", HQ_TYPE_BIGINT, 0,
				    "Bytes written to disk"},
	[COL_START_TIME] = {"start_time", HQ_TYPE_BIGINT, 0,
			    "Process start time in seconds since Epoch, in case of error -1"},
	[COL_PARENT] = {"parent", HQ_TYPE_BIGINT, 0, "Process parent's PID"},
	[COL_PGROUP] = {"pgroup", HQ_TYPE_BIGINT, 0, "Process group"},
	[COL_THREADS] = {"threads", HQ_TYPE_INTEGER, 0, "Number of threads used by process"},
	[COL_NICE] = {"nice", HQ_TYPE_INTEGER, 0, "Process nice level (-20 to 20, default 0)"},
	[COL_CGROUP_PATH] = {"cgroup_path", HQ_TYPE_TEXT, 0,
			     "The full hierarchical path of the process's control group"},
	[COL_ELEVATED_TOKEN] = {"elevated_token", HQ_TYPE_INTEGER, HQ_COL_HIDDEN,
				"Process uses elevated token (Windows only)"},
	[COL_SECURE_PROCESS] = {"secure_process", HQ_TYPE_INTEGER, HQ_COL_HIDDEN,
				"Process is secure (Windows only)"},
	[COL_PROTECTION_TYPE] = {"protection_type", HQ_TYPE_TEXT, HQ_COL_HIDDEN,
				 "The protection type of the process (Windows only)"},
	[COL_VIRTUAL_PROCESS] = {"virtual_process", HQ_TYPE_INTEGER, HQ_COL_HIDDEN,
				 "Process is virtual (Windows only)"},
	[COL_ELAPSED_TIME] = {"elapsed_time", HQ_TYPE_BIGINT, HQ_COL_HIDDEN,
			      "Elapsed time in seconds (Windows only)"},
	[COL_HANDLE_COUNT] = {"handle_count", HQ_TYPE_BIGINT, HQ_COL_HIDDEN,
			      "Total number of handles (Windows only)"},
	[COL_PERCENT_PROCESSOR_TIME] = {"percent_processor_time", HQ_TYPE_BIGINT, HQ_COL_HIDDEN,
					"Processor time share (Windows only)"},
	[COL_UPID] = {"upid", HQ_TYPE_BIGINT, HQ_COL_HIDDEN, "64-bit unique pid (macOS only)"},
	[COL_UPPID] = {"uppid", HQ_TYPE_BIGINT, HQ_COL_HIDDEN,
		       "Parent's 64-bit unique pid (macOS only)"},
	[COL_CPU_TYPE] = {"cpu_type", HQ_TYPE_INTEGER, HQ_COL_HIDDEN, "CPU type (macOS only)"},
	[COL_CPU_SUBTYPE] = {"cpu_subtype", HQ_TYPE_INTEGER, HQ_COL_HIDDEN,
			     "CPU subtype (macOS only)"},
	[COL_TRANSLATED] = {"translated", HQ_TYPE_INTEGER, HQ_COL_HIDDEN,
			    "Runs under Rosetta 2 (macOS only)"},
};
static_assert(HQ_ELEMENTSOF(columns) == _COL_MAX, "column enum and array disagree");

/* What a row needs to read, derived once per scan from the used columns. */
enum {
	NEED_STAT = 1 << 0,
	NEED_STATUS = 1 << 1, /* uid, gid, suid, sgid */
	NEED_OWNER = 1 << 2,  /* euid, egid: fstat of the pid dir, status as fallback */
	NEED_CMDLINE = 1 << 3,
	NEED_EXE = 1 << 4,
	NEED_ON_DISK = 1 << 5,
	NEED_CWD = 1 << 6,
	NEED_ROOT = 1 << 7,
	NEED_IO = 1 << 8,
	NEED_CGROUP = 1 << 9,
};

#define LINK_MAX_LEN 4096
#define DELETED_SUFFIX " (deleted)"

typedef struct scan {
	hq_query_ctx *ctx;
	hq_row_sink *sink;
	int procfd;
	unsigned need;
	bool trust_owner;      /* procfd is a real procfs: pid directories carry the euid/egid */
	bool stat_from_status; /* status is read anyway and has every stat column used */
	const char *root;      /* host-path root, "" for the real one */
	int64_t btime;	       /* -1 when unknown */
	long clk_tck;
	long page_size;
	/* One growable buffer reused for every file: rows copy what they keep. */
	char *buf;
	size_t cap;
	char link[LINK_MAX_LEN + 1];
	char exe_path[LINK_MAX_LEN + 256];
} scan;

static void scan_done(scan *s)
{
	free(s->buf);
}

static bool used(const scan *s, unsigned col)
{
	return hq_ctx_column_used(s->ctx, col);
}

/* Reads a whole file below dirfd into s->buf (NUL-terminated). One read is enough for
 * procfs files smaller than the buffer; a full buffer grows and reads on. Returns the length
 * or -errno. */
static ssize_t read_at(scan *s, int dirfd, const char *name)
{
	_cleanup_close_ int fd = -EBADF;
	size_t len = 0;

	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t n = read(fd, s->buf + len, s->cap - 1 - len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		len += (size_t)n;
		if (n == 0 || len < s->cap - 1)
			break;
		if (s->cap >= 64u << 20)
			return -E2BIG;
		char *nb = realloc(s->buf, s->cap * 2);
		if (!nb)
			return -ENOMEM;
		s->buf = nb;
		s->cap *= 2;
	}
	s->buf[len] = '\0';
	return (ssize_t)len;
}

/* readlinkat into s->link. Returns the length or -errno (-ENAMETOOLONG if it did not fit). */
static ssize_t read_link(scan *s, int dirfd, const char *name)
{
	ssize_t n = readlinkat(dirfd, name, s->link, sizeof(s->link) - 1);

	if (n < 0)
		return -errno;
	if ((size_t)n >= sizeof(s->link) - 1)
		return -ENAMETOOLONG;
	s->link[n] = '\0';
	return n;
}

static bool vanished(int r)
{
	return r == -ENOENT || r == -ESRCH;
}

/* A link that cannot be read: the kernel has none for this task (kernel threads) → "", as
 * osquery does; anything else (EACCES) → NULL. */
static void set_link_error(hq_row *row, unsigned col, int r)
{
	if (r == -ENOENT)
		hq_row_set_text_static(row, col, "");
	else
		hq_row_set_null(row, col);
}

/* Sets path and on_disk from the exe link. on_disk: 1 when the file the link names is the one
 * the process runs (same device and inode), 0 when it is deleted or replaced, -1 unknown. */
static void gen_exe(scan *s, hq_row *row, int pidfd)
{
	struct stat running, named;
	ssize_t n;
	size_t sl = sizeof(DELETED_SUFFIX) - 1;

	n = read_link(s, pidfd, "exe");
	if (n < 0) {
		set_link_error(row, COL_PATH, (int)n);
		hq_row_set_int64(row, COL_ON_DISK, -1);
		return;
	}
	if ((size_t)n > sl && memcmp(s->link + n - sl, DELETED_SUFFIX, sl) == 0) {
		/* The file may really be named "x (deleted)": check the name still exists. */
		if (s->need & NEED_ON_DISK) {
			int r = snprintf(s->exe_path, sizeof(s->exe_path), "%s%s", s->root,
					 s->link);
			bool exists = r > 0 && (size_t)r < sizeof(s->exe_path) &&
				      fstatat(pidfd, "exe", &running, 0) == 0 &&
				      stat(s->exe_path, &named) == 0 &&
				      running.st_dev == named.st_dev &&
				      running.st_ino == named.st_ino;
			if (exists) {
				hq_row_set_text_len(row, COL_PATH, s->link, (size_t)n);
				hq_row_set_int64(row, COL_ON_DISK, 1);
				return;
			}
			hq_row_set_int64(row, COL_ON_DISK, 0);
		}
		hq_row_set_text_len(row, COL_PATH, s->link, (size_t)n - sl);
		return;
	}
	hq_row_set_text_len(row, COL_PATH, s->link, (size_t)n);
	if (!(s->need & NEED_ON_DISK))
		return;

	int r = snprintf(s->exe_path, sizeof(s->exe_path), "%s%s", s->root, s->link);
	if (r < 0 || (size_t)r >= sizeof(s->exe_path) || s->link[0] != '/') {
		hq_row_set_int64(row, COL_ON_DISK, -1);
		return;
	}
	if (stat(s->exe_path, &named) < 0) {
		hq_row_set_int64(row, COL_ON_DISK, errno == ENOENT || errno == ENOTDIR ? 0 : -1);
		return;
	}
	/* Following the magic link stats the inode the process runs, even if renamed over. */
	if (fstatat(pidfd, "exe", &running, 0) < 0) {
		hq_row_set_int64(row, COL_ON_DISK, -1);
		return;
	}
	hq_row_set_int64(row, COL_ON_DISK,
			 running.st_dev == named.st_dev && running.st_ino == named.st_ino);
}

static void gen_text_link(scan *s, hq_row *row, int pidfd, const char *name, unsigned col)
{
	ssize_t n = read_link(s, pidfd, name);

	if (n < 0)
		set_link_error(row, col, (int)n);
	else
		hq_row_set_text_len(row, col, s->link, (size_t)n);
}

static void set_status_ids(hq_row *row, const hq_proc_status *st, bool ids, bool owner)
{
	if (ids) {
		hq_row_set_int64(row, COL_UID, st->uid[0]);
		hq_row_set_int64(row, COL_GID, st->gid[0]);
		hq_row_set_int64(row, COL_SUID, st->uid[2]);
		hq_row_set_int64(row, COL_SGID, st->gid[2]);
	}
	if (owner) {
		hq_row_set_int64(row, COL_EUID, st->uid[1]);
		hq_row_set_int64(row, COL_EGID, st->gid[1]);
	}
}

/* Reads and parses status. 1 on success, 0 when unreadable/malformed (NULL cells), or a
 * negative errno when the process is gone. */
static int read_status(scan *s, int pidfd, hq_proc_status *ret)
{
	ssize_t n = read_at(s, pidfd, "status");

	if (n < 0)
		return vanished((int)n) ? (int)n : 0;
	return hq_procfs_parse_status(s->buf, (size_t)n, ret) == 0;
}

/* Generates the row of one pid (name is its decimal text; must_exist when it came from a
 * constraint rather than the /proc listing). Returns 0 (also when the process
 * vanished and was skipped), > 0 when LIMIT is reached, or -errno on a real failure. The
 * files that tell whether the process still exists (stat, status) are read before the row is
 * begun, so a vanished process never leaves a half-built row. */
static int gen_pid(scan *s, int64_t pid, const char *name, bool must_exist)
{
	_cleanup_close_ int pidfd = -EBADF;
	hq_proc_stat st;
	hq_proc_status sts;
	bool have_stat = false, have_status = false, have_owner = false, kthread;
	char comm[256];
	struct stat dst;
	hq_row *row;
	ssize_t n;
	int r;

	if (!s->need && must_exist) {
		/* A pid from a constraint, not from the listing: it must exist. */
		struct stat pst;

		if (fstatat(s->procfd, name, &pst, 0) < 0)
			return errno == ENOMEM ? -ENOMEM : 0;
	} else if (s->need) {
		pidfd = openat(s->procfd, name, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (pidfd < 0 && vanished(-errno))
			return 0;
		if (pidfd < 0 && errno == ENOMEM)
			return -ENOMEM;
	}

	if (pidfd >= 0 && (s->need & NEED_STAT)) {
		n = read_at(s, pidfd, "stat");
		if (n < 0 && vanished((int)n))
			return 0;
		if (n >= 0 && hq_procfs_parse_stat(s->buf, (size_t)n, &st) == 0) {
			/* comm points into the shared buffer, which the next read reuses. */
			st.comm_len = st.comm_len < sizeof(comm) ? st.comm_len : sizeof(comm);
			memcpy(comm, st.comm, st.comm_len);
			st.comm = comm;
			have_stat = true;
		}
	}

	if (pidfd >= 0 && (s->need & NEED_OWNER) && !(s->need & NEED_STATUS) && s->trust_owner) {
		/* The pid directory belongs to the task's euid/egid, except for non-dumpable
		 * tasks, which show as root: only then is status worth its cost. */
		have_owner = fstat(pidfd, &dst) == 0 && dst.st_uid != 0 && dst.st_gid != 0;
	}

	/* Kernel threads run with the init credentials, have no argv and no executable: when
	 * stat was read anyway, their status, cmdline and exe reads are skipped (most tasks on
	 * a quiet host are kernel threads). */
	kthread = have_stat && (st.flags & HQ_PF_KTHREAD);
	if (kthread && (s->need & (NEED_STATUS | NEED_OWNER))) {
		sts = (hq_proc_status){.fields = HQ_PROC_STATUS_UID | HQ_PROC_STATUS_GID};
		have_status = true;
	} else if (pidfd >= 0 &&
		   ((s->need & NEED_STATUS) || ((s->need & NEED_OWNER) && !have_owner))) {
		r = read_status(s, pidfd, &sts);
		if (r < 0)
			return 0;
		have_status = r > 0;
	}

	r = hq_row_begin(s->sink, &row);
	if (r < 0)
		return r;
	hq_row_set_int64(row, COL_PID, pid);
	if (used(s, COL_WIRED_SIZE))
		hq_row_set_int64(row, COL_WIRED_SIZE, 0);
	if (pidfd < 0) /* EACCES and friends: a row with only what needs no reading */
		return hq_row_commit(s->sink, row);

	if (have_stat) {
		hq_row_set_text_len(row, COL_NAME, st.comm, st.comm_len);
		hq_row_set_text_len(row, COL_STATE, &st.state, 1);
		hq_row_set_int64(row, COL_PARENT, st.ppid);
		hq_row_set_int64(row, COL_PGROUP, st.pgrp);
		hq_row_set_int64(row, COL_NICE, st.nice);
		hq_row_set_int64(row, COL_THREADS, st.num_threads);
		hq_row_set_int64(row, COL_USER_TIME,
				 (int64_t)(st.utime * 1000 / (uint64_t)s->clk_tck));
		hq_row_set_int64(row, COL_SYSTEM_TIME,
				 (int64_t)(st.stime * 1000 / (uint64_t)s->clk_tck));
		hq_row_set_int64(
			row, COL_START_TIME,
			s->btime < 0 ? -1
				     : s->btime + (int64_t)(st.starttime / (uint64_t)s->clk_tck));
		/* stat's vsize is status's VmSize; its rss is the same counters as VmRSS but
		 * read without summing the per-CPU parts, so status wins when it was read. */
		if (!(have_status && (sts.fields & HQ_PROC_STATUS_VMRSS))) {
			hq_row_set_int64(row, COL_TOTAL_SIZE, (int64_t)st.vsize);
			hq_row_set_int64(row, COL_RESIDENT_SIZE, st.rss * s->page_size);
		}
	}
	if (have_status && s->stat_from_status) {
		size_t len = hq_procfs_unescape_name(sts.name, sts.name_len, comm, sizeof(comm));

		kthread = sts.kthread;
		if (sts.fields & HQ_PROC_STATUS_NAME)
			hq_row_set_text_len(row, COL_NAME, comm, len);
		if (sts.fields & HQ_PROC_STATUS_STATE)
			hq_row_set_text_len(row, COL_STATE, &sts.state, 1);
		if (sts.fields & HQ_PROC_STATUS_PPID)
			hq_row_set_int64(row, COL_PARENT, sts.ppid);
		if (sts.fields & HQ_PROC_STATUS_THREADS)
			hq_row_set_int64(row, COL_THREADS, sts.threads);
	}
	if (have_status &&
	    (s->stat_from_status || (have_stat && (sts.fields & HQ_PROC_STATUS_VMRSS)))) {
		/* Kernel threads print no Vm* lines; stat says 0 for them. */
		hq_row_set_int64(row, COL_RESIDENT_SIZE,
				 sts.fields & HQ_PROC_STATUS_VMRSS ? sts.vm_rss_kb * 1024 : 0);
		hq_row_set_int64(row, COL_TOTAL_SIZE,
				 sts.fields & HQ_PROC_STATUS_VMSIZE ? sts.vm_size_kb * 1024 : 0);
	}
	if (have_status)
		set_status_ids(row, &sts, s->need & NEED_STATUS, s->need & NEED_OWNER);
	else if (have_owner) {
		hq_row_set_int64(row, COL_EUID, dst.st_uid);
		hq_row_set_int64(row, COL_EGID, dst.st_gid);
	}

	if ((s->need & NEED_CMDLINE) && kthread)
		hq_row_set_text_static(row, COL_CMDLINE, "");
	else if (s->need & NEED_CMDLINE) {
		n = read_at(s, pidfd, "cmdline");
		if (n >= 0)
			hq_row_set_text_len(row, COL_CMDLINE, s->buf,
					    hq_procfs_cmdline_to_text(s->buf, (size_t)n));
	}

	if ((s->need & (NEED_EXE | NEED_ON_DISK)) && kthread) {
		hq_row_set_text_static(row, COL_PATH, "");
		hq_row_set_int64(row, COL_ON_DISK, -1);
	} else if (s->need & (NEED_EXE | NEED_ON_DISK))
		gen_exe(s, row, pidfd);
	if (s->need & NEED_CWD)
		gen_text_link(s, row, pidfd, "cwd", COL_CWD);
	if (s->need & NEED_ROOT)
		gen_text_link(s, row, pidfd, "root", COL_ROOT);

	if (s->need & NEED_IO) {
		hq_proc_io io;

		n = read_at(s, pidfd, "io");
		if (n >= 0 && hq_procfs_parse_io(s->buf, (size_t)n, &io) == 0) {
			if (io.fields & HQ_PROC_IO_READ_BYTES)
				hq_row_set_int64(row, COL_DISK_BYTES_READ, (int64_t)io.read_bytes);
			if (io.fields & HQ_PROC_IO_WRITE_BYTES)
				hq_row_set_int64(
					row, COL_DISK_BYTES_WRITTEN,
					(int64_t)(io.write_bytes - io.cancelled_write_bytes));
		}
	}

	if (s->need & NEED_CGROUP) {
		const char *p;
		size_t len;

		n = read_at(s, pidfd, "cgroup");
		if (n >= 0 && hq_procfs_parse_cgroup(s->buf, (size_t)n, &p, &len) == 0)
			hq_row_set_text_len(row, COL_CGROUP_PATH, p, len);
	}

	return hq_row_commit(s->sink, row);
}

static unsigned compute_need(const scan *s)
{
	static const struct {
		unsigned col, need;
	} map[] = {
		{COL_NAME, NEED_STAT},
		{COL_STATE, NEED_STAT},
		{COL_PARENT, NEED_STAT},
		{COL_PGROUP, NEED_STAT},
		{COL_NICE, NEED_STAT},
		{COL_THREADS, NEED_STAT},
		{COL_USER_TIME, NEED_STAT},
		{COL_SYSTEM_TIME, NEED_STAT},
		{COL_START_TIME, NEED_STAT},
		{COL_RESIDENT_SIZE, NEED_STAT},
		{COL_TOTAL_SIZE, NEED_STAT},
		{COL_UID, NEED_STATUS},
		{COL_GID, NEED_STATUS},
		{COL_SUID, NEED_STATUS},
		{COL_SGID, NEED_STATUS},
		{COL_EUID, NEED_OWNER},
		{COL_EGID, NEED_OWNER},
		{COL_CMDLINE, NEED_CMDLINE},
		{COL_PATH, NEED_EXE},
		{COL_ON_DISK, NEED_ON_DISK},
		{COL_CWD, NEED_CWD},
		{COL_ROOT, NEED_ROOT},
		{COL_DISK_BYTES_READ, NEED_IO},
		{COL_DISK_BYTES_WRITTEN, NEED_IO},
		{COL_CGROUP_PATH, NEED_CGROUP},
	};
	unsigned need = 0;

	for (size_t i = 0; i < HQ_ELEMENTSOF(map); i++)
		if (used(s, map[i].col))
			need |= map[i].need;
	return need;
}

/* Whether status, when it is read anyway, can also serve every stat column the query uses
 * (it prints name, state, ppid, threads, VmRSS and VmSize): then stat is not read at all. */
static bool status_serves_stat(const scan *s)
{
	static const unsigned stat_only[] = {COL_PGROUP, COL_NICE, COL_USER_TIME, COL_SYSTEM_TIME,
					     COL_START_TIME};

	if ((s->need & (NEED_STAT | NEED_STATUS)) != (NEED_STAT | NEED_STATUS))
		return false;
	for (size_t i = 0; i < HQ_ELEMENTSOF(stat_only); i++)
		if (used(s, stat_only[i]))
			return false;
	return true;
}

static int64_t read_btime(scan *s)
{
	int64_t t;
	ssize_t n = read_at(s, s->procfd, "stat");

	if (n < 0 || hq_procfs_parse_btime(s->buf, (size_t)n, &t) < 0) {
		hq_log_debug("processes: no btime in /proc/stat, start_time will be -1");
		return -1;
	}
	return t;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Reads only the pids of pid = / IN constraints. Returns 1 when there were such constraints
 * (and the scan is done), 0 when the whole /proc must be listed, or -errno. */
static int gen_constrained(scan *s)
{
	_cleanup_free_ int64_t *pids = NULL;
	size_t n = 0, cap = 0;

	if (!hq_ctx_has_constraint(s->ctx, COL_PID, HQ_OP_EQ))
		return 0;
	HQ_CTX_FOREACH_CONSTRAINT (c, s->ctx, COL_PID) {
		int64_t v;

		if (c->op != HQ_OP_EQ)
			continue;
		if (c->type == HQ_VALUE_INTEGER)
			v = c->i64;
		else if (c->type == HQ_VALUE_DOUBLE && c->dbl == (double)(int64_t)c->dbl)
			v = (int64_t)c->dbl;
		else if (!c->text || hq_safe_atoi64(c->text, &v) < 0)
			continue;
		if (v <= 0 || v > INT32_MAX)
			continue;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			int64_t *np = realloc(pids, ncap * sizeof(*pids));
			if (!np)
				return -ENOMEM;
			pids = np;
			cap = ncap;
		}
		pids[n++] = v;
	}
	if (n > 1)
		qsort(pids, n, sizeof(*pids), cmp_i64);
	for (size_t i = 0; i < n; i++) {
		char name[24];
		int r;

		if (i > 0 && pids[i] == pids[i - 1])
			continue;
		snprintf(name, sizeof(name), "%" PRId64, pids[i]);
		r = gen_pid(s, pids[i], name, true);
		if (r != 0)
			return r < 0 ? r : 1;
	}
	return 1;
}

static int gen_all(scan *s)
{
	/* getdents64 straight into a big buffer: no per-entry libc work. */
	char dbuf[32768] __attribute__((aligned(8)));

	for (;;) {
		ssize_t n = getdents64(s->procfd, dbuf, sizeof(dbuf));

		if (n < 0)
			return hq_ctx_error(s->ctx, -errno, "failed to list /proc: %m");
		if (n == 0)
			return 0;
		for (ssize_t off = 0; off < n;) {
			struct dirent64 *de = (struct dirent64 *)(dbuf + off);
			const char *p = de->d_name;
			int64_t pid = 0;
			int r;

			off += de->d_reclen;
			if (*p < '1' || *p > '9')
				continue;
			for (; *p >= '0' && *p <= '9' && pid <= INT32_MAX; p++)
				pid = pid * 10 + (*p - '0');
			if (*p != '\0' || pid > INT32_MAX)
				continue;
			r = gen_pid(s, pid, de->d_name, false);
			if (r < 0)
				return r;
			if (r > 0)
				return 0;
		}
	}
}

static int generate(hq_query_ctx *ctx, hq_row_sink *sink)
{
	_cleanup_close_ int procfd = -EBADF;
	struct statfs sfs;
	_cleanup_(scan_done) scan s = {
		.ctx = ctx,
		.sink = sink,
		.root = hq_ctx_root(ctx),
		.btime = -1,
		.cap = 65536,
	};
	int r;

	procfd = hq_ctx_open(ctx, "/proc", O_RDONLY | O_DIRECTORY);
	if (procfd == -ENOENT) {
		hq_log_debug("processes: no /proc below '%s'", s.root);
		return 0;
	}
	if (procfd < 0)
		return hq_ctx_error(ctx, procfd, "failed to open /proc: %m");
	s.procfd = procfd;
	/* A fixture tree's directory owners mean nothing; only procfs's do. */
	s.trust_owner = fstatfs(procfd, &sfs) == 0 && sfs.f_type == PROC_SUPER_MAGIC;
	s.need = compute_need(&s);
	if (status_serves_stat(&s)) {
		s.need &= ~NEED_STAT;
		s.stat_from_status = true;
	}
	s.clk_tck = sysconf(_SC_CLK_TCK);
	if (s.clk_tck <= 0)
		s.clk_tck = 100;
	s.page_size = sysconf(_SC_PAGESIZE);
	if (s.page_size <= 0)
		s.page_size = 4096;
	s.buf = malloc(s.cap);
	if (!s.buf)
		return -ENOMEM;

	if (used(&s, COL_START_TIME))
		s.btime = read_btime(&s);

	r = gen_constrained(&s);
	if (r == 0)
		r = gen_all(&s);
	return r < 0 ? r : 0;
}

const hq_table_def hq_table_processes = {
	.version = HQ_TABLE_ABI_VERSION,
	.name = "processes",
	.description = "All running processes on the host system.",
	.columns = columns,
	.n_columns = _COL_MAX,
	.flags = HQ_TABLE_CACHEABLE,
	.generate = generate,
};
