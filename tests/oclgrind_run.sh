#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# One `hbmbench run` under Oclgrind (Debian's `oclgrind`, 21.10), the OpenCL
# device simulator that checks every work-item's memory accesses: it fails
# when Oclgrind reports anything (out-of-bounds accesses, which it always
# checks; data races in local and global memory, --data-races; barrier
# divergence; OpenCL API misuse, --check-api; uninitialised values with
# --uninitialized; --uniform-writes reports races whose writers store the
# same value too), when hbmbench exits non-zero, and when a result or any
# tuning configuration did not verify or did not run (tests/oclgrind_check.py).
# Oclgrind 21.10 has no option that makes a diagnostic fatal, and its exit
# status is the program's, so the test fails when its log (--log) is not
# empty.
#
# usage: oclgrind_run.sh [options] HBMBENCH PYTHON CHECK_PY -- RUN_ARGS...
#   --as TYPE SHIM   the device reports type TYPE (CPU or GPU) through the
#                    LD_PRELOAD library SHIM (tests/device_type_shim.c), so
#                    the run takes that type's tuning grid
#   --pocl           run on PoCL (the first OpenCL device) instead of under
#                    Oclgrind: the results are still checked
#   --uninitialized  add Oclgrind's --uninitialized and run each bench and
#                    dtype in a process of its own (tests/oclgrind.cmake says why)
#   --oclgrind ARGS  pass ARGS (split at spaces) to oclgrind
#   --check ARGS     pass ARGS (split at spaces) to the checker
# RUN_ARGS are `hbmbench run` options; --device, --out and --quiet are
# added. The tuning cache starts empty, so each shape class (square, skinny,
# GEMV-like) runs its whole GEMM list at its first shape (its largest square)
# and the others run the winner. Exits 77 (skipped) when oclgrind is not
# installed.
set -u
as="" shim="" pocl=0 uninit=0 checks=() ogopts=()
while [ $# -gt 0 ]; do
    case $1 in
    --as) as=$2 shim=$3; shift 3 ;;
    --pocl) pocl=1; shift ;;
    --uninitialized) uninit=1; shift ;;
    --oclgrind) read -r -a more <<<"$2"; ogopts+=("${more[@]}"); shift 2 ;;
    --check) read -r -a more <<<"$2"; checks+=("${more[@]}"); shift 2 ;;
    *) break ;;
    esac
done
hb=$1 py=$2 checker=$3
shift 3
[ "${1:-}" = "--" ] && shift
run_args=("$@")

if [ $pocl -eq 0 ] && ! command -v oclgrind >/dev/null; then
    echo "SKIP: oclgrind is not installed (Debian: apt-get install oclgrind)"
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_CACHE_HOME="$tmp/cache" # an empty tuning cache

# The --bench and --dtype lists, for the checker and for one process per bench.
benches="copy,scale,add,triad,dot,read,write" dtypes="f32,f64"
for ((i = 0; i < ${#run_args[@]}; i++)); do
    case ${run_args[i]} in
    --bench) benches=${run_args[i + 1]} ;;
    --dtype) dtypes=${run_args[i + 1]} ;;
    esac
done
# One process for the run, or (--uninitialized) one per bench and dtype.
groups=("")
if [ $uninit -eq 1 ]; then
    groups=()
    IFS=, read -r -a bs <<<"$benches"
    IFS=, read -r -a ts <<<"$dtypes"
    for b in "${bs[@]}"; do
        for t in "${ts[@]}"; do
            groups+=("--bench $b --dtype $t")
        done
    done
fi

tool=()
if [ $pocl -eq 0 ]; then
    tool=(oclgrind --check-api --data-races --uniform-writes --max-errors 50 --log "$tmp/oclgrind.log"
          "${ogopts[@]}")
    [ $uninit -eq 1 ] && tool+=(--uninitialized)
fi
# The shim must precede whatever it wraps in LD_PRELOAD; the oclgrind
# wrapper puts its runtime first, so the shim is added inside it.
if [ -n "$as" ]; then
    export HB_TEST_DEVICE_TYPE=$as
    tool+=(/bin/sh -c 'LD_PRELOAD="$0${LD_PRELOAD:+:$LD_PRELOAD}" exec "$@"' "$shim")
fi
device=oclgrind
[ $pocl -eq 1 ] && device=0

failed=0 outs=() n=0
for g in "${groups[@]}"; do
    out="$tmp/run-$((n++)).json"
    read -r -a only <<<"$g" # the last --bench and --dtype win
    start=$(date +%s)
    "${tool[@]}" "$hb" run --device "$device" --quiet --out "$out" "${run_args[@]}" "${only[@]}" \
        >"$tmp/stdout" 2>"$tmp/stderr"
    rc=$?
    echo "ran${g:+ $g} in $(($(date +%s) - start)) s: exit $rc"
    if [ $rc -ne 0 ]; then
        echo "FAIL hbmbench exited $rc"
        sed 's/^/  | /' "$tmp/stderr" | tail -20
        failed=1
    fi
    if [ -s "$tmp/oclgrind.log" ]; then
        echo "FAIL Oclgrind reported $(grep -c '^[^[:space:]]' "$tmp/oclgrind.log") diagnostic(s); the first:"
        sed 's/^/  | /' "$tmp/oclgrind.log" | head -60
        failed=1
    fi
    rm -f "$tmp/oclgrind.log"
    [ -s "$out" ] && outs+=("$out")
done
if [ ${#outs[@]} -eq 0 ]; then
    echo "FAIL no result file"
    exit 1
fi
"$py" "$checker" --benches "$benches" --dtypes "$dtypes" "${checks[@]}" "${outs[@]}" || failed=1
[ $failed -eq 0 ] && echo "PASS every kernel run clean"
exit $failed
