#!/bin/bash
# Live sanity of the network and package tables on this machine: every table answers
# SELECT *, the rows carry exactly the declared visible columns, integer columns hold integers,
# and typeof() matches the declared affinity; plus a few cross-checks with independent sources
# (dpkg-query, /proc/net/dev, the hosts view).
set -u
if [[ -z "${HOSTQI:-}" || ! -x "$HOSTQI" ]]; then
	echo "HOSTQI not set or not executable"
	exit 77
fi
command -v python3 >/dev/null || { echo "python3 missing"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}
q() { "$HOSTQI" --list --noheader --separator '|' "$1"; }

typecheck() { # table min-rows
	local table=$1 min=$2
	"$HOSTQI" --json "SELECT name, type, hidden FROM pragma_table_xinfo('$table')" >"$tmp/schema.json" &&
		"$HOSTQI" --json "SELECT * FROM $table" >"$tmp/rows.json" || {
		fail "$table: query failed"
		return
	}
	python3 - "$table" "$min" "$tmp/schema.json" "$tmp/rows.json" <<'PY' || fail "$table: type check"
import json, re, sys
table, minrows = sys.argv[1], int(sys.argv[2])
schema = json.load(open(sys.argv[3]))
rows = json.load(open(sys.argv[4]))
visible = [c["name"] for c in schema if c["hidden"] == "0"]
types = {c["name"]: c["type"] for c in schema}
ok = len(rows) >= minrows
if not ok:
    print(f"  {table}: {len(rows)} rows < {minrows}")
for i, row in enumerate(rows):
    if list(row) != visible:
        print(f"  {table}: row {i} columns {list(row)} != {visible}"); ok = False; break
    for k, v in row.items():
        if v != "" and types[k] in ("INTEGER", "BIGINT") and not re.fullmatch(r"-?[0-9]+", v):
            print(f"  {table}: row {i} {k} ({types[k]}) = {v!r}"); ok = False
print(f"  {table}: {len(rows)} rows checked")
sys.exit(0 if ok else 1)
PY
}

have_dpkg=0
[ -r /var/lib/dpkg/status ] && have_dpkg=1
typecheck deb_packages $have_dpkg
typecheck deb_package_files $have_dpkg
typecheck apt_sources 0
typecheck listening_ports 0
typecheck process_open_sockets 1
typecheck interface_addresses 1
typecheck interface_details 1
typecheck interface_ipv6 0
typecheck routes 1
typecheck arp_cache 0
typecheck etc_hosts 0
typecheck hosts 0
typecheck etc_services 0
typecheck etc_protocols 0
typecheck dns_resolvers 1

# Declared types reach SQLite as such (INTEGER columns are integers, not text).
got=$(q "SELECT DISTINCT typeof(size) FROM deb_packages WHERE size IS NOT NULL")
[ $have_dpkg = 0 ] || [ "$got" = integer ] || fail "deb_packages.size typeof: $got"
got=$(q "SELECT DISTINCT typeof(port) || typeof(pid) || typeof(socket) FROM listening_ports")
[ -z "$got" ] || [ "$got" = integerintegerinteger ] || fail "listening_ports typeof: $got"

# Cross-checks.
if [ $have_dpkg = 1 ] && command -v dpkg-query >/dev/null; then
	want=$(dpkg-query -W -f='${Package}\n' | sort -u | wc -l)
	got=$(q "SELECT count(DISTINCT name) FROM deb_packages")
	[ "$want" = "$got" ] || fail "deb_packages: $got names, dpkg-query $want"
	want=$(dpkg-query -L dpkg | sort -u | wc -l)
	got=$(q "SELECT count(DISTINCT path) FROM deb_package_files WHERE package = 'dpkg'")
	[ "$want" = "$got" ] || fail "deb_package_files dpkg: $got paths, dpkg -L $want"
fi
want=$(awk -F: 'NR > 2 { gsub(/ /, "", $1); print $1 }' /proc/net/dev | sort)
got=$(q "SELECT interface FROM interface_details" | sort)
[ "$want" = "$got" ] || fail "interface_details names differ from /proc/net/dev"
[ "$(q 'SELECT count(*) FROM hosts')" = "$(q 'SELECT count(*) FROM etc_hosts')" ] || fail "hosts view"
got=$(q "SELECT count(*) FROM routes WHERE type = 'local'")
[ "$got" -ge 1 ] || fail "no local routes"

[ $fails = 0 ] && echo "net_pkg_tables: all checks passed"
exit $((fails > 0))
