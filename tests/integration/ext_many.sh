#!/bin/bash
# Fifty osquery-python-like extensions register at once, each keeping its registration
# connection open and pinging on it; every table answers, and a union over all of them works.
# Half of them register Go-style (all four registries, empty versions).
. "$HQ_SRC/tests/integration/ext/common.sh"

N=50
start_shell
for i in $(seq 1 $N); do
	sdk=python
	[ $((i % 2)) -eq 0 ] && sdk=go
	start_ext --name "many$i" --table "many_t$i" --rows 2 --sdk $sdk --timeout 20
done
count_exts() {
	[ "$("$PY" "$PYEXT" call --socket "$SOCK" extensions | "$PY" -c 'import json,sys; print(len(json.load(sys.stdin)))')" -eq $N ]
}
wait_for 60 count_exts || fail "not all $N extensions registered: $("$PY" "$PYEXT" call --socket "$SOCK" extensions)"

sql=""
for i in $(seq 1 $N); do
	[ -n "$sql" ] && sql="$sql UNION ALL "
	sql="${sql}SELECT name FROM many_t$i"
done
out=$(q "SELECT count(*) AS n FROM ($sql)") || fail "union query failed: $out"
[ "$out" = "[{\"n\": \"$((N * 2))\"}]" ] || fail "union rows: $out"
out=$(q "SELECT name FROM many_t37 ORDER BY id") || fail "single table"
[ "$out" = '[{"name": "many37-1"}, {"name": "many37-2"}]' ] || fail "many_t37: $out"
# The idle registration connections stay open: after a few health intervals every extension is
# still registered and pinging.
sleep 3
count_exts || fail "extensions dropped while idle"
for p in "${PIDS[@]}"; do kill -0 "$p" || fail "an extension exited (its pings failed)"; done
echo ok
