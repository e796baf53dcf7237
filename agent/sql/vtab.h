/* The generic module and what each registered table passes it as client data. */
#pragma once

#include <sqlite3.h>
#include <stdbool.h>

#include "hq/table.h"
#include "sql/engine.h"

typedef struct hq_vtab_aux {
	hq_engine *engine;
	const hq_table_def *def;
} hq_vtab_aux;

extern const sqlite3_module hq_vtab_module;

/* Engine internals the bridge needs. */
const char *hq_engine__root(hq_engine *e);
size_t hq_engine__scan_max_bytes(hq_engine *e);
void hq_engine__set_declaring(hq_engine *e, bool declaring);
