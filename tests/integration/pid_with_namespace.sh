#!/bin/bash
# pid_with_namespace on etc_hosts, dns_resolvers and apt_sources: a process in a private mount
# namespace sees fixture files bind-mounted over /etc/hosts, /etc/resolv.conf, /etc/apt and
# /var/lib/apt/lists; querying through its pid must return the fixture's rows (the same rows
# the tables give with --root on the fixture), tagged with that pid, while a query without the
# input keeps reading the host's files.
set -u
: "${HOSTQI:?HOSTQI must point to the hostqi binary}"
: "${HQ_SRC:?HQ_SRC must point to the source tree}"
unshare --mount true 2>/dev/null || { echo "cannot create a mount namespace (needs root)"; exit 77; }
for f in /etc/hosts /etc/resolv.conf; do
	[ -e $f ] || { echo "no $f to bind over"; exit 77; }
done
[ -d /etc/apt ] && [ -d /var/lib/apt/lists ] || { echo "no APT directories to bind over"; exit 77; }
FX=$HQ_SRC/tests/fixtures/sysroots
W=$(mktemp -d)
NSPID=
trap '[ -n "$NSPID" ] && kill $NSPID 2>/dev/null; rm -rf "$W"' EXIT
fails=0
fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}
q() { "$HOSTQI" --list --noheader --separator '|' "$@"; }

unshare --mount --propagation private bash -c '
	mount --bind "$1/netfiles/etc/hosts" /etc/hosts &&
	mount --bind "$1/netfiles/etc/resolv.conf" /etc/resolv.conf &&
	mount --bind "$1/apt/etc/apt" /etc/apt &&
	mount --bind "$1/apt/var/lib/apt/lists" /var/lib/apt/lists &&
	touch "$2/ready" && exec sleep 60' _ "$FX" "$W" &
NSPID=$!
for _ in $(seq 100); do [ -e "$W/ready" ] && break; sleep 0.05; done
[ -e "$W/ready" ] || { echo "namespace setup failed"; exit 1; }
sleep 0.1 # let the shell exec sleep

check() { # table columns fixture-root
	local t=$1 cols=$2 root=$3 want got
	want=$(q --root "$FX/$root" "SELECT $cols FROM $t" | sort)
	got=$(q "SELECT $cols FROM $t WHERE pid_with_namespace = $NSPID" | sort)
	[ -n "$want" ] || fail "$t: fixture gives no rows"
	[ "$got" = "$want" ] || fail "$t through pid $NSPID:"$'\n'"$(diff <(echo "$want") <(echo "$got"))"
	got=$(q "SELECT DISTINCT pid_with_namespace FROM $t WHERE pid_with_namespace = $NSPID")
	[ "$got" = "$NSPID" ] || fail "$t: pid_with_namespace column '$got'"
	host=$(q "SELECT $cols FROM $t" | sort)
	[ "$host" != "$want" ] || fail "$t: host rows equal the fixture's; the test proves nothing"
}
check etc_hosts "address, hostnames" netfiles
check dns_resolvers "id, type, address, netmask, options" netfiles
check apt_sources "name, source, base_uri, release, version, maintainer, components" apt
n=$(q "SELECT count(*) FROM etc_hosts WHERE pid_with_namespace = 999999999")
[ "$n" = 0 ] || fail "a missing pid gives rows: $n"

[ $fails = 0 ] && echo "pid_with_namespace: all checks passed"
exit $((fails > 0))
