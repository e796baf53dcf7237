#!/bin/bash
# hostqi at a terminal, driven through tmux the way a person types: a statement over two
# lines, Tab completion of a keyword, an error that leaves the shell running, history recall
# with the Up key, and the history file written on .quit.
set -u
: "${HOSTQI:?HOSTQI must point to the hostqi binary}"
command -v tmux >/dev/null || { echo "tmux is not installed"; exit 77; }
tmp=$(mktemp -d)
sock="$tmp/tmux.sock"
trap 'tmux -S "$sock" kill-server 2>/dev/null; rm -rf "$tmp"' EXIT
fails=0

keys() { tmux -S "$sock" send-keys -t hq "$@"; sleep 0.3; }
screen() { tmux -S "$sock" capture-pane -t hq -p; }
expect() { # description, fixed string the screen must show
	if screen | grep -qF -- "$2"; then echo "ok: $1"; else
		echo "FAIL: $1 (screen lacks '$2')"
		screen | sed 's/^/  | /'
		fails=$((fails + 1))
	fi
}

HOME="$tmp" tmux -S "$sock" new-session -d -s hq -x 100 -y 40 \
	"env HOME='$tmp' '$HOSTQI'; sleep 30"
sleep 0.5
expect banner "type '.help'"

keys "SELECT 40 + 2 AS answer," Enter
expect continuation-prompt "...>"
keys "  'hq' AS who\;" Enter
expect multi-line-result "| 42     | hq  |"

keys "SEL" Tab " 'completed' AS c\;" Enter
expect tab-completion "| completed |"

keys "SELEC 1\;" Enter
expect error-shown "Error: near \"SELEC\": syntax error"

keys C-l Up
expect history-recall "hostq> SELEC 1;"
keys C-u ".quit" Enter
sleep 0.3
if grep -q "answer" "$tmp/.hostq_history" 2>/dev/null; then echo "ok: history file"; else
	echo "FAIL: history file lacks the statement"
	fails=$((fails + 1))
fi
[ "$fails" -eq 0 ] && echo "hostqi_interactive: all passed"
[ "$fails" -eq 0 ]
