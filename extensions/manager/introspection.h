/* The osquery_extensions and osquery_registry tables, GLib-free so hostqi can show them without
 * loading the manager module: their schema and registration (shared with the manager, whose
 * generators list live extensions), and the generators of a shell without a manager. */
#pragma once

#include <stdint.h>

#include "hq/table.h"
#include "sql/engine.h"

enum {
	HQ_EXT_COL_UUID,
	HQ_EXT_COL_NAME,
	HQ_EXT_COL_VERSION,
	HQ_EXT_COL_SDK_VERSION,
	HQ_EXT_COL_PATH,
	HQ_EXT_COL_TYPE,
	_HQ_EXT_COL_MAX,
};

/* Adds osquery_extensions and osquery_registry with these generators (userdata reaches them
 * through hq_ctx_table(ctx)->userdata), unless a built-in of either name exists (then 0 and
 * *ret_defs = NULL). On success *ret_defs holds the two definitions until
 * hq_ext_introspection_remove(). Engine thread only. */
int hq_ext_introspection_add(hq_engine *e, hq_generate_fn gen_extensions,
			     hq_generate_fn gen_registry, void *userdata, hq_table_def **ret_defs);

/* Removes what hq_ext_introspection_add() added and frees defs (NULL is fine). */
void hq_ext_introspection_remove(hq_engine *e, hq_table_def *defs);

/* Emits one osquery_registry row (internal is always 0). */
int hq_ext_registry_row(hq_row_sink *sink, const char *registry, const char *name, int64_t owner,
			int active);

/* The tables as a shell without a manager shows them (a one-shot query, --disable_extensions,
 * or the manager module missing): no extensions, every engine table as a core one. */
int hq_ext_introspection_add_disabled(hq_engine *e, hq_table_def **ret_defs);
