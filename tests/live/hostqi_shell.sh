#!/bin/bash
# hostqi as a user drives it: one-shot output modes, exit codes, flagfiles, SQL on stdin,
# dot-commands, the time budget and memory cap, and .watch's +/- differences.
set -u
: "${HOSTQI:?HOSTQI must point to the hostqi binary}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
pass=0

check() { # name, then a command that must succeed
	local name=$1
	shift
	if "$@"; then
		pass=$((pass + 1))
	else
		echo "FAIL: $name"
		fails=$((fails + 1))
	fi
}

# JSON: an array of objects with string values, NULL as "".
out=$("$HOSTQI" --json "SELECT 1 AS n, 'a\"b' AS s, NULL AS z")
check json-parses python3 -c '
import json, sys
rows = json.loads(sys.argv[1])
assert rows == [{"n": "1", "s": "a\"b", "z": ""}], rows' "$out"
check json-empty-array test "$("$HOSTQI" --json "SELECT 1 WHERE 0" | tr -d ' \n')" = "[]"

# csv/list: header then rows, '|' by default, --separator and --noheader honoured.
check csv-default test "$("$HOSTQI" --csv "SELECT 1 AS a, 2 AS b")" = $'a|b\n1|2'
check csv-separator test "$("$HOSTQI" --csv --separator , "SELECT 1 AS a, 2 AS b")" = $'a,b\n1,2'
check noheader test "$("$HOSTQI" --list --noheader "SELECT 1 AS a")" = "1"
check header-false test "$("$HOSTQI" --list --header=false "SELECT 1 AS a")" = "1"
check line-mode test "$("$HOSTQI" --line "SELECT 1 AS a, 2 AS bbb")" = $'  a = 1\nbbb = 2'

# Pretty mode draws a table.
pretty=$("$HOSTQI" "SELECT 'x' AS col")
check pretty test "$pretty" = $'+-----+\n| col |\n+-----+\n| x   |\n+-----+'

# Errors: SQL error -> "Error: ..." on stderr, exit 1; bad flag -> usage, exit 2.
"$HOSTQI" "SELEC 1" >"$tmp/out" 2>"$tmp/err"
check sql-error-exit test $? -eq 1
check sql-error-text grep -q '^Error: .*syntax error' "$tmp/err"
"$HOSTQI" --no_such_flag "SELECT 1" >/dev/null 2>"$tmp/err"
check bad-flag-exit test $? -eq 2
check bad-flag-usage grep -q 'Usage: hostqi' "$tmp/err"
"$HOSTQI" --version | grep -q '^hostqi version ' ; check version test $? -eq 0

# Flagfile in osquery syntax, comments and booleans spelled true/false.
printf '# output\n--csv=true\n\n--header=false\n--separator=;\n' >"$tmp/flags"
check flagfile test "$("$HOSTQI" --flagfile "$tmp/flags" "SELECT 1, 2")" = "1;2"

# osqueryd's flags are accepted too (one flagfile serves shell and daemon); a flagfile error
# names the file and line.
printf -- '--logger_plugin=filesystem\n--schedule_splay_percent=10\n--csv\n--noheader\n' >"$tmp/osq.flags"
check osquery-flagfile test "$("$HOSTQI" --flagfile "$tmp/osq.flags" "SELECT 7")" = "7"
printf -- '--csv\n--no_such_flag=1\n' >"$tmp/bad.flags"
"$HOSTQI" --flagfile "$tmp/bad.flags" "SELECT 1" >/dev/null 2>"$tmp/err"
check flagfile-error-exit test $? -eq 2
check flagfile-error-where grep -q "bad.flags:2: unknown flag --no_such_flag" "$tmp/err"

# SQL from standard input, several statements and a dot-command.
printf 'SELECT 1;\n.mode list\nSELECT 2\n  + 3;\n' | "$HOSTQI" --noheader >"$tmp/out"
check stdin-script test "$(tail -n 1 "$tmp/out")" = "5"

# Security: writes outside TEMP and ATTACH are refused.
"$HOSTQI" "ATTACH '$tmp/x.db' AS x" 2>"$tmp/err"
check attach-refused grep -q 'not authorized' "$tmp/err"
check no-file-created test ! -e "$tmp/x.db"

# Time budget and memory cap end runaway statements with an error, not a hang or crash.
"$HOSTQI" --query_timeout=0.3 \
	"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c" \
	>/dev/null 2>"$tmp/err"
check timeout-exit test $? -eq 1
check timeout-text grep -q 'interrupted' "$tmp/err"
"$HOSTQI" --query_memory_limit=16 \
	"SELECT length(group_concat(zeroblob(1000000))) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 100) SELECT x FROM c)" \
	>/dev/null 2>"$tmp/err"
check memcap-exit test $? -eq 1
check memcap-text grep -qi 'memory' "$tmp/err"

# Dot-commands.
check tables-cmd bash -c "'$HOSTQI' .tables >/dev/null"
check schema-unknown bash -c "! '$HOSTQI' '.schema no_such_table' 2>/dev/null"

# .watch prints + for rows that appear and - for rows that go, until interrupted.
echo a >"$tmp/watched"
"$HOSTQI" ".watch 0.2 SELECT 'row-' || (SELECT count(*) FROM temp.sqlite_master) AS r" \
	>"$tmp/watch" 2>&1 &
wpid=$!
sleep 0.7
kill -INT $wpid
wait $wpid
check watch-exit-clean test $? -eq 0
# Table aliases (etc_hosts -> hosts) are TEMP views, so the count is not necessarily 0.
check watch-plus grep -q '^+ row-[0-9][0-9]*$' "$tmp/watch"

echo "hostqi_shell: $pass passed, $fails failed"
[ "$fails" -eq 0 ]
