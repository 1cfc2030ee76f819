#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The discovery limit and --model (runner/core/deadline.h,
# runner/discovery/discover.c, runner/models/opencl/opencl_discover.c) with
# an OpenCL driver that hangs (tests/fake_icd.c: its platform answers its
# name, then clGetDeviceIDs sleeps for an hour):
#   - the hanging platform is named, skipped within the limit, and the
#     other platforms (PoCL, when installed) and the host are still listed;
#   - with two platforms ocl-icd counts each one's devices while it loads
#     them (its platform sort), so the hang is inside clGetPlatformIDs: the
#     loader is named with the vendor files it reads, the host is listed;
#   - `list --model host` and `run --model host` never load an OpenCL
#     vendor library (nor CUDA's driver): fast, no message;
#   - a bad HB_DISCOVERY_TIMEOUT is bad usage (exit 2) naming the variable.
# usage: discovery_timeout.sh HBMBENCH FAKE_ICD_SO
set -u
hb=$1 icd=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0 passed=0
pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; sed 's/^/  | /' "$tmp/stderr" | tail -8; failed=$((failed + 1)); }

mkdir "$tmp/hang" "$tmp/both"
echo "$icd" >"$tmp/hang/hang.icd"
echo "$icd" >"$tmp/both/hang.icd"
pocl=""
for f in /etc/OpenCL/vendors/*.icd; do
    [ -e "$f" ] && grep -q pocl "$f" && cp "$f" "$tmp/both/" && pocl=1
done
platform_msg='hbmbench: opencl: platform "hbmbench hanging test platform" did not answer within 2 s; skipped (HB_DISCOVERY_TIMEOUT)'

# run_hb NAME ENV... -- ARGS: runs hbmbench under a hard 60 s cap, with
# rc and the elapsed seconds in $rc and $secs.
run_hb() {
    local envs=()
    while [ "$1" != "--" ]; do envs+=("$1"); shift; done
    shift
    local t0=$(date +%s%N)
    env "${envs[@]}" timeout 60 "$hb" "$@" >"$tmp/stdout" 2>"$tmp/stderr"
    rc=$?
    ms=$((($(date +%s%N) - t0) / 1000000))
    secs=$((ms / 1000)).$(printf %03d $((ms % 1000)))
}
fast() { [ "$ms" -lt $(($1 * 1000)) ]; }
host_listed() { grep -q '^\[[0-9]*\] host$' "$tmp/stdout"; }

# 1. One platform that hangs in clGetDeviceIDs: named, skipped; exit 3
#    (no device but the host's); the host listed.
run_hb OCL_ICD_VENDORS="$tmp/hang" HB_DISCOVERY_TIMEOUT=2 -- list
if [ $rc -ne 3 ]; then fail "hanging platform alone: exit $rc, expected 3 ($secs s)"
elif ! fast 10; then fail "hanging platform alone: took $secs s with a 2 s limit"
elif ! grep -qxF "$platform_msg" "$tmp/stderr"; then fail "hanging platform alone: no message naming it"
elif ! host_listed; then fail "hanging platform alone: the host is not listed"
else pass "hanging platform alone: named and skipped in $secs s, the host listed, exit 3"; fi

# 2. The hanging platform beside PoCL, ocl-icd's sort off (so the hang is
#    in hbmbench's own per-platform step): PoCL's device still listed.
if [ -n "$pocl" ]; then
    run_hb OCL_ICD_VENDORS="$tmp/both" OCL_ICD_PLATFORM_SORT=none HB_DISCOVERY_TIMEOUT=2 -- list
    if [ $rc -ne 0 ]; then fail "hanging platform beside PoCL: exit $rc, expected 0 ($secs s)"
    elif ! fast 10; then fail "hanging platform beside PoCL: took $secs s"
    elif ! grep -qxF "$platform_msg" "$tmp/stderr"; then fail "hanging platform beside PoCL: no message naming it"
    elif ! grep -q "platform Portable Computing Language" "$tmp/stdout"; then fail "hanging platform beside PoCL: PoCL not listed"
    elif ! host_listed; then fail "hanging platform beside PoCL: the host is not listed"
    else pass "hanging platform beside PoCL: named and skipped in $secs s, PoCL and the host listed"; fi

    # 3. The same with ocl-icd's sort: the loader itself hangs.
    run_hb OCL_ICD_VENDORS="$tmp/both" HB_DISCOVERY_TIMEOUT=2 -- list
    if [ $rc -ne 3 ]; then fail "hanging loader: exit $rc, expected 3 ($secs s)"
    elif ! fast 10; then fail "hanging loader: took $secs s"
    elif ! grep -q "^hbmbench: opencl: the ICD loader (clGetPlatformIDs, loading the vendor libraries of $tmp/both:.*hang.icd.*) did not answer within 2 s; skipped (HB_DISCOVERY_TIMEOUT)$" "$tmp/stderr"
    then fail "hanging loader: no message naming the loader and the vendor files"
    elif ! host_listed; then fail "hanging loader: the host is not listed"
    else pass "hanging loader: named with its vendor files, skipped in $secs s, the host listed"; fi
else
    echo "SKIP hanging platform beside PoCL: PoCL's ICD is not installed"
fi

# 4. --model host: OpenCL and CUDA never asked, so nothing of theirs is
#    loaded (LD_DEBUG=files lists every library the process loads).
run_hb OCL_ICD_VENDORS="$tmp/both" HB_DISCOVERY_TIMEOUT=2 LD_DEBUG=files -- list --model host
if [ $rc -ne 0 ]; then fail "list --model host: exit $rc, expected 0"
elif ! fast 5; then fail "list --model host: took $secs s"
elif grep -q "did not answer" "$tmp/stderr"; then fail "list --model host: a discovery timed out"
elif grep -qE "file=[^ ]*(libhb_fake_icd|libpocl|libcuda)" "$tmp/stderr"; then fail "list --model host: a vendor library was loaded"
elif ! host_listed || [ "$(grep -c '^\[' "$tmp/stdout")" -ne 1 ]; then fail "list --model host: not the host alone"
else pass "list --model host: the host alone, no vendor library loaded ($secs s)"; fi

run_hb OCL_ICD_VENDORS="$tmp/both" HB_DISCOVERY_TIMEOUT=2 -- run --model host --device host --bench copy \
    --dtype f32 --size 1MiB --iters 2 --warmup 0 --tune off --quiet --out "$tmp/run.json"
if [ $rc -ne 0 ]; then fail "run --model host: exit $rc, expected 0"
elif ! fast 30; then fail "run --model host: took $secs s"
elif grep -q "did not answer" "$tmp/stderr"; then fail "run --model host: a discovery timed out"
elif [ ! -s "$tmp/run.json" ]; then fail "run --model host: no result file"
else pass "run --model host: measured without discovering OpenCL ($secs s)"; fi

# 5. The limit is checked before anything is discovered.
for bad in abc -1 86401 " 5" inf 1e999; do
    run_hb HB_DISCOVERY_TIMEOUT="$bad" -- list --model host
    if [ $rc -ne 2 ]; then fail "HB_DISCOVERY_TIMEOUT='$bad': exit $rc, expected 2"
    elif ! grep -q "^hbmbench list: HB_DISCOVERY_TIMEOUT: '$bad' is not a number of seconds" "$tmp/stderr"
    then fail "HB_DISCOVERY_TIMEOUT='$bad': the message does not name the variable"
    else pass "HB_DISCOVERY_TIMEOUT='$bad': bad usage, exit 2"; fi
done
run_hb HB_DISCOVERY_TIMEOUT=abc -- run --model host --device host --out "$tmp/bad.json"
if [ $rc -ne 2 ] || [ -e "$tmp/bad.json" ]; then fail "run with HB_DISCOVERY_TIMEOUT=abc: exit $rc, expected 2 and no file"
else pass "run with HB_DISCOVERY_TIMEOUT=abc: bad usage, exit 2"; fi
for good in 0 0.5 30; do
    run_hb HB_DISCOVERY_TIMEOUT=$good -- list --model host
    if [ $rc -ne 0 ]; then fail "HB_DISCOVERY_TIMEOUT=$good: exit $rc, expected 0"
    else pass "HB_DISCOVERY_TIMEOUT=$good accepted"; fi
done

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
