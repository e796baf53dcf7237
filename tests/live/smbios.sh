#!/bin/bash
# The SMBIOS tables on this very host: every one answers SELECT * without error. Where the host
# exports SMBIOS (/sys/firmware/dmi/tables/DMI readable), memory_devices and smbios_tables must
# count what dmidecode counts on the same host; where it exports none (the CI machine), they
# must be empty.
set -u
: "${HOSTQI:?HOSTQI must point to the hostqi binary}"
fails=0
dmi=/sys/firmware/dmi/tables/DMI

if [ -e "$dmi" ] && [ ! -r "$dmi" ]; then
	echo "skip: $dmi exists but is not readable by this user (the tables report EACCES)"
	exit 77
fi

for t in memory_devices memory_arrays memory_array_mapped_addresses memory_error_info \
	smbios_tables cpu_info platform_info memory_device_mapped_addresses oem_strings; do
	if ! out=$("$HOSTQI" --json "SELECT * FROM $t" 2>&1); then
		echo "FAIL: SELECT * FROM $t: $out"
		fails=$((fails + 1))
	fi
done

count() {
	"$HOSTQI" --list --noheader "SELECT count(*) FROM $1"
}

if [ -r "$dmi" ]; then
	if command -v dmidecode >/dev/null; then
		want=$(dmidecode -t 17 | grep -c '^Handle .*DMI type 17,' || true)
		got=$(count memory_devices)
		if [ "$want" != "$got" ]; then
			echo "FAIL: memory_devices has $got rows, dmidecode sees $want type 17 structures"
			fails=$((fails + 1))
		fi
	fi
	if [ "$(count smbios_tables)" -eq 0 ]; then
		echo "FAIL: $dmi is readable but smbios_tables is empty"
		fails=$((fails + 1))
	fi
else
	echo "host exports no SMBIOS ($dmi not readable): tables must be empty"
	for t in memory_devices smbios_tables cpu_info platform_info; do
		n=$(count "$t")
		if [ "$n" != "0" ]; then
			echo "FAIL: $t has $n rows without SMBIOS"
			fails=$((fails + 1))
		fi
	done
fi

exit $((fails > 0))
