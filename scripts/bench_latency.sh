#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Measured, not asserted: hbmbench's latency family (docs/latency.md) against
# an independent pointer chase, scripts/latency_ref.c (lmbench's lat_mem_rd
# method), on this machine's CPU.
#
#   scripts/bench_latency.sh [--hbmbench PATH] [--rounds N] [--max SIZE] [--cpu N] [--keep DIR]
#
# A round runs, one after the other, latency_ref, `hbmbench run --bench
# latency --device host` and the same on the OpenCL CPU device (PoCL), each
# over the same working sets (4 KiB to --max, 2^k and 1.5 x 2^k) with the
# same loads per iteration (131072) and 20 timed iterations; rounds
# alternate the three so drift on a shared machine hits each alike. Per
# working set, each tool's figure is the fastest over rounds of its best ns
# per load (its fastest iteration's time / loads): a neighbour's traffic
# only adds time. Prints:
#   a table per working set: ref, host and PoCL ns per load and their ratios
#     to ref;
#   a table per plateau (L1, L2, L3, memory): the cache sizes and windows of
#     hbmbench's latency_plateaus summary (benches/latency_summary.c: sizes
#     from hwloc and CL_DEVICE_GLOBAL_MEM_CACHE_SIZE; working sets well
#     inside each level), the median over the window of each tool's ns, the
#     ratio model / ref, and PASS where it is within 10 % of 1.
#   --hbmbench PATH  default: ../build/hbmbench beside this script
#   --rounds N       default 3
#   --max SIZE       largest working set, e.g. 1MiB, 256MiB (default 256MiB: memory well beyond a
#                    32 MiB L3, as hbmbench's default of 4x the largest cache is)
#   --cpu N          the CPU latency_ref is pinned to (default 0: hbmbench's host model pins its
#                    chase to the first core's first PU; PoCL places its own thread)
#   --keep DIR       keep every output in DIR (default: a temporary folder, removed)
# Needs: cc, /usr/bin/python3. Without an OpenCL CPU device the PoCL column is "-".
set -eu
here=$(cd "$(dirname "$0")" && pwd)
hb=$here/../build/hbmbench rounds=3 max=256MiB cpu=0 keep=""
die() { echo "bench_latency.sh: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
    case $1 in
    --hbmbench) hb=${2-}; shift 2 ;;
    --rounds) rounds=${2-}; shift 2 ;;
    --max) max=${2-}; shift 2 ;;
    --cpu) cpu=${2-}; shift 2 ;;
    --keep) keep=${2-}; shift 2 ;;
    -h | --help) sed -n '2,30p' "$0"; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
    esac
done
for v in "$rounds" "$cpu"; do
    case $v in '' | *[!0-9]*) die "--rounds and --cpu take whole numbers" ;; esac
done
[ "$rounds" -ge 1 ] || die "--rounds: at least 1"
[ -x "$hb" ] || die "no hbmbench at $hb; pass --hbmbench PATH"
if [ -n "$keep" ]; then
    mkdir -p "$keep"
    out=$keep
else
    out=$(mktemp -d)
    trap 'rm -rf "$out"' EXIT
fi
cc -O2 -o "$out/latency_ref" "$here/latency_ref.c"
# The OpenCL CPU device's index, as `hbmbench list --model opencl` numbers it.
pocl=$("$hb" list --json --model opencl 2>/dev/null | /usr/bin/python3 -c 'import json, sys
print(next((d["index"] for d in json.load(sys.stdin)["devices"] if d["type"] == "CPU"), ""))' || true)
[ -n "$pocl" ] || echo "bench_latency.sh: no OpenCL CPU device; PoCL is left out" >&2
latency=(run --bench latency --latency-max "$max" --latency-loads 131072 --iters 20 --warmup 2 --quiet --force)
for r in $(seq "$rounds"); do
    echo "round $r/$rounds: latency_ref, host, PoCL" >&2
    "$out/latency_ref" -m "$max" -l 131072 -r 20 -c "$cpu" >"$out/ref-$r.txt" 2>"$out/ref-$r.err" ||
        die "latency_ref failed: $(cat "$out/ref-$r.err")"
    "$hb" "${latency[@]}" --device host --out "$out/host-$r.json" 2>"$out/host-$r.err" ||
        die "hbmbench on host failed: $(tail -3 "$out/host-$r.err")"
    if [ -n "$pocl" ]; then
        "$hb" "${latency[@]}" --device "$pocl" --model opencl --out "$out/pocl-$r.json" 2>"$out/pocl-$r.err" ||
            die "hbmbench on PoCL failed: $(tail -3 "$out/pocl-$r.err")"
    fi
done

/usr/bin/python3 - "$out" "$rounds" "$max" <<'PY'
import json, os, statistics, sys
out, rounds, top = sys.argv[1], int(sys.argv[2]), sys.argv[3]
TOL = 0.10

def ns_of(r):
    """Best ns per load: the figure (schema 2) or, in older files, the fastest iteration's time / loads."""
    f = r.get("figure")
    if f and f.get("name") == "latency":
        return f.get("best")
    loads = r.get("ops_per_iter") or r["bytes_per_iter"] / 4  # 4 bytes counted a load (docs/latency.md)
    return r["stats"]["min_s"] / loads * 1e9 if r["valid"] and r["stats"]["min_s"] else None

series, plateaus = {"ref": {}, "host": {}, "pocl": {}}, {}
for i in range(1, rounds + 1):
    for line in open(f"{out}/ref-{i}.txt"):
        b, ns = line.split()
        series["ref"].setdefault(int(b), []).append(float(ns))
    for tool in ("host", "pocl"):
        path = f"{out}/{tool}-{i}.json"
        if not os.path.exists(path):
            continue
        doc = json.load(open(path))
        for r in doc["results"]:
            if r["bench"] == "latency" and ns_of(r) is not None:
                series[tool].setdefault(r["elements"] * 4, []).append(ns_of(r))
        plateaus.setdefault(tool, doc.get("latency_plateaus", []))
# The fastest of the rounds' bests: on a shared machine a neighbour's cache
# and memory traffic only ever adds time (a latency has a floor, as lmbench
# and tinymembench report their best), and it comes and goes within minutes
# (seen here: one tool's 6 MiB point at 19 ns in one round, 80 in another).
med = {t: {b: min(v) for b, v in s.items()} for t, s in series.items()}

def human(n):
    for unit, f in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= f:
            return f"{n / f:g} {unit}"
    return f"{n} B"

def ratio(a, b):
    return f"{a / b:.3f}" if a is not None and b else "-"

def num(v):
    return "-" if v is None else f"{v:.2f}"

print(f"\nns per load, the fastest over {rounds} round(s) of each run's best (fastest iteration / 131072 loads)")
print(f"{'working set':>12} {'ref':>8} {'host':>8} {'pocl':>8} {'host/ref':>9} {'pocl/ref':>9}")
for b in sorted(set(med["ref"]) | set(med["host"]) | set(med["pocl"])):
    ref, host, pocl = (med[t].get(b) for t in ("ref", "host", "pocl"))
    print(f"{human(b):>12} {num(ref):>8} {num(host):>8} {num(pocl):>8} {ratio(host, ref):>9} {ratio(pocl, ref):>9}")

def window(tool, p):
    """The median over the plateau's window (lo < ws <= hi; hi 0: no bound) of tool's per-set medians."""
    v = [ns for b, ns in med[tool].items() if b > p["lo_bytes"] and (not p["hi_bytes"] or b <= p["hi_bytes"])]
    return statistics.median(v) if v else None

def verdict(a, ref):
    return "-" if a is None or not ref else "PASS" if abs(a / ref - 1) <= TOL else "FAIL"

print(f"\nplateaus: hbmbench's latency_plateaus windows (docs/latency.md#plateaus); PASS: model/ref within "
      f"{TOL:.0%} of 1")
print(f"{'model':>6} {'level':>6} {'size (source)':>52} {'window':>24} {'ref ns':>7} {'model ns':>8} "
      f"{'ratio':>6} {'':>4}")
fails = 0
for tool, ps in plateaus.items():
    for p in ps:
        size = human(p["level_bytes"]) + f" ({p['source']})" if p["level_bytes"] else p["source"]
        win = f"> {human(p['lo_bytes'])}" + (f", <= {human(p['hi_bytes'])}" if p["hi_bytes"] else "")
        ref, mine = window("ref", p), window(tool, p)
        v = verdict(mine, ref)
        fails += v == "FAIL"
        print(f"{tool:>6} {p['level']:>6} {size[:52]:>52} {win:>24} {num(ref):>7} {num(mine):>8} "
              f"{ratio(mine, ref):>6} {v:>4}")
print(f"\n{fails} plateau(s) outside {TOL:.0%}; working sets up to {top}; a plateau with no working set in its "
      "window is '-' (raise --max for memory)")
PY
