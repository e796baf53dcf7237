/* The worker: runs the schedule on an sd-event loop. Per execution it runs the SQL, diffs it
 * against the stored result, writes rows + counter + log lines in one state transaction, then
 * delivers the queued lines to the loggers and deletes what they took (see state.h). A query
 * over its time budget or memory cap is stopped by the engine and denylisted; a query that
 * kills the worker is found by the "executing" marker when the watcher restarts it. */
#include <sys/epoll.h>
#include <ctype.h>
#include <inttypes.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-event.h>
#include <time.h>

#include "daemon/daemon.h"
#include "daemon/daemon_info.h"
#include "hq/agent.h"
#include "hq/plugin.h"
#include "hq/query.h"
#include "options/options.h"
#include "scheduler/diff.h"
#include "scheduler/schedule.h"
#include "scheduler/state.h"
#include "sql/engine.h"

#define DELIVER_BATCH 1000

extern const hq_table_def hq_table_osquery_schedule, hq_table_osquery_flags, hq_table_osquery_packs;

typedef struct qrun {
	hq_sched_query *q;
	hq_query_stats stats;
	bool scheduled;
} qrun;

typedef struct packrun {
	hq_pack_info info;
	int64_t discovery_checked; /* unix time of the last discovery run, 0 never */
} packrun;

typedef struct interval_decoration {
	int64_t last_run;
	json_t *values;
} interval_decoration;

static struct worker {
	sd_event *event;
	sd_event_source *timer;
	sd_event_source *refresh;
	sd_event_source *watchdog;
	hq_engine *engine;
	hq_state *state;
	hq_config *config;
	hq_schedule *sched;
	qrun *runs;
	size_t n_runs;
	packrun *packs;
	hq_query_stats *stats_view;
	hq_pack_info *packs_view;
	json_t *load_decorations;
	interval_decoration *interval_decorations;
	char *host_identifier;
	int host_shard;
	int64_t watcher_pid;
	int64_t start_time;
} w;

/* ---- introspection getters (daemon_info.h) ---- */

size_t hq_daemon_query_stats(const hq_query_stats **ret)
{
	int64_t now = time(NULL);
	size_t n = 0;

	free(w.stats_view);
	w.stats_view = calloc(w.n_runs ? w.n_runs : 1, sizeof(hq_query_stats));
	if (!w.stats_view)
		return 0;
	/* Like osquery, only the queries scheduled on this host (platform, version, shard). */
	for (size_t i = 0; i < w.n_runs; i++) {
		if (!w.runs[i].scheduled)
			continue;
		w.stats_view[n] = w.runs[i].stats;
		w.stats_view[n].denylisted_until =
			w.state ? hq_state_denylist_until(w.state, w.runs[i].q->name, now) : 0;
		n++;
	}
	*ret = w.stats_view;
	return n;
}

size_t hq_daemon_pack_info(const hq_pack_info **ret)
{
	size_t n = w.config ? w.config->n_packs : 0;

	free(w.packs_view);
	w.packs_view = calloc(n ? n : 1, sizeof(hq_pack_info));
	if (!w.packs_view)
		return 0;
	for (size_t i = 0; i < n; i++)
		w.packs_view[i] = w.packs[i].info;
	*ret = w.packs_view;
	return n;
}

/* ---- helpers ---- */

static uint64_t now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * HQ_USEC_PER_SEC + (uint64_t)ts.tv_nsec / 1000;
}

static int64_t rss_bytes(void)
{
	char buf[128];
	long size, resident;

	if (hq_read_small_file_at(AT_FDCWD, "/proc/self/statm", buf, sizeof(buf)) < 0 ||
	    sscanf(buf, "%ld %ld", &size, &resident) != 2)
		return 0;
	return (int64_t)resident * sysconf(_SC_PAGESIZE);
}

static int64_t tv_ms(struct timeval tv)
{
	return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

typedef struct collect {
	json_t *rows;
	int error;
} collect;

static int collect_row(int n, char **values, char **names, const int *types, void *userdata)
{
	collect *c = userdata;
	json_t *row = hq_result_row_new(n, values, names, types);

	if (!row || json_array_append_new(c->rows, row) < 0) {
		c->error = -ENOMEM;
		return 1;
	}
	return 0;
}

/* Runs sql, returning its rows as a JSON array. */
static int run_sql(const char *sql, json_t **ret_rows, char **ret_error)
{
	collect c = {.rows = json_array()};
	int r;

	if (!c.rows)
		return -ENOMEM;
	r = hq_engine_exec(w.engine, sql, collect_row, &c, ret_error);
	if (r >= 0 && c.error < 0)
		r = c.error;
	if (r < 0) {
		json_decref(c.rows);
		return r;
	}
	*ret_rows = c.rows;
	return 0;
}

/* A decorator's first row becomes key/values (as text, osquery decorations are strings). */
static void decorate_from(json_t *into, const char *sql)
{
	_cleanup_free_ char *err = NULL;
	json_t *rows = NULL, *first, *v;
	const char *k;

	if (run_sql(sql, &rows, &err) < 0) {
		hq_status_warning("Error running decorator query: %s: %s", sql, err ?: "failed");
		return;
	}
	if (json_array_size(rows) > 1)
		hq_status_warning("Decorator query returned more than one row: %s", sql);
	first = json_array_get(rows, 0);
	json_object_foreach(first, k, v)
	{
		char buf[64];
		if (json_is_string(v))
			json_object_set(into, k, v);
		else if (json_is_integer(v)) {
			snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
			json_object_set_new(into, k, json_string(buf));
		} else if (json_is_real(v)) {
			snprintf(buf, sizeof(buf), "%.15g", json_real_value(v));
			json_object_set_new(into, k, json_string(buf));
		}
	}
	json_decref(rows);
}

static json_t *decorations_now(void)
{
	json_t *d;
	int64_t now = time(NULL);

	if (hq_opt.disable_decorators || !w.config)
		return NULL;
	d = json_object();
	if (!d)
		return NULL;
	if (w.load_decorations)
		json_object_update(d, w.load_decorations);
	for (size_t i = 0; i < w.config->n_decorators_interval; i++) {
		interval_decoration *id = &w.interval_decorations[i];
		if (!id->values ||
		    now - id->last_run >= w.config->decorators_interval[i].interval) {
			json_decref(id->values);
			id->values = json_object();
			id->last_run = now;
			if (id->values)
				decorate_from(id->values, w.config->decorators_interval[i].sql);
		}
		if (id->values)
			json_object_update(d, id->values);
	}
	for (size_t i = 0; w.config->decorators_always && w.config->decorators_always[i]; i++)
		decorate_from(d, w.config->decorators_always[i]);
	return d;
}

/* ---- delivery ---- */

typedef struct deliver_ctx {
	bool replay;
	int failed;
} deliver_ctx;

static int deliver_line(int64_t id, const char *line, bool is_snapshot, void *userdata)
{
	deliver_ctx *d = userdata;
	const hq_active_logger *l;
	size_t n = hq_status_loggers(&l);

	(void)id;
	for (size_t i = 0; i < n; i++) {
		int r;
		if (d->replay && l[i].vt->already_logged &&
		    l[i].vt->already_logged(l[i].state, line, is_snapshot) == 1)
			continue;
		r = l[i].vt->log_result(l[i].state, line, is_snapshot);
		if (r < 0) {
			d->failed = r;
			return r;
		}
	}
	return 0;
}

/* Delivers every queued line; replay asks loggers to skip lines they already hold. */
static int deliver_queue(bool replay)
{
	deliver_ctx d = {.replay = replay};
	int r = 0;

	for (;;) {
		int64_t last = 0;
		r = hq_state_queue_foreach(w.state, DELIVER_BATCH, deliver_line, &d, &last);
		hq_status_flush_loggers();
		if (last > 0) {
			int k = hq_state_queue_delete(w.state, last);
			if (k < 0) {
				hq_status_error("Cannot confirm delivered results: %s",
						strerror(-k));
				return k;
			}
		}
		if (r < 0 || last == 0)
			break;
	}
	if (d.failed < 0)
		hq_status_error("A logger plugin failed to write results (%s); they stay queued",
				strerror(-d.failed));
	if (replay) {
		const hq_active_logger *l;
		size_t n = hq_status_loggers(&l);
		for (size_t i = 0; i < n; i++)
			if (l[i].vt->already_logged)
				(void)l[i].vt->already_logged(l[i].state, NULL, 0);
	}
	return r;
}

/* ---- packs ---- */

static bool pack_active(size_t idx)
{
	packrun *p = &w.packs[idx];
	hq_pack *pk = &w.config->packs[idx];
	int64_t now = time(NULL);

	if (!pk->discovery || !pk->discovery[0]) {
		p->info.active = true;
		return true;
	}
	if (p->discovery_checked && now - p->discovery_checked < hq_opt.pack_refresh_interval) {
		p->info.discovery_cache_hits++;
		return p->info.active;
	}
	p->discovery_checked = now;
	p->info.active = true;
	for (size_t i = 0; pk->discovery[i]; i++) {
		json_t *rows = NULL;
		_cleanup_free_ char *err = NULL;
		p->info.discovery_executions++;
		if (run_sql(pk->discovery[i], &rows, &err) < 0 || json_array_size(rows) == 0)
			p->info.active = false;
		json_decref(rows);
		if (!p->info.active)
			break;
	}
	return p->info.active;
}

/* ---- one execution ---- */

static void denylist(qrun *qr, const char *why)
{
	int64_t until = (int64_t)time(NULL) + hq_opt.watchdog_denylist_duration;
	int r;

	if (!qr->q->denylist) {
		hq_status_warning("Scheduled query %s %s; not denylisted (denylist: false)",
				  qr->q->name, why);
		return;
	}
	r = hq_state_denylist_add(w.state, qr->q->name, until, why);
	if (r < 0)
		hq_status_error("Cannot denylist %s: %s", qr->q->name, strerror(-r));
	hq_status_warning("Scheduled query %s %s; denylisted for %" PRId64 " seconds", qr->q->name,
			  why, hq_opt.watchdog_denylist_duration);
}

static void update_stats(qrun *qr, uint64_t t0, struct rusage *ru0, int64_t output)
{
	struct rusage ru1;
	hq_query_stats *s = &qr->stats;
	int64_t mem = rss_bytes();

	getrusage(RUSAGE_SELF, &ru1);
	s->executions++;
	s->last_executed = time(NULL);
	s->last_wall_time_ms = (int64_t)(now_mono() - t0) / 1000;
	s->wall_time_ms += s->last_wall_time_ms;
	s->last_user_time = tv_ms(ru1.ru_utime) - tv_ms(ru0->ru_utime);
	s->user_time += s->last_user_time;
	s->last_system_time = tv_ms(ru1.ru_stime) - tv_ms(ru0->ru_stime);
	s->system_time += s->last_system_time;
	s->last_memory = mem;
	s->average_memory = (s->average_memory * (s->executions - 1) + mem) / s->executions;
	s->output_size += output;
}

static int build_lines(qrun *qr, json_t *rows, json_t *added, json_t *removed, int64_t epoch,
		       int64_t counter, bool new_epoch, json_t **ret_lines)
{
	_cleanup_(json_decrefp) json_t *dec = decorations_now();
	hq_log_item item = {.name = qr->q->name,
			    .host_identifier = w.host_identifier,
			    .unix_time = time(NULL),
			    .epoch = epoch,
			    .counter = counter,
			    .numerics = hq_opt.logger_numerics,
			    .decorations = dec,
			    .decorations_top_level = hq_opt.decorations_top_level};
	json_t *lines;
	char *s;

	if (qr->q->snapshot) {
		if (hq_opt.logger_snapshot_event_type)
			return hq_format_snapshot_events(&item, rows, ret_lines);
		s = hq_format_snapshot(&item, rows);
		lines = json_array();
		if (!s || !lines || json_array_append_new(lines, json_string(s)) < 0) {
			free(s);
			json_decref(lines);
			return -ENOMEM;
		}
		free(s);
		*ret_lines = lines;
		return 0;
	}
	if (!qr->q->removed)
		json_array_clear(removed);
	if (hq_opt.logger_event_type)
		return hq_format_events(&item, added, removed, ret_lines);
	lines = json_array();
	if (!lines)
		return -ENOMEM;
	if (new_epoch || json_array_size(added) || json_array_size(removed)) {
		s = hq_format_batch(&item, added, removed);
		if (!s || json_array_append_new(lines, json_string(s)) < 0) {
			free(s);
			json_decref(lines);
			return -ENOMEM;
		}
		free(s);
	}
	*ret_lines = lines;
	return 0;
}

static void run_query(qrun *qr)
{
	hq_sched_query *q = qr->q;
	_cleanup_free_ char *err = NULL, *prev_text = NULL, *rows_text = NULL;
	_cleanup_(json_decrefp) json_t *rows = NULL, *prev = NULL, *lines = NULL, *added = NULL,
				       *removed = NULL;
	hq_state_line *sl = NULL;
	int64_t now = time(NULL), epoch = 0, counter = 0, output = 0, until;
	bool new_epoch = false;
	struct rusage ru0;
	uint64_t t0;
	size_t n;
	int r;

	if (q->pack_index < w.config->n_packs && !pack_active(q->pack_index))
		return;
	until = hq_state_denylist_until(w.state, q->name, now);
	if (until > now && q->denylist) {
		hq_log_debug("Skipping denylisted query %s", q->name);
		return;
	}
	/* Marks the query as running: if the worker dies now, its successor denylists it. */
	r = hq_state_kv_set(w.state, "executing", q->name);
	if (r < 0)
		hq_status_error("Cannot write the state database: %s", strerror(-r));

	getrusage(RUSAGE_SELF, &ru0);
	t0 = now_mono();
	r = run_sql(q->sql, &rows, &err);
	if (r < 0) {
		update_stats(qr, t0, &ru0, 0);
		(void)hq_state_kv_set(w.state, "executing", NULL);
		if (r == -ETIMEDOUT) {
			char why[96];
			snprintf(why, sizeof(why), "exceeded its time budget of %" PRId64 " s",
				 hq_opt.watchdog_query_timeout);
			denylist(qr, why);
		} else if (r == -ENOMEM)
			denylist(qr, "exceeded the memory limit");
		else
			hq_status_error("Error executing scheduled query %s: %s", q->name,
					err ?: strerror(-r));
		return;
	}

	if (!q->snapshot) {
		r = hq_state_get_result(w.state, q->name, &prev_text, &epoch, &counter);
		if (r == -ENOENT || (r >= 0 && epoch != hq_opt.schedule_epoch)) {
			new_epoch = true;
			if (r == -ENOENT)
				hq_status_info(
					"Storing initial results for new scheduled query: %s",
					q->name);
			epoch = hq_opt.schedule_epoch;
			counter = 0;
		} else if (r < 0) {
			hq_status_error("Cannot read stored results of %s: %s", q->name,
					strerror(-r));
			(void)hq_state_kv_set(w.state, "executing", NULL);
			return;
		} else {
			prev = json_loads(prev_text, 0, NULL);
			if (!prev)
				prev = json_array();
		}
	}
	if (!q->snapshot && !new_epoch) {
		r = hq_diff_rows(prev, rows, &added, &removed);
		if (r < 0) {
			hq_status_error("Cannot diff results of %s: %s", q->name, strerror(-r));
			(void)hq_state_kv_set(w.state, "executing", NULL);
			return;
		}
		if (json_array_size(added) == 0 && json_array_size(removed) == 0) {
			/* Nothing changed: nothing is stored or logged. */
			update_stats(qr, t0, &ru0, 0);
			(void)hq_state_kv_set(w.state, "executing", NULL);
			return;
		}
		counter++;
	} else if (!q->snapshot) {
		added = json_incref(rows);
		removed = json_array();
	}
	r = build_lines(qr, rows, added, removed, epoch, counter, new_epoch, &lines);
	if (r < 0) {
		hq_status_error("Cannot format results of %s: %s", q->name, strerror(-r));
		(void)hq_state_kv_set(w.state, "executing", NULL);
		return;
	}
	n = json_array_size(lines);
	sl = calloc(n ? n : 1, sizeof(*sl));
	if (!q->snapshot)
		rows_text = json_dumps(rows, JSON_COMPACT);
	if (!sl || (!q->snapshot && !rows_text)) {
		free(sl);
		hq_status_error("Cannot store results of %s: %s", q->name, strerror(ENOMEM));
		(void)hq_state_kv_set(w.state, "executing", NULL);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		sl[i].line = json_string_value(json_array_get(lines, i));
		sl[i].is_snapshot = q->snapshot;
		output += (int64_t)strlen(sl[i].line);
	}
	r = hq_state_commit_result(w.state, q->name, rows_text, epoch, counter, sl, n);
	free(sl);
	update_stats(qr, t0, &ru0, output);
	if (r < 0) {
		hq_status_error("Cannot store results of %s: %s", q->name, strerror(-r));
		return;
	}
	(void)deliver_queue(false);
}

/* ---- schedule ---- */

static bool stop_pending(void)
{
	sigset_t set;

	return sigpending(&set) == 0 && (sigismember(&set, SIGTERM) || sigismember(&set, SIGINT));
}

static void arm_timer(void)
{
	uint64_t next;

	if (!hq_schedule_peek(w.sched, &next)) {
		sd_event_source_set_enabled(w.timer, SD_EVENT_OFF);
		return;
	}
	sd_event_source_set_time(w.timer, next);
	sd_event_source_set_enabled(w.timer, SD_EVENT_ONESHOT);
}

static int on_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
	size_t id;

	(void)s;
	(void)usec;
	(void)userdata;
	while (!stop_pending() && hq_schedule_pop_due(w.sched, now_mono(), &id, NULL))
		run_query(&w.runs[id]);
	arm_timer();
	return 0;
}

static void free_runtime(void)
{
	for (size_t i = 0; w.config && i < w.config->n_decorators_interval; i++)
		json_decref(w.interval_decorations[i].values);
	free(w.interval_decorations);
	w.interval_decorations = NULL;
	json_decref(w.load_decorations);
	w.load_decorations = NULL;
	free(w.runs);
	w.runs = NULL;
	w.n_runs = 0;
	free(w.packs);
	w.packs = NULL;
	hq_schedule_free(w.sched);
	w.sched = NULL;
}

/* Makes config the running one: options, decorators, schedule. Takes ownership. */
static int install_config(hq_config *config, bool apply_options)
{
	uint64_t mono = now_mono();
	int64_t unix_now = time(NULL);
	hq_agent_info info;

	free_runtime();
	hq_config_free(w.config);
	w.config = config;
	if (apply_options)
		hq_daemon_apply_options(config);
	for (size_t i = 0; config->warnings && config->warnings[i]; i++)
		hq_status_warning("%s", config->warnings[i]);

	w.sched = hq_schedule_new();
	w.runs = calloc(config->n_queries ? config->n_queries : 1, sizeof(qrun));
	w.packs = calloc(config->n_packs ? config->n_packs : 1, sizeof(packrun));
	w.interval_decorations =
		calloc(config->n_decorators_interval ? config->n_decorators_interval : 1,
		       sizeof(interval_decoration));
	if (!w.sched || !w.runs || !w.packs || !w.interval_decorations)
		return -ENOMEM;
	for (size_t i = 0; i < config->n_packs; i++)
		w.packs[i].info = (hq_pack_info){.name = config->packs[i].name,
						 .platform = config->packs[i].platform,
						 .version = config->packs[i].version,
						 .shard = config->packs[i].shard,
						 .active = true};
	w.n_runs = config->n_queries;
	for (size_t i = 0; i < config->n_queries; i++) {
		hq_sched_query *q = &config->queries[i];
		int64_t interval = q->interval > 0 ? q->interval : hq_opt.schedule_default_interval;
		int r;

		interval = hq_schedule_splay(interval, hq_opt.schedule_splay_percent, q->name);
		w.runs[i] = (qrun){
			.q = q, .stats = {.name = q->name, .query = q->sql, .interval = interval}};
		if (!hq_config_query_applies(config, q, w.host_shard, HQ_OSQUERY_COMPAT_VERSION)) {
			hq_log_debug("Query %s does not apply to this host", q->name);
			continue;
		}
		if (q->startup_priority >= 0)
			r = hq_schedule_add_now(w.sched, i, interval, mono);
		else
			r = hq_schedule_add(w.sched, i, interval, mono, unix_now);
		if (r < 0)
			return r;
		w.runs[i].scheduled = true;
	}
	if (!hq_opt.disable_decorators && config->decorators_load) {
		w.load_decorations = json_object();
		for (size_t i = 0; w.load_decorations && config->decorators_load[i]; i++)
			decorate_from(w.load_decorations, config->decorators_load[i]);
	}
	if (hq_opt.config_enable_backup) {
		_cleanup_free_ char *backup = json_dumps(config->sources, JSON_COMPACT);
		int r = backup ? hq_state_kv_set(w.state, "config_backup", backup) : -ENOMEM;
		if (r < 0)
			hq_status_warning("Cannot back up the config: %s", strerror(-r));
	}
	hq_agent_info_get(&info);
	memcpy(info.config_hash, config->hash, sizeof(info.config_hash));
	/* No source at all (missing config file) is running, but not a valid config. */
	info.config_valid = json_object_size(config->sources) > 0;
	hq_agent_info_set(&info);
	if (w.timer)
		arm_timer();
	return 0;
}

static void reload(const char *why)
{
	_cleanup_free_ char *err = NULL;
	hq_config *c = NULL;
	int r = hq_daemon_load_config(&c, &err);

	if (r < 0) {
		hq_status_error("Config refresh (%s) failed, keeping the last good config: %s", why,
				err ?: strerror(-r));
		return;
	}
	if (strcmp(c->hash, w.config->hash) == 0) {
		hq_config_free(c);
		return;
	}
	r = install_config(c, true);
	if (r < 0)
		hq_status_error("Cannot install the new config: %s", strerror(-r));
	else
		hq_status_info("Config refreshed (%s): %zu scheduled queries, hash %s", why,
			       w.config->n_queries, w.config->hash);
}

/* Engine work queued by the extension manager (tables to attach, queries from extensions). */
static int on_extensions(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
	hq_daemon_extensions_dispatch();
	return 0;
}

static int on_signal(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata)
{
	(void)s;
	(void)userdata;
	if (si->ssi_signo == SIGHUP) {
		reload("SIGHUP");
		return 0;
	}
	hq_status_info("hostqd worker stopping on signal %u", si->ssi_signo);
	if (w.watcher_pid < 0)
		(void)sd_notify(0, "STOPPING=1");
	return sd_event_exit(w.event, 0);
}

static int on_refresh(sd_event_source *s, uint64_t usec, void *userdata)
{
	(void)userdata;
	reload("config_refresh");
	if (hq_opt.config_refresh > 0) {
		sd_event_source_set_time(s,
					 usec + (uint64_t)hq_opt.config_refresh * HQ_USEC_PER_SEC);
		sd_event_source_set_enabled(s, SD_EVENT_ONESHOT);
	}
	return 0;
}

/* ---- host identity ---- */

static char *random_uuid(void)
{
	char buf[64];

	if (hq_read_small_file_at(AT_FDCWD, "/proc/sys/kernel/random/uuid", buf, sizeof(buf)) < 0)
		return NULL;
	hq_strstrip_trailing(buf);
	return strdup(buf);
}

static char *host_identifier(const char *instance)
{
	char buf[256];
	const char *h = hq_opt.host_identifier;

	if (strcmp(h, "specified") == 0 && *hq_opt.specified_identifier)
		return strdup(hq_opt.specified_identifier);
	if (strcmp(h, "instance") == 0)
		return strdup(instance);
	if (strcmp(h, "ephemeral") == 0)
		return random_uuid();
	if (strcmp(h, "uuid") == 0) {
		if (hq_read_small_file_at(AT_FDCWD, "/sys/class/dmi/id/product_uuid", buf,
					  sizeof(buf)) > 0) {
			hq_strstrip_trailing(buf);
			for (char *c = buf; *c; c++)
				*c = (char)toupper((unsigned char)*c);
			return strdup(buf);
		}
		return strdup(instance);
	}
	if (gethostname(buf, sizeof(buf)) < 0)
		return strdup("localhost");
	buf[sizeof(buf) - 1] = '\0';
	return strdup(buf);
}

static int mkdir_parents(const char *path)
{
	_cleanup_free_ char *p = strdup(path);

	if (!p)
		return -ENOMEM;
	for (char *s = p + 1; *s; s++)
		if (*s == '/') {
			*s = '\0';
			if (mkdir(p, 0700) < 0 && errno != EEXIST)
				return -errno;
			*s = '/';
		}
	return 0;
}

static int register_tables(void)
{
	const hq_table_def *defs[] = {&hq_table_osquery_schedule, &hq_table_osquery_flags,
				      &hq_table_osquery_packs};

	for (size_t i = 0; i < HQ_ELEMENTSOF(defs); i++) {
		int r = hq_engine_add_table(w.engine, defs[i]);
		if (r == -EEXIST) {
			/* A generic built-in of that name cannot see the daemon: replace it. */
			(void)hq_engine_remove_table(w.engine, defs[i]->name);
			r = hq_engine_add_table(w.engine, defs[i]);
		}
		if (r < 0)
			return r;
	}
	return 0;
}

int hq_worker_run(hq_config *config, int64_t watcher_pid, bool restarted)
{
	_cleanup_free_ char *instance = NULL, *executing = NULL;
	hq_engine_config ec = {0};
	hq_agent_info info;
	sigset_t mask;
	int r;

	w.watcher_pid = watcher_pid;
	w.start_time = time(NULL);
	if (restarted) {
		/* The config may have changed since the watcher started: re-read it, and keep the
		 * inherited one when the new one is broken. */
		_cleanup_free_ char *err = NULL;
		hq_config *c = NULL;
		if (hq_daemon_load_config(&c, &err) >= 0) {
			hq_config_free(config);
			config = c;
		} else
			hq_status_error("Config is invalid, using the last good one: %s",
					err ?: "error");
	}

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);

	if (hq_opt.disable_database)
		r = hq_state_open(":memory:", &w.state);
	else {
		r = mkdir_parents(hq_opt.database_path);
		if (r >= 0)
			r = hq_state_open(hq_opt.database_path, &w.state);
	}
	if (r < 0) {
		hq_status_error("Cannot open the state database %s: %s", hq_opt.database_path,
				strerror(-r));
		hq_config_free(config);
		return HQ_EXIT_STARTUP;
	}
	if (hq_state_kv_get(w.state, "instance_uuid_v1", &instance) < 0) {
		instance = random_uuid();
		if (!instance)
			instance = strdup("00000000-0000-0000-0000-000000000000");
		(void)hq_state_kv_set(w.state, "instance_uuid_v1", instance);
	}
	hq_daemon_apply_options(config);
	w.host_identifier = host_identifier(instance);
	if (!w.host_identifier)
		return HQ_EXIT_STARTUP;
	{
		char hn[256] = "localhost";
		(void)gethostname(hn, sizeof(hn) - 1);
		w.host_shard = hq_config_host_shard(hn);
	}

	hq_agent_info_get(&info);
	info.binary = HQ_DAEMON_NAME;
	info.pid = getpid();
	info.start_time = w.start_time;
	info.watcher_pid = watcher_pid;
	snprintf(info.instance_id, sizeof(info.instance_id), "%s", instance);
	hq_agent_info_set(&info);

	if (hq_opt.watchdog_level >= 0 && !hq_opt.disable_watchdog)
		ec.heap_limit = hq_opt.watchdog_memory_limit * 1024 * 1024;
	ec.query_timeout_ms = hq_opt.watchdog_query_timeout * 1000;
	r = hq_engine_new(&ec, &w.engine);
	if (r >= 0)
		r = register_tables();
	if (r < 0) {
		hq_status_error("Cannot start the SQL engine: %s", strerror(-r));
		hq_config_free(config);
		return HQ_EXIT_STARTUP;
	}

	/* Extensions come up before the plugins are activated: they may provide them. */
	r = hq_daemon_extensions_start(w.engine);
	if (r < 0) {
		hq_status_error("Cannot start the extension manager: %s", strerror(-r));
		hq_config_free(config);
		return HQ_EXIT_STARTUP;
	}
	if (hq_daemon_config_deferred) {
		/* The config plugin is an extension's: read the config now that it is here. */
		_cleanup_free_ char *err = NULL;
		hq_config *c = NULL;
		if (hq_daemon_load_config(&c, &err) >= 0) {
			hq_config_free(config);
			config = c;
			hq_daemon_apply_options(config);
			/* The identifier may come from the config's options. */
			char *id = host_identifier(instance);
			if (id) {
				free(w.host_identifier);
				w.host_identifier = id;
			}
		} else
			hq_status_error("Cannot read the config from plugin %s: %s",
					hq_opt.config_plugin, err ?: "error");
	}
	r = hq_status_init_loggers(w.host_identifier);
	if (r < 0) {
		hq_status_error("Cannot start the logger plugins (--logger_plugin=%s)",
				hq_opt.logger_plugin);
		hq_config_free(config);
		return HQ_EXIT_STARTUP;
	}

	/* A worker that died while running a query left its name. When the watcher restarted us
	 * after that death (crash, memory kill), the query is the likely culprit: denylist it.
	 * After a stop of the whole daemon (kill -9, power loss) it is only reported. */
	if (hq_state_kv_get(w.state, "executing", &executing) >= 0) {
		bool found = false;
		for (size_t i = 0; restarted && i < config->n_queries; i++)
			if (strcmp(config->queries[i].name, executing) == 0) {
				qrun tmp = {.q = &config->queries[i]};
				denylist(&tmp, "stopped the worker while executing");
				found = true;
			}
		if (!found)
			hq_status_warning("The previous run of hostqd stopped while executing %s",
					  executing);
		(void)hq_state_kv_set(w.state, "executing", NULL);
	}
	/* Lines committed but not confirmed before the last stop are delivered first. */
	if (hq_state_queue_size(w.state) > 0) {
		hq_status_info("Delivering %" PRId64 " queued result lines",
			       hq_state_queue_size(w.state));
		(void)deliver_queue(true);
	}

	r = sd_event_new(&w.event);
	if (r >= 0)
		r = sd_event_add_time(w.event, &w.timer, CLOCK_MONOTONIC, UINT64_MAX, 1000,
				      on_timer, NULL);
	if (r >= 0 && hq_daemon_extensions_fd() >= 0)
		r = sd_event_add_io(w.event, NULL, hq_daemon_extensions_fd(), EPOLLIN,
				    on_extensions, NULL);
	if (r >= 0)
		r = sd_event_add_signal(w.event, NULL, SIGTERM, on_signal, NULL);
	if (r >= 0)
		r = sd_event_add_signal(w.event, NULL, SIGINT, on_signal, NULL);
	if (r >= 0)
		r = sd_event_add_signal(w.event, NULL, SIGHUP, on_signal, NULL);
	if (r >= 0 && watcher_pid < 0)
		r = hq_daemon_add_watchdog(w.event, NULL, &w.watchdog);
	if (r >= 0 && hq_opt.config_refresh > 0)
		r = sd_event_add_time_relative(w.event, &w.refresh, CLOCK_MONOTONIC,
					       (uint64_t)hq_opt.config_refresh * HQ_USEC_PER_SEC,
					       HQ_USEC_PER_SEC, on_refresh, NULL);
	if (r < 0) {
		hq_status_error("Cannot set up the event loop: %s", strerror(-r));
		hq_config_free(config);
		return HQ_EXIT_STARTUP;
	}
	r = install_config(config, false);
	if (r < 0) {
		hq_status_error("Cannot install the config: %s", strerror(-r));
		return HQ_EXIT_STARTUP;
	}
	hq_status_info("hostqd started: %zu scheduled queries, config %s", w.config->n_queries,
		       w.config->hash);
	if (watcher_pid < 0)
		hq_daemon_notify_ready();

	r = sd_event_loop(w.event);
	hq_status_flush_loggers();
	hq_daemon_extensions_stop();
	free_runtime();
	hq_config_free(w.config);
	w.config = NULL;
	sd_event_source_unref(w.timer);
	sd_event_source_unref(w.refresh);
	sd_event_source_unref(w.watchdog);
	sd_event_unref(w.event);
	hq_engine_free(w.engine);
	hq_state_close(w.state);
	w.state = NULL;
	free(w.host_identifier);
	free(w.stats_view);
	free(w.packs_view);
	hq_plugin_registry_clear();
	return r < 0 ? 1 : 0;
}
