/* For the unit tests of hostq's SQL extensions: a cmocka fixture that opens a bare in-memory
 * SQLite connection with one extension registered (*state is the sqlite3 *), and its teardown. */
#pragma once

#include <sqlite3.h>

static inline int hq_test_memdb_open(void **state, int (*register_fn)(sqlite3 *db))
{
	sqlite3 *db = NULL;

	if (sqlite3_open(":memory:", &db) != SQLITE_OK)
		return -1;
	if (register_fn(db) != SQLITE_OK) {
		sqlite3_close(db);
		return -1;
	}
	*state = db;
	return 0;
}

static inline int hq_test_memdb_close(void **state)
{
	sqlite3_close(*state);
	return 0;
}
