#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A small real `hbmbench run --bench roofline,gemm` on the OpenCL CPU device:
# the file validates against the schema; its top-level "roofline" array has
# every field, one entry per dtype, and is consistent with the sweep points
# (the measured ceilings are the largest the points show, ridge = compute /
# bandwidth); scripts/plot_roofline.py draws a non-empty PNG and SVG of it.
# usage: roofline_cli.sh HBMBENCH PYTHON VALIDATE_SCHEMA_PY PLOT_ROOFLINE_PY
set -eu
hb=$1 py=$2 validate=$3 plot=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_CACHE_HOME="$tmp/cache"
"$hb" run --device 0 --bench roofline,gemm --gemm-sizes 64,96x1x80 --gemm-impl hbmbench --size 2MiB --iters 3 --tune-iters 1 \
    --peak-bw 100 --out "$tmp/run.json" >"$tmp/table.txt"
"$py" "$validate" "$tmp/run.json"
"$py" - "$tmp/run.json" "$tmp/table.txt" <<'PY'
import json, math, sys
run = json.load(open(sys.argv[1]))
table = open(sys.argv[2]).read()
ok = True
def check(cond, what):
    global ok
    print(("PASS " if cond else "FAIL ") + what)
    ok = ok and cond
fields = ["device_index", "device", "dtype", "points", "measured_bandwidth_gbs", "measured_gflops",
          "ridge_flop_per_byte", "bandwidth_at_k", "gflops_at_k", "theoretical_bandwidth_gbs",
          "theoretical_bandwidth_source", "theoretical_gflops", "theoretical_gflops_source",
          "theoretical_ridge_flop_per_byte"]
dev = run["devices"][0]
dtypes = ["f32", "f64"] if dev["fp64"] else ["f32"]
rl = run["roofline"]
check(sorted(e["dtype"] for e in rl) == sorted(dtypes), "one roofline entry per dtype")
for e in rl:
    check(all(f in e for f in fields), f"{e['dtype']}: every roofline field present")
    pts = [r for r in run["results"] if r["family"] == "roofline" and r["dtype"] == e["dtype"] and r["valid"]]
    check(len(pts) == e["points"] and len(pts) >= 10, f"{e['dtype']}: {len(pts)} sweep points, k 0..256")
    check(sorted(r["k"] for r in pts)[-1] >= 256 and min(r["k"] for r in pts) == 0, f"{e['dtype']}: k from 0 to 256")
    bw = max(r["bandwidth_gbs"]["best"] for r in pts)
    gf = max(r["gflops"]["best"] for r in pts)
    check(e["measured_bandwidth_gbs"] == bw, f"{e['dtype']}: measured bandwidth = largest point ({bw:.2f} GB/s)")
    check(e["measured_gflops"] == gf, f"{e['dtype']}: measured GFLOP/s = largest point ({gf:.1f})")
    check(all(r["bandwidth_gbs"]["best"] <= e["measured_bandwidth_gbs"] and
              r["gflops"]["best"] <= e["measured_gflops"] for r in pts), f"{e['dtype']}: no point above the ceilings")
    check(math.isclose(e["ridge_flop_per_byte"], gf / bw, rel_tol=1e-12), f"{e['dtype']}: ridge = compute / bandwidth")
    check(e["theoretical_bandwidth_gbs"] == 100 and e["theoretical_bandwidth_source"] == "user",
          f"{e['dtype']}: theoretical bandwidth from --peak-bw")
    tg = e["theoretical_gflops"]
    check(tg is None or math.isclose(e["theoretical_ridge_flop_per_byte"], tg / 100, rel_tol=1e-12),
          f"{e['dtype']}: theoretical ridge = peak FLOP/s / peak bandwidth")
    for r in pts:
        # k = 0 does no arithmetic: its figure is its bandwidth, held against the bandwidth peak
        flop = r["k"] > 0
        basis = ("fp64" if e["dtype"] == "f64" else "fp32") if flop else "bandwidth"
        check(r["percent_of_peak_basis"] == basis and
              (r["figure"]["name"], r["figure"]["unit"]) == (("flops", "GFLOP/s") if flop else ("bandwidth", "GB/s")) and
              math.isclose(r["arithmetic_intensity"], r["k"] / (8 if e["dtype"] == "f64" else 4), rel_tol=1e-12),
              f"{e['dtype']} k={r['k']}: {basis} basis and figure, intensity k / element size")
check("# roofline [0]" in table and "FLOP/B" in table, "the table shows the rooflines and intensities")
sys.exit(0 if ok else 1)
PY
"$py" "$plot" "$tmp/run.json" --out "$tmp/roof"
for f in "$tmp/roof.png" "$tmp/roof.svg"; do
    [ -s "$f" ] || { echo "FAIL $f missing or empty"; exit 1; }
    echo "PASS $(basename "$f"): $(stat -c %s "$f") bytes"
done
head -c 8 "$tmp/roof.png" | od -An -tx1 | grep -q "89 50 4e 47" && echo "PASS PNG signature"
grep -q "<svg" "$tmp/roof.svg" && echo "PASS SVG document"
