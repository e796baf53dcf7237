#!/bin/bash
# Installs dependencies, builds with warnings as errors and runs the whole test suite, then
# runs it again on an ASan+UBSan build (the QEMU wifi test, label vm, only once).
set -euo pipefail
cd "$(dirname "$0")/.."
./packaging/deps.sh
jobs=$(nproc)

cmake -S . -B build -DHQ_WERROR=ON >/dev/null
cmake --build build -j"$jobs"
(cd build && ctest --output-on-failure -j"$jobs" "$@")

cmake -S . -B build-asan -DHQ_WERROR=ON -DHQ_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$jobs"
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	ctest --output-on-failure -j"$jobs" -LE vm "$@")
