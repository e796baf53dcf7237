#!/bin/bash
# systemd integration without systemd: a datagram socket stands in for NOTIFY_SOCKET; hostqd
# (watcher mode and --disable_watchdog mode) must send READY=1 and WATCHDOG=1 pings when
# WATCHDOG_USEC asks for them, and STOPPING=1 on SIGTERM.
. "$(dirname "$0")/lib/hostqd.bash"
command -v python3 >/dev/null || { echo "python3 missing"; exit 77; }

echo '{"schedule": {"q": {"query": "SELECT 1 AS one", "interval": 1}}}' >"$HQ_TMP/hostq.conf"

run_mode() {
	local out=$HQ_TMP/notify-$1.txt
	shift
	python3 - "$HQ_TMP/notify.sock" "$out" <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(0.2)
end = time.time() + 6
with open(sys.argv[2], "w") as f:
    while time.time() < end:
        try:
            f.write(s.recv(4096).decode().replace("\n", " ") + "\n")
            f.flush()
        except socket.timeout:
            pass
PY
	local listener=$!
	wait_for 5 test -S "$HQ_TMP/notify.sock" || fail "listener did not start"
	NOTIFY_SOCKET=$HQ_TMP/notify.sock WATCHDOG_USEC=400000 hq_start "$@"
	local main_pid=$HQD_PID
	wait_for 5 grep -q WATCHDOG=1 "$out" || fail "no READY/WATCHDOG ($*): $(cat "$out")"
	grep -q "READY=1" "$out" || fail "no READY=1 ($*)"
	sleep 1
	[ "$(grep -c WATCHDOG=1 "$out")" -ge 3 ] || fail "watchdog pings stopped ($*)"
	hq_stop
	wait "$listener" || true
	rm -f "$HQ_TMP/notify.sock"
	grep -q "READY=1.*MAINPID=$main_pid" "$out" || fail "MAINPID is not the main process: $(cat "$out")"
	grep -q STOPPING=1 "$out" || fail "no STOPPING=1 ($*)"
}
run_mode watcher
run_mode single --disable_watchdog
echo PASS
