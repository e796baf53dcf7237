/* Logging for the shell, daemon and manager. Tables and parsers log at debug level only. */
#pragma once

#include "hq/util.h"

typedef enum hq_log_level {
	HQ_LOG_ERROR,
	HQ_LOG_WARNING,
	HQ_LOG_INFO,
	HQ_LOG_DEBUG,
	_HQ_LOG_LEVEL_MAX,
} hq_log_level;

/* Messages above this level are dropped (default HQ_LOG_WARNING; --verbose sets DEBUG). */
void hq_log_set_max_level(hq_log_level level);
hq_log_level hq_log_get_max_level(void);

/* Where messages go; the default writes "hostq: <message>" lines to stderr. */
typedef void (*hq_log_sink_fn)(hq_log_level level, const char *message, void *userdata);
void hq_log_set_sink(hq_log_sink_fn fn, void *userdata);

void hq_log(hq_log_level level, const char *fmt, ...) _printf_(2, 3);
#define hq_log_error(...) hq_log(HQ_LOG_ERROR, __VA_ARGS__)
#define hq_log_warning(...) hq_log(HQ_LOG_WARNING, __VA_ARGS__)
#define hq_log_info(...) hq_log(HQ_LOG_INFO, __VA_ARGS__)
