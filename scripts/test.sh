#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The test command of README.md: installs what is missing, then runs the
# whole CTest suite (on PoCL) in two configurations, each in its own build
# directory and each configured with warnings as errors:
#   BUILD           the release build, as users build it, with valgrind's
#                   memcheck of list, a tiny run and compare;
#   BUILD-sanitize  clang with ASan, UBSan and LeakSanitizer (HB_SANITIZE) and
#                   the libFuzzer targets (HB_FUZZ), each fuzzing for
#                   HB_FUZZ_SECONDS (default 20) on top of the same suite.
# Where an MPI compiler is installed (install-deps.sh puts Open MPI there)
# the release build includes the MPI part and runs its tests (docs/cluster.md).
# usage: scripts/test.sh [build-dir]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
jobs=$(nproc)
"$root/scripts/install-deps.sh" --with-test-tools
mpi=-DHB_WITH_MPI=OFF
command -v mpicc >/dev/null 2>&1 && mpi=-DHB_WITH_MPI=ON
cmake -S "$root" -B "$build" -DHB_WERROR=ON -DCMAKE_BUILD_TYPE=Release "$mpi" >/dev/null
cmake --build "$build" -j"$jobs"
(cd "$build" && ctest --output-on-failure -j"$jobs")

san=$build-sanitize
CC=clang-14 cmake -S "$root" -B "$san" -DHB_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DHB_SANITIZE=ON -DHB_FUZZ=ON -DHB_FUZZ_SECONDS="${HB_FUZZ_SECONDS:-20}" >/dev/null
cmake --build "$san" -j"$jobs"
(cd "$san" && ctest --output-on-failure -j"$jobs")
