/* One generic sqlite3_module serving every hq_table_def (osquery's virtual_table.cpp idea,
 * in SQLite ext/misc's shape). Each table is an eponymous virtual table: `SELECT * FROM
 * processes` works without CREATE VIRTUAL TABLE.
 *
 * Plan encoding. xBestIndex hands xFilter an idxStr of the form
 *     u<colUsed hex>[;R][;<col>:<op>[:i]]...[;L][;O]
 * where each <col>:<op> entry describes the argv slot of the same position (":i" marks an IN
 * list delivered all at once through sqlite3_vtab_in), "L"/"O" are the LIMIT and OFFSET slots,
 * and "R" marks a plan with no usable constraint on a required column (xFilter then fails
 * with a message naming the columns). idxNum is the number of argv slots.
 *
 * Pushdown policy (osquery's): only constraints on index/required/additional/optimized
 * columns reach the generator; omit stays 0 so SQLite re-checks every row, which keeps a
 * generator that over-produces correct. LIMIT is pushed down only when the query has no WHERE
 * terms and no ORDER BY, the one case where stopping early cannot drop a wanted row. */
#include <inttypes.h>
#include <stdarg.h>

#include "hq/log.h"
#include "sql/bridge.h"
#include "sql/engine.h"
#include "sql/vtab.h"

typedef struct hq_vtab {
	sqlite3_vtab base;
	const hq_vtab_aux *aux;
	unsigned *target; /* column index -> the column it reads (aliases resolved) */
} hq_vtab;

typedef struct hq_cursor {
	sqlite3_vtab_cursor base;
	hq_query_ctx ctx;
	hq_row_sink sink;
	size_t pos;
	bool active;
} hq_cursor;

#define PUSHDOWN_FLAGS (HQ_COL_INDEX | HQ_COL_REQUIRED | HQ_COL_ADDITIONAL | HQ_COL_OPTIMIZED)
#define COST_SCAN 1e6
#define COST_MISSING_REQUIRED 1e12

static int vt_connect(sqlite3 *db, void *paux, int argc, const char *const *argv,
		      sqlite3_vtab **ret_vtab, char **ret_err)
{
	const hq_vtab_aux *aux = paux;
	const hq_table_def *def = aux->def;
	_cleanup_free_ char *sql = NULL;
	hq_vtab *vt;
	int rc;

	sql = hq_table_schema_sql(def);
	if (!sql)
		return SQLITE_NOMEM;
	hq_engine__set_declaring(aux->engine, true);
	rc = sqlite3_declare_vtab(db, sql);
	hq_engine__set_declaring(aux->engine, false);
	if (rc != SQLITE_OK) {
		*ret_err = sqlite3_mprintf("%s: invalid schema: %s", def->name, sqlite3_errmsg(db));
		return rc;
	}
	if (def->flags & HQ_TABLE_DIRECTONLY)
		sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);

	vt = calloc(1, sizeof(*vt));
	if (!vt)
		return SQLITE_NOMEM;
	vt->target = calloc(def->n_columns ? def->n_columns : 1, sizeof(unsigned));
	if (!vt->target) {
		free(vt);
		return SQLITE_NOMEM;
	}
	for (size_t i = 0; i < def->n_columns; i++) {
		vt->target[i] = (unsigned)i;
		if (!def->columns[i].alias_of)
			continue;
		for (size_t j = 0; j < def->n_columns; j++)
			if (j != i && hq_streq(def->columns[j].name, def->columns[i].alias_of))
				vt->target[i] = (unsigned)j;
	}
	vt->aux = aux;
	*ret_vtab = &vt->base;
	return SQLITE_OK;
}

static int vt_disconnect(sqlite3_vtab *tab)
{
	hq_vtab *vt = (hq_vtab *)tab;

	free(vt->target);
	free(vt);
	return SQLITE_OK;
}

static hq_op op_from_sqlite(unsigned char op, bool *ret_ok)
{
	*ret_ok = true;
	switch (op) {
	case SQLITE_INDEX_CONSTRAINT_EQ:
	case SQLITE_INDEX_CONSTRAINT_IS:
		return HQ_OP_EQ;
	case SQLITE_INDEX_CONSTRAINT_GT:
		return HQ_OP_GT;
	case SQLITE_INDEX_CONSTRAINT_LE:
		return HQ_OP_LE;
	case SQLITE_INDEX_CONSTRAINT_LT:
		return HQ_OP_LT;
	case SQLITE_INDEX_CONSTRAINT_GE:
		return HQ_OP_GE;
	case SQLITE_INDEX_CONSTRAINT_LIKE:
		return HQ_OP_LIKE;
	case SQLITE_INDEX_CONSTRAINT_GLOB:
		return HQ_OP_GLOB;
	case SQLITE_INDEX_CONSTRAINT_NE:
	case SQLITE_INDEX_CONSTRAINT_ISNOT:
		return HQ_OP_NE;
	default:
		*ret_ok = false;
		return HQ_OP_EQ;
	}
}

static int vt_best_index(sqlite3_vtab *tab, sqlite3_index_info *info)
{
	hq_vtab *vt = (hq_vtab *)tab;
	const hq_table_def *def = vt->aux->def;
	hq_buf plan = HQ_BUF_INIT(64 * 1024);
	bool has_required = false, required_met = false, required_unusable = false;
	int n_where = 0, limit_i = -1, offset_i = -1, argv = 0;
	double cost = COST_SCAN, rows = COST_SCAN;
	uint64_t used = info->colUsed;

	for (size_t c = 0; c < def->n_columns; c++)
		if (def->columns[c].flags & HQ_COL_REQUIRED)
			has_required = true;

	/* Alias columns read their target: mark the target used too. */
	for (size_t c = 0; c < def->n_columns && c < 63; c++)
		if (vt->target[c] != c && (used >> c & 1))
			used |= vt->target[c] < 63 ? UINT64_C(1) << vt->target[c]
						   : UINT64_C(1) << 63;
	hq_buf_printf(&plan, "u%016" PRIx64, used);

	for (int i = 0; i < info->nConstraint; i++) {
		const struct sqlite3_index_constraint *cons = &info->aConstraint[i];
		unsigned col;
		bool ok;
		hq_op op;

		if (cons->op == SQLITE_INDEX_CONSTRAINT_LIMIT) {
			limit_i = cons->usable ? i : -1;
			continue;
		}
		if (cons->op == SQLITE_INDEX_CONSTRAINT_OFFSET) {
			offset_i = cons->usable ? i : -1;
			continue;
		}
		n_where++;
		if (cons->iColumn < 0 || (size_t)cons->iColumn >= def->n_columns)
			continue;
		col = vt->target[cons->iColumn];
		if (!(def->columns[col].flags & PUSHDOWN_FLAGS))
			continue;
		op = op_from_sqlite(cons->op, &ok);
		if (!ok)
			continue;
		if (!cons->usable) {
			if (def->columns[col].flags & HQ_COL_REQUIRED)
				required_unusable = true;
			continue;
		}
		info->aConstraintUsage[i].argvIndex = ++argv;
		info->aConstraintUsage[i].omit = 0;
		bool in_all = op == HQ_OP_EQ && sqlite3_vtab_in(info, i, -1);
		if (in_all)
			sqlite3_vtab_in(info, i, 1);
		hq_buf_printf(&plan, ";%u:%d%s", col, (int)op, in_all ? ":i" : "");
		if (def->columns[col].flags & HQ_COL_REQUIRED)
			required_met = true;
		if (op == HQ_OP_EQ && cost > 1) {
			cost = 1;
			rows = 1;
		} else if (op != HQ_OP_NE && cost > 1000) {
			cost = 1000;
			rows = 1000;
		}
	}

	if (has_required && !required_met) {
		/* A constraint that exists but is unusable in this join order: ask SQLite for
		 * another order. None at all: keep the plan, xFilter reports the error. */
		if (required_unusable) {
			hq_buf_done(&plan);
			return SQLITE_CONSTRAINT;
		}
		hq_buf_puts(&plan, ";R");
		cost = COST_MISSING_REQUIRED;
	}

	if (n_where == 0 && info->nOrderBy == 0 && limit_i >= 0) {
		info->aConstraintUsage[limit_i].argvIndex = ++argv;
		hq_buf_puts(&plan, ";L");
		if (offset_i >= 0) {
			info->aConstraintUsage[offset_i].argvIndex = ++argv;
			hq_buf_puts(&plan, ";O");
		}
	}

	if (plan.error) {
		hq_buf_done(&plan);
		return SQLITE_NOMEM;
	}
	info->idxNum = argv;
	info->idxStr = sqlite3_mprintf("%s", plan.data);
	hq_buf_done(&plan);
	if (!info->idxStr)
		return SQLITE_NOMEM;
	info->needToFreeIdxStr = 1;
	info->estimatedCost = cost;
	info->estimatedRows = (sqlite3_int64)rows;
	return SQLITE_OK;
}

static int vt_open(sqlite3_vtab *tab, sqlite3_vtab_cursor **ret_cursor)
{
	hq_cursor *cur = calloc(1, sizeof(*cur));

	if (!cur)
		return SQLITE_NOMEM;
	*ret_cursor = &cur->base;
	return SQLITE_OK;
}

/* Releases everything one scan owns; called from xFilter and xClose (fileio.c's reset). */
static void cursor_reset(hq_cursor *cur)
{
	if (!cur->active)
		return;
	hq_row_sink_done(&cur->sink);
	hq_query_ctx_done(&cur->ctx);
	cur->pos = 0;
	cur->active = false;
}

static int vt_close(sqlite3_vtab_cursor *base)
{
	hq_cursor *cur = (hq_cursor *)base;

	cursor_reset(cur);
	free(cur);
	return SQLITE_OK;
}

static int add_value(hq_query_ctx *ctx, unsigned col, hq_op op, sqlite3_value *v)
{
	int type = sqlite3_value_type(v);
	hq_value_type t;
	const char *text = NULL;
	size_t len = 0;

	switch (type) {
	case SQLITE_INTEGER:
		t = HQ_VALUE_INTEGER;
		break;
	case SQLITE_FLOAT:
		t = HQ_VALUE_DOUBLE;
		break;
	case SQLITE_BLOB:
		t = HQ_VALUE_BLOB;
		break;
	case SQLITE_NULL:
		t = HQ_VALUE_NULL;
		break;
	default:
		t = HQ_VALUE_TEXT;
		break;
	}
	int64_t i64 = sqlite3_value_int64(v);
	double dbl = sqlite3_value_double(v);
	if (t != HQ_VALUE_NULL) {
		text = (const char *)sqlite3_value_text(v);
		len = (size_t)sqlite3_value_bytes(v);
		if (!text)
			return -ENOMEM;
	}
	return hq_query_ctx_add(ctx, col, op, t, text, len, i64, dbl);
}

static char *required_message(const hq_table_def *def)
{
	hq_buf b = HQ_BUF_INIT(4096);
	size_t n = 0, k = 0;

	for (size_t c = 0; c < def->n_columns; c++)
		if (def->columns[c].flags & HQ_COL_REQUIRED)
			n++;
	hq_buf_printf(&b, "%s: a constraint on ", def->name);
	for (size_t c = 0; c < def->n_columns; c++) {
		if (!(def->columns[c].flags & HQ_COL_REQUIRED))
			continue;
		if (k)
			hq_buf_puts(&b, k + 1 == n ? " or " : ", ");
		hq_buf_puts(&b, def->columns[c].name);
		k++;
	}
	hq_buf_puts(&b, " is required");
	return hq_buf_steal(&b);
}

static int set_error(sqlite3_vtab *tab, const char *fmt, ...) _printf_(2, 3);
static int set_error(sqlite3_vtab *tab, const char *fmt, ...)
{
	va_list ap;

	sqlite3_free(tab->zErrMsg);
	va_start(ap, fmt);
	tab->zErrMsg = sqlite3_vmprintf(fmt, ap);
	va_end(ap);
	return SQLITE_ERROR;
}

static int vt_filter(sqlite3_vtab_cursor *base, int idxnum, const char *idxstr, int argc,
		     sqlite3_value **argv)
{
	hq_cursor *cur = (hq_cursor *)base;
	hq_vtab *vt = (hq_vtab *)base->pVtab;
	const hq_table_def *def = vt->aux->def;
	int64_t limit = -1, offset = 0;
	const char *p = idxstr;
	int slot = 0, r;

	cursor_reset(cur);
	hq_query_ctx_init(&cur->ctx, def, hq_engine__root(vt->aux->engine));
	cur->active = true;

	if (!p || *p != 'u')
		return set_error(&vt->base, "%s: invalid query plan", def->name);
	cur->ctx.col_used = strtoull(p + 1, (char **)&p, 16);
	while (*p == ';') {
		p++;
		if (*p == 'R') {
			_cleanup_free_ char *msg = required_message(def);

			return set_error(&vt->base, "%s",
					 msg ? msg : "a required constraint is missing");
		}
		if (slot >= argc)
			return set_error(&vt->base, "%s: query plan and arguments disagree",
					 def->name);
		if (*p == 'L') {
			limit = sqlite3_value_int64(argv[slot++]);
			p++;
			continue;
		}
		if (*p == 'O') {
			offset = sqlite3_value_int64(argv[slot++]);
			p++;
			continue;
		}
		unsigned col = (unsigned)strtoul(p, (char **)&p, 10);
		hq_op op = (hq_op)strtol(p + 1, (char **)&p, 10);
		bool in_all = p[0] == ':' && p[1] == 'i';
		if (in_all)
			p += 2;
		if (col >= def->n_columns || op >= _HQ_OP_MAX)
			return set_error(&vt->base, "%s: invalid query plan", def->name);

		if (in_all) {
			sqlite3_value *v;
			int rc;

			for (rc = sqlite3_vtab_in_first(argv[slot], &v); rc == SQLITE_OK && v;
			     rc = sqlite3_vtab_in_next(argv[slot], &v))
				if (add_value(&cur->ctx, col, op, v) < 0)
					return SQLITE_NOMEM;
			if (rc != SQLITE_OK && rc != SQLITE_DONE)
				return rc;
		} else if (add_value(&cur->ctx, col, op, argv[slot]) < 0)
			return SQLITE_NOMEM;
		slot++;
	}
	(void)idxnum;

	if (limit >= 0)
		cur->ctx.limit = limit + (offset > 0 ? offset : 0);
	hq_row_sink_init(&cur->sink, (unsigned)def->n_columns, cur->ctx.limit,
			 hq_engine__scan_max_bytes(vt->aux->engine));

	if (!def->generate || cur->ctx.limit == 0)
		return SQLITE_OK;
	r = def->generate(&cur->ctx, &cur->sink);
	if (r < 0) {
		if (cur->ctx.error)
			return set_error(&vt->base, "%s", cur->ctx.error);
		if (r == -ENOMEM)
			return SQLITE_NOMEM;
		if (r == -E2BIG)
			return set_error(&vt->base, "%s: result exceeds the scan memory cap",
					 def->name);
		return set_error(&vt->base, "%s: %s", def->name, strerror(-r));
	}
	return SQLITE_OK;
}

static int vt_next(sqlite3_vtab_cursor *base)
{
	((hq_cursor *)base)->pos++;
	return SQLITE_OK;
}

static int vt_eof(sqlite3_vtab_cursor *base)
{
	hq_cursor *cur = (hq_cursor *)base;

	return !cur->active || cur->pos >= cur->sink.n_rows;
}

/* osquery rows are text: a numeric column holding text is converted, empty or unparsable
 * text becoming NULL (strtoll base 0, as osquery does). Extension proxies rely on this. */
static void result_text_as_number(sqlite3_context *sctx, const hq_cell *cell, hq_col_type type)
{
	char *end;

	if (cell->len == 0) {
		sqlite3_result_null(sctx);
		return;
	}
	errno = 0;
	if (type == HQ_TYPE_DOUBLE) {
		double d = strtod(cell->p, &end);

		if (*end || errno)
			sqlite3_result_null(sctx);
		else
			sqlite3_result_double(sctx, d);
		return;
	}
	long long v = type == HQ_TYPE_UNSIGNED_BIGINT ? (long long)strtoull(cell->p, &end, 0)
						      : strtoll(cell->p, &end, 0);
	if (*end || errno)
		sqlite3_result_null(sctx);
	else
		sqlite3_result_int64(sctx, v);
}

static int vt_column(sqlite3_vtab_cursor *base, sqlite3_context *sctx, int i)
{
	hq_cursor *cur = (hq_cursor *)base;
	hq_vtab *vt = (hq_vtab *)base->pVtab;
	const hq_table_def *def = vt->aux->def;
	unsigned col;
	const hq_cell *cell;

	if (i < 0 || (size_t)i >= def->n_columns || cur->pos >= cur->sink.n_rows)
		return SQLITE_OK;
	col = vt->target[i];
	cell = &cur->sink.cells[cur->pos * cur->sink.n_cols + col];
	switch (cell->type) {
	case HQ_CELL_INT:
		sqlite3_result_int64(sctx, cell->i);
		break;
	case HQ_CELL_DOUBLE:
		sqlite3_result_double(sctx, cell->d);
		break;
	case HQ_CELL_TEXT:
		if (def->columns[col].type != HQ_TYPE_TEXT &&
		    def->columns[col].type != HQ_TYPE_BLOB) {
			result_text_as_number(sctx, cell, def->columns[col].type);
			break;
		}
		sqlite3_result_text(sctx, cell->p, (int)cell->len, SQLITE_TRANSIENT);
		break;
	case HQ_CELL_BLOB:
		sqlite3_result_blob(sctx, cell->p, (int)cell->len, SQLITE_TRANSIENT);
		break;
	default:
		break; /* NULL is the default result */
	}
	return SQLITE_OK;
}

static int vt_rowid(sqlite3_vtab_cursor *base, sqlite3_int64 *ret_rowid)
{
	*ret_rowid = (sqlite3_int64)((hq_cursor *)base)->pos;
	return SQLITE_OK;
}

const sqlite3_module hq_vtab_module = {
	.iVersion = 0,
	.xCreate = NULL, /* eponymous-only: the table exists as soon as the module does */
	.xConnect = vt_connect,
	.xBestIndex = vt_best_index,
	.xDisconnect = vt_disconnect,
	.xDestroy = vt_disconnect,
	.xOpen = vt_open,
	.xClose = vt_close,
	.xFilter = vt_filter,
	.xNext = vt_next,
	.xEof = vt_eof,
	.xColumn = vt_column,
	.xRowid = vt_rowid,
};
