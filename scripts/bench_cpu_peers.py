#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The tables of scripts/bench_cpu_peers.sh (issue 8), from the raw outputs it keeps.

usage: bench_cpu_peers.py likwid-kernels   pick likwid-bench kernels: prints "ours kernel streams" lines
       bench_cpu_peers.py table RAW_DIR    print the markdown tables from RAW_DIR (layout: the .sh)

Conventions: GB/s = 1e9 B/s, STREAM byte counting (each array once, no write-allocate traffic). Each
run gives its best and median; a cell is the median over rounds of the runs' best (or median), and a
ratio is the median over rounds of the ratio taken within each round's runs of that kernel, which lie
seconds apart, since the machine drifts.
"""
import collections
import datetime
import glob
import json
import math
import os
import re
import statistics
import subprocess
import sys

KERNELS = ["copy", "scale", "add", "triad", "dot", "read", "write"]
# likwid-bench kernels per hbmbench kernel (names and formulas from `likwid-bench -a` and -l; the
# kernels are documented at github.com/RRZE-HPC/likwid/wiki/Likwid-Bench). "stream" is STREAM's triad
# A = B*s + C; the *_mem ones store non-temporally. likwid-bench has no STREAM scale or add (daxpy
# updates y in place: 2 arrays, not 3).
LIKWID_BASES = {"copy": ["copy", "copy_mem"], "triad": ["stream", "stream_mem"], "dot": ["ddot"],
                "read": ["load", "sum"], "write": ["store", "store_mem"]}
# The widest instruction set first, with the /proc/cpuinfo flags each needs.
LIKWID_ISAS = [("_avx512_fma", {"avx512f", "fma"}), ("_avx512", {"avx512f"}), ("_avx_fma", {"avx", "fma"}),
               ("_avx", {"avx"}), ("_sse_fma", {"sse2", "fma"}), ("_sse", {"sse2"}), ("", set())]


def likwid_kernels():
    listed = set()
    for line in subprocess.run(["likwid-bench", "-a"], capture_output=True, text=True, check=True).stdout.splitlines():
        listed.add(line.split(" - ")[0].strip())
    flags = set()
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("flags"):
                flags = set(line.split(":", 1)[1].split())
                break
    for ours, bases in LIKWID_BASES.items():
        for base in bases:
            name = next((base + s for s, need in LIKWID_ISAS if base + s in listed and need <= flags), None)
            if name is None:
                continue
            info = subprocess.run(["likwid-bench", "-l", name], capture_output=True, text=True).stdout
            m = re.search(r"Number of streams:\s*(\d+)", info)
            if m:
                print(ours, name, m.group(1))


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def read_text(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return None


def results_of(path):
    """The results of an hbmbench result file; none when it is missing or unreadable (a failed run)."""
    try:
        with open(path) as f:
            return json.load(f).get("results", [])
    except (OSError, ValueError, AttributeError):
        return []


def hbmbench_figures(path, metric):
    """{(bench, dtype): (best, median)} of a result file's valid results (the whole machine only)."""
    out = {}
    for r in results_of(path):
        if r.get("valid") and r.get("config", {}).get("scope", "machine") == "machine" and r.get(metric):
            out[(r["bench"], r["dtype"])] = (r[metric]["best"], r[metric]["median"])
    return out


def gemm_winners(path):
    """{dtype: "algo TMxTN vVW ..."}: the configuration each GEMM result of a result file measured."""
    out = {}
    for r in results_of(path):
        c = r.get("config", {})
        if r.get("bench") == "gemm" and r.get("valid") and "algo" in c:
            out[r["dtype"]] = (f"{c['algo']} {c.get('tm')}x{c.get('tn')} v{c.get('vw')} "
                               f"wg {c.get('wgm')}x{c.get('wgn')} tk {c.get('tk')}")
    return out


def lines_figures(path, dtype):
    """{(name, dtype): (best, median)} of "name best median" lines (stream_native, clpeak_read, openblas_gemm)."""
    out = {}
    for line in (read_text(path) or "").splitlines():
        p = line.split()
        if len(p) == 3 and not line.startswith("#"):
            try:
                out[(p[0], dtype)] = (float(p[1]), float(p[2]))
            except ValueError:
                pass
    return out


def likwid_figures(rdir, picks):
    """{(ours, "f64"): (GB/s, GB/s, kernel)}: the best of each kernel's likwid-bench runs. likwid-bench
    prints one figure, its mean over all iterations (MByte = 1e6 B), so it stands for best and median."""
    out = {}
    for ours, name, _ in picks:
        m = re.search(r"^MByte/s:\s*([0-9.]+)", read_text(os.path.join(rdir, f"likwid-{name}.txt")) or "", re.M)
        if m:
            gbs = float(m.group(1)) / 1e3
            if (ours, "f64") not in out or gbs > out[(ours, "f64")][0]:
                out[(ours, "f64")] = (gbs, gbs, name)
    return out


def only(figures, keep):
    """The figures whose key passes keep(key)."""
    return {k: v for k, v in figures.items() if keep(k)}


def load_rounds(raw):
    """One entry per kernel of each round (raw/r<round>/<kernel>/): the figures of that kernel alone,
    so every ratio compares runs made seconds apart. stream_native runs all its kernels each time; the
    others are dropped here."""
    picks = [tuple(line.split()) for line in (read_text(os.path.join(raw, "likwid_kernels")) or "").splitlines()
             if len(line.split()) == 3]
    units = []
    for rdir in sorted(glob.glob(os.path.join(raw, "r[0-9]*")), key=lambda p: int(os.path.basename(p)[1:])):
        for udir in sorted(glob.glob(os.path.join(rdir, "*", ""))):
            kernel = os.path.basename(os.path.dirname(udir))
            j = lambda name: os.path.join(udir, name)  # noqa: E731
            this = lambda key: key[0] == kernel  # noqa: E731
            gemm = kernel == "gemm"
            units.append({
                "pocl": hbmbench_figures(j("hb-pocl.json"), "bandwidth_gbs"),
                "host": hbmbench_figures(j("hb-host.json"), "bandwidth_gbs"),
                "stream": only(lines_figures(j("stream.txt"), "f64"), this),
                "stream-nt": only(lines_figures(j("stream-nt.txt"), "f64"), this),
                "likwid": likwid_figures(udir, [p for p in picks if p[0] == kernel]),
                "clpeak": lines_figures(j("clpeak.txt"), "f32"),
                "hb-gemm": {k[1]: v for k, v in hbmbench_figures(j("hb-gemm.json"), "gflops").items()
                            if k[0] == "gemm"} if gemm else {},
                "hb-gemm-config": gemm_winners(j("hb-gemm.json")) if gemm else {},
                "openblas": {("f32" if k[0] == "sgemm" else "f64"): v
                             for k, v in lines_figures(j("openblas.txt"), "").items()} if gemm else {},
            })
    return units, picks


def fmt(x, digits=2):
    return "n/a" if x is None else f"{x:.{digits}f}"


def column(rounds, tool, key, idx=0):
    return med(r[tool].get(key, (None, None))[idx] for r in rounds)


# A VM like the CI machine switches between two speed states (about 62 and 115 GB/s for copy, so 1.85x
# apart) from one allocation or second to the next. A round whose two figures differ by more than this
# factor compared two states, not two tools; the "same state" ratios leave such rounds out and say how
# many they kept. A real 1.5x difference between two tools would leave out every round, which shows.
SAME_STATE = 1.5


def median_interval(xs, level=0.95):
    """A distribution-free interval for the median of xs: the order statistics k and n+1-k (1-based) with
    k the largest for which P(Binomial(n, 1/2) < k) <= (1 - level) / 2 (e.g. Conover, Practical
    Nonparametric Statistics, the sign-test interval). None with fewer than 6 values (no such k)."""
    n, xs = len(xs), sorted(xs)
    tail, k = 0.0, 0
    while k < n and tail + math.comb(n, k) / 2 ** n <= (1 - level) / 2:
        tail += math.comb(n, k) / 2 ** n
        k += 1
    return (xs[k - 1], xs[n - k]) if k >= 1 else None


def ratio(rounds, num, den, idx=0, same_state=False):
    """Median over rounds of num(r) / den(r), the rounds it had, and the 95% interval of that median (or
    None); num, den take a round and return a figure or None. With same_state, rounds whose figures
    differ by more than SAME_STATE are left out."""
    rs = [n / d for n, d in ((num(r), den(r)) for r in rounds) if n is not None and d]
    if same_state:
        rs = [x for x in rs if 1 / SAME_STATE <= x <= SAME_STATE]
    return (statistics.median(rs), len(rs), median_interval(rs)) if rs else (None, 0, None)


def fmt_ratio(r, of=None):
    """"0.985 (0.962-1.013) [n]" or "0.985 (0.962-1.013) [kept/of]": median, 95% interval, rounds."""
    value, n, ci = r
    band = f" ({ci[0]:.3f}-{ci[1]:.3f})" if ci else ""
    return f"{fmt(value, 3)}{band} [{n if of is None else f'{n}/{of}'}]"


def fig(r, tool, key, idx=0):
    v = r[tool].get(key)
    return v[idx] if v else None


def best_of(r, keys, idx=0):
    return max((fig(r, t, k, idx) for t, k in keys if fig(r, t, k, idx) is not None), default=None)


def winner(r, keys):
    """The tool of keys with the highest best figure in round r, or None."""
    vals = [(fig(r, t, k), t) for t, k in keys if fig(r, t, k) is not None]
    return max(vals)[1] if vals else None


def peer_keys(kernel):
    """The peers PoCL is judged against: clpeak's f32 read for read and dot (issue 8, goal 1), else the
    better of STREAM-NT and likwid-bench at f64."""
    if kernel in ("read", "dot"):
        return "f32", [("clpeak", ("read", "f32"))]
    return "f64", [("stream-nt", (kernel, "f64")), ("likwid", (kernel, "f64"))]


def measured(rounds):
    """The stream kernels some tool measured, in KERNELS' order."""
    return [k for k in KERNELS if any(key[0] == k for r in rounds for t in ("pocl", "host", "stream-nt", "likwid")
                                      for key in r[t])]


def stream_table(rounds, picks, idx):
    """Rows of the f64 table; idx 0 = best figures, 1 = median figures."""
    names = collections.defaultdict(collections.Counter)
    for r in rounds:
        for (k, _), v in r["likwid"].items():
            names[k][v[2]] += 1
    picked = {o for o, _, _ in picks}
    rows = []
    for k in measured(rounds):
        key = (k, "f64")
        lk = column(rounds, "likwid", key, idx)
        lname = names[k].most_common(1)[0][0] if names[k] else (
            "" if not picks else " (no such kernel)" if k not in picked else " (failed)")
        cells = [k, fmt(column(rounds, "pocl", key, idx)), fmt(column(rounds, "host", key, idx)),
                 fmt(column(rounds, "stream", key, idx)), fmt(column(rounds, "stream-nt", key, idx)),
                 f"{fmt(lk)} ({lname})" if names[k] else f"n/a{lname}",
                 fmt(column(rounds, "clpeak", ("read", "f32"), idx)) if k in ("read", "dot") else ""]
        if idx == 0:
            dt, peers = peer_keys(k)
            peer = med(best_of(r, peers) for r in rounds)
            wins = collections.Counter(winner(r, peers) for r in rounds if winner(r, peers))
            who = {"clpeak": "clpeak f32", "stream-nt": "STREAM-NT", "likwid": "likwid"}.get(
                wins.most_common(1)[0][0] if wins else "", "none")
            pocl = lambda r: fig(r, "pocl", (k, dt))  # noqa: E731
            peer_of = lambda r: best_of(r, peers)  # noqa: E731
            host = lambda r: fig(r, "host", key)  # noqa: E731
            best = lambda r: best_of(r, [("pocl", key), ("stream-nt", key), ("likwid", key)])  # noqa: E731
            pr, hr = ratio(rounds, pocl, peer_of), ratio(rounds, host, best)
            ps = ratio(rounds, pocl, peer_of, same_state=True)
            hs = ratio(rounds, host, best, same_state=True)
            cells += [f"{fmt(peer)} ({who})", fmt_ratio(pr) + (" f32" if dt == "f32" else ""), fmt_ratio(hr),
                      fmt_ratio(ps, pr[1]), fmt_ratio(hs, hr[1])]
        rows.append(cells)
    return rows


def pairwise_table(rounds):
    """Rows of tool-against-tool ratios (f64), each the median of per-round ratios with its interval:
    what a ratio against the best of several tools hides (the best of several noisy figures is biased
    upwards, so a tool at parity with each of them sits below 1.0 against their best)."""
    pairs = [("host", "pocl"), ("pocl", "stream-nt"), ("host", "stream-nt"), ("pocl", "likwid"), ("host", "likwid")]
    rows = []
    for k in measured(rounds):
        key = (k, "f64")
        cells = [k]
        for num, den in pairs:
            r = ratio(rounds, lambda x: fig(x, num, key), lambda x: fig(x, den, key))
            cells.append(fmt_ratio(r) if r[1] else "n/a")
        rows.append(cells)
    return rows


def md(header, rows):
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()


def facts(raw, meta, nrounds):
    lscpu = read_text(os.path.join(raw, "lscpu.txt")) or ""
    get = lambda key: (re.search(rf"^{re.escape(key)}:\s*(.*)$", lscpu, re.M) or [None, "?"])[1].strip()  # noqa: E731
    print(f"# CPU peers benchmark, {datetime.datetime.now().astimezone().isoformat(timespec='seconds')}")
    print(f"- CPU: {get('Model name')}, {get('Socket(s)')} socket(s) x {get('Core(s) per socket')} cores "
          f"x {get('Thread(s) per core')} threads; caches L1d {get('L1d cache')}, L2 {get('L2 cache')}, "
          f"L3 {get('L3 cache')}")
    print(f"- hbmbench: {meta.get('hbmbench', '?')} ({meta.get('hb_version', '?')}); OpenCL CPU device: "
          f"{meta.get('pocl', 'none')}")
    print(f"- {meta.get('size_mib')} MiB per array ({meta.get('size_why')}), {nrounds} round(s); a round takes "
          f"one kernel at a time and runs every tool on it back to back, in rotating order; "
          f"{meta.get('threads')} threads; GEMM N = {meta.get('gemm_n')}; tuning: "
          f"{meta.get('tuning')}")
    print("- GB/s = 1e9 B/s; STREAM byte counting (each array once, no write-allocate traffic): hbmbench, "
          "stream_native and likwid-bench (its -l 'Bytes per element' counts each stream once) alike. "
          "A cell: the median over rounds of each run's best; a ratio: the median over rounds of the "
          "per-round ratio, (lo-hi) its 95% interval (sign-test order statistics; from 6 rounds), [n] = "
          "rounds it had; 'same state' ratios leave out rounds whose two figures "
          f"differ by more than {SAME_STATE}x (the VM changed speed state between them), [kept/all]. "
          "likwid-bench gives one figure, its mean over all its iterations, used as both best and median.")
    print()


def stream_tables(rounds, picks):
    print("## Stream kernels, f64 (read and dot: PoCL judged at f32 against clpeak's read, issue 8 goal 1)\n")
    md(["kernel", "hbmbench PoCL", "hbmbench host", "STREAM", "STREAM-NT", "likwid-bench (kernel name)",
        "clpeak read (f32)", "best peer", "PoCL / best peer", "host / best of {PoCL, STREAM-NT, likwid}",
        "PoCL / best peer, same state", "host / best, same state"],
       stream_table(rounds, picks, 0))
    print("## Tool against tool, f64 (median of per-round ratios of best figures, 95% interval, rounds)\n")
    md(["kernel", "host / PoCL", "PoCL / STREAM-NT", "host / STREAM-NT", "PoCL / likwid-bench",
        "host / likwid-bench"], pairwise_table(rounds))
    print("## The same, median figures (median over rounds of each run's median)\n")
    md(["kernel", "hbmbench PoCL", "hbmbench host", "STREAM", "STREAM-NT", "likwid-bench (mean)",
        "clpeak read (f32)"], stream_table(rounds, picks, 1))
    print("## Stream kernels, f32 (hbmbench only; clpeak read is f32)\n")
    rows = []
    for k in measured(rounds):
        key = (k, "f32")
        pr = ratio(rounds, lambda r: fig(r, "pocl", key), lambda r: fig(r, "clpeak", ("read", "f32")))
        rows.append([k, fmt(column(rounds, "pocl", key)), fmt(column(rounds, "pocl", key, 1)),
                     fmt(column(rounds, "host", key)), fmt(column(rounds, "host", key, 1)),
                     fmt_ratio(pr) if k in ("read", "dot") else ""])
    md(["kernel", "PoCL best", "PoCL median", "host best", "host median", "PoCL best / clpeak read best"], rows)


def main_table(raw):
    meta = dict(line.rstrip("\n").split("=", 1) for line in open(os.path.join(raw, "meta")) if "=" in line)
    rounds, picks = load_rounds(raw)
    facts(raw, meta, len(glob.glob(os.path.join(raw, "r[0-9]*"))))
    if measured(rounds):
        stream_tables(rounds, picks)
    if meta.get("gemm_n", "0") != "0":
        print(f"## GEMM, N = {meta['gemm_n']} (GFLOP/s = 1e9 FLOP/s, FLOP = 2 N^3; best, median over rounds)\n")
        rows = []
        for dt in ("f32", "f64"):
            r_ = ratio(rounds, lambda r: fig(r, "hb-gemm", dt), lambda r: fig(r, "openblas", dt))
            # The best of each side over every round: a peer that is bimodal on this VM (OpenBLAS's SGEMM
            # was) makes a per-round ratio lucky or unlucky; the best of all rounds compares each side's
            # ceiling.
            hb_all = max((fig(r, "hb-gemm", dt) for r in rounds if fig(r, "hb-gemm", dt)), default=None)
            ob_all = max((fig(r, "openblas", dt) for r in rounds if fig(r, "openblas", dt)), default=None)
            configs = sorted({r["hb-gemm-config"][dt] for r in rounds if dt in r.get("hb-gemm-config", {})})
            rows.append([dt, fmt(column(rounds, "hb-gemm", dt), 1), fmt(column(rounds, "openblas", dt), 1),
                         fmt_ratio(r_), fmt(hb_all, 1), fmt(ob_all, 1),
                         fmt(hb_all / ob_all, 3) if hb_all and ob_all else "n/a", "; ".join(configs) or "n/a"])
        md(["dtype", "hbmbench PoCL GFLOP/s", "OpenBLAS GFLOP/s", "per-round ratio (95% interval) [rounds]",
            "hbmbench best of all rounds", "OpenBLAS best of all rounds", "best / best",
            "hbmbench configuration measured"], rows)
    for line in (read_text(os.path.join(raw, "unavailable")) or "").splitlines():
        tool, _, why = line.partition("\t")
        print(f"- {tool}: not available: {why}")
    failed = collections.defaultdict(list)  # (tool, why) -> rounds
    for path in glob.glob(os.path.join(raw, "r[0-9]*", "*", "*.failed")):
        udir = os.path.dirname(path)
        tool = f"{os.path.basename(path)[:-len('.failed')]} ({os.path.basename(udir)})"
        for why in (read_text(path) or "").splitlines():
            failed[(tool, why)].append(int(os.path.basename(os.path.dirname(udir))[1:]))
    for (tool, why), rs in sorted(failed.items()):
        print(f"- {tool} failed in round(s) {', '.join(map(str, sorted(rs)))}: {why}")
    for line in (read_text(os.path.join(raw, "notes")) or "").splitlines():
        print(f"- {line}")


if __name__ == "__main__":
    if sys.argv[1:] == ["likwid-kernels"]:
        likwid_kernels()
    elif len(sys.argv) == 3 and sys.argv[1] == "table":
        main_table(sys.argv[2])
    else:
        sys.exit(__doc__)
