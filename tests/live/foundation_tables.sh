#!/bin/bash
# Live sanity of the foundation tables on this machine: SELECT * from each one (file and hash
# with a path constraint) must return values that parse as the declared column types and the
# columns SELECT * should show; then values are compared with independent sources: getent,
# /etc/os-release, /proc/uptime, uname, stat(1), sha256sum/sha1sum/md5sum on files this test
# creates with modes it sets.
set -u

if [[ -z "${HOSTQI:-}" || ! -x "$HOSTQI" ]]; then
	echo "HOSTQI not set or not executable"
	exit 77
fi
if ! command -v python3 >/dev/null; then
	echo "python3 missing (packaging/deps.sh installs it)"
	exit 77
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

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

# Type check: the declared schema (pragma_table_xinfo) against the JSON rows of SELECT *.
# Integer types must be integers, DOUBLE a number, NULL shows as "" in --json output.
typecheck() { # table where-clause min-rows
	local table=$1 where=$2 min=$3
	"$HOSTQI" --json "SELECT name, type, hidden FROM pragma_table_xinfo('$table')" \
		>"$tmp/schema.json" || {
		fail "$table: schema query failed"
		return
	}
	"$HOSTQI" --json "SELECT * FROM $table $where" >"$tmp/rows.json" || {
		fail "$table: SELECT * failed"
		return
	}
	if python3 - "$table" "$min" "$tmp/schema.json" "$tmp/rows.json" <<'PY'; then
import json, re, sys
table, minrows = sys.argv[1], int(sys.argv[2])
schema = json.load(open(sys.argv[3]))
rows = json.load(open(sys.argv[4]))
visible = [c["name"] for c in schema if c["hidden"] == "0"]
types = {c["name"]: c["type"] for c in schema}
ok = True
def bad(msg):
    global ok
    ok = False
    print(f"  {table}: {msg}")
if len(rows) < minrows:
    bad(f"{len(rows)} rows, expected at least {minrows}")
for i, row in enumerate(rows):
    if list(row.keys()) != visible:
        bad(f"row {i} columns {list(row.keys())} != declared visible columns {visible}")
        continue
    for name, value in row.items():
        t = types[name]
        if not isinstance(value, str):
            bad(f"row {i} {name}: not a string in JSON: {value!r}")
        elif value == "":
            continue
        elif t in ("INTEGER", "BIGINT") and not re.fullmatch(r"-?[0-9]+", value):
            bad(f"row {i} {name} ({t}): {value!r}")
        elif t == "UNSIGNED BIGINT" and not re.fullmatch(r"[0-9]+", value):
            bad(f"row {i} {name} ({t}): {value!r}")
        elif t == "DOUBLE":
            try:
                float(value)
            except ValueError:
                bad(f"row {i} {name} ({t}): {value!r}")
print(f"  {table}: {len(rows)} rows, {len(visible)} columns checked")
sys.exit(0 if ok else 1)
PY
		echo "ok: $table types"
	else
		fail "$table: type check"
	fi
}

# Files this test owns, with modes it sets.
mkdir "$tmp/d"
printf 'hostq live hash test\n' >"$tmp/d/data.bin"
head -c 200000 /dev/urandom >"$tmp/d/random.bin"
chmod 0640 "$tmp/d/data.bin"
chmod 4750 "$tmp/d/random.bin"
ln -s data.bin "$tmp/d/link"
mkfifo "$tmp/d/fifo"

typecheck os_version "" 1
typecheck system_info "" 1
typecheck kernel_info "" 1
typecheck uptime "" 1
typecheck users "" 1
typecheck groups "" 1
typecheck time "" 1
typecheck osquery_info "" 1
typecheck file "WHERE path LIKE '$tmp/d/%'" 4
typecheck file "WHERE directory = '/etc'" 5
typecheck hash "WHERE directory = '$tmp/d'" 3

# users / groups against NSS (root is a local account everywhere).
IFS=: read -r name _ uid gid gecos home shell < <(getent passwd root)
check "users root" "$uid|$gid|$uid|$gid|$name|$gecos|$home|$shell" \
	"$(q "SELECT uid, gid, uid_signed, gid_signed, username, description, directory, shell FROM users WHERE uid = 0")"
check "users root by name" "0" "$(q "SELECT uid FROM users WHERE username = 'root'")"
check "users count = passwd entries" "$(grep -cE '^[^#+-][^:]*:[^:]*:[0-9]+:[0-9]+:' /etc/passwd)" \
	"$(q "SELECT count(*) FROM users")"
IFS=: read -r gname _ ggid _ < <(getent group root)
check "groups root" "$ggid|$gname" "$(q "SELECT gid, groupname FROM groups WHERE gid = 0")"

# os_version against /etc/os-release, read by the shell.
if [[ -r /etc/os-release ]]; then
	(
		. /etc/os-release
		echo "${NAME:-}|${VERSION:-}|${ID:-}|${ID_LIKE:-}|${VERSION_CODENAME:-}|${VERSION_ID%%.*}"
	) >"$tmp/osr"
	check "os_version vs /etc/os-release" "$(cat "$tmp/osr")" \
		"$(q "SELECT name, ifnull(version, ''), platform, ifnull(platform_like, ''), ifnull(codename, ''), major FROM os_version")"
fi
check "os_version arch" "$(uname -m)" "$(q "SELECT arch FROM os_version")"

# uptime between two reads of /proc/uptime.
before=$(cut -d. -f1 /proc/uptime)
total=$(q "SELECT total_seconds FROM uptime")
after=$(cut -d. -f1 /proc/uptime)
if [[ "$total" =~ ^[0-9]+$ ]] && ((total >= before && total <= after)); then
	echo "ok: uptime $total in [$before, $after]"
else
	fail "uptime total_seconds '$total' not in [$before, $after]"
fi
check "uptime split" "$total" \
	"$(q "SELECT days * 86400 + hours * 3600 + minutes * 60 + seconds FROM uptime")"

# kernel_info, system_info, time.
check "kernel_info version" "$(uname -r)" "$(q "SELECT version FROM kernel_info")"
check "system_info computer_name" "$(uname -n)" "$(q "SELECT computer_name FROM system_info")"
check "system_info cpu_type" "$(uname -m)" "$(q "SELECT cpu_type FROM system_info")"
check "system_info logical cores" "$(grep -c '^processor' /proc/cpuinfo)" \
	"$(q "SELECT cpu_logical_cores FROM system_info")"
check "system_info physical_memory" "$(($(awk '/^MemTotal:/ {print $2}' /proc/meminfo) * 1024))" \
	"$(q "SELECT physical_memory FROM system_info")"
t0=$(date +%s)
row=$(q "SELECT unix_time, timezone FROM time")
t1=$(date +%s)
ut=${row%%|*}
if ((ut >= t0 && ut <= t1)) && [[ "${row#*|}" == UTC ]]; then
	echo "ok: time $row in [$t0, $t1]"
else
	fail "time '$row' not in [$t0, $t1] UTC"
fi

# osquery_info: the host UUID is DMI's when readable, else machine-id shaped as a UUID.
if [[ -r /sys/class/dmi/id/product_uuid ]]; then
	want_uuid=$(tr -d '[:space:]' </sys/class/dmi/id/product_uuid)
elif [[ -r /etc/machine-id ]]; then
	want_uuid=$(sed -E 's/^(.{8})(.{4})(.{4})(.{4})(.{12})$/\1-\2-\3-\4-\5/' /etc/machine-id)
else
	want_uuid=""
fi
check "osquery_info uuid" "$want_uuid" "$(q "SELECT ifnull(uuid, '') FROM osquery_info")"
check "osquery_info fixed" "linux|9|-1" \
	"$(q "SELECT build_platform, platform_mask, watcher FROM osquery_info")"
pid=$(q "SELECT pid FROM osquery_info")
[[ "$pid" =~ ^[0-9]+$ && "$pid" -gt 0 && "$pid" != "$$" ]] && echo "ok: osquery_info pid $pid" ||
	fail "osquery_info pid '$pid'"

# file: stat(1) agrees, modes set above, symlink and fifo types.
for f in data.bin random.bin; do
	p="$tmp/d/$f"
	want=$(stat -c '%i|%u|%g|%s|%h|%Y|%X|%Z' "$p")
	check "file stat $f" "$want" \
		"$(q "SELECT inode, uid, gid, size, hard_links, mtime, atime, ctime FROM file WHERE path = '$p'")"
done
check "file mode 0640" "0640|regular|0" "$(q "SELECT mode, type, symlink FROM file WHERE path = '$tmp/d/data.bin'")"
check "file mode 4750" "4750" "$(q "SELECT mode FROM file WHERE path = '$tmp/d/random.bin'")"
check "file symlink" "1|regular|data.bin|0640" \
	"$(q "SELECT symlink, type, symlink_target_path, mode FROM file WHERE path = '$tmp/d/link'")"
check "file fifo" "fifo" "$(q "SELECT type FROM file WHERE path = '$tmp/d/fifo'")"
check "file directory listing" "data.bin fifo link random.bin" \
	"$(q "SELECT filename FROM file WHERE directory = '$tmp/d'" | tr '\n' ' ' | sed 's/ $//')"
check "file recursive like" "$tmp/d/" "$(q "SELECT path FROM file WHERE path LIKE '$tmp/%%' AND type = 'directory'")"

# hash: digests agree with coreutils on a small and a 200 kB file; fifo is not hashed.
for f in data.bin random.bin; do
	p="$tmp/d/$f"
	want="$(md5sum <"$p" | cut -d' ' -f1)|$(sha1sum <"$p" | cut -d' ' -f1)|$(sha256sum <"$p" | cut -d' ' -f1)"
	check "hash $f" "$want" "$(q "SELECT md5, sha1, sha256 FROM hash WHERE path = '$p'")"
done
check "hash directory regular files" "$tmp/d/data.bin $tmp/d/link $tmp/d/random.bin" \
	"$(q "SELECT path FROM hash WHERE directory = '$tmp/d'" | tr '\n' ' ' | sed 's/ $//')"
check "hash fifo skipped" "0" "$(q "SELECT count(*) FROM hash WHERE path = '$tmp/d/fifo'")"

# The hash cache of one long-lived process must notice a rewrite, even one that keeps the size
# and puts the old mtime back (the ctime still moves). One query per line on hostqi's stdin,
# one result line back for each.
p="$tmp/d/cached.txt"
printf 'version one\n' >"$p"
coproc HQ { "$HOSTQI" --list --separator='|' --header=false 2>&1; }
# bash unsets HQ and HQ_PID once the coprocess exits: keep our own copies.
hq_in=${HQ[1]}
hq_out=${HQ[0]}
hq_pid=$HQ_PID
ask() {
	local line=""
	echo "$1" >&"$hq_in" && read -r -t 60 line <&"$hq_out"
	echo "$line"
}
sum() { sha256sum <"$1" | cut -d' ' -f1; }
query="SELECT sha256 FROM hash WHERE path = '$p';"
check "hash cache first" "$(sum "$p")" "$(ask "$query")"
check "hash cache repeat" "$(sum "$p")" "$(ask "$query")"
mtime=$(stat -c %y "$p")
ctime=$(stat -c %z "$p")
printf 'version two\n' >"$p"
touch -m -d "$mtime" "$p"
# Timestamps tick coarsely: make sure the ctime really moved, or nothing could tell the files
# apart (osquery keys on mtime and size only).
for _ in $(seq 100); do
	[[ "$(stat -c %z "$p")" != "$ctime" ]] && break
	sleep 0.05
	touch -m -d "$mtime" "$p"
done
check "hash cache same size and mtime" "$(sum "$p")" "$(ask "$query")"
printf 'a longer third version\n' >"$p"
check "hash cache new size" "$(sum "$p")" "$(ask "$query")"
check "hash cache md5 after sha256" "$(md5sum <"$p" | cut -d' ' -f1)" \
	"$(ask "SELECT md5 FROM hash WHERE path = '$p';")"
exec {hq_in}>&-
wait "$hq_pid" 2>/dev/null

# Required columns.
if "$HOSTQI" --json "SELECT * FROM hash" >"$tmp/out" 2>&1; then
	fail "hash without a path constraint succeeded"
elif grep -q "a constraint on path or directory is required" "$tmp/out"; then
	echo "ok: hash requires path"
else
	fail "hash without path: unexpected message: $(cat "$tmp/out")"
fi

if ((fails > 0)); then
	echo "$fails check(s) failed"
	exit 1
fi
echo "all checks passed"
