#!/bin/bash
# Hostile bytes on the manager socket: garbage, a message claiming a 2 GiB string, an oversized
# registration, a truncated message. Each connection is dropped; the agent keeps serving its
# registered extension and new clients.
. "$HQ_SRC/tests/integration/ext/common.sh"

start_shell
start_ext --name steady --table steady_t --rows 1
wait_for 10 has_ext steady || fail "steady did not register"

"$PY" - "$SOCK" <<'PY' || fail "garbage client"
import socket, struct, sys, time
path = sys.argv[1]
def send(data, half_close=True):
    """Sends data; with half_close the server sees EOF after it. Either way the server must
    close the connection (reading to EOF) within the timeout."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    try:
        s.sendall(data)
        if half_close:
            s.shutdown(socket.SHUT_WR)
    except (BrokenPipeError, ConnectionResetError):
        return
    s.settimeout(10)
    while True:
        try:
            got = s.recv(65536)
        except ConnectionResetError:
            break
        if not got:
            break
        # Whatever comes back may only be an exception reply (unknown method).
        assert got[:4] == b"\x80\x01\x00\x03", got[:40]
    s.close()
import os
send(os.urandom(4096))
send(b"\x00" * 64)
# strict header, CALL, method name claiming 2 GiB
send(struct.pack(">iI", -2147418111, 0x7FFFFFF0) + b"x" * 100, half_close=False)
# registerExtension with a string field claiming 100 MB (over the request limit)
name = b"registerExtension"
msg = struct.pack(">iI", -2147418111, len(name)) + name + struct.pack(">i", 0)
msg += b"\x0c" + struct.pack(">h", 1) + b"\x0b" + struct.pack(">h", 1) + struct.pack(">I", 100 << 20)
send(msg + b"a" * 65536, half_close=False)
# a map claiming 1e9 entries
msg = struct.pack(">iI", -2147418111, len(name)) + name + struct.pack(">i", 0)
msg += b"\x0d" + struct.pack(">h", 2) + b"\x0b\x0d" + struct.pack(">I", 1000000000)
send(msg, half_close=False)
# truncated message, then the peer goes away
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.connect(path); s.sendall(msg[:10]); s.close()
PY
"$PY" "$PYEXT" call --socket "$SOCK" ping | grep -q "^0 pong" || fail "manager stopped answering"
out=$(q "SELECT name FROM steady_t") || fail "steady table failed"
[ "$out" = '[{"name": "steady-1"}]' ] || fail "steady rows: $out"
kill -0 "$LAST_EXT" || fail "steady extension exited"
kill -0 "$SHELL_PID" || fail "hostqi died"
echo ok
