/* Extension tables as engine tables: a proxy hq_table_def built from the registration
 * broadcast whose generate sends osquery's `context` JSON to the extension (one short
 * connection per call) and turns the string maps it returns into typed rows. Also the
 * osquery_extensions and osquery_registry introspection tables. */
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <sqlite3.h>
#include <string.h>

#include "hq/plugin.h"
#include "hq/query.h"
#include "hq/row.h"
#include "internal.h"
#include "introspection.h"

static const char *const type_names[_HQ_TYPE_MAX] = {
	[HQ_TYPE_TEXT] = "TEXT",     [HQ_TYPE_INTEGER] = "INTEGER",
	[HQ_TYPE_BIGINT] = "BIGINT", [HQ_TYPE_UNSIGNED_BIGINT] = "UNSIGNED BIGINT",
	[HQ_TYPE_DOUBLE] = "DOUBLE", [HQ_TYPE_BLOB] = "BLOB",
};

/* SQLite's index-constraint codes, which osquery puts on the wire. */
static const int sqlite_ops[_HQ_OP_MAX] = {
	[HQ_OP_EQ] = 2,	 [HQ_OP_GT] = 4,    [HQ_OP_LE] = 8,    [HQ_OP_LT] = 16,
	[HQ_OP_GE] = 32, [HQ_OP_LIKE] = 65, [HQ_OP_GLOB] = 66, [HQ_OP_NE] = 68,
};

static hq_col_type parse_type(const char *s)
{
	for (int i = 0; i < _HQ_TYPE_MAX; i++)
		if (hq_streq(type_names[i], s))
			return (hq_col_type)i;
	return HQ_TYPE_TEXT; /* UNKNOWN and anything else */
}

void hq_ext_table_free(hq_ext_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->def.n_columns; i++) {
		free((char *)t->columns[i].name);
		free((char *)t->columns[i].alias_of);
	}
	free(t->columns);
	if (t->def.aliases)
		for (size_t i = 0; t->def.aliases[i]; i++)
			free((char *)t->def.aliases[i]);
	free((void *)t->def.aliases);
	free(t->name);
	free(t->socket);
	free(t);
}

static int ext_generate(hq_query_ctx *ctx, hq_row_sink *sink);

hq_ext_table *hq_ext_table_new(hq_ext_manager *m, int64_t uuid, const char *socket,
			       const char *name, GPtrArray *routes, char **ret_error)
{
	hq_ext_table *t = calloc(1, sizeof(*t));
	size_t n_cols = 0, n_aliases = 0;
	if (!t)
		return NULL;
	t->columns = calloc(routes->len + 1, sizeof(hq_column));
	t->def.aliases = calloc(routes->len + 1, sizeof(char *));
	t->name = strdup(name);
	t->socket = strdup(socket);
	if (!t->columns || !t->def.aliases || !t->name || !t->socket)
		goto fail;
	for (guint i = 0; i < routes->len; i++) {
		GHashTable *row = routes->pdata[i];
		const char *id = g_hash_table_lookup(row, "id");
		if (hq_streq(id, "column")) {
			const char *cname = g_hash_table_lookup(row, "name");
			const char *op = g_hash_table_lookup(row, "op");
			int64_t flags = 0;
			if (!cname || !*cname)
				continue;
			if (op)
				(void)hq_safe_atoi64(op, &flags);
			hq_column *c = &t->columns[n_cols++];
			c->name = strdup(cname);
			c->type = parse_type(g_hash_table_lookup(row, "type"));
			/* osquery's extensions_default_index: every column pushes its
			 * constraints down to the extension. */
			c->flags = ((unsigned)flags & (HQ_COL_REQUIRED | HQ_COL_HIDDEN |
						       HQ_COL_ADDITIONAL | HQ_COL_OPTIMIZED)) |
				   HQ_COL_INDEX;
			c->description = "";
			if (!c->name)
				goto fail;
		} else if (hq_streq(id, "alias")) {
			const char *alias = g_hash_table_lookup(row, "alias");
			if (alias && *alias)
				((const char **)t->def.aliases)[n_aliases++] = strdup(alias);
		}
	}
	/* Column aliases need their target, so they go after every real column. */
	for (guint i = 0; i < routes->len; i++) {
		GHashTable *row = routes->pdata[i];
		if (!hq_streq(g_hash_table_lookup(row, "id"), "columnAlias"))
			continue;
		const char *cname = g_hash_table_lookup(row, "name");
		const char *target = g_hash_table_lookup(row, "target");
		for (size_t j = 0; cname && *cname && target && j < n_cols; j++)
			if (hq_streq(t->columns[j].name, target)) {
				hq_column *c = &t->columns[n_cols++];
				c->name = strdup(cname);
				c->alias_of = strdup(target);
				c->type = t->columns[j].type;
				c->flags = HQ_COL_HIDDEN;
				c->description = "";
				break;
			}
	}
	if (n_cols == 0) {
		*ret_error = strdup("Invalid route info");
		goto fail;
	}
	if (n_aliases == 0) {
		free((void *)t->def.aliases);
		t->def.aliases = NULL;
	}
	t->mgr = m;
	t->uuid = uuid;
	t->def.version = HQ_TABLE_ABI_VERSION;
	t->def.name = t->name;
	t->def.description = "extension table";
	t->def.columns = t->columns;
	t->def.n_columns = n_cols;
	t->def.generate = ext_generate;
	t->def.userdata = t;
	return t;
fail:
	t->def.n_columns = n_cols;
	hq_ext_table_free(t);
	return NULL;
}

static int cmp_column_name(const void *a, const void *b, void *ud)
{
	const hq_column *cols = ud;
	return strcmp(cols[*(const unsigned *)a].name, cols[*(const unsigned *)b].name);
}

/* osquery's context: every column (sorted by name) with its constraint list and affinity,
 * the used columns and their bitset. */
static char *context_json(const hq_ext_table *t, const hq_query_ctx *ctx)
{
	size_t n = t->def.n_columns;
	g_autofree unsigned *order = g_new(unsigned, n);
	for (unsigned i = 0; i < n; i++)
		order[i] = i;
	g_qsort_with_data(order, (gint)n, sizeof(unsigned), cmp_column_name, t->columns);

	json_t *root = json_object();
	json_t *constraints = json_array();
	json_t *used = json_array();
	uint64_t bitset = 0;
	for (size_t k = 0; k < n; k++) {
		unsigned col = order[k];
		const hq_column *c = &t->columns[col];
		json_t *list = json_array();
		HQ_CTX_FOREACH_CONSTRAINT (con, ctx, col) {
			if (con->type == HQ_VALUE_NULL || !con->text)
				continue;
			/* Range operators never reach extensions for TEXT columns. */
			if (c->type == HQ_TYPE_TEXT &&
			    (con->op == HQ_OP_GT || con->op == HQ_OP_GE || con->op == HQ_OP_LT ||
			     con->op == HQ_OP_LE))
				continue;
			if ((unsigned)con->op >= _HQ_OP_MAX)
				continue;
			json_array_append_new(list,
					      json_pack("{s:i,s:s%}", "op", sqlite_ops[con->op],
							"expr", con->text, con->len));
		}
		json_array_append_new(constraints,
				      json_pack("{s:s,s:o,s:s}", "name", c->name, "list", list,
						"affinity", type_names[c->type]));
	}
	for (unsigned i = 0; i < n; i++)
		if (hq_ctx_column_used(ctx, i)) {
			json_array_append_new(used, json_string(t->columns[i].name));
			bitset |= i < 63 ? UINT64_C(1) << i : UINT64_C(1) << 63;
		}
	json_object_set_new(root, "constraints", constraints);
	json_object_set_new(root, "colsUsed", used);
	/* jansson integers are signed; osquery prints the bitset unsigned. */
	json_object_set_new(root, "colsUsedBitset", json_integer((json_int_t)bitset));
	char *s = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
	json_decref(root);
	return s;
}

static void set_cell(hq_row *row, unsigned col, hq_col_type type, const char *v)
{
	switch (type) {
	case HQ_TYPE_TEXT:
	case HQ_TYPE_BLOB:
		hq_row_set_text(row, col, v);
		return;
	case HQ_TYPE_INTEGER:
	case HQ_TYPE_BIGINT: {
		int64_t i;
		if (hq_safe_atoi64(v, &i) == 0)
			hq_row_set_int64(row, col, i);
		return;
	}
	case HQ_TYPE_UNSIGNED_BIGINT: {
		uint64_t u;
		if (hq_safe_atou64(v, &u) == 0)
			hq_row_set_int64(row, col, (int64_t)u);
		return;
	}
	case HQ_TYPE_DOUBLE: {
		char *end;
		errno = 0;
		double d = strtod(v, &end);
		if (*v && !*end && errno == 0 && isfinite(d))
			hq_row_set_double(row, col, d);
		return;
	}
	default:
		return;
	}
}

static int ext_generate(hq_query_ctx *ctx, hq_row_sink *sink)
{
	const hq_ext_table *t = hq_ctx_table(ctx)->userdata;
	g_autofree char *context = NULL;
	char *ctxs = context_json(t, ctx);
	if (!ctxs)
		return hq_ctx_error(ctx, -ENOMEM, "extension table %s: %m", t->name);
	context = g_strdup(ctxs);
	free(ctxs);

	hq_thrift_conn c;
	int r = hq_thrift_conn_open(&c, t->socket, t->mgr->call_timeout_ms, FALSE);
	if (r < 0)
		return hq_ctx_error(ctx, r, "extension table %s: cannot reach the extension: %m",
				    t->name);
	GHashTable *req = hq_thrift_string_map_new();
	g_hash_table_insert(req, g_strdup("action"), g_strdup("generate"));
	g_hash_table_insert(req, g_strdup("context"), TAKE_PTR(context));
	HqThriftExtensionResponse *resp = g_object_new(HQ_THRIFT_TYPE_EXTENSION_RESPONSE, NULL);
	GError *err = NULL;
	gboolean ok = hq_thrift_extension_if_call(HQ_THRIFT_EXTENSION_IF(c.client), &resp, "table",
						  t->name, req, &err);
	hq_thrift_conn_close(&c);
	g_hash_table_unref(req);
	if (!ok) {
		r = hq_ctx_error(ctx, -EIO, "extension table %s: %s", t->name,
				 err ? err->message : "call failed");
		g_clear_error(&err);
		goto out;
	}
	if (resp->status && resp->status->code != 0) {
		r = hq_ctx_error(ctx, -EIO, "%s",
				 resp->status->message && *resp->status->message
					 ? resp->status->message
					 : "extension table failed");
		goto out;
	}
	r = 0;
	for (guint i = 0; i < resp->response->len; i++) {
		GHashTable *m = resp->response->pdata[i];
		hq_row *row;
		r = hq_row_begin(sink, &row);
		if (r < 0)
			goto out;
		for (unsigned col = 0; col < t->def.n_columns; col++) {
			const hq_column *cd = &t->columns[col];
			if (cd->alias_of)
				continue;
			const char *v = g_hash_table_lookup(m, cd->name);
			if (v)
				set_cell(row, col, cd->type, v);
		}
		r = hq_row_commit(sink, row);
		if (r != 0) {
			r = r < 0 ? r : 0;
			goto out;
		}
	}
out:
	g_object_unref(resp);
	return r;
}

/* ---- introspection ---- */

static void snapshot_free(GPtrArray *a)
{
	for (guint i = 0; i < a->len; i++) {
		hq_ext_snapshot_ext *s = a->pdata[i];
		g_free(s->name);
		g_free(s->version);
		g_free(s->sdk_version);
		g_free(s->min_sdk_version);
		g_free(s->path);
		g_ptr_array_unref(s->plugins);
		g_free(s);
	}
	g_ptr_array_unref(a);
}

static int gen_extensions(hq_query_ctx *ctx, hq_row_sink *sink)
{
	hq_ext_manager *m = hq_ctx_table(ctx)->userdata;
	hq_row *row;
	int r;
	if (m->disabled)
		return 0;
	r = hq_row_begin(sink, &row);
	if (r < 0)
		return r;
	hq_row_set_int64(row, HQ_EXT_COL_UUID, 0);
	hq_row_set_text_static(row, HQ_EXT_COL_NAME, "core");
	hq_row_set_text_static(row, HQ_EXT_COL_VERSION, HQ_VERSION);
	hq_row_set_text_static(row, HQ_EXT_COL_SDK_VERSION, "0.0.0");
	hq_row_set_text(row, HQ_EXT_COL_PATH, m->socket);
	hq_row_set_text_static(row, HQ_EXT_COL_TYPE, "core");
	r = hq_row_commit(sink, row);
	GPtrArray *snap = hq_ext_snapshot(m);
	for (guint i = 0; r == 0 && i < snap->len; i++) {
		hq_ext_snapshot_ext *s = snap->pdata[i];
		r = hq_row_begin(sink, &row);
		if (r < 0)
			break;
		hq_row_set_int64(row, HQ_EXT_COL_UUID, s->uuid);
		hq_row_set_text(row, HQ_EXT_COL_NAME, s->name);
		hq_row_set_text(row, HQ_EXT_COL_VERSION, s->version);
		/* The SDK version the extension announced (osquery shows min_sdk_version here by
		 * a swap in its conversion; we show what the column name says). */
		hq_row_set_text(row, HQ_EXT_COL_SDK_VERSION, s->sdk_version);
		hq_row_set_text(row, HQ_EXT_COL_PATH, s->path);
		hq_row_set_text_static(row, HQ_EXT_COL_TYPE, "extension");
		r = hq_row_commit(sink, row);
	}
	snapshot_free(snap);
	return r < 0 ? r : 0;
}

/* Whether a config/logger plugin is the selected one (hostqd's flags; generate runs on the
 * engine thread, which owns them). Tables, and plugins in the shell, are always active. */
static int plugin_active(hq_ext_manager *m, const char *registry, const char *name)
{
	if (m->shell || !m->reg)
		return 1;
	int kind = hq_ext_plugin_kind(registry);
	if (kind == HQ_PLUGIN_CONFIG)
		return hq_streq(m->reg->selected(kind), name);
	if (kind == HQ_PLUGIN_LOGGER) {
		const char *sel = m->reg->selected(kind);
		g_auto(GStrv) list = g_strsplit(sel ? sel : "", ",", -1);
		for (size_t i = 0; list[i]; i++)
			if (hq_streq(g_strstrip(list[i]), name))
				return 1;
		return 0;
	}
	return 1;
}

static int gen_registry(hq_query_ctx *ctx, hq_row_sink *sink)
{
	hq_ext_manager *m = hq_ctx_table(ctx)->userdata;
	int r = 0;
	/* Core plugins (proxies of extension plugins are listed with their extension). */
	static const char *const kinds[_HQ_PLUGIN_KIND_MAX] = {
		[HQ_PLUGIN_LOGGER] = "logger",
		[HQ_PLUGIN_CONFIG] = "config",
		[HQ_PLUGIN_DISTRIBUTED] = "distributed",
	};
	for (int k = 0; r == 0 && k < _HQ_PLUGIN_KIND_MAX; k++) {
		const char *name;
		for (size_t i = 0; r == 0 && m->reg && m->reg->nth(k, i, &name); i++)
			if (hq_ext_plugin_is_core(m, kinds[k], name))
				r = hq_ext_registry_row(sink, kinds[k], name, 0,
							plugin_active(m, kinds[k], name));
	}
	/* core_tables is filled once at start and read-only afterwards. */
	GHashTableIter it;
	gpointer k;
	g_hash_table_iter_init(&it, m->core_tables);
	while (r == 0 && g_hash_table_iter_next(&it, &k, NULL))
		r = hq_ext_registry_row(sink, "table", k, 0, 1);
	GPtrArray *snap = hq_ext_snapshot(m);
	for (guint i = 0; r == 0 && i < snap->len; i++) {
		hq_ext_snapshot_ext *s = snap->pdata[i];
		for (guint j = 0; r == 0 && j < s->plugins->len; j++) {
			hq_ext_plugin *p = s->plugins->pdata[j];
			r = hq_ext_registry_row(sink, p->registry, p->name, s->uuid,
						plugin_active(m, p->registry, p->name));
		}
	}
	snapshot_free(snap);
	return r < 0 ? r : 0;
}

int hq_ext_register_introspection(hq_ext_manager *m)
{
	return hq_ext_introspection_add(m->engine, gen_extensions, gen_registry, m,
					&m->introspection);
}
