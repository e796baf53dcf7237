/* osquery's version collations (placeholder until implemented). */
#include "sql/functions.h"

int hq_sql_register_collations(sqlite3 *db)
{
	(void)db;
	return SQLITE_OK;
}
