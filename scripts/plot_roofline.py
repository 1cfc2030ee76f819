#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Draws the roofline of an hbmbench result file, log-log: arithmetic
intensity (FLOP/byte) against GFLOP/s.

    /usr/bin/python3 scripts/plot_roofline.py RESULT.json [--out PREFIX] [--device INDEX]

writes PREFIX.png and PREFIX.svg (default PREFIX: the result file without
.json, plus "-roofline"). One panel per device that has roofline or GEMM
results. In each panel, per dtype:
  - the measured roof (solid): min(measured_gflops, measured_bandwidth_gbs * I),
    from the file's top-level "roofline" array (results/README.md);
  - the theoretical roof (dashed) where the device's peaks are known; a peak
    that is unknown is left out, and the legend says so;
  - the roofline sweep points (k FMAs per element; k = 0 has no FLOP and
    sits off a log axis: it sets the measured bandwidth roof);
  - the GEMM results, ours and library reference rows, each marked by
    implementation.
Needs only Debian's python3-matplotlib; runs headless (Agg backend).
"""
import argparse
import json
import math
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 (the backend is chosen first)

DTYPE_COLORS = {"f32": "tab:blue", "f64": "tab:red", "f16": "tab:green"}
IMPL_MARKERS = {"hbmbench": "o", "clblast": "^"}


def finite(x):
    return isinstance(x, (int, float)) and math.isfinite(x) and x > 0


def roof(bw, gf, xs):
    """GFLOP/s of the roof at intensities xs; None where a ceiling is unknown."""
    out = []
    for x in xs:
        ys = [v for v in (gf, bw * x if finite(bw) else None) if finite(v)]
        out.append(min(ys) if ys else None)
    return out


def intensity_range(results, rooflines):
    xs = [r["arithmetic_intensity"] for r in results if finite(r.get("arithmetic_intensity"))]
    for e in rooflines:
        for key in ("ridge_flop_per_byte", "theoretical_ridge_flop_per_byte"):
            if finite(e.get(key)):
                xs.append(e[key])
    lo, hi = (min(xs), max(xs)) if xs else (0.1, 100.0)
    return lo / 4, hi * 4


def draw_device(ax, device, results, rooflines):
    lo, hi = intensity_range(results, rooflines)
    xs = [lo * (hi / lo) ** (i / 200) for i in range(201)]
    for e in rooflines:
        color = DTYPE_COLORS.get(e["dtype"], "black")
        mb, mg = e.get("measured_bandwidth_gbs"), e.get("measured_gflops")
        if finite(mb) and finite(mg):
            ax.plot(xs, roof(mb, mg, xs), color=color, lw=2,
                    label=f"{e['dtype']} measured: {mb:.1f} GB/s, {mg:.1f} GFLOP/s, ridge {mg / mb:.2f}")
        tb, tg = e.get("theoretical_bandwidth_gbs"), e.get("theoretical_gflops")
        if finite(tb) or finite(tg):
            ys = roof(tb, tg, xs)
            pts = [(x, y) for x, y in zip(xs, ys) if y is not None]
            what = ", ".join(
                [f"{tb:.0f} GB/s ({e['theoretical_bandwidth_source']})" if finite(tb) else "bandwidth unknown",
                 f"{tg:.0f} GFLOP/s ({e['theoretical_gflops_source']})" if finite(tg) else "FLOP/s unknown"])
            ax.plot([p[0] for p in pts], [p[1] for p in pts], color=color, lw=1, ls="--",
                    label=f"{e['dtype']} theoretical: {what}")
    for dtype in sorted({r["dtype"] for r in results}):
        color = DTYPE_COLORS.get(dtype, "black")
        sweep = [r for r in results if r["family"] == "roofline" and r["dtype"] == dtype
                 and finite(r.get("arithmetic_intensity")) and finite(r["gflops"]["best"])]
        if sweep:
            ax.scatter([r["arithmetic_intensity"] for r in sweep], [r["gflops"]["best"] for r in sweep],
                       s=14, color=color, marker="x", label=f"{dtype} roofline sweep (k FMAs/element)")
        for impl in sorted({r.get("implementation", "hbmbench") for r in results if r["family"] == "gemm"}):
            pts = [r for r in results if r["family"] == "gemm" and r["dtype"] == dtype
                   and r.get("implementation", "hbmbench") == impl
                   and finite(r.get("arithmetic_intensity")) and finite(r["gflops"]["best"])]
            if pts:
                ax.scatter([r["arithmetic_intensity"] for r in pts], [r["gflops"]["best"] for r in pts],
                           s=40, facecolors="none" if impl != "hbmbench" else color, edgecolors=color,
                           marker=IMPL_MARKERS.get(impl, "s"), label=f"{dtype} GEMM, {impl}")
                for r in pts:
                    ax.annotate(f"{r['m']}x{r['n']}x{r['k']}", (r["arithmetic_intensity"], r["gflops"]["best"]),
                                fontsize=6, xytext=(3, 3), textcoords="offset points")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("arithmetic intensity (FLOP/byte)")
    ax.set_ylabel("GFLOP/s")
    ax.set_title(device, fontsize=9)
    ax.grid(True, which="both", lw=0.3)
    ax.legend(fontsize=6, loc="lower right")


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("result", help="an hbmbench result file")
    ap.add_argument("--out", help="output prefix (writes PREFIX.png and PREFIX.svg)")
    ap.add_argument("--device", type=int, help="only this device index")
    args = ap.parse_args(argv[1:])
    try:
        with open(args.result, encoding="utf-8") as f:
            run = json.load(f)
    except (OSError, ValueError) as e:
        print(f"plot_roofline: {args.result}: {e}", file=sys.stderr)
        return 2
    results = [r for r in run.get("results", []) if r.get("valid") and r.get("family") in ("gemm", "roofline")]
    rooflines = run.get("roofline", [])
    devices = sorted({(r["device_index"], r["device"]) for r in results}
                     | {(e["device_index"], e["device"]) for e in rooflines})
    if args.device is not None:
        devices = [d for d in devices if d[0] == args.device]
    if not devices:
        print(f"plot_roofline: {args.result}: no valid roofline or GEMM results to plot", file=sys.stderr)
        return 1
    fig, axes = plt.subplots(1, len(devices), figsize=(7.5 * len(devices), 5.5), squeeze=False)
    for ax, (index, name) in zip(axes[0], devices):
        draw_device(ax, f"[{index}] {name}",
                    [r for r in results if r["device_index"] == index and r["device"] == name],
                    [e for e in rooflines if e["device_index"] == index and e["device"] == name])
    fig.tight_layout()
    prefix = args.out or (args.result[:-5] if args.result.endswith(".json") else args.result) + "-roofline"
    for ext in ("png", "svg"):
        fig.savefig(f"{prefix}.{ext}", dpi=150)
        print(f"plot_roofline: wrote {prefix}.{ext}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
