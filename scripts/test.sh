#!/usr/bin/env bash
# The test command of README.md: installs what is missing, configures with
# warnings as errors, builds, and runs the whole CTest suite (on PoCL).
# Where an MPI compiler is installed (install-deps.sh puts Open MPI there)
# the MPI part is built and its tests run too (docs/cluster.md).
# usage: scripts/test.sh [build-dir]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
"$root/scripts/install-deps.sh" --with-test-tools
mpi=-DHB_WITH_MPI=OFF
command -v mpicc >/dev/null 2>&1 && mpi=-DHB_WITH_MPI=ON
cmake -S "$root" -B "$build" -DHB_WERROR=ON -DCMAKE_BUILD_TYPE=Release "$mpi" >/dev/null
cmake --build "$build" -j"$(nproc)"
cd "$build"
ctest --output-on-failure -j"$(nproc)"
