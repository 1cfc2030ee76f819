#!/usr/bin/env bash
# The test command of README.md: installs what is missing, configures with
# warnings as errors, builds, and runs the whole CTest suite (on PoCL).
# usage: scripts/test.sh [build-dir]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
"$root/scripts/install-deps.sh" --with-test-tools
cmake -S "$root" -B "$build" -DHB_WERROR=ON -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j"$(nproc)"
cd "$build"
ctest --output-on-failure -j"$(nproc)"
