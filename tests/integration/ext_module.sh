#!/bin/bash
# hostqi's extension manager module (hostq-extensions.so): loaded only when a manager starts
# (never for a one-shot query), exporting one entry point; found next to hostqi, through
# $HOSTQ_MODULE_DIR, and in a relocated install prefix; and when it is missing or not a hostq
# module, hostqi says why and runs queries without extensions (--extensions_require still
# fails). Not a timing test.
. "$HQ_SRC/tests/integration/ext/common.sh"
: "${HQ_BUILD:?}"
command -v nm >/dev/null || { echo "nm (binutils) missing"; exit 77; }

mod="$(dirname "$HOSTQI")/hostq-extensions.so"
[ -f "$mod" ] || fail "no module next to hostqi: $mod"
exports=$(nm -D --defined-only "$mod" | awk '$2 ~ /^[TDBVW]$/ {sub(/@.*/, "", $3); print $3}')
[ "$exports" = "hq_extensions_module_init" ] || fail "module exports more than its entry: $exports"

# Which files the dynamic loader opens (LD_DEBUG=files lists each "file=..." it loads).
loaded() { grep -oE 'file=[^ ]+' "$1" | sed 's/^file=//' | sort -u; }

# A one-shot query starts no manager: neither the module nor GLib is loaded.
LD_DEBUG=files "$HOSTQI" --json "SELECT count(*) AS n FROM osquery_registry WHERE name = 'osquery_registry'" \
	>"$T/one.out" 2>"$T/one.err" || fail "one-shot query: $(cat "$T/one.err")"
grep -q '"n":"1"' "$T/one.out" || fail "osquery_registry without a manager: $(cat "$T/one.out")"
loaded "$T/one.err" | grep -q 'libc\.so' || fail "LD_DEBUG=files lists nothing: $(head -5 "$T/one.err")"
loaded "$T/one.err" | grep -E 'hostq-extensions|libglib|libthrift' &&
	fail "a one-shot query loaded the manager's libraries"

# A script on standard input starts one: the module is loaded and the manager answers.
echo "SELECT name, type, path FROM osquery_extensions;" |
	LD_DEBUG=files "$HOSTQI" --list --noheader --extensions_socket "$SOCK" >"$T/script.out" \
		2>"$T/script.err" || fail "script with a manager: $(grep -v '^ *[0-9]*:' "$T/script.err")"
[ "$(cat "$T/script.out")" = "core|core|$SOCK" ] || fail "manager rows: $(cat "$T/script.out")"
loaded "$T/script.err" | grep -qx "$mod" || fail "the module was not loaded from next to hostqi"
grep -q 'hostqi: extensions' "$T/script.err" && fail "unexpected message: $(grep hostqi: "$T/script.err")"

# $HOSTQ_MODULE_DIR without the module: a clear message naming where it looked, the query runs.
out=$(echo "SELECT 7; SELECT count(*) FROM osquery_extensions;" |
	HOSTQ_MODULE_DIR="$T/none" "$HOSTQI" --list --noheader --extensions_socket "$SOCK" \
		2>"$T/none.err") || fail "missing module failed the script: $(cat "$T/none.err")"
[ "$out" = "7
0" ] || fail "missing module: want 7 and no extensions, got '$out'"
grep -qF "hostqi: extensions are unavailable: hostq-extensions.so not found (looked for $T/none/hostq-extensions.so)" \
	"$T/none.err" || fail "missing module message: $(cat "$T/none.err")"
[ -e "$SOCK" ] && fail "a socket without a manager"
# --extension asks for a manager too: same message, the query still runs, nothing launched.
out=$(HOSTQ_MODULE_DIR="$T/none" "$HOSTQI" --list --noheader --extensions_socket "$SOCK" \
	--extension "$HQ_BUILD/example_table.ext" "SELECT 8" 2>"$T/ext.err") ||
	fail "missing module with --extension: $(cat "$T/ext.err")"
[ "$out" = 8 ] || fail "missing module with --extension: '$out'"
grep -q "extensions are unavailable" "$T/ext.err" || fail "no message with --extension"
# An SQL error keeps its exit status.
HOSTQ_MODULE_DIR="$T/none" "$HOSTQI" --extensions_socket "$SOCK" "SELECT * FROM no_such_table" \
	>/dev/null 2>&1 && fail "SQL error exited 0 without the module"
# Required extensions cannot register without the module: the start fails, as it would.
HOSTQ_MODULE_DIR="$T/none" "$HOSTQI" --extensions_socket "$SOCK" --extensions_require x \
	--extensions_timeout 1 "SELECT 1" >/dev/null 2>"$T/req.err" &&
	fail "--extensions_require accepted without the module"
grep -q "extensions are unavailable" "$T/req.err" || fail "require: $(cat "$T/req.err")"

# A library that is not a hostq module.
mkdir -p "$T/wrong"
sdk=$(find "$HQ_BUILD" -name 'libhostq-extension.so*' -type f | head -n 1)
if [ -n "$sdk" ]; then
	cp "$sdk" "$T/wrong/hostq-extensions.so"
	out=$(echo "SELECT 9;" | HOSTQ_MODULE_DIR="$T/wrong" "$HOSTQI" --list --noheader \
		--extensions_socket "$SOCK" 2>"$T/wrong.err") || fail "wrong module failed the script"
	[ "$out" = 9 ] || fail "wrong module: '$out'"
	grep -qF "$T/wrong/hostq-extensions.so: no hq_extensions_module_init in it" "$T/wrong.err" ||
		fail "wrong module message: $(cat "$T/wrong.err")"
fi

# A relocated install: hostqi in <prefix>/<bindir> finds <prefix>/<libdir>/hostq on its own.
cmake --install "$HQ_BUILD" --prefix "$T/prefix" >"$T/install.log" 2>&1 ||
	fail "install: $(cat "$T/install.log")"
bindir=$(sed -n 's/^CMAKE_INSTALL_BINDIR:[A-Z]*=//p' "$HQ_BUILD/CMakeCache.txt")
libdir=$(sed -n 's/^CMAKE_INSTALL_LIBDIR:[A-Z]*=//p' "$HQ_BUILD/CMakeCache.txt")
[ -f "$T/prefix/${libdir:-lib}/hostq/hostq-extensions.so" ] ||
	fail "module not installed to <libdir>/hostq: $(find "$T/prefix" -name 'hostq-ext*')"
mkdir -p "$T/prefix/${bindir:-bin}"
cp "$HOSTQI" "$T/prefix/${bindir:-bin}/hostqi"
out=$(echo "SELECT type FROM osquery_extensions;" |
	LD_DEBUG=files "$T/prefix/${bindir:-bin}/hostqi" --list --noheader --extensions_socket "$SOCK" \
		2>"$T/inst.err") || fail "installed hostqi: $(grep -v '^ *[0-9]*:' "$T/inst.err")"
[ "$out" = core ] || fail "installed hostqi has no manager: '$out'"
loaded "$T/inst.err" | grep -q "^$T/prefix/.*hostq-extensions.so$" ||
	fail "installed hostqi did not load the installed module: $(loaded "$T/inst.err" | grep hostq)"
echo ok
