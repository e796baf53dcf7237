# bench rows for the socket and package tables (sourced by bench/run; see its header for the
# helpers). Each row runs hostqi and the tool users run instead side by side in one hyperfine
# session; the targets are "hostqi is N x faster" (B/A).

# listening sockets without pid attribution: one sock_diag dump per family/protocol, no fd walk.
row_listening_nopid() {
	local t
	t=$(hf_medians_ms "$HOSTQI --csv \"SELECT protocol, address, port FROM listening_ports WHERE family != 1\"" \
		"ss -ltnu")
	bench_report "listening_ports no pid vs ss -ltnu" hostqi "${t%% *}" ss "${t##* }" \
		inverse ">=" 1.4
}
bench_register row_listening_nopid

# with pid: the /proc/<pid>/fd walk dominates at scale (see --procs).
row_listening_pid() {
	local t
	t=$(hf_medians_ms "$HOSTQI --csv \"SELECT pid, fd, protocol, address, port FROM listening_ports WHERE family != 1\"" \
		"ss -ltnup")
	bench_report "listening_ports pid vs ss -ltnup" hostqi "${t%% *}" ss "${t##* }" \
		inverse ">=" 1.3
}
bench_register row_listening_pid

row_deb_packages() {
	local t
	t=$(hf_medians_ms "$HOSTQI --csv \"SELECT name, version FROM deb_packages\"" \
		"dpkg-query -W -f='\${Package} \${Version}\n'")
	bench_report "deb_packages vs dpkg-query -W" hostqi "${t%% *}" dpkg-query "${t##* }" \
		inverse ">=" 5
}
bench_register row_deb_packages
