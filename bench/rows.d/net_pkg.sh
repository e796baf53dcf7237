# bench rows for the socket and package tables (sourced by bench/run; see its header for the
# helpers). One-shot rows run hostqi side by side with the tool users run instead (targets are
# "hostqi is N x faster", B/A); in-process rows compare hqloop with netpkgfloor, the bench's own
# minimal netlink / netlink + fd walk / dpkg status readers (targets are A/B <= x).

NETPKGFLOOR=${BUILD:-build}/netpkgfloor
LP_SQL="SELECT protocol, address, port FROM listening_ports WHERE family != 1"
LPP_SQL="SELECT pid, fd, protocol, address, port FROM listening_ports WHERE family != 1"
DEB_SQL="SELECT name, version FROM deb_packages"

netpkg_floor_ready() {
	[[ -x "$NETPKGFLOOR" ]] || cmake --build "$BUILD" -j2 --target netpkgfloor >/dev/null
}

# listening sockets without pid attribution: sock_diag dumps only, no /proc walk.
row_listening_nopid() {
	local t
	t=$(hf_medians_ms "$HOSTQI --csv \"$LP_SQL\"" "ss -ltnu")
	bench_report "listening_ports no pid vs ss -ltnu" hostqi "${t%% *}" ss "${t##* }" \
		inverse ">=" 1.4
}
bench_register row_listening_nopid

# with pid: the /proc/<pid>/fd walk dominates at scale (see --procs).
row_listening_pid() {
	local t
	t=$(hf_medians_ms "$HOSTQI --csv \"$LPP_SQL\"" "ss -ltnup")
	bench_report "listening_ports pid vs ss -ltnup" hostqi "${t%% *}" ss "${t##* }" \
		inverse ">=" 1.3
}
bench_register row_listening_pid

row_deb_packages() {
	local t
	t=$(hf_medians_ms "$HOSTQI --csv \"$DEB_SQL\"" \
		"dpkg-query -W -f='\${Package} \${Version}\n'")
	bench_report "deb_packages vs dpkg-query -W" hostqi "${t%% *}" dpkg-query "${t##* }" \
		inverse ">=" 5
}
bench_register row_deb_packages

# In-process: the table against its floor, without process start-up.
row_listening_nopid_floor() {
	local t
	netpkg_floor_ready || return 1
	t=$(loops_best_us "'$HQLOOP' $LOOPS '$LP_SQL'" "'$NETPKGFLOOR' nl $LOOPS")
	bench_report "listening_ports no pid vs nl floor" hqloop "${t%% *}" netpkgfloor "${t##* }" \
		ratio "<=" 1.5 us
}
bench_register row_listening_nopid_floor

row_listening_pid_floor() {
	local t
	netpkg_floor_ready || return 1
	t=$(loops_best_us "'$HQLOOP' $LOOPS '$LPP_SQL'" "'$NETPKGFLOOR' nlpids $LOOPS")
	bench_report "listening_ports pid vs nl+fd floor" hqloop "${t%% *}" netpkgfloor "${t##* }" \
		ratio "<=" 1.1 us
}
bench_register row_listening_pid_floor

row_deb_packages_floor() {
	local t
	netpkg_floor_ready || return 1
	t=$(loops_best_us "'$HQLOOP' $LOOPS '$DEB_SQL'" "'$NETPKGFLOOR' dpkg $LOOPS")
	bench_report "deb_packages vs dpkg floor" hqloop "${t%% *}" netpkgfloor "${t##* }" \
		ratio "<=" 3 us
}
bench_register row_deb_packages_floor
