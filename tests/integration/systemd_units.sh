#!/bin/bash
# systemd_units against a real systemd manager: a `systemd --user` instance with its own
# socket-activated dbus-daemon, started in a private cgroup-v2 subtree and a private
# mount+cgroup namespace so it can never touch the machine's own cgroups (never start a
# manager from the root cgroup). The table is reached the production way, sd_bus_open_system()
# with DBUS_SYSTEM_BUS_ADDRESS pointing at that bus, and through HOSTQ_SYSTEMD_BUS=user.
# Units: a running service (its MainPID must join processes.pid), a failed oneshot, and
# transient units made by systemd-run.
set -euo pipefail

skip() { echo "SKIP: $*"; exit 77; }
[ -n "${HOSTQI:-}" ] && [ -x "$HOSTQI" ] || skip "HOSTQI not built"
[ -x /lib/systemd/systemd ] || skip "systemd is not installed"
command -v dbus-daemon >/dev/null || skip "dbus-daemon is not installed"
[ -e /usr/lib/systemd/user/dbus.socket ] || skip "dbus-user-session (dbus.socket) is not installed"
for c in systemctl systemd-run busctl unshare setsid; do
	command -v $c >/dev/null || skip "$c is missing"
done
[ "$(id -u)" = 0 ] || skip "needs root (cgroup subtree and namespaces)"
CGROOT=/sys/fs/cgroup/unified
[ -d "$CGROOT" ] || CGROOT=/sys/fs/cgroup
[ -e "$CGROOT/cgroup.procs" ] && [ -w "$CGROOT" ] || skip "no writable cgroup v2 hierarchy"

W=$(mktemp -d /tmp/hq-sdunits.XXXXXX)
CG=$CGROOT/hq-sdunits.$$
PID=
EMPTY_PID=

teardown() {
	set +e
	[ -n "$EMPTY_PID" ] && kill "$EMPTY_PID" 2>/dev/null
	if [ -n "$PID" ]; then
		XDG_RUNTIME_DIR="$W/xdg" timeout 10 systemctl --user exit >/dev/null 2>&1 ||
			kill -TERM "$PID" 2>/dev/null
		for _ in $(seq 1 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.05; done
		kill -0 "$PID" 2>/dev/null && kill -KILL "$PID" 2>/dev/null
	fi
	# Whatever is still in our subtree dies by PID (never by name).
	if [ -d "$CG" ]; then
		for f in $(find "$CG" -name cgroup.procs); do
			for p in $(cat "$f"); do kill -KILL "$p" 2>/dev/null; done
		done
		sleep 0.2
		find "$CG" -depth -type d -exec rmdir {} \; 2>/dev/null
		[ -d "$CG" ] && echo "WARN: $CG still present" >&2
	fi
	rm -rf "$W"
}
trap teardown EXIT

mkdir -p "$W/xdg" "$W/home" "$W/config/systemd/user"
chmod 700 "$W/xdg"
mkdir "$CG"
[ -d /run/systemd ] || mkdir -p /run/systemd

# The manager: moved into our subtree first, then a new mount+cgroup namespace whose cgroup root
# is that subtree; /run/systemd/system exists only inside the namespace (a tmpfs) so the user
# manager believes the host booted with systemd.
setsid bash -c '
  echo $$ > "'"$CG"'/cgroup.procs"
  exec unshare --mount --propagation private --cgroup -- bash -c "
    mount -t tmpfs tmpfs /run/systemd && mkdir /run/systemd/system
    mount -t cgroup2 cgroup2 /sys/fs/cgroup
    exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=\"'"$W"'/home\" USER=root LOGNAME=root \
      XDG_RUNTIME_DIR=\"'"$W"'/xdg\" XDG_CONFIG_HOME=\"'"$W"'/config\" \
      /lib/systemd/systemd --user --log-target=console
  "' >"$W/systemd.log" 2>&1 </dev/null &
PID=$!

export XDG_RUNTIME_DIR="$W/xdg"
unset DBUS_SESSION_BUS_ADDRESS
ok=0
for _ in $(seq 1 400); do
	if systemctl --user show -p Version --value >/dev/null 2>&1 &&
		busctl --user call org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus \
			NameHasOwner s org.freedesktop.systemd1 2>/dev/null | grep -q true; then
		ok=1
		break
	fi
	kill -0 "$PID" 2>/dev/null || break
	sleep 0.05
done
if [ $ok != 1 ]; then
	cat "$W/systemd.log" >&2
	echo "FAIL: systemd --user did not come up" >&2
	exit 1
fi

U=$W/config/systemd/user
cat >"$U/rp-sleep.service" <<'EOT'
[Unit]
Description=hostq test sleeper
[Service]
ExecStart=/bin/sleep 1000
EOT
printf '[Unit]\nDescription=hostq failing oneshot\n[Service]\nType=oneshot\nExecStart=/bin/false\n' \
	>"$U/rp-fail.service"
systemctl --user daemon-reload
systemctl --user start rp-sleep.service
systemctl --user start rp-fail.service 2>/dev/null && { echo "FAIL: rp-fail started" >&2; exit 1; }
systemd-run --user --quiet --unit=rp-transient --description="transient sleeper" /bin/sleep 999
# A name with a systemd escape in it: constraints must reach the manager unmangled.
systemd-run --user --quiet --unit='rp-a\x2db' /bin/sleep 998

SLEEP_PID=$(systemctl --user show -p MainPID --value rp-sleep.service)
TRANS_PID=$(systemctl --user show -p MainPID --value rp-transient.service)
[ "$SLEEP_PID" -gt 0 ] && [ "$TRANS_PID" -gt 0 ] || { echo "FAIL: no MainPID" >&2; exit 1; }

fails=0
q() { "$HOSTQI" --list --separator '|' --header=false "$1"; }
check() { # name expected actual
	if [ "$2" == "$3" ]; then
		echo "ok - $1"
	else
		echo "not ok - $1"
		echo "  expected: $2"
		echo "  actual:   $3"
		fails=$((fails + 1))
	fi
}

# Production path: the system-bus API, pointed at the manager's bus.
export DBUS_SYSTEM_BUS_ADDRESS="unix:path=$W/xdg/bus"

check "running service" \
	"rp-sleep.service|hostq test sleeper|loaded|active|running|$U/rp-sleep.service|$SLEEP_PID" \
	"$(q "SELECT id, description, load_state, active_state, sub_state, fragment_path, pid
	      FROM systemd_units WHERE id = 'rp-sleep.service'")"
check "failed oneshot" "rp-fail.service|loaded|failed|failed|$U/rp-fail.service|0" \
	"$(q "SELECT id, load_state, active_state, sub_state, fragment_path, pid
	      FROM systemd_units WHERE id = 'rp-fail.service'")"
check "transient unit" \
	"rp-transient.service|transient sleeper|active|running|$W/xdg/systemd/transient/rp-transient.service|$TRANS_PID" \
	"$(q "SELECT id, description, active_state, sub_state, fragment_path, pid
	      FROM systemd_units WHERE id = 'rp-transient.service'")"
check "escaped unit name" 'rp-a\x2db.service|active' \
	"$(q "SELECT id, active_state FROM systemd_units WHERE id = 'rp-a\\x2db.service'")"

# The full listing (no constraint) agrees with systemctl.
expected=$(systemctl --user list-units --all --plain --no-legend 'rp-*' |
	awk '{print $1"|"$2"|"$3"|"$4}' | sort)
check "full listing of rp-* units" "$expected" \
	"$(q "SELECT id, load_state, active_state, sub_state FROM systemd_units
	      WHERE id LIKE 'rp-%' ORDER BY id" | sort)"
# (Host mounts come and go as .mount units, so the whole count is not compared.)
check "unconstrained scan lists more than the test units" "1" \
	"$(q "SELECT count(*) > 4 AND count(*) = count(load_state) FROM systemd_units")"

check "IN list pushdown" "rp-fail.service
rp-sleep.service" \
	"$(q "SELECT id FROM systemd_units
	      WHERE id IN ('rp-sleep.service', 'rp-fail.service', 'no-such.service', 'bad name')
	      ORDER BY id")"
check "unknown unit" "0" "$(q "SELECT count(*) FROM systemd_units WHERE id = 'no-such.service'")"

check "per-unit properties" \
	"$(systemctl --user show -p UnitFileState --value rp-sleep.service)||" \
	"$(q "SELECT unit_file_state, user, source_path FROM systemd_units
	      WHERE id = 'rp-sleep.service'")"
check "osquery columns of a unit with no job" "0||/" \
	"$(q "SELECT job_id, job_type, job_path FROM systemd_units WHERE id = 'rp-sleep.service'")"
check "pid is NULL for non-service units" "0" \
	"$(q "SELECT count(*) FROM systemd_units WHERE id NOT LIKE '%.service' AND pid IS NOT NULL")"
check "pid is hidden from SELECT *" "14" \
	"$("$HOSTQI" --json "SELECT * FROM systemd_units WHERE id = 'rp-sleep.service'" |
		python3 -c 'import json,sys; print(len(json.load(sys.stdin)[0]))')"

# The seed query: services joined to their main processes (needs the processes table).
if "$HOSTQI" "SELECT 1 FROM processes LIMIT 1" >/dev/null 2>&1; then
	check "seed join with processes" "$SLEEP_PID|rp-sleep.service|sleep
$TRANS_PID|rp-transient.service|sleep" \
		"$(q "SELECT p.pid, s.id, p.name FROM processes p
		      JOIN systemd_units s ON s.id LIKE '%.service' AND p.pid = s.pid
		      WHERE s.id IN ('rp-sleep.service', 'rp-transient.service') ORDER BY s.id")"
else
	echo "# no processes table in this build: seed join not checked"
	check "main pid is the sleeper process" "sleep" "$(cat /proc/"$SLEEP_PID"/comm)"
fi

# The user-bus override reaches the same manager.
check "HOSTQ_SYSTEMD_BUS=user" "rp-sleep.service|$SLEEP_PID" \
	"$(DBUS_SYSTEM_BUS_ADDRESS=unix:path=/nonexistent HOSTQ_SYSTEMD_BUS=user \
		q "SELECT id, pid FROM systemd_units WHERE id = 'rp-sleep.service'")"

# No bus at all: zero rows, exit 0.
out=$(DBUS_SYSTEM_BUS_ADDRESS=unix:path=$W/no-such-socket q "SELECT count(*) FROM systemd_units") ||
	{ echo "not ok - no bus is not an error"; fails=$((fails + 1)); }
check "no bus gives zero rows" "0" "$out"
# A bus without systemd on it: zero rows too.
cat >"$W/empty-bus.conf" <<EOC
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>custom</type>
  <listen>unix:path=$W/empty-bus</listen>
  <auth>EXTERNAL</auth>
  <policy context="default"><allow user="*"/><allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>
EOC
EMPTY_PID=$(dbus-daemon --config-file="$W/empty-bus.conf" --fork --print-pid)
out=$(DBUS_SYSTEM_BUS_ADDRESS=unix:path=$W/empty-bus q "SELECT count(*) FROM systemd_units") ||
	{ echo "not ok - bus without systemd is not an error"; fails=$((fails + 1)); }
kill "$EMPTY_PID" 2>/dev/null || true
EMPTY_PID=
check "bus without systemd gives zero rows" "0" "$out"

echo "$fails failure(s)"
[ $fails = 0 ]
