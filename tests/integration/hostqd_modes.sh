#!/bin/bash
# Run modes: --daemonize with the pidfile, the stdout logger, --config_refresh picking up a
# changed config without a signal, --host_identifier=instance (the persisted instance id), and
# osquery_info describing the worker and its watcher.
. "$(dirname "$0")/lib/hostqd.bash"
command -v sqlite3 >/dev/null || { echo "sqlite3 CLI missing"; exit 77; }

cat >"$HQ_TMP/hostq.conf" <<'CONF'
{"options": {"schedule_splay_percent": 0, "host_identifier": "instance"},
 "schedule": {"first": {"query": "SELECT 1 AS one", "interval": 1},
              "info": {"query": "SELECT pid, watcher, config_valid, config_hash FROM osquery_info", "interval": 1, "snapshot": true}}}
CONF

# --daemonize: the command returns, the pidfile names the running watcher.
"$HOSTQD" --config_path="$HQ_TMP/hostq.conf" --database_path="$HQ_TMP/state/hostq.db" \
	--logger_path="$HQ_TMP/log" --pidfile="$HQ_TMP/hostqd.pid" --daemonize --config_refresh=1 \
	--logger_plugin=filesystem || fail "--daemonize returned an error"
wait_for 10 test -s "$HQ_TMP/hostqd.pid" || fail "no pidfile"
HQD_PID=$(cat "$HQ_TMP/hostqd.pid")
hq_cleanup_hooks+=("kill -KILL $HQD_PID 2>/dev/null")
kill -0 "$HQD_PID" || fail "daemon not running"
[ "$(ps -o sid= -p "$HQD_PID" | tr -d ' ')" != "$(ps -o sid= -p $$ | tr -d ' ')" ] ||
	fail "daemon still in the test's session"
wait_for 20 sh -c "grep -q '\"name\":\"first\"' '$HQ_TMP/log/hostqd.results.log'" || fail "first never ran"
instance=$(sqlite3 "$HQ_TMP/state/hostq.db" "SELECT value FROM kv WHERE key = 'instance_uuid_v1'")
[ -n "$instance" ] || fail "no instance id stored"
grep -q "\"hostIdentifier\":\"$instance\"" "$HQ_TMP/log/hostqd.results.log" || fail "hostIdentifier is not the instance id"
wait_for 10 sh -c "grep -q '\"name\":\"info\"' '$HQ_TMP/log/hostqd.snapshots.log'" || fail "no osquery_info snapshot"
worker=$(pgrep -P "$HQD_PID" | head -n1)
grep '"name":"info"' "$HQ_TMP/log/hostqd.snapshots.log" | tail -n1 |
	grep -q "\"config_valid\":\"1\",\"pid\":\"$worker\",\"watcher\":\"$HQD_PID\"" ||
	fail "osquery_info: $(grep '"name":"info"' "$HQ_TMP/log/hostqd.snapshots.log" | tail -n1)"

# --config_refresh: a new query appears without SIGHUP.
cat >"$HQ_TMP/hostq.conf" <<'CONF'
{"options": {"schedule_splay_percent": 0},
 "schedule": {"second": {"query": "SELECT 2 AS two", "interval": 1}}}
CONF
wait_for 20 sh -c "grep -q '\"name\":\"second\"' '$HQ_TMP/log/hostqd.results.log'" || fail "config_refresh did not reload"
grep -q "Config refreshed (config_refresh)" "$HQ_TMP/log/hostqd.INFO" || fail "no refresh status line"
kill -TERM "$HQD_PID"
wait_for 20 sh -c "! kill -0 $HQD_PID" || fail "daemon did not stop"
[ ! -e "$HQ_TMP/hostqd.pid" ] || fail "pidfile left behind"
HQD_PID=

# stdout logger.
rm -rf "$HQ_TMP/state"
hq_start --logger_plugin=stdout --disable_watchdog
wait_for 20 sh -c "grep -q '\"name\":\"second\"' '$HQ_TMP/stdout'" || fail "stdout logger wrote nothing"
grep -q 'severity=0 location=worker.c:[0-9]* message=Storing initial results' "$HQ_TMP/stdout" ||
	fail "stdout logger status lines"
hq_stop

# --config_enable_backup: a broken config at start runs the last good one from the state db.
rm -rf "$HQ_TMP/state" "$HQ_TMP/log"
hq_start --config_enable_backup
wait_for 20 sh -c "grep -q '\"name\":\"second\"' '$HQ_TMP/log/hostqd.results.log'" || fail "backup run 1"
hq_stop
echo '{"schedule": {' >"$HQ_TMP/hostq.conf"
rm -f "$HQ_TMP/log/hostqd.results.log"
hq_start --config_enable_backup
wait_for 20 sh -c "grep -q 'running the backup of the last good config' '$HQ_TMP/log/hostqd.INFO'" ||
	fail "backup config not used"
sleep 1.5
kill -0 "$HQD_PID" || fail "hostqd did not start from the backup"
hq_stop
echo PASS
