#!/bin/bash
# kill -9 of hostqd (watcher and worker) in the middle of logging, several times, then a clean
# run: every differential is in the results log exactly once and the chain of diffs is
# complete (each change removes exactly the rows the previous one added).
. "$(dirname "$0")/lib/hostqd.bash"
command -v python3 >/dev/null || { echo "python3 missing"; exit 77; }

# 3000 rows change every second: each run logs 6000 lines, a wide window for the kills.
cat >"$HQ_TMP/hostq.conf" <<'CONF'
{"options": {"schedule_splay_percent": 0},
 "schedule": {"big": {"query": "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x<3000) SELECT x, CAST(strftime('%s','now') AS INTEGER) AS t FROM c", "interval": 1}}}
CONF

for round in 1 2 3 4 5; do
	hq_start
	# Let it log for a while, then kill everything without warning at a varying moment.
	wait_for 20 test -s "$HQ_TMP/log/hostqd.results.log" || fail "no results in round $round"
	sleep "1.$((round * 37 % 10))"
	w=$(worker_pid || true)
	kill -KILL "$HQD_PID" ${w:+"$w"} 2>/dev/null || true
	wait "$HQD_PID" 2>/dev/null || true
	HQD_PID=
	# The worker dies with its watcher (SIGKILL above); make sure before restarting.
	[ -z "$w" ] || wait_for 10 sh -c "! kill -0 $w" || fail "worker $w survived"
done
hq_start
sleep 3
hq_stop

python3 - "$HQ_TMP/log/hostqd.results.log" <<'PY' || fail "results are inconsistent"
import json, sys
from collections import defaultdict
lines = open(sys.argv[1]).read().split("\n")
assert lines[-1] == "", "last line is partial"
seen = set()
by_counter = defaultdict(lambda: {"added": set(), "removed": set()})
for l in lines[:-1]:
    assert l not in seen, "duplicated line: " + l[:200]
    seen.add(l)
    r = json.loads(l)
    key = (r["columns"]["x"], r["columns"]["t"])
    bucket = by_counter[r["counter"]][r["action"]]
    assert key not in bucket, "row logged twice in counter %d" % r["counter"]
    bucket.add(key)
counters = sorted(by_counter)
assert counters == list(range(len(counters))), "missing counters: %s" % counters
assert len(by_counter[0]["added"]) == 3000 and not by_counter[0]["removed"]
for c in counters[1:]:
    cur, prev = by_counter[c], by_counter[c - 1]
    # Each diff is complete: all 3000 old rows removed, all 3000 new rows added.
    assert len(cur["added"]) == 3000, (c, len(cur["added"]))
    assert cur["removed"] == prev["added"], "counter %d does not continue %d" % (c, c - 1)
print("consistent:", len(counters), "differentials,", len(seen), "lines")
PY
grep -h "queued result lines" "$HQ_TMP/log/hostqd.INFO" || true
echo PASS
