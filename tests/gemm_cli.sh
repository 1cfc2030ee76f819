#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The gemm options of `hbmbench run`: each bad --gemm-sizes value (and the
# other new options' bad values) exits 2 with a message naming the option,
# before any device is touched, and leaves no result file; a good small run
# works, skips f16 cleanly where the device lacks cl_khr_fp16, and records
# the GEMM fields.
# usage: gemm_cli.sh HBMBENCH PYTHON
set -u
hb=$1 py=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_CACHE_HOME="$tmp/cache" # the tuning cache of this test only
failed=0 passed=0

bad() { # bad NAME PATTERN ARGS...: exit 2, stderr matching PATTERN, no result file
    local name=$1 pattern=$2
    shift 2
    rm -f "$tmp/out.json"
    "$hb" run --device 0 --out "$tmp/out.json" "$@" >"$tmp/stdout" 2>"$tmp/stderr"
    local rc=$?
    if [ $rc -ne 2 ]; then
        echo "FAIL $name: exit $rc, expected 2"; sed 's/^/  | /' "$tmp/stderr" | head -5; failed=$((failed + 1))
    elif ! grep -qE -- "$pattern" "$tmp/stderr"; then
        echo "FAIL $name: stderr lacks /$pattern/"; sed 's/^/  | /' "$tmp/stderr" | head -5; failed=$((failed + 1))
    elif [ -e "$tmp/out.json" ]; then
        echo "FAIL $name: a result file was written"; failed=$((failed + 1))
    else
        echo "PASS $name (exit 2: $(head -1 "$tmp/stderr"))"; passed=$((passed + 1))
    fi
}

bad "gemm size 0" "--gemm-sizes: '0' is not a size" --bench gemm --gemm-sizes 0
bad "gemm size -3" "--gemm-sizes: '-3' is not a size" --bench gemm --gemm-sizes -3
bad "gemm size abc" "--gemm-sizes: 'abc' is not a size" --bench gemm --gemm-sizes abc
bad "gemm size 10x" "--gemm-sizes: '10x' is not a size" --bench gemm --gemm-sizes 10x
bad "gemm size 1x2x3x4" "--gemm-sizes: '1x2x3x4' is not a size" --bench gemm --gemm-sizes 1x2x3x4
bad "gemm size empty item" "--gemm-sizes: empty item" --bench gemm --gemm-sizes 64,,128
bad "gemm size trailing comma" "--gemm-sizes: empty item" --bench gemm --gemm-sizes 64,
bad "gemm size empty list" "--gemm-sizes: empty list" --bench gemm --gemm-sizes ""
bad "gemm size 0 in MxNxK" "--gemm-sizes: '4x0x4' is not a size" --bench gemm --gemm-sizes 4x0x4
bad "gemm size too large" "--gemm-sizes: '99999999999' is not a size" --bench gemm --gemm-sizes 99999999999
bad "gemm size beyond memory" "--gemm-sizes: 200000x200000x2 .*does not fit" --bench gemm --gemm-sizes 200000x200000x2
bad "bad gemm impl" "--gemm-impl: unknown value 'mkl'" --bench gemm --gemm-impl mkl
bad "bad peak fp32" "--peak-fp32: '-1'" --peak-fp32 -1
bad "bad peak fp64" "--peak-fp64: 'x'" --peak-fp64 x
bad "bad bench name" "--bench: unknown value 'gemv'" --bench gemv

# A small real run: gemm in f32 and f16 (skipped without cl_khr_fp16), given peaks.
"$hb" run --device 0 --bench gemm --dtype f32,f16 --gemm-sizes 33,40x1x24 --gemm-impl hbmbench --iters 2 \
    --peak-fp32 1000 --out "$tmp/run.json" >"$tmp/stdout" 2>"$tmp/stderr"
rc=$?
if [ $rc -eq 0 ]; then
    echo "PASS small gemm run"; passed=$((passed + 1))
else
    echo "FAIL small gemm run: exit $rc"; sed 's/^/  | /' "$tmp/stderr" | head -5; failed=$((failed + 1))
fi
"$py" - "$tmp/run.json" "$tmp/stderr" <<'PY' && passed=$((passed + 1)) || failed=$((failed + 1))
import json, sys
run = json.load(open(sys.argv[1]))
err = open(sys.argv[2]).read()
dev = run["devices"][0]
res = run["results"]
ok = True
def check(cond, what):
    global ok
    print(("PASS " if cond else "FAIL ") + what)
    ok = ok and cond
check(len(res) == 2 and all(r["bench"] == "gemm" and r["implementation"] == "hbmbench" for r in res),
      "two hbmbench gemm results (--gemm-impl hbmbench)")
check([(r["m"], r["n"], r["k"]) for r in res] == [(33, 33, 33), (40, 1, 24)], "m, n, k recorded")
for r in res:
    m, n, k = r["m"], r["n"], r["k"]
    check(r["flops_per_iter"] == 2 * m * n * k, f"{m}x{n}x{k}: FLOP = 2MNK")
    check(r["bytes_per_iter"] == 4 * (m * k + k * n + 2 * m * n), f"{m}x{n}x{k}: minimum bytes")
    check(abs(r["arithmetic_intensity"] - r["flops_per_iter"] / r["bytes_per_iter"]) < 1e-12, "intensity = FLOP/byte")
    check(r["percent_of_peak_basis"] == "fp32" and r["peak_gflops"] == 1000 and r["peak_gflops_source"] == "user",
          "percent_of_peak of the user's fp32 peak")
    check(abs(r["percent_of_peak"] - r["gflops"]["best"] / 10) < 1e-9, "percent_of_peak = gflops.best / peak")
    check(all(key in r["config"] for key in ("algo", "tm", "tn", "vw", "wgm", "wgn", "tk", "unroll", "tuning")),
          "kernel parameters recorded in config")
if not dev["fp16"]:
    check("f16 skipped" in err and not any(r["dtype"] == "f16" for r in res), "f16 skipped without cl_khr_fp16")
sys.exit(0 if ok else 1)
PY
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
