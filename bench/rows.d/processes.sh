# bench rows for the processes table (sourced by bench/run; see its header for the helpers).
# In-process rows compare hqloop (one engine, the statement run --loops times, every cell
# fetched as text) with procfloor (the bench's own minimal /proc reader) looping the same way.

PS_SQL="SELECT pid, parent, uid, name, cmdline, resident_size, total_size, start_time FROM processes"
MIN_SQL="SELECT pid, parent, pgroup, name, state, uid, gid, euid, egid, threads, nice, user_time, system_time, start_time, resident_size, total_size, path, cmdline FROM processes"

# SELECT * against the floor of the brief (stat, status, cmdline, exe, io, cwd, root, stat(exe)).
row_processes_star() {
	local t
	t=$(loops_best_us "'$HQLOOP' $LOOPS 'SELECT * FROM processes'" "'$PROCFLOOR' full $LOOPS")
	bench_report "processes SELECT * vs floor full" hqloop "${t%% *}" procfloor "${t##* }" \
		ratio "<=" 1.15 us
}
bench_register row_processes_star

# The same against a floor that also reads cgroup and fstatat(exe), i.e. every read SELECT *
# needs for cgroup_path and on_disk (informational: same target).
row_processes_star_all() {
	local t
	t=$(loops_best_us "'$HQLOOP' $LOOPS 'SELECT * FROM processes'" "'$PROCFLOOR' all $LOOPS")
	bench_report "processes SELECT * vs floor all" hqloop "${t%% *}" procfloor "${t##* }" \
		ratio "<=" 1.15 us
}
bench_register row_processes_star_all

# The 17-column set of procfloor min.
row_processes_min() {
	local t
	t=$(loops_best_us "'$HQLOOP' $LOOPS '$MIN_SQL'" "'$PROCFLOOR' min $LOOPS")
	bench_report "processes 17 cols vs floor min" hqloop "${t%% *}" procfloor "${t##* }" \
		ratio "<=" 1.15 us
}
bench_register row_processes_min

# One-shot CLI, ps's column set: hostqi must be >= 1.25x faster than ps.
row_processes_ps() {
	local t
	t=$(hf_medians_ms "$HOSTQI --csv \"$PS_SQL\"" "ps -eo pid,ppid,uid,comm,args,rss,vsz,etimes")
	bench_report "processes ps columns (one-shot)" hostqi "${t%% *}" ps "${t##* }" \
		inverse ">=" 1.25
}
bench_register row_processes_ps

# Column pruning: the narrow query must cost <= 0.4x SELECT *.
row_processes_narrow() {
	local t
	t=$(loops_best_us "'$HQLOOP' $LOOPS 'SELECT pid, name, parent, uid FROM processes'" \
		"'$HQLOOP' $LOOPS 'SELECT * FROM processes'")
	bench_report "processes pid,name,parent,uid vs *" narrow "${t%% *}" star "${t##* }" \
		ratio "<=" 0.4 us
}
bench_register row_processes_narrow

# pid = N pushdown: one row in < 100 us (B is the full scan, for scale).
row_processes_pid_eq() {
	local t
	t=$(loops_best_us "'$HQLOOP' $LOOPS 'SELECT * FROM processes WHERE pid = 1'" \
		"'$HQLOOP' $LOOPS 'SELECT * FROM processes'")
	bench_report "processes WHERE pid = 1" pid_eq "${t%% *}" star "${t##* }" a "<=" 100 us
}
bench_register row_processes_pid_eq
