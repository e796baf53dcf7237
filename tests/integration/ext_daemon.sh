#!/bin/bash
# hostqd with autoloaded extensions providing its plugins: the config comes from the C SDK's
# config_dir.ext (--config_plugin=config_dir), its schedule queries the C SDK's example table,
# and the results go to a Python logger extension (--logger_plugin=testlog) written like the
# official SDK. Then a clean stop takes the extensions down.
. "$HQ_SRC/tests/integration/ext/common.sh"
: "${HOSTQD:?}" "${HQ_BUILD:?}"

E="$T/exts"
mkdir -p "$E" "$T/conf" "$T/log"
chmod 755 "$E"
for x in example_table config_dir; do
	f=$(find "$HQ_BUILD" -name "$x.ext" -type f | head -n 1)
	[ -n "$f" ] || fail "$x.ext not built"
	install -m 755 "$f" "$E/$x.ext"
done
cat >"$E/pylogger.ext" <<SH
#!/bin/sh
exec "$PY" "$PYEXT" ext --name pylogger --table pylogger_t --logger testlog --log-file "$T/logger.jsonl" "\$@"
SH
chmod 755 "$E/pylogger.ext"
ls "$E"/*.ext >"$T/extensions.load"
cat >"$T/conf/schedule.conf" <<'CONF'
{
  "options": {"schedule_splay_percent": 0, "host_identifier": "specified",
              "specified_identifier": "ext-host"},
  "schedule": {"example": {"query": "SELECT n, word FROM hostq_example WHERE n = 2", "interval": 1},
               "ticks": {"query": "SELECT word, CAST(strftime('%s','now') AS INTEGER) AS t FROM hostq_example WHERE n = 1", "interval": 1}}
}
CONF
export HOSTQ_CONFIG_DIR="$T/conf"
"$HOSTQD" --config_plugin=config_dir --logger_plugin=testlog,filesystem \
	--extensions_autoload="$T/extensions.load" --extensions_socket="$SOCK" \
	--extensions_interval=1 --database_path="$T/state/hostq.db" --logger_path="$T/log" \
	--pidfile="$T/hostqd.pid" >"$T/shell.out" 2>"$T/shell.err" &
SHELL_PID=$!

has_example() {
	"$PY" -c 'import json,sys; sys.exit(not any(json.loads(json.loads(l).get("string","{}")).get("name") == "example" for l in open(sys.argv[1])))' "$T/logger.jsonl"
}
wait_for 30 has_example ||
	fail "no scheduled result reached the logger extension: $(cat "$T/logger.jsonl" 2>/dev/null)"
"$PY" - "$T/logger.jsonl" <<'PY' || fail "logger requests wrong: $(head -c 2000 "$T/logger.jsonl")"
import json, sys
reqs = [json.loads(l) for l in open(sys.argv[1])]
assert any(r.get("init") == "hostqd" for r in reqs), "no init"
results = [json.loads(r["string"]) for r in reqs if "string" in r and r.get("category") == "event"]
ex = [r for r in results if r.get("name") == "example"]
assert len(ex) == 1, ex  # differential: an unchanged result is logged once
assert ex, results
assert ex[0]["hostIdentifier"] == "ext-host", ex[0]
assert ex[0]["columns"] == {"n": "2", "word": "two"}, ex[0]
assert ex[0]["action"] == "added", ex[0]
PY
out=$(q "SELECT registry, name, owner_uuid > 0 AS ext, active FROM osquery_registry WHERE name IN ('config_dir', 'testlog', 'hostq_example', 'filesystem') ORDER BY registry, name")
for want in '{"active": "1", "ext": "1", "name": "config_dir", "registry": "config"}' \
	'{"active": "0", "ext": "0", "name": "filesystem", "registry": "config"}' \
	'{"active": "1", "ext": "0", "name": "filesystem", "registry": "logger"}' \
	'{"active": "1", "ext": "1", "name": "testlog", "registry": "logger"}' \
	'{"active": "1", "ext": "1", "name": "hostq_example", "registry": "table"}'; do
	echo "$out" | grep -qF "$want" || fail "osquery_registry lacks $want: $out"
done

opts=$("$PY" "$PYEXT" call --socket "$SOCK" options) || fail "options()"
for f in config_plugin logger_plugin extensions_socket schedule_splay_percent; do
	echo "$opts" | grep -q "\"$f\"" || fail "options() lacks $f: $opts"
done

# Extensions reach core plugins through the manager's call(): the filesystem logger by name
# (string_batch), the active logger (here an extension's) and config by fallback.
mgr() { "$PY" "$PYEXT" call-mgr --socket "$SOCK" "$@"; }
out=$(mgr logger filesystem '{"string_batch": "[\"{\\\"via\\\":\\\"call-1\\\"}\", \"{\\\"via\\\":\\\"call-2\\\"}\"]"}')
echo "$out" | grep -q '"code": 0' || fail "string_batch to filesystem: $out"
grep -q '{"via":"call-2"}' "$T/log/hostqd.results.log" || fail "string_batch lines not in the results log"
out=$(mgr logger "" '{"string": "{\"via\":\"fallback\"}"}')
echo "$out" | grep -q '"code": 0' || fail "call to the active logger: $out"
wait_for 5 grep -qF 'via\": \"fallback' "$T/logger.jsonl" ||
	wait_for 5 grep -qF 'fallback' "$T/logger.jsonl" || fail "active (extension) logger did not get the line"
out=$(mgr config "" '{"action": "genConfig"}')
echo "$out" | grep -q 'schedule.conf' || fail "config genConfig through the manager: $out"
out=$(mgr enroll x '{}')
echo "$out" | grep -q '"code": 1' || fail "unknown registry should fail: $out"

# The logger extension dies: the relaunched one gets the plugin's route back, and results keep
# arriving (those written meanwhile stay queued in hostqd).
before=$(grep -c '"category": "event"' "$T/logger.jsonl")
pid=$(pgrep -f -- "--name pylogger --table pylogger_t --logger testlog --log-file $T/logger.jsonl") ||
	fail "no logger process"
kill -9 $pid
more() { [ "$(grep -c '"category": "event"' "$T/logger.jsonl")" -gt $((before + 2)) ]; }
wait_for 40 more || fail "no results after the logger extension was relaunched"
grep -q "pylogger .* removed" "$T/shell.err" || fail "dead logger extension not removed"
pgrep -f -- "--name pylogger --table pylogger_t --logger testlog --log-file $T/logger.jsonl" |
	grep -vqx "$pid" || fail "logger extension not relaunched"

kill -TERM "$SHELL_PID"
rc=0
wait "$SHELL_PID" || rc=$?
SHELL_PID=""
[ $rc -eq 0 ] || fail "hostqd exited with $rc"
wait_for 15 bash -c "! pgrep -f '[.]ext --socket $SOCK'" || fail "extensions survived hostqd"
echo ok
