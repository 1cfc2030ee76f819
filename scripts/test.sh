#!/usr/bin/env bash
# The test command of README.md: installs what is missing, then runs the
# whole CTest suite (on PoCL) in two configurations, each in its own build
# directory and each configured with warnings as errors:
#   BUILD           the release build, as users build it, with valgrind's
#                   memcheck of list, a tiny run and compare;
#   BUILD-sanitize  clang with ASan, UBSan and LeakSanitizer (HB_SANITIZE) and
#                   the libFuzzer targets (HB_FUZZ), each fuzzing for
#                   HB_FUZZ_SECONDS (default 20) on top of the same suite.
# usage: scripts/test.sh [build-dir]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
jobs=$(nproc)
"$root/scripts/install-deps.sh" --with-test-tools
cmake -S "$root" -B "$build" -DHB_WERROR=ON -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j"$jobs"
(cd "$build" && ctest --output-on-failure -j"$jobs")

san=$build-sanitize
CC=clang-14 cmake -S "$root" -B "$san" -DHB_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DHB_SANITIZE=ON -DHB_FUZZ=ON -DHB_FUZZ_SECONDS="${HB_FUZZ_SECONDS:-20}" >/dev/null
cmake --build "$san" -j"$jobs"
(cd "$san" && ctest --output-on-failure -j"$jobs")
