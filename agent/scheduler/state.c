/* State database on SQLite (see state.h). One connection, prepared statements per call: the
 * daemon runs a handful of statements per query execution, so caching them is not worth it. */
#include <sqlite3.h>

#include "scheduler/state.h"

struct hq_state {
	sqlite3 *db;
};

static const char schema[] =
	"PRAGMA journal_mode=WAL;"
	"PRAGMA synchronous=FULL;"
	"CREATE TABLE IF NOT EXISTS results(name TEXT PRIMARY KEY, epoch INTEGER NOT NULL,"
	" counter INTEGER NOT NULL, rows TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS log_queue(id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" snapshot INTEGER NOT NULL, line TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS kv(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS denylist(name TEXT PRIMARY KEY, until INTEGER NOT NULL,"
	" reason TEXT NOT NULL);";

static int sqerr(int rc)
{
	switch (rc) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW:
		return 0;
	case SQLITE_NOMEM:
		return -ENOMEM;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return -EBUSY;
	case SQLITE_FULL:
		return -ENOSPC;
	case SQLITE_CANTOPEN:
		return -ENOENT;
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_AUTH:
		return -EACCES;
	default:
		return -EIO;
	}
}

static void stmt_finalizep(sqlite3_stmt **s)
{
	sqlite3_finalize(*s);
}
#define _cleanup_stmt_ _cleanup_(stmt_finalizep)

int hq_state_open(const char *path, hq_state **ret)
{
	hq_state *st = calloc(1, sizeof(*st));
	int rc;

	if (!st)
		return -ENOMEM;
	rc = sqlite3_open_v2(path, &st->db,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
			     NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_busy_timeout(st->db, 5000);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(st->db, schema, NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		int r = sqerr(rc);
		hq_state_close(st);
		return r;
	}
	*ret = st;
	return 0;
}

hq_state *hq_state_close(hq_state *st)
{
	if (st) {
		sqlite3_close_v2(st->db);
		free(st);
	}
	return NULL;
}

static int prepare(hq_state *st, const char *sql, sqlite3_stmt **ret)
{
	return sqerr(sqlite3_prepare_v2(st->db, sql, -1, ret, NULL));
}

static int exec(hq_state *st, const char *sql)
{
	return sqerr(sqlite3_exec(st->db, sql, NULL, NULL, NULL));
}

int hq_state_get_result(hq_state *st, const char *name, char **ret_rows, int64_t *ret_epoch,
			int64_t *ret_counter)
{
	_cleanup_stmt_ sqlite3_stmt *s = NULL;
	int r = prepare(st, "SELECT rows, epoch, counter FROM results WHERE name = ?", &s);
	int rc;

	if (r < 0)
		return r;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE)
		return -ENOENT;
	if (rc != SQLITE_ROW)
		return sqerr(rc);
	if (ret_rows) {
		*ret_rows = strdup((const char *)sqlite3_column_text(s, 0) ?: "[]");
		if (!*ret_rows)
			return -ENOMEM;
	}
	if (ret_epoch)
		*ret_epoch = sqlite3_column_int64(s, 1);
	if (ret_counter)
		*ret_counter = sqlite3_column_int64(s, 2);
	return 0;
}

static int insert_lines(hq_state *st, const hq_state_line *lines, size_t n)
{
	_cleanup_stmt_ sqlite3_stmt *s = NULL;
	int r;

	if (n == 0)
		return 0;
	r = prepare(st, "INSERT INTO log_queue(snapshot, line) VALUES(?, ?)", &s);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		int rc;
		sqlite3_bind_int(s, 1, lines[i].is_snapshot);
		sqlite3_bind_text(s, 2, lines[i].line, -1, SQLITE_STATIC);
		rc = sqlite3_step(s);
		if (rc != SQLITE_DONE)
			return sqerr(rc);
		sqlite3_reset(s);
	}
	return 0;
}

int hq_state_commit_result(hq_state *st, const char *name, const char *rows_json, int64_t epoch,
			   int64_t counter, const hq_state_line *lines, size_t n_lines)
{
	int r = exec(st, "BEGIN IMMEDIATE");

	if (r < 0)
		return r;
	if (rows_json) {
		_cleanup_stmt_ sqlite3_stmt *s = NULL;
		r = prepare(st,
			    "INSERT OR REPLACE INTO results(name, epoch, counter, rows) "
			    "VALUES(?, ?, ?, ?)",
			    &s);
		if (r >= 0) {
			sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
			sqlite3_bind_int64(s, 2, epoch);
			sqlite3_bind_int64(s, 3, counter);
			sqlite3_bind_text(s, 4, rows_json, -1, SQLITE_STATIC);
			r = sqerr(sqlite3_step(s));
		}
	}
	if (r >= 0)
		r = insert_lines(st, lines, n_lines);
	if (r >= 0)
		r = exec(st, "DELETE FROM kv WHERE key = 'executing'");
	if (r >= 0)
		r = exec(st, "COMMIT");
	if (r < 0)
		(void)exec(st, "ROLLBACK");
	return r;
}

int hq_state_queue_lines(hq_state *st, const hq_state_line *lines, size_t n_lines)
{
	int r = exec(st, "BEGIN IMMEDIATE");

	if (r < 0)
		return r;
	r = insert_lines(st, lines, n_lines);
	if (r >= 0)
		r = exec(st, "COMMIT");
	if (r < 0)
		(void)exec(st, "ROLLBACK");
	return r;
}

int hq_state_queue_foreach(hq_state *st, size_t max, hq_state_line_fn fn, void *userdata,
			   int64_t *ret_last_id)
{
	_cleanup_stmt_ sqlite3_stmt *s = NULL;
	int64_t last = 0;
	int r = prepare(st, "SELECT id, snapshot, line FROM log_queue ORDER BY id LIMIT ?", &s);
	int rc;

	if (r < 0)
		return r;
	sqlite3_bind_int64(s, 1, (sqlite3_int64)max);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(s, 0);
		r = fn(id, (const char *)sqlite3_column_text(s, 2), sqlite3_column_int(s, 1) != 0,
		       userdata);
		if (r < 0)
			break;
		last = id;
	}
	if (r >= 0 && rc != SQLITE_DONE && rc != SQLITE_ROW)
		r = sqerr(rc);
	*ret_last_id = last;
	return r;
}

int hq_state_queue_delete(hq_state *st, int64_t last_id)
{
	_cleanup_stmt_ sqlite3_stmt *s = NULL;
	int r = prepare(st, "DELETE FROM log_queue WHERE id <= ?", &s);

	if (r < 0)
		return r;
	sqlite3_bind_int64(s, 1, last_id);
	return sqerr(sqlite3_step(s));
}

int64_t hq_state_queue_size(hq_state *st)
{
	_cleanup_stmt_ sqlite3_stmt *s = NULL;

	if (prepare(st, "SELECT count(*) FROM log_queue", &s) < 0 || sqlite3_step(s) != SQLITE_ROW)
		return -EIO;
	return sqlite3_column_int64(s, 0);
}

int hq_state_kv_get(hq_state *st, const char *key, char **ret_value)
{
	_cleanup_stmt_ sqlite3_stmt *s = NULL;
	int r = prepare(st, "SELECT value FROM kv WHERE key = ?", &s);
	int rc;

	if (r < 0)
		return r;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE)
		return -ENOENT;
	if (rc != SQLITE_ROW)
		return sqerr(rc);
	*ret_value = strdup((const char *)sqlite3_column_text(s, 0));
	return *ret_value ? 0 : -ENOMEM;
}

int hq_state_kv_set(hq_state *st, const char *key, const char *value)
{
	_cleanup_stmt_ sqlite3_stmt *s = NULL;
	int r = prepare(st,
			value ? "INSERT OR REPLACE INTO kv(key, value) VALUES(?, ?)"
			      : "DELETE FROM kv WHERE key = ?",
			&s);

	if (r < 0)
		return r;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	if (value)
		sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
	return sqerr(sqlite3_step(s));
}

int hq_state_denylist_add(hq_state *st, const char *name, int64_t until, const char *reason)
{
	_cleanup_stmt_ sqlite3_stmt *s = NULL;
	int r = prepare(st, "INSERT OR REPLACE INTO denylist(name, until, reason) VALUES(?, ?, ?)",
			&s);

	if (r < 0)
		return r;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, until);
	sqlite3_bind_text(s, 3, reason ?: "", -1, SQLITE_STATIC);
	return sqerr(sqlite3_step(s));
}

int hq_state_denylist_remove(hq_state *st, const char *name)
{
	_cleanup_stmt_ sqlite3_stmt *s = NULL;
	int r = prepare(st, "DELETE FROM denylist WHERE name = ?", &s);

	if (r < 0)
		return r;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	return sqerr(sqlite3_step(s));
}

int64_t hq_state_denylist_until(hq_state *st, const char *name, int64_t now)
{
	_cleanup_stmt_ sqlite3_stmt *s = NULL;
	int64_t until;

	if (prepare(st, "SELECT until FROM denylist WHERE name = ?", &s) < 0)
		return 0;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_ROW)
		return 0;
	until = sqlite3_column_int64(s, 0);
	if (until <= now) {
		(void)hq_state_denylist_remove(st, name);
		return 0;
	}
	return until;
}

int hq_state_prune_results(hq_state *st, const char *const *keep)
{
	_cleanup_stmt_ sqlite3_stmt *s = NULL;
	int r = exec(st, "CREATE TEMP TABLE IF NOT EXISTS keep_names(name TEXT PRIMARY KEY);"
			 "DELETE FROM keep_names;");

	if (r < 0)
		return r;
	r = prepare(st, "INSERT OR IGNORE INTO keep_names VALUES(?)", &s);
	if (r < 0)
		return r;
	for (size_t i = 0; keep && keep[i]; i++) {
		sqlite3_bind_text(s, 1, keep[i], -1, SQLITE_STATIC);
		if (sqlite3_step(s) != SQLITE_DONE)
			return -EIO;
		sqlite3_reset(s);
	}
	return exec(st, "DELETE FROM results WHERE name NOT IN (SELECT name FROM keep_names)");
}
