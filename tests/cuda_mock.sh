#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The cuda model end to end on a machine without a GPU: the mock driver
# (tests/mock_cuda/mock_libcuda.c, loaded with HB_LIBCUDA) runs the kernels'
# semantics on the host, while NVRTC compiles the real kernels. So `list`,
# `run --model cuda` (every stream kernel, both dtypes, a size sweep, the
# whole tuning grid of two kernels) and the result file go through the
# model's real code. Skipped (77) where NVRTC does not load.
# With the mock NVML too (tests/mock_cuda/mock_nvml.c, first on
# LD_LIBRARY_PATH), the GPU state around each measurement and NVML's peak.
# usage: cuda_mock.sh HBMBENCH MOCK_LIBCUDA PYTHON VALIDATE_SCHEMA MOCK_NVML
set -u
hb=$1
mock=$2
py=$3
validate=$4
mock_nvml=$5
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0 passed=0
pass() { echo "PASS $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
export HB_LIBCUDA=$mock

"$hb" list >"$tmp/list.txt" 2>"$tmp/list.err"
if grep -q "^hbmbench list: cuda: .*NVRTC" "$tmp/list.err"; then
    echo "SKIP: $(cat "$tmp/list.err")"
    exit 77
fi
if grep -q "Mock GPU" "$tmp/list.txt" && grep -q "model cuda" "$tmp/list.txt" &&
    grep -q "compute capability 9.9" "$tmp/list.txt" && grep -q "PCI 0000:c1:00.0" "$tmp/list.txt"; then
    pass "list shows the mock GPU with the cuda model"
else
    fail "list"; cat "$tmp/list.txt" "$tmp/list.err"
fi

# check FILE N: N valid cuda results with CUDA-event timing, schema-valid
check() {
    "$py" - "$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); n = int(sys.argv[2])
rs = d["results"]
bad = [r["bench"] + " " + r["dtype"] + ": " + r["notes"] for r in rs
       if not r["valid"] or r["model"] != "cuda" or r["timer"] != "cuda-events" or not r["stats"]["min_s"] > 0]
if bad:
    print("\n".join(bad))
sys.exit(0 if len(rs) == n and not bad and d["devices"][0]["models"] == ["cuda"] else 1)
PY
}

run() {
    local name=$1 n=$2
    shift 2
    "$hb" run --device mock --model cuda --iters 3 --out "$tmp/$name.json" "$@" >"$tmp/$name.txt" 2>"$tmp/$name.err"
    local rc=$?
    if [ $rc -eq 0 ] && check "$tmp/$name.json" "$n" && "$py" "$validate" "$tmp/$name.json" >/dev/null; then
        pass "$name (exit 0, $n valid results, schema-valid)"
    else
        fail "$name: exit $rc"; sed 's/^/  | /' "$tmp/$name.err" | head -20; grep INVALID "$tmp/$name.txt" | head
    fi
}
run "every kernel, f32 and f64" 14 --size 1MiB
run "odd size (a vector tail)" 14 --size 262147 --tune off
run "sweep" 20 --size 64KiB --sweep --bench triad,dot --dtype f32,f64
run "full grid" 2 --size 96KiB --tune full --retune --bench add,read --dtype f64
if grep -q "block=" "$tmp/every kernel, f32 and f64.txt" && grep -q "loop=grid-stride" "$tmp/every kernel, f32 and f64.txt"; then
    pass "the table shows the CUDA configuration"
else
    fail "no CUDA configuration in the table"
fi
"$py" - "$tmp/full grid.json" <<'PY' && pass "the full grid ran every point" || fail "full grid points"
import json, sys
rs = json.load(open(sys.argv[1]))["results"]
ok = all(len(r["grid"]) >= 40 and all(g["valid"] or g["note"].startswith("skipped") for g in r["grid"]) for r in rs)
print([len(r["grid"]) for r in rs])
sys.exit(0 if ok else 1)
PY
# Verification on the device: a corrupted element (the mock's
# HB_MOCK_CORRUPT) and a planted mismatch (HB_FAULT) each make the result
# invalid, named, and the exit status 1; --verify both agrees.
for how in "HB_MOCK_CORRUPT=4321 --verify device" "HB_MOCK_CORRUPT=4321 --verify both" \
    "HB_FAULT=verify:1 --verify device"; do
    read -r var opt mode <<<"$how"
    env "$var" "$hb" run --device mock --model cuda --bench triad --dtype f64 --size 64KiB --tune off --iters 2 \
        "$opt" "$mode" --out "$tmp/bad.json" --force >"$tmp/bad.txt" 2>"$tmp/bad.err"
    rc=$?
    want="a\[4321\] = .*1 of 8192 elements wrong"
    [ "${var%%=*}" = HB_FAULT ] && want="injected by HB_FAULT"
    if [ $rc -eq 1 ] && grep -q "$want" "$tmp/bad.json" && ! grep -q disagree "$tmp/bad.json" &&
        "$py" -c 'import json,sys; sys.exit(json.load(open(sys.argv[1]))["results"][0]["valid"])' "$tmp/bad.json"; then
        pass "$how: caught, named, invalid, exit 1"
    else
        fail "$how: exit $rc"; grep -o '"notes": "[^"]*"' "$tmp/bad.json" | head -3; sed 's/^/  | /' "$tmp/bad.err" | head
    fi
done

# cuBLAS's row: not run where the library does not load; where it loads but
# finds no driver of its own (the mock is no driver to it), an invalid row.
HB_CUBLAS="$tmp/none/libcublas.so" "$hb" run --device mock --model cuda --bench gemm --dtype f32 --gemm-sizes 64 \
    --iters 2 --out "$tmp/gemm.json" >/dev/null 2>"$tmp/gemm.err"
rc=$?
if [ $rc -eq 0 ] && grep -q "gemm f32 cublas not run: HB_CUBLAS=.* does not load" "$tmp/gemm.err"; then
    pass "cuBLAS missing: its row is not run, and the run says why (exit 0)"
else
    fail "cuBLAS missing: exit $rc"; sed 's/^/  | /' "$tmp/gemm.err"
fi
"$hb" run --device mock --model cuda --bench gemm --dtype f32 --gemm-sizes 64 --iters 2 --out "$tmp/gemm2.json" \
    >"$tmp/gemm.txt" 2>"$tmp/gemm.err"
rc=$?
if grep -q "cublas not run" "$tmp/gemm.err"; then
    echo "SKIP cuBLAS without a driver: no libcublas here"
elif [ $rc -eq 1 ] && grep -q "default configuration cannot run: cublasCreate: CUBLAS_STATUS_" "$tmp/gemm.txt"; then
    pass "cuBLAS without a usable driver: an invalid row naming cublasCreate's status (exit 1)"
else
    fail "cuBLAS without a driver: exit $rc"; sed 's/^/  | /' "$tmp/gemm.err" "$tmp/gemm.txt" | tail -5
fi

# NVML: the state around each measurement, noted and in the file; the peak.
LD_LIBRARY_PATH="$(dirname "$mock_nvml")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
    "$hb" run --device mock --model cuda --iters 3 --size 64KiB --bench triad,dot --dtype f32 --tune off \
    --out "$tmp/nvml.json" >"$tmp/nvml.txt" 2>"$tmp/nvml.err"
rc=$?
cat >"$tmp/nvml.py" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
rs = d["results"]
ok = len(rs) == 2 and all(
    r["valid"] and r["telemetry"]["clocks_dropped"] and r["telemetry"]["throttled"]
    and r["telemetry"]["before"]["sm_clock_mhz"] == 1980 and r["telemetry"]["after"]["sm_clock_mhz"] == 1500
    and r["telemetry"]["after"]["throttle_reasons"] == ["sw_power_cap"] and r["telemetry"]["after"]["ecc"] is True
    and r["telemetry"]["after"]["power_w"] == 412.345 and r["telemetry"]["after"]["temperature_c"] == 47
    and "SM clock fell from 1980 to 1500 MHz" in r["notes"] and "sw_power_cap" in r["notes"] for r in rs)
# the window of at least 1 s around the final measurement (runner/peaks/nvml_state.c)
ok = ok and all(
    r["telemetry"]["window"]["samples"] >= 10
    and r["telemetry"]["window"]["sm_clock_mhz"]["min"] < r["telemetry"]["window"]["sm_clock_mhz"]["max"]
    and r["telemetry"]["window"]["throttle_reasons"] == ["sw_power_cap"] for r in rs)
peak = d["devices"][0]["peaks"]["bandwidth_gbs"]
ok = ok and peak["source"] == "vendor" and abs(peak["value"] - 3352.32) < 0.01
if not ok:
    print(json.dumps([r.get("telemetry") for r in rs], indent=1), peak)
sys.exit(0 if ok else 1)
PY
if [ $rc -eq 0 ] && "$py" "$tmp/nvml.py" "$tmp/nvml.json" && "$py" "$validate" "$tmp/nvml.json" >/dev/null &&
    grep -q "GPU state during the timed iterations: SM clock fell" "$tmp/nvml.txt"; then
    pass "NVML: clocks and throttling sampled around each measurement and over a 1 s window, noted, in the file;" \
        "peak from NVML"
else
    fail "NVML telemetry (exit $rc)"; sed 's/^/  | /' "$tmp/nvml.err" | head
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
