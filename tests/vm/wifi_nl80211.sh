#!/bin/bash
# wifi_status and wifi_survey against real nl80211: a QEMU/TCG guest running Debian's kernel with
# mac80211_hwsim (3 simulated radios), two hostapd access points (open on channel 1, WPA2-PSK on
# channel 6) and wpa_supplicant associating the third radio. hostqi runs inside the guest; its
# rows are compared with the configuration and with what `iw` reports there. The host kernel
# has no cfg80211/modules, which is why this needs a VM. Takes ~20-40 s (kernel download cached
# in the build directory).
set -euo pipefail

skip() { echo "SKIP: $*"; exit 77; }
[ -n "${HOSTQI:-}" ] && [ -x "$HOSTQI" ] || skip "HOSTQI not built"
for c in qemu-system-x86_64 apt-get apt-cache dpkg-deb depmod modprobe cpio gzip iw \
	wpa_supplicant ldd ldconfig; do
	command -v $c >/dev/null || skip "$c is missing (qemu-system-x86 kmod cpio iw wpasupplicant)"
done

CACHE=${HQ_BUILD:-/tmp}/vm-cache/wifi
mkdir -p "$CACHE"
W=$(mktemp -d /tmp/hq-wifi-vm.XXXXXX)
trap 'rm -rf "$W"' EXIT

# ---- guest kernel, modules, busybox, hostapd (downloaded once, never installed) ----
if [ ! -e "$CACHE/ready" ]; then
	rm -rf "$CACHE"/*
	KPKG=$(apt-cache depends linux-image-amd64 2>/dev/null |
		awk '/Depends: linux-image-/{print $2; exit}')
	[ -n "$KPKG" ] || skip "no Debian kernel package known to apt"
	(cd "$CACHE" && apt-get download "$KPKG" busybox-static hostapd >/dev/null 2>&1) ||
		skip "cannot download the guest kernel, busybox-static and hostapd"
	for d in "$CACHE"/*.deb; do dpkg-deb -x "$d" "$CACHE/x"; done
	touch "$CACHE/ready"
fi
X=$CACHE/x
K=$(ls "$X/lib/modules")
[ -e "$X/lib/modules/$K/modules.dep" ] || depmod -b "$X" "$K"

IR=$W/ir
mkdir -p "$IR"/{bin,sbin,proc,sys,dev,tmp,run,etc} "$IR/lib/modules/$K"
cp "$X/bin/busybox" "$IR/bin/"
for a in sh mount modprobe ip sleep cat echo poweroff ls grep cut timeout; do
	ln -sf busybox "$IR/bin/$a"
done
for m in mac80211_hwsim ccm gcm ctr cmac ghash_generic seqiv aesni_intel; do
	modprobe -d "$X" -S "$K" --show-depends $m 2>/dev/null | awk '/^insmod/{print $2}'
done | sort -u | while read -r f; do
	rel=${f#"$X"/lib/modules/"$K"/}
	mkdir -p "$IR/lib/modules/$K/$(dirname "$rel")"
	cp "$f" "$IR/lib/modules/$K/$rel"
done
depmod -b "$IR" "$K" 2>/dev/null
cp "$(command -v iw)" "$(command -v wpa_supplicant)" "$X/usr/sbin/hostapd" "$IR/sbin/"
cp "$HOSTQI" "$IR/sbin/hostqi"
# hostqi loads libnl with dlopen() on first use, which ldd does not list.
{
	for b in "$IR"/sbin/*; do
		ldd "$b" | awk '/=>/{print $3} /ld-linux/{print $1}'
	done
	for l in libnl-3.so.200 libnl-genl-3.so.200; do
		ldconfig -p | awk -v l="$l" '$1 == l && /x86-64/ && !seen++ {print $NF}'
	done
} | sort -u | while read -r l; do
	mkdir -p "$IR$(dirname "$l")"
	cp -L "$l" "$IR$l"
done

printf 'interface=wlan0\ndriver=nl80211\nssid=RP-Open\nhw_mode=g\nchannel=1\ncountry_code=DE\nieee80211d=1\n' \
	>"$IR/etc/ap0.conf"
printf 'interface=wlan1\ndriver=nl80211\nssid=RP-WPA2\nhw_mode=g\nchannel=6\nwpa=2\nwpa_passphrase=correct horse battery\nwpa_key_mgmt=WPA-PSK\nrsn_pairwise=CCMP\n' \
	>"$IR/etc/ap1.conf"
printf 'network={\n\tssid="RP-WPA2"\n\tpsk="correct horse battery"\n}\n' >"$IR/etc/sta.conf"
cat >"$IR/init" <<'EOI'
#!/bin/sh
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev; mount -t tmpfs run /run
modprobe mac80211_hwsim radios=3
for m in ccm gcm ctr cmac ghash_generic seqiv aesni_intel; do modprobe $m 2>/dev/null; done
ip link set lo up
Q="/sbin/hostqi --list --separator | --header=false"
echo "== before"
$Q "SELECT interface, mode FROM wifi_status ORDER BY interface"
timeout 20 hostapd -B -P /run/hostapd.pid /etc/ap0.conf /etc/ap1.conf >/dev/null
ip link set wlan2 up
# Trigger and poll (the blocking `iw scan` can hang under TCG); re-trigger until both APs show.
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do
  timeout 10 iw dev wlan2 scan trigger >/dev/null 2>&1
  sleep 1
  [ "$(iw dev wlan2 scan dump | grep -c '^BSS')" -ge 2 ] && break
done
echo "# scan dump: $(iw dev wlan2 scan dump | grep -c '^BSS') BSS after $i tries"
echo "== survey"
$Q "SELECT interface, ssid, bssid, network_name, country_code, rssi, channel, channel_width, channel_band FROM wifi_survey WHERE interface = 'wlan2' ORDER BY bssid"
wpa_supplicant -B -i wlan2 -c /etc/sta.conf >/dev/null
i=0; while [ $i -lt 40 ] && ! iw dev wlan2 link | grep -q Connected; do sleep 1; i=$((i + 1)); done
echo "== status"
$Q "SELECT interface, ssid, bssid, network_name, security_type, channel, channel_width, channel_band, mode, rssi IS NOT NULL, transmit_rate IS NOT NULL FROM wifi_status ORDER BY interface"
echo "== iw signal"
iw dev wlan2 link | grep signal | cut -d' ' -f2
echo "== hostq signal"
$Q "SELECT rssi FROM wifi_status WHERE interface = 'wlan2'"
echo "== end"
poweroff -f
EOI
chmod +x "$IR/init"
(cd "$IR" && find . | cpio -o -H newc 2>/dev/null | gzip -1) >"$W/initrd.gz"
cp "$X/boot/vmlinuz-$K" "$W/vmlinuz"

timeout 300 qemu-system-x86_64 -accel tcg,thread=multi -cpu max -smp 2 -m 512 -nodefaults \
	-display none -serial stdio -no-reboot -kernel "$W/vmlinuz" -initrd "$W/initrd.gz" \
	-append "console=ttyS0 quiet panic=-1 rdinit=/init" </dev/null | tr -d '\r' >"$W/vm.log" || true

section() { sed -n "/^== $1\$/,/^== /p" "$W/vm.log" | sed '1d;$d' | grep -v '^\[\|^#' || true; }
fails=0
check() {
	if [ "$2" == "$3" ]; then echo "ok - $1"; else
		echo "not ok - $1"; printf '  expected:\n%s\n  actual:\n%s\n' "$2" "$3"
		fails=$((fails + 1))
	fi
}
grep -q '^== end$' "$W/vm.log" || { cat "$W/vm.log"; echo "FAIL: the guest did not finish"; exit 1; }

check "interfaces before any AP (all stations, unassociated)" "wlan0|Station
wlan1|Station
wlan2|Station" "$(section before)"
check "wifi_survey: both access points" \
	"wlan2|52502d4f 70656e|02:00:00:00:00:00|RP-Open|DE|-30|1|20|2
wlan2|52502d57 504132|02:00:00:00:01:00|RP-WPA2||-30|6|20|2" "$(section survey)"
check "wifi_status: APs and the associated station" \
	"wlan0|52502d4f 70656e||RP-Open||1|20|2|Host AP|0|0
wlan1|52502d57 504132||RP-WPA2||6|20|2|Host AP|0|0
wlan2|52502d57 504132|02:00:00:00:01:00|RP-WPA2|WPA2 Personal|6|20|2|Station|1|1" \
	"$(section status)"
check "rssi agrees with iw" "$(section 'iw signal')" "$(section 'hostq signal')"
[ $fails = 0 ] || cat "$W/vm.log"
echo "$fails failure(s)"
[ $fails = 0 ]
