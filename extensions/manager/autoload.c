/* Autoloaded extensions: --extensions_autoload (a file of paths; directories expand to the files
 * below them) and --extension. Each candidate passes osquery's safety rules before every
 * launch, is started as `path [--verbose] --socket S --timeout T --interval I`, relaunched with
 * exponential backoff when it dies, and terminated (SIGTERM, then SIGKILL) on stop. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hq/log.h"
#include "hq/query.h"
#include "internal.h"

#define BACKOFF_MIN_MS 500
#define BACKOFF_MAX_MS 60000
#define STABLE_USEC (60 * 1000000LL) /* a child alive this long resets its backoff */
#define STOP_GRACE_MS 5000

extern char **environ;

struct hq_ext_child {
	char *path;
	bool file_checks; /* autoload entries: full checks incl. the .ext suffix */
	pid_t pid;	  /* 0: not running */
	int64_t started_usec, next_launch_usec;
	int backoff_ms;
};

int hq_ext_check_safe(const char *path, bool check_suffix, const char **ret_reason)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return *ret_reason = "path does not exist", -ENOENT;
	g_autofree char *dir = g_path_get_dirname(path);
	struct stat dst;
	if (stat(dir, &dst) < 0)
		return *ret_reason = "parent directory is not accessible", -errno;
	if (dst.st_mode & S_ISVTX)
		return *ret_reason = "parent directory has the sticky bit (shared temp directory)",
		       -EPERM;
	if (dst.st_mode & S_IWOTH)
		return *ret_reason = "parent directory is world-writable", -EPERM;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return *ret_reason = "cannot be opened for reading", -errno;
	int r = fstat(fd, &st);
	close(fd);
	if (r < 0)
		return *ret_reason = "cannot be inspected", -EIO;
	if (S_ISDIR(st.st_mode))
		return *ret_reason = "is a directory", -EISDIR;
	if (st.st_uid != 0 && st.st_uid != getuid())
		return *ret_reason = "not owned by root or the agent's user", -EPERM;
	if (!(st.st_mode & S_IXUSR))
		return *ret_reason = "not executable by its owner", -EPERM;
	if (st.st_mode & (S_IWGRP | S_IWOTH))
		return *ret_reason = "writable by group or others", -EPERM;
	if (check_suffix && !g_str_has_suffix(path, ".ext"))
		return *ret_reason = "name does not end in .ext", -EPERM;
	return 0;
}

/* Applies the rules (or, with --allow_unsafe, only the suffix rule) and logs refusals. */
static bool acceptable(hq_ext_manager *m, const char *path, bool file_checks)
{
	const char *why = NULL;
	int r = hq_ext_check_safe(path, file_checks, &why);
	if (r == 0)
		return true;
	if (r == -ENOENT) {
		hq_log_warning("extension %s: %s, skipped", path, why);
		return false;
	}
	if (m->allow_unsafe && !(file_checks && !g_str_has_suffix(path, ".ext"))) {
		hq_log_warning("extension %s is unsafe (%s); loading it because of --allow_unsafe",
			       path, why);
		return true;
	}
	hq_log_warning("extension %s refused: unsafe: %s", path, why);
	return false;
}

static void add_child(hq_ext_manager *m, const char *path, bool file_checks)
{
	for (guint i = 0; i < m->children->len; i++)
		if (hq_streq(((hq_ext_child *)m->children->pdata[i])->path, path))
			return;
	if (!acceptable(m, path, file_checks))
		return;
	hq_ext_child *c = g_new0(hq_ext_child, 1);
	c->path = g_strdup(path);
	c->file_checks = file_checks;
	c->backoff_ms = BACKOFF_MIN_MS;
	g_ptr_array_add(m->children, c);
}

static void add_tree(hq_ext_manager *m, const char *dir, int depth)
{
	DIR *d = opendir(dir);
	if (!d || depth > 16) {
		if (d)
			closedir(d);
		return;
	}
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	struct dirent *de;
	while ((de = readdir(d)))
		if (!hq_streq(de->d_name, ".") && !hq_streq(de->d_name, ".."))
			g_ptr_array_add(names, g_build_filename(dir, de->d_name, NULL));
	closedir(d);
	g_ptr_array_sort(names, (GCompareFunc)g_strcmp0);
	for (guint i = 0; i < names->len; i++) {
		const char *p = *(char **)&names->pdata[i];
		struct stat st;
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			add_tree(m, p, depth + 1);
		else
			add_child(m, p, true);
	}
}

static void read_autoload(hq_ext_manager *m)
{
	g_autofree char *text = NULL;
	g_autoptr(GError) err = NULL;
	if (!g_file_get_contents(m->autoload, &text, NULL, &err)) {
		hq_log_debug("extensions autoload %s: %s", m->autoload, err->message);
		return;
	}
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	for (size_t i = 0; lines[i]; i++) {
		char *l = g_strstrip(lines[i]);
		if (!*l || *l == '#' || *l == ';')
			continue;
		struct stat st;
		if (stat(l, &st) == 0 && S_ISDIR(st.st_mode))
			add_tree(m, l, 0);
		else
			add_child(m, l, true);
	}
}

static void launch(hq_ext_manager *m, hq_ext_child *c)
{
	const char *why = NULL;
	/* Permissions may have changed since the list was read: check before every launch. */
	if (hq_ext_check_safe(c->path, false, &why) < 0 && !m->allow_unsafe) {
		hq_log_warning("extension %s not started: unsafe permissions: %s", c->path, why);
		c->next_launch_usec = hq_ext_now_usec() + (int64_t)c->backoff_ms * 1000;
		c->backoff_ms = MIN(c->backoff_ms * 2, BACKOFF_MAX_MS);
		return;
	}
	const char *argv[10];
	int n = 0;
	argv[n++] = c->path;
	if (m->verbose)
		argv[n++] = "--verbose";
	argv[n++] = "--socket";
	argv[n++] = m->socket;
	argv[n++] = "--timeout";
	argv[n++] = m->timeout_arg;
	argv[n++] = "--interval";
	argv[n++] = m->interval_arg;
	argv[n] = NULL;

	posix_spawnattr_t attr;
	sigset_t none, all;
	sigemptyset(&none);
	sigfillset(&all);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &all);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	pid_t pid;
	int r = posix_spawn(&pid, c->path, NULL, &attr, (char *const *)argv, environ);
	posix_spawnattr_destroy(&attr);
	if (r != 0) {
		hq_log_warning("extension %s: cannot start: %s", c->path, strerror(r));
		c->next_launch_usec = hq_ext_now_usec() + (int64_t)c->backoff_ms * 1000;
		c->backoff_ms = MIN(c->backoff_ms * 2, BACKOFF_MAX_MS);
		return;
	}
	hq_log_info("extension %s started (pid %d)", c->path, (int)pid);
	c->pid = pid;
	c->started_usec = hq_ext_now_usec();
}

static void *supervisor_thread(void *arg)
{
	hq_ext_manager *m = arg;
	struct pollfd p = {.fd = m->stop_fd, .events = POLLIN};
	while (poll(&p, 1, 200) <= 0) {
		int64_t now = hq_ext_now_usec();
		pthread_mutex_lock(&m->child_lock);
		for (guint i = 0; i < m->children->len; i++) {
			hq_ext_child *c = m->children->pdata[i];
			int status;
			if (c->pid > 0 && waitpid(c->pid, &status, WNOHANG) == c->pid) {
				hq_log_warning("extension %s (pid %d) exited (%s %d); relaunching",
					       c->path, (int)c->pid,
					       WIFSIGNALED(status) ? "signal" : "status",
					       WIFSIGNALED(status) ? WTERMSIG(status)
								   : WEXITSTATUS(status));
				c->pid = 0;
				if (now - c->started_usec >= STABLE_USEC)
					c->backoff_ms = BACKOFF_MIN_MS;
				c->next_launch_usec = now + (int64_t)c->backoff_ms * 1000;
				c->backoff_ms = MIN(c->backoff_ms * 2, BACKOFF_MAX_MS);
			}
			if (c->pid == 0 && now >= c->next_launch_usec)
				launch(m, c);
		}
		pthread_mutex_unlock(&m->child_lock);
	}
	return NULL;
}

int hq_ext_autoload_start(hq_ext_manager *m)
{
	if (m->autoload && *m->autoload)
		read_autoload(m);
	if (m->extension && *m->extension)
		add_child(m, m->extension, false);
	if (m->children->len == 0)
		return 0;
	for (guint i = 0; i < m->children->len; i++) {
		hq_ext_child *c = m->children->pdata[i];
		launch(m, c);
		if (c->pid > 0)
			m->n_launched++;
	}
	if (pthread_create(&m->supervisor_thread, NULL, supervisor_thread, m) != 0)
		return -EAGAIN;
	m->supervisor_started = true;
	return 0;
}

void hq_ext_autoload_stop(hq_ext_manager *m)
{
	if (m->supervisor_started) {
		pthread_join(m->supervisor_thread, NULL);
		m->supervisor_started = false;
	}
	int alive = 0;
	for (guint i = 0; i < m->children->len; i++) {
		hq_ext_child *c = m->children->pdata[i];
		if (c->pid > 0 && kill(c->pid, SIGTERM) == 0)
			alive++;
	}
	for (int waited = 0; alive > 0; waited += 50) {
		alive = 0;
		for (guint i = 0; i < m->children->len; i++) {
			hq_ext_child *c = m->children->pdata[i];
			if (c->pid <= 0)
				continue;
			if (waitpid(c->pid, NULL, WNOHANG) == c->pid)
				c->pid = 0;
			else if (waited >= STOP_GRACE_MS) {
				hq_log_warning("extension %s (pid %d) ignored SIGTERM; killing it",
					       c->path, (int)c->pid);
				kill(c->pid, SIGKILL);
				(void)waitpid(c->pid, NULL, 0);
				c->pid = 0;
			} else
				alive++;
		}
		if (alive)
			usleep(50000);
	}
	for (guint i = 0; i < m->children->len; i++) {
		hq_ext_child *c = m->children->pdata[i];
		g_free(c->path);
		g_free(c);
	}
	g_ptr_array_set_size(m->children, 0);
}
