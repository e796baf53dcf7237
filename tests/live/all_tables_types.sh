#!/bin/bash
# Every registered table answers on this machine without error, and every value of every
# column (hidden ones included) has the storage class its declared type promises. Tables
# with required columns get a constraint that names something present on any Debian host.
set -u
: "${HOSTQI:?HOSTQI must point to the hostqi binary}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

declare -A where=(
	[file]="WHERE path = '/etc/hostname' OR directory = '/etc/apt'"
	[hash]="WHERE path = '/etc/hostname'"
	[deb_package_files]="WHERE package = 'dpkg'"
)

tables=$("$HOSTQI" .tables | sed -n 's/^  => //p')
[ -n "$tables" ] || { echo "FAIL: .tables listed nothing"; exit 1; }
fails=0
checked=0
for t in $tables; do
	# Column names and declared types, hidden columns included.
	if ! "$HOSTQI" --list --header=false --separator '|' \
		"SELECT name, type FROM pragma_table_xinfo('$t')" >"$tmp/cols" 2>"$tmp/err"; then
		echo "FAIL: $t: schema: $(cat "$tmp/err")"
		fails=$((fails + 1))
		continue
	fi
	select=""
	while IFS='|' read -r name type; do
		select+="${select:+, }typeof(\`$name\`) || ':$type'"
	done <"$tmp/cols"
	if ! "$HOSTQI" --list --header=false --separator $'\t' \
		"SELECT $select FROM $t ${where[$t]:-}" >"$tmp/types" 2>"$tmp/err"; then
		echo "FAIL: $t: SELECT failed: $(cat "$tmp/err")"
		fails=$((fails + 1))
		continue
	fi
	bad=$(tr '\t' '\n' <"$tmp/types" | sort -u | awk -F: '
		$1 == "null" { next }
		$2 ~ /INT/ && $1 == "integer" { next }
		$2 == "DOUBLE" && ($1 == "real" || $1 == "integer") { next }
		$2 == "TEXT" && $1 == "text" { next }
		$2 == "BLOB" && $1 == "blob" { next }
		{ print }')
	if [ -n "$bad" ]; then
		echo "FAIL: $t: values of the wrong type: $(echo $bad)"
		fails=$((fails + 1))
	fi
	checked=$((checked + 1))
	echo "ok: $t ($(wc -l <"$tmp/types") rows)"
done
echo "all_tables_types: $checked tables checked, $fails failed"
[ "$fails" -eq 0 ]
