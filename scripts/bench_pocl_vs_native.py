#!/usr/bin/python3
"""How close the PoCL (OpenCL CPU) path comes to the host's memory ceiling.

Runs, alternately in one invocation (so machine drift hits every side
alike): hbmbench on the OpenCL CPU device, hbmbench's native `host` baseline,
and, for reference, ../shared/reference/stream_native.c built with and
without -DSTREAM_NT (non-temporal stores: the DRAM limit). At least 5 pairs;
prints each side's median over pairs and the median over pairs of the
per-pair ratio PoCL / native-NT for each kernel, best and median figures.

usage: scripts/bench_pocl_vs_native.py [--pairs N] [--hbmbench PATH]
       [--reference DIR] [--size-mib M]

This is a benchmark, not a test: it prints figures and asserts nothing.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

KERNELS = ["copy", "scale", "add", "triad", "dot"]


def run_hbmbench(exe, device, size_mib, tmp, tag):
    out = os.path.join(tmp, f"{tag}.json")
    if os.path.exists(out):
        os.remove(out)
    subprocess.run([exe, "run", "--device", device, "--dtype", "f64", "--bench", ",".join(KERNELS),
                    "--size", f"{size_mib}MiB", "--iters", "20", "--quiet", "--out", out], check=True)
    doc = json.load(open(out))
    return {r["bench"]: (r["bandwidth_gbs"]["best"], r["bandwidth_gbs"]["median"])
            for r in doc["results"] if r["valid"] and r["config"].get("scope", "machine") == "machine"}


def run_native(exe, elements):
    env = dict(os.environ, OMP_PROC_BIND="spread")
    out = subprocess.run([exe, str(elements), "21"], check=True, capture_output=True, text=True, env=env).stdout
    figures = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] in KERNELS:
            figures[parts[0]] = (float(parts[1]), float(parts[2]))
    return figures


def build_native(reference, tmp):
    src = os.path.join(reference, "stream_native.c")
    exes = {}
    for tag, flags in (("native-nt", ["-DSTREAM_NT"]), ("native", [])):
        exe = os.path.join(tmp, tag)
        subprocess.run(["cc", "-O3", "-march=native", "-fopenmp", *flags, src, "-o", exe], check=True)
        exes[tag] = exe
    return exes


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=5)
    ap.add_argument("--hbmbench", default=os.path.join(here, "..", "build", "hbmbench"))
    ap.add_argument("--reference", default=os.path.join(here, "..", "..", "shared", "reference"))
    ap.add_argument("--size-mib", type=int, default=128, help="MiB per array (default 128 = 2^24 doubles)")
    args = ap.parse_args()
    elements = args.size_mib * 1024 * 1024 // 8
    samples = {}  # side -> kernel -> [(best, median)]
    with tempfile.TemporaryDirectory() as tmp:
        native = build_native(args.reference, tmp) if os.path.exists(args.reference) else {}
        if not native:
            print(f"# {args.reference}/stream_native.c not found: native reference skipped", file=sys.stderr)
        for i in range(args.pairs):
            print(f"# pair {i + 1}/{args.pairs}", file=sys.stderr)
            sides = {"pocl": run_hbmbench(args.hbmbench, "0", args.size_mib, tmp, "pocl"),
                     "host": run_hbmbench(args.hbmbench, "host", args.size_mib, tmp, "host")}
            for tag, exe in native.items():
                sides[tag] = run_native(exe, elements)
            for side, figs in sides.items():
                for k, v in figs.items():
                    samples.setdefault(side, {}).setdefault(k, []).append(v)
    sides = list(samples)
    print(f"# f64, {args.size_mib} MiB per array, {args.pairs} alternating pairs; GB/s = 1e9 B/s, STREAM byte "
          f"counting; best/median over each run's iterations, then the median over pairs")
    print(f"{'kernel':8s}" + "".join(f"{s + ' best':>16s}{s + ' med':>14s}" for s in sides))
    for k in KERNELS:
        row = f"{k:8s}"
        for s in sides:
            v = samples[s].get(k, [])
            row += f"{statistics.median(b for b, _ in v):16.2f}{statistics.median(m for _, m in v):14.2f}" if v \
                else f"{'-':>16s}{'-':>14s}"
        print(row)
    ref = "native-nt" if "native-nt" in samples else "host"
    print(f"\n# per-pair ratio to {ref}, median over pairs (targets: PoCL best >= 0.95, median >= 0.90; dot >= 0.90)")
    print(f"{'kernel':8s}{'pocl best':>12s}{'pocl med':>12s}{'host best':>12s}{'host med':>12s}")
    for k in KERNELS:
        row = f"{k:8s}"
        for s in ("pocl", "host"):
            pairs = list(zip(samples[s].get(k, []), samples[ref].get(k, [])))
            for idx in (0, 1):
                row += f"{statistics.median(a[idx] / b[idx] for a, b in pairs):12.3f}" if pairs else f"{'-':>12s}"
        print(row)


if __name__ == "__main__":
    main()
