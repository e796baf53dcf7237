/* time: the current time, one row. Calendar fields are UTC; local_timezone names the zone of
 * the host's local time. date_time is osquery's alias of datetime.
 * Source: clock_gettime(CLOCK_REALTIME), gmtime_r/localtime_r (TZ, /etc/localtime). No privileges.
 * Example: SELECT unix_time, iso_8601, local_timezone FROM time; */
#include <assert.h>
#include <time.h>

#include "hq/query.h"
#include "hq/row.h"
#include "hq/table.h"

enum {
	COL_WEEKDAY,
	COL_YEAR,
	COL_MONTH,
	COL_DAY,
	COL_HOUR,
	COL_MINUTES,
	COL_SECONDS,
	COL_TIMEZONE,
	COL_LOCAL_TIMEZONE,
	COL_UNIX_TIME,
	COL_TIMESTAMP,
	COL_DATETIME,
	COL_ISO_8601,
	COL_WIN_TIMESTAMP,
	COL_DATE_TIME,
	_COL_MAX,
};

static const hq_column columns[] = {
	[COL_WEEKDAY] = {"weekday", HQ_TYPE_TEXT, 0, "Current weekday in UTC"},
	[COL_YEAR] = {"year", HQ_TYPE_INTEGER, 0, "Current year in UTC"},
	[COL_MONTH] = {"month", HQ_TYPE_INTEGER, 0, "Current month in UTC"},
	[COL_DAY] = {"day", HQ_TYPE_INTEGER, 0, "Current day in UTC"},
	[COL_HOUR] = {"hour", HQ_TYPE_INTEGER, 0, "Current hour in UTC"},
	[COL_MINUTES] = {"minutes", HQ_TYPE_INTEGER, 0, "Current minutes in UTC"},
	[COL_SECONDS] = {"seconds", HQ_TYPE_INTEGER, 0, "Current seconds in UTC"},
	[COL_TIMEZONE] = {"timezone", HQ_TYPE_TEXT, 0, "Timezone for reported time (always UTC)"},
	[COL_LOCAL_TIMEZONE] = {"local_timezone", HQ_TYPE_TEXT, 0, "Current local timezone"},
	[COL_UNIX_TIME] = {"unix_time", HQ_TYPE_INTEGER, 0, "Current UNIX time in UTC"},
	[COL_TIMESTAMP] = {"timestamp", HQ_TYPE_TEXT, 0, "Current timestamp (log format) in UTC"},
	[COL_DATETIME] = {"datetime", HQ_TYPE_TEXT, 0, "Current date and time (ISO format) in UTC"},
	[COL_ISO_8601] = {"iso_8601", HQ_TYPE_TEXT, 0, "Current time (ISO format) in UTC"},
	[COL_WIN_TIMESTAMP] = {"win_timestamp", HQ_TYPE_BIGINT, HQ_COL_HIDDEN,
			       "Timestamp value in 100 nanosecond units (Windows)"},
	[COL_DATE_TIME] = {"date_time", HQ_TYPE_TEXT, HQ_COL_HIDDEN, "Alias of datetime",
			   .alias_of = "datetime"},
};
static_assert(HQ_ELEMENTSOF(columns) == _COL_MAX, "column enum and array disagree");

static int generate(hq_query_ctx *ctx, hq_row_sink *sink)
{
	(void)ctx;
	time_t now = time(NULL);
	struct tm utc, local;
	if (!gmtime_r(&now, &utc))
		return hq_ctx_error(ctx, -EOVERFLOW, "cannot convert the current time");

	char weekday[16] = "", iso[32] = "", stamp[64] = "", zone[64] = "";
	strftime(weekday, sizeof(weekday), "%A", &utc);
	strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%SZ", &utc);
	/* asctime's layout without its newline, marked as UTC. */
	strftime(stamp, sizeof(stamp), "%a %b %e %H:%M:%S %Y UTC", &utc);
	tzset();
	if (localtime_r(&now, &local))
		strftime(zone, sizeof(zone), "%Z", &local);

	hq_row *row;
	int r = hq_row_begin(sink, &row);
	if (r < 0)
		return r;
	hq_row_set_text(row, COL_WEEKDAY, weekday);
	hq_row_set_int64(row, COL_YEAR, utc.tm_year + 1900);
	hq_row_set_int64(row, COL_MONTH, utc.tm_mon + 1);
	hq_row_set_int64(row, COL_DAY, utc.tm_mday);
	hq_row_set_int64(row, COL_HOUR, utc.tm_hour);
	hq_row_set_int64(row, COL_MINUTES, utc.tm_min);
	hq_row_set_int64(row, COL_SECONDS, utc.tm_sec);
	hq_row_set_text_static(row, COL_TIMEZONE, "UTC");
	hq_row_set_text(row, COL_LOCAL_TIMEZONE, zone[0] ? zone : "UTC");
	hq_row_set_int64(row, COL_UNIX_TIME, (int64_t)now);
	hq_row_set_text(row, COL_TIMESTAMP, stamp);
	hq_row_set_text(row, COL_DATETIME, iso);
	hq_row_set_text(row, COL_ISO_8601, iso);
	r = hq_row_commit(sink, row);
	return r > 0 ? 0 : r;
}

const hq_table_def hq_table_time = {
	.version = HQ_TABLE_ABI_VERSION,
	.name = "time",
	.description = "Track current date and time in UTC.",
	.columns = columns,
	.n_columns = _COL_MAX,
	.flags = HQ_TABLE_UTILITY,
	.generate = generate,
};
