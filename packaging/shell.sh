#!/bin/bash
# Installs dependencies, builds and starts the interactive shell (arguments go to hostqi).
set -euo pipefail
cd "$(dirname "$0")/.."
./packaging/deps.sh
cmake -S . -B build >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
exec ./build/hostqi "$@"
