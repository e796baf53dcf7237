#!/bin/bash
# The C SDK examples, autoloaded by hostqi: the example table in a one-shot query (with a
# pushed-down constraint), then the logger, config and distributed plugins called the way the
# core calls them, their registry entries, and a clean exit on the agent's shutdown().
# As root, run in a private mount namespace with a tmpfs on /run holding a stand-in journal
# socket, so the journald logger's structured fields can be checked.
if [ -z "${HQ_EXT_NS:-}" ] && [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null &&
	unshare --mount true 2>/dev/null; then
	exec env HQ_EXT_NS=1 unshare --mount --propagation private bash "$0" "$@"
fi
. "$HQ_SRC/tests/integration/ext/common.sh"
: "${HQ_BUILD:?}"
JOURNAL=""
if [ -n "${HQ_EXT_NS:-}" ] && mount -t tmpfs tmpfs /run 2>/dev/null; then
	mkdir -p /run/systemd/journal
	JOURNAL="$T/journal.txt"
	"$PY" -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("/run/systemd/journal/socket")
open(sys.argv[1] + ".ready", "w").close()
while True:
    d = s.recv(1 << 20)
    with open(sys.argv[1], "ab") as f:
        f.write(d + b"\n--\n")
' "$JOURNAL" &
	PIDS+=($!)
	wait_for 10 test -e "$JOURNAL.ready" || fail "journal stand-in did not start"
fi

E="$T/exts"
mkdir -p "$E"
chmod 755 "$E"
for x in example_table config_dir distributed_file journald_logger; do
	f=$(find "$HQ_BUILD" -name "$x.ext" -type f | head -n 1)
	if [ -z "$f" ]; then
		[ $x = journald_logger ] && continue # built only with libsystemd
		fail "$x.ext not built"
	fi
	install -m 755 "$f" "$E/$x.ext"
done
printf '%s\n' "$E/example_table.ext" >"$T/table.load"

# One-shot: the shell waits for the autoloaded extension before running the query.
out=$("$HOSTQI" --json --extensions_socket "$SOCK" --extensions_autoload "$T/table.load" \
	"SELECT n, square, word FROM hostq_example WHERE n = 3 OR n = 7 ORDER BY n" 2>"$T/oneshot.err") ||
	fail "one-shot query failed: $(cat "$T/oneshot.err")"
[ "$(echo "$out" | tr -d ' \n')" = '[{"n":"3","square":"9","word":"three"},{"n":"7","square":"49","word":"seven"}]' ] ||
	fail "one-shot rows: $out"
out=$("$HOSTQI" --json --extensions_socket "$SOCK" --extensions_autoload "$T/table.load" \
	"SELECT count(*) AS c, sum(square) AS s FROM hostq_example" 2>>"$T/oneshot.err")
[ "$(echo "$out" | tr -d ' \n')" = '[{"c":"10","s":"385"}]' ] || fail "full scan: $out"
sleep 0.5
pgrep -f "[e]xample_table.ext --socket $SOCK" && fail "example_table.ext survived the one-shot shell"
ls "$SOCK".* 2>/dev/null && fail "stale extension sockets after the shell exited"

# Plugins.
mkdir -p "$T/conf" "$T/dist"
echo '{"schedule": {"q1": {"query": "SELECT 1", "interval": 60}}}' >"$T/conf/10-schedule.conf"
echo '{"options": {"verbose": false}}' >"$T/conf/20-options.json"
echo 'ignored' >"$T/conf/README"
echo '{"queries": {"d1": "SELECT 42 AS answer"}}' >"$T/dist/queries.json"
ls "$E"/*.ext >"$T/all.load"
export HOSTQ_CONFIG_DIR="$T/conf" HOSTQ_DISTRIBUTED_DIR="$T/dist"
start_shell --extensions_autoload "$T/all.load"
for n in example_table config_dir distributed_file; do
	wait_for 15 has_ext $n || fail "$n did not register"
done
uuid_of() { q "SELECT uuid FROM osquery_extensions WHERE name = '$1'" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)[0]["uuid"])'; }
callx() { "$PY" "$PYEXT" call-ext --socket "$SOCK.$(uuid_of "$1")" "$2" "$3" "$4"; }

out=$(q "SELECT registry, name FROM osquery_registry WHERE owner_uuid != 0 ORDER BY registry, name")
echo "$out" | grep -q '{"name": "config_dir", "registry": "config"}' || fail "registry lacks config_dir: $out"
echo "$out" | grep -q '{"name": "distributed_file", "registry": "distributed"}' || fail "registry lacks distributed_file: $out"
echo "$out" | grep -q '{"name": "hostq_example", "registry": "table"}' || fail "registry lacks hostq_example: $out"

out=$(callx config_dir config config_dir '{"action": "genConfig"}')
"$PY" - "$out" "$T/conf" <<'PY' || fail "genConfig: $out"
import json, sys
r = json.loads(sys.argv[1]); d = sys.argv[2]
assert r["code"] == 0, r
row = r["response"][0]
assert sorted(row) == [d + "/10-schedule.conf", d + "/20-options.json"], row
assert json.loads(row[d + "/10-schedule.conf"])["schedule"]["q1"]["interval"] == 60
PY
out=$(callx config_dir config config_dir '{"action": "genPack", "name": "x", "value": ""}')
echo "$out" | grep -q '"code": 1' || fail "genPack should be refused: $out"

out=$(callx distributed_file distributed distributed_file '{"action": "getQueries"}')
"$PY" -c 'import json,sys; r=json.loads(sys.argv[1]); assert r["code"]==0; assert json.loads(r["response"][0]["results"])["queries"]["d1"]=="SELECT 42 AS answer"' "$out" ||
	fail "getQueries: $out"
res='{"queries": {"d1": [{"answer": "42"}]}, "statuses": {"d1": 0}, "messages": {}, "stats": {}}'
out=$(callx distributed_file distributed distributed_file "$("$PY" -c 'import json,sys; print(json.dumps({"action": "writeResults", "results": sys.argv[1]}))' "$res")")
echo "$out" | grep -q '"code": 0' || fail "writeResults: $out"
grep -qF '"answer": "42"' "$T/dist/results.jsonl" || fail "results not written"

out=$(callx example_table table hostq_example '{"action": "columns"}')
echo "$out" | grep -q '"name": "square", "op": "0", "type": "BIGINT"' || fail "columns: $out"
out=$(callx example_table table hostq_example '{"action": "generate"}')
echo "$out" | grep -q '"code": 0' || fail "generate without context: $out"

if [ -e "$E/journald_logger.ext" ]; then
	wait_for 15 has_ext journald_logger || fail "journald_logger did not register"
	out=$(callx journald_logger logger journald '{"action": "features"}')
	echo "$out" | grep -q '"code": 1' || fail "features should answer 1 (status logs wanted): $out"
	out=$(callx journald_logger logger journald '{"init": "hostqd"}')
	echo "$out" | grep -q '"code": 0' || fail "init: $out"
	line='{"name":"q1","hostIdentifier":"h","action":"added","columns":{"a":"1"}}'
	out=$(callx journald_logger logger journald "$("$PY" -c 'import json,sys; print(json.dumps({"string": sys.argv[1], "category": "event"}))' "$line")")
	echo "$out" | grep -q '"code": 0' || fail "log string: $out"
	out=$(callx journald_logger logger journald '{"status": "true", "log": "[{\"s\":1,\"f\":\"x.c\",\"i\":7,\"m\":\"careful\",\"h\":\"h\",\"c\":\"now\",\"u\":1}]"}')
	echo "$out" | grep -q '"code": 0' || fail "log status: $out"
	if [ -n "$JOURNAL" ]; then
		wait_for 5 grep -qF "MESSAGE=$line" "$JOURNAL" || fail "result line not in the journal"
		for f in HOSTQ_CATEGORY=event PRIORITY=6 SYSLOG_IDENTIFIER=hostq MESSAGE=careful \
			PRIORITY=4 CODE_FILE=x.c CODE_LINE=7 HOSTQ_CATEGORY=status; do
			grep -qxF "$f" "$JOURNAL" || fail "journal lacks $f: $(cat "$JOURNAL")"
		done
	else
		grep -qF "event $line" "$T/shell.err" || fail "result line not logged (fallback)"
		grep -qF "status careful" "$T/shell.err" || fail "status line not logged (fallback)"
	fi
fi

# Stop: shutdown() reaches every extension, they exit and their sockets go.
exec 3>&-
wait "$SHELL_PID"; SHELL_PID=""
pgrep -f "[.]ext --socket $SOCK" && fail "extensions survived the shell"
ls "$SOCK"* 2>/dev/null && fail "sockets left behind"
echo ok
