/* uptime: time since boot, split into days, hours, minutes and seconds, one row.
 * Source: <root>/proc/uptime (first field, whole seconds). No privileges.
 * Example: SELECT days, hours, total_seconds FROM uptime; */
#include <assert.h>
#include <ctype.h>

#include "hq/query.h"
#include "hq/row.h"
#include "hq/table.h"

enum {
	COL_DAYS,
	COL_HOURS,
	COL_MINUTES,
	COL_SECONDS,
	COL_TOTAL_SECONDS,
	_COL_MAX,
};

static const hq_column columns[] = {
	[COL_DAYS] = {"days", HQ_TYPE_INTEGER, 0, "Days of uptime"},
	[COL_HOURS] = {"hours", HQ_TYPE_INTEGER, 0, "Hours of uptime"},
	[COL_MINUTES] = {"minutes", HQ_TYPE_INTEGER, 0, "Minutes of uptime"},
	[COL_SECONDS] = {"seconds", HQ_TYPE_INTEGER, 0, "Seconds of uptime"},
	[COL_TOTAL_SECONDS] = {"total_seconds", HQ_TYPE_BIGINT, 0, "Total uptime seconds"},
};
static_assert(HQ_ELEMENTSOF(columns) == _COL_MAX, "column enum and array disagree");

static int generate(hq_query_ctx *ctx, hq_row_sink *sink)
{
	_cleanup_free_ char *buf = NULL;
	size_t size;
	int r = hq_ctx_read_file(ctx, "/proc/uptime", 4096, &buf, &size);
	if (r == -ENOENT) {
		hq_log_debug("uptime: no /proc/uptime");
		return 0;
	}
	if (r < 0)
		return hq_ctx_error(ctx, r, "failed to read /proc/uptime: %m");

	/* "12345.67 23456.78": the whole seconds of the first number. */
	int64_t total = 0;
	const char *p = buf;
	if (!isdigit((unsigned char)*p))
		return hq_ctx_error(ctx, -EBADMSG, "unexpected /proc/uptime contents");
	for (; isdigit((unsigned char)*p); p++) {
		if (total > INT64_MAX / 10 - 10)
			return hq_ctx_error(ctx, -ERANGE, "/proc/uptime value out of range");
		total = total * 10 + (*p - '0');
	}
	if (*p != '.' && *p != ' ' && *p != '\n' && *p != '\0')
		return hq_ctx_error(ctx, -EBADMSG, "unexpected /proc/uptime contents");

	hq_row *row;
	r = hq_row_begin(sink, &row);
	if (r < 0)
		return r;
	hq_row_set_int64(row, COL_DAYS, total / 86400);
	hq_row_set_int64(row, COL_HOURS, (total % 86400) / 3600);
	hq_row_set_int64(row, COL_MINUTES, (total % 3600) / 60);
	hq_row_set_int64(row, COL_SECONDS, total % 60);
	hq_row_set_int64(row, COL_TOTAL_SECONDS, total);
	r = hq_row_commit(sink, row);
	return r > 0 ? 0 : r;
}

const hq_table_def hq_table_uptime = {
	.version = HQ_TABLE_ABI_VERSION,
	.name = "uptime",
	.description = "Track time passed since last boot.",
	.columns = columns,
	.n_columns = _COL_MAX,
	.generate = generate,
};
