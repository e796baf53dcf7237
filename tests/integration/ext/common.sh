# Shared helpers for tests/integration/ext_*.sh (sourced). Generates the Python stubs from our
# IDL into a temp dir, starts hostqi as a long-running manager reading SQL from a FIFO, and
# cleans everything up on exit.
set -u
: "${HOSTQI:?}" "${HQ_SRC:?}"
command -v thrift >/dev/null || { echo "thrift compiler missing"; exit 77; }
# Debian's python3-thrift lives in the system interpreter; a python3 earlier in PATH (pyenv)
# may not see it.
PY=""
for cand in /usr/bin/python3 python3; do
	if "$cand" -c 'import thrift' 2>/dev/null; then
		PY=$cand
		break
	fi
done
[ -n "$PY" ] || { echo "python3-thrift missing"; exit 77; }

# Not directly in a sticky temp dir: the socket directory must be ours alone.
T=$(mktemp -d "${TMPDIR:-/tmp}/hq-ext-XXXXXX")
chmod 700 "$T"
export HQ_PYGEN="$T/py"
mkdir -p "$HQ_PYGEN"
thrift --gen py -out "$HQ_PYGEN" "$HQ_SRC/extensions/idl/extension.thrift"
PYEXT="$HQ_SRC/tests/integration/ext/pyext.py"
SOCK="$T/hostq.em"
PIDS=()
SHELL_PID=""

cleanup() {
	local p
	exec 3>&- 2>/dev/null || true
	if [ -n "$SHELL_PID" ]; then
		kill "$SHELL_PID" 2>/dev/null || true
		wait "$SHELL_PID" 2>/dev/null || true
	fi
	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	[ -n "${KEEP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*"
	[ -f "$T/shell.err" ] && { echo "--- hostqi stderr:"; tail -n 30 "$T/shell.err"; }
	exit 1
}

# start_shell [hostqi flags...]: hostqi reading SQL from a FIFO (fd 3), output in $T/shell.out.
start_shell() {
	mkfifo "$T/in"
	"$HOSTQI" --json --extensions_socket "$SOCK" --extensions_interval 1 "$@" \
		<"$T/in" >"$T/shell.out" 2>"$T/shell.err" &
	SHELL_PID=$!
	exec 3>"$T/in"
	wait_for 10 test -S "$SOCK" || fail "manager socket never appeared"
}

# wait_for SECONDS CMD...: polls CMD every 0.1 s.
wait_for() {
	local n=$(( $1 * 10 )); shift
	while [ "$n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

# start_ext ARGS...: a Python test extension in the background.
start_ext() {
	"$PY" "$PYEXT" ext --socket "$SOCK" "$@" >>"$T/ext.log" 2>&1 &
	PIDS+=($!)
	LAST_EXT=$!
}

# q SQL: runs SQL through the manager's query method (the shell's engine thread runs it).
q() {
	"$PY" "$PYEXT" query --socket "$SOCK" "$1"
}

# has_ext NAME: the manager lists NAME.
has_ext() {
	"$PY" "$PYEXT" call --socket "$SOCK" extensions | grep -q "\"$1\""
}
