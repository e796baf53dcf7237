#!/bin/bash
# Watchdog: a scheduled query over its time budget is stopped, denylisted, reported in the
# status log and visible in osquery_schedule.denylisted; a worker that crashes inside a query
# is restarted by the watcher, the query is denylisted and the rest of the schedule goes on.
. "$(dirname "$0")/lib/hostqd.bash"
command -v sqlite3 >/dev/null || { echo "sqlite3 CLI missing"; exit 77; }
# In sanitizer builds ASan would turn the SIGSEGV this test sends into its own report and exit
# 1; the watcher must see a real death by signal, as in production.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}handle_segv=0"

endless="WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x<1000000000000) SELECT count(*) AS n FROM c"
cat >"$HQ_TMP/hostq.conf" <<CONF
{"options": {"schedule_splay_percent": 0},
 "schedule": {
   "slow": {"query": "$endless", "interval": 1},
   "tick": {"query": "SELECT CAST(strftime('%s','now') AS INTEGER) AS t", "interval": 1},
   "sched": {"query": "SELECT name, denylisted, blacklisted, executions FROM osquery_schedule WHERE name = 'slow'", "interval": 1, "snapshot": true}
 }}
CONF

# 1. Time budget.
hq_start --watchdog_query_timeout=1 --watchdog_denylist_duration=3600
wait_for 30 sh -c "grep -q 'Scheduled query slow exceeded its time budget of 1 s; denylisted for 3600 seconds' '$HQ_TMP/log/hostqd.INFO'" ||
	fail "no status log for the stopped query"
wait_for 10 sh -c "grep -q '\"denylisted\":\"1\",\"executions\":\"1\",\"name\":\"slow\"' '$HQ_TMP/log/hostqd.snapshots.log'" ||
	fail "osquery_schedule does not show the denylisting"
n=$(count_results '"name":"tick"')
wait_for 10 sh -c "[ \$(grep -c '\"name\":\"tick\"' '$HQ_TMP/log/hostqd.results.log') -gt $((n + 1)) ]" ||
	fail "schedule stopped"
# Denylisted: it is not run again (executions stays 1).
sleep 2
snapshots | tail -n1 | grep -qF '"executions":"1"' || fail "denylisted query ran again"
hq_stop
[ "$(sqlite3 "$HQ_TMP/state/hostq.db" "SELECT reason FROM denylist WHERE name = 'slow'")" = \
	"exceeded its time budget of 1 s" ] || fail "denylist not persisted"

# 2. A crash inside a query: SIGSEGV to the worker while it runs "slow".
rm -rf "$HQ_TMP/state" "$HQ_TMP/log"
hq_start --watchdog_query_timeout=600
wait_for 30 sh -c "[ \"\$(sqlite3 '$HQ_TMP/state/hostq.db' \"SELECT value FROM kv WHERE key = 'executing'\" 2>/dev/null)\" = slow ]" ||
	fail "slow query never started"
w1=$(worker_pid)
[ -n "$w1" ] || fail "no worker process"
kill -SEGV "$w1"
wait_for 20 sh -c "grep -q 'Scheduled query slow stopped the worker while executing; denylisted' '$HQ_TMP/log/hostqd.INFO'" ||
	fail "crashing query not denylisted"
status_log | grep -q "Worker $w1 was stopped by signal 11" || fail "watcher did not report the crash"
w2=$(worker_pid)
[ -n "$w2" ] && [ "$w2" != "$w1" ] || fail "worker not restarted"
n=$(count_results '"name":"tick"')
wait_for 10 sh -c "[ \$(grep -c '\"name\":\"tick\"' '$HQ_TMP/log/hostqd.results.log') -gt $((n + 1)) ]" ||
	fail "schedule did not go on after the crash"
wait_for 10 sh -c "tail -n1 '$HQ_TMP/log/hostqd.snapshots.log' | grep -qF '\"denylisted\":\"1\"'" ||
	fail "osquery_schedule does not show the crashing query denylisted"
kill -0 "$w2" || fail "new worker died"
hq_stop

# 3. Memory cap: a query that builds a huge string is stopped at --watchdog_memory_limit.
rm -rf "$HQ_TMP/state" "$HQ_TMP/log"
cat >"$HQ_TMP/hostq.conf" <<'CONF'
{"options": {"schedule_splay_percent": 0},
 "schedule": {
   "hog": {"query": "SELECT length(group_concat(v)) AS n FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x<5000000) SELECT printf('%0200d', x) AS v FROM c)", "interval": 1},
   "tick": {"query": "SELECT CAST(strftime('%s','now') AS INTEGER) AS t", "interval": 1}
 }}
CONF
hq_start --watchdog_memory_limit=64
wait_for 60 sh -c "grep -q 'Scheduled query hog exceeded the memory limit; denylisted' '$HQ_TMP/log/hostqd.INFO'" ||
	fail "memory hog not stopped"
n=$(count_results '"name":"tick"')
wait_for 10 sh -c "[ \$(grep -c '\"name\":\"tick\"' '$HQ_TMP/log/hostqd.results.log') -gt $((n + 1)) ]" ||
	fail "schedule stopped after the memory hog"
hq_stop
echo PASS
