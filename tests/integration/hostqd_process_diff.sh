#!/bin/bash
# A process the test starts appears in the results log as "added", and as "removed" once the
# test kills it (differentials over the real processes table).
. "$(dirname "$0")/lib/hostqd.bash"
: "${HOSTQI:?}"
"$HOSTQI" --json "SELECT pid FROM processes WHERE pid = 1" >/dev/null 2>&1 || {
	echo "processes table not available"
	exit 77
}

marker="hostqd-marker-$$"
cat >"$HQ_TMP/hostq.conf" <<CONF
{"options": {"schedule_splay_percent": 0},
 "schedule": {"marked": {"query": "SELECT pid, name, cmdline FROM processes WHERE cmdline LIKE '$marker %'", "interval": 1}}}
CONF
hq_start
wait_for 20 sh -c "grep -q 'Storing initial results for new scheduled query: marked' '$HQ_TMP/log/hostqd.INFO'" ||
	fail "query never ran"
(exec -a "$marker" sleep 1000) &
child=$!
hq_cleanup_hooks+=("kill $child 2>/dev/null")
wait_for 20 sh -c "grep -q '\"pid\":\"$child\"' '$HQ_TMP/log/hostqd.results.log'" || fail "process not added"
grep -F "\"pid\":\"$child\"" "$HQ_TMP/log/hostqd.results.log" | head -n1 |
	grep -qF "\"cmdline\":\"$marker 1000\",\"name\":\"sleep\",\"pid\":\"$child\"},\"action\":\"added\"" ||
	fail "added line: $(grep -F "\"pid\":\"$child\"" "$HQ_TMP/log/hostqd.results.log")"
kill "$child"
wait "$child" 2>/dev/null || true
wait_for 20 sh -c "grep -F '\"pid\":\"$child\"' '$HQ_TMP/log/hostqd.results.log' | grep -q '\"action\":\"removed\"'" ||
	fail "process not removed"
[ "$(grep -cF "\"pid\":\"$child\"" "$HQ_TMP/log/hostqd.results.log")" -eq 2 ] || fail "extra lines"
hq_stop
echo PASS
