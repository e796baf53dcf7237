/* A tiny leveled logger with a replaceable sink (stderr by default, the daemon may route it
 * to its status log). */
#include <stdarg.h>

#include "hq/log.h"
#include "hq/query.h"

static hq_log_level max_level = HQ_LOG_WARNING;
static hq_log_sink_fn sink_fn;
static void *sink_userdata;

void hq_log_set_max_level(hq_log_level level)
{
	max_level = level;
}

hq_log_level hq_log_get_max_level(void)
{
	return max_level;
}

void hq_log_set_sink(hq_log_sink_fn fn, void *userdata)
{
	sink_fn = fn;
	sink_userdata = userdata;
}

static void log_va(hq_log_level level, const char *fmt, va_list ap) _printf_(2, 0);
static void log_va(hq_log_level level, const char *fmt, va_list ap)
{
	char msg[2048];
	int saved = errno;

	if (level > max_level)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (sink_fn)
		sink_fn(level, msg, sink_userdata);
	else
		fprintf(stderr, "hostq: %s\n", msg);
	errno = saved;
}

void hq_log(hq_log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_va(level, fmt, ap);
	va_end(ap);
}

void hq_log_debug(const char *fmt, ...)
{
	va_list ap;

	if (max_level < HQ_LOG_DEBUG)
		return;
	va_start(ap, fmt);
	log_va(HQ_LOG_DEBUG, fmt, ap);
	va_end(ap);
}
