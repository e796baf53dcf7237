# Preamble of the tests that run in a private network namespace (interfaces_netns,
# sockets_netns): skips (exit 77) without a needed command or the right to create a network
# namespace, makes the scratch dir $W (removed on exit) and exports W and HOSTQI for the
# `unshare --net bash -s` part. Sourced with the commands needed besides unshare:
#   . "$(dirname "$0")/lib/netns.bash" ip python3
set -u
: "${HOSTQI:?HOSTQI must point to the hostqi binary}"
for c in unshare "$@"; do
	command -v "$c" >/dev/null || {
		echo "no $c here"
		exit 77
	}
done
unshare --net true 2>/dev/null || {
	echo "cannot create a network namespace (needs root)"
	exit 77
}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
export W HOSTQI
