/* osquery_extensions and osquery_registry: schema, registration, and the generators of a shell
 * without a manager (see introspection.h). No GLib here: hostqi links this file directly. */
#include <assert.h>
#include <errno.h>
#include <sqlite3.h>
#include <stdlib.h>

#include "hq/query.h"
#include "hq/row.h"
#include "introspection.h"

static const hq_column ext_columns[] = {
	[HQ_EXT_COL_UUID] = {"uuid", HQ_TYPE_BIGINT, 0,
			     "The transient ID assigned for communication"},
	[HQ_EXT_COL_NAME] = {"name", HQ_TYPE_TEXT, 0, "Extension's name"},
	[HQ_EXT_COL_VERSION] = {"version", HQ_TYPE_TEXT, HQ_COL_COLLATE_VERSION,
				"Extension's version"},
	[HQ_EXT_COL_SDK_VERSION] = {"sdk_version", HQ_TYPE_TEXT, HQ_COL_COLLATE_VERSION,
				    "osquery SDK version used to build the extension"},
	[HQ_EXT_COL_PATH] = {"path", HQ_TYPE_TEXT, 0, "Path of the extension's Thrift connection"},
	[HQ_EXT_COL_TYPE] = {"type", HQ_TYPE_TEXT, 0,
			     "SDK extension type: core, extension, or module"},
};
static_assert(HQ_ELEMENTSOF(ext_columns) == _HQ_EXT_COL_MAX, "column enum and array disagree");
static const hq_column ext_columns_plain[] = {
	[HQ_EXT_COL_UUID] = {"uuid", HQ_TYPE_BIGINT, 0,
			     "The transient ID assigned for communication"},
	[HQ_EXT_COL_NAME] = {"name", HQ_TYPE_TEXT, 0, "Extension's name"},
	[HQ_EXT_COL_VERSION] = {"version", HQ_TYPE_TEXT, 0, "Extension's version"},
	[HQ_EXT_COL_SDK_VERSION] = {"sdk_version", HQ_TYPE_TEXT, 0,
				    "osquery SDK version used to build the extension"},
	[HQ_EXT_COL_PATH] = {"path", HQ_TYPE_TEXT, 0, "Path of the extension's Thrift connection"},
	[HQ_EXT_COL_TYPE] = {"type", HQ_TYPE_TEXT, 0,
			     "SDK extension type: core, extension, or module"},
};
static_assert(HQ_ELEMENTSOF(ext_columns_plain) == _HQ_EXT_COL_MAX,
	      "column enum and array disagree");

enum { REG_REGISTRY, REG_NAME, REG_OWNER_UUID, REG_INTERNAL, REG_ACTIVE, _REG_MAX };
static const hq_column reg_columns[] = {
	[REG_REGISTRY] = {"registry", HQ_TYPE_TEXT, 0, "Name of the osquery registry"},
	[REG_NAME] = {"name", HQ_TYPE_TEXT, 0, "Name of the plugin item"},
	[REG_OWNER_UUID] = {"owner_uuid", HQ_TYPE_INTEGER, 0, "Extension route UUID (0 for core)"},
	[REG_INTERNAL] = {"internal", HQ_TYPE_INTEGER, 0, "1 If the plugin is internal else 0"},
	[REG_ACTIVE] = {"active", HQ_TYPE_INTEGER, 0, "1 If this plugin is active else 0"},
};
static_assert(HQ_ELEMENTSOF(reg_columns) == _REG_MAX, "column enum and array disagree");

int hq_ext_registry_row(hq_row_sink *sink, const char *registry, const char *name, int64_t owner,
			int active)
{
	hq_row *row;
	int r = hq_row_begin(sink, &row);
	if (r < 0)
		return r;
	hq_row_set_text(row, REG_REGISTRY, registry);
	hq_row_set_text(row, REG_NAME, name);
	hq_row_set_int64(row, REG_OWNER_UUID, owner);
	hq_row_set_int64(row, REG_INTERNAL, 0);
	hq_row_set_int64(row, REG_ACTIVE, active);
	return hq_row_commit(sink, row);
}

int hq_ext_introspection_add(hq_engine *e, hq_generate_fn gen_extensions,
			     hq_generate_fn gen_registry, void *userdata, hq_table_def **ret_defs)
{
	static const char *const names[] = {"osquery_extensions", "osquery_registry"};
	*ret_defs = NULL;
	/* A built-in of the same name (another part of the agent) wins. */
	for (size_t i = 0; i < HQ_ELEMENTSOF(names); i++)
		if (hq_engine_find_table(e, names[i]))
			return 0;
	hq_table_def *defs = calloc(2, sizeof(hq_table_def));
	if (!defs)
		return -ENOMEM;
	/* The VERSION collation comes with the SQL functions; without it the schema would not
	 * load, so fall back to plain columns. */
	sqlite3_stmt *probe = NULL;
	bool have_version = sqlite3_prepare_v2(hq_engine_db(e), "SELECT 'a' < 'b' COLLATE VERSION",
					       -1, &probe, NULL) == SQLITE_OK;
	sqlite3_finalize(probe);
	defs[0] = (hq_table_def){.version = HQ_TABLE_ABI_VERSION,
				 .name = names[0],
				 .description = "List of active osquery extensions.",
				 .columns = have_version ? ext_columns : ext_columns_plain,
				 .n_columns = _HQ_EXT_COL_MAX,
				 .flags = HQ_TABLE_UTILITY,
				 .generate = gen_extensions,
				 .userdata = userdata};
	defs[1] = (hq_table_def){.version = HQ_TABLE_ABI_VERSION,
				 .name = names[1],
				 .description = "List the osquery registry plugins.",
				 .columns = reg_columns,
				 .n_columns = _REG_MAX,
				 .flags = HQ_TABLE_UTILITY,
				 .generate = gen_registry,
				 .userdata = userdata};
	int r = hq_engine_add_table(e, &defs[0]);
	if (r >= 0)
		r = hq_engine_add_table(e, &defs[1]);
	if (r < 0) {
		(void)hq_engine_remove_table(e, names[0]);
		free(defs);
		return r;
	}
	*ret_defs = defs;
	return 0;
}

void hq_ext_introspection_remove(hq_engine *e, hq_table_def *defs)
{
	if (!defs)
		return;
	(void)hq_engine_remove_table(e, defs[0].name);
	(void)hq_engine_remove_table(e, defs[1].name);
	free(defs);
}

/* Without a manager there are no extensions, not even the core's own entry (a disabled
 * manager shows none either). */
static int gen_no_extensions(hq_query_ctx *ctx, hq_row_sink *sink)
{
	return 0;
}

/* Every table is a core one: nothing but the agent adds tables when no manager runs. */
static int gen_core_registry(hq_query_ctx *ctx, hq_row_sink *sink)
{
	hq_engine *e = hq_ctx_table(ctx)->userdata;
	const hq_table_def *const *defs;
	size_t n = hq_engine_tables(e, &defs);
	int r = 0;
	for (size_t i = 0; r == 0 && i < n; i++)
		r = hq_ext_registry_row(sink, "table", defs[i]->name, 0, 1);
	return r < 0 ? r : 0;
}

int hq_ext_introspection_add_disabled(hq_engine *e, hq_table_def **ret_defs)
{
	return hq_ext_introspection_add(e, gen_no_extensions, gen_core_registry, e, ret_defs);
}
