# Helpers for the hostqd integration tests: a private temp dir, starting/stopping hostqd with
# its state, logs and pidfile inside it, and polling for log lines. Sourced, not run.
set -euo pipefail

: "${HOSTQD:?HOSTQD must point at the hostqd binary}"

HQ_TMP=$(mktemp -d /tmp/hostqd-test.XXXXXX)
HQD_PID=
hq_cleanup_hooks=()

hq_cleanup() {
	local h
	for h in "${hq_cleanup_hooks[@]}"; do eval "$h" || true; done
	if [ -n "$HQD_PID" ] && kill -0 "$HQD_PID" 2>/dev/null; then
		kill -KILL "$HQD_PID" 2>/dev/null || true
		wait "$HQD_PID" 2>/dev/null || true
	fi
	# A worker whose watcher was killed gets SIGTERM from the kernel (PDEATHSIG); give it a
	# moment, then remove the directory.
	sleep 0.2
	rm -rf "$HQ_TMP"
}
trap hq_cleanup EXIT

fail() {
	echo "FAIL: $*" >&2
	if [ -f "$HQ_TMP/log/hostqd.INFO" ]; then
		echo "--- status log ---" >&2
		tail -n 30 "$HQ_TMP/log/hostqd.INFO" >&2
	fi
	if [ -f "$HQ_TMP/stderr" ]; then
		echo "--- stderr ---" >&2
		tail -n 30 "$HQ_TMP/stderr" >&2
	fi
	exit 1
}

# hq_start [flags...]: starts hostqd in the background with the test's dirs and config.
hq_start() {
	"$HOSTQD" --config_path="$HQ_TMP/hostq.conf" --database_path="$HQ_TMP/state/hostq.db" \
		--logger_path="$HQ_TMP/log" --pidfile="$HQ_TMP/hostqd.pid" "$@" \
		>>"$HQ_TMP/stdout" 2>>"$HQ_TMP/stderr" &
	HQD_PID=$!
}

# hq_stop: SIGTERM and wait; fails the test when hostqd does not exit cleanly.
hq_stop() {
	local rc=0
	kill -TERM "$HQD_PID"
	wait "$HQD_PID" || rc=$?
	HQD_PID=
	[ "$rc" -eq 0 ] || fail "hostqd exited with $rc on SIGTERM"
}

# wait_for TIMEOUT_S COMMAND...: polls COMMAND every 0.1 s.
wait_for() {
	local limit=$(($1 * 10)) i=0
	shift
	while ! "$@" >/dev/null 2>&1; do
		i=$((i + 1))
		[ "$i" -lt "$limit" ] || return 1
		sleep 0.1
	done
}

results() { cat "$HQ_TMP/log/hostqd.results.log" 2>/dev/null || true; }
snapshots() { cat "$HQ_TMP/log/hostqd.snapshots.log" 2>/dev/null || true; }
status_log() { cat "$HQ_TMP/log/hostqd.INFO" 2>/dev/null || true; }

# count_lines FILTER: number of result lines jq-free: grep -c of a fixed string.
count_results() { results | grep -cF -- "$1" || true; }

# The worker's pid (the watcher's child).
worker_pid() { pgrep -P "$HQD_PID" | head -n1; }
