#!/bin/bash
# listening_ports / process_open_sockets in a private network namespace (loopback only): a
# python3 process opens TCP and UDP listeners on IPv4 and IPv6 plus UNIX stream and datagram
# sockets; hostq's rows must equal what `ss -ltnupx` reports, parsed here, and the seed join
# with processes must name the python process on every port.
. "$(dirname "$0")/lib/netns.bash" ip ss python3

unshare --net bash -s <<'EOF'
set -u
fails=0
fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}
ip link set lo up
python3 -c '
import os, socket, sys, time
w = sys.argv[1]
keep = []
def tcp(fam, addr, port):
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port)); s.listen(); keep.append(s)
def udp(fam, addr, port):
    s = socket.socket(fam, socket.SOCK_DGRAM); s.bind((addr, port)); keep.append(s)
tcp(socket.AF_INET, "127.0.0.1", 18080)
tcp(socket.AF_INET6, "::1", 18443)
udp(socket.AF_INET, "0.0.0.0", 15353)
udp(socket.AF_INET6, "::1", 15354)
u = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); u.bind(w + "/stream.sock"); u.listen(); keep.append(u)
d = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); d.bind(w + "/dgram.sock"); keep.append(d)
# A connected TCP pair must not show up as listening, but in process_open_sockets.
c = socket.create_connection(("127.0.0.1", 18080)); keep.append(c)
open(w + "/ready", "w").close()
time.sleep(60)
' "$W" &
PY=$!
for _ in $(seq 100); do [ -e "$W/ready" ] && break; sleep 0.05; done
[ -e "$W/ready" ] || { echo "listener did not start"; kill $PY; exit 1; }

# ss: "Netid State Recv-Q Send-Q Local Peer Process"; UNIX rows carry path and inode.
ss -H -ltnupx >"$W/ss.txt"
python3 - "$W/ss.txt" "$PY" >"$W/want.txt" <<'PYEOF'
import re, sys
rows = set()
for line in open(sys.argv[1]):
    f = line.split()
    if len(f) < 6:
        continue
    users = re.findall(r'pid=(\d+),fd=(\d+)', line)
    netid, local = f[0], f[4]
    if netid in ("u_str", "u_dgr", "u_seq"):
        for pid, fd in users or [("-1", "-1")]:
            rows.add(f"1|0||{local}|{pid}|{fd}")
        continue
    addr, port = local.rsplit(":", 1)
    addr = addr.strip("[]")
    addr = addr.split("%")[0]
    fam = 10 if ":" in addr else 2
    proto = 6 if netid == "tcp" else 17
    for pid, fd in users or [("-1", "-1")]:
        rows.add(f"{fam}|{proto}|{addr}|{port}|{pid}|{fd}")
for r in sorted(rows):
    print(r)
PYEOF
# Same shape from hostq: family|protocol|address|port|pid|fd, UNIX as 1|0||path|pid|fd. ss
# shows this namespace only; hostq also lists the namespaces other processes live in (the
# host's, here), so compare this namespace's rows.
outer_ns=$(readlink /proc/self/ns/net | tr -dc '0-9')
"$HOSTQI" --list --noheader --separator '|' \
	"SELECT family, protocol, CASE family WHEN 1 THEN '' ELSE address END,
	        CASE family WHEN 1 THEN path ELSE port END, pid, fd
	   FROM listening_ports WHERE net_namespace = '$outer_ns'" | sort >"$W/got.txt"
sort -o "$W/want.txt" "$W/want.txt"
if ! cmp -s "$W/want.txt" "$W/got.txt"; then
	fail "listening_ports differs from ss -ltnupx"
	diff "$W/want.txt" "$W/got.txt"
fi
# The comparison is only meaningful if the test's sockets are all there.
for want in "2|6|127.0.0.1|18080|$PY|" "10|6|::1|18443|$PY|" "2|17|0.0.0.0|15353|$PY|" \
	"10|17|::1|15354|$PY|" "1|0||$W/stream.sock|$PY|" "1|0||$W/dgram.sock|$PY|"; do
	grep -qF "$want" "$W/got.txt" || fail "missing $want"
done

# Without pid/fd columns there is no /proc walk (so only this namespace is listed), and this
# namespace's rows stay the same.
n1=$("$HOSTQI" --list --noheader "SELECT count(*) FROM listening_ports WHERE family != 1 AND net_namespace = '$outer_ns'")
n2=$(grep -vc '^1|' "$W/got.txt")
[ "$n1" = "$n2" ] || fail "row count without pid ($n1) differs from with pid ($n2)"
# A pid constraint walks only that process.
n=$("$HOSTQI" --list --noheader "SELECT count(*) FROM listening_ports WHERE pid = $PY")
[ "$n" = 6 ] || fail "pid = $PY should give 6 listening rows, got $n"

# process_open_sockets: the connection is there, ESTABLISHED; python holds the client end,
# the server end waits unaccepted in the backlog, so no process owns it (pid -1).
est=$("$HOSTQI" --list --noheader --separator '|' \
	"SELECT pid = $PY, local_port = 18080 FROM process_open_sockets WHERE state = 'ESTABLISHED'
	   AND local_address = '127.0.0.1' AND remote_address = '127.0.0.1'
	   AND net_namespace = '$outer_ns' ORDER BY 1")
[ "$est" = $'0|1\n1|0' ] || fail "expected the 2 ends of the connection, got: $est"
lis=$("$HOSTQI" --list --noheader --separator '|' \
	"SELECT local_port FROM process_open_sockets WHERE pid = $PY AND state = 'LISTEN' ORDER BY 1")
[ "$lis" = $'18080\n18443' ] || fail "LISTEN rows wrong: $lis"
# Same socket inodes as the process's fd links.
inodes=$(ls -l /proc/$PY/fd | grep -o 'socket:\[[0-9]*\]' | tr -dc '0-9\n' | sort -n | tr '\n' ' ')
ours=$("$HOSTQI" --list --noheader "SELECT socket FROM process_open_sockets WHERE pid = $PY" | sort -n | tr '\n' ' ')
[ "$inodes" = "$ours" ] || fail "socket inodes differ: fd links '$inodes' vs table '$ours'"

# The seed join from the docs.
join=$("$HOSTQI" --list --noheader --separator '|' \
	"SELECT p.name, l.address, l.port, p.pid FROM processes p JOIN listening_ports l ON p.pid = l.pid
	  WHERE l.family != 1 AND l.net_namespace = '$outer_ns' ORDER BY l.port")
name=$(cat /proc/$PY/comm)
want_join="$name|0.0.0.0|15353|$PY
$name|::1|15354|$PY
$name|127.0.0.1|18080|$PY
$name|::1|18443|$PY"
[ "$join" = "$want_join" ] || fail "seed join:"$'\n'"$join"

# A listener in a nested network namespace: netlink does not see it, so it must come from
# /proc/<pid>/net of that process, tagged with its namespace inode.
unshare --net python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 19090)); s.listen()
open(sys.argv[1], "w").close(); time.sleep(60)' "$W/inner.ready" &
INNER=$!
for _ in $(seq 100); do [ -e "$W/inner.ready" ] && break; sleep 0.05; done
inner_ns=$(readlink /proc/$INNER/ns/net | tr -dc '0-9')
got=$("$HOSTQI" --list --noheader --separator '|' \
	"SELECT pid, address, port, net_namespace FROM listening_ports WHERE port = 19090")
[ "$got" = "$INNER|127.0.0.1|19090|$inner_ns" ] || fail "nested namespace listener: '$got' (want pid $INNER ns $inner_ns)"
got=$("$HOSTQI" --list --noheader "SELECT DISTINCT net_namespace FROM listening_ports WHERE pid = $PY")
[ "$got" = "$outer_ns" ] || fail "outer net_namespace: '$got' want $outer_ns"
got=$("$HOSTQI" --list --noheader "SELECT count(*) FROM process_open_sockets WHERE pid = $INNER AND local_port = 19090 AND state = 'LISTEN'")
[ "$got" = 1 ] || fail "process_open_sockets of the nested namespace: $got"
kill $INNER

kill $PY
wait $PY 2>/dev/null
[ $fails = 0 ] && echo "sockets in netns: all checks passed"
exit $((fails > 0))
EOF
