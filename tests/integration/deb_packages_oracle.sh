#!/bin/bash
# deb_packages / deb_package_files against the real dpkg: a database built under a temporary
# root by dpkg itself from tiny packages made with dpkg-deb (hold, rc, multi-arch pair, epoch,
# tilde version, versioned Source, purged package), compared row by row with
# `dpkg-query --admindir`. Then the live host: the (name, version, arch) set must equal
# `dpkg-query -W`.
set -u
: "${HOSTQI:?HOSTQI must point to the hostqi binary}"
for c in dpkg dpkg-deb dpkg-query; do
	command -v $c >/dev/null || {
		echo "no $c here"
		exit 77
	}
done
W=$(mktemp -d)
NSPID=
trap '[ -n "$NSPID" ] && kill $NSPID 2>/dev/null; rm -rf "$W"' EXIT
fails=0

fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

# mkdeb NAME VERSION ARCH [conf] [source]
mkdeb() {
	local n=$1 v=$2 a=$3 conf=${4:-} src=${5:-} d
	d=$(mktemp -d -p "$W")
	mkdir -p "$d/DEBIAN" "$d/usr/share/$n"
	echo "hello $n" >"$d/usr/share/$n/data.txt"
	{
		echo "Package: $n"
		echo "Version: $v"
		echo "Architecture: $a"
		echo "Maintainer: Test <test@example.invalid>"
		echo "Installed-Size: 12"
		echo "Section: misc"
		echo "Priority: optional"
		[ "$a" != all ] && echo "Multi-Arch: same"
		[ -n "$src" ] && echo "Source: $src"
		echo "Description: oracle test package $n"
		echo " Long description line."
		echo " Version: 9.9 (not a field)"
	} >"$d/DEBIAN/control"
	if [ -n "$conf" ]; then
		mkdir -p "$d/etc/$n"
		echo "key=value" >"$d/etc/$n/$n.conf"
		echo "/etc/$n/$n.conf" >"$d/DEBIAN/conffiles"
	fi
	dpkg-deb --root-owner-group -b "$d" "$W/${n}_${v#*:}_${a}.deb" >/dev/null || exit 1
	rm -rf "$d"
}

mkdeb rp-alpha 1.0-1 amd64 "" "rp-alpha-src (0.9-1)"
mkdeb rp-beta 2:3.4~rc1-0+deb12u1 all conf
mkdeb rp-multi 1.2 amd64 "" rp-multi-src
mkdeb rp-multi 1.2 i386 "" rp-multi-src
mkdeb rp-tilde 1.0~beta2 amd64
mkdeb rp-gone 5.0-3 all

R=$W/root
mkdir -p "$R/var/lib/dpkg/updates" "$R/var/lib/dpkg/info"
touch "$R/var/lib/dpkg/status"
D="dpkg --root=$R --force-not-root --force-script-chrootless --force-unsafe-io --log=$W/dpkg.log"
$D --add-architecture i386 || exit 1
$D -i "$W"/*.deb >/dev/null || exit 1
$D --remove rp-beta >/dev/null || exit 1
$D --purge rp-gone >/dev/null || exit 1
echo "rp-alpha hold" | $D --set-selections || exit 1

ADMIN=$R/var/lib/dpkg
# The journal an interrupted dpkg run leaves behind: dpkg-query folds updates/<digits> into
# status (a later entry replacing the record of the same package and architecture) and
# ignores other names such as tmp.i.
journal() {
	printf 'Package: %s\nStatus: %s\nPriority: optional\nSection: misc\nInstalled-Size: %s\nMaintainer: Test <test@example.invalid>\nArchitecture: %s\nVersion: %s\nDescription: journal entry\n' "$@"
	[ "$4" = all ] || echo "Multi-Arch: same"
}
journal rp-tilde "install ok half-configured" 13 amd64 1.0~beta3 >"$ADMIN/updates/0000"
journal rp-journal "install ok unpacked" 7 all 0.1-1 >"$ADMIN/updates/0001"
journal rp-tilde "install ok unpacked" 14 amd64 1.0~beta4 >"$ADMIN/updates/0002"
journal rp-alpha "purge ok not-installed" 1 amd64 9 >"$ADMIN/updates/tmp.i"
# The oracle: every field the table reports, from dpkg-query. Source loses its "(version)";
# the revision is what follows the last hyphen of the version.
oracle() {
	dpkg-query --admindir="$1" -W -f='${Package}|${Version}|${Source}|${Installed-Size}|${Architecture}|${Status}|${Maintainer}|${Section}|${Priority}\n' |
		while IFS='|' read -r p v s size a st m sec pri; do
			rev=""
			[[ $v == *-* ]] && rev=${v##*-}
			echo "$p|$v|${s%% (*}|$size|$a|$rev|$st|$m|$sec|$pri|$2"
		done | sort
}
COLS="name, version, source, size, arch, revision, status, maintainer, section, priority, admindir"

want=$(oracle "$ADMIN" /var/lib/dpkg)
got=$("$HOSTQI" --root "$R" --list --noheader --separator '|' "SELECT $COLS FROM deb_packages" | sort)
[ "$got" = "$want" ] || fail "rows under --root differ:"$'\n'"$(diff <(echo "$want") <(echo "$got"))"
# The states the recipe must produce, so the comparison above is not vacuous.
for row in "rp-alpha|1.0-1|rp-alpha-src|12|amd64|1|hold ok installed" \
	"rp-beta|2:3.4~rc1-0+deb12u1||12|all|0+deb12u1|deinstall ok config-files" \
	"rp-multi|1.2|rp-multi-src|12|amd64||install ok installed" \
	"rp-multi|1.2|rp-multi-src|12|i386||install ok installed" \
	"rp-tilde|1.0~beta4||14|amd64||install ok unpacked" \
	"rp-journal|0.1-1||7|all|1|install ok unpacked"; do
	grep -qF "$row|" <<<"$got" || fail "missing row $row"
done
grep -q '^rp-gone|' <<<"$got" && fail "purged package listed"
[ "$(wc -l <<<"$got")" = 6 ] || fail "expected 6 rows, got $(wc -l <<<"$got")"

# admindir as an input column (no --root): echoed into every row.
want=$(oracle "$ADMIN" "$ADMIN")
got=$("$HOSTQI" --list --noheader --separator '|' "SELECT $COLS FROM deb_packages WHERE admindir = '$ADMIN'" | sort)
[ "$got" = "$want" ] || fail "rows with admindir constraint differ"
n=$("$HOSTQI" --list --noheader "SELECT count(*) FROM deb_packages WHERE admindir = '$W/nonexistent'")
[ "$n" = 0 ] || fail "missing admindir should give 0 rows, got $n"

# pid_with_namespace: a process in its own mount namespace sees the test database at
# /var/lib/dpkg; reading through that pid must give the test rows, not the host's.
if unshare --mount true 2>/dev/null; then
	unshare --mount --propagation private bash -c \
		'mount --bind "$1" /var/lib/dpkg && exec sleep 60' _ "$ADMIN" &
	NSPID=$!
	for _ in $(seq 50); do
		[ "$(readlink /proc/$NSPID/ns/mnt)" != "$(readlink /proc/self/ns/mnt)" ] &&
			[ "$(readlink /proc/$NSPID/exe)" = "$(readlink -f "$(command -v sleep)")" ] && break
		sleep 0.05
	done
	want=$(oracle "$ADMIN" /var/lib/dpkg)
	got=$("$HOSTQI" --list --noheader --separator '|' "SELECT $COLS FROM deb_packages WHERE pid_with_namespace = $NSPID" | sort)
	[ "$got" = "$want" ] || fail "rows through pid_with_namespace differ"
	got=$("$HOSTQI" --list --noheader --separator '|' "SELECT DISTINCT pid_with_namespace, mount_namespace_id FROM deb_packages WHERE pid_with_namespace = $NSPID")
	ns=$(readlink /proc/$NSPID/ns/mnt | tr -dc '0-9')
	[ "$got" = "$NSPID|$ns" ] || fail "pid_with_namespace/mount_namespace_id: $got"
	kill $NSPID
	wait $NSPID 2>/dev/null
fi

# deb_package_files: dpkg -L for each package (both architectures of rp-multi).
for p in rp-alpha rp-beta rp-multi:amd64 rp-multi:i386 rp-tilde; do
	dpkg-query --admindir="$ADMIN" -L "$p" | sed "s|^|${p%%:*}\||"
done | sort -u >"$W/files.want"
"$HOSTQI" --root "$R" --list --noheader --separator '|' \
	"SELECT package, path FROM deb_package_files" | sort -u >"$W/files.got"
cmp -s "$W/files.want" "$W/files.got" || fail "deb_package_files differ:"$'\n'"$(diff "$W/files.want" "$W/files.got")"
got=$("$HOSTQI" --root "$R" --list --noheader "SELECT count(*) FROM deb_package_files WHERE package = 'rp-multi' AND path = '/usr/share/rp-multi/data.txt'")
[ "$got" = 2 ] || fail "rp-multi data.txt should be listed once per architecture, got $got"

# The live host: same (name, version, arch) set as dpkg-query -W.
if [ -r /var/lib/dpkg/status ]; then
	want=$(dpkg-query -W -f='${Package} ${Version} ${Architecture}\n' | sort)
	got=$("$HOSTQI" --list --noheader --separator ' ' "SELECT name, version, arch FROM deb_packages" | sort)
	[ "$got" = "$want" ] || fail "live host package set differs from dpkg-query -W"
	[ -n "$got" ] || fail "live host: no packages"
fi

[ $fails = 0 ] && echo "deb_packages oracle: all checks passed"
exit $((fails > 0))
