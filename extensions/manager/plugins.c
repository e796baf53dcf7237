/* Extension logger/config/distributed plugins as core plugins: a proxy vtable per plugin in the
 * agent's plugin registry, whose state is the route to the extension (one short connection per
 * call, requests shaped as protocol.md §5.2-5.4). Proxies are only ever added on the engine's
 * thread. An extension that goes away leaves its proxy registered but unrouted (calls fail
 * with -ENOTCONN), because active loggers keep pointers to it; a relaunch re-routes it. */
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "hq/log.h"
#include "hq/plugin.h"
#include "hq/query.h"
#include "internal.h"

typedef struct proxy {
	union {
		hq_logger_plugin logger;
		hq_config_plugin config;
		hq_distributed_plugin distributed;
	} vt;
	hq_plugin_kind kind;
	char *name;
	pthread_mutex_t lock;
	char *socket; /* NULL while the extension is gone */
	int timeout_ms;
	bool wants_status;
} proxy;

static const char *const kind_registry[_HQ_PLUGIN_KIND_MAX] = {
	[HQ_PLUGIN_LOGGER] = "logger",
	[HQ_PLUGIN_CONFIG] = "config",
	[HQ_PLUGIN_DISTRIBUTED] = "distributed",
};

int hq_ext_plugin_kind(const char *registry)
{
	for (int k = 0; k < _HQ_PLUGIN_KIND_MAX; k++)
		if (hq_streq(kind_registry[k], registry))
			return k;
	return -EINVAL;
}

static void proxy_free(void *state)
{
	proxy *p = state;
	if (!p)
		return;
	pthread_mutex_destroy(&p->lock);
	free(p->name);
	free(p->socket);
	free(p);
}

/* Sends one call; on success *ret_resp holds the response (status code checked by callers
 * that care, since logger features travel in the code). */
static int proxy_call(proxy *p, GHashTable *req, HqThriftExtensionResponse **ret_resp)
{
	pthread_mutex_lock(&p->lock);
	g_autofree char *socket = g_strdup(p->socket);
	pthread_mutex_unlock(&p->lock);
	if (!socket) {
		g_hash_table_unref(req);
		return -ENOTCONN;
	}
	hq_thrift_conn c;
	int r = hq_thrift_conn_open(&c, socket, p->timeout_ms, FALSE);
	if (r < 0) {
		g_hash_table_unref(req);
		return r;
	}
	HqThriftExtensionResponse *resp = g_object_new(HQ_THRIFT_TYPE_EXTENSION_RESPONSE, NULL);
	GError *err = NULL;
	if (!hq_thrift_extension_if_call(HQ_THRIFT_EXTENSION_IF(c.client), &resp,
					 kind_registry[p->kind], p->name, req, &err)) {
		hq_log_debug("extension plugin %s: %s", p->name,
			     err ? err->message : "call failed");
		g_clear_error(&err);
		g_object_unref(resp);
		r = -EIO;
	} else
		*ret_resp = resp;
	hq_thrift_conn_close(&c);
	g_hash_table_unref(req);
	return r;
}

static GHashTable *request(const char *k1, const char *v1, const char *k2, const char *v2)
{
	GHashTable *req = hq_thrift_string_map_new();
	if (k1)
		g_hash_table_insert(req, g_strdup(k1), g_strdup(v1 ? v1 : ""));
	if (k2)
		g_hash_table_insert(req, g_strdup(k2), g_strdup(v2 ? v2 : ""));
	return req;
}

/* Calls and maps a non-zero status to -EIO (message logged at debug level). */
static int proxy_call_ok(proxy *p, GHashTable *req, HqThriftExtensionResponse **ret_resp)
{
	HqThriftExtensionResponse *resp = NULL;
	int r = proxy_call(p, req, &resp);
	if (r < 0)
		return r;
	if (resp->status && resp->status->code != 0) {
		hq_log_debug("extension plugin %s: %s", p->name,
			     resp->status->message ? resp->status->message : "failed");
		g_object_unref(resp);
		return -EIO;
	}
	if (ret_resp)
		*ret_resp = resp;
	else
		g_object_unref(resp);
	return 0;
}

/* ---- logger ---- */

static int logger_init(void *state, const char *name)
{
	proxy *p = state;
	HqThriftExtensionResponse *resp = NULL;
	/* Code 1 to init is the SDKs' "use glog" answer: not an error. */
	if (proxy_call(p, request("init", name, NULL, NULL), &resp) == 0)
		g_object_unref(resp);
	resp = NULL;
	/* features: the status code is a bitmask, 1 = wants status logs. Both official SDKs
	 * answer 1 (they do not know the action), which osquery reads the same way. */
	if (proxy_call(p, request("action", "features", NULL, NULL), &resp) == 0) {
		p->wants_status = resp->status && (resp->status->code & 1);
		g_object_unref(resp);
	}
	return 0;
}

static int logger_result(void *state, const char *json_line, int is_snapshot)
{
	proxy *p = state;
	return proxy_call_ok(p,
			     is_snapshot ? request("snapshot", json_line, NULL, NULL)
					 : request("string", json_line, "category", "event"),
			     NULL);
}

static int logger_status(void *state, const hq_status_entry *e, size_t n)
{
	proxy *p = state;
	if (!p->wants_status || n == 0)
		return 0;
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
			arr, json_pack("{s:i,s:s,s:i,s:s,s:s,s:s,s:I}", "s", e[i].severity, "f",
				       e[i].filename ? e[i].filename : "", "i", e[i].line, "m",
				       e[i].message ? e[i].message : "", "h",
				       e[i].host_identifier ? e[i].host_identifier : "", "c",
				       e[i].calendar_time ? e[i].calendar_time : "", "u",
				       (json_int_t)e[i].unix_time));
	/* Compact, no surrounding whitespace: the Go SDK overwrites the first and last byte. */
	char *log = json_dumps(arr, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
	json_decref(arr);
	if (!log)
		return -ENOMEM;
	HqThriftExtensionResponse *resp = NULL;
	int r = proxy_call(p, request("status", "true", "log", log), &resp);
	free(log);
	if (r == 0)
		g_object_unref(resp); /* Python answers 1 ("use glog"): ignored like osquery */
	return r;
}

/* ---- config ---- */

static int config_gen(void *state, hq_config_source **ret_sources, size_t *ret_n)
{
	proxy *p = state;
	HqThriftExtensionResponse *resp = NULL;
	int r = proxy_call_ok(p, request("action", "genConfig", NULL, NULL), &resp);
	if (r < 0)
		return r;
	GHashTable *row = resp->response->len > 0 ? resp->response->pdata[0] : NULL;
	size_t n = row ? g_hash_table_size(row) : 0, i = 0;
	hq_config_source *s = calloc(n ? n : 1, sizeof(*s));
	if (!s) {
		g_object_unref(resp);
		return -ENOMEM;
	}
	if (row) {
		/* Several sources are merged by the config parser; keep a stable order. */
		g_autoptr(GList) keys =
			g_list_sort(g_hash_table_get_keys(row), (GCompareFunc)strcmp);
		for (GList *k = keys; k; k = k->next, i++) {
			s[i].name = strdup(k->data);
			s[i].json = strdup(g_hash_table_lookup(row, k->data));
			if (!s[i].name || !s[i].json) {
				for (size_t j = 0; j <= i; j++) {
					free(s[j].name);
					free(s[j].json);
				}
				free(s);
				g_object_unref(resp);
				return -ENOMEM;
			}
		}
	}
	g_object_unref(resp);
	*ret_sources = s;
	*ret_n = n;
	return 0;
}

static int config_pack(void *state, const char *name, const char *value, char **ret_json)
{
	proxy *p = state;
	HqThriftExtensionResponse *resp = NULL;
	GHashTable *req = request("action", "genPack", "name", name);
	g_hash_table_insert(req, g_strdup("value"), g_strdup(value ? value : ""));
	int r = proxy_call_ok(p, req, &resp);
	if (r < 0)
		return r;
	const char *json = resp->response->len > 0
				   ? g_hash_table_lookup(resp->response->pdata[0], name)
				   : NULL;
	r = json ? 0 : -ENOENT;
	if (json && !(*ret_json = strdup(json)))
		r = -ENOMEM;
	g_object_unref(resp);
	return r;
}

/* ---- distributed ---- */

static int dist_get(void *state, char **ret_json)
{
	proxy *p = state;
	HqThriftExtensionResponse *resp = NULL;
	int r = proxy_call_ok(p, request("action", "getQueries", NULL, NULL), &resp);
	if (r < 0)
		return r;
	const char *json = resp->response->len > 0
				   ? g_hash_table_lookup(resp->response->pdata[0], "results")
				   : NULL;
	*ret_json = strdup(json ? json : "{\"queries\": {}}");
	g_object_unref(resp);
	return *ret_json ? 0 : -ENOMEM;
}

static int dist_write(void *state, const char *results_json)
{
	return proxy_call_ok(state, request("action", "writeResults", "results", results_json),
			     NULL);
}

/* ---- attaching ---- */

static proxy *find_proxy(hq_ext_manager *m, hq_plugin_kind kind, const char *name)
{
	void *state = NULL;
	const void *vt = hq_ext_reg_find(m, kind, name, &state);
	if (!vt || vt != state)
		return NULL; /* not one of ours: the vtable is the first member of our state */
	return state;
}

int hq_ext_plugin_attach(hq_ext_manager *m, const char *registry, const char *name,
			 const char *socket)
{
	int kind = hq_ext_plugin_kind(registry);
	if (kind < 0 || !m->reg)
		return 0; /* registries the agent has no use for (enroll, ...), or no registry */
	proxy *p = find_proxy(m, kind, name);
	if (p) {
		/* The same plugin from a relaunched extension: re-route it. */
		pthread_mutex_lock(&p->lock);
		free(p->socket);
		p->socket = strdup(socket);
		pthread_mutex_unlock(&p->lock);
		return 0;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	pthread_mutex_init(&p->lock, NULL);
	p->kind = kind;
	p->name = strdup(name);
	p->socket = strdup(socket);
	p->timeout_ms = m->call_timeout_ms;
	if (!p->name || !p->socket) {
		proxy_free(p);
		return -ENOMEM;
	}
	switch (kind) {
	case HQ_PLUGIN_LOGGER:
		p->vt.logger = (hq_logger_plugin){.version = HQ_PLUGIN_ABI_VERSION,
						  .name = p->name,
						  .init = logger_init,
						  .log_result = logger_result,
						  .log_status = logger_status,
						  .free = proxy_free};
		break;
	case HQ_PLUGIN_CONFIG:
		p->vt.config = (hq_config_plugin){.version = HQ_PLUGIN_ABI_VERSION,
						  .name = p->name,
						  .gen_config = config_gen,
						  .gen_pack = config_pack,
						  .free = proxy_free};
		break;
	default:
		p->vt.distributed = (hq_distributed_plugin){.version = HQ_PLUGIN_ABI_VERSION,
							    .name = p->name,
							    .get_queries = dist_get,
							    .write_results = dist_write,
							    .free = proxy_free};
		break;
	}
	return m->reg->register_plugin(kind, &p->vt, p);
}

void hq_ext_plugin_detach(hq_ext_manager *m, const char *registry, const char *name,
			  const char *socket)
{
	int kind = hq_ext_plugin_kind(registry);
	proxy *p = kind < 0 ? NULL : find_proxy(m, kind, name);
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	/* Only unroute when the route is still this extension's (not a newer instance's). */
	if (p->socket && hq_streq(p->socket, socket)) {
		free(p->socket);
		p->socket = NULL;
	}
	pthread_mutex_unlock(&p->lock);
}

bool hq_ext_plugin_is_core(hq_ext_manager *m, const char *registry, const char *name)
{
	int kind = hq_ext_plugin_kind(registry);
	return kind >= 0 && hq_ext_reg_find(m, kind, name, NULL) && !find_proxy(m, kind, name);
}

/* ---- extensions calling core plugins (manager `call`) ---- */

/* The plugin a call names, or the selected one when the item is empty or unknown (osquery's
 * fallback): the first --logger_plugin, the --config_plugin. */
static const void *resolve(hq_ext_manager *m, hq_plugin_kind kind, const char *item,
			   void **ret_state)
{
	const void *vt = item && *item ? hq_ext_reg_find(m, kind, item, ret_state) : NULL;
	if (vt || m->shell || !m->reg)
		return vt;
	g_autofree char *active = NULL;
	const char *sel = m->reg->selected(kind);
	if (kind == HQ_PLUGIN_LOGGER) {
		g_auto(GStrv) list = g_strsplit(sel ? sel : "", ",", 2);
		active = g_strdup(list[0] ? g_strstrip(list[0]) : "");
	} else if (kind == HQ_PLUGIN_CONFIG)
		active = g_strdup(sel ? sel : "");
	return active && *active ? hq_ext_reg_find(m, kind, active, ret_state) : NULL;
}

static int call_logger(const hq_logger_plugin *vt, void *state, GHashTable *req)
{
	const char *v;
	if ((v = g_hash_table_lookup(req, "string")))
		return vt->log_result(state, v, 0);
	if ((v = g_hash_table_lookup(req, "snapshot")))
		return vt->log_result(state, v, 1);
	if ((v = g_hash_table_lookup(req, "string_batch"))) {
		json_t *arr = json_loads(v, 0, NULL), *it;
		size_t i;
		int r = json_is_array(arr) ? 0 : -EINVAL;
		json_array_foreach(arr, i, it)
		{
			if (json_is_string(it) && r >= 0)
				r = vt->log_result(state, json_string_value(it), 0);
		}
		json_decref(arr);
		return r;
	}
	if ((v = g_hash_table_lookup(req, "init")))
		return vt->init ? vt->init(state, v) : 0;
	return -EOPNOTSUPP;
}

static int call_config(hq_ext_manager *m, const hq_config_plugin *vt, void *state, GHashTable *req,
		       GPtrArray *rows)
{
	if (!hq_streq(g_hash_table_lookup(req, "action"), "genConfig"))
		return -EOPNOTSUPP;
	hq_config_source *src = NULL;
	size_t n = 0;
	int r = vt->gen_config(state, &src, &n);
	if (r < 0)
		return r;
	GHashTable *row = hq_thrift_response_add_row(rows);
	for (size_t i = 0; i < n; i++)
		g_hash_table_replace(row, g_strdup(src[i].name), g_strdup(src[i].json));
	m->reg->sources_free(src, n);
	return 0;
}

static int call_distributed(const hq_distributed_plugin *vt, void *state, GHashTable *req,
			    GPtrArray *rows)
{
	const char *action = g_hash_table_lookup(req, "action");
	if (hq_streq(action, "getQueries")) {
		char *json = NULL;
		int r = vt->get_queries(state, &json);
		if (r >= 0)
			g_hash_table_replace(hq_thrift_response_add_row(rows), g_strdup("results"),
					     g_strdup(json ? json : "{}"));
		free(json);
		return r;
	}
	if (hq_streq(action, "writeResults")) {
		const char *res = g_hash_table_lookup(req, "results");
		return vt->write_results(state, res ? res : "{}");
	}
	return -EOPNOTSUPP;
}

void hq_ext_core_call(hq_ext_manager *m, const char *registry, const char *item, GHashTable *req,
		      HqThriftExtensionResponse *resp)
{
	int kind = hq_ext_plugin_kind(registry);
	void *state = NULL;
	const void *vt = kind >= 0 ? resolve(m, kind, item, &state) : NULL;
	int r;
	if (!vt) {
		g_autofree char *msg = g_strdup_printf("No %s plugin %s", registry ? registry : "",
						       item ? item : "");
		hq_thrift_status_set(resp->status, 1, msg, 0);
		return;
	}
	if (kind == HQ_PLUGIN_LOGGER)
		r = call_logger(vt, state, req);
	else if (kind == HQ_PLUGIN_CONFIG)
		r = call_config(m, vt, state, req, resp->response);
	else
		r = call_distributed(vt, state, req, resp->response);
	if (r < 0) {
		g_ptr_array_set_size(resp->response, 0);
		hq_thrift_status_set(resp->status, 1, strerror(-r), 0);
	} else
		hq_thrift_status_set(resp->status, 0, "OK", 0);
}
