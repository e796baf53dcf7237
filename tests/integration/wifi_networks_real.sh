#!/bin/bash
# wifi_networks over files written by the real daemons: NetworkManager (on a private D-Bus, in
# private net+mount namespaces, keyfile plugin pointed into a scratch root) creates profiles with
# nmcli, and wpa_supplicant (wired driver on a private namespace's lo) serializes networks added
# over its control socket with save_config. hostqi then reads that root and must agree with
# what the daemons themselves report (nmcli, wpa_cli list_networks).
set -euo pipefail

skip() { echo "SKIP: $*"; exit 77; }
[ -n "${HOSTQI:-}" ] && [ -x "$HOSTQI" ] || skip "HOSTQI not built"
[ "$(id -u)" = 0 ] || skip "needs root (namespaces)"
command -v unshare >/dev/null || skip "unshare missing"
have_nm=1 have_wpa=1
for c in NetworkManager nmcli dbus-daemon; do command -v $c >/dev/null || have_nm=0; done
for c in wpa_supplicant wpa_cli; do command -v $c >/dev/null || have_wpa=0; done
[ $have_nm = 1 ] || [ $have_wpa = 1 ] ||
	skip "neither NetworkManager nor wpa_supplicant is installed (network-manager, wpasupplicant)"

W=$(mktemp -d /tmp/hq-wifi-real.XXXXXX)
R=$W/root
PIDS=()
teardown() {
	set +e
	for p in "${PIDS[@]}"; do
		kill -TERM "$p" 2>/dev/null
		for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$p" 2>/dev/null
	done
	rm -rf "$W"
}
trap teardown EXIT

fails=0
check() { # name expected actual
	if [ "$2" == "$3" ]; then
		echo "ok - $1"
	else
		echo "not ok - $1"
		printf '  expected:\n%s\n  actual:\n%s\n' "$2" "$3"
		fails=$((fails + 1))
	fi
}
q() { "$HOSTQI" --root "$R" --list --separator '|' --header=false "$1"; }

mkdir -p "$R/etc/NetworkManager/system-connections" "$R/etc/wpa_supplicant"

# ---- NetworkManager ----
if [ $have_nm = 1 ]; then
	NMW=$W/nm
	mkdir -p "$NMW/conf.d"
	cat >"$NMW/bus.conf" <<EOC
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=$NMW/bus.sock</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="root"/> <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/> <allow own="*"/>
  </policy>
</busconfig>
EOC
	cat >"$NMW/NetworkManager.conf" <<EOC
[main]
plugins=keyfile
auth-polkit=false
[keyfile]
path=$R/etc/NetworkManager/system-connections
EOC
	PIDS+=("$(dbus-daemon --config-file="$NMW/bus.conf" --fork --print-pid)")
	export DBUS_SYSTEM_BUS_ADDRESS=unix:path=$NMW/bus.sock
	# Private network namespace (NM only sees lo) and namespace-only run/state directories.
	setsid unshare --net --mount --propagation private -- bash -c "
	  mount -t tmpfs tmpfs /run; mkdir -p /run/NetworkManager
	  mount -t tmpfs tmpfs /var/lib/NetworkManager
	  exec NetworkManager --no-daemon --config='$NMW/NetworkManager.conf' \
	    --config-dir='$NMW/conf.d' --system-config-dir='$NMW/conf.d' \
	    --state-file='$NMW/NetworkManager.state'
	" >"$NMW/nm.log" 2>&1 </dev/null &
	PIDS+=($!)
	up=0
	for _ in $(seq 1 100); do
		nmcli -t -f RUNNING general 2>/dev/null | grep -q running && { up=1; break; }
		sleep 0.1
	done
	[ $up = 1 ] || { cat "$NMW/nm.log"; echo "FAIL: NetworkManager did not start" >&2; exit 1; }

	nmcli connection add type wifi con-name HomeNet ifname '*' ssid HomeNet \
		wifi-sec.key-mgmt wpa-psk wifi-sec.psk 'correct horse battery' >/dev/null
	nmcli connection add type wifi con-name Cafe ssid 'Cafe Free WiFi' \
		connection.autoconnect no >/dev/null
	nmcli connection add type wifi con-name Corp ssid CorpNet wifi-sec.key-mgmt wpa-eap \
		802-1x.eap peap 802-1x.phase2-auth mschapv2 802-1x.identity alice \
		802-1x.password s3cret >/dev/null
	nmcli connection add type wifi con-name Hidden ssid Hidden5G wifi.hidden yes wifi.band a \
		wifi-sec.key-mgmt sae wifi-sec.psk 'wpa3-pass-123' >/dev/null
	nmcli connection add type wifi con-name 'Ünï code' ssid 'Ünï code ☕' \
		wifi-sec.key-mgmt wpa-psk wifi-sec.psk 12345678 >/dev/null
	nmcli connection add type wifi con-name Legacy ssid OldWep wifi-sec.key-mgmt none \
		wifi-sec.wep-key0 0123456789 >/dev/null
	nmcli connection add type ethernet con-name Wired ifname eth9 >/dev/null

	D=/etc/NetworkManager/system-connections
	check "NetworkManager profiles" "Cafe Free WiFi|Open|1|0|$D/Cafe.nmconnection
CorpNet|WPA2 Enterprise|1|0|$D/Corp.nmconnection
Hidden5G|WPA3 Personal|1|1|$D/Hidden.nmconnection
HomeNet|WPA2 Personal|1|0|$D/HomeNet.nmconnection
OldWep|WEP|1|0|$D/Legacy.nmconnection
Ünï code ☕|WPA2 Personal|1|0|$D/Ünï code.nmconnection" \
		"$(q "SELECT network_name, security_type, passpoint + 1, possibly_hidden, source
		      FROM wifi_networks WHERE source LIKE '$D/%' ORDER BY network_name")"
	check "autoconnect=false is auto_join 0" "Cafe Free WiFi|0" \
		"$(q "SELECT network_name, auto_join FROM wifi_networks
		      WHERE source LIKE '$D/%' AND auto_join = 0")"
	# NetworkManager writes the non-ASCII SSID as a byte list; it must decode to the same
	# bytes NM itself reports.
	grep -q '^ssid=195;156;' "$R$D/Ünï code.nmconnection" ||
		{ echo "not ok - NM no longer writes byte lists (test premise)"; fails=$((fails + 1)); }
	for con in HomeNet Cafe Corp Hidden 'Ünï code' Legacy; do
		ssid=$(nmcli -g 802-11-wireless.ssid connection show "$con")
		check "NM oracle: SSID of $con" "$ssid" \
			"$(q "SELECT network_name FROM wifi_networks
			      WHERE source = '$D/$con.nmconnection'")"
	done
	check "ssid hex of the byte-list SSID" "c39c6ec3 af20636f 646520e2 9895" \
		"$(q "SELECT ssid FROM wifi_networks WHERE source = '$D/Ünï code.nmconnection'")"
	all=$("$HOSTQI" --root "$R" --json "SELECT * FROM wifi_networks")
	for secret in 'correct horse' s3cret wpa3-pass 12345678 0123456789; do
		if grep -q -- "$secret" <<<"$all"; then
			echo "not ok - secret '$secret' leaked"
			fails=$((fails + 1))
		fi
	done
	# NM reads back a profile from a hand-written file the same way hostq does.
	cp "$HQ_SRC/tests/fixtures/sysroots/wifi/etc/NetworkManager/system-connections/legacy-wep" \
		"$R$D/legacy-wep"
	chmod 600 "$R$D/legacy-wep" # NetworkManager ignores keyfiles others can read
	nmcli connection reload
	check "NM oracle: hand-written escaped SSID" \
		"$(nmcli -g 802-11-wireless.ssid connection show legacy-wep)" \
		"$(q "SELECT network_name FROM wifi_networks WHERE source = '$D/legacy-wep'")"
	rm -f "$R$D/legacy-wep"
else
	echo "# NetworkManager not installed: NetworkManager part skipped"
fi

# ---- wpa_supplicant ----
if [ $have_wpa = 1 ]; then
	C=$R/etc/wpa_supplicant/wpa_supplicant.conf
	mkdir -p "$W/ctrl"
	printf 'ctrl_interface=DIR=%s/ctrl\nupdate_config=1\n' "$W" >"$C"
	setsid unshare --net -- bash -c "ip link set lo up; exec wpa_supplicant -D wired -i lo -c '$C'" \
		>"$W/wpa.log" 2>&1 </dev/null &
	PIDS+=($!)
	for _ in $(seq 1 50); do [ -S "$W/ctrl/lo" ] && break; sleep 0.1; done
	[ -S "$W/ctrl/lo" ] || { cat "$W/wpa.log"; echo "FAIL: wpa_supplicant did not start" >&2; exit 1; }
	wc() { wpa_cli -p "$W/ctrl" -i lo "$@" >/dev/null; }
	N=$(wpa_cli -p "$W/ctrl" -i lo add_network)
	wc set_network "$N" ssid '"HomeNet"'
	wc set_network "$N" psk '"correct horse battery"'
	wc set_network "$N" priority 5
	wc enable_network "$N"
	N=$(wpa_cli -p "$W/ctrl" -i lo add_network)
	wc set_network "$N" ssid '"Cafe Free WiFi"'
	wc set_network "$N" key_mgmt NONE
	N=$(wpa_cli -p "$W/ctrl" -i lo add_network)
	wc set_network "$N" ssid 556e69636f6465e29895
	wc set_network "$N" key_mgmt SAE
	wc set_network "$N" sae_password '"wpa3-pass"'
	wc set_network "$N" scan_ssid 1
	N=$(wpa_cli -p "$W/ctrl" -i lo add_network)
	wc set_network "$N" ssid '"Corp"'
	wc set_network "$N" key_mgmt WPA-EAP
	wc set_network "$N" eap PEAP
	wc set_network "$N" identity '"alice"'
	wc set_network "$N" password '"s3cret"'
	wc save_config
	listed=$(wpa_cli -p "$W/ctrl" -i lo list_networks | tail -n +2 | cut -f2 | sort)
	wc terminate
	grep -q '^	ssid=556e69636f6465e29895' "$C" ||
		{ echo "not ok - wpa_supplicant no longer writes hex SSIDs (test premise)"; fails=$((fails + 1)); }

	check "wpa_supplicant networks" "Cafe Free WiFi|Open|1|0|0
Corp|WPA2 Enterprise|1|0|0
HomeNet|WPA2 Personal|0|1|0
Unicode☕|WPA3 Personal|1|0|1" \
		"$(q "SELECT network_name, security_type, disabled, auto_join, possibly_hidden
		      FROM wifi_networks WHERE source = '/etc/wpa_supplicant/wpa_supplicant.conf'
		      ORDER BY network_name")"
	# wpa_cli prints non-ASCII bytes as \xHH: compare the ASCII names and the count.
	check "wpa_cli oracle: networks" "$listed" \
		"$(q "SELECT CASE WHEN network_name = 'Unicode☕' THEN 'Unicode\\xe2\\x98\\x95'
		      ELSE network_name END FROM wifi_networks
		      WHERE source = '/etc/wpa_supplicant/wpa_supplicant.conf'" | sort)"
	all=$("$HOSTQI" --root "$R" --json "SELECT * FROM wifi_networks")
	for secret in 'correct horse' s3cret wpa3-pass; do
		if grep -q -- "$secret" <<<"$all"; then
			echo "not ok - secret '$secret' leaked"
			fails=$((fails + 1))
		fi
	done
else
	echo "# wpa_supplicant not installed: wpa_supplicant part skipped"
fi

check "seed query runs" "" \
	"$(q "SELECT network_name, last_connected, captive_portal FROM wifi_networks
	      WHERE captive_portal=1")"

echo "$fails failure(s)"
[ $fails = 0 ]
