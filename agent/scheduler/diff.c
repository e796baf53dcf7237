/* Differentials and result log lines (osquery query.cpp / diff_results.cpp semantics). */
#include <inttypes.h>
#include <math.h>
#include <sqlite3.h>
#include <time.h>

#include "hq/util.h"
#include "scheduler/diff.h"

static json_t *escaped_string(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = 0, len = strlen(s);
	char *out, *o;
	json_t *j;

	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x80)
			n++;
	if (n == 0)
		return json_stringn(s, len);
	out = malloc(len + 3 * n + 1);
	if (!out)
		return NULL;
	o = out;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c >= 0x80) {
			*o++ = '\\';
			*o++ = 'x';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 0xf];
		} else
			*o++ = (char)c;
	}
	j = json_stringn(out, (size_t)(o - out));
	free(out);
	return j;
}

json_t *hq_result_row_new(int n_cols, char **values, char **names, const int *types)
{
	json_t *row = json_object();

	if (!row)
		return NULL;
	for (int i = 0; i < n_cols; i++) {
		json_t *v;
		int64_t iv;

		if (!values[i] || types[i] == SQLITE_NULL)
			v = json_string("");
		else if (types[i] == SQLITE_INTEGER && hq_safe_atoi64(values[i], &iv) == 0)
			v = json_integer(iv);
		else if (types[i] == SQLITE_FLOAT) {
			double d = strtod(values[i], NULL);
			v = isfinite(d) ? json_real(d) : json_string(values[i]);
		} else
			v = escaped_string(values[i]);
		if (!v || json_object_set_new(row, names[i], v) < 0) {
			json_decref(row);
			return NULL;
		}
	}
	return row;
}

typedef struct keyed {
	char *key;
	json_t *row;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
	return strcmp(((const keyed *)a)->key, ((const keyed *)b)->key);
}

static keyed *key_rows(json_t *arr, size_t *ret_n)
{
	size_t n = json_array_size(arr), i;
	keyed *k = calloc(n ? n : 1, sizeof(keyed));
	json_t *v;

	if (!k)
		return NULL;
	json_array_foreach(arr, i, v)
	{
		k[i].key = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
		k[i].row = v;
		if (!k[i].key) {
			for (size_t j = 0; j < i; j++)
				free(k[j].key);
			free(k);
			return NULL;
		}
	}
	qsort(k, n, sizeof(keyed), cmp_keyed);
	*ret_n = n;
	return k;
}

static void free_keyed(keyed *k, size_t n)
{
	for (size_t i = 0; k && i < n; i++)
		free(k[i].key);
	free(k);
}

int hq_diff_rows(json_t *prev, json_t *cur, json_t **ret_added, json_t **ret_removed)
{
	size_t np = 0, nc = 0, i = 0, j = 0;
	keyed *kp = key_rows(prev, &np), *kc = key_rows(cur, &nc);
	json_t *added = json_array(), *removed = json_array();
	int r = 0;

	if (!kp || !kc || !added || !removed) {
		r = -ENOMEM;
		goto out;
	}
	/* Merge of two sorted multisets: equal keys cancel pairwise. */
	while (i < np || j < nc) {
		int c = i >= np ? 1 : j >= nc ? -1 : strcmp(kp[i].key, kc[j].key);
		if (c == 0) {
			i++;
			j++;
		} else if (c < 0) {
			if (json_array_append(removed, kp[i++].row) < 0)
				r = -ENOMEM;
		} else {
			if (json_array_append(added, kc[j++].row) < 0)
				r = -ENOMEM;
		}
	}
out:
	free_keyed(kp, np);
	free_keyed(kc, nc);
	if (r < 0) {
		json_decref(added);
		json_decref(removed);
		return r;
	}
	*ret_added = added;
	*ret_removed = removed;
	return 0;
}

void hq_calendar_time(int64_t unix_time, char buf[64])
{
	struct tm tm;
	time_t t = (time_t)unix_time;
	char tmp[56];

	if (!gmtime_r(&t, &tm) || !asctime_r(&tm, tmp)) {
		snprintf(buf, 64, "%s", "");
		return;
	}
	hq_strstrip_trailing(tmp);
	snprintf(buf, 64, "%s UTC", tmp);
}

/* A value as osquery logs it without numerics: integers in decimal, reals as SQLite renders
 * them (%.15g, always with a '.' or exponent). */
static json_t *value_as_string(json_t *v)
{
	char buf[64];

	if (json_is_integer(v)) {
		snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return json_string(buf);
	}
	if (json_is_real(v)) {
		snprintf(buf, sizeof(buf), "%.15g", json_real_value(v));
		if (!strpbrk(buf, ".eEn"))
			strcat(buf, ".0");
		return json_string(buf);
	}
	return json_incref(v);
}

/* A copy of row with sorted keys (osquery rows are std::map) and values rendered per numerics. */
static json_t *render_row(json_t *row, bool numerics)
{
	json_t *out = json_object();
	const char **keys;
	size_t n = json_object_size(row), i = 0;
	const char *k;
	json_t *v;

	if (!out)
		return NULL;
	keys = calloc(n ? n : 1, sizeof(char *));
	if (!keys) {
		json_decref(out);
		return NULL;
	}
	json_object_foreach(row, k, v) keys[i++] = k;
	for (size_t a = 1; a < n; a++)
		for (size_t b = a; b > 0 && strcmp(keys[b - 1], keys[b]) > 0; b--) {
			const char *t = keys[b];
			keys[b] = keys[b - 1];
			keys[b - 1] = t;
		}
	for (i = 0; i < n; i++) {
		v = json_object_get(row, keys[i]);
		if (json_object_set_new(out, keys[i],
					numerics ? json_incref(v) : value_as_string(v)) < 0) {
			json_decref(out);
			out = NULL;
			break;
		}
	}
	free(keys);
	return out;
}

static json_t *render_rows(json_t *rows, bool numerics)
{
	json_t *out = json_array(), *v;
	size_t i;

	json_array_foreach(rows, i,
			   v) if (!out || json_array_append_new(out, render_row(v, numerics)) < 0)
	{
		json_decref(out);
		return NULL;
	}
	return out;
}

/* Appends name .. numerics and decorations, osquery's key order. */
static int add_header(json_t *o, const hq_log_item *item)
{
	char cal[64];
	int r = 0;

	hq_calendar_time(item->unix_time, cal);
	r |= json_object_set_new(o, "name", json_string(item->name));
	r |= json_object_set_new(o, "hostIdentifier", json_string(item->host_identifier ?: ""));
	r |= json_object_set_new(o, "calendarTime", json_string(cal));
	r |= json_object_set_new(o, "unixTime", json_integer(item->unix_time));
	r |= json_object_set_new(o, "epoch", json_integer(item->epoch));
	r |= json_object_set_new(o, "counter", json_integer(item->counter));
	r |= json_object_set_new(o, "numerics", json_boolean(item->numerics));
	if (item->decorations && json_object_size(item->decorations) > 0) {
		json_t *dec = render_row(item->decorations, false);
		if (!dec)
			return -ENOMEM;
		if (item->decorations_top_level)
			r |= json_object_update(o, dec);
		else
			r |= json_object_set(o, "decorations", dec);
		json_decref(dec);
	}
	return r ? -ENOMEM : 0;
}

static char *dump(json_t *o)
{
	char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	return s;
}

static int append_events(json_t *lines, const hq_log_item *item, json_t *rows, const char *action)
{
	json_t *v;
	size_t i;

	json_array_foreach(rows, i, v)
	{
		json_t *o = json_object();
		char *s;
		if (!o || add_header(o, item) < 0 ||
		    json_object_set_new(o, "columns", render_row(v, item->numerics)) < 0 ||
		    json_object_set_new(o, "action", json_string(action)) < 0) {
			json_decref(o);
			return -ENOMEM;
		}
		s = dump(o);
		if (!s || json_array_append_new(lines, json_string(s)) < 0) {
			free(s);
			return -ENOMEM;
		}
		free(s);
	}
	return 0;
}

int hq_format_events(const hq_log_item *item, json_t *added, json_t *removed, json_t **ret_lines)
{
	json_t *lines = json_array();

	if (!lines || append_events(lines, item, removed, "removed") < 0 ||
	    append_events(lines, item, added, "added") < 0) {
		json_decref(lines);
		return -ENOMEM;
	}
	*ret_lines = lines;
	return 0;
}

char *hq_format_batch(const hq_log_item *item, json_t *added, json_t *removed)
{
	json_t *o = json_object(), *diff = json_object();

	if (!o || !diff ||
	    json_object_set_new(diff, "removed", render_rows(removed, item->numerics)) ||
	    json_object_set_new(diff, "added", render_rows(added, item->numerics)) ||
	    json_object_set(o, "diffResults", diff) || add_header(o, item) < 0) {
		json_decref(diff);
		json_decref(o);
		return NULL;
	}
	json_decref(diff);
	return dump(o);
}

char *hq_format_snapshot(const hq_log_item *item, json_t *rows)
{
	json_t *o = json_object();

	if (!o || json_object_set_new(o, "snapshot", render_rows(rows, item->numerics)) ||
	    json_object_set_new(o, "action", json_string("snapshot")) || add_header(o, item) < 0) {
		json_decref(o);
		return NULL;
	}
	return dump(o);
}

int hq_format_snapshot_events(const hq_log_item *item, json_t *rows, json_t **ret_lines)
{
	json_t *lines = json_array();

	if (!lines || append_events(lines, item, rows, "snapshot") < 0) {
		json_decref(lines);
		return -ENOMEM;
	}
	*ret_lines = lines;
	return 0;
}
