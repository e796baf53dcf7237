/* stdout logger: result and snapshot lines, and status lines in the syslog logger's text
 * form, on standard output (osquery's stdout logger). */
#include "hq/plugin.h"

static int out_init(void *state, const char *name)
{
	(void)state;
	(void)name;
	return 0;
}

static int out_log_result(void *state, const char *json_line, int is_snapshot)
{
	(void)state;
	(void)is_snapshot;
	if (fputs(json_line, stdout) < 0 || fputc('\n', stdout) < 0)
		return -EIO;
	return 0;
}

static int out_log_status(void *state, const hq_status_entry *e, size_t n)
{
	(void)state;
	for (size_t i = 0; i < n; i++)
		if (printf("severity=%d location=%s:%d message=%s\n", e[i].severity,
			   e[i].filename ?: "", e[i].line, e[i].message ?: "") < 0)
			return -EIO;
	return 0;
}

static int out_flush(void *state)
{
	(void)state;
	return fflush(stdout) == 0 ? 0 : -EIO;
}

static void out_free(void *state)
{
	free(state);
}

void *hq_logger_stdout_new(void);
void *hq_logger_stdout_new(void)
{
	return calloc(1, 1);
}

const hq_logger_plugin hq_logger_stdout = {
	.version = HQ_PLUGIN_ABI_VERSION,
	.name = "stdout",
	.init = out_init,
	.log_result = out_log_result,
	.log_status = out_log_status,
	.flush = out_flush,
	.free = out_free,
};
