#!/bin/bash
# wifi_status and wifi_survey on this machine. Without wireless interfaces (no cfg80211, as on
# the CI machines) both must answer with zero rows and no error; with some, wifi_status must
# have one row per wireless interface the kernel lists in sysfs, and every wifi_survey row must
# name one of them.
set -euo pipefail
[ -n "${HOSTQI:-}" ] && [ -x "$HOSTQI" ] || { echo "SKIP: HOSTQI not built"; exit 77; }

fails=0
check() {
	if [ "$2" == "$3" ]; then echo "ok - $1"; else
		echo "not ok - $1"; printf '  expected: %s\n  actual:   %s\n' "$2" "$3"
		fails=$((fails + 1))
	fi
}
q() { "$HOSTQI" --list --separator '|' --header=false "$1"; }

wireless=$(for d in /sys/class/net/*; do
	[ -e "$d/phy80211" ] || [ -d "$d/wireless" ] && basename "$d"
done 2>/dev/null | sort || true)

status=$(q "SELECT interface FROM wifi_status ORDER BY interface")
survey_ifaces=$(q "SELECT DISTINCT interface FROM wifi_survey ORDER BY interface")
q "SELECT * FROM wifi_status" >/dev/null
q "SELECT * FROM wifi_survey" >/dev/null

if [ -z "$wireless" ]; then
	echo "# no wireless interfaces on this machine"
	check "wifi_status has no rows" "" "$status"
	check "wifi_survey has no rows" "" "$survey_ifaces"
else
	check "wifi_status lists every wireless interface" "$wireless" "$status"
	for i in $survey_ifaces; do
		grep -qx "$i" <<<"$wireless" || { echo "not ok - survey row for unknown $i"; fails=$((fails + 1)); }
	done
	check "wifi_status modes are osquery's labels" "0" \
		"$(q "SELECT count(*) FROM wifi_status WHERE mode NOT IN ('Station','IBSS','Host AP','None')")"
fi
echo "$fails failure(s)"
[ $fails = 0 ]
