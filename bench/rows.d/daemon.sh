# hostqd rows (sourced by bench/run; also runnable alone: bash bench/rows.d/daemon.sh [BUILD]).
#   daemon_idle_rss   resident memory of an idle hostqd (worker; watcher shown as B), target <= 8 MB
#   daemon_cpu        CPU share of the example schedule (packaging/config/hostq.conf), target
#                     <= 0.5 % of one core. Each query's steady-state CPU per run is measured by
#                     running the schedule every 2 s and reading osquery_schedule's counters;
#                     the share is sum(cpu per run / real interval) plus the idle loop's own CPU.

daemon_bench_setup() {
	local src=${HQ_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
	local build=${BUILD:-${HQ_BUILD:-$src/build}}
	DAEMON_SRC=$src
	if [[ ! -x "$build/hostqd" ]]; then
		cmake --build "$build" -j2 --target hostqd >/dev/null
	fi
	HOSTQD=$build/hostqd
	DAEMON_TMP=$(mktemp -d /tmp/hostqd-bench.XXXXXX)
}

daemon_bench_start() { # config_file extra_flags...
	local conf=$1
	shift
	"$HOSTQD" --config_path="$conf" --database_path="$DAEMON_TMP/state/hostq.db" \
		--logger_path="$DAEMON_TMP/log" --pidfile="$DAEMON_TMP/hostqd.pid" "$@" \
		>/dev/null 2>"$DAEMON_TMP/stderr" &
	DAEMON_PID=$!
}

daemon_bench_stop() {
	kill -TERM "$DAEMON_PID" 2>/dev/null || true
	wait "$DAEMON_PID" 2>/dev/null || true
}

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

daemon_report() { # metric a_label a b_label b op target unit
	if declare -F bench_report >/dev/null; then
		bench_report "$1" "$2" "$3" "$4" "$5" abs "$6" "$7" "$8"
	else
		printf '%-24s %s %s %s   (%s %s)   target %s %s\n' "$1" "$2" "$3" "$8" "$4" "$5" "$6" "$7"
	fi
}

row_daemon_idle_rss() {
	daemon_bench_setup
	echo '{"schedule": {}}' >"$DAEMON_TMP/idle.conf"
	daemon_bench_start "$DAEMON_TMP/idle.conf"
	sleep 3
	local worker watcher_kb worker_kb
	worker=$(pgrep -P "$DAEMON_PID" | head -n1)
	watcher_kb=$(rss_kb "$DAEMON_PID")
	worker_kb=$(rss_kb "$worker")
	# Shared library pages count in both RSS figures; PSS splits them.
	awk '/^Pss:/ { s += $2 } END { printf "  hostqd watcher+worker PSS %.2f MB\n", s / 1024 }' \
		"/proc/$DAEMON_PID/smaps_rollup" "/proc/$worker/smaps_rollup" >&2
	daemon_bench_stop
	daemon_report "hostqd idle RSS (MB)" worker "$(awk -v k="$worker_kb" 'BEGIN { printf "%.2f", k / 1024 }')" \
		watcher "$(awk -v k="$watcher_kb" 'BEGIN { printf "%.2f", k / 1024 }')" "<=" 8 MB
	rm -rf "$DAEMON_TMP"
}

row_daemon_cpu() {
	daemon_bench_setup
	# The example schedule with every interval set to 2 s, plus a snapshot of the counters.
	python3 - "$DAEMON_SRC/packaging/config/hostq.conf" "$DAEMON_TMP/fast.conf" <<'PY'
import json, re, sys
text = "\n".join(l for l in open(sys.argv[1]) if not l.lstrip().startswith(("//", "#")))
c = json.loads(text)
real = {n: q["interval"] for n, q in c["schedule"].items()}
for q in c["schedule"].values():
    q["interval"] = 2
c["options"] = {"schedule_splay_percent": 0}
# One snapshot per tick with every query's counters and the worker's own CPU (the processes
# table): the difference is the per-run overhead outside the query (diff, state, logging).
c["schedule"]["bench_stats"] = {"query": "SELECT name, executions, user_time, system_time FROM osquery_schedule UNION ALL SELECT '@worker', 0, user_time, system_time FROM processes WHERE pid = (SELECT pid FROM osquery_info)", "interval": 2, "snapshot": True}
c["bench_real_intervals"] = real
json.dump(c, open(sys.argv[2], "w"))
PY
	daemon_bench_start "$DAEMON_TMP/fast.conf"
	sleep 24
	local worker cpu_idle
	worker=$(pgrep -P "$DAEMON_PID" | head -n1)
	daemon_bench_stop
	# The idle loop: an empty schedule for 20 s, its worker's CPU ticks.
	echo '{"schedule": {}}' >"$DAEMON_TMP/idle.conf"
	rm -rf "$DAEMON_TMP/state"
	daemon_bench_start "$DAEMON_TMP/idle.conf"
	sleep 2
	worker=$(pgrep -P "$DAEMON_PID" | head -n1)
	local t0 t1
	t0=$(awk '{ print $14 + $15 }' "/proc/$worker/stat")
	sleep 20
	t1=$(awk '{ print $14 + $15 }' "/proc/$worker/stat")
	daemon_bench_stop
	cpu_idle=$(awk -v a="$t0" -v b="$t1" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.4f", (b - a) / hz / 20 * 100 }')
	local share
	share=$(python3 - "$DAEMON_TMP/fast.conf" "$DAEMON_TMP/log/hostqd.snapshots.log" "$cpu_idle" <<'PY'
import json, sys
real = json.load(open(sys.argv[1]))["bench_real_intervals"]
snaps = [json.loads(l) for l in open(sys.argv[2]) if '"bench_stats"' in l]
first, last = snaps[2], snaps[-1]   # skip the first runs (initial results are all "added")
def stats(s):
    return {r["name"]: (int(r["executions"]), int(r["user_time"]) + int(r["system_time"])) for r in s["snapshot"]}
a, b = stats(first), stats(last)
names = [n for n in b if n != "@worker"]
all_runs = sum(b[n][0] - a[n][0] for n in names)
in_queries = sum(b[n][1] - a[n][1] for n in names)
worker = b["@worker"][1] - a["@worker"][1] if "@worker" in b and "@worker" in a else in_queries
overhead = max(0.0, (worker - in_queries) / all_runs) if all_runs else 0.0
print("  per-run overhead outside the SQL: %.2f ms" % overhead, file=sys.stderr)
total = 0.0
for name, interval in real.items():
    runs = b[name][0] - a[name][0]
    ms = (b[name][1] - a[name][1]) / runs if runs > 0 else 0.0
    ms += overhead
    total += ms / 1000.0 / interval
    print("  %-16s %7.2f ms CPU per run, every %5d s" % (name, ms, interval), file=sys.stderr)
print("%.4f" % (total * 100 + float(sys.argv[3])))
PY
)
	daemon_report "hostqd example schedule CPU (%)" schedule "$share" idle_loop "$cpu_idle" "<=" 0.5 "%"
	grep -h "Error executing" "$DAEMON_TMP/log/hostqd.INFO" 2>/dev/null | sed 's/^.*] /  note: /' | sort -u >&2 || true
	rm -rf "$DAEMON_TMP"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
	set -euo pipefail
	[[ -n "${1:-}" ]] && BUILD=$1
	row_daemon_idle_rss
	row_daemon_cpu
elif declare -F bench_register >/dev/null; then
	bench_register row_daemon_idle_rss
	bench_register row_daemon_cpu
fi
