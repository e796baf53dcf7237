# A real systemd 252 user manager in a private cgroup subtree and mount/cgroup namespace
# (never from the root cgroup: it would adopt every process of the machine). Sourced.
#   sd_user_up DIR    starts it; sets XDG_RUNTIME_DIR; returns 1 when it cannot start
#   sd_user_down DIR  stops it and kills what is left in its cgroup by PID

sd_user_up() {
	local W=$1 CG i
	mkdir -p "$W/xdg" "$W/home" "$W/config/systemd/user"
	chmod 700 "$W/xdg"
	CG=/sys/fs/cgroup/unified/hqsd.$$
	[ -d /sys/fs/cgroup/unified ] || CG=/sys/fs/cgroup/hqsd.$$
	mkdir "$CG" || return 1
	echo "$CG" >"$W/cgroup"
	[ -d /run/systemd ] || mkdir -p /run/systemd
	setsid bash -c '
		echo $$ > "'"$CG"'/cgroup.procs"
		exec unshare --mount --propagation private --cgroup -- bash -c "
			mount -t tmpfs tmpfs /run/systemd && mkdir /run/systemd/system
			mount -t cgroup2 cgroup2 /sys/fs/cgroup
			exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=\"'"$W"'/home\" USER=root LOGNAME=root \
				XDG_RUNTIME_DIR=\"'"$W"'/xdg\" XDG_CONFIG_HOME=\"'"$W"'/config\" \
				/lib/systemd/systemd --user --log-target=console
		"' >"$W/systemd.log" 2>&1 </dev/null &
	echo $! >"$W/systemd.pid"
	export XDG_RUNTIME_DIR=$W/xdg
	for i in $(seq 1 400); do
		systemctl --user show -p Version --value >/dev/null 2>&1 && return 0
		sleep 0.05
	done
	return 1
}

sd_user_down() {
	local W=$1 PID CG f p i
	[ -f "$W/systemd.pid" ] || return 0
	PID=$(cat "$W/systemd.pid")
	export XDG_RUNTIME_DIR=$W/xdg
	systemctl --user exit 2>/dev/null || kill -TERM "$PID" 2>/dev/null || true
	for i in $(seq 1 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.05; done
	kill -0 "$PID" 2>/dev/null && kill -KILL "$PID"
	CG=$(cat "$W/cgroup" 2>/dev/null || true)
	[ -n "$CG" ] || return 0
	for f in $(find "$CG" -name cgroup.procs); do
		for p in $(cat "$f"); do kill -KILL "$p" 2>/dev/null || true; done
	done
	sleep 0.2
	find "$CG" -depth -type d -exec rmdir {} \; 2>/dev/null || true
	rm -f "$W/systemd.pid"
}
