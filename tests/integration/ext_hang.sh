#!/bin/bash
# An extension whose generate hangs: the query on its table fails once --thrift_timeout passes,
# while another extension's table and the manager keep working; the hung extension is then
# dropped by the health checker.
. "$HQ_SRC/tests/integration/ext/common.sh"

start_shell --thrift_timeout 2
start_ext --name good --table good_t --rows 2
start_ext --name hung --table hung_t --mode hang
wait_for 10 has_ext good || fail "good did not register"
wait_for 10 has_ext hung || fail "hung did not register"

start=$(date +%s)
out=$(q "SELECT * FROM hung_t" 2>&1) && fail "query on the hanging table succeeded: $out"
echo "$out" | grep -qi "hung_t" || fail "error does not name the table: $out"
elapsed=$(( $(date +%s) - start ))
[ $elapsed -lt 60 ] || fail "query took $elapsed s"

out=$(q "SELECT name FROM good_t ORDER BY id") || fail "good table failed: $out"
[ "$out" = '[{"name": "good-1"}, {"name": "good-2"}]' ] || fail "good rows: $out"
# The hung extension no longer answers pings; one failed check removes it and its table.
wait_for 20 bash -c "! \"$PY\" \"$PYEXT\" call --socket \"$SOCK\" extensions | grep -q '\"hung\"'" ||
	fail "hung extension still registered"
out=$(q "SELECT * FROM hung_t" 2>&1) && fail "hung_t still queryable"
echo "$out" | grep -q "no such table" || fail "hung_t error: $out"
has_ext good || fail "good extension was dropped"
kill -0 "$SHELL_PID" || fail "hostqi died"
echo ok
