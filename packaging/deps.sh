#!/bin/sh
# Installs every Debian 12 package hostq needs to build, test and benchmark. Idempotent; run as
# root. Packages already present are skipped, so a second run does no network I/O.
set -eu

PKGS="build-essential cmake pkg-config git
libsqlite3-dev sqlite3 libjansson-dev libedit-dev libssl-dev libcmocka-dev
libsystemd-dev libcurl4-openssl-dev librdkafka-dev libnl-3-dev libnl-genl-3-dev libnl-route-3-dev
libglib2.0-dev libthrift-c-glib-dev thrift-compiler python3 python3-thrift
procps iproute2 dpkg-dev dmidecode util-linux hyperfine clang-format
systemd dbus dbus-user-session rsyslog qemu-system-x86 busybox-static
network-manager wpasupplicant iw kmod cpio
"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done

if [ -n "$missing" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "deps.sh: missing packages:$missing (run as root to install them)" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing
fi
