/* libhostq-extension: the extension side of the protocol (see hostq/extension.h). One persistent
 * connection to the manager carries registration and pings (like the official SDKs); the
 * extension serves <socket>.<uuid> one short connection at a time, as the agent opens one per
 * call. */
#include <errno.h>
#include <jansson.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "client.h"
#include "hostq/extension.h"

#define SDK_MAX_REQUEST (64u << 20)

typedef enum plugin_kind { KIND_TABLE, KIND_LOGGER, KIND_CONFIG, KIND_DISTRIBUTED } plugin_kind;
static const char *const kind_registry[] = {"table", "logger", "config", "distributed"};

typedef struct plugin {
	plugin_kind kind;
	char *name;
	hq_extension_column *columns;
	size_t n_columns;
	hq_extension_generate_fn generate;
	hq_extension_logger logger;
	hq_extension_config_fn gen_config;
	hq_extension_distributed distributed;
	void *userdata;
} plugin;

struct hq_extension {
	char *name, *version;
	GPtrArray *plugins;
	bool verbose;
	const char *socket;
	int timeout_s, interval_s;
	int64_t uuid;
	bool stop;
};

struct hq_extension_rows {
	GPtrArray *rows; /* GHashTable* string -> string, the response list */
	GHashTable *cur;
	char *error;
	int error_code;
};

struct hq_extension_context {
	const char *raw;
	json_t *json;
};

static const char *const type_names[] = {"TEXT",   "INTEGER", "BIGINT", "UNSIGNED BIGINT",
					 "DOUBLE", "BLOB"};

void hq_extension_log(hq_extension *e, const char *fmt, ...)
{
	if (!e || !e->verbose)
		return;
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "%s: ", e->name);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* ---- rows ---- */

int hq_extension_row_begin(hq_extension_rows *rows)
{
	rows->cur = hq_thrift_response_add_row(rows->rows);
	return 0;
}

int hq_extension_row_set(hq_extension_rows *rows, const char *column, const char *value)
{
	if (!rows->cur || !column)
		return -EINVAL;
	if (!value) {
		g_hash_table_remove(rows->cur, column);
		return 0;
	}
	/* Peers decode strings strictly as UTF-8: never send anything else. */
	char *v = g_utf8_make_valid(value, -1);
	g_hash_table_replace(rows->cur, g_strdup(column), v);
	return 0;
}

int hq_extension_row_set_int(hq_extension_rows *rows, const char *column, int64_t value)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%" G_GINT64_FORMAT, value);
	return hq_extension_row_set(rows, column, buf);
}

int hq_extension_row_set_double(hq_extension_rows *rows, const char *column, double value)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];
	return hq_extension_row_set(rows, column, g_ascii_dtostr(buf, sizeof(buf), value));
}

int hq_extension_row_setf(hq_extension_rows *rows, const char *column, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *v = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	return hq_extension_row_set(rows, column, v);
}

int hq_extension_rows_error(hq_extension_rows *rows, int r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_free(rows->error);
	rows->error = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	rows->error_code = r ? r : -EIO;
	return rows->error_code;
}

/* ---- context ---- */

const char *hq_extension_context_json(const hq_extension_context *ctx)
{
	return ctx->raw ? ctx->raw : "{}";
}

static json_t *context_column(const hq_extension_context *ctx, const char *column)
{
	json_t *cons = json_object_get(ctx->json, "constraints"), *c;
	size_t i;
	json_array_foreach(cons, i, c)
	{
		if (g_strcmp0(json_string_value(json_object_get(c, "name")), column) == 0)
			return c;
	}
	return NULL;
}

int hq_extension_context_constraint(const hq_extension_context *ctx, const char *column, size_t n,
				    int *ret_op, const char **ret_expr)
{
	json_t *list = json_object_get(context_column(ctx, column), "list");
	json_t *item = json_array_get(list, n);
	if (!item)
		return -ENOENT;
	json_t *op = json_object_get(item, "op");
	if (ret_op)
		*ret_op = json_is_integer(op)  ? (int)json_integer_value(op)
			  : json_is_string(op) ? atoi(json_string_value(op))
					       : 0;
	if (ret_expr)
		*ret_expr = json_string_value(json_object_get(item, "expr"));
	return 0;
}

bool hq_extension_context_used(const hq_extension_context *ctx, const char *column)
{
	json_t *used = json_object_get(ctx->json, "colsUsed"), *c;
	size_t i;
	if (!json_is_array(used))
		return true;
	json_array_foreach(used, i, c)
	{
		if (g_strcmp0(json_string_value(c), column) == 0)
			return true;
	}
	return false;
}

/* ---- building the extension ---- */

hq_extension *hq_extension_new(const char *name, const char *version)
{
	if (!name || !*name)
		return NULL;
	hq_extension *e = g_new0(hq_extension, 1);
	e->name = g_strdup(name);
	e->version = g_strdup(version ? version : "");
	e->plugins = g_ptr_array_new();
	e->timeout_s = 3;
	e->interval_s = 3;
	return e;
}

void hq_extension_free(hq_extension *e)
{
	if (!e)
		return;
	for (guint i = 0; i < e->plugins->len; i++) {
		plugin *p = e->plugins->pdata[i];
		for (size_t c = 0; c < p->n_columns; c++)
			g_free((char *)p->columns[c].name);
		g_free(p->columns);
		g_free(p->name);
		g_free(p);
	}
	g_ptr_array_unref(e->plugins);
	g_free(e->name);
	g_free(e->version);
	g_free(e);
}

static plugin *add_plugin(hq_extension *e, plugin_kind kind, const char *name, void *userdata)
{
	if (!e || !name || !*name)
		return NULL;
	for (guint i = 0; i < e->plugins->len; i++) {
		plugin *p = e->plugins->pdata[i];
		if (p->kind == kind && strcmp(p->name, name) == 0)
			return NULL;
	}
	plugin *p = g_new0(plugin, 1);
	p->kind = kind;
	p->name = g_strdup(name);
	p->userdata = userdata;
	g_ptr_array_add(e->plugins, p);
	return p;
}

int hq_extension_add_table(hq_extension *e, const char *name, const hq_extension_column *columns,
			   size_t n_columns, hq_extension_generate_fn generate, void *userdata)
{
	if (!columns || n_columns == 0 || !generate)
		return -EINVAL;
	for (size_t i = 0; i < n_columns; i++)
		if (!columns[i].name || (unsigned)columns[i].type > HQ_EXTENSION_BLOB)
			return -EINVAL;
	plugin *p = add_plugin(e, KIND_TABLE, name, userdata);
	if (!p)
		return -EEXIST;
	p->columns = g_new0(hq_extension_column, n_columns);
	for (size_t i = 0; i < n_columns; i++) {
		p->columns[i] = columns[i];
		p->columns[i].name = g_strdup(columns[i].name);
	}
	p->n_columns = n_columns;
	p->generate = generate;
	return 0;
}

int hq_extension_add_logger(hq_extension *e, const char *name, const hq_extension_logger *logger,
			    void *userdata)
{
	if (!logger || !logger->log_string)
		return -EINVAL;
	plugin *p = add_plugin(e, KIND_LOGGER, name, userdata);
	if (!p)
		return -EEXIST;
	p->logger = *logger;
	return 0;
}

int hq_extension_add_config(hq_extension *e, const char *name, hq_extension_config_fn gen_config,
			    void *userdata)
{
	if (!gen_config)
		return -EINVAL;
	plugin *p = add_plugin(e, KIND_CONFIG, name, userdata);
	if (!p)
		return -EEXIST;
	p->gen_config = gen_config;
	return 0;
}

int hq_extension_add_distributed(hq_extension *e, const char *name,
				 const hq_extension_distributed *distributed, void *userdata)
{
	if (!distributed || !distributed->get_queries || !distributed->write_results)
		return -EINVAL;
	plugin *p = add_plugin(e, KIND_DISTRIBUTED, name, userdata);
	if (!p)
		return -EEXIST;
	p->distributed = *distributed;
	return 0;
}

/* ---- serving calls ---- */

static void table_routes(const plugin *p, GPtrArray *rows)
{
	for (size_t i = 0; i < p->n_columns; i++) {
		GHashTable *r = hq_thrift_response_add_row(rows);
		g_hash_table_insert(r, g_strdup("id"), g_strdup("column"));
		g_hash_table_insert(r, g_strdup("name"), g_strdup(p->columns[i].name));
		g_hash_table_insert(r, g_strdup("type"), g_strdup(type_names[p->columns[i].type]));
		g_hash_table_insert(r, g_strdup("op"),
				    g_strdup_printf("%u", p->columns[i].options));
	}
}

static int call_table(plugin *p, GHashTable *req, hq_extension_rows *rows)
{
	const char *action = g_hash_table_lookup(req, "action");
	if (g_strcmp0(action, "columns") == 0) {
		table_routes(p, rows->rows);
		return 0;
	}
	if (g_strcmp0(action, "generate") != 0)
		return hq_extension_rows_error(rows, -EOPNOTSUPP, "Unknown action: %s",
					       action ? action : "");
	hq_extension_context ctx = {.raw = g_hash_table_lookup(req, "context")};
	ctx.json = ctx.raw ? json_loads(ctx.raw, 0, NULL) : NULL;
	if (!ctx.json)
		ctx.json = json_object();
	int r = p->generate(&ctx, rows, p->userdata);
	json_decref(ctx.json);
	if (r < 0 && !rows->error)
		hq_extension_rows_error(rows, r, "%s", strerror(-r));
	return r;
}

static int call_logger(plugin *p, GHashTable *req, hq_extension_rows *rows, int *ret_code)
{
	const hq_extension_logger *l = &p->logger;
	const char *v;
	if ((v = g_hash_table_lookup(req, "string")))
		return l->log_string(v, g_hash_table_lookup(req, "category"), p->userdata);
	if ((v = g_hash_table_lookup(req, "snapshot")))
		return l->log_snapshot ? l->log_snapshot(v, p->userdata)
				       : l->log_string(v, "snapshot", p->userdata);
	if ((v = g_hash_table_lookup(req, "init")))
		return l->init ? l->init(v, p->userdata) : 0;
	if ((v = g_hash_table_lookup(req, "status")) && g_hash_table_lookup(req, "log")) {
		if (!l->log_status)
			return 0;
		json_t *arr = json_loads(g_hash_table_lookup(req, "log"), 0, NULL), *it;
		size_t i;
		json_array_foreach(arr, i, it)
		{
			(void)l->log_status((int)json_integer_value(json_object_get(it, "s")),
					    json_string_value(json_object_get(it, "f")),
					    (int)json_integer_value(json_object_get(it, "i")),
					    json_string_value(json_object_get(it, "m")),
					    p->userdata);
		}
		json_decref(arr);
		return 0;
	}
	if (g_strcmp0(g_hash_table_lookup(req, "action"), "features") == 0) {
		/* The status code is the answer: 1 = send status logs. */
		*ret_code = l->log_status ? 1 : 0;
		return 0;
	}
	if (g_hash_table_lookup(req, "health"))
		return 0;
	return hq_extension_rows_error(rows, -EOPNOTSUPP, "Unknown logger request");
}

static int call_config(plugin *p, GHashTable *req, hq_extension_rows *rows)
{
	if (g_strcmp0(g_hash_table_lookup(req, "action"), "genConfig") != 0)
		return hq_extension_rows_error(rows, -EOPNOTSUPP, "Unsupported config action");
	int r = p->gen_config(rows, p->userdata);
	if (r < 0 && !rows->error)
		hq_extension_rows_error(rows, r, "%s", strerror(-r));
	return r;
}

static int call_distributed(plugin *p, GHashTable *req, hq_extension_rows *rows)
{
	const char *action = g_hash_table_lookup(req, "action");
	int r;
	if (g_strcmp0(action, "getQueries") == 0) {
		char *json = NULL;
		r = p->distributed.get_queries(&json, p->userdata);
		if (r >= 0) {
			hq_extension_row_begin(rows);
			hq_extension_row_set(rows, "results", json ? json : "{}");
		}
		free(json);
	} else if (g_strcmp0(action, "writeResults") == 0) {
		const char *results = g_hash_table_lookup(req, "results");
		r = p->distributed.write_results(results ? results : "{}", p->userdata);
	} else
		return hq_extension_rows_error(rows, -EOPNOTSUPP, "Unknown distributed action");
	if (r < 0 && !rows->error)
		hq_extension_rows_error(rows, r, "%s", strerror(-r));
	return r;
}

#define HQ_TYPE_SDK_HANDLER (hq_sdk_handler_get_type())
G_DECLARE_FINAL_TYPE(HqSdkHandler, hq_sdk_handler, HQ, SDK_HANDLER, HqThriftExtensionHandler)
struct _HqSdkHandler {
	HqThriftExtensionHandler parent;
	hq_extension *ext;
};
G_DEFINE_TYPE(HqSdkHandler, hq_sdk_handler, HQ_THRIFT_TYPE_EXTENSION_HANDLER)

static gboolean sdk_ping(HqThriftExtensionIf *iface, HqThriftExtensionStatus **ret, GError **error)
{
	hq_thrift_status_set(*ret, 0, "pong", HQ_SDK_HANDLER(iface)->ext->uuid);
	return TRUE;
}

static gboolean sdk_call(HqThriftExtensionIf *iface, HqThriftExtensionResponse **ret,
			 const gchar *registry, const gchar *item,
			 const HqThriftExtensionPluginRequest *request, GError **error)
{
	hq_extension *e = HQ_SDK_HANDLER(iface)->ext;
	hq_extension_rows rows = {.rows = (*ret)->response};
	GHashTable *req = (GHashTable *)request;
	plugin *p = NULL;
	for (guint i = 0; i < e->plugins->len && !p; i++) {
		plugin *c = e->plugins->pdata[i];
		if (g_strcmp0(kind_registry[c->kind], registry) == 0 &&
		    g_strcmp0(c->name, item) == 0)
			p = c;
	}
	int code = 0;
	if (!p)
		hq_extension_rows_error(&rows, -ENOENT, "Unknown registry item %s/%s",
					registry ? registry : "", item ? item : "");
	else if (p->kind == KIND_TABLE)
		(void)call_table(p, req, &rows);
	else if (p->kind == KIND_LOGGER)
		(void)call_logger(p, req, &rows, &code);
	else if (p->kind == KIND_CONFIG)
		(void)call_config(p, req, &rows);
	else
		(void)call_distributed(p, req, &rows);
	if (rows.error) {
		g_ptr_array_set_size((*ret)->response, 0);
		hq_thrift_status_set((*ret)->status, 1, rows.error, e->uuid);
		g_free(rows.error);
	} else
		hq_thrift_status_set((*ret)->status, code, "OK", e->uuid);
	return TRUE;
}

static gboolean sdk_shutdown(HqThriftExtensionIf *iface, GError **error)
{
	hq_extension *e = HQ_SDK_HANDLER(iface)->ext;
	hq_extension_log(e, "shutdown requested by the agent");
	e->stop = true;
	return TRUE;
}

static void hq_sdk_handler_class_init(HqSdkHandlerClass *cls)
{
	HqThriftExtensionHandlerClass *h = HQ_THRIFT_EXTENSION_HANDLER_CLASS(cls);
	h->ping = sdk_ping;
	h->call = sdk_call;
	h->shutdown = sdk_shutdown;
}

static void hq_sdk_handler_init(HqSdkHandler *self)
{
}

/* ---- running ---- */

static int parse_args(hq_extension *e, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = NULL;
		if (strncmp(a, "--", 2) != 0)
			continue;
		a += 2;
		const char *eq = strchr(a, '=');
		g_autofree char *name = eq ? g_strndup(a, eq - a) : g_strdup(a);
		if (strcmp(name, "verbose") == 0) {
			e->verbose = true;
			continue;
		}
		if (strcmp(name, "socket") && strcmp(name, "timeout") && strcmp(name, "interval"))
			continue; /* not ours; the program may have its own flags */
		v = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
		if (!v) {
			fprintf(stderr, "%s: --%s needs a value\n", e->name, name);
			return -EINVAL;
		}
		if (strcmp(name, "socket") == 0)
			e->socket = v;
		else if (strcmp(name, "timeout") == 0)
			e->timeout_s = atoi(v);
		else
			e->interval_s = atoi(v);
	}
	if (!e->socket)
		e->socket = "/var/run/hostq.em";
	if (e->interval_s < 1)
		e->interval_s = 1;
	if (e->timeout_s < 0)
		e->timeout_s = 0;
	return 0;
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Connects to the manager and pings it, retrying with backoff until --timeout passes. */
static int connect_manager(hq_extension *e, hq_thrift_conn *c)
{
	int64_t deadline = now_ms() + (int64_t)e->timeout_s * 1000;
	int delay = 20;
	for (;;) {
		if (hq_thrift_conn_open(c, e->socket, 1000 * MAX(e->timeout_s, 1), TRUE) == 0) {
			HqThriftExtensionStatus *st =
				g_object_new(HQ_THRIFT_TYPE_EXTENSION_STATUS, NULL);
			GError *err = NULL;
			gboolean ok = hq_thrift_extension_if_ping(HQ_THRIFT_EXTENSION_IF(c->client),
								  &st, &err);
			g_clear_error(&err);
			g_object_unref(st);
			if (ok)
				return 0;
			hq_thrift_conn_close(c);
		}
		if (now_ms() >= deadline)
			return -ETIMEDOUT;
		usleep((useconds_t)delay * 1000);
		delay = MIN(delay * 2, 500);
	}
}

static int register_extension(hq_extension *e, hq_thrift_conn *c)
{
	HqThriftInternalExtensionInfo *info =
		g_object_new(HQ_THRIFT_TYPE_INTERNAL_EXTENSION_INFO, "name", e->name, "version",
			     e->version, "sdk_version", HQ_EXTENSION_SDK_VERSION, "min_sdk_version",
			     HQ_EXTENSION_SDK_VERSION, NULL);
	/* Only registries with plugins: a real osquery knows all four, and tables always come
	 * with their columns. */
	GHashTable *registry = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
						     (GDestroyNotify)g_hash_table_unref);
	for (guint i = 0; i < e->plugins->len; i++) {
		plugin *p = e->plugins->pdata[i];
		const char *reg = kind_registry[p->kind];
		GHashTable *routes = g_hash_table_lookup(registry, reg);
		if (!routes) {
			routes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
						       (GDestroyNotify)g_ptr_array_unref);
			g_hash_table_insert(registry, g_strdup(reg), routes);
		}
		GPtrArray *rows =
			g_ptr_array_new_with_free_func((GDestroyNotify)g_hash_table_unref);
		if (p->kind == KIND_TABLE)
			table_routes(p, rows);
		g_hash_table_insert(routes, g_strdup(p->name), rows);
	}
	HqThriftExtensionStatus *st = g_object_new(HQ_THRIFT_TYPE_EXTENSION_STATUS, NULL);
	GError *err = NULL;
	int r = 0;
	if (!hq_thrift_extension_manager_if_register_extension(
		    HQ_THRIFT_EXTENSION_MANAGER_IF(c->client), &st, info, registry, &err)) {
		fprintf(stderr, "%s: registration failed: %s\n", e->name,
			err ? err->message : "unknown error");
		r = -EIO;
	} else if (st->code != 0) {
		fprintf(stderr, "%s: registration refused: %s\n", e->name,
			st->message ? st->message : "");
		r = -EPERM;
	} else
		e->uuid = st->uuid;
	g_clear_error(&err);
	g_object_unref(st);
	g_object_unref(info);
	g_hash_table_unref(registry);
	return r;
}

/* Pings the manager on the registration connection; false when it is gone. Only EXT_FAILED
 * (code 1) counts as a failed ping, as in the official SDKs. */
static bool ping_manager(hq_thrift_conn *c)
{
	HqThriftExtensionStatus *st = g_object_new(HQ_THRIFT_TYPE_EXTENSION_STATUS, NULL);
	GError *err = NULL;
	bool ok = hq_thrift_extension_if_ping(HQ_THRIFT_EXTENSION_IF(c->client), &st, &err) &&
		  st->code != 1;
	g_clear_error(&err);
	g_object_unref(st);
	return ok;
}

static void serve_connection(hq_extension *e, ThriftProcessor *proc, int fd)
{
	hq_thrift_conn c;
	/* The agent opens one connection per call and closes it; a peer that stalls mid-message
	 * is cut off after --timeout so it cannot block everyone else. */
	hq_thrift_conn_wrap(&c, fd, 1000 * MAX(e->timeout_s, 1), SDK_MAX_REQUEST);
	GError *err = NULL;
	while (!e->stop && hq_fd_transport_wait_message(c.transport)) {
		if (!thrift_processor_process(proc, c.protocol, c.protocol, &err)) {
			hq_extension_log(e, "dropping connection: %s",
					 err ? err->message : "protocol error");
			g_clear_error(&err);
			break;
		}
	}
	hq_thrift_conn_close(&c);
}

static void quiet_glib(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer ud)
{
	hq_extension_log(ud, "thrift: %s", message);
}

int hq_extension_run(hq_extension *e, int argc, char **argv)
{
	if (!e)
		return 1;
	if (parse_args(e, argc, argv) < 0)
		return 1;
	g_log_set_handler(NULL, G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO,
			  quiet_glib, e);
	signal(SIGPIPE, SIG_IGN);

	hq_thrift_conn mgr;
	if (connect_manager(e, &mgr) < 0) {
		fprintf(stderr, "%s: no extension manager answers on %s\n", e->name, e->socket);
		return 1;
	}
	if (register_extension(e, &mgr) < 0) {
		hq_thrift_conn_close(&mgr);
		return 1;
	}
	g_autofree char *path = g_strdup_printf("%s.%" G_GINT64_FORMAT, e->socket, e->uuid);
	int lfd = hq_unix_listen(path, 0600, 16);
	if (lfd < 0) {
		fprintf(stderr, "%s: cannot listen on %s: %s\n", e->name, path, strerror(-lfd));
		hq_thrift_conn_close(&mgr);
		return 1;
	}
	hq_extension_log(e, "registered as %" G_GINT64_FORMAT ", serving %s", e->uuid, path);

	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	pthread_sigmask(SIG_BLOCK, &mask, NULL);
	int sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);

	HqSdkHandler *h = g_object_new(HQ_TYPE_SDK_HANDLER, NULL);
	h->ext = e;
	ThriftProcessor *proc =
		g_object_new(HQ_THRIFT_TYPE_EXTENSION_PROCESSOR, "handler", h, NULL);
	int status = 0;
	int64_t next_ping = now_ms() + (int64_t)e->interval_s * 1000;
	while (!e->stop) {
		struct pollfd p[2] = {{.fd = lfd, .events = POLLIN}, {.fd = sfd, .events = POLLIN}};
		int wait = (int)MAX(next_ping - now_ms(), 0);
		int n = poll(p, sfd >= 0 ? 2 : 1, wait);
		if (n < 0 && errno != EINTR)
			break;
		if (n > 0 && sfd >= 0 && p[1].revents) {
			hq_extension_log(e, "terminating on signal");
			break;
		}
		if (n > 0 && (p[0].revents & POLLIN)) {
			int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
			if (fd >= 0)
				serve_connection(e, proc, fd);
		}
		if (now_ms() >= next_ping) {
			if (!ping_manager(&mgr)) {
				hq_extension_log(e, "the extension manager went away");
				break;
			}
			next_ping = now_ms() + (int64_t)e->interval_s * 1000;
		}
	}
	/* Leave the manager's list on the way out (it may already be gone). */
	HqThriftExtensionStatus *st = g_object_new(HQ_THRIFT_TYPE_EXTENSION_STATUS, NULL);
	GError *err = NULL;
	hq_fd_transport_set_timeout(mgr.transport, 1000);
	(void)hq_thrift_extension_manager_if_deregister_extension(
		HQ_THRIFT_EXTENSION_MANAGER_IF(mgr.client), &st, e->uuid, &err);
	g_clear_error(&err);
	g_object_unref(st);

	g_object_unref(proc);
	g_object_unref(h);
	close(lfd);
	(void)unlink(path);
	if (sfd >= 0)
		close(sfd);
	hq_thrift_conn_close(&mgr);
	return status;
}
