#!/bin/bash
# journald logger against a real systemd-journald, isolated in a private mount namespace with
# its own /run: hostqd logs through sd_journal_send() and journalctl reads back MESSAGE and the
# HOSTQ_* fields.
. "$(dirname "$0")/lib/hostqd.bash"
J=/lib/systemd/systemd-journald
[ -x "$J" ] || { echo "systemd-journald missing"; exit 77; }
command -v journalctl >/dev/null || { echo "journalctl missing"; exit 77; }
command -v python3 >/dev/null || { echo "python3 missing"; exit 77; }
[ "$(id -u)" -eq 0 ] || { echo "needs root for a private /run"; exit 77; }
unshare --mount --propagation private true 2>/dev/null || { echo "cannot unshare the mount namespace"; exit 77; }

cat >"$HQ_TMP/hostq.conf" <<'CONF'
{"options": {"schedule_splay_percent": 0},
 "schedule": {
   "journal_q": {"query": "SELECT 'hello' AS greeting", "interval": 1},
   "journal_snap": {"query": "SELECT 1 AS one", "interval": 1, "snapshot": true}}}
CONF

unshare --mount --propagation private bash -c '
	set -e
	mount -t tmpfs tmpfs /run
	"$3" &
	JP=$!
	trap "kill $JP 2>/dev/null; wait $JP 2>/dev/null" EXIT
	for i in $(seq 50); do [ -S /run/systemd/journal/socket ] && break; sleep 0.1; done
	[ -S /run/systemd/journal/socket ]
	"$2" --config_path="$1/hostq.conf" --database_path="$1/state/hostq.db" \
		--logger_path="$1/log" --pidfile="$1/hostqd.pid" \
		--logger_plugin=journald,filesystem --disable_watchdog >>"$1/stderr" 2>&1 &
	H=$!
	for i in $(seq 100); do
		grep -q journal_q "$1/log/hostqd.results.log" 2>/dev/null &&
			grep -q journal_snap "$1/log/hostqd.snapshots.log" 2>/dev/null && break
		sleep 0.1
	done
	sleep 0.5
	kill -TERM $H
	wait $H
	sleep 0.5
	journalctl --no-pager -o json SYSLOG_IDENTIFIER=hostqd >"$1/journal.json"
' _ "$HQ_TMP" "$HOSTQD" "$J" || fail "journald run failed"

python3 - "$HQ_TMP/journal.json" <<'PY' || fail "journal content: $(head -c 2000 "$HQ_TMP/journal.json")"
import json, sys
entries = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
res = [e for e in entries if e.get("HOSTQ_LOG_TYPE") == "result"]
snap = [e for e in entries if e.get("HOSTQ_LOG_TYPE") == "snapshot"]
status = [e for e in entries if e.get("HOSTQ_LOG_TYPE") == "status"]
assert res, "no result entries"
r = res[0]
assert r["HOSTQ_QUERY_NAME"] == "journal_q" and r["HOSTQ_ACTION"] == "added", r
m = json.loads(r["MESSAGE"])
assert m["name"] == "journal_q" and m["columns"] == {"greeting": "hello"}, m
assert r["_TRANSPORT"] == "journal" and r["PRIORITY"] == "6", r
assert snap and snap[0]["HOSTQ_ACTION"] == "snapshot" and snap[0]["HOSTQ_QUERY_NAME"] == "journal_snap"
assert any("Storing initial results" in e["MESSAGE"] for e in status), status
print("journal ok:", len(res), "results,", len(snap), "snapshots,", len(status), "status")
PY
echo PASS
