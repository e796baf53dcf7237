/* The extension manager: the ExtensionManager Thrift service on the manager socket (one thread
 * per connection, idle connections kept forever), the registry of extensions, the queue of
 * engine work for the engine's owning thread, and the health checker. Acceptance rules and
 * status codes follow osquery's (protocol.md §3-4). */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <libgen.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hq/agent.h"
#include "hq/log.h"
#include "hq/plugin.h"
#include "hq/query.h"
#include "internal.h"
#include "introspection.h"

#define HQ_EXT_MAX_CONNS 512
/* A manager request is small (a registration broadcast of many tables is still well below
 * this); anything claiming more is garbage or hostile and the connection is dropped. */
#define HQ_EXT_MAX_REQUEST (16u << 20)

static const char *const known_registries[] = {
	"table",
	"config",
	"logger",
	"distributed",
	"sql",
	"database",
	"config_parser",
	"enroll",
	"event_publisher",
	"event_subscriber",
	"killswitch",
	"numeric_monitoring",
};

int64_t hq_ext_now_usec(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void plugin_free(hq_ext_plugin *p)
{
	if (!p)
		return;
	free(p->registry);
	free(p->name);
	free(p);
}

static void extension_free(hq_extension *e)
{
	if (!e)
		return;
	free(e->name);
	free(e->version);
	free(e->sdk_version);
	free(e->min_sdk_version);
	free(e->socket);
	if (e->tables)
		g_ptr_array_unref(e->tables);
	if (e->plugins)
		g_ptr_array_unref(e->plugins);
	free(e);
}

/* Parses osquery's seconds-as-string flags into milliseconds with its 200 ms floor. */
static int seconds_to_ms(const char *s, int def)
{
	int v;
	if (!s || hq_safe_atoi(s, &v) < 0 || v < 0)
		v = def;
	int64_t ms = (int64_t)v * 1000;
	return ms < 200 ? 200 : ms > INT32_MAX ? INT32_MAX : (int)ms;
}

/* ---- engine work queue ---- */

static void queue_kick(hq_ext_manager *m)
{
	uint64_t one = 1;
	if (m->queue_fd >= 0)
		(void)!write(m->queue_fd, &one, sizeof(one));
}

/* Called with m->lock held. */
static void queue_push_locked(hq_ext_manager *m, hq_ext_op *op)
{
	g_queue_push_tail(&m->ops, op);
	queue_kick(m);
}

static void op_free(hq_ext_op *op)
{
	free(op->registry);
	free(op->name);
	free(op->socket);
	free(op);
}

/* Queues attaching or detaching the proxies of an extension's non-table plugins. */
static void queue_plugins_locked(hq_ext_manager *m, hq_extension *e, hq_ext_op_kind kind)
{
	for (guint i = 0; i < e->plugins->len; i++) {
		hq_ext_plugin *p = e->plugins->pdata[i];
		if (hq_ext_plugin_kind(p->registry) < 0)
			continue;
		hq_ext_op *op = calloc(1, sizeof(*op));
		if (!op)
			continue;
		op->kind = kind;
		op->registry = strdup(p->registry);
		op->name = strdup(p->name);
		op->socket = strdup(e->socket);
		if (!op->registry || !op->name || !op->socket) {
			op_free(op);
			continue;
		}
		queue_push_locked(m, op);
	}
}

typedef struct query_rows {
	GPtrArray *rows;
} query_rows;

static int query_row_cb(int n_cols, char **values, char **names, const int *types, void *ud)
{
	query_rows *q = ud;
	GHashTable *row = hq_thrift_response_add_row(q->rows);
	for (int i = 0; i < n_cols; i++)
		g_hash_table_replace(row, g_strdup(names[i]), g_strdup(values[i] ? values[i] : ""));
	return 0;
}

static void run_query(hq_ext_manager *m, hq_ext_op *op)
{
	char *error = NULL;
	query_rows q = {.rows = op->response->response};
	hq_engine_begin_query(m->engine);
	int r = hq_engine_exec(m->engine, op->sql, query_row_cb, &q, &error);
	if (r < 0) {
		g_ptr_array_set_size(op->response->response, 0);
		hq_thrift_status_set(op->response->status, 1, error ? error : strerror(-r), 0);
	} else
		hq_thrift_status_set(op->response->status, 0, "OK", 0);
	free(error);
}

static void run_columns(hq_ext_manager *m, hq_ext_op *op)
{
	sqlite3_stmt *stmt = NULL;
	sqlite3 *db = hq_engine_db(m->engine);
	int rc = sqlite3_prepare_v2(db, op->sql, -1, &stmt, NULL);
	if (rc != SQLITE_OK || !stmt) {
		hq_thrift_status_set(op->response->status, 1,
				     rc != SQLITE_OK ? sqlite3_errmsg(db) : "empty statement", 0);
		sqlite3_finalize(stmt);
		return;
	}
	int n = sqlite3_column_count(stmt);
	for (int i = 0; i < n; i++) {
		const char *type = sqlite3_column_decltype(stmt, i);
		GHashTable *row = hq_thrift_response_add_row(op->response->response);
		g_hash_table_replace(row, g_strdup(sqlite3_column_name(stmt, i)),
				     g_strdup(type ? type : "UNKNOWN"));
	}
	sqlite3_finalize(stmt);
	hq_thrift_status_set(op->response->status, 0, "OK", 0);
}

static void add_option(GHashTable *ret, const char *name, const char *value, const char *def,
		       const char *type);

/* The daemon's whole flag table (read on the engine thread: config refreshes change it). */
static void options_cb(void *ud, const char *name, const char *value, const char *def,
		       const char *type)
{
	add_option(ud, name, value, def, type);
}

static void run_options(hq_ext_manager *m, hq_ext_op *op)
{
	if (m->reg && m->reg->options)
		m->reg->options(options_cb, op->options);
}

static void run_attach(hq_ext_manager *m, hq_ext_table *t)
{
	/* Kept even when attaching fails, so the later detach finds it by identity. */
	int r = hq_engine_add_table(m->engine, &t->def);
	if (r < 0)
		hq_log_warning("extension %" PRId64 ": cannot attach table %s: %s", t->uuid,
			       t->name, strerror(-r));
	t->attached = r >= 0;
	g_ptr_array_add(m->tables, t);
}

static void run_detach(hq_ext_manager *m, hq_ext_table *t)
{
	/* The op carries the registration's table object; find the attached one by identity. */
	if (g_ptr_array_remove_fast(m->tables, t)) {
		if (t->attached)
			(void)hq_engine_remove_table(m->engine, t->name);
		hq_ext_table_free(t);
	}
}

int hq_extensions_dispatch(hq_ext_manager *m)
{
	int n = 0;
	if (!m || m->disabled)
		return 0;
	uint64_t v;
	(void)!read(m->queue_fd, &v, sizeof(v));
	for (;;) {
		pthread_mutex_lock(&m->lock);
		hq_ext_op *op = g_queue_pop_head(&m->ops);
		pthread_mutex_unlock(&m->lock);
		if (!op)
			break;
		n++;
		switch (op->kind) {
		case HQ_EXT_OP_ATTACH:
			run_attach(m, op->table);
			free(op);
			break;
		case HQ_EXT_OP_DETACH:
			run_detach(m, op->table);
			free(op);
			break;
		case HQ_EXT_OP_PLUGIN_ATTACH: {
			int r = hq_ext_plugin_attach(m, op->registry, op->name, op->socket);
			if (r < 0)
				hq_log_warning("extension plugin %s/%s: cannot register: %s",
					       op->registry, op->name, strerror(-r));
			op_free(op);
			break;
		}
		case HQ_EXT_OP_PLUGIN_DETACH:
			hq_ext_plugin_detach(m, op->registry, op->name, op->socket);
			op_free(op);
			break;
		case HQ_EXT_OP_QUERY:
		case HQ_EXT_OP_COLUMNS:
		case HQ_EXT_OP_OPTIONS:
		case HQ_EXT_OP_CALL:
			if (op->kind == HQ_EXT_OP_QUERY)
				run_query(m, op);
			else if (op->kind == HQ_EXT_OP_COLUMNS)
				run_columns(m, op);
			else if (op->kind == HQ_EXT_OP_CALL)
				hq_ext_core_call(m, op->sql, op->item, op->request, op->response);
			else
				run_options(m, op);
			pthread_mutex_lock(&m->lock);
			op->done = true;
			pthread_cond_broadcast(&m->cond);
			pthread_mutex_unlock(&m->lock);
			break;
		}
	}
	return n;
}

int hq_extensions_fd(hq_ext_manager *m)
{
	return m && !m->disabled ? m->queue_fd : -1;
}

const char *hq_extensions_socket(hq_ext_manager *m)
{
	return m && !m->disabled ? m->socket : NULL;
}

/* ---- registry ---- */

/* Removes an extension: registry entry now, its tables through the engine thread. Called with
 * m->lock held. */
static void remove_extension_locked(hq_ext_manager *m, int64_t uuid, const char *why)
{
	hq_extension *e = g_hash_table_lookup(m->extensions, &uuid);
	if (!e)
		return;
	/* Losing an extension unasked is worth a warning; a deregistration is routine. */
	hq_log(hq_streq(why, "deregistered") ? HQ_LOG_INFO : HQ_LOG_WARNING,
	       "extension %s (%" PRId64 ") removed: %s", e->name, uuid, why);
	for (guint i = 0; i < e->tables->len; i++) {
		hq_ext_op *op = calloc(1, sizeof(*op));
		if (!op)
			continue;
		op->kind = HQ_EXT_OP_DETACH;
		op->table = e->tables->pdata[i];
		queue_push_locked(m, op);
	}
	queue_plugins_locked(m, e, HQ_EXT_OP_PLUGIN_DETACH);
	g_hash_table_remove(m->extensions, &uuid);
}

static bool name_taken_locked(hq_ext_manager *m, const char *registry, const char *name)
{
	if (hq_streq(registry, "table") && g_hash_table_contains(m->core_tables, name))
		return true;
	if (hq_ext_plugin_is_core(m, registry, name))
		return true;
	GHashTableIter it;
	gpointer v;
	g_hash_table_iter_init(&it, m->extensions);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		hq_extension *e = v;
		for (guint i = 0; i < e->plugins->len; i++) {
			hq_ext_plugin *p = e->plugins->pdata[i];
			if (hq_streq(p->registry, registry) && hq_streq(p->name, name))
				return true;
		}
	}
	return false;
}

/* osquery's version rule: dotted chunks compared numerically when both are numbers, else as
 * strings; "" passes. Returns <0, 0, >0 like strcmp. */
static int version_cmp(const char *a, const char *b)
{
	g_auto(GStrv) va = g_strsplit(a, ".", -1);
	g_auto(GStrv) vb = g_strsplit(b, ".", -1);
	for (guint i = 0; va[i] || vb[i]; i++) {
		const char *x = va[i] ? va[i] : "0", *y = vb[i] ? vb[i] : "0";
		int64_t nx, ny;
		int c;
		if (hq_safe_atoi64(x, &nx) == 0 && hq_safe_atoi64(y, &ny) == 0)
			c = nx < ny ? -1 : nx > ny;
		else
			c = strcmp(x, y);
		if (c)
			return c;
	}
	return 0;
}

static bool registry_known(const char *name)
{
	for (size_t i = 0; i < HQ_ELEMENTSOF(known_registries); i++)
		if (hq_streq(known_registries[i], name))
			return true;
	return false;
}

static void do_register(hq_ext_manager *m, const HqThriftInternalExtensionInfo *info,
			const HqThriftExtensionRegistry *registry, HqThriftExtensionStatus *ret)
{
	const char *name = info->name ? info->name : "";
	const char *sdk = info->sdk_version ? info->sdk_version : "";
	g_autofree char *err = NULL;
	hq_extension *e = NULL;

	pthread_mutex_lock(&m->lock);
	if (m->stopping) {
		hq_thrift_status_set(ret, 1, "Extension manager is stopping", 0);
		goto out;
	}
	GHashTableIter it;
	gpointer v;
	g_hash_table_iter_init(&it, m->extensions);
	while (g_hash_table_iter_next(&it, NULL, &v))
		if (hq_streq(((hq_extension *)v)->name, name)) {
			hq_thrift_status_set(ret, 1, "Duplicate extension registered", 0);
			goto out;
		}
	/* "" (Go SDK) and "0.0.0" (unset) pass; real versions must be at least 1.7.7. */
	if (*sdk && !hq_streq(sdk, "0.0.0") && version_cmp(sdk, "1.7.7") < 0) {
		hq_thrift_status_set(ret, 1, "Incompatible extension SDK version", 0);
		goto out;
	}

	e = calloc(1, sizeof(*e));
	if (!e)
		goto oom;
	do
		e->uuid = g_random_int_range(1, 65536);
	while (g_hash_table_contains(m->extensions, &e->uuid));
	e->name = strdup(name);
	e->version = strdup(info->version ? info->version : "");
	e->sdk_version = strdup(sdk);
	e->min_sdk_version = strdup(info->min_sdk_version ? info->min_sdk_version : "");
	e->socket = g_strdup_printf("%s.%" PRId64, m->socket, e->uuid);
	e->tables = g_ptr_array_new();
	e->plugins = g_ptr_array_new_with_free_func((GDestroyNotify)plugin_free);
	e->registered_usec = hq_ext_now_usec();
	if (!e->name || !e->version || !e->sdk_version || !e->min_sdk_version)
		goto oom;

	g_hash_table_iter_init(&it, (GHashTable *)registry);
	gpointer k;
	while (g_hash_table_iter_next(&it, &k, &v)) {
		const char *reg = k;
		GHashTable *routes = v;
		if (!registry_known(reg)) {
			err = g_strdup_printf("Failed adding registry: Unknown registry: %s", reg);
			break;
		}
		GHashTableIter it2;
		gpointer k2, v2;
		g_hash_table_iter_init(&it2, routes);
		while (!err && g_hash_table_iter_next(&it2, &k2, &v2)) {
			const char *item = k2;
			if (name_taken_locked(m, reg, item)) {
				err = g_strdup_printf("Failed adding registry: Registry item %s "
						      "conflicts with another item of the same "
						      "name.",
						      item);
				break;
			}
			if (hq_streq(reg, "table")) {
				char *why = NULL;
				hq_ext_table *t =
					hq_ext_table_new(m, e->uuid, e->socket, item, v2, &why);
				if (!t) {
					err = g_strdup_printf("Failed adding registry: %s",
							      why ? why : "Invalid route info");
					free(why);
					break;
				}
				g_ptr_array_add(e->tables, t);
			}
			hq_ext_plugin *p = calloc(1, sizeof(*p));
			if (!p)
				goto oom;
			p->registry = strdup(reg);
			p->name = strdup(item);
			g_ptr_array_add(e->plugins, p);
		}
		if (err)
			break;
	}
	if (err) {
		for (guint i = 0; i < e->tables->len; i++)
			hq_ext_table_free(e->tables->pdata[i]);
		hq_thrift_status_set(ret, 1, err, 0);
		goto out;
	}

	/* Tables come from the broadcast itself: the extension is not listening yet, so nothing
	 * may call into it now. The engine thread attaches them. */
	for (guint i = 0; i < e->tables->len; i++) {
		hq_ext_op *op = calloc(1, sizeof(*op));
		if (!op)
			goto oom;
		op->kind = HQ_EXT_OP_ATTACH;
		op->table = e->tables->pdata[i];
		queue_push_locked(m, op);
	}
	queue_plugins_locked(m, e, HQ_EXT_OP_PLUGIN_ATTACH);
	hq_log_info("extension %s (%" PRId64 ") registered with %u plugin(s)", e->name, e->uuid,
		    e->plugins->len);
	hq_thrift_status_set(ret, 0, "OK", e->uuid);
	g_hash_table_insert(m->extensions, &e->uuid, e);
	e = NULL;
	pthread_cond_broadcast(&m->cond);
	goto out;
oom:
	hq_thrift_status_set(ret, 1, "Out of memory", 0);
out:
	extension_free(e);
	pthread_mutex_unlock(&m->lock);
}

GPtrArray *hq_ext_snapshot(hq_ext_manager *m)
{
	GPtrArray *a = g_ptr_array_new();
	if (!m || m->disabled)
		return a;
	pthread_mutex_lock(&m->lock);
	GHashTableIter it;
	gpointer v;
	g_hash_table_iter_init(&it, m->extensions);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		hq_extension *e = v;
		hq_ext_snapshot_ext *s = g_new0(hq_ext_snapshot_ext, 1);
		s->uuid = e->uuid;
		s->name = g_strdup(e->name);
		s->version = g_strdup(e->version);
		s->sdk_version = g_strdup(e->sdk_version);
		s->min_sdk_version = g_strdup(e->min_sdk_version);
		s->path = g_strdup(e->socket);
		s->plugins = g_ptr_array_new_with_free_func((GDestroyNotify)plugin_free);
		for (guint i = 0; i < e->plugins->len; i++) {
			hq_ext_plugin *p = e->plugins->pdata[i], *c = calloc(1, sizeof(*c));
			if (!c)
				break;
			c->registry = strdup(p->registry);
			c->name = strdup(p->name);
			g_ptr_array_add(s->plugins, c);
		}
		g_ptr_array_add(a, s);
	}
	pthread_mutex_unlock(&m->lock);
	return a;
}

/* ---- the ExtensionManager handler ---- */

#define HQ_TYPE_MANAGER_HANDLER (hq_manager_handler_get_type())
G_DECLARE_FINAL_TYPE(HqManagerHandler, hq_manager_handler, HQ, MANAGER_HANDLER,
		     HqThriftExtensionManagerHandler)
struct _HqManagerHandler {
	HqThriftExtensionManagerHandler parent;
	hq_ext_manager *mgr;
};
G_DEFINE_TYPE(HqManagerHandler, hq_manager_handler, HQ_THRIFT_TYPE_EXTENSION_MANAGER_HANDLER)

static hq_ext_manager *mgr_of(void *iface)
{
	return HQ_MANAGER_HANDLER(iface)->mgr;
}

static gboolean h_ping(HqThriftExtensionIf *iface, HqThriftExtensionStatus **ret, GError **error)
{
	hq_thrift_status_set(*ret, 0, "pong", 0);
	return TRUE;
}

static void engine_request(hq_ext_manager *m, hq_ext_op *op);

static gboolean h_call(HqThriftExtensionIf *iface, HqThriftExtensionResponse **ret,
		       const gchar *registry, const gchar *item,
		       const HqThriftExtensionPluginRequest *request, GError **error)
{
	/* Extensions reaching core plugins (a logger's string_batch, the config): run by the
	 * engine thread, which owns the plugins. */
	hq_ext_op op = {.kind = HQ_EXT_OP_CALL,
			.sql = registry ? registry : "",
			.item = item ? item : "",
			.request = (GHashTable *)request,
			.response = *ret};
	engine_request(mgr_of(iface), &op);
	return TRUE;
}

static gboolean h_shutdown(HqThriftExtensionIf *iface, GError **error)
{
	return TRUE;
}

static gboolean h_extensions(HqThriftExtensionManagerIf *iface, HqThriftInternalExtensionList **ret,
			     GError **error)
{
	hq_ext_manager *m = mgr_of(iface);
	pthread_mutex_lock(&m->lock);
	GHashTableIter it;
	gpointer v;
	g_hash_table_iter_init(&it, m->extensions);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		hq_extension *e = v;
		gint64 *key = g_new(gint64, 1);
		*key = e->uuid;
		HqThriftInternalExtensionInfo *info =
			g_object_new(HQ_THRIFT_TYPE_INTERNAL_EXTENSION_INFO, "name", e->name,
				     "version", e->version, "sdk_version", e->sdk_version,
				     "min_sdk_version", e->min_sdk_version, NULL);
		g_hash_table_insert(*ret, key, info);
	}
	pthread_mutex_unlock(&m->lock);
	return TRUE;
}

static void add_option(GHashTable *ret, const char *name, const char *value, const char *def,
		       const char *type)
{
	g_hash_table_insert(ret, g_strdup(name),
			    g_object_new(HQ_THRIFT_TYPE_INTERNAL_OPTION_INFO, "value",
					 value ? value : "", "default_value", def, "type", type,
					 NULL));
}

static gboolean h_options(HqThriftExtensionManagerIf *iface, HqThriftInternalOptionList **ret,
			  GError **error)
{
	hq_ext_manager *m = mgr_of(iface);
	if (!m->shell) {
		/* hostqd: every flag of its option table, read by the engine thread. */
		hq_ext_op op = {.kind = HQ_EXT_OP_OPTIONS, .options = *ret};
		engine_request(m, &op);
		return TRUE;
	}
	g_autofree char *tt = g_strdup_printf("%d", m->call_timeout_ms / 1000);
	add_option(*ret, "extensions_socket", m->socket,
		   m->shell ? "" : HQ_EXT_DEFAULT_DAEMON_SOCKET, "string");
	add_option(*ret, "extensions_timeout", m->timeout_arg, "3", "string");
	add_option(*ret, "extensions_interval", m->interval_arg, "3", "string");
	add_option(*ret, "extensions_autoload", m->autoload, "", "string");
	add_option(*ret, "extensions_require", m->require, "", "string");
	add_option(*ret, "disable_extensions", "false", "false", "bool");
	add_option(*ret, "thrift_timeout", tt, "300", "uint32");
	add_option(*ret, "verbose", m->verbose ? "true" : "false", "false", "bool");
	return TRUE;
}

static gboolean h_register(HqThriftExtensionManagerIf *iface, HqThriftExtensionStatus **ret,
			   const HqThriftInternalExtensionInfo *info,
			   const HqThriftExtensionRegistry *registry, GError **error)
{
	do_register(mgr_of(iface), info, registry, *ret);
	return TRUE;
}

static gboolean h_deregister(HqThriftExtensionManagerIf *iface, HqThriftExtensionStatus **ret,
			     const HqThriftExtensionRouteUUID uuid, GError **error)
{
	hq_ext_manager *m = mgr_of(iface);
	int64_t id = uuid;
	pthread_mutex_lock(&m->lock);
	if (g_hash_table_contains(m->extensions, &id)) {
		remove_extension_locked(m, id, "deregistered");
		hq_thrift_status_set(*ret, 0, "OK", 0);
	} else
		hq_thrift_status_set(*ret, 1, "No extension UUID found", 0);
	pthread_mutex_unlock(&m->lock);
	return TRUE;
}

/* Hands a request to the engine thread and waits for it. */
static void engine_request(hq_ext_manager *m, hq_ext_op *op)
{
	pthread_mutex_lock(&m->lock);
	if (m->stopping) {
		pthread_mutex_unlock(&m->lock);
		if (op->response)
			hq_thrift_status_set(op->response->status, 1,
					     "Extension manager is stopping", 0);
		return;
	}
	queue_push_locked(m, op);
	while (!op->done && !m->stopping)
		pthread_cond_wait(&m->cond, &m->lock);
	if (!op->done) {
		/* Stopping: take the request back unless the engine thread is running it. */
		if (g_queue_remove(&m->ops, op)) {
			if (op->response)
				hq_thrift_status_set(op->response->status, 1,
						     "Extension manager is stopping", 0);
		} else
			while (!op->done)
				pthread_cond_wait(&m->cond, &m->lock);
	}
	pthread_mutex_unlock(&m->lock);
}

static void sql_request(hq_ext_manager *m, hq_ext_op_kind kind, const char *sql,
			HqThriftExtensionResponse *resp)
{
	hq_ext_op op = {.kind = kind, .sql = sql ? sql : "", .response = resp};
	engine_request(m, &op);
}

static gboolean h_query(HqThriftExtensionManagerIf *iface, HqThriftExtensionResponse **ret,
			const gchar *sql, GError **error)
{
	sql_request(mgr_of(iface), HQ_EXT_OP_QUERY, sql, *ret);
	return TRUE;
}

static gboolean h_columns(HqThriftExtensionManagerIf *iface, HqThriftExtensionResponse **ret,
			  const gchar *sql, GError **error)
{
	sql_request(mgr_of(iface), HQ_EXT_OP_COLUMNS, sql, *ret);
	return TRUE;
}

static void hq_manager_handler_class_init(HqManagerHandlerClass *cls)
{
	HqThriftExtensionHandlerClass *base = HQ_THRIFT_EXTENSION_HANDLER_CLASS(cls);
	HqThriftExtensionManagerHandlerClass *mc = HQ_THRIFT_EXTENSION_MANAGER_HANDLER_CLASS(cls);
	base->ping = h_ping;
	base->call = h_call;
	base->shutdown = h_shutdown;
	mc->extensions = h_extensions;
	mc->options = h_options;
	mc->register_extension = h_register;
	mc->deregister_extension = h_deregister;
	mc->query = h_query;
	mc->get_query_columns = h_columns;
}

static void hq_manager_handler_init(HqManagerHandler *self)
{
}

/* ---- socket server ---- */

typedef struct conn_arg {
	hq_ext_manager *mgr;
	int fd;
} conn_arg;

static void *conn_thread(void *arg)
{
	conn_arg *ca = arg;
	hq_ext_manager *m = ca->mgr;
	int fd = ca->fd;
	free(ca);

	hq_thrift_conn c;
	/* No timeout: SDKs keep their registration connection open and ping on it. */
	hq_thrift_conn_wrap(&c, dup(fd), -1, HQ_EXT_MAX_REQUEST);
	HqManagerHandler *h = g_object_new(HQ_TYPE_MANAGER_HANDLER, NULL);
	h->mgr = m;
	ThriftProcessor *proc =
		g_object_new(HQ_THRIFT_TYPE_EXTENSION_MANAGER_PROCESSOR, "handler", h, NULL);
	GError *err = NULL;
	while (hq_fd_transport_wait_message(c.transport)) {
		if (!thrift_processor_process(proc, c.protocol, c.protocol, &err)) {
			hq_log_debug("extension manager: dropping connection: %s",
				     err ? err->message : "protocol error");
			g_clear_error(&err);
			break;
		}
	}
	g_object_unref(proc);
	g_object_unref(h);
	hq_thrift_conn_close(&c);

	pthread_mutex_lock(&m->lock);
	for (guint i = 0; i < m->conn_fds->len; i++)
		if (g_array_index(m->conn_fds, int, i) == fd) {
			g_array_remove_index_fast(m->conn_fds, i);
			break;
		}
	close(fd);
	m->n_conns--;
	pthread_cond_broadcast(&m->cond);
	pthread_mutex_unlock(&m->lock);
	return NULL;
}

static void *server_thread(void *arg)
{
	hq_ext_manager *m = arg;
	struct pollfd p[2] = {{.fd = m->listen_fd, .events = POLLIN},
			      {.fd = m->stop_fd, .events = POLLIN}};
	for (;;) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[1].revents)
			break;
		if (!(p[0].revents & POLLIN))
			continue;
		int fd = accept4(m->listen_fd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0)
			continue;
		pthread_mutex_lock(&m->lock);
		if (m->stopping || m->n_conns >= HQ_EXT_MAX_CONNS) {
			pthread_mutex_unlock(&m->lock);
			close(fd);
			continue;
		}
		conn_arg *ca = malloc(sizeof(*ca));
		pthread_t th;
		pthread_attr_t attr;
		pthread_attr_init(&attr);
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		pthread_attr_setstacksize(&attr, 256 << 10);
		if (ca) {
			ca->mgr = m;
			ca->fd = fd;
		}
		if (!ca || pthread_create(&th, &attr, conn_thread, ca) != 0) {
			free(ca);
			close(fd);
		} else {
			m->n_conns++;
			g_array_append_val(m->conn_fds, fd);
		}
		pthread_attr_destroy(&attr);
		pthread_mutex_unlock(&m->lock);
	}
	return NULL;
}

/* ---- health checks ---- */

static int ping_extension(const char *socket, int timeout_ms)
{
	hq_thrift_conn c;
	int r = hq_thrift_conn_open(&c, socket, timeout_ms, FALSE);
	if (r < 0)
		return r;
	HqThriftExtensionStatus *st = g_object_new(HQ_THRIFT_TYPE_EXTENSION_STATUS, NULL);
	GError *err = NULL;
	if (!hq_thrift_extension_if_ping(HQ_THRIFT_EXTENSION_IF(c.client), &st, &err)) {
		g_clear_error(&err);
		r = -EIO;
	} else if (st->code != 0)
		r = -EBADMSG;
	g_object_unref(st);
	hq_thrift_conn_close(&c);
	return r;
}

/* Waits on the stop eventfd; true when stopping. */
static bool sleep_or_stop(hq_ext_manager *m, int ms)
{
	struct pollfd p = {.fd = m->stop_fd, .events = POLLIN};
	return poll(&p, 1, ms) > 0;
}

typedef struct health_item {
	int64_t uuid;
	char *socket;
	int64_t registered_usec;
} health_item;

static void *health_thread(void *arg)
{
	hq_ext_manager *m = arg;
	while (!sleep_or_stop(m, m->interval_ms)) {
		GArray *items = g_array_new(FALSE, FALSE, sizeof(health_item));
		pthread_mutex_lock(&m->lock);
		GHashTableIter it;
		gpointer v;
		g_hash_table_iter_init(&it, m->extensions);
		while (g_hash_table_iter_next(&it, NULL, &v)) {
			hq_extension *e = v;
			health_item hi = {e->uuid, g_strdup(e->socket), e->registered_usec};
			g_array_append_val(items, hi);
		}
		pthread_mutex_unlock(&m->lock);

		for (guint i = 0; i < items->len; i++) {
			health_item *hi = &g_array_index(items, health_item, i);
			int r;
			struct stat st;
			if (stat(hi->socket, &st) < 0 &&
			    hq_ext_now_usec() - hi->registered_usec < (int64_t)m->timeout_ms * 1000)
				r = 0; /* first check: the socket may not be up yet */
			else
				r = ping_extension(hi->socket, MAX(m->timeout_ms, 1000));
			if (r < 0) {
				g_autofree char *why =
					g_strdup_printf("health check failed: %s", strerror(-r));
				pthread_mutex_lock(&m->lock);
				remove_extension_locked(m, hi->uuid, why);
				pthread_mutex_unlock(&m->lock);
			}
			g_free(hi->socket);
		}
		g_array_unref(items);
	}
	return NULL;
}

/* ---- start/stop ---- */

static void remove_stale_sockets(const char *socket)
{
	g_autofree char *dir = g_path_get_dirname(socket);
	g_autofree char *base = g_path_get_basename(socket);
	g_autofree char *prefix = g_strconcat(base, ".", NULL);
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d)))
		if (hq_startswith(de->d_name, prefix)) {
			struct stat st;
			if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
			    S_ISSOCK(st.st_mode))
				(void)unlinkat(dirfd(d), de->d_name, 0);
		}
	closedir(d);
}

/* The socket's directory must be writable only by us (or root): otherwise another user could
 * swap the socket under clients. */
static int check_socket_dir(const char *socket)
{
	g_autofree char *dir = g_path_get_dirname(socket);
	struct stat st;
	if (stat(dir, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	if ((st.st_uid != geteuid() && st.st_uid != 0) || (st.st_mode & (S_IWGRP | S_IWOTH)))
		return -EPERM;
	return 0;
}

static char *default_socket(bool shell)
{
	if (!shell)
		return g_strdup(HQ_EXT_DEFAULT_DAEMON_SOCKET);
	const char *rt = getenv("XDG_RUNTIME_DIR");
	struct stat st;
	if (rt && *rt == '/' && stat(rt, &st) == 0 && st.st_uid == geteuid())
		return g_strdup_printf("%s/hostq-%u.em", rt, (unsigned)geteuid());
	const char *home = getenv("HOME");
	if (!home || !*home) {
		struct passwd *pw = getpwuid(geteuid());
		home = pw ? pw->pw_dir : "/";
	}
	g_autofree char *dir = g_build_filename(home, ".hostq", NULL);
	(void)mkdir(dir, 0700);
	return g_build_filename(dir, "shell.em", NULL);
}

static void glib_log_sink(const gchar *domain, GLogLevelFlags level, const gchar *message,
			  gpointer ud)
{
	/* The Thrift library warns on every malformed message; that is a peer's problem, not
	 * ours, so it only shows with --verbose. */
	hq_log_debug("thrift: %s", message);
}

static int wait_required(hq_ext_manager *m)
{
	if (!m->require || !*m->require)
		return 0;
	g_auto(GStrv) names = g_strsplit(m->require, ",", -1);
	int64_t deadline = hq_ext_now_usec() + (int64_t)m->timeout_ms * 1000;
	for (size_t i = 0; names[i]; i++) {
		const char *name = g_strstrip(names[i]);
		if (!*name)
			continue;
		for (;;) {
			bool found = false;
			pthread_mutex_lock(&m->lock);
			GHashTableIter it;
			gpointer v;
			g_hash_table_iter_init(&it, m->extensions);
			while (!found && g_hash_table_iter_next(&it, NULL, &v))
				found = hq_streq(((hq_extension *)v)->name, name);
			pthread_mutex_unlock(&m->lock);
			hq_extensions_dispatch(m);
			if (found)
				break;
			if (hq_ext_now_usec() >= deadline) {
				hq_log_error("required extension %s did not register within %d ms",
					     name, m->timeout_ms);
				return -ETIMEDOUT;
			}
			usleep(20000);
		}
	}
	return 0;
}

int hq_extensions_wait_plugin(hq_ext_manager *m, hq_plugin_kind kind, const char *name)
{
	if (!m || !m->reg)
		return -ENOENT;
	if (hq_ext_reg_find(m, kind, name, NULL))
		return 0;
	if (m->disabled)
		return -ENOENT;
	int64_t deadline = hq_ext_now_usec() + (int64_t)m->timeout_ms * 1000;
	for (;;) {
		hq_extensions_dispatch(m);
		if (hq_ext_reg_find(m, kind, name, NULL))
			return 0;
		if (hq_ext_now_usec() >= deadline)
			return -ENOENT;
		usleep(20000);
	}
}

void hq_extensions_wait_autoloaded(hq_ext_manager *m, int timeout_ms)
{
	if (!m || m->disabled || m->n_launched == 0)
		return;
	int64_t deadline = hq_ext_now_usec() + (int64_t)timeout_ms * 1000;
	for (;;) {
		pthread_mutex_lock(&m->lock);
		int n = (int)g_hash_table_size(m->extensions);
		pthread_mutex_unlock(&m->lock);
		hq_extensions_dispatch(m);
		if (n >= m->n_launched || hq_ext_now_usec() >= deadline)
			break;
		usleep(20000);
	}
	hq_extensions_dispatch(m);
}

static void set_active(bool active);

int hq_extensions_start(hq_engine *engine, const hq_ext_config *cfg, hq_ext_manager **ret)
{
	int r;
	hq_ext_manager *m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->engine = engine;
	m->shell = cfg->shell;
	m->disabled = cfg->disable;
	m->allow_unsafe = cfg->allow_unsafe;
	m->verbose = cfg->verbose;
	m->reg = cfg->plugins;
	m->listen_fd = m->queue_fd = m->stop_fd = -1;
	m->timeout_arg = g_strdup(cfg->timeout && *cfg->timeout ? cfg->timeout : "3");
	m->interval_arg = g_strdup(cfg->interval && *cfg->interval ? cfg->interval : "3");
	m->timeout_ms = seconds_to_ms(m->timeout_arg, 3);
	m->interval_ms = seconds_to_ms(m->interval_arg, 3);
	m->call_timeout_ms = (int)MIN((cfg->thrift_timeout ? cfg->thrift_timeout : 300) * 1000u,
				      (unsigned)INT32_MAX);
	m->autoload = g_strdup(cfg->autoload);
	m->extension = g_strdup(cfg->extension);
	m->require = g_strdup(cfg->require);
	pthread_mutex_init(&m->lock, NULL);
	pthread_cond_init(&m->cond, NULL);
	pthread_mutex_init(&m->child_lock, NULL);
	g_queue_init(&m->ops);
	m->extensions = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL,
					      (GDestroyNotify)extension_free);
	m->core_tables = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	m->tables = g_ptr_array_new();
	m->conn_fds = g_array_new(FALSE, FALSE, sizeof(int));
	m->children = g_ptr_array_new();

	r = hq_ext_register_introspection(m);
	if (r < 0)
		goto fail;
	const hq_table_def *const *defs;
	size_t n = hq_engine_tables(engine, &defs);
	for (size_t i = 0; i < n; i++)
		g_hash_table_add(m->core_tables, g_strdup(defs[i]->name));

	if (m->disabled) {
		*ret = m;
		return 0;
	}

	g_log_set_handler(NULL, G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO,
			  glib_log_sink, NULL);
	m->socket = cfg->socket_path && *cfg->socket_path ? g_strdup(cfg->socket_path)
							  : default_socket(cfg->shell);
	if (strlen(m->socket) > 97) {
		hq_log_error("extensions socket path too long (97 bytes at most): %s", m->socket);
		r = -ENAMETOOLONG;
		goto fail;
	}
	r = check_socket_dir(m->socket);
	if (r < 0) {
		hq_log_error("extensions socket %s: its directory must exist and be writable only "
			     "by this user: %s",
			     m->socket, strerror(-r));
		goto fail;
	}
	/* Another live manager on the default shell socket: take a numbered one (osqueryi does
	 * the same, without a dot so it never matches <socket>.*). */
	if (ping_extension(m->socket, 1000) == 0) {
		if (!cfg->shell) {
			/* The daemon owns its socket (osquery replaces it too). */
			hq_log_warning("extensions socket %s answered; taking it over", m->socket);
		} else if (cfg->socket_path && *cfg->socket_path) {
			hq_log_error("extensions socket %s is in use by another agent", m->socket);
			r = -EADDRINUSE;
			goto fail;
		} else {
			char *alt =
				g_strdup_printf("%s%u", m->socket, g_random_int_range(1, 65536));
			g_free(m->socket);
			m->socket = alt;
		}
	}
	remove_stale_sockets(m->socket);
	m->listen_fd = hq_unix_listen(m->socket, 0600, 128);
	if (m->listen_fd < 0) {
		r = m->listen_fd;
		hq_log_error("cannot listen on %s: %s", m->socket, strerror(-r));
		goto fail;
	}
	m->queue_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	m->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (m->queue_fd < 0 || m->stop_fd < 0) {
		r = -errno;
		goto fail;
	}
	if (pthread_create(&m->server_thread, NULL, server_thread, m) != 0) {
		r = -EAGAIN;
		goto fail;
	}
	m->server_started = true;
	if (pthread_create(&m->health_thread, NULL, health_thread, m) != 0) {
		r = -EAGAIN;
		goto fail;
	}
	m->health_started = true;
	hq_log_info("extension manager listening on %s", m->socket);
	set_active(true);

	r = hq_ext_autoload_start(m);
	if (r < 0)
		goto fail;
	r = wait_required(m);
	if (r < 0)
		goto fail;
	*ret = m;
	return 0;
fail:
	hq_extensions_stop(m);
	return r;
}

/* osquery_info.extensions says whether the manager socket is up. */
static void set_active(bool active)
{
	hq_agent_info info;
	hq_agent_info_get(&info);
	info.extensions_active = active;
	hq_agent_info_set(&info);
}

static void send_shutdowns(hq_ext_manager *m)
{
	GPtrArray *sockets = g_ptr_array_new_with_free_func(g_free);
	pthread_mutex_lock(&m->lock);
	GHashTableIter it;
	gpointer v;
	g_hash_table_iter_init(&it, m->extensions);
	while (g_hash_table_iter_next(&it, NULL, &v))
		g_ptr_array_add(sockets, g_strdup(((hq_extension *)v)->socket));
	pthread_mutex_unlock(&m->lock);
	/* The server keeps running meanwhile: Go extensions deregister before replying. */
	for (guint i = 0; i < sockets->len; i++) {
		hq_thrift_conn c;
		if (hq_thrift_conn_open(&c, sockets->pdata[i], 1000, FALSE) < 0)
			continue;
		GError *err = NULL;
		if (!hq_thrift_extension_if_shutdown(HQ_THRIFT_EXTENSION_IF(c.client), &err))
			g_clear_error(&err);
		hq_thrift_conn_close(&c);
	}
	g_ptr_array_unref(sockets);
}

void hq_extensions_stop(hq_ext_manager *m)
{
	if (!m)
		return;
	uint64_t one = 1;
	if (m->stop_fd >= 0)
		(void)!write(m->stop_fd, &one, sizeof(one));
	if (m->health_started)
		pthread_join(m->health_thread, NULL);
	if (m->server_started)
		send_shutdowns(m);
	hq_ext_autoload_stop(m);

	pthread_mutex_lock(&m->lock);
	m->stopping = true;
	pthread_cond_broadcast(&m->cond);
	pthread_mutex_unlock(&m->lock);
	if (m->server_started)
		pthread_join(m->server_thread, NULL);
	/* Wake connection threads blocked on idle peers, then wait for them to go. */
	pthread_mutex_lock(&m->lock);
	for (guint i = 0; i < m->conn_fds->len; i++)
		(void)shutdown(g_array_index(m->conn_fds, int, i), SHUT_RDWR);
	while (m->n_conns > 0)
		pthread_cond_wait(&m->cond, &m->lock);
	pthread_mutex_unlock(&m->lock);

	/* Everything left in the queue and every attached table goes now (owning thread). */
	/* Unroute the plugins of extensions still registered (their proxies stay in the registry
	 * for whoever holds them, failing fast). */
	pthread_mutex_lock(&m->lock);
	GHashTableIter it;
	gpointer v;
	g_hash_table_iter_init(&it, m->extensions);
	while (g_hash_table_iter_next(&it, NULL, &v))
		queue_plugins_locked(m, v, HQ_EXT_OP_PLUGIN_DETACH);
	pthread_mutex_unlock(&m->lock);
	hq_ext_op *op;
	while ((op = g_queue_pop_head(&m->ops))) {
		if (op->kind == HQ_EXT_OP_ATTACH)
			hq_ext_table_free(op->table);
		else if (op->kind == HQ_EXT_OP_DETACH)
			run_detach(m, op->table);
		else if (op->kind == HQ_EXT_OP_PLUGIN_DETACH)
			hq_ext_plugin_detach(m, op->registry, op->name, op->socket);
		if (op->kind == HQ_EXT_OP_PLUGIN_ATTACH || op->kind == HQ_EXT_OP_PLUGIN_DETACH)
			op_free(op);
		else if (op->kind == HQ_EXT_OP_ATTACH || op->kind == HQ_EXT_OP_DETACH)
			free(op);
	}
	for (guint i = 0; i < m->tables->len; i++) {
		hq_ext_table *t = m->tables->pdata[i];
		if (t->attached)
			(void)hq_engine_remove_table(m->engine, t->name);
		hq_ext_table_free(t);
	}
	g_ptr_array_set_size(m->tables, 0);
	hq_ext_introspection_remove(m->engine, m->introspection);

	if (m->listen_fd >= 0) {
		set_active(false);
		close(m->listen_fd);
		(void)unlink(m->socket);
		remove_stale_sockets(m->socket);
	}
	if (m->queue_fd >= 0)
		close(m->queue_fd);
	if (m->stop_fd >= 0)
		close(m->stop_fd);
	g_hash_table_unref(m->extensions);
	g_hash_table_unref(m->core_tables);
	g_ptr_array_unref(m->tables);
	g_ptr_array_unref(m->children);
	g_array_unref(m->conn_fds);
	pthread_mutex_destroy(&m->lock);
	pthread_cond_destroy(&m->cond);
	pthread_mutex_destroy(&m->child_lock);
	g_free(m->socket);
	g_free(m->autoload);
	g_free(m->extension);
	g_free(m->require);
	g_free(m->timeout_arg);
	g_free(m->interval_arg);
	free(m);
}
