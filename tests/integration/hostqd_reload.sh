#!/bin/bash
# SIGHUP reloads the config: a broken config is rejected (the old schedule keeps running and
# the status log says why), a good one replaces the schedule.
. "$(dirname "$0")/lib/hostqd.bash"

cat >"$HQ_TMP/hostq.conf" <<'CONF'
{"options": {"schedule_splay_percent": 0},
 "schedule": {"old_query": {"query": "SELECT CAST(strftime('%s','now') AS INTEGER) AS t", "interval": 1}}}
CONF
hq_start
wait_for 20 sh -c "grep -q old_query '$HQ_TMP/log/hostqd.results.log'" || fail "old_query never ran"

# Broken JSON (trailing comma on line 3).
cat >"$HQ_TMP/hostq.conf" <<'CONF'
{"schedule": {
   "new_query": {"query": "SELECT 1 AS one", "interval": 1},
}}
CONF
kill -HUP "$HQD_PID"
wait_for 10 sh -c "grep -q 'Config refresh (SIGHUP) failed, keeping the last good config' '$HQ_TMP/log/hostqd.INFO'" ||
	fail "no status log for the rejected config"
status_log | grep -F 'failed, keeping the last good config' | grep -qF "hostq.conf:3:" ||
	fail "the status log does not locate the error"
n=$(count_results '"name":"old_query"')
wait_for 10 sh -c "[ \$(grep -c '\"name\":\"old_query\"' '$HQ_TMP/log/hostqd.results.log') -gt $((n + 2)) ]" ||
	fail "old schedule stopped after the broken config"
kill -0 "$HQD_PID" || fail "hostqd died"
[ "$(count_results '"name":"new_query"')" -eq 0 ] || fail "broken config was applied"

# A good config replaces the schedule.
cat >"$HQ_TMP/hostq.conf" <<'CONF'
{"options": {"schedule_splay_percent": 0},
 "schedule": {"new_query": {"query": "SELECT 1 AS one", "interval": 1}}}
CONF
kill -HUP "$HQD_PID"
wait_for 10 sh -c "grep -q '\"name\":\"new_query\"' '$HQ_TMP/log/hostqd.results.log'" ||
	fail "new config not applied"
sleep 1.5
n=$(count_results '"name":"old_query"')
sleep 2.2
[ "$(count_results '"name":"old_query"')" -eq "$n" ] || fail "old_query still runs after reload"
hq_stop
echo PASS
