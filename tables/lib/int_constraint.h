/* Integer values of WHERE constraints, for tables that push an integer column's equality
 * constraints down (users.uid, groups.gid, users.include_remote). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "hq/query.h"

/* The constraint's value as SQLite would compare it with an integer column: an integer, a
 * double with an integral value, or text holding a decimal integer. false for anything else
 * (NULL, fractional, non-numeric text), which no integer row can equal. */
bool hq_constraint_int64(const hq_constraint *c, int64_t *ret);
