#!/bin/bash
# dns_resolvers against glibc itself: for several resolv.conf variants bind-mounted over
# /etc/resolv.conf in a private mount namespace, python3 calls res_init() through ctypes and
# prints the IPv4 nameservers, sortlist, search list and options from glibc's _res state;
# hostq's rows must be the same.
set -u
: "${HOSTQI:?HOSTQI must point to the hostqi binary}"
command -v python3 >/dev/null || { echo "no python3"; exit 77; }
unshare --mount true 2>/dev/null || { echo "cannot create a mount namespace (needs root)"; exit 77; }
[ -e /etc/resolv.conf ] || { echo "no /etc/resolv.conf to bind over"; exit 77; }
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
fails=0

cat >"$W/oracle.py" <<'PY'
import ctypes, socket, struct
class SortEntry(ctypes.Structure):
    _fields_ = [("addr", ctypes.c_uint32), ("mask", ctypes.c_uint32)]
class ResState(ctypes.Structure):  # glibc struct __res_state, up to sort_list
    _fields_ = [("retrans", ctypes.c_int), ("retry", ctypes.c_int),
                ("options", ctypes.c_ulong), ("nscount", ctypes.c_int),
                ("nsaddr_list", ctypes.c_ubyte * 16 * 3), ("id", ctypes.c_ushort),
                ("dnsrch", ctypes.c_char_p * 7), ("defdname", ctypes.c_char * 256),
                ("pfcode", ctypes.c_ulong), ("ndots", ctypes.c_uint, 4),
                ("nsort", ctypes.c_uint, 4), ("ipv6_unavail", ctypes.c_uint, 1),
                ("unused", ctypes.c_uint, 23), ("sort_list", SortEntry * 10)]
libc = ctypes.CDLL("libc.so.6")
libc.__res_state.restype = ctypes.POINTER(ResState)
assert libc.__res_init() == 0
st = libc.__res_state().contents
for i in range(st.nscount):
    sa = bytes(st.nsaddr_list[i])
    if struct.unpack("=H", sa[:2])[0] == socket.AF_INET:
        print("%d|nameserver|%s|32|%d" % (i, socket.inet_ntoa(sa[4:8]), st.options))
for i in range(st.nsort):
    e = st.sort_list[i]
    print("%d|sortlist|%s|%d|%d" % (i, socket.inet_ntoa(struct.pack("=I", e.addr)), e.mask, st.options))
for i in range(6):
    if st.dnsrch[i]:
        print("%d|search|%s||%d" % (i, st.dnsrch[i].decode(), st.options))
PY

variant() { # name, then the file's lines
	local name=$1
	shift
	printf '%s\n' "$@" >"$W/$name.conf"
}
variant plain "nameserver 192.0.2.1"
variant many "nameserver 192.0.2.1" "nameserver 192.0.2.2" "nameserver 192.0.2.3" "nameserver 192.0.2.4" \
	"search a.example b.example c.example d.example e.example f.example g.example"
variant options "nameserver 10.0.0.1" "options rotate edns0 single-request trust-ad no-tld-query use-vc ndots:3 timeout:1" \
	"domain only.example"
variant domain_then_search "domain d.example" "search s1.example s2.example" "nameserver 10.1.1.1"
variant search_then_domain "search s1.example s2.example" "domain d.example" "nameserver 10.1.1.1"
variant sortlist "nameserver 10.0.0.1" "sortlist 130.155.160.0/255.255.240.0 130.155.0.0 10.1.0.0 192.168.1.0/255.255.255.0" \
	"options single-request-reopen no-reload no-aaaa"
variant comments "; comment" "# comment" "nameserver 10.9.9.9 # trailing" "options  rotate  inet6" "search x.example ; y"
variant empty_like "# nothing here"

for f in "$W"/*.conf; do
	name=$(basename "$f" .conf)
	out=$(unshare --mount bash -c '
		mount --bind "$1" /etc/resolv.conf || exit 2
		env -u LOCALDOMAIN -u RES_OPTIONS python3 "$2" | sort >"$3/$4.want"
		env -u LOCALDOMAIN -u RES_OPTIONS "$HOSTQI" --list --noheader --separator "|" \
			"SELECT id, type, address, netmask, options FROM dns_resolvers" | sort >"$3/$4.got"
	' _ "$f" "$W/oracle.py" "$W" "$name" 2>&1) || { echo "FAIL: $name: setup failed: $out"; fails=$((fails + 1)); continue; }
	if ! cmp -s "$W/$name.want" "$W/$name.got"; then
		echo "FAIL: $name differs from glibc res_init():"
		diff "$W/$name.want" "$W/$name.got"
		fails=$((fails + 1))
	fi
	[ -s "$W/$name.want" ] || { echo "FAIL: $name: empty oracle output"; fails=$((fails + 1)); }
done
[ $fails = 0 ] && echo "dns_resolvers oracle: all variants match glibc"
exit $((fails > 0))
