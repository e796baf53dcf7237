#!/bin/bash
# Oracle test for the SMBIOS parser: Debian's dmidecode and hostq decode the same bytes and every
# memory_devices field must agree. Covers the 2.x (_SM_) and 3.x (_SM3_) entry points, empty
# slots, KB-granular sizes, the 0x7FFF Extended Size case, Extended Speed, short (2.1/2.3)
# structures and a corrupt table (bad string indexes, a truncated structure).
# Also checks that the committed fixture sysroots are exactly what the generator writes.
set -euo pipefail

: "${HOSTQI:?}" "${HQ_SRC:?}"
for cmd in dmidecode python3 cmp; do
	if ! command -v "$cmd" >/dev/null; then
		echo "skip: $cmd not installed (packaging/deps.sh installs it)"
		exit 77
	fi
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

gen="$HQ_SRC/tests/fixtures/smbios/gen_smbios.py"
cmpscript="$HQ_SRC/tests/fixtures/smbios/dmidecode_compare.py"
committed="$HQ_SRC/tests/fixtures/sysroots"
scenarios="v2 v3 v23 corrupt"

python3 "$gen" "$work/gen"
fail=0
for s in $scenarios badep; do
	for f in smbios_entry_point DMI; do
		rel="smbios-$s/sys/firmware/dmi/tables/$f"
		if ! cmp -s "$work/gen/$rel" "$committed/$rel"; then
			echo "FAIL: committed $rel differs from the generator's output (regenerate with $gen)"
			fail=1
		fi
	done
done

for s in $scenarios; do
	if ! python3 "$cmpscript" "$HOSTQI" "$work/gen/smbios-$s" "$work"; then
		fail=1
	fi
done

# Same for QEMU-built firmware tables when they were committed (tests/fixtures/sysroots/smbios-qemu-*).
for root in "$committed"/smbios-qemu-*; do
	[ -d "$root" ] || continue
	if ! python3 "$cmpscript" "$HOSTQI" "$root" "$work"; then
		fail=1
	fi
done

exit "$fail"
