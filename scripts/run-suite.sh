#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The main job of README.md: installs what is missing, builds, lists the
# devices and runs the default suite (every GPU, else the CPU device) plus
# the native host baseline. Extra arguments go to `hbmbench run`.
# usage: scripts/run-suite.sh [hbmbench run options]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build
"$root/scripts/install-deps.sh"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null
"$build/hbmbench" list
cd "$root"
exec "$build/hbmbench" run --device default,host "$@"
