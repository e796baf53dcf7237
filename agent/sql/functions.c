/* osquery's SQL functions (placeholder until implemented). */
#include "sql/functions.h"

int hq_sql_register_functions(sqlite3 *db)
{
	(void)db;
	return SQLITE_OK;
}
