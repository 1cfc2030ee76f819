#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Measured, not asserted: our GEMM against CLBlast, and the roofline compute
# ceiling against clpeak-style code, on one OpenCL device (PoCL in CI).
#
#   scripts/bench_gemm.sh [--hbmbench PATH] [--device INDEX] [--size N] [--pairs P]
#
# 1. GEMM: P pairs (default 3) of runs at N x N x N (default 2048), ours then
#    CLBlast's, alternating so drift on a shared machine hits both alike;
#    each run is its own process with 5 timed calls. Prints each pair and
#    the median ratio of best GFLOP/s per dtype (targets on PoCL: SGEMM >= 3x
#    CLBlast, DGEMM >= 2x).
# 2. Roofline: P runs of `--bench roofline` alternating with a clpeak-style
#    program (scripts/clpeak_style.c: clpeak's float16/double16 MAD kernels,
#    built here with cc); prints the median compute ceiling of each and
#    their ratio (target >= 0.8). The previous CI machine (2-core Zen 3,
#    AVX2) gave clpeak 59 GFLOP/s fp32 and 50 fp64 (docs/pocl.md#explicit-vectors).
# Needs: a built hbmbench with CLBlast (HB_HAVE_CLBLAST), cc, OpenCL headers,
# /usr/bin/python3. The tuning cache is the user's, so the first pair may
# include our tuner's search; it runs before the timed calls.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
hb=""
device=0 size=2048 pairs=3
while [ $# -gt 0 ]; do
    case $1 in
    --hbmbench) hb=$2; shift 2 ;;
    --device) device=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --pairs) pairs=$2; shift 2 ;;
    -h | --help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "bench_gemm.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
if [ -z "$hb" ]; then
    for c in "$here/../build/hbmbench" "$here/../build-gemm/hbmbench"; do
        [ -x "$c" ] && { hb=$c; break; }
    done
fi
[ -n "$hb" ] && [ -x "$hb" ] || { echo "bench_gemm.sh: no hbmbench binary; pass --hbmbench PATH" >&2; exit 2; }
case $device in *[!0-9]* | "") echo "bench_gemm.sh: --device takes an index" >&2; exit 2 ;; esac

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc -O2 -o "$tmp/clpeak_style" "$here/clpeak_style.c" -lOpenCL

echo "bench_gemm.sh: $hb, device $device, GEMM ${size}^3, $pairs pairs" >&2
for i in $(seq "$pairs"); do
    for impl in hbmbench clblast; do
        echo "  pair $i: $impl" >&2
        "$hb" run --device "$device" --bench gemm --gemm-impl "$impl" --gemm-sizes "$size" --iters 5 --quiet \
            --out "$tmp/gemm-$impl-$i.json"
    done
done
for i in $(seq "$pairs"); do
    echo "  roofline run $i, clpeak-style run $i" >&2
    "$hb" run --device "$device" --bench roofline --iters 5 --quiet --out "$tmp/roof-$i.json"
    "$tmp/clpeak_style" "$device" >"$tmp/clpeak-$i.txt"
done

/usr/bin/python3 - "$tmp" "$pairs" <<'PY'
import json, statistics, sys
tmp, pairs = sys.argv[1], int(sys.argv[2])
def results(path):
    return json.load(open(path))["results"]
print(f"{'pair':>4} {'dtype':>5} {'problem':>16} {'hbmbench GFLOP/s':>17} {'CLBlast GFLOP/s':>16} {'ratio':>7}")
ratios = {}
for i in range(1, pairs + 1):
    ours = {r["dtype"]: r for r in results(f"{tmp}/gemm-hbmbench-{i}.json") if r["valid"]}
    ref = {r["dtype"]: r for r in results(f"{tmp}/gemm-clblast-{i}.json") if r["valid"]}
    for dtype in sorted(set(ours) & set(ref)):
        o, c = ours[dtype]["gflops"]["best"], ref[dtype]["gflops"]["best"]
        ratios.setdefault(dtype, []).append(o / c)
        prob = f"{ours[dtype]['m']}x{ours[dtype]['n']}x{ours[dtype]['k']}"
        print(f"{i:>4} {dtype:>5} {prob:>16} {o:>17.1f} {c:>16.1f} {o / c:>7.2f}")
targets = {"f32": 3.0, "f64": 2.0}
for dtype, rs in sorted(ratios.items()):
    m, t = statistics.median(rs), targets.get(dtype)
    verdict = "" if t is None else (f"target >= {t:g}: met" if m >= t else f"target >= {t:g}: MISSED")
    print(f"median ratio hbmbench / CLBlast, {dtype}: {m:.2f} over {len(rs)} pairs ({verdict})")
ceil, clp = {}, {}
for i in range(1, pairs + 1):
    doc = json.load(open(f"{tmp}/roof-{i}.json"))
    for e in doc["roofline"]:
        ceil.setdefault(e["dtype"], []).append(e["measured_gflops"])
    for line in open(f"{tmp}/clpeak-{i}.txt"):
        name, best, mean = line.split()
        clp.setdefault("f32" if name == "fp32" else "f64", []).append((float(best), float(mean)))
for dtype in sorted(ceil):
    c = statistics.median(ceil[dtype])
    if dtype not in clp:
        print(f"roofline compute ceiling {dtype}: {c:.1f} GFLOP/s (no clpeak-style figure)")
        continue
    b = statistics.median(x[0] for x in clp[dtype])
    m = statistics.median(x[1] for x in clp[dtype])
    verdict = "met" if c >= 0.8 * b else "MISSED"
    print(f"roofline compute ceiling {dtype}: {c:.1f} GFLOP/s (median of {len(ceil[dtype])}); clpeak-style "
          f"{b:.1f} best, {m:.1f} mean; ratio {c / b:.2f} (target >= 0.8: {verdict})")
PY
