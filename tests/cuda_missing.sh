#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Without a working CUDA driver hbmbench behaves as before: the cuda model
# says why in one status line, and `list` and `run` keep their exit codes
# (list exits 3 only when no device but the host's exists). Two ways to
# lack a driver: none at all (HB_LIBCUDA names a file that does not exist),
# and the CUDA toolkit's link-time stub found as libcuda.so.1, which must
# be refused, not used.
# Also: with no OpenCL platform but NVIDIA's OpenCL library loadable (a
# stand-in shared object under its name), the OpenCL status says the ICD
# file is missing and gives the two lines that register it.
# usage: cuda_missing.sh HBMBENCH PYTHON ANY_SHARED_OBJECT
set -u
hb=$1
py=$2
any_so=$(readlink -f "$3")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0 passed=0
pass() { echo "PASS $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }

# The exit code `list` must give: 0 when it lists a device other than the host's.
expected_rc() {
    "$py" -c 'import json,sys; d=json.load(sys.stdin)["devices"]; sys.exit(0 if any(not x["is_host"] for x in d) else 3)' \
        <"$1"
    echo $?
}

# check NAME PATTERN ENV...: `list` under ENV gives one cuda status line
# matching PATTERN and the exit code its device list implies.
check() {
    local name=$1 pattern=$2
    shift 2
    env "$@" "$hb" list --json >"$tmp/list.json" 2>"$tmp/stderr.json"
    env "$@" "$hb" list >"$tmp/stdout" 2>"$tmp/stderr"
    local rc=$? want
    want=$(expected_rc "$tmp/list.json")
    local lines
    lines=$(grep -c '^hbmbench list: cuda: ' "$tmp/stderr")
    if [ "$rc" -ne "$want" ]; then
        fail "$name: list exit $rc, expected $want"; sed 's/^/  | /' "$tmp/stderr"
    elif [ "$lines" -ne 1 ] || ! grep -qE "^hbmbench list: cuda: .*$pattern" "$tmp/stderr"; then
        fail "$name: expected one cuda status line matching /$pattern/"; sed 's/^/  | /' "$tmp/stderr"
    elif grep -q '^\[.*\]' "$tmp/stdout" && grep -q 'model cuda' "$tmp/stdout"; then
        fail "$name: a cuda device was listed"
    else
        pass "$name (exit $rc): $(grep '^hbmbench list: cuda: ' "$tmp/stderr")"
    fi
}

missing=(HB_LIBCUDA="$tmp/none/libcuda.so.1")
check "no driver" "no NVIDIA driver: .*libcuda.so.1" "${missing[@]}"
mkdir -p "$tmp/empty-vendors"
check "no driver, no OpenCL platform" "no NVIDIA driver" "${missing[@]}" OCL_ICD_VENDORS="$tmp/empty-vendors"

stub=""
for d in "${CUDA_HOME:-}" "${CUDA_PATH:-}" /usr/local/cuda; do
    [ -n "$d" ] && [ -e "$d/lib64/stubs/libcuda.so" ] && stub="$d/lib64/stubs/libcuda.so" && break
done
if [ -n "$stub" ]; then
    mkdir -p "$tmp/stub"
    ln -s "$stub" "$tmp/stub/libcuda.so.1"
    check "the toolkit's stub as libcuda.so.1" "cuInit: CUDA_ERROR_STUB_LIBRARY.*refused" \
        LD_LIBRARY_PATH="$tmp/stub${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" HB_LIBCUDA=
else
    echo "SKIP the stub case: no stubs/libcuda.so under \$CUDA_HOME, \$CUDA_PATH or /usr/local/cuda"
fi

# A run on the first device is unaffected.
env "${missing[@]}" "$hb" list --json >"$tmp/list.json" 2>/dev/null
if [ "$(expected_rc "$tmp/list.json")" -eq 0 ]; then
    env "${missing[@]}" "$hb" run --device 0 --bench copy --dtype f32 --size 64KiB --iters 2 --tune off \
        --out "$tmp/run.json" >/dev/null 2>"$tmp/stderr"
    rc=$?
    if [ $rc -eq 0 ] && [ -s "$tmp/run.json" ]; then pass "run on device 0 without a driver (exit 0)"
    else fail "run on device 0 without a driver: exit $rc"; sed 's/^/  | /' "$tmp/stderr"; fi
fi
env "${missing[@]}" OCL_ICD_VENDORS="$tmp/empty-vendors" "$hb" run --out "$tmp/none.json" >/dev/null 2>"$tmp/stderr"
rc=$?
if [ $rc -eq 3 ] && grep -q "cuda: no NVIDIA driver" "$tmp/stderr" && [ ! -e "$tmp/none.json" ]; then
    pass "run with no device at all exits 3 and names the cuda status"
else
    fail "run with no device: exit $rc"; sed 's/^/  | /' "$tmp/stderr"
fi
env "${missing[@]}" "$hb" run --model cuda --out "$tmp/none.json" >/dev/null 2>"$tmp/stderr"
rc=$?
if [ $rc -eq 3 ] && grep -q "no selected device can be measured by --model cuda; cuda: no NVIDIA driver" "$tmp/stderr"; then
    pass "run --model cuda without a driver exits 3 with the cuda status"
else
    fail "run --model cuda without a driver: exit $rc"; sed 's/^/  | /' "$tmp/stderr"
fi
"$hb" run --model metal --out "$tmp/none.json" >/dev/null 2>"$tmp/stderr"
rc=$?
if [ $rc -eq 2 ] && grep -q -- "--model: unknown value 'metal'" "$tmp/stderr"; then pass "run --model metal is bad usage"
else fail "run --model metal: exit $rc"; sed 's/^/  | /' "$tmp/stderr"; fi
mkdir -p "$tmp/nvocl"
ln -s "$any_so" "$tmp/nvocl/libnvidia-opencl.so.1"
env LD_LIBRARY_PATH="$tmp/nvocl" OCL_ICD_VENDORS="$tmp/empty-vendors" "${missing[@]}" "$hb" list >/dev/null 2>"$tmp/stderr"
rc=$?
if [ $rc -eq 3 ] && grep -q "^hbmbench list: opencl: .*NVIDIA's OpenCL driver is installed .* without its ICD file" "$tmp/stderr" &&
    grep -qx "  mkdir -p /tmp/vendors && echo libnvidia-opencl.so.1 > /tmp/vendors/nvidia.icd" "$tmp/stderr" &&
    grep -qx "  export OCL_ICD_VENDORS=/tmp/vendors" "$tmp/stderr"; then
    pass "no platform but libnvidia-opencl.so.1 loadable: the ICD hint and its two lines (exit 3)"
else
    fail "ICD hint: exit $rc"; sed 's/^/  | /' "$tmp/stderr"
fi
env OCL_ICD_VENDORS="$tmp/empty-vendors" "${missing[@]}" "$hb" list >/dev/null 2>"$tmp/stderr"
if grep -q "NVIDIA's OpenCL driver" "$tmp/stderr" && ! ldconfig -p 2>/dev/null | grep -q libnvidia-opencl.so.1; then
    fail "ICD hint without the library"
else
    pass "no hint where the library is not loadable"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
