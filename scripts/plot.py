#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Charts from hbmbench result files (PNG and SVG, matplotlib's Agg backend).

  kernels.{png,svg}        median bandwidth of every kernel on every machine, as
                           % of the device's peak bandwidth; in GB/s with a note
                           when some peak is unknown. A tick marks the best run.
  sweep-N-DEVICE.{png,svg} bandwidth against working set for --sweep results,
                           with the cache sizes marked: the host's caches
                           (hwloc) for CPU devices and the host baseline, the
                           device's global cache (OpenCL) for GPUs.
  samples-N-DEVICE.{png,svg} every timed iteration as GB/s (box plots), so the
                           run-to-run noise behind each median is visible.
  transfers.{png,svg}      host <-> device transfers (h2d, d2h, bidir): median GB/s
                           against the bytes per copy, a line per device, model,
                           direction and path (pinned solid, pageable dashed), the
                           link's peak dotted where known.
  gemm.{png,svg}           GEMM per problem (m x n x k) and dtype: % of the FLOP/s
                           peak when every peak is known, else GFLOP/s (log).
  roofline-N.{png,svg}     the roofline of file N (scripts/plot_roofline.py draws
                           each device's panel), GEMM points on it.
  latency-N-DEVICE.{png,svg} the latency family (docs/latency.md): ns per load
                           against working set, a line per model and repetition,
                           the plateaus of file N's latency_plateaus drawn on it
                           (dotted: each cache's size; dashed: each plateau's ns
                           over the working sets it was taken from).
  nodes-N.{png,svg}        MPI runs (docs/cluster.md): every rank's median as a
                           fraction of the median of identical devices, one row
                           per node and device, outliers first (S slow, N noisy).
                           In the other charts an MPI run shows the median over
                           the ranks of each device model (tick: the fastest
                           rank), and its sweeps and samples for the ranks with
                           outliers (else the lowest rank).

  Stream kernels, transfers, GEMM and latency never share a chart; a device
  measured by several models (OpenCL and CUDA) gets a series, sweep and samples
  chart per model; repetitions (run --repeat) show the median of their medians.
  What a result's number is (name, unit, which direction is better) comes from
  its "figure" (schema_version 2); files of version 1 have none, and are read as
  hbmbench reads them (figure() below).

usage: scripts/plot.py [--out-dir DIR] [--formats png,svg] FILE.json...

Needs Python 3 and matplotlib (Debian: python3-matplotlib); run it with
/usr/bin/python3. Without matplotlib it says so in one line and exits 3
(docs/install.md). scripts/report.py draws the same charts into its page.
"""
import argparse
import json
import math
import os
import re
import sys

try:
    import matplotlib
except ImportError as e:
    # One clear line instead of a traceback; the program's name is the one
    # it was run by (hbmbench-plot, hbmbench-report, plot.py, report.py).
    prog = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else "plot.py"
    print(f"{prog} needs matplotlib: apt-get install python3-matplotlib\n"
          f"  ({sys.executable} cannot import it: {e}; Debian's /usr/bin/python3 has it once that\n"
          f"  package is installed; another Python needs its own, e.g. pip install matplotlib)",
          file=sys.stderr)
    sys.exit(3)

matplotlib.use("Agg")  # no display: files only
import matplotlib.pyplot as plt  # noqa: E402  (after the backend is chosen)
import matplotlib.colors  # noqa: E402
import matplotlib.ticker  # noqa: E402

# Reproducible SVGs: fixed id salt, no date (matplotlib "svg.hashsalt" and
# the savefig metadata both documented in matplotlib's rcParams / savefig).
matplotlib.rcParams["svg.hashsalt"] = "hbmbench"
# Text stays text in SVGs: a third of the size, and searchable; the viewer's
# sans-serif font draws it.
matplotlib.rcParams["svg.fonttype"] = "none"
matplotlib.rcParams["font.size"] = 9
SVG_META = {"Date": None}
PNG_DPI = 110
STREAM_ORDER = ["copy", "scale", "add", "triad", "dot", "read", "write"]


class ResultError(Exception):
    pass


def load(path):
    """A result file as a dict; ResultError with the file named if it is not one."""
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except OSError as e:
        raise ResultError(f"{path}: cannot read: {e.strerror}") from e
    except ValueError as e:
        raise ResultError(f"{path}: {e}") from e
    if not isinstance(doc, dict) or doc.get("tool", {}).get("name") != "hbmbench" \
            or not isinstance(doc.get("results"), list):
        raise ResultError(f"{path}: not an hbmbench result file")
    doc["_path"] = path
    doc["_stem"] = os.path.splitext(os.path.basename(path))[0]
    return doc


def device_of(doc, r):
    for d in doc.get("devices", []):
        if d.get("index") == r.get("device_index") and d.get("name") == r.get("device"):
            return d
    return {}


def short_device(name):
    """'pthread-skylake-avx512-AMD EPYC' -> 'PoCL AMD EPYC' style labels stay readable."""
    m = re.match(r"^(pthread|cpu)-[\w-]*?-(AMD|Intel|Genuine|ARM)(.*)$", name or "")
    if m:
        return f"PoCL {m.group(2)}{m.group(3)}"
    return name or "?"


def who(r):
    """(rank, node) of a result from an MPI run; (None, None) in a plain one."""
    return r.get("rank"), r.get("node")


def is_cluster(doc):
    return isinstance(doc.get("cluster"), dict)


def machine_label(doc, r, docs):
    """'host: device', plus the file name when two files share a host name."""
    host = doc["host"]["hostname"]
    same = sum(1 for d in docs if d["host"]["hostname"] == host) > 1
    base = f"{host}: {short_device(r['device'])}"
    return f"{base} ({doc['_stem']})" if same else base


def figure(r):
    """What a result's number is: {name, unit, better, count, best, median, peak, peak_source}.
    A version 2 file says so in each result's "figure" (results/schema.json, $defs/figure).
    A version 1 file has none; it is worked out as hbmbench reads such files
    (runner/io/json_read_result.c): GFLOP/s for a FLOP/s percent_of_peak_basis or a gemm
    or roofline result that counts FLOP (the roofline's k = 0 point is bandwidth), ns per
    load for the latency family (4 bytes counted a load), GB/s for everything else."""
    f = r.get("figure")
    if isinstance(f, dict) and f.get("name"):
        return f
    compute = r.get("percent_of_peak_basis") in ("fp32", "fp64") or r.get("family") in ("gemm", "roofline")
    if compute and (r.get("flops_per_iter") or 0) > 0:
        g = r.get("gflops") or {}
        return {"name": "flops", "unit": "GFLOP/s", "better": "higher", "count": "flops", "best": g.get("best"),
                "median": g.get("median"), "peak": r.get("peak_gflops"), "peak_source": r.get("peak_gflops_source")}
    if r.get("family") == "latency":
        loads, st = (r.get("bytes_per_iter") or 0) / 4, r.get("stats") or {}
        ns = {k: st[s] / loads * 1e9 if r.get("valid") and loads and st.get(s) else None
              for k, s in (("best", "min_s"), ("median", "median_s"))}
        return {"name": "latency", "unit": "ns", "better": "lower", "count": "ops", **ns, "peak": None,
                "peak_source": None}
    b = r.get("bandwidth_gbs") or {}
    return {"name": "bandwidth", "unit": "GB/s", "better": "higher", "count": "bytes", "best": b.get("best"),
            "median": b.get("median"), "peak": r.get("peak_bandwidth_gbs"), "peak_source": r.get("peak_source")}


def is_flops(r):
    """Compute results are judged in GFLOP/s (their figure says so)."""
    return figure(r)["name"] == "flops"


def is_latency(r):
    """The latency family's results: ns per load, lower is better, on a chart of their own."""
    return figure(r)["name"] == "latency"


def per_iteration(r, seconds):
    """One timed iteration in the result's figure unit: a rate (count / time) or a time per
    counted operation (ns: time / count), as figure.better says; None without a count."""
    f = figure(r)
    count = {"bytes": r.get("bytes_per_iter"), "flops": r.get("flops_per_iter")}.get(f["count"])
    if f["count"] == "ops":
        count = r.get("ops_per_iter") or (r.get("bytes_per_iter") or 0) / 4  # version 1: 4 bytes a load
    if not count or not seconds or seconds <= 0:
        return None
    return seconds / count * 1e9 if f["better"] == "lower" else count / seconds / 1e9


def size_label(r):
    """'128 MiB' per array, '2048x2048x2048' for GEMM, '128 MiB k=64' for the roofline sweep,
    the working set of an untyped bench (latency: 4-byte indices)."""
    m, n, k = r.get("m"), r.get("n"), r.get("k")
    if m is not None and n is not None and k is not None:
        return f"{m}x{n}x{k}"
    text = human(r["elements"] * {"f64": 8, "f16": 2}.get(r.get("dtype"), 4))
    return f"{text} k={k}" if k is not None else text


TRANSFER_BENCHES = ("h2d", "d2h", "bidir")


def model_of(r):
    """The model that measured a result, read as hbmbench compare reads it
    (runner/compare/compare_match.c, hb_cmp_model_of): files from before
    models have none, and their host-stream rows are the host's, the others OpenCL's."""
    return r.get("model") or ("host" if r.get("family") == "host-stream" else "opencl")


def is_transfer(r):
    return r.get("family") == "transfer" or r.get("bench") in TRANSFER_BENCHES


def transfer_path(r):
    """'rw pinned local': how a transfer copied (results/README.md: config api, host, numa); '' otherwise."""
    c = r.get("config") or {}
    return " ".join(str(c[k]) for k in ("api", "host", "numa") if c.get(k) is not None) if is_transfer(r) else ""


def problem_key(r):
    """What one measured problem is, its size aside. hbmbench compare pairs
    results by node, device, PCI bus id, bench, dtype, size, model,
    implementation and m, n, k (runner/compare/compare_match.c, make_key), and
    tells results that share that key apart only by their order in the file:
    a transfer's path (config api, host, numa), the repetition of
    `run --repeat` and the step of a --concurrent run. All of them are here,
    so no result stands for another (rank too, for MPI runs)."""
    c = r.get("config") or {}
    return who(r) + (r["device_index"], r["device"], r.get("pci_bus_id") or "", r["bench"], r["dtype"],
                     model_of(r), r.get("implementation") or "hbmbench", r.get("m"), r.get("n"), r.get("k"),
                     c.get("api") if is_transfer(r) else None, c.get("host") if is_transfer(r) else None,
                     c.get("numa") if is_transfer(r) else None, r.get("repetition"),
                     (r.get("concurrent") or {}).get("step"))


def result_key(r):
    """problem_key and the size: two results with the same result_key measured the same thing."""
    return problem_key(r) + (r["elements"],)


def main_results(doc):
    """Each problem's largest size (problem_key): the measurement, not a sweep
    point (GEMM and roofline problems, which differ in m, n, k, all count; so
    do each model, transfer path, repetition and concurrent step)."""
    best = {}
    for r in doc["results"]:
        key = problem_key(r)
        if key not in best or r["elements"] > best[key]["elements"]:
            best[key] = r
    return list(best.values())


def models_of_device(doc, r):
    """The models that measured r's device in doc (two where a GPU has OpenCL and CUDA rows)."""
    return sorted({model_of(x) for x in doc["results"] if x["device_index"] == r["device_index"]
                   and x["device"] == r["device"] and x.get("rank") == r.get("rank")})


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return None if not n else xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


def kernel_key(r):
    b = r["bench"]
    return (STREAM_ORDER.index(b) if b in STREAM_ORDER else len(STREAM_ORDER), b, r.get("dtype") or "")


def peak_of(doc, r):
    p = r.get("peak_bandwidth_gbs")
    if p is None:
        p = (device_of(doc, r).get("peaks", {}).get("bandwidth_gbs") or {}).get("value")
    return p


def main_aggregates(doc):
    """An MPI run's cluster.aggregates at each problem's largest size, devices alone (not --concurrent's steps)."""
    best = {}
    for a in doc["cluster"].get("aggregates", []):
        if a.get("phase", "alone") != "alone":
            continue
        key = (a["device"], a["bench"], a["dtype"], a["implementation"], a.get("m"), a.get("n"), a.get("k"))
        if key not in best or a["elements"] > best[key]["elements"]:
            best[key] = a
    return list(best.values())


def cluster_series(doc, docs, series):
    """(a) for an MPI run: per device model, the median over its ranks (tick: the fastest rank)."""
    for a in main_aggregates(doc):
        if a["unit"] != "GB/s":
            continue
        peak = next((r.get("peak_bandwidth_gbs") for r in doc["results"] if r["device"] == a["device"]), None)
        lab = machine_label(doc, a, docs) + f" ({a['ranks']} ranks)"
        series.setdefault(lab, {})[(a["bench"], a["dtype"])] = (a["median"], a["max"], peak, True)


def kernels_figure(docs):
    """(a) Bandwidth by kernel across machines: % of peak, else GB/s with a note."""
    series = {}  # label -> {(bench, dtype): (median, best, peak, valid)}
    repeated = False
    for doc in docs:
        if is_cluster(doc):
            cluster_series(doc, docs, series)
            continue
        reps = {}  # repetitions of run --repeat: the median of their medians, the best of their bests
        for r in main_results(doc):
            if figure(r)["name"] != "bandwidth" or r.get("family") in ("gemm", "roofline") or is_transfer(r):
                continue  # compute benches: GFLOP/s; latency: ns; transfers: their own chart
            lab = machine_label(doc, r, docs)
            if len(models_of_device(doc, r)) > 1:
                lab += f" [{model_of(r)}]"
            if (r.get("implementation") or "hbmbench") != "hbmbench":
                lab += f" ({r['implementation']})"
            if r.get("concurrent"):
                lab += " concurrent"
            repeated = repeated or r.get("repetition") is not None
            reps.setdefault((lab, r["bench"], r["dtype"]), []).append(r)
        for (lab, bench, dtype), rs in reps.items():
            meds = [figure(r)["median"] for r in rs]
            bests = [figure(r)["best"] for r in rs]
            valid = all(r.get("valid", False) for r in rs) and None not in meds
            series.setdefault(lab, {})[(bench, dtype)] = (
                median(meds) if valid else None, max((b for b in bests if b is not None), default=None),
                peak_of(doc, rs[0]), valid)
    kernels = sorted({k for s in series.values() for k in s},
                     key=lambda k: kernel_key({"bench": k[0], "dtype": k[1]}))
    unknown = sorted(lab for lab, s in series.items() if any(v[2] is None for v in s.values()))
    as_pct = bool(series) and not unknown
    fig, ax = plt.subplots(figsize=(max(6.0, 0.9 * len(kernels) + 2), 4.2))
    n = max(1, len(series))
    width = 0.8 / n
    for i, (lab, s) in enumerate(sorted(series.items())):
        xs, med, best, bad = [], [], [], []
        for j, k in enumerate(kernels):
            if k not in s:
                continue
            m, b, peak, valid = s[k]
            x = j - 0.4 + width * (i + 0.5)
            if not valid or m is None:
                bad.append(x)
                continue
            scale = 100.0 / peak if as_pct else 1.0
            xs.append(x)
            med.append(m * scale)
            best.append((b if b is not None else m) * scale)
        bars = ax.bar(xs, med, width * 0.95, label=lab)
        ax.plot(xs, best, linestyle="none", marker="_", markersize=max(4, 40 * width),
                color="black", markeredgewidth=1.2)
        for x in bad:
            ax.text(x, 0, "invalid", rotation=90, ha="center", va="bottom", fontsize=7,
                    color=bars.patches[0].get_facecolor() if bars.patches else "red")
    ax.set_xticks(range(len(kernels)))
    ax.set_xticklabels([f"{b}\n{d}" for b, d in kernels])
    if as_pct:
        ax.set_ylabel("median bandwidth, % of peak")
        ax.axhline(100, color="grey", linewidth=0.8, linestyle="--")
        title = "Bandwidth by kernel, % of each device's peak (tick: best iteration)"
    else:
        ax.set_ylabel("median bandwidth, GB/s (1e9 B/s)")
        title = "Bandwidth by kernel, GB/s (tick: best iteration)"
        if unknown:
            ax.text(0.01, 0.99, "GB/s, not % of peak: peak bandwidth unknown for\n" + "\n".join(unknown),
                    transform=ax.transAxes, va="top", fontsize=7,
                    bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "grey"})
    if any(is_cluster(d) for d in docs):
        title += "\nMPI runs: median over the ranks of each device model, tick: the fastest rank"
    if repeated:
        title += "\nrepeated runs (--repeat): the median of the repetitions' medians, tick: the best of them"
    ax.set_title(title)
    ax.set_ylim(bottom=0, top=ax.get_ylim()[1] * (1.35 if unknown else 1.1))
    if series:
        # Below the axes: machine labels are long and must not hide bars.
        ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, frameon=False)
    ax.grid(axis="y", alpha=0.3)
    fig.set_size_inches(fig.get_size_inches()[0], 4.2 + 0.18 * math.ceil(len(series) / 2))
    fig.tight_layout()
    return fig


def cache_marks(doc, dev):
    """(label, bytes) of the caches a device's working set meets. CPU devices
    and the host baseline use every core, so a level's capacity is its size
    times its instances (hwloc); a GPU's is its global cache (OpenCL)."""
    if dev.get("type") in ("CPU", "HOST") or dev.get("is_host"):
        marks = []
        for c in doc["host"]["topology"].get("caches", []):
            total = c["size_bytes"] * max(1, c.get("count", 1))
            count = f"{c['count']} x " if c.get("count", 1) > 1 else ""
            marks.append((f"{c['name']} ({count}{human(c['size_bytes'])})", total))
        return marks
    g = dev.get("global_cache_bytes") or 0
    return [(f"device cache ({human(g)})", g)] if g else []


def human(n):
    for unit, f in (("GiB", 2 ** 30), ("MiB", 2 ** 20), ("KiB", 2 ** 10)):
        if n >= f:
            v = n / f
            return f"{v:.0f} {unit}" if v == int(v) else f"{v:.1f} {unit}"
    return f"{n} B"


def sweep_groups(doc, ranks=None):
    """{(rank, node, device_index, device, dtype, model): {bench: [results by size]}} with >= 3 sizes
    (rank and node None in a plain run); of the given ranks only, when given. Transfers
    and latency have their own charts; repetitions share a line (the median of their medians per size)."""
    groups = {}
    for r in doc["results"]:
        if figure(r)["name"] != "bandwidth" or is_transfer(r) or (ranks is not None and r.get("rank") not in ranks):
            continue
        key = who(r) + (r["device_index"], r["device"], r["dtype"], model_of(r))
        groups.setdefault(key, {}).setdefault(r["bench"], []).append(r)
    out = {}
    for key, benches in groups.items():
        benches = {b: sorted(rs, key=lambda r: r["elements"]) for b, rs in benches.items()
                   if len({r["elements"] for r in rs}) >= 3}
        if benches:
            out[key] = benches
    return out


def sweep_figure(doc, key, benches):
    """(b) Bandwidth against working set, caches marked."""
    rank, node, index, name, dtype, model = key
    dev = next((d for d in doc.get("devices", []) if d.get("index") == index and d.get("name") == name
                and d.get("rank") == rank), {})
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    for bench in sorted(benches, key=lambda b: kernel_key({"bench": b, "dtype": dtype})):
        by_size = {}
        for r in benches[bench]:
            if r.get("valid") and figure(r)["median"] is not None:
                by_size.setdefault(r["bytes_per_iter"], []).append(figure(r)["median"])
        pts = sorted((b, median(v)) for b, v in by_size.items())
        if pts:
            ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", markersize=3, label=bench)
    ax.set_xscale("log", base=2)
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _pos: human(int(v))))
    ymax = ax.get_ylim()[1]
    for label, size in cache_marks(doc, dev):
        ax.axvline(size, color="grey", linestyle="--", linewidth=0.8)
        ax.text(size, ymax * 0.98, " " + label, rotation=90, va="top", ha="right", fontsize=7, color="dimgrey")
    ax.set_xlabel("working set: bytes of all arrays a kernel touches (= bytes counted per iteration)")
    ax.set_ylabel("median bandwidth, GB/s")
    where = doc["host"]["hostname"] if node is None else f"{node} rank {rank}"
    shown = short_device(name) + ("" if len(models_of_device(doc, {"device_index": index, "device": name,
                                                                     "rank": rank})) < 2 else f" [{model}]")
    ax.set_title(f"{where}: {shown}, {dtype}: bandwidth vs working set")
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="lower left")
    fig.tight_layout()
    return fig


def latency_groups(doc, ranks=None):
    """{(rank, node, device_index, device): [its latency results]} (of the given ranks only, when given)."""
    groups = {}
    for r in doc["results"]:
        if is_latency(r) and (ranks is None or r.get("rank") in ranks):
            groups.setdefault(who(r) + (r["device_index"], r["device"]), []).append(r)
    return groups


def latency_lines(rs):
    """{(model, repetition): [(working set bytes, best ns per load)]}: each model and repetition a
    line; a working set measured twice in one (it never is) gives the median."""
    by = {}
    for r in rs:
        ns = figure(r)["best"]
        if r.get("valid") and ns is not None:
            by.setdefault((model_of(r), r.get("repetition")), {}).setdefault(r["elements"] * 4, []).append(ns)
    return {k: sorted((ws, median(v)) for ws, v in pts.items()) for k, pts in by.items()}


def latency_figure(doc, key, rs):
    """(h) Latency: best ns per load against working set, log-log, a line per model and
    repetition; the file's latency_plateaus (benches/latency_summary.h) for this device:
    each cache level dotted at its size, each plateau dashed at its ns over the working
    sets it was taken from."""
    rank, node, index, name = key
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    lines = latency_lines(rs)
    color, xs = {}, [ws for pts in lines.values() for ws, _ns in pts] or [4096]
    for i, ((model, repetition), pts) in enumerate(sorted(lines.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0))):
        color[(model, repetition)] = f"C{i % 10}"
        ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", markersize=3, color=f"C{i % 10}", zorder=3,
                label=model + ("" if repetition is None else f", repetition {repetition}"))
    plats = [p for p in doc.get("latency_plateaus") or [] if p["device_index"] == index and p["device"] == name
             and (p["model"], p.get("repetition")) in color]
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _pos: human(int(v))))
    ax.yaxis.set_major_locator(matplotlib.ticker.LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _pos: f"{v:g}"))
    ax.yaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    for p in plats:
        if p["ns_per_load"] is None:
            continue
        x0, x1 = max(p["lo_bytes"], min(xs)), p["hi_bytes"] or max(xs)
        c = color[(p["model"], p.get("repetition"))]
        # wide and pale behind the line it summarises, which runs through it
        ax.hlines(p["ns_per_load"], x0, x1, colors=c, linestyles="--", linewidth=3, alpha=0.45, zorder=2)
        ax.text(x1, p["ns_per_load"], f" {p['level']} {p['ns_per_load']:.3g} ns", va="bottom", ha="right",
                fontsize=6.5, color=c)
    ymax = ax.get_ylim()[1]
    for level, size in sorted({(p["level"], p["level_bytes"]) for p in plats if p["level_bytes"]}, key=lambda x: x[1]):
        ax.axvline(size, color="grey", linestyle=":", linewidth=0.9)
        ax.text(size, ymax * 0.95, f" {level} ({human(size)})", rotation=90, va="top", ha="right", fontsize=7,
                color="dimgrey")
    ax.set_xlabel("working set: bytes of the cycle of 4-byte indices the chase walks")
    ax.set_ylabel("ns per load (fastest iteration / loads), log scale")
    where = doc["host"]["hostname"] if node is None else f"{node} rank {rank}"
    ax.set_title(f"{where}: {short_device(name)}: latency vs working set\n"
                 "dotted: each cache's size; dashed: each plateau (median over its working sets)", fontsize=9)
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    return fig


def samples_figure(doc, index, name, rank=None, model=None):
    """(c) Per-iteration distributions: every sample in its result's figure unit (GB/s,
    GFLOP/s for GEMM, ns per load for latency), a panel per unit, of one device (and model,
    when given): each problem's largest size, each transfer path and repetition a box of its own."""
    rs = sorted((r for r in main_results(doc) if r["device_index"] == index and r["device"] == name
                 and r.get("rank") == rank and (model is None or model_of(r) == model)),
                key=lambda r: (is_transfer(r),) + kernel_key(r) + (transfer_path(r), r.get("repetition") or 0))
    panels = {"GB/s": ([], [], set()), "GFLOP/s": ([], [], set())}  # unit -> (data, labels, figures)
    for r in rs:
        vals = [v for v in (per_iteration(r, t) for t in r.get("samples_s", [])) if v is not None]
        if vals:
            f = figure(r)
            data, labels, names = panels.setdefault(f["unit"], ([], [], set()))
            names.add(f["name"] + (", lower is better" if f["better"] == "lower" else ""))
            data.append(vals)
            extra = f"\n{size_label(r)}" if r.get("k") is not None or is_latency(r) else ""
            if is_transfer(r):
                c = r.get("config") or {}
                extra = f"\n{c.get('api', '')} {c.get('host', '')}\n{human(transfer_bytes(r))}"
            if r.get("repetition") is not None:
                extra += f"\nrep {r['repetition']}"
            impl = r.get("implementation") or "hbmbench"
            bench = r["bench"] if impl == "hbmbench" else f"{r['bench']}/{impl}"
            dtype = f"\n{r['dtype']}" if r.get("dtype") else ""  # none for an untyped bench (latency)
            labels.append(f"{bench}{dtype}{extra}" + ("" if r.get("valid") else "\nINVALID"))
    used = [(unit, d, lab, nm) for unit, (d, lab, nm) in panels.items() if d] or [("GB/s", [], [], {"bandwidth"})]
    n = [max(1, len(d)) for _u, d, _l, _n in used]
    fig, axes = plt.subplots(1, len(used), figsize=(max(6.0, 0.6 * sum(n) + 2 * len(used)), 4.4),
                             gridspec_kw={"width_ratios": n}, squeeze=False)
    for ax, (unit, data, labels, names) in zip(axes[0], used):
        if data:
            ax.boxplot(data, whis=(0, 100), widths=0.6)
            for i, vals in enumerate(data, start=1):
                ax.plot([i] * len(vals), vals, linestyle="none", marker=".", markersize=2.5, alpha=0.5, color="C0")
            ax.set_xticks(range(1, len(labels) + 1))
            ax.set_xticklabels(labels, fontsize=6.5)
        what = ", ".join(sorted(names)) or ("flops" if unit == "GFLOP/s" else "bandwidth")
        ax.set_ylabel(f"per timed iteration: {unit} ({what})")
        ax.grid(axis="y", alpha=0.3)
    where = doc["host"]["hostname"] if rank is None else f"{rs[0]['node'] if rs else '?'} rank {rank}"
    fig.suptitle(f"{where}: {short_device(name)}{'' if model is None else f' [{model}]'}: every timed iteration "
                 "(box: quartiles, whiskers: min-max)", fontsize=9)
    fig.tight_layout()
    return fig


def transfer_bytes(r):
    """Bytes one transfer copies in each direction: elements are 4-byte units (results/README.md)."""
    return r["elements"] * 4


def transfers_figure(docs):
    """(e) Host <-> device transfers: median GB/s against the size of one copy, a line per
    device, model, direction and path (api, host memory, NUMA placement); the link's
    peak per direction dashed where it is known. Repetitions: the median of their medians."""
    lines = {}  # label -> {bytes: [medians]}
    links = {}  # label of the link -> GB/s
    for doc in docs:
        for r in doc["results"]:
            if not is_transfer(r):
                continue
            dev = machine_label(doc, r, docs)
            if len(models_of_device(doc, r)) > 1:
                dev += f" [{model_of(r)}]"
            lab = f"{dev}: {r['bench']} {transfer_path(r)}"
            med = figure(r)["median"]
            pts = lines.setdefault(lab, {})
            if r.get("valid") and med is not None:
                pts.setdefault(transfer_bytes(r), []).append(med)
            link = r.get("peak_bandwidth_gbs") if r.get("percent_of_peak_basis") == "link" else None
            if link and r["bench"] != "bidir":
                links[f"{dev}: link peak"] = link
    fig, ax = plt.subplots(figsize=(8.5, 4.6))
    for i, (lab, pts) in enumerate(sorted(lines.items())):
        xy = sorted((b, median(v)) for b, v in pts.items())
        style = "--" if " pageable" in lab else "-"
        ax.plot([p[0] for p in xy], [p[1] for p in xy], linestyle=style, marker="o", markersize=3.5,
                color=f"C{i % 10}", label=lab + ("" if xy else " (no valid result)"))
    for lab, gbs in sorted(links.items()):
        ax.axhline(gbs, color="grey", linestyle=":", linewidth=1)
        ax.text(ax.get_xlim()[0], gbs, f" {lab} {gbs:.1f} GB/s", va="bottom", fontsize=7, color="dimgrey")
    ax.set_xscale("log", base=2)
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _pos: human(int(v))))
    ax.set_xlabel("bytes per copy (each direction)")
    ax.set_ylabel("median bandwidth, GB/s (1e9 B/s)")
    ax.set_title("Host <-> device transfers: h2d, d2h (bidir: both directions' bytes)\n"
                 "solid: pinned host memory, dashed: pageable; dotted: the link's peak per direction")
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, frameon=False)
    fig.set_size_inches(8.5, 4.6 + 0.16 * math.ceil(len(lines) / 2))
    fig.tight_layout()
    return fig


def gemm_figure(docs):
    """(f) GEMM: median of every problem (m x n x k) and dtype, a bar per device, model and
    implementation (tick: best iteration), as % of the dtype's FLOP/s peak when every peak
    is known, else GFLOP/s on a log axis; repetitions: the median of their medians."""
    series, peaks = {}, {}
    for doc in docs:
        for r in doc["results"]:
            if r.get("family") != "gemm" and r.get("bench") != "gemm":
                continue
            lab = machine_label(doc, r, docs)
            if len(models_of_device(doc, r)) > 1:
                lab += f" [{model_of(r)}]"
            lab += f" ({r.get('implementation') or 'hbmbench'})"
            gf = figure(r)
            pk = gf["peak"]
            series.setdefault(lab, {}).setdefault((r["dtype"], size_label(r)), []).append(
                (gf["median"] if r.get("valid") else None, gf["best"] if r.get("valid") else None, pk))
            peaks.setdefault(lab, {})[r["dtype"]] = (pk, gf["peak_source"] or "unknown")
    problems = sorted({p for s in series.values() for p in s},
                      key=lambda p: (p[0], [int(x) for x in re.findall(r"\d+", p[1])]))
    as_pct = all(pk for s in series.values() for v in s.values() for _m, _b, pk in v)
    fig, ax = plt.subplots(figsize=(max(6.5, 0.8 * len(problems) + 3), 4.4))
    width = 0.8 / max(1, len(series))
    for i, (lab, s) in enumerate(sorted(series.items())):
        xs, meds, bests, bad = [], [], [], []
        for j, p in enumerate(problems):
            if p not in s:
                continue
            x = j - 0.4 + width * (i + 0.5)
            vals = [m for m, _b, _p in s[p]]
            if None in vals:
                bad.append(x)
                continue
            scale = 100.0 / s[p][0][2] if as_pct else 1.0
            xs.append(x)
            meds.append(median(vals) * scale)
            bests.append(max(b for _m, b, _p in s[p]) * scale)
        pk = ", ".join(f"{d} {v:.0f} ({src})" if v else f"{d} unknown" for d, (v, src) in sorted(peaks[lab].items()))
        ax.bar(xs, meds, width * 0.95, label=f"{lab}; peak GFLOP/s: {pk}", color=f"C{i % 10}")
        ax.plot(xs, bests, linestyle="none", marker="_", markersize=max(4, 40 * width), color="black")
        for x in bad:
            ax.text(x, 0, "invalid", rotation=90, ha="center", va="bottom", fontsize=7, color="red")
    ax.set_xticks(range(len(problems)))
    ax.set_xticklabels([f"{d}\n{sz}" for d, sz in problems], fontsize=7)
    if as_pct:
        ax.set_ylabel("median, % of the dtype's FLOP/s peak")
        ax.axhline(100, color="grey", linewidth=0.8, linestyle="--")
        ax.set_ylim(bottom=0)
        ax.set_title("GEMM by problem (m x n x k), % of each device's FLOP/s peak (f16: of fp32); "
                     "tick: best iteration")
    else:
        ax.set_ylabel("median GFLOP/s (1e9 FLOP/s), log scale")
        ax.set_yscale("log")
        ax.set_title("GEMM by problem (m x n x k), GFLOP/s: a FLOP/s peak is unknown; tick: best iteration")
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=1, frameon=False)
    fig.set_size_inches(fig.get_size_inches()[0], 4.4 + 0.16 * len(series))
    fig.tight_layout()
    return fig


def theoretical_roofs(doc, results, rooflines):
    """Roofline entries (results/README.md, roofline[]) of the device's theoretical peaks for
    each dtype that has GEMM results but no roofline summary, so GEMM points meet a roof."""
    have = {who(e) + (e["device_index"], e["device"], e["dtype"]) for e in rooflines}
    out = []
    for r in results:
        key = who(r) + (r["device_index"], r["device"], r["dtype"])
        if key in have:
            continue
        have.add(key)
        pk = device_of(doc, r).get("peaks") or {}
        bw = pk.get("bandwidth_gbs") or {}
        gf = pk.get("fp64_gflops" if r["dtype"] == "f64" else "fp32_gflops") or {}
        out.append({"device_index": r["device_index"], "device": r["device"], "dtype": r["dtype"],
                    "rank": r.get("rank"), "node": r.get("node"),
                    "theoretical_bandwidth_gbs": bw.get("value"), "theoretical_bandwidth_source": bw.get("source"),
                    "theoretical_gflops": gf.get("value"), "theoretical_gflops_source": gf.get("source"),
                    "theoretical_ridge_flop_per_byte": gf["value"] / bw["value"]
                    if gf.get("value") and bw.get("value") else None})
    return out


def roofline_figure(doc):
    """(g) The roofline of a file (scripts/plot_roofline.py draws each panel): a panel
    per device with roofline or GEMM results; None when it has none."""
    import plot_roofline  # noqa: E402  (same folder; matplotlib is loaded and set to Agg above)
    results = [r for r in doc["results"] if r.get("valid") and r.get("family") in ("gemm", "roofline")]
    rooflines = doc.get("roofline") or []
    rooflines = rooflines + theoretical_roofs(doc, results, rooflines)
    devices = sorted({who(r) + (r["device_index"], r["device"]) for r in results}
                     | {who(e) + (e["device_index"], e["device"]) for e in rooflines}, key=str)
    if not devices:
        return None
    fig, axes = plt.subplots(1, len(devices), figsize=(7.0 * len(devices), 5.2), squeeze=False)
    for ax, (rank, node, index, name) in zip(axes[0], devices):
        where = doc["host"]["hostname"] if node is None else f"{node} rank {rank}"
        plot_roofline.draw_device(
            ax, f"{where}: [{index}] {name}",
            [r for r in results if who(r) + (r["device_index"], r["device"]) == (rank, node, index, name)],
            [e for e in rooflines if who(e) + (e["device_index"], e["device"]) == (rank, node, index, name)])
    fig.suptitle(f"Roofline: {doc['_stem']}\nGFLOP/s against FLOP/byte, log-log; solid: measured roof, "
                 "dashed: theoretical", fontsize=8)
    fig.tight_layout()
    return fig


def slug(text):
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()[:40] or "device"


def cell_figure(r):
    """A result's figure of merit: its figure's median (GB/s, GFLOP/s, ns)."""
    return figure(r)["median"]


def node_rows(doc):
    """The rows of nodes_figure: (label, {kernel: (ratio, flags)}, worst ratio, trouble), outliers first."""
    medians = {(a["device"], a["bench"], a["dtype"], a["implementation"], a["elements"], a.get("m"), a.get("n"),
                a.get("k"), a.get("phase", "alone")): a["median"] for a in doc["cluster"].get("aggregates", [])}
    rows = {}
    for r in main_results(doc):
        impl = r.get("implementation") or "hbmbench"
        med = medians.get((r["device"], r["bench"], r["dtype"], impl, r["elements"], r.get("m"), r.get("n"), r.get("k"),
                           "together" if "concurrent" in r else "alone"))
        fig = cell_figure(r)
        ratio = fig / med if r.get("valid") and fig is not None and med else None
        if ratio and figure(r)["better"] == "lower":
            ratio = 1 / ratio  # a time: the group's median / this rank's, so below 1 is slower here too
        flags = "".join({"slow": "S", "noisy": "N"}[k] for k in r.get("outlier", []))
        key = (r["rank"], r["node"], r["device_index"], r["device"])
        rows.setdefault(key, {})[(r["bench"], r["dtype"], impl)] = (ratio, flags)
    out = []
    for e in doc["cluster"].get("ranks", []):
        keys = [k for k in rows if k[0] == e["rank"]] or [(e["rank"], e["node"], e.get("device_index"), e.get("device"))]
        for key in keys:
            cells = rows.get(key, {})
            ratios = [c[0] for c in cells.values() if c[0] is not None]
            trouble = e["status"] != "ok" or any(c[1] for c in cells.values())
            label = f"{key[1]} r{key[0]} [{'-' if key[2] is None else key[2]}] {short_device(key[3] or '-')}"
            label += "" if e["status"] == "ok" else f" ({e['status'].upper()})"
            out.append((label, cells, min(ratios) if ratios else 0.0, trouble, key[0]))
    out.sort(key=lambda x: (not x[3], x[2] if x[3] else 0, x[4]))
    return out


MAX_NODE_ROWS = 160


def nodes_figure(doc):
    """(d) MPI runs: every rank's median / the median of identical devices, per kernel; outliers first."""
    rows = node_rows(doc)
    kernels = sorted({k for _l, cells, *_ in rows for k in cells},
                     key=lambda k: kernel_key({"bench": k[0], "dtype": k[1]}) + (k[2],))
    shown = rows[:MAX_NODE_ROWS]
    grid = [[(cells.get(k) or (None, ""))[0] for k in kernels] for _l, cells, *_ in shown]
    data = [[float("nan") if v is None else v for v in row] for row in grid]
    fig, ax = plt.subplots(figsize=(max(6.0, 0.55 * len(kernels) + 4.5), max(2.6, 0.26 * len(shown) + 1.9)))
    cmap = matplotlib.colormaps["RdYlGn"].copy()
    cmap.set_bad("lightgrey")
    norm = matplotlib.colors.TwoSlopeNorm(vmin=0.5, vcenter=1.0, vmax=1.5)
    im = ax.imshow(data or [[float("nan")]], cmap=cmap, norm=norm, aspect="auto", interpolation="nearest")
    if len(shown) * max(1, len(kernels)) <= 800:
        for y, (_l, cells, *_r) in enumerate(shown):
            for x, k in enumerate(kernels):
                ratio, flags = cells.get(k) or (None, "")
                text = ("-" if ratio is None else f"{ratio:.2f}" if ratio >= 0.1 else f"{ratio:.1g}") + \
                    (f" {flags}" if flags else "")
                ax.text(x, y, text, ha="center", va="center", fontsize=6,
                        fontweight="bold" if flags else "normal")
    ax.set_xticks(range(len(kernels)))
    ax.set_xticklabels([f"{b}\n{d}" + ("" if i == "hbmbench" else f"\n{i}") for b, d, i in kernels], fontsize=7)
    ax.set_yticks(range(len(shown)))
    ax.set_yticklabels([row[0] for row in shown], fontsize=7)
    rules = doc["cluster"].get("outlier_rules", {})
    more = f"; {len(rows) - len(shown)} more rows in the file" if len(rows) > len(shown) else ""
    ax.set_title(f"{doc['_stem']}: each rank's median / the median of identical devices (a time: the inverse)\n"
                 f"S slow (< {rules.get('slow_below_fraction', 0.9)}), N noisy (CV > "
                 f"{rules.get('noisy_cv_factor', 3)} x their median); outliers and failed ranks first{more}",
                 fontsize=8)
    fig.colorbar(im, ax=ax, fraction=0.03, pad=0.02, label="fraction of the group median")
    fig.tight_layout()
    return fig


def featured_ranks(doc):
    """The ranks of an MPI run whose sweeps and samples are drawn: those with
    outliers (at most 8, worst first), else the lowest rank."""
    ranks = []
    for o in doc["cluster"].get("outliers", []):
        if o["rank"] not in ranks and len(ranks) < 8:
            ranks.append(o["rank"])
    return ranks or sorted({r["rank"] for r in doc["results"]})[:1]


def figures(docs):
    """Every chart for docs: a list of (file stem, title, figure). Stream kernels, transfers,
    GEMM, the roofline and latency each have charts of their own; a device measured by several
    models has its samples and sweeps per model; stems are unique."""
    out = [(f"nodes-{i}", f"Per node: {doc['_stem']}", nodes_figure(doc)) for i, doc in enumerate(docs)
           if is_cluster(doc)]
    stream = any(figure(r)["name"] == "bandwidth" and not is_transfer(r) and r.get("family") not in ("gemm", "roofline")
                 for d in docs for r in d["results"])
    if stream or any(is_cluster(d) for d in docs) or not any(d["results"] for d in docs):
        out.append(("kernels", "Memory bandwidth by kernel across machines", kernels_figure(docs)))
    if any(is_transfer(r) for d in docs for r in d["results"]):
        out.append(("transfers", "Host <-> device transfers across machines", transfers_figure(docs)))
    if any(r.get("family") == "gemm" or r.get("bench") == "gemm" for d in docs for r in d["results"]):
        out.append(("gemm", "GEMM across machines", gemm_figure(docs)))
    used = {stem for stem, *_ in out}

    def unique(stem, index):
        if stem in used:
            stem = f"{stem}-{index}"
        used.add(stem)
        return stem
    for i, doc in enumerate(docs):
        fig = roofline_figure(doc)
        if fig is not None:
            out.append((unique(f"roofline-{i}", i), f"Roofline: {doc['_stem']}", fig))
    for i, doc in enumerate(docs):
        ranks = featured_ranks(doc) if is_cluster(doc) else None
        for key, benches in sorted(sweep_groups(doc, ranks).items(), key=lambda kv: str(kv[0])):
            rank, _node, index, name, dtype, model = key
            tag = "" if rank is None else f"-r{rank}"
            multi = len(models_of_device(doc, {"device_index": index, "device": name, "rank": rank})) > 1
            mtag = f"-{model}" if multi else ""
            out.append((unique(f"sweep-{i}{tag}-{slug(short_device(name))}{mtag}-{dtype}", index),
                        f"Size sweep: {doc['_stem']}{tag}, {name}{f' [{model}]' if multi else ''}, {dtype}",
                        sweep_figure(doc, key, benches)))
        for key, rs in sorted(latency_groups(doc, ranks).items(), key=lambda kv: str(kv[0])):
            rank, _node, index, name = key
            tag = "" if rank is None else f"-r{rank}"
            out.append((unique(f"latency-{i}{tag}-{slug(short_device(name))}", index),
                        f"Latency: {doc['_stem']}{tag}, {name}", latency_figure(doc, key, rs)))
        devices = sorted({who(r) + (r["device_index"], r["device"]) for r in doc["results"]
                          if ranks is None or r.get("rank") in ranks}, key=str)
        for rank, _node, index, name in devices:
            tag = "" if rank is None else f"-r{rank}"
            models = models_of_device(doc, {"device_index": index, "device": name, "rank": rank})
            for model in models if len(models) > 1 else [None]:
                mtag = "" if model is None else f"-{model}"
                out.append((unique(f"samples-{i}{tag}-{slug(short_device(name))}{mtag}", index),
                            f"Per-iteration samples: {doc['_stem']}{tag}, {name}"
                            + ("" if model is None else f" [{model}]"),
                            samples_figure(doc, index, name, rank, model)))
    return out


def save(fig, base, formats):
    paths = []
    for fmt in formats:
        path = f"{base}.{fmt}"
        fig.savefig(path, format=fmt, dpi=PNG_DPI, metadata=SVG_META if fmt == "svg" else None)
        paths.append(path)
    plt.close(fig)
    return paths


def main(argv=None):
    p = argparse.ArgumentParser(description="Charts from hbmbench result files.")
    p.add_argument("files", nargs="+", metavar="FILE.json")
    p.add_argument("--out-dir", default="plots", help="where the charts go (default: plots)")
    p.add_argument("--formats", default="png,svg", help="comma-separated: png, svg (default both)")
    a = p.parse_args(argv)
    formats = [f for f in a.formats.split(",") if f]
    if not formats or any(f not in ("png", "svg") for f in formats):
        p.error(f"--formats: png and/or svg, not '{a.formats}'")
    try:
        docs = [load(f) for f in a.files]
    except ResultError as e:
        print(f"plot.py: {e}", file=sys.stderr)
        return 2
    os.makedirs(a.out_dir, exist_ok=True)
    for stem, _title, fig in figures(docs):
        for path in save(fig, os.path.join(a.out_dir, stem), formats):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
