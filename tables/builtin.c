/* The built-in table list: every line of tables.list becomes one entry. The core reaches the
 * tables only through this array, never through their files. */
#include "hq/table.h"

#define HQ_TABLE(name) extern const hq_table_def hq_table_##name;
#include "tables.list"
#undef HQ_TABLE

#define HQ_TABLE(name) &hq_table_##name,
const hq_table_def *const hq_builtin_tables[] = {
#include "tables.list"
	NULL,
};
#undef HQ_TABLE
