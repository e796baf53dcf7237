#!/bin/bash
# interface_addresses, interface_details, interface_ipv6, routes and arp_cache in a private
# network namespace: the test creates a veth pair, IPv4/IPv6/peer addresses, routes in the main
# and a numbered table, ARP entries and IPv6 sysctls, then compares hostq's rows with what it
# set up and with iproute2 (`ip -j`) and /proc/net/arp read in the same namespace.
. "$(dirname "$0")/lib/netns.bash" ip python3

unshare --net bash -s <<'EOF'
set -u
fails=0
fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}
q() { "$HOSTQI" --list --noheader --separator '|' "$1"; }

ip link set lo up
ip link add hqv0 type veth peer name hqv1 || { echo "no veth support"; exit 77; }
ip link set hqv0 address 02:00:00:00:aa:01 mtu 1400
ip link set hqv1 address 02:00:00:00:aa:02
ip link set hqv0 up
ip link set hqv1 up
ip addr add 10.77.0.1/24 brd + dev hqv0
ip addr add 10.77.0.5/24 dev hqv0 label hqv0:al
ip addr add 10.88.0.1 peer 10.88.0.2/32 dev hqv1
ip addr add fd77::1/64 dev hqv0 nodad
ip route add 10.99.0.0/16 via 10.77.0.2 dev hqv0 metric 7 mtu 1300 hoplimit 9
ip route add 10.66.0.0/24 dev hqv1 table 100
ip -6 route add fd99::/48 via fd77::2 dev hqv0 metric 55
ip neigh add 10.77.0.9 lladdr 02:00:00:00:00:09 dev hqv0 nud permanent
ip neigh add 10.77.0.10 lladdr 02:00:00:00:00:0a dev hqv0 nud stale
sysctl -qw net.ipv6.conf.hqv0.hop_limit=33
sysctl -qw net.ipv6.conf.hqv1.forwarding=1
sysctl -qw net.ipv6.conf.hqv1.accept_redirects=0

# The kernel adds each end's IPv6 link-local address (and its local route) asynchronously once
# the link has carrier: wait until both exist and left DAD, so hostq and iproute2 below see
# the same, settled state.
for _ in $(seq 100); do
	ll=$(ip -6 -o addr show scope link 2>/dev/null | grep -c 'hqv[01]')
	[ "$ll" -ge 2 ] && [ -z "$(ip -6 -o addr show tentative)" ] && break
	sleep 0.05
done

# interface_addresses: the rows the setup implies (getifaddrs semantics: labels name IPv4
# aliases, the ptp peer is the destination, an IPv4 address without brd reports itself).
got=$(q "SELECT interface, address, mask, broadcast, point_to_point, type FROM interface_addresses
	WHERE interface LIKE 'hqv%' AND address NOT LIKE 'fe80%'" | sort)
want=$(sort <<'ROWS'
hqv0|10.77.0.1|255.255.255.0|10.77.0.255||unknown
hqv0:al|10.77.0.5|255.255.255.0|10.77.0.5||unknown
hqv1|10.88.0.1|255.255.255.255|10.88.0.2||unknown
hqv0|fd77::1|ffff:ffff:ffff:ffff::|||unknown
ROWS
)
[ "$got" = "$want" ] || fail "interface_addresses:"$'\n'"$(diff <(echo "$want") <(echo "$got"))"
# Every address ip shows (with its prefix as a mask) is there, link-local ones with %scope.
ip -j addr show | python3 -c '
import ipaddress, json, sys
for link in json.load(sys.stdin):
    for a in link.get("addr_info", []):
        fam = 4 if a["family"] == "inet" else 6
        local, plen, ifname = a["local"], a["prefixlen"], link["ifname"]
        net = ipaddress.ip_network("%s/%d" % (local, plen), strict=False)
        addr = local + ("%" + ifname if local.startswith("fe80") else "")
        print("%s|%s" % (addr, net.netmask))' | sort >"$W/ip_addrs"
q "SELECT address, mask FROM interface_addresses" | sort >"$W/hq_addrs"
cmp -s "$W/ip_addrs" "$W/hq_addrs" || fail "addresses differ from ip -j addr:"$'\n'"$(diff "$W/ip_addrs" "$W/hq_addrs")"

# The whole table against glibc's getifaddrs() (what osquery reads), called through ctypes and
# formatted the way osquery does: numeric host with %scope, broadcast vs point_to_point by
# IFF_BROADCAST.
python3 - >"$W/gia_want" <<'PY'
import ctypes, socket, struct
class SA(ctypes.Structure):
    _fields_ = [("family", ctypes.c_ushort), ("data", ctypes.c_ubyte * 26)]
class IFA(ctypes.Structure):
    pass
IFA._fields_ = [("next", ctypes.POINTER(IFA)), ("name", ctypes.c_char_p), ("flags", ctypes.c_uint),
                ("addr", ctypes.POINTER(SA)), ("netmask", ctypes.POINTER(SA)),
                ("dst", ctypes.POINTER(SA)), ("data", ctypes.c_void_p)]
libc = ctypes.CDLL("libc.so.6")
head = ctypes.POINTER(IFA)()
assert libc.getifaddrs(ctypes.byref(head)) == 0
def fmt(p):
    if not p:
        return ""
    sa = p.contents
    raw = bytes(sa.data)
    if sa.family == socket.AF_INET:
        return socket.inet_ntop(socket.AF_INET, raw[2:6])
    if sa.family == socket.AF_INET6:
        a = socket.inet_ntop(socket.AF_INET6, raw[6:22])
        scope = struct.unpack("=I", raw[22:26])[0]
        return a + ("%" + socket.if_indextoname(scope) if scope else "")
    return ""
node = head
while node:
    i = node.contents
    if i.addr and i.addr.contents.family in (socket.AF_INET, socket.AF_INET6):
        dst = fmt(i.dst)
        bcast, ptp = (dst, "") if i.flags & 2 else ("", dst)
        print("|".join([i.name.decode(), fmt(i.addr), fmt(i.netmask), bcast, ptp, "unknown"]))
    node = i.next
PY
q "SELECT interface, address, mask, broadcast, point_to_point, type FROM interface_addresses" >"$W/gia_got"
sort -o "$W/gia_want" "$W/gia_want"
sort -o "$W/gia_got" "$W/gia_got"
[ -s "$W/gia_want" ] || fail "getifaddrs oracle printed nothing"
cmp -s "$W/gia_want" "$W/gia_got" || fail "interface_addresses differs from getifaddrs():"$'\n'"$(diff "$W/gia_want" "$W/gia_got")"

# interface_details: name, mac, mtu, type and flags as ip reports them; counters between two
# ip -s samples taken around the query (IPv6 ND traffic may still flow).
ip -j -s link show >"$W/before.json"
q "SELECT interface, mac, mtu, type, flags, ipackets, opackets, ibytes, obytes FROM interface_details" >"$W/details"
ip -j -s link show >"$W/after.json"
python3 - "$W/before.json" "$W/after.json" "$W/details" <<'PY' || fail "interface_details disagrees with ip -j -s link"
import json, sys
IFF = {"UP": 1, "BROADCAST": 2, "LOOPBACK": 8, "POINTOPOINT": 16, "NOARP": 128,
       "MULTICAST": 4096, "LOWER_UP": 65536, "RUNNING": 64}
before = {l["ifname"]: l for l in json.load(open(sys.argv[1]))}
after = {l["ifname"]: l for l in json.load(open(sys.argv[2]))}
rows = [r.split("|") for r in open(sys.argv[3]).read().split("\n") if r]
ok = True
assert {r[0] for r in rows} == set(before), (rows, list(before))
for name, mac, mtu, typ, flags, ipk, opk, ib, ob in rows:
    b, a = before[name], after[name]
    want_type = {"loopback": 772, "ether": 1}.get(b["link_type"], -1) & 0xff
    checks = [
        (mac, b.get("address", "00:00:00:00:00:00")),
        (int(mtu), b["mtu"]),
        (int(typ), want_type),
    ]
    for got, want in checks:
        if got != want:
            print(name, "got", got, "want", want); ok = False
    # ip prints flags by name; RUNNING is not among them, so compare the named bits only.
    named = sum(IFF[f] for f in b["flags"] if f in IFF)
    if int(flags) & named != named:
        print(name, "flags", flags, "lack", b["flags"]); ok = False
    for col, key, sub in ((ipk, "rx", "packets"), (opk, "tx", "packets"),
                          (ib, "rx", "bytes"), (ob, "tx", "bytes")):
        lo, hi = b["stats64"][key][sub], a["stats64"][key][sub]
        if not lo <= int(col) <= hi:
            print(name, key, sub, col, "not in", lo, hi); ok = False
sys.exit(0 if ok else 1)
PY
got=$(q "SELECT interface, pci_slot, last_change, metric FROM interface_details WHERE interface IN ('lo', 'hqv0')" | sort)
[ "$got" = $'hqv0||-1|0\nlo|-1|-1|0' ] || fail "pci_slot/last_change/metric: $got"

# interface_ipv6: the sysctls the test set.
got=$(q "SELECT interface, hop_limit, forwarding_enabled, redirect_accept FROM interface_ipv6 WHERE interface LIKE 'hqv%'" | sort)
[ "$got" = $'hqv0|33|0|1\nhqv1|64|1|0' ] || fail "interface_ipv6: $got"

# routes: the test's routes, including table 100 and the IPv6 one.
got=$(q "SELECT destination, netmask, gateway, interface, mtu, metric, type, hopcount FROM routes
	WHERE destination IN ('10.99.0.0', '10.66.0.0', 'fd99::', '10.77.0.0')" | sort)
want=$(sort <<'ROWS'
10.99.0.0|16|10.77.0.2|hqv0|1300|7|gateway|9
10.66.0.0|24||hqv1|0|0|gateway|0
fd99::|48|fd77::2|hqv0|0|55|gateway|0
10.77.0.0|24||hqv0|0|0|gateway|0
ROWS
)
[ "$got" = "$want" ] || fail "routes:"$'\n'"$(diff <(echo "$want") <(echo "$got"))"
got=$(q "SELECT source, type FROM routes WHERE destination = '10.77.0.1'")
[ "$got" = "10.77.0.1|local" ] || fail "local route: $got"
n=$(q "SELECT count(*) FROM routes WHERE type = 'broadcast'")
[ "$n" -ge 1 ] || fail "no broadcast routes listed"
# Same (destination, prefix) multiset as ip shows over all tables, IPv4 and IPv6.
{ ip -j -4 route show table all; ip -j -6 route show table all; } | python3 -c '
import json, sys
dec = json.JSONDecoder(); s = sys.stdin.read().strip(); i = 0
while i < len(s):
    routes, j = dec.raw_decode(s, i); i = j
    while i < len(s) and s[i].isspace(): i += 1
    for r in routes:
        d = r["dst"]
        if d == "default":
            d = "::/0" if ":" in r.get("gateway", r.get("prefsrc", "")) else "0.0.0.0/0"
        if "/" not in d:
            d += "/128" if ":" in d else "/32"
        print(d)' | sort >"$W/ip_routes"
q "SELECT destination || '/' || netmask FROM routes" | sort >"$W/hq_routes"
cmp -s "$W/ip_routes" "$W/hq_routes" || fail "routes differ from ip route show table all:"$'\n'"$(diff "$W/ip_routes" "$W/hq_routes")"

# arp_cache against /proc/net/arp of this namespace.
awk 'NR > 1 { print $1 "|" $4 "|" $6 "|" ($3 == "0x6" ? 1 : 0) }' /proc/net/arp | sort >"$W/arp_want"
q "SELECT address, mac, interface, permanent FROM arp_cache" | sort >"$W/arp_got"
cmp -s "$W/arp_want" "$W/arp_got" || fail "arp_cache differs from /proc/net/arp:"$'\n'"$(diff "$W/arp_want" "$W/arp_got")"
grep -q '^10.77.0.9|02:00:00:00:00:09|hqv0|1$' "$W/arp_got" || fail "permanent neighbour missing"
grep -q '^10.77.0.10|02:00:00:00:00:0a|hqv0|0$' "$W/arp_got" || fail "stale neighbour missing"

[ $fails = 0 ] && echo "interfaces in netns: all checks passed"
exit $((fails > 0))
EOF
