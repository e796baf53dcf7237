#!/bin/bash
# hostqd's command line: unknown flags are usage errors (exit 2), --config_check exits 0/1 and
# locates the error, --config_dump prints the sources, flagfiles work, the pidfile lock keeps a
# second instance out, and osquery_flags/osquery_packs describe the running daemon.
. "$(dirname "$0")/lib/hostqd.bash"

rc=0
"$HOSTQD" --no_such_flag=1 2>"$HQ_TMP/err" || rc=$?
[ "$rc" -eq 2 ] || fail "unknown flag: exit $rc, want 2"
grep -q "no_such_flag" "$HQ_TMP/err" || fail "unknown flag not named"
"$HOSTQD" --help >"$HQ_TMP/help"
grep -q -- "--logger_plugin" "$HQ_TMP/help" || fail "--help lists no flags"

mkdir -p "$HQ_TMP/packs"
cat >"$HQ_TMP/packs/extra.conf" <<'CONF'
{"discovery": ["SELECT 1 WHERE 1 = 0"], "queries": {"never": {"query": "SELECT 1 AS x", "interval": 1}}}
CONF
cat >"$HQ_TMP/hostq.conf" <<CONF
{"options": {"schedule_splay_percent": 0, "config_path": "/ignored"},
 "schedule": {"flags": {"query": "SELECT name, value FROM osquery_flags WHERE name IN ('config_refresh', 'config_tls_refresh', 'logger_rotate')", "interval": 1, "snapshot": true},
              "packs": {"query": "SELECT name, active, discovery_executions FROM osquery_packs", "interval": 1, "snapshot": true}},
 "packs": {"inline": {"platform": "linux", "queries": {"q": {"query": "SELECT 2 AS y", "interval": 1}}},
           "extra": "$HQ_TMP/packs/extra.conf"}}
CONF
mkdir -p "$HQ_TMP/hostq.conf.d"
echo '{"schedule": {"from_dir": {"query": "SELECT 3 AS z", "interval": 1}}}' >"$HQ_TMP/hostq.conf.d/10-extra.conf"

"$HOSTQD" --config_path="$HQ_TMP/hostq.conf" --config_check || fail "good config rejected"
"$HOSTQD" --config_path="$HQ_TMP/hostq.conf" --config_dump >"$HQ_TMP/dump" || fail "--config_dump failed"
grep -q "10-extra.conf" "$HQ_TMP/dump" || fail "config dump misses the .d source"
printf '{\n  "schedule": {\n    "a": {"query": "SELECT 1" "interval": 1}\n  }\n}\n' >"$HQ_TMP/bad.conf"
rc=0
"$HOSTQD" --config_path="$HQ_TMP/bad.conf" --config_check 2>"$HQ_TMP/err" || rc=$?
[ "$rc" -eq 1 ] || fail "bad config: exit $rc, want 1"
grep -q "bad.conf:3:" "$HQ_TMP/err" || fail "config error has no location: $(cat "$HQ_TMP/err")"
rc=0
"$HOSTQD" --config_path="$HQ_TMP/bad.conf" --pidfile="$HQ_TMP/x.pid" --database_path="$HQ_TMP/x.db" \
	2>"$HQ_TMP/err" || rc=$?
[ "$rc" -eq 1 ] && grep -q "config error: .*bad.conf:3:" "$HQ_TMP/err" || fail "start with a bad config"

rc=0
"$HOSTQD" --config_path="$HQ_TMP/hostq.conf" --logger_plugin=filesystem,nope --pidfile="$HQ_TMP/x.pid" \
	2>"$HQ_TMP/err" || rc=$?
[ "$rc" -eq 1 ] && grep -q "unknown logger plugin 'nope'" "$HQ_TMP/err" || fail "unknown logger plugin accepted"
rc=0
"$HOSTQD" --config_path="$HQ_TMP/hostq.conf" --database_path=/proc/nonexistent/hostq.db \
	--logger_path="$HQ_TMP/xlog" --pidfile="$HQ_TMP/x.pid" 2>"$HQ_TMP/err" || rc=$?
[ "$rc" -eq 1 ] && grep -q "could not start, stopping" "$HQ_TMP/err" || fail "unusable state db: exit $rc"

printf -- '# flags\n--config_tls_refresh=120\n--logger_rotate\n' >"$HQ_TMP/flags"
hq_start --flagfile="$HQ_TMP/flags"
wait_for 20 sh -c "grep -q '\"name\":\"flags\"' '$HQ_TMP/log/hostqd.snapshots.log' && grep -q '\"name\":\"packs\"' '$HQ_TMP/log/hostqd.snapshots.log'" ||
	fail "introspection snapshots missing"
grep '"name":"flags"' "$HQ_TMP/log/hostqd.snapshots.log" | head -n1 |
	grep -qF '"snapshot":[{"name":"config_refresh","value":"120"},{"name":"config_tls_refresh","value":"120"},{"name":"logger_rotate","value":"true"}]' ||
	fail "osquery_flags: $(grep '"name":"flags"' "$HQ_TMP/log/hostqd.snapshots.log" | head -n1)"
grep '"name":"packs"' "$HQ_TMP/log/hostqd.snapshots.log" | tail -n1 | grep -qF '{"active":"1","discovery_executions":"0","name":"inline"}' ||
	fail "osquery_packs inline"
wait_for 10 sh -c "grep -q 'pack_inline_q' '$HQ_TMP/log/hostqd.results.log' && grep -q from_dir '$HQ_TMP/log/hostqd.results.log'" ||
	fail "pack or .d queries did not run"
wait_for 20 sh -c "grep '\"name\":\"packs\"' '$HQ_TMP/log/hostqd.snapshots.log' | tail -n1 | grep -qF '{\"active\":\"0\",\"discovery_executions\":\"1\",\"name\":\"extra\"}'" ||
	fail "discovery did not deactivate the pack"
! grep -q pack_extra_never "$HQ_TMP/log/hostqd.results.log" || fail "pack with failing discovery ran"
status_log | grep -q "Option config_path can only be set on the command line" || fail "CLI-only option from config not reported"

# The pidfile holds the running pid and keeps a second instance out.
[ "$(cat "$HQ_TMP/hostqd.pid")" = "$HQD_PID" ] || fail "pidfile content"
rc=0
"$HOSTQD" --config_path="$HQ_TMP/hostq.conf" --database_path="$HQ_TMP/other.db" \
	--logger_path="$HQ_TMP/otherlog" --pidfile="$HQ_TMP/hostqd.pid" 2>"$HQ_TMP/err" || rc=$?
[ "$rc" -eq 1 ] || fail "second instance: exit $rc"
grep -q "already running (pid $HQD_PID" "$HQ_TMP/err" || fail "second instance message: $(cat "$HQ_TMP/err")"
hq_stop
[ ! -e "$HQ_TMP/hostqd.pid" ] || fail "pidfile left behind"
[ "$(stat -c %a "$HQ_TMP/log/hostqd.results.log")" = 600 ] || fail "results log mode"
echo PASS
