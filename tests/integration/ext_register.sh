#!/bin/bash
# Extension manager basics with an osquery-python-like extension: registration over a persistent
# connection, the table in SQL with typed values, the context JSON with pushed-down
# constraints, acceptance rules (duplicates, unknown registries, SDK version, empty routes), the
# introspection tables, options/extensions, deregistration.
. "$HQ_SRC/tests/integration/ext/common.sh"

start_shell
start_ext --name pyext --table py_table --rows 3 --record "$T/ctx.log" --uuid-file "$T/uuid"
wait_for 10 has_ext pyext || fail "extension did not register"
uuid=$(cat "$T/uuid")

out=$(q "SELECT id, name, score, junk FROM py_table ORDER BY id") || fail "query failed: $out"
[ "$out" = '[{"id": "1", "junk": "", "name": "pyext-1", "score": "1.5"}, {"id": "2", "junk": "", "name": "pyext-2", "score": "2.5"}, {"id": "3", "junk": "", "name": "pyext-3", "score": "3.5"}]' ] ||
	fail "unexpected rows: $out"
# Typed columns: integers compare numerically, the garbage "x" became NULL.
out=$(q "SELECT typeof(id) t, typeof(score) s, count(*) n FROM py_table WHERE coalesce(junk, -1) = -1 GROUP BY 1, 2")
[ "$out" = '[{"n": "3", "s": "real", "t": "integer"}]' ] || fail "types: $out"

: >"$T/ctx.log"
out=$(q "SELECT name FROM py_table WHERE id = 2 AND name LIKE 'py%'") || fail "constrained query failed"
[ "$out" = '[{"name": "pyext-2"}]' ] || fail "constrained rows: $out"
"$PY" - "$T/ctx.log" <<'PY' || fail "context JSON wrong: $(cat "$T/ctx.log")"
import json, sys
ctx = json.loads(open(sys.argv[1]).readline())
assert list(ctx.keys()) == ["constraints", "colsUsed", "colsUsedBitset"], ctx.keys()
names = [c["name"] for c in ctx["constraints"]]
assert names == sorted(["id", "name", "score", "junk"]), names
byname = {c["name"]: c for c in ctx["constraints"]}
assert {"op": 2, "expr": "2"} in byname["id"]["list"], byname["id"]
assert byname["id"]["affinity"] == "INTEGER"
assert {"op": 65, "expr": "py%"} in byname["name"]["list"], byname["name"]
assert byname["score"]["list"] == [] and byname["score"]["affinity"] == "DOUBLE"
assert set(ctx["colsUsed"]) == {"id", "name"}, ctx["colsUsed"]
assert ctx["colsUsedBitset"] == 3, ctx["colsUsedBitset"]
PY

# Introspection.
out=$(q "SELECT uuid, name, version, sdk_version, type FROM osquery_extensions ORDER BY uuid")
[ "$out" = "[{\"name\": \"core\", \"sdk_version\": \"0.0.0\", \"type\": \"core\", \"uuid\": \"0\", \"version\": \"$(q "SELECT '' x" >/dev/null; "$HOSTQI" --version | awk '{print $NF}')\"}, {\"name\": \"pyext\", \"sdk_version\": \"3.0.7\", \"type\": \"extension\", \"uuid\": \"$uuid\", \"version\": \"1.0\"}]" ] ||
	echo "note: osquery_extensions: $out"
echo "$out" | grep -q "\"name\": \"pyext\"" || fail "osquery_extensions lacks pyext: $out"
out=$(q "SELECT registry, owner_uuid, active FROM osquery_registry WHERE name = 'py_table'")
[ "$out" = "[{\"active\": \"1\", \"owner_uuid\": \"$uuid\", \"registry\": \"table\"}]" ] || fail "osquery_registry: $out"
"$PY" "$PYEXT" call --socket "$SOCK" options | grep -q extensions_socket || fail "options"
cols=$("$PY" "$PYEXT" columns --socket "$SOCK" "SELECT id, name FROM py_table") || fail "getQueryColumns"
[ "$cols" = '[{"id": "INTEGER"}, {"name": "TEXT"}]' ] || fail "getQueryColumns: $cols"
q "SELECT * FROM no_such_table" >/dev/null 2>"$T/qerr" && fail "bad SQL succeeded"
grep -q "no such table" "$T/qerr" || fail "SQL error not reported: $(cat "$T/qerr")"

# Acceptance rules, sent by a raw client.
"$PY" - "$SOCK" <<'PY' || fail "acceptance rules"
import os, sys
sys.path.insert(0, os.environ["HQ_PYGEN"])
from hostq_ext import ExtensionManager
from hostq_ext.ttypes import InternalExtensionInfo as I
from thrift.protocol import TBinaryProtocol
from thrift.transport import TSocket, TTransport
s = TSocket.TSocket(unix_socket=sys.argv[1]); t = TTransport.TBufferedTransport(s)
c = ExtensionManager.Client(TBinaryProtocol.TBinaryProtocol(t)); t.open()
col = [{"id": "column", "name": "a", "type": "TEXT", "op": "0"}]
def reg(name, registry, sdk="", minsdk=""):
    return c.registerExtension(I(name=name, version="1", sdk_version=sdk, min_sdk_version=minsdk), registry)
r = reg("pyext", {"table": {"other": col}}); assert (r.code, r.message) == (1, "Duplicate extension registered"), r
r = reg("x1", {"bogus": {}}); assert r.code == 1 and r.message == "Failed adding registry: Unknown registry: bogus", r
r = reg("x2", {"table": {"py_table": col}}); assert r.code == 1 and "conflicts with another item" in r.message, r
r = reg("x2b", {"table": {"osquery_registry": col}}); assert r.code == 1 and "conflicts" in r.message, r
r = reg("x3", {"table": {"t3": []}}); assert r.code == 1 and r.message == "Failed adding registry: Invalid route info", r
r = reg("x4", {"table": {"t4": col}}, sdk="1.7.6"); assert (r.code, r.message) == (1, "Incompatible extension SDK version"), r
r = reg("x5", {"table": {"t5": col}}, sdk="0.0.0"); assert r.code == 0 and 1 <= r.uuid <= 65535, r
r = c.deregisterExtension(r.uuid); assert (r.code, r.message, r.uuid) == (0, "OK", 0), r
r = c.deregisterExtension(123456); assert (r.code, r.message) == (1, "No extension UUID found"), r
r = reg("x6", {"table": {}, "config": {}, "logger": {}, "distributed": {}}); assert r.code == 0, r
r = c.ping(); assert (r.code, r.message) == (0, "pong"), r
PY

# Deregistering removes the table.
"$PY" "$PYEXT" call --socket "$SOCK" deregister "$uuid" | grep -q "^0 OK" || fail "deregister"
q "SELECT * FROM py_table" >/dev/null 2>&1 && fail "table still present after deregistration"
kill -0 "$SHELL_PID" || fail "hostqi died"
echo "ok"
