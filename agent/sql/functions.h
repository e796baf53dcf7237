/* osquery's SQL functions and collations, registered on every engine connection. */
#pragma once

#include <sqlite3.h>

/* split, regex_match, regex_split, inet_aton, concat, concat_ws, to_base64, from_base64,
 * conditional_to_base64, sha1, sha256, md5, community_id_v1. Returns an SQLite result code. */
int hq_sql_register_functions(sqlite3 *db);

/* Collations version, version_dpkg, version_arch, version_rhel. Returns an SQLite result code. */
int hq_sql_register_collations(sqlite3 *db);
