#!/bin/bash
# Regression guard for hostqi's start-up cost: the libraries only some tables or functions need
# (libcrypto, libsystemd, libnl-3, libnl-genl-3) are loaded with dlopen() on first use, and the
# extension manager's (GLib, GObject, libthrift_c_glib, and libssl/libcrypto behind it) only
# with the manager module when a manager starts: none of them may come back as DT_NEEDED entries
# of hostqi, nor be pulled in by its other dependencies (every start maps and relocates those).
# Also checks that the dlopen() paths work: digests with libcrypto present, and, in a private
# mount namespace where a library is hidden (bind-mounted /dev/null), that hostqi still starts
# and the tables that need it answer as on a host without it (0 rows, or a clear SQL error for
# the digest functions), and that a manager start without libcrypto (the module cannot load)
# reports it and runs the query anyway. Not a timing test.
set -u
: "${HOSTQI:?HOSTQI must point to the hostqi binary}"
command -v readelf >/dev/null || { echo "SKIP: readelf (binutils) is missing"; exit 77; }
fails=0

fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

ok() {
	echo "ok - $*"
}

needed=$(readelf -d "$HOSTQI" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p')
[ -n "$needed" ] || fail "readelf lists no NEEDED entries for $HOSTQI"
echo "hostqi DT_NEEDED:"
printf '  %s\n' $needed

lazy="libcrypto.so libsystemd.so libnl-3.so libnl-genl-3.so"
for lib in $lazy; do
	if printf '%s\n' $needed | grep -q "^$lib"; then
		fail "hostqi has a DT_NEEDED entry for $lib (it must be loaded with dlopen() on first use)"
	fi
done
# Nor any other libnl flavour (libnl-route-3, ...).
printf '%s\n' $needed | grep -q '^libnl' && fail "hostqi links a libnl library"
[ $fails = 0 ] && ok "no DT_NEEDED entry for libcrypto, libsystemd or libnl"

# The extension manager's libraries come with hostq-extensions.so, loaded when a manager starts.
f0=$fails
manager_libs='^lib(glib-2\.0|gobject-2\.0|gio-2\.0|gmodule-2\.0|thrift|ssl|crypto)[._-]'
for lib in $(printf '%s\n' $needed | grep -E "$manager_libs"); do
	fail "hostqi has a DT_NEEDED entry for $lib (the manager module brings it when needed)"
done
# Nor through another dependency: nothing in the start-up closure.
for lib in $(ldd "$HOSTQI" | awk '/=>/{print $1}' | grep -E "$manager_libs"); do
	printf '%s\n' $needed | grep -qx "$lib" ||
		fail "hostqi loads $lib at start-up through one of its dependencies"
done
[ $fails = "$f0" ] && ok "no GLib, GObject, Thrift, libssl or libcrypto at hostqi start-up"

# The dlopen() path with every library present: known digests (RFC 1321, FIPS 180-2).
got=$("$HOSTQI" --list --separator '|' --noheader \
	"SELECT md5('abc'), sha1(''), substr(sha256('abc'), 1, 16), to_base64('foobar')")
want="900150983cd24fb0d6963f7d28e17f72|da39a3ee5e6b4b0d3255bfef95601890afd80709|ba7816bf8f01cfea|Zm9vYmFy"
[ "$got" = "$want" ] && ok "digests through libcrypto" ||
	fail "digests through libcrypto: got '$got', want '$want'"

# Hiding libraries needs root and a private mount namespace.
if [ "$(id -u)" != 0 ] || ! command -v unshare >/dev/null || ! unshare --mount true 2>/dev/null; then
	echo "# cannot create a mount namespace here: the hidden-library checks are skipped"
	[ $fails = 0 ] && echo "ok" || echo "$fails failure(s)"
	exit $((fails > 0))
fi

libpath() { # soname -> its file, as the dynamic loader finds it
	ldconfig -p | awk -v l="$1" '$1 == l && /x86-64/ && !seen++ {print $NF}'
}
closure=$(ldd "$HOSTQI" | awk '/=>/{print $1}')

# Runs hostqi with the given sonames hidden; prints its stdout and stderr.
hidden_run() { # "sonames" sql
	local binds="" so p
	for so in $1; do
		p=$(libpath "$so")
		[ -n "$p" ] || { echo "no file for $so"; return 1; }
		binds="$binds mount --bind /dev/null '$p' &&"
	done
	unshare --mount sh -c "$binds \"\$0\" --list --separator '|' --noheader \"\$1\" 2>&1" \
		"$HOSTQI" "$2"
}

hideable() { # soname: hidden only when nothing hostqi needs at start-up pulls it in
	! printf '%s\n' $closure | grep -qx "$1"
}

if hideable libsystemd.so.0; then
	got=$(hidden_run libsystemd.so.0 "SELECT 1; SELECT count(*) FROM systemd_units")
	[ "$got" = "1
0" ] && ok "without libsystemd: hostqi starts, systemd_units has 0 rows" ||
		fail "without libsystemd: want '1' then 0 systemd_units rows, got '$got'"
else
	echo "# libsystemd.so.0 is still pulled in by another dependency: not hidden"
fi

if hideable libnl-genl-3.so.200 && hideable libnl-3.so.200; then
	got=$(hidden_run "libnl-genl-3.so.200 libnl-3.so.200" \
		"SELECT 1; SELECT count(*) FROM wifi_status; SELECT count(*) FROM wifi_survey")
	[ "$got" = "1
0
0" ] && ok "without libnl: hostqi starts, wifi_status and wifi_survey have 0 rows" ||
		fail "without libnl: want '1' then 0 wifi_status and 0 wifi_survey rows, got '$got'"
else
	echo "# libnl is still pulled in by another dependency: not hidden"
fi

# Nothing hostqi needs at start-up pulls libcrypto in any more (checked above): always hidden.
if hideable libcrypto.so.3; then
	got=$(hidden_run libcrypto.so.3 "SELECT 1")
	[ "$got" = "1" ] || fail "without libcrypto: SELECT 1 gave '$got'"
	got=$(hidden_run libcrypto.so.3 "SELECT md5('abc')")
	case $got in
	*"md5: digest not available: libcrypto.so.3 cannot be loaded"*)
		ok "without libcrypto: hostqi starts, md5() fails naming libcrypto.so.3" ;;
	*) fail "without libcrypto: md5() must fail naming libcrypto.so.3, got '$got'" ;;
	esac
	# A script on standard input starts a manager: the module cannot load (libthrift needs
	# libssl and libcrypto), so hostqi says so and answers without extensions.
	p=$(libpath libcrypto.so.3)
	sock_dir=$(mktemp -d)
	trap 'rm -rf "$sock_dir"' EXIT
	got=$(echo "SELECT 2; SELECT count(*) FROM osquery_extensions;" |
		unshare --mount sh -c "mount --bind /dev/null '$p' && \"\$0\" --list --noheader \
			--extensions_socket '$sock_dir/s.em' 2>'$sock_dir/err'; echo rc=\$?" "$HOSTQI")
	err=$(cat "$sock_dir/err")
	[ "$got" = "2
0
rc=0" ] || fail "without libcrypto: a script with a manager must still answer (2, 0, rc=0): '$got'"
	case $err in
	*"hostqi: extensions are unavailable: cannot load "*"hostq-extensions.so"*)
		ok "without libcrypto: a manager start reports the module cannot load, queries run" ;;
	*) fail "without libcrypto: no clear message about the manager module: '$err'" ;;
	esac
else
	fail "libcrypto.so.3 is pulled in at start-up by another dependency ($(
		for so in $closure; do
			p=$(libpath "$so")
			[ -n "$p" ] && readelf -d "$p" 2>/dev/null | grep -q 'NEEDED.*\[libcrypto' &&
				printf '%s ' "$so"
		done
	))"
fi

[ $fails = 0 ] && echo "ok" || echo "$fails failure(s)"
exit $((fails > 0))
