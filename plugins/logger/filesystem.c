/* filesystem logger: results to <logger_path>/<name>.results.log, snapshots to
 * <name>.snapshots.log, one JSON line each; status lines in glog's text format to <name>.INFO
 * (osquery's filesystem logger). Files are created with --logger_mode; with --logger_rotate a
 * file is rotated before a write would pass --logger_rotate_size, keeping
 * --logger_rotate_max_files (<file>.1 newest; hostq does not compress rotated files). */
#include <inttypes.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <time.h>

#include "hq/plugin.h"
#include "options/options.h"

/* How much of a log's end is searched for lines delivered just before a crash. */
#define REPLAY_TAIL_BYTES (64u * 1024 * 1024)

enum { LOG_RESULTS, LOG_SNAPSHOTS, LOG_STATUS, _LOG_MAX };
static const char *const suffixes[_LOG_MAX] = {"results.log", "snapshots.log", "INFO"};

typedef struct fs_logger {
	char *paths[_LOG_MAX];
	int fds[_LOG_MAX];
	mode_t mode;
	char *tail[2];
	size_t tail_len[2];
	bool tail_loaded[2];
} fs_logger;

static int mkdir_p(const char *path, mode_t mode)
{
	_cleanup_free_ char *p = strdup(path);

	if (!p)
		return -ENOMEM;
	for (char *s = p + 1; *s; s++)
		if (*s == '/') {
			*s = '\0';
			if (mkdir(p, mode) < 0 && errno != EEXIST)
				return -errno;
			*s = '/';
		}
	if (mkdir(p, mode) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

/* A crash in the middle of a write can leave a partial last line: cut it so the line is
 * written whole when it is delivered again. */
static void drop_partial_line(int fd)
{
	struct stat st;
	off_t end, pos;
	char buf[4096];

	if (fstat(fd, &st) < 0 || st.st_size == 0)
		return;
	end = st.st_size;
	pos = end;
	while (pos > 0) {
		size_t want = pos > (off_t)sizeof(buf) ? sizeof(buf) : (size_t)pos;
		ssize_t n = pread(fd, buf, want, pos - (off_t)want);
		if (n != (ssize_t)want)
			return;
		for (ssize_t i = n - 1; i >= 0; i--)
			if (buf[i] == '\n') {
				off_t keep = pos - (off_t)want + i + 1;
				if (keep != end)
					(void)ftruncate(fd, keep);
				return;
			}
		pos -= (off_t)want;
	}
	(void)ftruncate(fd, 0);
}

static int open_log(fs_logger *l, int which)
{
	/* Read-write: drop_partial_line() reads the tail back. */
	int fd = open(l->paths[which], O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, l->mode);

	if (fd < 0)
		return -errno;
	(void)fchmod(fd, l->mode);
	if (which != LOG_STATUS)
		drop_partial_line(fd);
	l->fds[which] = fd;
	return 0;
}

static int fs_init(void *state, const char *name)
{
	fs_logger *l = state;
	char *end;
	long mode;
	int r;

	/* The mode is an octal string, with or without its leading 0 (osquery). */
	errno = 0;
	mode = strtol(hq_opt.logger_mode, &end, 8);
	if (errno || *end || end == hq_opt.logger_mode || mode < 0 || mode > 07777)
		mode = 0600;
	l->mode = (mode_t)mode;
	r = mkdir_p(hq_opt.logger_path, 0755);
	if (r < 0)
		return r;
	for (int i = 0; i < _LOG_MAX; i++) {
		free(l->paths[i]);
		if (asprintf(&l->paths[i], "%s/%s.%s", hq_opt.logger_path, name, suffixes[i]) < 0) {
			l->paths[i] = NULL;
			return -ENOMEM;
		}
		if (l->fds[i] >= 0)
			close(l->fds[i]);
		l->fds[i] = -1;
		r = open_log(l, i);
		if (r < 0)
			return r;
	}
	return 0;
}

static int rotate(fs_logger *l, int which)
{
	int64_t max = hq_opt.logger_rotate_max_files;
	_cleanup_free_ char *from = NULL, *to = NULL;

	if (max < 1)
		max = 1;
	/* Drop the oldest, shift .N-1 -> .N, then the live file becomes .1. */
	for (int64_t i = max - 1; i >= 1; i--) {
		free(from);
		free(to);
		from = to = NULL;
		if (asprintf(&from, "%s.%" PRId64, l->paths[which], i) < 0 ||
		    asprintf(&to, "%s.%" PRId64, l->paths[which], i + 1) < 0)
			return -ENOMEM;
		(void)rename(from, to);
	}
	free(to);
	if (asprintf(&to, "%s.1", l->paths[which]) < 0) {
		to = NULL;
		return -ENOMEM;
	}
	if (rename(l->paths[which], to) < 0)
		return -errno;
	close(l->fds[which]);
	l->fds[which] = -1;
	return open_log(l, which);
}

static int write_line(fs_logger *l, int which, const char *line, size_t len)
{
	struct iovec iov[2] = {{(void *)line, len}, {(void *)"\n", 1}};
	ssize_t n;

	if (l->fds[which] < 0)
		return -EBADF;
	if (hq_opt.logger_rotate && which != LOG_STATUS) {
		struct stat st;
		if (fstat(l->fds[which], &st) == 0 && st.st_size > 0 &&
		    (int64_t)(st.st_size + (off_t)len + 1) > hq_opt.logger_rotate_size) {
			int r = rotate(l, which);
			if (r < 0)
				return r;
		}
	}
	n = writev(l->fds[which], iov, 2);
	if (n < 0)
		return -errno;
	if ((size_t)n != len + 1)
		return -EIO;
	return 0;
}

static int fs_log_result(void *state, const char *json_line, int is_snapshot)
{
	return write_line(state, is_snapshot ? LOG_SNAPSHOTS : LOG_RESULTS, json_line,
			  strlen(json_line));
}

static int fs_log_status(void *state, const hq_status_entry *e, size_t n)
{
	static const char sev[] = "IWEF";
	fs_logger *l = state;

	for (size_t i = 0; i < n; i++) {
		struct timeval tv;
		struct tm tm;
		char *line = NULL;
		int len, r;

		gettimeofday(&tv, NULL);
		localtime_r(&tv.tv_sec, &tm);
		len = asprintf(&line, "%c%02d%02d %02d:%02d:%02d.%06ld %d %s:%d] %s",
			       sev[e[i].severity >= 0 && e[i].severity < 4 ? e[i].severity : 0],
			       tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
			       (long)tv.tv_usec, (int)getpid(), e[i].filename ?: "", e[i].line,
			       e[i].message ?: "");
		if (len < 0)
			return -ENOMEM;
		r = write_line(l, LOG_STATUS, line, (size_t)len);
		free(line);
		if (r < 0)
			return r;
	}
	return 0;
}

static void load_tail(fs_logger *l, int which)
{
	struct stat st;
	size_t want;
	off_t from;
	char *buf;
	int fd;

	l->tail_loaded[which] = true;
	fd = open(l->paths[which], O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (fstat(fd, &st) < 0 || st.st_size == 0) {
		close(fd);
		return;
	}
	want = (size_t)st.st_size > REPLAY_TAIL_BYTES ? REPLAY_TAIL_BYTES : (size_t)st.st_size;
	from = st.st_size - (off_t)want;
	buf = malloc(want + 2);
	if (buf && pread(fd, buf + 1, want, from) == (ssize_t)want) {
		/* A leading '\n' lets the first whole line match "\nLINE\n" too. */
		buf[0] = '\n';
		buf[want + 1] = '\0';
		l->tail[which] = buf;
		l->tail_len[which] = want + 1;
	} else
		free(buf);
	close(fd);
}

static int fs_already_logged(void *state, const char *json_line, int is_snapshot)
{
	fs_logger *l = state;
	int which = is_snapshot ? LOG_SNAPSHOTS : LOG_RESULTS;
	_cleanup_free_ char *needle = NULL;

	if (!json_line) {
		for (int i = 0; i < 2; i++) {
			free(l->tail[i]);
			l->tail[i] = NULL;
			l->tail_len[i] = 0;
			l->tail_loaded[i] = false;
		}
		return 0;
	}
	if (!l->tail_loaded[which])
		load_tail(l, which);
	if (!l->tail[which])
		return 0;
	if (asprintf(&needle, "\n%s\n", json_line) < 0)
		return -ENOMEM;
	return memmem(l->tail[which], l->tail_len[which], needle, strlen(needle)) != NULL;
}

static void fs_free(void *state)
{
	fs_logger *l = state;

	if (!l)
		return;
	for (int i = 0; i < _LOG_MAX; i++) {
		if (l->fds[i] >= 0)
			close(l->fds[i]);
		free(l->paths[i]);
	}
	free(l->tail[0]);
	free(l->tail[1]);
	free(l);
}

void *hq_logger_filesystem_new(void);
void *hq_logger_filesystem_new(void)
{
	fs_logger *l = calloc(1, sizeof(*l));

	if (l)
		for (int i = 0; i < _LOG_MAX; i++)
			l->fds[i] = -1;
	return l;
}

const hq_logger_plugin hq_logger_filesystem = {
	.version = HQ_PLUGIN_ABI_VERSION,
	.name = "filesystem",
	.init = fs_init,
	.log_result = fs_log_result,
	.log_status = fs_log_status,
	.free = fs_free,
	.already_logged = fs_already_logged,
};
