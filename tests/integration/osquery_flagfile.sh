#!/bin/bash
# An osqueryd flagfile kept unchanged (Fleet enrollment, the tls plugins, events, audit): hostqi
# runs SQL with it, hostqd --config_check accepts it, and a running hostqd logs ONE warning that
# names the osquery flags it accepts without implementing them, while osquery_flags reports their
# values and defaults.
. "$(dirname "$0")/lib/hostqd.bash"
: "${HOSTQI:?HOSTQI must point at the hostqi binary}" "${HQ_SRC:?}"

FLAGS="$HQ_SRC/tests/fixtures/flags/osquery.flags"
WARN="Flags accepted for osquery compatibility have no effect in hostq:"

# hostqi: every line of the file is accepted and the query runs.
out=$("$HOSTQI" --flagfile "$FLAGS" --json "SELECT 1 AS one" 2>"$HQ_TMP/err") ||
	fail "hostqi refused the osquery flagfile: $(cat "$HQ_TMP/err")"
grep -qF '"one":"1"' <<<"$out" || fail "hostqi output: $out"
out=$("$HOSTQI" --flagfile="$FLAGS" --csv --noheader "SELECT 2") || fail "hostqi --flagfile= form"
[ "$out" = 2 ] || fail "hostqi --flagfile= output: $out"
# The table really is checked: a name osquery does not have is still refused, with its line.
printf -- '--tls_hostname=fleet:8080\n--no_such_osquery_flag=1\n' >"$HQ_TMP/bad.flags"
rc=0
"$HOSTQI" --flagfile "$HQ_TMP/bad.flags" "SELECT 1" >/dev/null 2>"$HQ_TMP/err" || rc=$?
[ "$rc" -ne 0 ] && grep -q "bad.flags:2: .*no_such_osquery_flag" "$HQ_TMP/err" ||
	fail "hostqi accepted an unknown flag (rc $rc): $(cat "$HQ_TMP/err")"

# hostqd: --help stays short (unsupported flags are summed up, not listed).
"$HOSTQD" --help >"$HQ_TMP/help"
! grep -q -- "--tls_hostname" "$HQ_TMP/help" || fail "--help lists unsupported flags"
grep -q "more osquery flags are accepted" "$HQ_TMP/help" || fail "--help does not mention them"

# hostqd --config_check with the file; the plugins hostq lacks (tls) are overridden after it.
cat >"$HQ_TMP/hostq.conf" <<'CONF'
{"options": {"distributed_interval": "30", "audit_allow_sockets": "false"},
 "schedule": {"flags": {"query": "SELECT name, type, default_value, value FROM osquery_flags WHERE name IN ('tls_hostname', 'logger_tls_max', 'distributed_interval', 'audit_allow_sockets', 'utc') ORDER BY name", "interval": 1, "snapshot": true}}}
CONF
"$HOSTQD" --flagfile="$FLAGS" --config_plugin=filesystem --config_path="$HQ_TMP/hostq.conf" \
	--config_check 2>"$HQ_TMP/err" || fail "config_check with the osquery flagfile: $(cat "$HQ_TMP/err")"
[ "$(grep -cF "$WARN" "$HQ_TMP/err")" = 1 ] || fail "config_check warning: $(cat "$HQ_TMP/err")"
for f in tls_hostname enroll_secret_path disable_distributed logger_tls_endpoint audit_allow_config \
	enable_file_events carver_block_size; do
	grep -F "$WARN" "$HQ_TMP/err" | grep -qE "[ ,]$f(,|$)" || fail "warning does not name $f"
done
# Flags left at (or set to) osquery's default ask nothing of hostq.
! grep -F "$WARN" "$HQ_TMP/err" | grep -qE "[ ,](utc|disable_events|tls_session_reuse)(,|$)" ||
	fail "warning names a flag at its default: $(cat "$HQ_TMP/err")"
# Without such flags there is no warning at all.
"$HOSTQD" --config_path="$HQ_TMP/hostq.conf" --utc --disable_events=false --config_check \
	2>"$HQ_TMP/err" || fail "config_check without the flagfile"
! grep -q "no effect in hostq" "$HQ_TMP/err" || fail "warning without unsupported flags"

# The running daemon: one start-up warning in the status log, one for the config's options.
hq_start --flagfile="$FLAGS" --config_plugin=filesystem --logger_plugin=filesystem
wait_for 20 sh -c "grep -q '\"name\":\"flags\"' '$HQ_TMP/log/hostqd.snapshots.log'" ||
	fail "osquery_flags snapshot missing"
snap=$(grep '"name":"flags"' "$HQ_TMP/log/hostqd.snapshots.log" | head -n1)
for row in \
	'{"default_value":"","name":"tls_hostname","type":"string","value":"fleet.example.com:8080"}' \
	'{"default_value":"1048576","name":"logger_tls_max","type":"uint64","value":"1048576"}' \
	'{"default_value":"60","name":"distributed_interval","type":"uint64","value":"30"}' \
	'{"default_value":"false","name":"audit_allow_sockets","type":"bool","value":"false"}' \
	'{"default_value":"true","name":"utc","type":"bool","value":"true"}'; do
	grep -qF "$row" <<<"$snap" || fail "osquery_flags lacks $row: $snap"
done
[ "$(status_log | grep -cF "$WARN")" = 1 ] || fail "start-up warning count: $(status_log)"
status_log | grep -F "$WARN" | grep -q "tls_hostname" || fail "status log warning"
status_log | grep "Config options accepted for osquery compatibility" | grep -q "distributed_interval" ||
	fail "config option warning missing"
# audit_allow_sockets went back to its default through the config: not reported for the config.
! status_log | grep "Config options accepted" | grep -q audit_allow_sockets ||
	fail "config warning names a flag set to its default"
[ "$(grep -cF "$WARN" "$HQ_TMP/stderr")" = 1 ] || fail "stderr warning count"
hq_stop
echo PASS
