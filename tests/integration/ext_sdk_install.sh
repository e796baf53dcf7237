#!/bin/bash
# The installed SDK is usable on its own: `cmake --install` into a temp prefix, build the
# example table extension from its source with nothing but pkg-config, load it into hostqi with
# --extension and query it.
. "$HQ_SRC/tests/integration/ext/common.sh"
: "${HQ_BUILD:?}"
command -v cc >/dev/null && command -v pkg-config >/dev/null || { echo "no cc/pkg-config"; exit 77; }

cmake --install "$HQ_BUILD" --prefix "$T/prefix" >"$T/install.log" 2>&1 || fail "install: $(cat "$T/install.log")"
pc=$(find "$T/prefix" -name hostq-extension.pc | head -n 1)
[ -n "$pc" ] || fail "hostq-extension.pc not installed"
[ -f "$T/prefix/include/hostq/extension.h" ] || fail "header not installed"
export PKG_CONFIG_PATH="$(dirname "$pc")"
libdir=$(pkg-config --variable=libdir hostq-extension)
mkdir -p "$T/exts"
chmod 755 "$T/exts"
# A sanitizer build installs an instrumented library: the program must be instrumented too.
san=""
ldd "$libdir/libhostq-extension.so" | grep -q libasan && san="-fsanitize=address,undefined"
# shellcheck disable=SC2046,SC2086
cc -Wall -Werror $san -o "$T/exts/mine.ext" "$HQ_SRC/extensions/examples/example_table.c" \
	$(pkg-config --cflags --libs hostq-extension) -Wl,-rpath,"$libdir" 2>"$T/cc.log" ||
	fail "building against the installed SDK failed: $(cat "$T/cc.log")"
ldd "$T/exts/mine.ext" | grep -q "$T/prefix" || fail "not linked against the installed library"
out=$("$HOSTQI" --json --extensions_socket "$SOCK" --extension "$T/exts/mine.ext" \
	"SELECT word FROM hostq_example WHERE n = 10" 2>"$T/q.err") || fail "query: $(cat "$T/q.err")"
[ "$(echo "$out" | tr -d ' \n')" = '[{"word":"ten"}]' ] || fail "rows: $out"
echo ok
