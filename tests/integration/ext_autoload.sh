#!/bin/bash
# --extensions_autoload: comment lines, directories, the safety rules (each refusal logged with
# its reason), --allow_unsafe, launch arguments, and supervision: a killed extension disappears
# with its table and comes back by relaunch.
. "$HQ_SRC/tests/integration/ext/common.sh"
[ "$(id -u)" -eq 0 ] || { echo "needs root to create files owned by another user"; exit 77; }

E="$T/exts"
mkdir -p "$E/dir" "$E/sticky" "$E/shared"
chmod 755 "$E" "$E/dir"
chmod 1755 "$E/sticky"
chmod 777 "$E/shared"
mkext() { # path name mode
	cat >"$1" <<SH
#!/bin/sh
echo "\$@" > "$T/args.$2"
exec "$PY" "$PYEXT" ext --name $2 --table ${2}_t --rows 1 "\$@"
SH
	chmod "$3" "$1"
}
mkext "$E/good.ext" good 755
mkext "$E/dir/indir.ext" indir 700
mkext "$E/noext.py" noext 755
mkext "$E/groupw.ext" groupw 775
mkext "$E/otherw.ext" otherw 757
mkext "$E/noexec.ext" noexec 644
mkext "$E/foreign.ext" foreign 755
chown nobody "$E/foreign.ext"
mkext "$E/sticky/sticky.ext" sticky 755
mkext "$E/shared/shared.ext" shared 755
cat >"$T/extensions.load" <<EOF2
# hostq autoload list
$E/good.ext
; also a comment
   $E/dir
$E/noext.py
$E/groupw.ext
$E/otherw.ext
$E/noexec.ext
$E/foreign.ext
$E/sticky/sticky.ext
$E/shared/shared.ext
$E/missing.ext
EOF2

start_shell --extensions_autoload "$T/extensions.load" --extensions_timeout 5
wait_for 15 has_ext good || fail "good.ext did not register"
wait_for 15 has_ext indir || fail "directory entry not loaded"
out=$(q "SELECT name FROM good_t") || fail "good_t"
[ "$out" = '[{"name": "good-1"}]' ] || fail "good_t rows: $out"
grep -q -- "--socket $SOCK --timeout 5 --interval 1" "$T/args.good" || fail "launch args: $(cat "$T/args.good")"
for n in noext groupw otherw noexec foreign sticky shared; do
	has_ext $n && fail "unsafe extension $n was loaded"
	[ -e "$T/args.$n" ] && fail "unsafe extension $n was started"
done
err() { grep -F "$1" "$T/shell.err" | grep -qF "$2" || fail "no refusal logged for $1 ($2)"; }
err noext.py "does not end in .ext"
err groupw.ext "writable by group or others"
err otherw.ext "writable by group or others"
err noexec.ext "not executable by its owner"
err foreign.ext "not owned by root"
err sticky.ext "sticky"
err shared.ext "world-writable"
err missing.ext "does not exist"

# Supervision: kill the extension; its registration and table go, a relaunch brings them back.
old=$(q "SELECT uuid FROM osquery_extensions WHERE name = 'good'")
pid=$(pgrep -f -- "--name good --table good_t") || fail "no good process"
kill -9 $pid
wait_for 20 grep -q "extension good .* removed" "$T/shell.err" || fail "dead extension not removed"
back() {
	local now
	now=$(q "SELECT uuid FROM osquery_extensions WHERE name = 'good'") && [ "$now" != "$old" ] &&
		[ "$now" != "[]" ] && q "SELECT name FROM good_t" | grep -q good-1
}
wait_for 30 back || fail "extension not relaunched"
pgrep -f -- "--name good --table good_t" | grep -vqx "$pid" || fail "no new process"
grep -q "relaunching" "$T/shell.err" || fail "relaunch not logged"

# Stop: extensions are terminated with the shell and the sockets removed.
exec 3>&-
wait "$SHELL_PID"; SHELL_PID=""
# (the bracket keeps pgrep from matching this very command line)
wait_for 15 bash -c '! pgrep -f -- "[-]-name good --table good_t"' || fail "extension survived the shell"
ls "$T"/hostq.em* 2>/dev/null && fail "sockets left behind"

# --allow_unsafe loads the permission-unsafe ones (with a warning), still not a missing suffix.
rm -f "$T/in" "$T"/args.*
start_shell --extensions_autoload "$T/extensions.load" --allow_unsafe
wait_for 15 has_ext otherw || fail "--allow_unsafe did not load otherw.ext"
grep -q "otherw.ext is unsafe" "$T/shell.err" || fail "no --allow_unsafe warning"
has_ext noext && fail "--allow_unsafe loaded a file without .ext"
echo ok
