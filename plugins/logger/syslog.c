/* syslog logger: results and snapshots at LOG_INFO (optionally with rsyslog's "@cee:" cookie),
 * status lines as "severity=N location=FILE:LINE message=TEXT" at NOTICE/WARNING/ERR/CRIT;
 * facility --logger_syslog_facility (osquery's syslog logger). */
#include <syslog.h>

#include "hq/plugin.h"
#include "options/options.h"

typedef struct sys_logger {
	char *ident;
} sys_logger;

static int sys_init(void *state, const char *name)
{
	sys_logger *l = state;
	int64_t facility = hq_opt.logger_syslog_facility;

	if (facility < 0 || facility > 23)
		facility = 19;
	free(l->ident);
	/* openlog() keeps the pointer: the string lives as long as the plugin. */
	l->ident = strdup(name);
	if (!l->ident)
		return -ENOMEM;
	openlog(l->ident, LOG_PID | LOG_CONS | LOG_NDELAY, (int)facility << 3);
	return 0;
}

static int sys_log_result(void *state, const char *json_line, int is_snapshot)
{
	(void)state;
	(void)is_snapshot;
	if (hq_opt.logger_syslog_prepend_cee)
		syslog(LOG_INFO, "@cee:%s", json_line);
	else
		syslog(LOG_INFO, "%s", json_line);
	return 0;
}

static int sys_log_status(void *state, const hq_status_entry *e, size_t n)
{
	static const int prio[] = {LOG_NOTICE, LOG_WARNING, LOG_ERR, LOG_CRIT};

	(void)state;
	for (size_t i = 0; i < n; i++)
		syslog(prio[e[i].severity >= 0 && e[i].severity < 4 ? e[i].severity : 0],
		       "severity=%d location=%s:%d message=%s", e[i].severity, e[i].filename ?: "",
		       e[i].line, e[i].message ?: "");
	return 0;
}

static void sys_free(void *state)
{
	sys_logger *l = state;

	if (!l)
		return;
	if (l->ident)
		closelog();
	free(l->ident);
	free(l);
}

void *hq_logger_syslog_new(void);
void *hq_logger_syslog_new(void)
{
	return calloc(1, sizeof(sys_logger));
}

const hq_logger_plugin hq_logger_syslog = {
	.version = HQ_PLUGIN_ABI_VERSION,
	.name = "syslog",
	.init = sys_init,
	.log_result = sys_log_result,
	.log_status = sys_log_status,
	.free = sys_free,
};
