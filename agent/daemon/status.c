/* hostqd's status log: osquery status entries fanned out to the active loggers and stderr, and
 * the list of active loggers itself. Entries logged before the loggers are up are buffered
 * (osquery's "init" flush). */
#include <stdarg.h>
#include <time.h>

#include "daemon/daemon.h"
#include "hq/plugin.h"
#include "options/options.h"
#include "scheduler/diff.h"

#define MAX_BUFFERED 256

typedef struct buffered {
	int severity;
	char *file;
	int line;
	char *message;
	int64_t unix_time;
} buffered;

static hq_active_logger *loggers;
static size_t n_loggers;
static bool loggers_up;
static buffered pending[MAX_BUFFERED];
static size_t n_pending;
static char *host_id;
static bool in_status; /* a logger that logs while logging must not recurse */

size_t hq_status_loggers(const hq_active_logger **ret)
{
	*ret = loggers;
	return n_loggers;
}

void hq_status_set_host_identifier(const char *h)
{
	char *n = strdup(h ?: "");

	if (n) {
		free(host_id);
		host_id = n;
	}
}

static const char *basename_of(const char *file)
{
	const char *s = file ? strrchr(file, '/') : NULL;
	return s ? s + 1 : file ? file : "";
}

static void deliver(int severity, const char *file, int line, const char *message,
		    int64_t unix_time)
{
	char cal[64];
	hq_status_entry e;

	if (severity < hq_opt.logger_min_status)
		return;
	hq_calendar_time(unix_time, cal);
	e = (hq_status_entry){.severity = severity,
			      .filename = file,
			      .line = line,
			      .message = message,
			      .host_identifier = host_id ?: "",
			      .calendar_time = cal,
			      .unix_time = unix_time};
	for (size_t i = 0; i < n_loggers; i++)
		if (loggers[i].vt->log_status && !(hq_opt.logger_secondary_status_only && i == 0))
			(void)loggers[i].vt->log_status(loggers[i].state, &e, 1);
}

static void status_va(int severity, const char *file, int line, const char *fmt, va_list ap)
	_printf_(4, 0);
static void status_va(int severity, const char *file, int line, const char *fmt, va_list ap)
{
	static const char sev[] = "IWEF";
	char msg[2048];
	int64_t now = time(NULL);
	int saved = errno;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	file = basename_of(file);
	if (severity < 0 || severity > 3)
		severity = 0;
	if (hq_opt.logger_stderr && !hq_opt.disable_logging &&
	    (severity >= hq_opt.logger_min_stderr || hq_opt.verbose))
		fprintf(stderr, "%c %s:%d] %s\n", sev[severity], file, line, msg);
	if (hq_opt.disable_logging || in_status) {
		errno = saved;
		return;
	}
	in_status = true;
	if (loggers_up)
		deliver(severity, file, line, msg, now);
	else if (n_pending < MAX_BUFFERED) {
		pending[n_pending] = (buffered){severity, strdup(file), line, strdup(msg), now};
		n_pending++;
	}
	in_status = false;
	errno = saved;
}

void hq_status(int severity, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	status_va(severity, file, line, fmt, ap);
	va_end(ap);
}

static void log_sink(hq_log_level level, const char *message, void *userdata)
{
	(void)userdata;
	switch (level) {
	case HQ_LOG_ERROR:
		hq_status(2, "hostqd", 0, "%s", message);
		break;
	case HQ_LOG_WARNING:
		hq_status(1, "hostqd", 0, "%s", message);
		break;
	case HQ_LOG_INFO:
		hq_status(0, "hostqd", 0, "%s", message);
		break;
	default:
		if (hq_opt.verbose)
			fprintf(stderr, "D %s\n", message);
		break;
	}
}

void hq_status_install_log_sink(void)
{
	hq_log_set_max_level(hq_opt.verbose ? HQ_LOG_DEBUG : HQ_LOG_INFO);
	hq_log_set_sink(log_sink, NULL);
}

int hq_status_init_loggers(const char *host_identifier)
{
	_cleanup_free_ char *list = strdup(hq_opt.logger_plugin);
	char *save = NULL, *tok;
	int r = 0;

	if (!list)
		return -ENOMEM;
	hq_status_set_host_identifier(host_identifier);
	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		void *state = NULL;
		const hq_logger_plugin *vt;
		hq_active_logger *n;

		while (*tok == ' ')
			tok++;
		if (!*tok)
			continue;
		vt = hq_plugin_find(HQ_PLUGIN_LOGGER, tok, &state);
		if (!vt) {
			hq_status_error("Unknown logger plugin: %s", tok);
			r = -ENOENT;
			continue;
		}
		if (vt->init) {
			int k = vt->init(state, HQ_DAEMON_NAME);
			if (k < 0) {
				hq_status_error("Cannot start logger plugin %s: %s", tok,
						strerror(-k));
				r = k;
				continue;
			}
		}
		n = realloc(loggers, (n_loggers + 1) * sizeof(*n));
		if (!n)
			return -ENOMEM;
		loggers = n;
		loggers[n_loggers++] = (hq_active_logger){vt, state};
	}
	loggers_up = true;
	for (size_t i = 0; i < n_pending; i++) {
		if (pending[i].message)
			deliver(pending[i].severity, pending[i].file ?: "", pending[i].line,
				pending[i].message, pending[i].unix_time);
		free(pending[i].file);
		free(pending[i].message);
	}
	n_pending = 0;
	hq_status_flush_loggers();
	return r;
}

void hq_status_forget_pending(void)
{
	for (size_t i = 0; i < n_pending; i++) {
		free(pending[i].file);
		free(pending[i].message);
	}
	n_pending = 0;
}

void hq_status_flush_loggers(void)
{
	for (size_t i = 0; i < n_loggers; i++)
		if (loggers[i].vt->flush)
			(void)loggers[i].vt->flush(loggers[i].state);
}
