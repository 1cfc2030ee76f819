#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# CLI error classes (README "Exit codes"): each bad input must give its
# documented exit code and a message on stderr, and leave no result file.
# Also: a kernel that computes the wrong thing makes the run exit 1 with the
# result marked invalid; a kernel that does not compile shows its build log.
# usage: cli_errors.sh HBMBENCH SOURCE_DIR
set -u
hb=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0 passed=0

# expect NAME CODE PATTERN -- ARGS...: exit code CODE, stderr matching PATTERN, no $tmp/out.json
expect() {
    local name=$1 code=$2 pattern=$3
    shift 4
    rm -f "$tmp/out.json"
    "$@" >"$tmp/stdout" 2>"$tmp/stderr"
    local rc=$?
    if [ "$rc" -ne "$code" ]; then
        echo "FAIL $name: exit $rc, expected $code"; sed 's/^/  | /' "$tmp/stderr" | head -5; failed=$((failed + 1))
    elif [ -n "$pattern" ] && ! grep -qE -- "$pattern" "$tmp/stderr"; then
        echo "FAIL $name: stderr lacks /$pattern/"; sed 's/^/  | /' "$tmp/stderr" | head -5; failed=$((failed + 1))
    elif [ "$code" -ne 0 ] && [ "$code" -ne 1 ] && [ -e "$tmp/out.json" ]; then
        echo "FAIL $name: a result file was written"; failed=$((failed + 1))
    else
        echo "PASS $name (exit $rc)"; passed=$((passed + 1))
    fi
}

out=(--out "$tmp/out.json")
small=(--device 0 --size 64KiB --iters 2 --tune off --bench copy --dtype f32)

# Environment variables are checked like options (runner/core/env.c):
# exit 2 naming the variable, before anything runs; "" is unset.
for bad in -3 0 x 65536 " 4"; do
    expect "HBMBENCH_CL_SUBDEVICES='$bad' (list)" 2 "^hbmbench list: HBMBENCH_CL_SUBDEVICES: '$bad' is not a whole number from 1 to 65535" \
        -- env HBMBENCH_CL_SUBDEVICES="$bad" "$hb" list
done
expect "HBMBENCH_CL_SUBDEVICES=-3 (run)" 2 "HBMBENCH_CL_SUBDEVICES: '-3'" -- env HBMBENCH_CL_SUBDEVICES=-3 "$hb" run "${small[@]}" "${out[@]}"
expect "HB_TEST_SLOW_S=5 (out of 0-1 s)" 2 "HB_TEST_SLOW_S: '5' is not a number of seconds" \
    -- env HB_TEST_SLOW_S=5 "$hb" run "${small[@]}" "${out[@]}"
expect "HB_TEST_SLOW_S=abc" 2 "HB_TEST_SLOW_S: 'abc'" -- env HB_TEST_SLOW_S=abc "$hb" run "${small[@]}" "${out[@]}"
expect "HB_CLUSTER=2" 2 "HB_CLUSTER: '2' is not a whole number from 0 to 1" -- env HB_CLUSTER=2 "$hb" list --model host
expect "HBMBENCH_CL_SUBDEVICES= (empty: unset)" 0 "" -- env HBMBENCH_CL_SUBDEVICES= "$hb" list --model host

# --transfer-sizes takes no "auto" (its default is a sweep): its message
# does not suggest it. A family's option without any of its benches is a
# warning, said once (an MPI build parses the options twice).
for bad in -4KiB auto; do
    expect "--transfer-sizes $bad" 2 "--transfer-sizes: '$bad' is not a size of at least 8 bytes" \
        -- "$hb" run --bench h2d --transfer-sizes "$bad" "${out[@]}"
done
expect "--numa without a transfer bench" 0 "warning: --numa applies to the transfer benches \(h2d, d2h, bidir\)" \
    -- "$hb" run --device host --size 64KiB --iters 2 --tune off --bench copy --dtype f32 --numa remote --out -
if [ "$(grep -c "warning: --numa" "$tmp/stderr")" != 1 ] || grep -q "auto" <(grep -- "--transfer-sizes" "$tmp/stderr"); then
    echo "FAIL --numa without a transfer bench: the warning is not said exactly once"; failed=$((failed + 1))
fi

expect "--rules with --out -" 2 "--check and --rules judge the written result file, and --out - writes none" \
    -- "$hb" run --rules "$src/runner/check/default_rules.json" --out -
expect "no command" 2 "usage" -- "$hb"
expect "unknown command" 2 "unknown command 'frobnicate'" -- "$hb" frobnicate
expect "unknown option" 2 "unknown option.*--bogus" -- "$hb" run --bogus "${out[@]}"
expect "missing value" 2 "missing value|unknown option" -- "$hb" run "${out[@]}" --iters
expect "bad size unit" 2 "--size: unknown unit 'XB'" -- "$hb" run --size 12XB "${out[@]}"
expect "zero size" 2 "--size" -- "$hb" run --size 0 "${out[@]}"
# Fuzzing findings (tests/fuzz/findings): each was accepted before.
expect "device lone comma" 2 "--device: ',' has an empty item" -- "$hb" run --device , "${out[@]}"
expect "device empty item" 2 "empty item" -- "$hb" run --device 0,,host "${out[@]}"
expect "iters with a blank" 2 "--iters" -- "$hb" run --iters " 5" "${out[@]}"
expect "size count overflow" 2 "too large" -- "$hb" run --size 111111111111111911111 "${out[@]}"
expect "bad iters" 2 "--iters: '0'" -- "$hb" run --iters 0 "${out[@]}"
expect "bad dtype" 2 "--dtype: unknown value 'f128'" -- "$hb" run --dtype f128 "${out[@]}"
expect "bad bench" 2 "--bench: unknown value 'stream'" -- "$hb" run --bench stream "${out[@]}"
expect "duplicate bench" 2 "listed twice" -- "$hb" run --bench copy,copy "${out[@]}"
expect "bad format" 2 "--format: unknown value 'xml'" -- "$hb" run --format xml "${out[@]}"
expect "bad peak" 2 "--peak-bw: '-3'" -- "$hb" run --peak-bw -3 "${out[@]}"
expect "stray argument" 2 "unexpected argument 'extra'" -- "$hb" run extra "${out[@]}"
expect "size beyond allocation" 2 "does not fit" -- "$hb" run --device 0 --size 64GiB "${out[@]}"
expect "no such device index" 3 "no OpenCL or CUDA device with that index" -- "$hb" run --device 99 "${out[@]}"
# Selectors mean the same device whatever else is installed: an index
# never selects the host baseline (with no OpenCL driver the host is [0]);
# gpu:N is the N-th GPU or nothing; pci:BUSID the device at that address.
mkdir -p "$tmp/no-icd"
expect "--device 0 with no OpenCL driver" 3 "--device 0: no OpenCL or CUDA device with that index.*--device host" \
    -- env OCL_ICD_VENDORS="$tmp/no-icd" "$hb" run --device 0 --model opencl,host "${small[@]:2}" "${out[@]}"
expect "--device gpu:0 without a GPU" 3 "--device gpu:0: there are 0 devices of that kind" \
    -- env OCL_ICD_VENDORS="$tmp/no-icd" "$hb" run --device gpu:0 "${small[@]:2}" "${out[@]}"
expect "--device cpu:x" 2 "--device cpu:x: 'x' is not a whole number" -- "$hb" run --device cpu:x "${out[@]}"
expect "--device pci:ff:1f.7 (absent)" 3 "no device at PCI bus id ff:1f.7" -- "$hb" run --device pci:ff:1f.7 "${out[@]}"
expect "no such device name" 3 "no device name contains 'no-such-gpu'" -- "$hb" run --device no-such-gpu "${out[@]}"
mkdir -p "$tmp/empty-vendors"
expect "no OpenCL platform" 3 "no OpenCL|CL_PLATFORM_NOT_FOUND_KHR" -- \
    env OCL_ICD_VENDORS="$tmp/empty-vendors" "$hb" run "${out[@]}"
expect "list without platform" 3 "no OpenCL|CL_PLATFORM_NOT_FOUND_KHR" -- \
    env OCL_ICD_VENDORS="$tmp/empty-vendors" "$hb" list
printf '{"devices": [ {"match": "x", "bw_gbs": }' >"$tmp/bad-peaks.json"
expect "malformed peaks file" 2 "bad-peaks.json:1:" -- "$hb" run --peaks "$tmp/bad-peaks.json" "${out[@]}"
expect "missing kernel dir" 2 "--kernel-dir .*nowhere: No such file" -- \
    "$hb" run "${small[@]}" --kernel-dir "$tmp/nowhere" "${out[@]}"
mkdir -p "$tmp/no-kernels"
expect "kernel dir without the kernel" 1 "no-kernels/stream.cl" -- \
    "$hb" run "${small[@]}" --kernel-dir "$tmp/no-kernels" "${out[@]}"

# Numbers outside any sensible range, and selectors with holes.
expect "element count whose bytes overflow" 2 "more than 2\^64 bytes" -- \
    "$hb" run --device 0 --dtype f32 --size 4611686018427387905 "${out[@]}"
expect "element count beyond 64 bits" 2 "--size" -- "$hb" run --device 0 --size 99999999999999999999999 "${out[@]}"
expect "peak far too high" 2 "--peak-bw: '1e308' is outside" -- "$hb" run --peak-bw 1e308 "${out[@]}"
expect "peak far too low" 2 "--peak-fp32: '1e-9' is outside" -- "$hb" run --peak-fp32 1e-9 "${out[@]}"
expect "empty device item" 2 "--device: '0,,' has an empty item" -- "$hb" run --device 0,, "${out[@]}"
expect "trailing comma in devices" 2 "empty item" -- "$hb" run --device 0, "${out[@]}"
expect "blank device name" 2 "--device: ' ' is blank" -- "$hb" run --device " " "${out[@]}"
expect "empty peaks file name" 2 "--peaks: empty file name" -- "$hb" run --peaks "" "${out[@]}"
printf '{"devices": [{"match": "x", "bw_gbs": 1e300}]}' >"$tmp/huge-peaks.json"
expect "peaks file value out of range" 2 'huge-peaks.json: devices\[0\] \("x"\): "bw_gbs" must be a number from' -- \
    "$hb" run --peaks "$tmp/huge-peaks.json" "${out[@]}"
expect "nothing to measure" 2 "nothing to measure" -- "$hb" run --device host --bench gemm "${out[@]}"

# A size that fits f32 but not f64 on device 0: refused before f32 is
# measured (no table, no announcement of a size), not after.
limit=$("$hb" list --json | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)["devices"][0]
print(min(d["max_alloc_bytes"], int(d["global_mem_bytes"] * 0.6 / 3)))')
expect "size that fits only f32 refused before measuring" 2 "does not fit" -- \
    "$hb" run --device 0 --dtype f32,f64 --bench copy --tune off --size $((limit / 8 + 1)) "${out[@]}"
if [ -s "$tmp/stdout" ] || grep -q "per array$" "$tmp/stderr"; then
    echo "FAIL late size error: something was measured first"; failed=$((failed + 1))
else
    echo "PASS late size error: nothing measured"; passed=$((passed + 1))
fi

# A peaks entry that matches no device: a warning naming it, with or without --quiet.
first=$("$hb" list --json | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["devices"][0]["name"][:8])')
printf '{"devices": [{"match": "no-such-device-xyz", "bw_gbs": 100}, {"match": "%s", "bw_gbs": 50}]}' "$first" \
    >"$tmp/peaks.json"
expect "unmatched peaks entry warned (list)" 0 \
    'warning: --peaks .*peaks.json: 1 entry matches no device: "no-such-device-xyz"' -- \
    "$hb" list --peaks "$tmp/peaks.json"
expect "unmatched peaks entry warned (run --quiet)" 0 'warning: .*"no-such-device-xyz"' -- \
    "$hb" run "${small[@]}" --quiet --peaks "$tmp/peaks.json" "${out[@]}"

echo '{"keep": true}' >"$tmp/out.json"
"$hb" run --out "$tmp/out.json" >/dev/null 2>"$tmp/stderr"
rc=$?
if [ $rc -eq 2 ] && grep -q "refusing to overwrite" "$tmp/stderr" && grep -q keep "$tmp/out.json"; then
    echo "PASS existing --out kept without --force (exit 2)"; passed=$((passed + 1))
else
    echo "FAIL existing --out: exit $rc"; failed=$((failed + 1))
fi

# A wrong kernel: copy writes a+1. The run must finish, mark it invalid, exit 1.
mkdir -p "$tmp/kernels"
sed 's/EACH_##P(n \/ V, i, STORE(&c\[i\], a\[i\]))/EACH_##P(n \/ V, i, STORE(\&c[i], a[i] + 1))/' \
    "$src/kernels/opencl/stream.cl" >"$tmp/kernels/stream.cl"
if cmp -s "$src/kernels/opencl/stream.cl" "$tmp/kernels/stream.cl"; then
    echo "FAIL wrong-kernel fixture: the substitution did not apply"; failed=$((failed + 1))
else
    expect "wrong kernel is invalid" 1 "" -- "$hb" run "${small[@]}" --kernel-dir "$tmp/kernels" "${out[@]}"
    if grep -q INVALID "$tmp/stdout" && grep -q "verification failed: c\[" "$tmp/stdout" &&
        grep -q '"valid": false' "$tmp/out.json"; then
        echo "PASS invalid result in table and JSON"; passed=$((passed + 1))
    else
        echo "FAIL invalid result not reported"; failed=$((failed + 1))
    fi
fi

# A kernel that does not compile: exit 1 and the build log.
printf '__kernel void init(__global float *x) { x[0] = oops; }\n' >"$tmp/kernels/stream.cl"
expect "kernel build failure shows the log" 1 "CL_BUILD_PROGRAM_FAILURE.*|oops" -- \
    "$hb" run "${small[@]}" --kernel-dir "$tmp/kernels" "${out[@]}"

expect "run --help" 0 "" -- "$hb" run --help
expect "list --help" 0 "" -- "$hb" list --help
expect "version" 0 "" -- "$hb" --version
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
