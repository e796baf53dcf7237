/* The extension manager as a loadable module (hostq-extensions.so) for hostqi.
 *
 * Why: the manager needs GLib, GObject and libthrift_c_glib (and through it libssl and
 * libcrypto). Linked into hostqi they are mapped and relocated at every start, a couple of
 * milliseconds that a one-shot `hostqi "SELECT 1"` never uses. So hostqi dlopen()s the manager
 * only when it is about to start one (interactive mode, a script on standard input, or an
 * extension flag); hostqd, which always starts it, links the same code directly.
 *
 * The boundary is two tables of function pointers, nothing else: hostqi exports no symbols.
 * hostqi hands the module a hq_ext_core_api (the engine, row and query-context functions
 * extension tables need, logging, agent info); the module's shims (module.c) define the usual
 * hq_* functions on top of it, so the manager's sources are the same in both builds, and the
 * module links with -z defs, so a core function missing from the table fails the build rather
 * than the dlopen(). The module answers with a hq_ext_module_api: the functions of
 * hq_extensions.h that the shell calls. Both sides check HQ_EXT_MODULE_ABI_VERSION and the
 * struct sizes, and the module refuses a hostqi of another version: bump the ABI version when
 * either table or a struct crossing it (hq_ext_config, hq_table_def, hq_agent_info) changes.
 *
 * Lookup (hq_ext_module_load): $HOSTQ_MODULE_DIR when set (and nothing else, for tests), else
 * next to the running binary (the build tree), else the install directory relative to the
 * binary (<bindir>/../<libdir>/hostq, so a relocated prefix works), else the install directory
 * baked in at build time. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "hq/agent.h"
#include "hq/log.h"
#include "hq/query.h"
#include "hq/row.h"
#include "hq_extensions.h"

#define HQ_EXT_MODULE_ABI_VERSION 1
#define HQ_EXT_MODULE_FILE "hostq-extensions.so"
#define HQ_EXT_MODULE_ENTRY "hq_extensions_module_init"

/* What hostqi lends the module. Messages arrive formatted (the module formats its varargs). */
typedef struct hq_ext_core_api {
	unsigned abi_version; /* HQ_EXT_MODULE_ABI_VERSION */
	size_t size;	      /* sizeof(hq_ext_core_api) */
	const char *version;  /* HQ_VERSION of the binary */

	hq_log_level (*log_get_max_level)(void);
	void (*log)(hq_log_level level, const char *message);
	void (*agent_info_get)(hq_agent_info *ret);
	void (*agent_info_set)(const hq_agent_info *info);

	sqlite3 *(*engine_db)(hq_engine *e);
	int (*engine_add_table)(hq_engine *e, const hq_table_def *def);
	int (*engine_remove_table)(hq_engine *e, const char *name);
	const hq_table_def *(*engine_find_table)(hq_engine *e, const char *name);
	size_t (*engine_tables)(hq_engine *e, const hq_table_def *const **ret_tables);
	void (*engine_begin_query)(hq_engine *e);
	int (*engine_exec)(hq_engine *e, const char *sql, hq_exec_row_fn fn, void *userdata,
			   char **ret_error);

	const hq_table_def *(*ctx_table)(const hq_query_ctx *ctx);
	const hq_constraint *(*ctx_next_constraint)(const hq_query_ctx *ctx, unsigned column,
						    const hq_constraint *prev);
	bool (*ctx_column_used)(const hq_query_ctx *ctx, unsigned column);
	int (*ctx_error)(hq_query_ctx *ctx, int r, const char *message);
	int (*row_begin)(hq_row_sink *sink, hq_row **ret_row);
	int (*row_commit)(hq_row_sink *sink, hq_row *row);
	void (*row_set_int64)(hq_row *row, unsigned col, int64_t v);
	void (*row_set_double)(hq_row *row, unsigned col, double v);
	void (*row_set_text)(hq_row *row, unsigned col, const char *s);
	void (*row_set_text_static)(hq_row *row, unsigned col, const char *s);

	int (*safe_atoi)(const char *s, int *ret);
	int (*safe_atoi64)(const char *s, int64_t *ret);
	int (*safe_atou64)(const char *s, uint64_t *ret);
} hq_ext_core_api;

/* What the module gives back: hq_extensions.h's functions, same contracts. */
typedef struct hq_ext_module_api {
	unsigned abi_version; /* HQ_EXT_MODULE_ABI_VERSION */
	size_t size;	      /* sizeof(hq_ext_module_api) */
	int (*start)(hq_engine *engine, const hq_ext_config *cfg, hq_ext_manager **ret);
	int (*fd)(hq_ext_manager *m);
	int (*dispatch)(hq_ext_manager *m);
	void (*wait_autoloaded)(hq_ext_manager *m, int timeout_ms);
	void (*stop)(hq_ext_manager *m);
	const char *(*socket)(hq_ext_manager *m);
} hq_ext_module_api;

/* The module's only exported symbol. Keeps core (it must outlive the module's use) and returns
 * 0 with *ret set, or -EPROTO for a core of another ABI or version. Called once. */
typedef int (*hq_ext_module_init_fn)(const hq_ext_core_api *core, const hq_ext_module_api **ret);
int hq_extensions_module_init(const hq_ext_core_api *core, const hq_ext_module_api **ret);

/* hostqi: finds, loads and initialises the module (once; later calls return the same table).
 * On failure returns a negative errno and, when ret_error is not NULL, a message naming the
 * file(s) tried and why they failed (caller frees). */
int hq_ext_module_load(const hq_ext_module_api **ret, char **ret_error);
