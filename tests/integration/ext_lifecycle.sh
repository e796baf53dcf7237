#!/bin/bash
# Manager lifecycle: socket mode 0600, stale <socket>.* files removed at start and stop, a
# socket in a directory others can write is refused, --extensions_require waits for a name and
# fails after --extensions_timeout, --disable_extensions, and shutdown() reaching registered
# extensions when the agent stops.
. "$HQ_SRC/tests/integration/ext/common.sh"

# Refused: a socket directory writable by others.
mkdir -p "$T/open"
chmod 777 "$T/open"
"$HOSTQI" --extensions_socket "$T/open/x.em" --json "SELECT 1" 2>"$T/open.err" >/dev/null &&
	fail "socket in a world-writable directory accepted"
grep -q "writable only by this user" "$T/open.err" || fail "no reason given: $(cat "$T/open.err")"

# --extensions_require: nothing registers, start fails after the timeout.
"$HOSTQI" --extensions_socket "$SOCK" --extensions_require nobody_here --extensions_timeout 1 \
	--json "SELECT 1" >/dev/null 2>"$T/req.err" && fail "missing required extension accepted"
grep -q "nobody_here" "$T/req.err" || fail "require failure not explained: $(cat "$T/req.err")"

# --disable_extensions: no socket at all.
"$HOSTQI" --extensions_socket "$SOCK" --disable_extensions --json "SELECT 1" >/dev/null ||
	fail "--disable_extensions broke the shell"
[ -e "$SOCK" ] && fail "socket created with --disable_extensions"

# Stale extension sockets from a previous run go at start.
"$PY" -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$SOCK.4242"
start_shell
[ -e "$SOCK.4242" ] && fail "stale socket not removed at start"
[ "$(stat -c %a "$SOCK")" = 600 ] || fail "socket mode $(stat -c %a "$SOCK")"

# --extensions_require satisfied by a (late) extension.
start_ext --name late --table late_t --shutdown-file "$T/late.shutdown"
wait_for 10 has_ext late || fail "late did not register"
"$HOSTQI" --extensions_socket "$T/second.em" --extensions_require late --extensions_timeout 1 \
	--json "SELECT 1" >/dev/null 2>&1 && fail "require matched an extension of another manager"

# Stop: shutdown() reaches the extension, sockets are removed.
exec 3>&-
wait "$SHELL_PID"; SHELL_PID=""
wait_for 5 test -e "$T/late.shutdown" || fail "extension got no shutdown()"
wait_for 5 bash -c "! kill -0 $LAST_EXT" || fail "extension still running after shutdown()"
ls "$SOCK"* 2>/dev/null && fail "sockets left after stop"
# An extension that ignores SIGTERM is killed after the grace period when the shell stops.
mkdir -p "$T/exts"
chmod 755 "$T/exts"
printf '#!/bin/sh\necho $$ > "%s"\ntrap "" TERM\nexec sleep 1000\n' "$T/stubborn.pid" >"$T/exts/stubborn.ext"
chmod 755 "$T/exts/stubborn.ext"
"$HOSTQI" --extensions_socket "$SOCK" --extension "$T/exts/stubborn.ext" --extensions_timeout 1 \
	--json "SELECT 1" >/dev/null 2>"$T/stubborn.err" || fail "shell with a stubborn extension failed"
grep -q "ignored SIGTERM; killing it" "$T/stubborn.err" || fail "no SIGKILL after the grace period: $(cat "$T/stubborn.err")"
[ -s "$T/stubborn.pid" ] || fail "stubborn extension never started"
kill -0 "$(cat "$T/stubborn.pid")" 2>/dev/null && fail "stubborn extension survived"
echo ok
