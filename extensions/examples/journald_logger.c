/* journald_logger.ext: a logger plugin named "journald" that writes every result and status line
 * to the systemd journal with structured fields (MESSAGE, HOSTQ_CATEGORY, PRIORITY, CODE_FILE,
 * CODE_LINE, SYSLOG_IDENTIFIER=hostq). Select it with --logger_plugin=journald. When no journal
 * is running, lines go to stderr instead so nothing is lost silently. */
#include <errno.h>
#include <hostq/extension.h>
#include <stdio.h>
#include <string.h>
#include <systemd/sd-journal.h>
#include <unistd.h>

/* sd_journal_send() reports success when no journal listens, so look for its socket. */
static int have_journal;

static void fallback(const char *what, const char *line, int r)
{
	fprintf(stderr, "journald_logger: journal unavailable (%s): %s %s\n", strerror(-r), what,
		line);
}

static int log_string(const char *line, const char *category, void *userdata)
{
	int r = have_journal ? sd_journal_send("MESSAGE=%s", line, "HOSTQ_CATEGORY=%s",
					       category ? category : "", "PRIORITY=6",
					       "SYSLOG_IDENTIFIER=hostq", NULL)
			     : -ENOENT;
	if (r < 0)
		fallback(category ? category : "result", line, r);
	return 0;
}

static int log_status(int severity, const char *file, int line, const char *message, void *userdata)
{
	/* osquery severities: 0 info, 1 warning, 2 error, 3 fatal. The entry's origin is the
	 * agent's source location, not ours. */
	static const int prio[] = {6, 4, 3, 2};
	char code_file[512], code_line[32];
	snprintf(code_file, sizeof(code_file), "CODE_FILE=%s", file ? file : "");
	snprintf(code_line, sizeof(code_line), "CODE_LINE=%d", line);
	int r = have_journal ? sd_journal_send_with_location(
				       code_file, code_line, "", "MESSAGE=%s",
				       message ? message : "", "PRIORITY=%d",
				       prio[severity >= 0 && severity <= 3 ? severity : 0],
				       "HOSTQ_CATEGORY=status", "SYSLOG_IDENTIFIER=hostq", NULL)
			     : -ENOENT;
	if (r < 0)
		fallback("status", message ? message : "", r);
	return 0;
}

int main(int argc, char **argv)
{
	static const hq_extension_logger logger = {.log_string = log_string,
						   .log_status = log_status};
	have_journal = access("/run/systemd/journal/socket", F_OK) == 0;
	hq_extension *e = hq_extension_new("journald_logger", "1.0.0");
	hq_extension_add_logger(e, "journald", &logger, NULL);
	int status = hq_extension_run(e, argc, argv);
	hq_extension_free(e);
	return status;
}
