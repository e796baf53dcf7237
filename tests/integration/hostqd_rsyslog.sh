#!/bin/bash
# syslog logger against a real rsyslogd: in a private mount namespace with its own /dev,
# rsyslogd serves /dev/log; hostqd runs with --logger_plugin=syslog,filesystem and the test
# reads back what rsyslog stored: facility, tag, the JSON result line, the @cee: cookie parsed
# by mmjsonparse and the status lines.
. "$(dirname "$0")/lib/hostqd.bash"
command -v rsyslogd >/dev/null || { echo "rsyslogd missing (packaging/deps.sh installs rsyslog)"; exit 77; }
command -v unshare >/dev/null || { echo "unshare missing"; exit 77; }
[ "$(id -u)" -eq 0 ] || { echo "needs root for a private /dev"; exit 77; }
unshare --mount --propagation private true 2>/dev/null || { echo "cannot unshare the mount namespace"; exit 77; }

cat >"$HQ_TMP/rsyslog.conf" <<CONF
module(load="imuxsock" SysSock.Use="off")
module(load="mmjsonparse")
input(type="imuxsock" Socket="/dev/log" CreatePath="on")
global(workDirectory="$HQ_TMP")
template(name="plain" type="string" string="%syslogfacility-text% %syslogseverity-text% %syslogtag% %msg%\n")
template(name="json" type="string" string="%\$!all-json%\n")
action(type="mmjsonparse")
if \$parsesuccess == "OK" then {
  action(type="omfile" file="$HQ_TMP/cee.log" template="json")
} else {
  action(type="omfile" file="$HQ_TMP/syslog.log" template="plain")
}
CONF
rsyslogd -N1 -f "$HQ_TMP/rsyslog.conf" >/dev/null 2>&1 || fail "rsyslog rejects the test config"

cat >"$HQ_TMP/hostq.conf" <<'CONF'
{"options": {"schedule_splay_percent": 0},
 "schedule": {"syslog_q": {"query": "SELECT 'hello' AS greeting, 7 AS n", "interval": 1}}}
CONF

# Everything that needs the private /dev runs inside one namespace.
run_ns() {
	local prepend=$1
	unshare --mount --propagation private bash -c '
		set -e
		mount -t tmpfs -o mode=755 tmpfs /dev
		mknod -m 666 /dev/null c 1 3
		mknod -m 666 /dev/urandom c 1 9
		mknod -m 666 /dev/random c 1 8
		rsyslogd -n -f "$1/rsyslog.conf" -i "$1/rsyslogd.pid" &
		R=$!
		trap "kill $R 2>/dev/null; wait $R 2>/dev/null" EXIT
		for i in $(seq 50); do [ -S /dev/log ] && break; sleep 0.1; done
		[ -S /dev/log ]
		"$2" --config_path="$1/hostq.conf" --database_path="$1/state-$3/hostq.db" \
			--logger_path="$1/log" --pidfile="$1/hostqd.pid" \
			--logger_plugin=syslog,filesystem --logger_syslog_prepend_cee="$3" \
			--disable_watchdog >>"$1/stderr" 2>&1 &
		H=$!
		for i in $(seq 100); do
			grep -q syslog_q "$1/log/hostqd.results.log" 2>/dev/null && break
			sleep 0.1
		done
		sleep 0.5
		kill -TERM $H
		wait $H
		sleep 0.5
	' _ "$HQ_TMP" "$HOSTQD" "$prepend"
}

run_ns false || fail "plain syslog run failed"
grep -q 'local3 info hostqd\[[0-9]*\]: *{"name":"syslog_q".*"columns":{"greeting":"hello","n":"7"},"action":"added"}' \
	"$HQ_TMP/syslog.log" || fail "result line not in rsyslog: $(cat "$HQ_TMP/syslog.log" 2>/dev/null)"
grep -q 'local3 notice hostqd\[[0-9]*\]: *severity=0 location=worker.c:[0-9]* message=Storing initial results for new scheduled query: syslog_q' \
	"$HQ_TMP/syslog.log" || fail "status line not in rsyslog: $(cat "$HQ_TMP/syslog.log")"

run_ns true || fail "@cee syslog run failed"
grep -q '"name": *"syslog_q"' "$HQ_TMP/cee.log" || fail "@cee line not parsed by mmjsonparse: $(cat "$HQ_TMP/cee.log" 2>/dev/null)"
grep -q '"greeting": *"hello"' "$HQ_TMP/cee.log" || fail "parsed columns missing"
echo PASS
