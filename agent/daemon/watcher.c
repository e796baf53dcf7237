/* The watcher (osquery's watchdog process): forks the worker, restarts it when it dies (with a
 * growing delay when it keeps dying), kills it when its resident memory passes
 * --watchdog_memory_limit, forwards SIGHUP/SIGTERM/SIGINT and talks to systemd. The worker
 * finds the query it was running through the state database and denylists it. */
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-event.h>
#include <time.h>

#include "daemon/daemon.h"
#include "options/options.h"
#include "scheduler/schedule.h"

#define CHECK_INTERVAL_USEC (2 * HQ_USEC_PER_SEC)
#define MAX_RESTART_DELAY_SEC 60

static struct watcher {
	sd_event *event;
	sd_event_source *child;
	sd_event_source *restart;
	hq_config *config;
	pid_t worker;
	bool stopping;
	bool ready_sent;
	int64_t started;       /* unix time the current worker started */
	int64_t restart_delay; /* seconds */
	unsigned generation;
} wt = {.restart_delay = 1};

static int spawn(void);

static int64_t worker_rss_mb(pid_t pid)
{
	char path[64], buf[128];
	long size, resident;

	snprintf(path, sizeof(path), "/proc/%d/statm", (int)pid);
	if (hq_read_small_file_at(AT_FDCWD, path, buf, sizeof(buf)) < 0 ||
	    sscanf(buf, "%ld %ld", &size, &resident) != 2)
		return 0;
	return (int64_t)resident * sysconf(_SC_PAGESIZE) / (1024 * 1024);
}

static int on_restart(sd_event_source *s, uint64_t usec, void *userdata)
{
	(void)s;
	(void)usec;
	(void)userdata;
	if (!wt.stopping && wt.worker <= 0)
		(void)spawn();
	return 0;
}

static int on_child(sd_event_source *s, const siginfo_t *si, void *userdata)
{
	int64_t lived = (int64_t)time(NULL) - wt.started;

	(void)userdata;
	sd_event_source_unref(s);
	wt.child = NULL;
	wt.worker = 0;
	if (wt.stopping)
		return sd_event_exit(wt.event, si->si_code == CLD_EXITED ? si->si_status : 1);
	if (si->si_code == CLD_EXITED && si->si_status == HQ_EXIT_STARTUP) {
		hq_status_error("Worker %d could not start, stopping", (int)si->si_pid);
		return sd_event_exit(wt.event, 1);
	}
	if (si->si_code == CLD_EXITED)
		hq_status_error("Worker %d exited with status %d, restarting", (int)si->si_pid,
				si->si_status);
	else
		hq_status_error("Worker %d was stopped by signal %d, restarting", (int)si->si_pid,
				si->si_status);
	/* A worker that keeps dying right away is restarted more and more slowly. */
	if (lived > MAX_RESTART_DELAY_SEC)
		wt.restart_delay = 1;
	else if (wt.restart_delay < MAX_RESTART_DELAY_SEC)
		wt.restart_delay *= 2;
	return sd_event_add_time_relative(
		wt.event, NULL, CLOCK_MONOTONIC,
		(uint64_t)(lived > MAX_RESTART_DELAY_SEC ? 0 : wt.restart_delay) * HQ_USEC_PER_SEC /
			2,
		HQ_USEC_PER_SEC / 10, on_restart, NULL);
}

static int spawn(void)
{
	pid_t parent = getpid(), pid;
	int r;

	pid = fork();
	if (pid < 0) {
		hq_status_error("Cannot fork the worker: %m");
		return -errno;
	}
	if (pid == 0) {
		/* Worker: its own event loop; dies with the watcher. */
		(void)prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != parent)
			_exit(0);
		_exit(hq_worker_run(wt.config, parent, wt.generation > 0));
	}
	hq_status_forget_pending();
	wt.generation++;
	wt.worker = pid;
	wt.started = time(NULL);
	r = sd_event_add_child(wt.event, &wt.child, pid, WEXITED, on_child, NULL);
	if (r < 0)
		hq_status_error("Cannot watch the worker: %s", strerror(-r));
	if (!wt.ready_sent) {
		hq_daemon_notify_ready();
		wt.ready_sent = true;
	}
	return r;
}

static int on_check(sd_event_source *s, uint64_t usec, void *userdata)
{
	int64_t limit = hq_opt.watchdog_memory_limit;

	(void)userdata;
	if (wt.worker > 0 && limit > 0 &&
	    (int64_t)time(NULL) - wt.started >= hq_opt.watchdog_delay) {
		int64_t rss = worker_rss_mb(wt.worker);
		if (rss > limit) {
			hq_status_warning("Memory limits exceeded: %lld MB (limit is %lld MB); "
					  "stopping worker %d",
					  (long long)rss, (long long)limit, (int)wt.worker);
			(void)kill(wt.worker, SIGKILL);
		}
	}
	sd_event_source_set_time(s, usec + CHECK_INTERVAL_USEC);
	return 0;
}

static int on_signal(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata)
{
	(void)s;
	(void)userdata;
	if (si->ssi_signo == SIGHUP) {
		if (wt.worker > 0)
			(void)kill(wt.worker, SIGHUP);
		return 0;
	}
	wt.stopping = true;
	(void)sd_notify(0, "STOPPING=1");
	if (wt.worker > 0)
		(void)kill(wt.worker, SIGTERM);
	else
		return sd_event_exit(wt.event, 0);
	return 0;
}

static bool worker_alive(void)
{
	return wt.worker > 0;
}

int hq_watcher_run(hq_config *config)
{
	sigset_t mask;
	sd_event_source *check = NULL, *wd = NULL;
	int r;

	wt.config = config;
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, NULL);

	r = sd_event_new(&wt.event);
	if (r >= 0)
		r = sd_event_add_signal(wt.event, NULL, SIGTERM, on_signal, NULL);
	if (r >= 0)
		r = sd_event_add_signal(wt.event, NULL, SIGINT, on_signal, NULL);
	if (r >= 0)
		r = sd_event_add_signal(wt.event, NULL, SIGHUP, on_signal, NULL);
	if (r >= 0)
		r = sd_event_add_time_relative(wt.event, &check, CLOCK_MONOTONIC,
					       CHECK_INTERVAL_USEC, HQ_USEC_PER_SEC / 10, on_check,
					       NULL);
	if (r >= 0)
		r = sd_event_source_set_enabled(check, SD_EVENT_ON);
	if (r >= 0)
		r = hq_daemon_add_watchdog(wt.event, worker_alive, &wd);
	if (r < 0) {
		hq_status_error("Cannot set up the watcher: %s", strerror(-r));
		return 1;
	}
	r = spawn();
	if (r < 0)
		return 1;
	r = sd_event_loop(wt.event);
	sd_event_source_unref(check);
	sd_event_source_unref(wd);
	sd_event_source_unref(wt.child);
	sd_event_unref(wt.event);
	hq_config_free(wt.config);
	return r < 0 ? 1 : r;
}
