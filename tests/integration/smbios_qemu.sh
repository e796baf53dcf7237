#!/bin/bash
# Real firmware tables: QEMU builds SMBIOS structures, SeaBIOS publishes them (no guest OS),
# qemu_smbios_extract.py reads them out over QMP into a sysfs-layout root. hostq must decode
# them exactly as dmidecode does (every memory_devices field) and give the values QEMU was told.
# Both entry points: 32-bit (_SM_, SMBIOS 2.8) and 64-bit (_SM3_, SMBIOS 3.0).
set -euo pipefail

: "${HOSTQI:?}" "${HQ_SRC:?}"
for cmd in qemu-system-x86_64 dmidecode python3; do
	if ! command -v "$cmd" >/dev/null; then
		echo "skip: $cmd not installed (packaging/deps.sh installs it)"
		exit 77
	fi
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dir="$HQ_SRC/tests/fixtures/smbios"
fail=0

check() { # check NAME SQL EXPECTED
	local got
	got=$("$HOSTQI" --root "$root" --list --noheader --separator '|' "$2")
	if [ "$got" != "$3" ]; then
		printf 'FAIL %s:\n  want: %s\n  got:  %s\n' "$1" "$3" "$got"
		fail=1
	fi
}

for ep in 32 64; do
	root="$work/qemu-$ep"
	python3 "$dir/qemu_smbios_extract.py" "$root" --ep "$ep" --mem 20G -- \
		-smbios type=0,vendor=HQ-Firmware,version=9.8.7,date=05/06/2024 \
		-smbios type=1,manufacturer=HQ-Vendor,product=HQ-Model,version=HQ-Ver,serial=HQ-SN-$ep \
		-smbios type=17,loc_pfx=Slot,bank=Bank-Q,manufacturer=HQ-Mem,serial=MS-$ep,asset=MA-$ep,part=MP-$ep,speed=3200
	python3 "$dir/dmidecode_compare.py" "$HOSTQI" "$root" "$work" || fail=1

	# 20 GiB is split into a 16 GiB and a 4 GiB device by QEMU.
	check "memory_devices-$ep" \
		"SELECT device_locator, size, max_speed, manufacturer, serial_number, asset_tag, part_number FROM memory_devices" \
		"Slot 0|16384|3200|HQ-Mem|MS-$ep|MA-$ep|MP-$ep
Slot 1|4096|3200|HQ-Mem|MS-$ep|MA-$ep|MP-$ep"
	check "memory_arrays-$ep" "SELECT number_memory_devices FROM memory_arrays" "2"
	check "smbios_tables-$ep" "SELECT count(*) FROM smbios_tables WHERE type = 127" "1"
	check "platform_info-$ep" "SELECT vendor, version, date FROM platform_info" \
		"HQ-Firmware|9.8.7|05/06/2024"
	check "system_info-$ep" \
		"SELECT hardware_vendor, hardware_model, hardware_version, hardware_serial FROM system_info" \
		"HQ-Vendor|HQ-Model|HQ-Ver|HQ-SN-$ep"
done

exit "$fail"
