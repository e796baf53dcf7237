/* Shared state of the extension manager (manager.c: socket, registry, queue, health; proxy.c:
 * extension tables and introspection; autoload.c: launching and supervising .ext files). */
#pragma once

#include <pthread.h>
#include <stdint.h>
#include <sys/types.h>

#include "client.h"
#include "hq/table.h"
#include "hq_extensions.h"

/* One table an extension provides; attached to the engine as a proxy hq_table_def. Owned by
 * the engine's thread once queued (attach/detach run in dispatch), so generate never races with
 * its removal. */
typedef struct hq_ext_table {
	hq_table_def def;
	hq_column *columns;
	char *name;
	char *socket; /* <manager socket>.<uuid> */
	hq_ext_manager *mgr;
	int64_t uuid;
	bool attached;
} hq_ext_table;

typedef struct hq_ext_plugin {
	char *registry;
	char *name;
} hq_ext_plugin;

typedef struct hq_extension {
	int64_t uuid;
	char *name, *version, *sdk_version, *min_sdk_version;
	char *socket;
	GPtrArray *tables;  /* hq_ext_table*, handed to the engine thread on (de)registration */
	GPtrArray *plugins; /* hq_ext_plugin* (every registry, tables included) */
	int64_t registered_usec;
} hq_extension;

typedef enum hq_ext_op_kind {
	HQ_EXT_OP_ATTACH,
	HQ_EXT_OP_DETACH,
	HQ_EXT_OP_QUERY,
	HQ_EXT_OP_COLUMNS,
	HQ_EXT_OP_PLUGIN_ATTACH,
	HQ_EXT_OP_PLUGIN_DETACH,
	HQ_EXT_OP_OPTIONS,
	HQ_EXT_OP_CALL,
} hq_ext_op_kind;

typedef struct hq_ext_op {
	hq_ext_op_kind kind;
	hq_ext_table *table;		/* ATTACH/DETACH */
	const char *sql;		/* QUERY/COLUMNS (borrowed from the waiting connection) */
	char *registry, *name, *socket; /* PLUGIN_* (owned) */
	HqThriftExtensionResponse *response;
	GHashTable *options; /* OPTIONS: the InternalOptionList to fill */
	const char *item;    /* CALL: registry in sql, item here, request below (borrowed) */
	GHashTable *request;
	bool done;
} hq_ext_op;

typedef struct hq_ext_child hq_ext_child;

struct hq_ext_manager {
	hq_engine *engine;
	bool shell, disabled, allow_unsafe, verbose;
	char *socket;
	char *autoload, *extension, *require;
	char *timeout_arg, *interval_arg; /* verbatim for children */
	int timeout_ms, interval_ms, call_timeout_ms;

	int listen_fd;
	int queue_fd; /* eventfd: engine work queued */
	int stop_fd;  /* eventfd: threads stop */
	pthread_t server_thread, health_thread, supervisor_thread;
	bool server_started, health_started, supervisor_started;

	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stopping;
	GHashTable *extensions;	 /* int64 uuid -> hq_extension* */
	GHashTable *core_tables; /* names of core tables (snapshot, thread-safe) */
	GQueue ops;		 /* hq_ext_op*, run by dispatch */
	GPtrArray *tables;	 /* hq_ext_table* attached, owned by the engine thread */
	int n_conns;
	GArray *conn_fds; /* int, for shutdown() at stop */

	const hq_ext_plugin_registry *reg; /* NULL in the shell */
	hq_table_def *introspection;	   /* osquery_extensions, osquery_registry (2 defs) */
	GPtrArray *children;		   /* hq_ext_child*, autoload supervision */
	pthread_mutex_t child_lock;
	int n_launched;
};

int64_t hq_ext_now_usec(void);

/* proxy.c */
hq_ext_table *hq_ext_table_new(hq_ext_manager *m, int64_t uuid, const char *socket,
			       const char *name, GPtrArray *routes, char **ret_error);
void hq_ext_table_free(hq_ext_table *t);
int hq_ext_register_introspection(hq_ext_manager *m);

/* manager.c: a snapshot of the registry for the introspection tables. */
typedef struct hq_ext_snapshot_ext {
	int64_t uuid;
	char *name, *version, *sdk_version, *min_sdk_version, *path;
	GPtrArray *plugins; /* hq_ext_plugin* copies */
} hq_ext_snapshot_ext;
GPtrArray *hq_ext_snapshot(hq_ext_manager *m);

/* plugins.c: proxies in the agent's plugin registry (engine thread only). */
int hq_ext_plugin_kind(const char *registry);
int hq_ext_plugin_attach(hq_ext_manager *m, const char *registry, const char *name,
			 const char *socket);
void hq_ext_plugin_detach(hq_ext_manager *m, const char *registry, const char *name,
			  const char *socket);
bool hq_ext_plugin_is_core(hq_ext_manager *m, const char *registry, const char *name);
static inline const void *hq_ext_reg_find(hq_ext_manager *m, hq_plugin_kind kind, const char *name,
					  void **ret_state)
{
	return m->reg ? m->reg->find(kind, name, ret_state) : NULL;
}
/* The manager's `call`: an extension reaching a core (or other extension's) plugin. Engine
 * thread only. */
void hq_ext_core_call(hq_ext_manager *m, const char *registry, const char *item, GHashTable *req,
		      HqThriftExtensionResponse *resp);

/* autoload.c */
int hq_ext_autoload_start(hq_ext_manager *m);
void hq_ext_autoload_stop(hq_ext_manager *m);
/* Checks a path against osquery's autoload safety rules. 0 when fine, else -errno and a
 * static reason. */
int hq_ext_check_safe(const char *path, bool check_suffix, const char **ret_reason);
