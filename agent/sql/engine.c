/* The engine: an in-memory SQLite connection with every table registered as an eponymous
 * virtual table, osquery's functions and collations, a read-only authorizer, a per-statement
 * time budget and a heap cap. */
#include <strings.h>
#include <time.h>

#include "hq/log.h"
#include "sql/engine.h"
#include "sql/functions.h"
#include "sql/vtab.h"

#define DEFAULT_SCAN_MAX_BYTES ((size_t)1 << 30)

struct hq_engine {
	sqlite3 *db;
	char *root; /* "" for the real root */
	size_t scan_max_bytes;
	int64_t timeout_ms;
	int64_t deadline_ns;
	bool declaring;
	const hq_table_def **tables; /* sorted by name */
	size_t n_tables;
	size_t cap_tables;
};

const char *hq_engine__root(hq_engine *e)
{
	return e->root;
}

size_t hq_engine__scan_max_bytes(hq_engine *e)
{
	return e->scan_max_bytes;
}

void hq_engine__set_declaring(hq_engine *e, bool declaring)
{
	e->declaring = declaring;
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int progress_check(void *userdata)
{
	hq_engine *e = userdata;

	return e->deadline_ns && now_ns() > e->deadline_ns;
}

void hq_engine_begin_query(hq_engine *e)
{
	e->deadline_ns = e->timeout_ms > 0 ? now_ns() + e->timeout_ms * 1000000 : 0;
}

/* PRAGMAs that only read the schema or the connection's state. Everything else (journal
 * modes, temp_store_directory, ...) could touch files or change behaviour and is denied. */
static const char *const allowed_pragmas[] = {
	"table_info",  "table_xinfo",	  "table_list",	      "index_list",
	"index_info",  "function_list",	  "module_list",      "collation_list",
	"pragma_list", "compile_options", "foreign_key_list", "database_list",
};

static bool pragma_allowed(const char *name, const char *arg)
{
	for (size_t i = 0; i < HQ_ELEMENTSOF(allowed_pragmas); i++)
		if (strcasecmp(name, allowed_pragmas[i]) == 0)
			return true;
	return false;
}

static int authorize(void *userdata, int action, const char *a, const char *b, const char *db,
		     const char *trigger)
{
	hq_engine *e = userdata;

	/* sqlite3_declare_vtab() parses the table's own CREATE TABLE: that is ours, not the
	 * user's, and must pass. */
	if (e->declaring)
		return SQLITE_OK;
	switch (action) {
	case SQLITE_ATTACH:
	case SQLITE_DETACH:
	case SQLITE_CREATE_VTABLE:
	case SQLITE_DROP_VTABLE:
		return SQLITE_DENY;
	case SQLITE_PRAGMA:
		return pragma_allowed(a, b) ? SQLITE_OK : SQLITE_DENY;
	case SQLITE_FUNCTION:
		return b && strcasecmp(b, "load_extension") == 0 ? SQLITE_DENY : SQLITE_OK;
	case SQLITE_UPDATE:
		/* SQLite's own eponymous tables (pragma_table_info()) check updates of
		 * sqlite_master columns while connecting. Real schema writes are blocked by
		 * SQLITE_DBCONFIG_DEFENSIVE whatever we answer here. */
		if (hq_streq(a, "sqlite_master"))
			return SQLITE_OK;
		return hq_streq(db, "temp") ? SQLITE_OK : SQLITE_DENY;
	case SQLITE_INSERT:
	case SQLITE_DELETE:
		return hq_streq(db, "temp") ? SQLITE_OK : SQLITE_DENY;
	case SQLITE_CREATE_INDEX:
	case SQLITE_CREATE_TABLE:
	case SQLITE_CREATE_TRIGGER:
	case SQLITE_CREATE_VIEW:
	case SQLITE_DROP_INDEX:
	case SQLITE_DROP_TABLE:
	case SQLITE_DROP_TRIGGER:
	case SQLITE_DROP_VIEW:
	case SQLITE_ALTER_TABLE:
	case SQLITE_REINDEX:
	case SQLITE_ANALYZE:
		/* Only the TEMP schema is writable; the main schema belongs to the tables. */
		return hq_streq(db, "temp") ? SQLITE_OK : SQLITE_DENY;
	default:
		return SQLITE_OK;
	}
}

int hq_engine_new(const hq_engine_config *config, hq_engine **ret)
{
	_cleanup_(hq_engine_freep) hq_engine *e = NULL;
	hq_engine_config defaults = {0};
	int rc, r;

	if (!ret)
		return -EINVAL;
	if (!config)
		config = &defaults;
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->root = strdup(config->root && strcmp(config->root, "/") != 0 ? config->root : "");
	if (!e->root)
		return -ENOMEM;
	/* The root is joined with absolute paths: keep it without a trailing slash. */
	for (size_t n = strlen(e->root); n > 0 && e->root[n - 1] == '/'; n--)
		e->root[n - 1] = '\0';
	e->scan_max_bytes = config->scan_max_bytes > 0 ? (size_t)config->scan_max_bytes
						       : DEFAULT_SCAN_MAX_BYTES;
	e->timeout_ms = config->query_timeout_ms;
	if (config->heap_limit > 0)
		sqlite3_hard_heap_limit64(config->heap_limit);

	rc = sqlite3_open_v2(":memory:", &e->db,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
			     NULL);
	if (rc != SQLITE_OK)
		return rc == SQLITE_NOMEM ? -ENOMEM : -EIO;
	sqlite3_extended_result_codes(e->db, 1);
	sqlite3_db_config(e->db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL);
	sqlite3_db_config(e->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);

	if (hq_sql_register_functions(e->db) != SQLITE_OK ||
	    hq_sql_register_collations(e->db) != SQLITE_OK)
		return -ENOMEM;

	for (const hq_table_def *const *t = hq_builtin_tables; *t; t++) {
		r = hq_engine_add_table(e, *t);
		if (r < 0) {
			hq_log_error("failed to register table %s: %s", (*t)->name, strerror(-r));
			return r;
		}
	}

	sqlite3_set_authorizer(e->db, authorize, e);
	sqlite3_progress_handler(e->db, 1000, progress_check, e);
	*ret = TAKE_PTR(e);
	return 0;
}

hq_engine *hq_engine_free(hq_engine *e)
{
	if (!e)
		return NULL;
	if (e->db)
		sqlite3_close_v2(e->db);
	free(e->tables);
	free(e->root);
	free(e);
	return NULL;
}

sqlite3 *hq_engine_db(hq_engine *e)
{
	return e->db;
}

static size_t table_slot(hq_engine *e, const char *name, bool *ret_found)
{
	size_t lo = 0, hi = e->n_tables;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(e->tables[mid]->name, name);

		if (c == 0) {
			*ret_found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*ret_found = false;
	return lo;
}

const hq_table_def *hq_engine_find_table(hq_engine *e, const char *name)
{
	bool found;
	size_t i = table_slot(e, name, &found);

	return found ? e->tables[i] : NULL;
}

size_t hq_engine_tables(hq_engine *e, const hq_table_def *const **ret_tables)
{
	*ret_tables = e->tables;
	return e->n_tables;
}

static void aux_free(void *p)
{
	free(p);
}

/* Runs internal statements (alias views) past the authorizer, which denies them to users. */
static int exec_internal(hq_engine *e, const char *sql)
{
	int rc;

	sqlite3_set_authorizer(e->db, NULL, NULL);
	rc = sqlite3_exec(e->db, sql, NULL, NULL, NULL);
	sqlite3_set_authorizer(e->db, authorize, e);
	return rc;
}

int hq_engine_add_table(hq_engine *e, const hq_table_def *def)
{
	hq_vtab_aux *aux;
	bool found;
	size_t slot;
	int rc;

	if (!e || !def || !def->name || def->version != HQ_TABLE_ABI_VERSION)
		return -EINVAL;
	slot = table_slot(e, def->name, &found);
	if (found)
		return -EEXIST;
	if (e->n_tables == e->cap_tables) {
		size_t ncap = e->cap_tables ? e->cap_tables * 2 : 64;
		const hq_table_def **n = reallocarray(e->tables, ncap, sizeof(*n));

		if (!n)
			return -ENOMEM;
		e->tables = n;
		e->cap_tables = ncap;
	}
	aux = malloc(sizeof(*aux));
	if (!aux)
		return -ENOMEM;
	*aux = (hq_vtab_aux){.engine = e, .def = def};
	/* create_module_v2 frees aux through aux_free on failure too. */
	rc = sqlite3_create_module_v2(e->db, def->name, &hq_vtab_module, aux, aux_free);
	if (rc != SQLITE_OK)
		return rc == SQLITE_NOMEM ? -ENOMEM : -EINVAL;
	memmove(e->tables + slot + 1, e->tables + slot, (e->n_tables - slot) * sizeof(*e->tables));
	e->tables[slot] = def;
	e->n_tables++;

	for (const char *const *alias = def->aliases; alias && *alias; alias++) {
		char *sql =
			sqlite3_mprintf("CREATE TEMP VIEW IF NOT EXISTS \"%w\" AS SELECT * FROM "
					"\"%w\"",
					*alias, def->name);
		if (!sql)
			return -ENOMEM;
		rc = exec_internal(e, sql);
		sqlite3_free(sql);
		if (rc != SQLITE_OK)
			hq_log_warning("table %s: cannot create alias %s: %s", def->name, *alias,
				       sqlite3_errmsg(e->db));
	}
	return 0;
}

int hq_engine_remove_table(hq_engine *e, const char *name)
{
	bool found;
	size_t slot = table_slot(e, name, &found);
	const hq_table_def *def;

	if (!found)
		return -ENOENT;
	def = e->tables[slot];
	for (const char *const *alias = def->aliases; alias && *alias; alias++) {
		char *sql = sqlite3_mprintf("DROP VIEW IF EXISTS temp.\"%w\"", *alias);

		if (!sql)
			return -ENOMEM;
		(void)exec_internal(e, sql);
		sqlite3_free(sql);
	}
	/* A NULL module removes the module and its eponymous table. */
	sqlite3_create_module_v2(e->db, name, NULL, NULL, NULL);
	memmove(e->tables + slot, e->tables + slot + 1,
		(e->n_tables - slot - 1) * sizeof(*e->tables));
	e->n_tables--;
	return 0;
}

static int errno_from_sqlite(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_NOMEM:
		return -ENOMEM;
	case SQLITE_INTERRUPT:
		return -ETIMEDOUT;
	case SQLITE_AUTH:
		return -EPERM;
	case SQLITE_CONSTRAINT:
		return -EINVAL;
	default:
		return -EIO;
	}
}

int hq_engine_exec(hq_engine *e, const char *sql, hq_exec_row_fn fn, void *userdata,
		   char **ret_error)
{
	const char *tail = sql;
	int r = 0;

	hq_engine_begin_query(e);
	while (tail && *tail) {
		sqlite3_stmt *stmt = NULL;
		int rc = sqlite3_prepare_v2(e->db, tail, -1, &stmt, &tail);

		if (rc != SQLITE_OK) {
			r = errno_from_sqlite(rc);
			goto fail;
		}
		if (!stmt)
			continue; /* whitespace or a comment */

		int n = sqlite3_column_count(stmt);
		char **values = calloc((size_t)n + 1, sizeof(char *));
		char **names = calloc((size_t)n + 1, sizeof(char *));
		int *types = calloc((size_t)n + 1, sizeof(int));

		if (!values || !names || !types) {
			free(values);
			free(names);
			free(types);
			sqlite3_finalize(stmt);
			return -ENOMEM;
		}
		for (int i = 0; i < n; i++)
			names[i] = (char *)sqlite3_column_name(stmt, i);
		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
			for (int i = 0; i < n; i++) {
				types[i] = sqlite3_column_type(stmt, i);
				values[i] = (char *)sqlite3_column_text(stmt, i);
			}
			if (fn && fn(n, values, names, types, userdata) != 0) {
				rc = SQLITE_DONE;
				break;
			}
		}
		free(values);
		free(names);
		free(types);
		if (rc != SQLITE_DONE) {
			r = errno_from_sqlite(rc);
			sqlite3_finalize(stmt);
			goto fail;
		}
		sqlite3_finalize(stmt);
	}
	return 0;

fail:
	if (ret_error)
		*ret_error = strdup(sqlite3_errmsg(e->db));
	return r;
}
