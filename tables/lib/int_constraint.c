/* Integer values of WHERE constraints (see int_constraint.h). */
#include "lib/int_constraint.h"

bool hq_constraint_int64(const hq_constraint *c, int64_t *ret)
{
	if (c->type == HQ_VALUE_INTEGER) {
		*ret = c->i64;
		return true;
	}
	if (c->type == HQ_VALUE_DOUBLE && c->dbl == (double)(int64_t)c->dbl) {
		*ret = (int64_t)c->dbl;
		return true;
	}
	if (c->type == HQ_VALUE_TEXT)
		return hq_safe_atoi64(c->text, ret) >= 0;
	return false;
}
