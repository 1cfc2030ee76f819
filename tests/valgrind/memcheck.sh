#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Valgrind memcheck of what a user runs: `hbmbench list`, a tiny run and
# `compare` of its result with itself. Any memory error, or a definite
# leak, outside the suppressions in memcheck.supp (PoCL, LLVM and glibc
# noise, each explained there) fails the test. Exits 77 (CTest: skipped)
# when valgrind is not installed (Debian package `valgrind`; scripts/
# install-deps.sh --with-test-tools installs it).
# usage: memcheck.sh HBMBENCH SUPPRESSIONS
set -u
hb=$1
supp=$2
command -v valgrind >/dev/null || { echo "SKIP valgrind is not installed"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0 passed=0
tiny=(run --size 64KiB --iters 2 --tune off --bench copy,dot)

# PoCL compiles each kernel with LLVM the first time and keeps the result
# in its disk cache: a native run first, so valgrind spends its time on our
# code rather than on LLVM under emulation.
"$hb" "${tiny[@]}" --quiet --out "$tmp/warm.json" >/dev/null 2>&1

# memcheck NAME ARGS...: hbmbench ARGS under memcheck; errors exit 99.
memcheck() {
    local name=$1
    shift
    valgrind --tool=memcheck --error-exitcode=99 --leak-check=full --show-leak-kinds=definite \
        --errors-for-leak-kinds=definite --track-origins=yes --num-callers=40 \
        --suppressions="$supp" --gen-suppressions=all --log-file="$tmp/$name.log" \
        "$hb" "$@" >"$tmp/$name.out" 2>&1
    local rc=$?
    if [ "$rc" -eq 0 ]; then
        echo "PASS $name: $(grep -E 'ERROR SUMMARY' "$tmp/$name.log" | sed 's/^==[0-9]*== //')"
        passed=$((passed + 1))
    else
        echo "FAIL $name: exit $rc"
        sed 's/^/  | /' "$tmp/$name.out" | tail -5
        grep -vE '^==[0-9]+== ?$' "$tmp/$name.log" | sed 's/^/  | /' | head -120
        failed=$((failed + 1))
    fi
}

memcheck list list
memcheck run "${tiny[@]}" --out "$tmp/run.json"
memcheck compare compare "$tmp/run.json" "$tmp/run.json"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
