/* journald logger (a hostq addition): each result line is one journal entry with MESSAGE = the
 * JSON line and the fields HOSTQ_LOG_TYPE (result, snapshot, status), HOSTQ_QUERY_NAME and
 * HOSTQ_ACTION (added, removed, snapshot, or "batch" for diffResults lines), sent with
 * sd_journal_send() to the local journald. */
#include <jansson.h>
#include <syslog.h>
#include <systemd/sd-journal.h>

#include "hq/plugin.h"

typedef struct journal_logger {
	char *ident;
} journal_logger;

static int j_init(void *state, const char *name)
{
	journal_logger *l = state;

	free(l->ident);
	l->ident = strdup(name);
	return l->ident ? 0 : -ENOMEM;
}

static int j_log_result(void *state, const char *json_line, int is_snapshot)
{
	journal_logger *l = state;
	json_t *j = json_loads(json_line, 0, NULL);
	const char *name = json_string_value(json_object_get(j, "name"));
	const char *action = json_string_value(json_object_get(j, "action"));
	int r;

	if (!action && json_object_get(j, "diffResults"))
		action = "batch";
	r = sd_journal_send("MESSAGE=%s", json_line, "PRIORITY=%d", LOG_INFO,
			    "SYSLOG_IDENTIFIER=%s", l->ident ?: "hostqd", "HOSTQ_LOG_TYPE=%s",
			    is_snapshot ? "snapshot" : "result", "HOSTQ_QUERY_NAME=%s", name ?: "",
			    "HOSTQ_ACTION=%s", action ?: "", NULL);
	json_decref(j);
	return r < 0 ? r : 0;
}

static int j_log_status(void *state, const hq_status_entry *e, size_t n)
{
	static const int prio[] = {LOG_NOTICE, LOG_WARNING, LOG_ERR, LOG_CRIT};
	journal_logger *l = state;

	for (size_t i = 0; i < n; i++) {
		int sev = e[i].severity >= 0 && e[i].severity < 4 ? e[i].severity : 0;
		int r = sd_journal_send("MESSAGE=%s", e[i].message ?: "", "PRIORITY=%d", prio[sev],
					"SYSLOG_IDENTIFIER=%s", l->ident ?: "hostqd",
					"HOSTQ_LOG_TYPE=status", "HOSTQ_SEVERITY=%d", e[i].severity,
					"CODE_FILE=%s", e[i].filename ?: "", "CODE_LINE=%d",
					e[i].line, NULL);
		if (r < 0)
			return r;
	}
	return 0;
}

static void j_free(void *state)
{
	journal_logger *l = state;

	if (l)
		free(l->ident);
	free(l);
}

void *hq_logger_journald_new(void);
void *hq_logger_journald_new(void)
{
	return calloc(1, sizeof(journal_logger));
}

const hq_logger_plugin hq_logger_journald = {
	.version = HQ_PLUGIN_ABI_VERSION,
	.name = "journald",
	.init = j_init,
	.log_result = j_log_result,
	.log_status = j_log_status,
	.free = j_free,
};
