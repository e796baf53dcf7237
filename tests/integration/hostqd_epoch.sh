#!/bin/bash
# State across restarts and epochs: an unchanged result logs nothing after a restart (the
# previous result is persisted), a new --schedule_epoch logs everything again as added with
# counter 0, "removed": false suppresses removals, and platform-filtered queries never run.
. "$(dirname "$0")/lib/hostqd.bash"
command -v python3 >/dev/null || { echo "python3 missing"; exit 77; }

cat >"$HQ_TMP/hostq.conf" <<'CONF'
{"options": {"schedule_splay_percent": 0},
 "schedule": {
   "static": {"query": "SELECT 'a' AS k UNION ALL SELECT 'b'", "interval": 1},
   "noremove": {"query": "SELECT CAST(strftime('%s','now') AS INTEGER) AS t", "interval": 1, "removed": false},
   "darwin_only": {"query": "SELECT 1 AS x", "interval": 1, "platform": "darwin"},
   "future": {"query": "SELECT 1 AS x", "interval": 1, "version": "99.0.0"},
   "sched": {"query": "SELECT group_concat(name, ',') AS names FROM (SELECT name FROM osquery_schedule ORDER BY name)", "interval": 1, "snapshot": true}
 }}
CONF
hq_start
wait_for 20 sh -c "[ \$(grep -c '\"name\":\"noremove\"' '$HQ_TMP/log/hostqd.results.log') -ge 3 ]" || fail "noremove did not run"
hq_stop
hq_start
sleep 2.5
hq_stop
hq_start --schedule_epoch=7
wait_for 20 sh -c "grep -q '\"epoch\":7' '$HQ_TMP/log/hostqd.results.log'" || fail "no epoch 7 lines"
sleep 1.2
hq_stop
grep -q '"snapshot":\[{"names":"noremove,sched,static"}\]' "$HQ_TMP/log/hostqd.snapshots.log" ||
	fail "osquery_schedule lists queries that do not apply: $(tail -n1 "$HQ_TMP/log/hostqd.snapshots.log")"

python3 - "$HQ_TMP/log/hostqd.results.log" <<'PY' || fail "epoch/state check failed"
import json, sys
res = [json.loads(l) for l in open(sys.argv[1])]
static = [(r["epoch"], r["counter"], r["action"], r["columns"]["k"]) for r in res if r["name"] == "static"]
# Two rows added in epoch 0, nothing on the plain restart, both again in epoch 7.
assert static == [(0, 0, "added", "a"), (0, 0, "added", "b"), (7, 0, "added", "a"), (7, 0, "added", "b")], static
nr = [r for r in res if r["name"] == "noremove"]
assert all(r["action"] == "added" for r in nr), "removed lines logged"
counters = [r["counter"] for r in nr if r["epoch"] == 0]
assert counters == list(range(len(counters))), counters
assert not [r for r in res if r["name"] in ("darwin_only", "future")]
print("ok")
PY
echo PASS
