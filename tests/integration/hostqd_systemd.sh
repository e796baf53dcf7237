#!/bin/bash
# hostqd under a real systemd manager (a user manager in private namespaces): the packaged
# unit's Type=notify start reaches "active (running)" only through hostqd's READY=1, the
# watchdog (WatchdogSec) keeps it alive, ExecReload sends SIGHUP, and stop is clean.
. "$(dirname "$0")/lib/hostqd.bash"
. "$(dirname "$0")/lib/sd_user.bash"
[ "$(id -u)" -eq 0 ] || { echo "needs root"; exit 77; }
[ -x /lib/systemd/systemd ] && command -v systemctl >/dev/null || { echo "systemd missing"; exit 77; }
[ -d /sys/fs/cgroup/unified ] || [ -f /sys/fs/cgroup/cgroup.controllers ] || { echo "no cgroup2"; exit 77; }
: "${HQ_SRC:?}"

SD=$HQ_TMP/sd
hq_cleanup_hooks+=("sd_user_down $SD")
sd_user_up "$SD" || { echo "systemd --user did not come up: $(tail -5 "$SD/systemd.log" 2>/dev/null)"; exit 77; }

cat >"$HQ_TMP/hostq.conf" <<'CONF'
{"options": {"schedule_splay_percent": 0},
 "schedule": {"sd_q": {"query": "SELECT 1 AS one", "interval": 1}}}
CONF
# The packaged unit, pointed at the build and the test's dirs. The sandboxing directives need
# a system manager; a user manager would refuse them, so they are left out here.
unit=$SD/config/systemd/user/hostqd.service
sed -e "s|^ExecStart=.*|ExecStart=$HOSTQD --config_path=$HQ_TMP/hostq.conf --database_path=$HQ_TMP/state/hostq.db --logger_path=$HQ_TMP/log --pidfile=$HQ_TMP/hostqd.pid|" \
	-e 's|^WatchdogSec=.*|WatchdogSec=2|' \
	-e '/^\(CapabilityBoundingSet\|NoNewPrivileges\|Protect\|ReadWritePaths\|Private\|Restrict\|LockPersonality\|MemoryDenyWriteExecute\|SystemCall\|CPUQuota\|MemoryMax\|RuntimeDirectory\|StateDirectory\|LogsDirectory\|ConfigurationDirectory\|After\|Wants\)/d' \
	-e 's|^WantedBy=.*|WantedBy=default.target|' \
	"$HQ_SRC/packaging/systemd/hostqd.service" >"$unit"
grep -q '^Type=notify' "$unit" || fail "packaged unit is not Type=notify"
systemctl --user daemon-reload
systemctl --user start hostqd.service || fail "start failed: $(systemctl --user status hostqd.service 2>&1 | tail -5)"
show() { systemctl --user show -p "$1" --value hostqd.service; }
[ "$(show ActiveState)/$(show SubState)" = active/running ] || fail "not running after start"
main=$(show MainPID)
[ "$main" = "$(cat "$HQ_TMP/hostqd.pid")" ] || fail "MainPID $main is not the pidfile's"
[ "$(show StatusText)" = "Running scheduled queries" ] || fail "StatusText: $(show StatusText)"
wait_for 20 sh -c "grep -q sd_q '$HQ_TMP/log/hostqd.results.log'" || fail "no results under systemd"
# Three watchdog periods: still the same process, so the pings arrive.
sleep 6
[ "$(show MainPID)" = "$main" ] && [ "$(show ActiveState)" = active ] || fail "watchdog restarted hostqd"
[ "$(show NRestarts)" = 0 ] || fail "restarted"
cat >"$HQ_TMP/hostq.conf" <<'CONF'
{"options": {"schedule_splay_percent": 0},
 "schedule": {"sd_reloaded": {"query": "SELECT 2 AS two", "interval": 1}}}
CONF
systemctl --user reload hostqd.service || fail "reload failed"
wait_for 20 sh -c "grep -q sd_reloaded '$HQ_TMP/log/hostqd.results.log'" || fail "reload did not apply"
systemctl --user stop hostqd.service
[ "$(show ActiveState)" = inactive ] || fail "not inactive after stop: $(show ActiveState)/$(show Result)"
[ "$(show Result)" = success ] || fail "stop result $(show Result)"
kill -0 "$main" 2>/dev/null && fail "hostqd still running after stop"
echo PASS
