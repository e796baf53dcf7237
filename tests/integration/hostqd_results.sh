#!/bin/bash
# hostqd end to end: first run logs every row as added, later runs log the differential
# (removed before added, counter +1), unchanged results log nothing, snapshots go to the
# snapshots log, decorations and the batch/numerics formats are osquery's.
. "$(dirname "$0")/lib/hostqd.bash"
command -v python3 >/dev/null || { echo "python3 missing"; exit 77; }

cat >"$HQ_TMP/hostq.conf" <<'CONF'
# comment lines are allowed (osquery strips them)
{
  "options": {"schedule_splay_percent": 0, "host_identifier": "specified",
              "specified_identifier": "test-host"},
  "schedule": {
    "nums": {"query": "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x<3) SELECT x, 'v' || x AS s FROM c", "interval": 1},
    "clock": {"query": "SELECT CAST(strftime('%s','now') AS INTEGER) AS t, 1.5 AS f", "interval": 1},
    "snap": {"query": "SELECT name, interval FROM osquery_schedule WHERE name = 'nums'", "interval": 1, "snapshot": true}
  },
  "packs": {"p1": {"queries": {"q": {"query": "SELECT 'x' AS k", "interval": 1}}}},
  "decorators": {"load": ["SELECT 'deco-load' AS load_tag"], "always": ["SELECT 42 AS answer"]}
}
CONF
hq_start
wait_for 20 sh -c "grep -c '\"name\":\"clock\"' '$HQ_TMP/log/hostqd.results.log' | grep -qx '[5-9]'" ||
	fail "clock results did not accumulate"
wait_for 10 sh -c "grep -q '\"name\":\"snap\"' '$HQ_TMP/log/hostqd.snapshots.log'" || fail "no snapshot"
hq_stop

python3 - "$HQ_TMP/log" <<'PY' || fail "result log check failed"
import json, sys
d = sys.argv[1]
res = [json.loads(l) for l in open(d + "/hostqd.results.log")]
snaps = [json.loads(l) for l in open(d + "/hostqd.snapshots.log")]
keys = ["name", "hostIdentifier", "calendarTime", "unixTime", "epoch", "counter", "numerics",
        "decorations", "columns", "action"]
for r in res:
    assert list(r.keys()) == keys, r
    assert r["hostIdentifier"] == "test-host", r
    assert r["decorations"] == {"answer": "42", "load_tag": "deco-load"}, r
    assert r["calendarTime"].endswith(" UTC")
    assert all(isinstance(v, str) for v in r["columns"].values()), r
nums = [r for r in res if r["name"] == "nums"]
# First run: every row added, counter 0; the result never changes afterwards.
assert sorted(r["columns"]["x"] for r in nums) == ["1", "2", "3"], nums
assert all(r["action"] == "added" and r["counter"] == 0 for r in nums)
clock = [r for r in res if r["name"] == "clock"]
assert clock[0]["action"] == "added" and clock[0]["counter"] == 0
assert clock[0]["columns"]["f"] == "1.5"
by_counter = {}
for r in clock:
    by_counter.setdefault(r["counter"], []).append(r)
for c, rows in by_counter.items():
    if c == 0:
        continue
    # One removed then one added per change; the removed row is the previous added one.
    assert [r["action"] for r in rows] == ["removed", "added"], rows
    prev = by_counter[c - 1][-1]
    assert rows[0]["columns"] == prev["columns"], (rows, prev)
counters = sorted(by_counter)
assert counters == list(range(len(counters))), counters
pack = [r for r in res if r["name"] == "pack_p1_q"]
assert len(pack) == 1 and pack[0]["columns"] == {"k": "x"}, pack
assert snaps, "no snapshots"
for s in snaps:
    assert list(s.keys())[:2] == ["snapshot", "action"] and s["action"] == "snapshot", s
    assert s["counter"] == 0
    assert s["snapshot"] == [{"interval": "1", "name": "nums"}], s
print("event format ok:", len(res), "result lines,", len(snaps), "snapshots")
PY

# Batch format with numerics, same state dir (new query names start a new epoch each).
cat >"$HQ_TMP/hostq.conf" <<'CONF'
{"options": {"schedule_splay_percent": 0},
 "schedule": {"batch": {"query": "SELECT CAST(strftime('%s','now') AS INTEGER) AS t, 'a' AS s", "interval": 1}}}
CONF
rm -f "$HQ_TMP/log/hostqd.results.log"
hq_start --logger_event_type=false --logger_numerics=true
wait_for 20 sh -c "grep -c diffResults '$HQ_TMP/log/hostqd.results.log' | grep -qx '[3-9]'" ||
	fail "batch lines missing"
hq_stop
python3 - "$HQ_TMP/log" <<'PY' || fail "batch log check failed"
import json, sys
res = [json.loads(l) for l in open(sys.argv[1] + "/hostqd.results.log")]
assert list(res[0].keys()) == ["diffResults", "name", "hostIdentifier", "calendarTime",
                               "unixTime", "epoch", "counter", "numerics"], res[0]
assert res[0]["counter"] == 0 and res[0]["diffResults"]["removed"] == []
assert res[0]["numerics"] is True
assert isinstance(res[0]["diffResults"]["added"][0]["t"], int)
assert res[0]["diffResults"]["added"][0]["s"] == "a"
for a, b in zip(res, res[1:]):
    assert b["counter"] == a["counter"] + 1
    assert b["diffResults"]["removed"] == a["diffResults"]["added"]
print("batch format ok:", len(res), "lines")
PY
echo PASS
