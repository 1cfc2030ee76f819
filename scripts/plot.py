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
  nodes-N.{png,svg}        MPI runs (docs/cluster.md): every rank's median as a
                           fraction of the median of identical devices, one row
                           per node and device, outliers first (S slow, N noisy).
                           In the other charts an MPI run shows the median over
                           the ranks of each device model (tick: the fastest
                           rank), and its sweeps and samples for the ranks with
                           outliers (else the lowest rank).

usage: scripts/plot.py [--out-dir DIR] [--formats png,svg] FILE.json...

Needs Python 3 and matplotlib (Debian: python3-matplotlib); run it with
/usr/bin/python3. scripts/report.py draws the same charts into its page.
"""
import argparse
import json
import math
import os
import re
import sys

import matplotlib

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


def is_flops(r):
    """Compute benches are judged in GFLOP/s: they say so with a FLOP/s
    percent_basis; older files by their family (as hbmbench compare does)."""
    compute = r.get("percent_of_peak_basis") in ("fp32", "fp64") or r.get("family") in ("gemm", "roofline")
    return compute and (r.get("flops_per_iter") or 0) > 0  # the roofline's k = 0 point is bandwidth


def size_label(r):
    """'128 MiB' per array, '2048x2048x2048' for GEMM, '128 MiB k=64' for the roofline sweep."""
    m, n, k = r.get("m"), r.get("n"), r.get("k")
    if m is not None and n is not None and k is not None:
        return f"{m}x{n}x{k}"
    text = human(r["elements"] * {"f64": 8, "f16": 2}.get(r["dtype"], 4))
    return f"{text} k={k}" if k is not None else text


def main_results(doc):
    """Each device/bench/dtype's largest size: the measurement, not a sweep
    point (GEMM and roofline problems, which differ in m, n, k, all count)."""
    best = {}
    for r in doc["results"]:
        key = who(r) + (r["device_index"], r["device"], r["bench"], r["dtype"], r.get("implementation") or "hbmbench",
                        r.get("m"), r.get("n"), r.get("k"))
        if key not in best or r["elements"] > best[key]["elements"]:
            best[key] = r
    return list(best.values())


def kernel_key(r):
    b = r["bench"]
    return (STREAM_ORDER.index(b) if b in STREAM_ORDER else len(STREAM_ORDER), b, r["dtype"])


def peak_of(doc, r):
    p = r.get("peak_bandwidth_gbs")
    if p is None:
        p = (device_of(doc, r).get("peaks", {}).get("bandwidth_gbs") or {}).get("value")
    return p


def main_aggregates(doc):
    """An MPI run's cluster.aggregates at each problem's largest size."""
    best = {}
    for a in doc["cluster"].get("aggregates", []):
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
    for doc in docs:
        if is_cluster(doc):
            cluster_series(doc, docs, series)
            continue
        for r in main_results(doc):
            if is_flops(r) or r.get("family") in ("gemm", "roofline"):
                continue  # compute benches: GFLOP/s, not bandwidth
            lab = machine_label(doc, r, docs)
            bw = r.get("bandwidth_gbs") or {}
            series.setdefault(lab, {})[(r["bench"], r["dtype"])] = (
                bw.get("median"), bw.get("best"), peak_of(doc, r), r.get("valid", False))
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
    """{(rank, node, device_index, device, dtype): {bench: [results by size]}} with >= 3 sizes
    (rank and node None in a plain run); of the given ranks only, when given."""
    groups = {}
    for r in doc["results"]:
        if is_flops(r) or (ranks is not None and r.get("rank") not in ranks):
            continue
        key = who(r) + (r["device_index"], r["device"], r["dtype"])
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
    rank, node, index, name, dtype = key
    dev = next((d for d in doc.get("devices", []) if d.get("index") == index and d.get("name") == name
                and d.get("rank") == rank), {})
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    for bench in sorted(benches, key=lambda b: kernel_key({"bench": b, "dtype": dtype})):
        pts = [(r["bytes_per_iter"], r["bandwidth_gbs"]["median"]) for r in benches[bench]
               if r.get("valid") and r["bandwidth_gbs"].get("median") is not None]
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
    ax.set_title(f"{where}: {short_device(name)}, {dtype}: bandwidth vs working set")
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="lower left")
    fig.tight_layout()
    return fig


def samples_figure(doc, index, name, rank=None):
    """(c) Per-iteration distributions: every sample as GB/s (GFLOP/s for GEMM)."""
    rs = sorted((r for r in main_results(doc) if r["device_index"] == index and r["device"] == name
                 and r.get("rank") == rank), key=kernel_key)
    data, labels = [], []
    for r in rs:
        work = (r["flops_per_iter"] if is_flops(r) else r["bytes_per_iter"]) or 0
        vals = [work / t / 1e9 for t in r.get("samples_s", []) if t and t > 0]
        if vals:
            data.append(vals)
            extra = f"\n{size_label(r)}" if r.get("k") is not None else ""
            impl = r.get("implementation") or "hbmbench"
            bench = r["bench"] if impl == "hbmbench" else f"{r['bench']}/{impl}"
            labels.append(f"{bench}\n{r['dtype']}{extra}" + ("" if r.get("valid") else "\nINVALID"))
    fig, ax = plt.subplots(figsize=(max(6.0, 0.6 * len(data) + 2), 4.2))
    if data:
        ax.boxplot(data, whis=(0, 100), widths=0.6)
        for i, vals in enumerate(data, start=1):
            ax.plot([i] * len(vals), vals, linestyle="none", marker=".", markersize=2.5, alpha=0.5, color="C0")
        ax.set_xticks(range(1, len(labels) + 1))
        ax.set_xticklabels(labels, fontsize=7)
    ax.set_ylabel("per timed iteration: GB/s (GFLOP/s for gemm, roofline)")
    where = doc["host"]["hostname"] if rank is None else f"{rs[0]['node'] if rs else '?'} rank {rank}"
    ax.set_title(f"{where}: {short_device(name)}: every timed iteration "
                 "(box: quartiles, whiskers: min-max)")
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    return fig


def slug(text):
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()[:40] or "device"


def cell_figure(r):
    """A result's figure of merit: median GB/s, or GFLOP/s for compute benches."""
    return ((r.get("gflops") if is_flops(r) else r.get("bandwidth_gbs")) or {}).get("median")


def node_rows(doc):
    """The rows of nodes_figure: (label, {kernel: (ratio, flags)}, worst ratio, trouble), outliers first."""
    medians = {(a["device"], a["bench"], a["dtype"], a["implementation"], a["elements"], a.get("m"), a.get("n"),
                a.get("k")): a["median"] for a in doc["cluster"].get("aggregates", [])}
    rows = {}
    for r in main_results(doc):
        impl = r.get("implementation") or "hbmbench"
        med = medians.get((r["device"], r["bench"], r["dtype"], impl, r["elements"], r.get("m"), r.get("n"), r.get("k")))
        fig = cell_figure(r)
        ratio = fig / med if r.get("valid") and fig is not None and med else None
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
    ax.set_title(f"{doc['_stem']}: each rank's median / the median of identical devices\n"
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
    """Every chart for docs: a list of (file stem, title, figure)."""
    out = [(f"nodes-{i}", f"Per node: {doc['_stem']}", nodes_figure(doc)) for i, doc in enumerate(docs)
           if is_cluster(doc)]
    out.append(("kernels", "Bandwidth by kernel across machines", kernels_figure(docs)))
    for i, doc in enumerate(docs):
        ranks = featured_ranks(doc) if is_cluster(doc) else None
        for key, benches in sorted(sweep_groups(doc, ranks).items(), key=lambda kv: str(kv[0])):
            rank, _node, _index, name, dtype = key
            tag = "" if rank is None else f"-r{rank}"
            out.append((f"sweep-{i}{tag}-{slug(short_device(name))}-{dtype}",
                        f"Size sweep: {doc['_stem']}{tag}, {name}, {dtype}", sweep_figure(doc, key, benches)))
        devices = sorted({who(r) + (r["device_index"], r["device"]) for r in doc["results"]
                          if ranks is None or r.get("rank") in ranks}, key=str)
        for rank, _node, index, name in devices:
            tag = "" if rank is None else f"-r{rank}"
            out.append((f"samples-{i}{tag}-{slug(short_device(name))}",
                        f"Per-iteration samples: {doc['_stem']}{tag}, {name}", samples_figure(doc, index, name, rank)))
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
