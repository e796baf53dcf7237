/* hostq-extensions.so's side of the boundary (hq_extensions_module.h): the entry point, and the
 * hq_* core functions the manager calls, forwarded to the table hostqi lends. Only built into
 * the module; hostqd links the manager against the real core instead. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hq_extensions_module.h"

static const hq_ext_core_api *core;

/* ---- the core, through the table ---- */

static void log_va(hq_log_level level, const char *fmt, va_list ap)
{
	char *msg = NULL;
	if (level > core->log_get_max_level())
		return;
	if (vasprintf(&msg, fmt, ap) < 0)
		return;
	core->log(level, msg);
	free(msg);
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
	va_start(ap, fmt);
	log_va(HQ_LOG_DEBUG, fmt, ap);
	va_end(ap);
}

void hq_agent_info_get(hq_agent_info *ret)
{
	core->agent_info_get(ret);
}

void hq_agent_info_set(const hq_agent_info *info)
{
	core->agent_info_set(info);
}

sqlite3 *hq_engine_db(hq_engine *e)
{
	return core->engine_db(e);
}

int hq_engine_add_table(hq_engine *e, const hq_table_def *def)
{
	return core->engine_add_table(e, def);
}

int hq_engine_remove_table(hq_engine *e, const char *name)
{
	return core->engine_remove_table(e, name);
}

const hq_table_def *hq_engine_find_table(hq_engine *e, const char *name)
{
	return core->engine_find_table(e, name);
}

size_t hq_engine_tables(hq_engine *e, const hq_table_def *const **ret_tables)
{
	return core->engine_tables(e, ret_tables);
}

void hq_engine_begin_query(hq_engine *e)
{
	core->engine_begin_query(e);
}

int hq_engine_exec(hq_engine *e, const char *sql, hq_exec_row_fn fn, void *userdata,
		   char **ret_error)
{
	return core->engine_exec(e, sql, fn, userdata, ret_error);
}

const hq_table_def *hq_ctx_table(const hq_query_ctx *ctx)
{
	return core->ctx_table(ctx);
}

const hq_constraint *hq_ctx_next_constraint(const hq_query_ctx *ctx, unsigned column,
					    const hq_constraint *prev)
{
	return core->ctx_next_constraint(ctx, column, prev);
}

bool hq_ctx_column_used(const hq_query_ctx *ctx, unsigned column)
{
	return core->ctx_column_used(ctx, column);
}

int hq_ctx_error(hq_query_ctx *ctx, int r, const char *fmt, ...)
{
	char *msg = NULL;
	va_list ap;
	if (r >= 0)
		r = -EIO;
	errno = -r; /* for %m, as the core does */
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	r = core->ctx_error(ctx, r, msg ? msg : strerror(-r));
	free(msg);
	return r;
}

int hq_row_begin(hq_row_sink *sink, hq_row **ret_row)
{
	return core->row_begin(sink, ret_row);
}

int hq_row_commit(hq_row_sink *sink, hq_row *row)
{
	return core->row_commit(sink, row);
}

void hq_row_set_int64(hq_row *row, unsigned col, int64_t v)
{
	core->row_set_int64(row, col, v);
}

void hq_row_set_double(hq_row *row, unsigned col, double v)
{
	core->row_set_double(row, col, v);
}

void hq_row_set_text(hq_row *row, unsigned col, const char *s)
{
	core->row_set_text(row, col, s);
}

void hq_row_set_text_static(hq_row *row, unsigned col, const char *s)
{
	core->row_set_text_static(row, col, s);
}

int hq_safe_atoi(const char *s, int *ret)
{
	return core->safe_atoi(s, ret);
}

int hq_safe_atoi64(const char *s, int64_t *ret)
{
	return core->safe_atoi64(s, ret);
}

int hq_safe_atou64(const char *s, uint64_t *ret)
{
	return core->safe_atou64(s, ret);
}

/* ---- the entry point ---- */

static const hq_ext_module_api api = {
	.abi_version = HQ_EXT_MODULE_ABI_VERSION,
	.size = sizeof(hq_ext_module_api),
	.start = hq_extensions_start,
	.fd = hq_extensions_fd,
	.dispatch = hq_extensions_dispatch,
	.wait_autoloaded = hq_extensions_wait_autoloaded,
	.stop = hq_extensions_stop,
	.socket = hq_extensions_socket,
};

__attribute__((visibility("default"))) int hq_extensions_module_init(const hq_ext_core_api *c,
								     const hq_ext_module_api **ret)
{
	/* Structs cross this boundary by layout: only a hostqi built from the same sources. */
	if (!c || c->abi_version != HQ_EXT_MODULE_ABI_VERSION ||
	    c->size != sizeof(hq_ext_core_api) || !c->version ||
	    strcmp(c->version, HQ_VERSION) != 0)
		return -EPROTO;
	core = c;
	*ret = &api;
	return 0;
}
