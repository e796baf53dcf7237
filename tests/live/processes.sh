#!/bin/bash
# Live check of the processes table: starts its own children (a sleep with a marker argv[0],
# a copy of sleep whose file is then deleted, one whose file is replaced) and checks that
# hostqi reports them with the right pid, name, cmdline, parent, uid, path, on_disk and types.
# Only processes this test created are asserted on.
set -u

if [[ -z "${HOSTQI:-}" || ! -x "$HOSTQI" ]]; then
	echo "HOSTQI not set or not executable"
	exit 77
fi
if [[ ! -r /proc/self/stat ]]; then
	echo "no /proc"
	exit 77
fi

tmp=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null
	done
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

fails=0
fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}
check() { # name expected actual
	if [[ "$2" != "$3" ]]; then
		fail "$1: expected '$2', got '$3'"
	else
		echo "ok: $1 = '$3'"
	fi
}
q() {
	"$HOSTQI" --list --separator='|' --header=false "$1"
}

marker="hq-marker-$$"
(exec -a "$marker" sleep 1000) &
child=$!
pids+=("$child")

cp "$(type -P sleep)" "$tmp/hq-deleted-sleep"
"$tmp/hq-deleted-sleep" 1001 &
deleted=$!
pids+=("$deleted")

cp "$(type -P sleep)" "$tmp/hq-replaced-sleep"
"$tmp/hq-replaced-sleep" 1002 &
replaced=$!
pids+=("$replaced")

# Wait until the children have exec'd (their comm is no longer bash's).
for _ in $(seq 100); do
	ready=1
	for p in "$child" "$deleted" "$replaced"; do
		[[ "$(cat /proc/$p/comm 2>/dev/null)" == bash ]] && ready=0
	done
	((ready)) && break
	sleep 0.05
done
rm -f "$tmp/hq-deleted-sleep"
cp "$(type -P true)" "$tmp/hq-replaced-sleep.new"
mv -f "$tmp/hq-replaced-sleep.new" "$tmp/hq-replaced-sleep"

uid=$(id -u)
gid=$(id -g)
sleep_path=$(readlink -f "$(type -P sleep)")

row=$(q "SELECT pid, name, cmdline, parent, uid, gid, euid, egid, path, on_disk, state FROM processes WHERE pid = $child")
check "marker row" "$child|sleep|$marker 1000|$$|$uid|$gid|$uid|$gid|$sleep_path|1|S" "$row"

# The same process found by a full scan, with the pruned column set.
row=$(q "SELECT pid, parent, uid FROM processes WHERE cmdline = '$marker 1000'")
check "full scan finds marker" "$child|$$|$uid" "$row"
row=$(q "SELECT euid, egid FROM processes WHERE name = 'sleep' AND pid = $child")
check "euid/egid alone" "$uid|$gid" "$row"

row=$(q "SELECT path, on_disk FROM processes WHERE pid = $deleted")
check "deleted binary" "$tmp/hq-deleted-sleep|0" "$row"
row=$(q "SELECT path, on_disk FROM processes WHERE pid = $replaced")
check "replaced binary" "$tmp/hq-replaced-sleep|0" "$row"
row=$(q "SELECT on_disk FROM processes WHERE pid = $child")
check "on_disk alone" "1" "$row"

row=$(q "SELECT pid FROM processes WHERE pid IN ($child, $deleted, $replaced) ORDER BY pid")
expected=$(printf '%s\n' "$child" "$deleted" "$replaced" | sort -n)
check "IN list" "$expected" "$row"

row=$(q "SELECT cwd, root FROM processes WHERE pid = $child")
check "cwd and root" "$(readlink /proc/$child/cwd)|$(readlink /proc/$child/root)" "$row"

row=$(q "SELECT cgroup_path FROM processes WHERE pid = $child")
cg=$(sed -n 's/^0:://p' /proc/$child/cgroup)
[[ -z "$cg" ]] && cg=$(head -n1 /proc/$child/cgroup | cut -d: -f3-)
check "cgroup_path" "$cg" "$row"

# As root: a child under another uid (its pid directory's owner gives euid cheaply) and one
# whose real and effective ids differ (uid from status, euid from the owner or status).
if [[ $(id -u) == 0 ]] && command -v setpriv >/dev/null; then
	setpriv --reuid=65534 --regid=65534 --clear-groups sleep 1003 &
	other=$!
	pids+=("$other")
	setpriv --ruid=65534 --euid=65533 --rgid=65534 --egid=65533 --clear-groups sleep 1004 &
	mixed=$!
	pids+=("$mixed")
	for _ in $(seq 100); do
		[[ "$(cat /proc/$other/comm /proc/$mixed/comm 2>/dev/null)" == $'sleep\nsleep' ]] && break
		sleep 0.05
	done
	row=$(q "SELECT euid, egid FROM processes WHERE pid = $other")
	check "other user euid/egid (owner fast path)" "65534|65534" "$row"
	row=$(q "SELECT uid, euid, suid, gid, egid, sgid FROM processes WHERE pid = $other")
	check "other user ids" "65534|65534|65534|65534|65534|65534" "$row"
	row=$(q "SELECT euid, egid FROM processes WHERE pid = $mixed")
	check "mixed ids euid/egid" "65533|65533" "$row"
	row=$(q "SELECT uid, euid, gid, egid FROM processes WHERE pid = $mixed")
	check "mixed ids" "65534|65533|65534|65533" "$row"

	# Unprivileged, another user's io and links are unreadable: NULL cells, no error.
	if ! setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$HOSTQI"; then
		echo "hostqi not executable by nobody: skipping the unprivileged check"
	elif out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$HOSTQI" --list \
		--separator='|' --header=false \
		"SELECT typeof(cwd), typeof(disk_bytes_read), on_disk, name FROM processes WHERE pid = $child" 2>&1); then
		check "unprivileged view of root's child" "null|null|-1|sleep" "$out"
	else
		fail "hostqi as nobody failed: $out"
	fi
else
	echo "not root or no setpriv: skipping the other-uid checks"
fi

# The columns status can serve (when uid forces it anyway) equal the ones stat gives
# (resident_size aside: stat's rss skips the per-CPU parts of the counters).
ours="$child, $deleted, $replaced"
a=$(q "SELECT pid, name, state, parent, threads, total_size, uid FROM processes WHERE pid IN ($ours) ORDER BY pid")
b=$(q "SELECT pid, name, state, parent, threads, total_size, nice FROM processes WHERE pid IN ($ours) ORDER BY pid")
check "status-served columns equal stat ones" "$(cut -d'|' -f1-6 <<<"$b")" "$(cut -d'|' -f1-6 <<<"$a")"

# start_time is an epoch in the last hour; sizes and threads are sane.
now=$(date +%s)
row=$(q "SELECT start_time, resident_size > 0, total_size >= resident_size, threads, wired_size FROM processes WHERE pid = $child")
IFS='|' read -r st rss_ok tot_ok threads wired <<<"$row"
if ((st < now - 3600 || st > now + 5)); then
	fail "start_time $st not near now $now"
else
	echo "ok: start_time $st"
fi
check "resident/total/threads/wired" "1|1|1|0" "$rss_ok|$tot_ok|$threads|$wired"

# Column types: every visible column of our own child has its declared SQLite type.
cols=(pid name path cmdline state cwd root uid gid euid egid suid sgid on_disk wired_size
	resident_size total_size user_time system_time disk_bytes_read disk_bytes_written
	start_time parent pgroup threads nice cgroup_path)
types=(integer text text text text text text integer integer integer integer integer integer
	integer integer integer integer integer integer integer integer integer integer integer
	integer integer text)
sel=$(printf 'typeof(%s),' "${cols[@]}")
row=$(q "SELECT ${sel%,} FROM processes WHERE pid = $child")
check "column types" "$(
	IFS='|'
	echo "${types[*]}"
)" "$row"

# Over every process, each column is its type or NULL (other users' io/links may be hidden).
for i in "${!cols[@]}"; do
	bad=$(q "SELECT count(*) FROM processes WHERE typeof(${cols[$i]}) NOT IN ('${types[$i]}', 'null')")
	[[ "$bad" == 0 ]] || fail "column ${cols[$i]} has $bad values that are not ${types[$i]}"
done
n=$(q "SELECT count(*) FROM processes WHERE pid > 0 AND parent >= 0")
((n >= 3)) || fail "full scan returned $n rows"
hidden=$(q "SELECT count(*) FROM processes WHERE elevated_token IS NOT NULL OR upid IS NOT NULL")
check "hidden other-OS columns are NULL" "0" "$hidden"

# Processes that exit mid-scan are skipped, never an error: churn short-lived children while
# scanning everything.
(
	end=$((SECONDS + 3))
	while ((SECONDS < end)); do
		"$(type -P true)"
	done
) &
churn=$!
pids+=("$churn")
for i in $(seq 30); do
	if ! out=$("$HOSTQI" --list --header=false "SELECT * FROM processes" 2>&1 >/dev/null); then
		fail "scan $i during process churn failed: $out"
		break
	fi
done
echo "ok: 30 full scans during process churn"

if ((fails)); then
	echo "$fails failure(s)"
	exit 1
fi
echo "all ok"
