/* libFuzzer target for the SQL functions that parse their arguments: the first byte splits the
 * input into a subject and a pattern/token string, which go through split, regex_match,
 * regex_split, from_base64, inet_aton, community_id_v1 and version_compare. Results are not
 * checked (errors are fine); crashes, leaks and sanitizer reports are the findings. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <sqlite3.h>

#include "sql/functions.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static sqlite3 *db;
	static sqlite3_stmt *st;
	size_t n1;

	if (!db) {
		if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
		    hq_sql_register_functions(db) != SQLITE_OK ||
		    hq_sql_register_collations(db) != SQLITE_OK ||
		    sqlite3_prepare_v2(
			    db,
			    "SELECT split(?1, ?2, ?3), regex_match(?1, ?2, ?3), "
			    "regex_split(?1, ?2, ?3), from_base64(?1), inet_aton(?1), "
			    "conditional_to_base64(?2), "
			    "community_id_v1(?1, ?2, ?3, ?3, ?3 % 256), "
			    "version_compare(?1, ?2, 'dpkg'), ?1 < ?2 COLLATE version_rhel",
			    -1, &st, NULL) != SQLITE_OK)
			abort();
	}
	if (size < 2)
		return 0;
	n1 = data[1] < size - 2 ? data[1] : size - 2;
	sqlite3_bind_text(st, 1, (const char *)data + 2, (int)n1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, (const char *)data + 2 + n1, (int)(size - 2 - n1),
			  SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 3, data[0] % 8);
	while (sqlite3_step(st) == SQLITE_ROW)
		;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return 0;
}
