#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""One self-contained HTML page from hbmbench result files. It opens with a
verdict per file and device (and model): the best triad in GB/s and % of
peak with the peak's source (or "peak unknown" and why), the best GEMM per
dtype, the best transfer per direction, the latency plateaus (L1, L2, ...,
memory in ns per load; files where latency ran), the `hbmbench check` result
(PASSED/FAILED, counts, every failing rule's line) and, with --baseline, the
regressions `hbmbench compare` finds. Then the machines, their topology and
devices, every result (one row each, grouped by the key compare pairs them
by), the comparisons (only between files that share a result) and the
charts of plot.py. Each result's unit and better direction come from its
"figure" (schema_version 2), or for older files from plot.figure(). A file
from an MPI run (docs/cluster.md) follows the verdict with its outliers and a
table per node and device, failed ranks and outliers first.

Everything is inside the page: charts are SVG in data: URIs, styles and the
little script are inline, nothing is fetched from the network, so the file
can be mailed, archived or attached to a CI run as it is.

usage: scripts/report.py [--out report.html] [--title TEXT] [--hbmbench PATH]
                         [--match pci|name|order] [--baseline FILE [--fail-below PCT]]
                         FILE.json...

Without --baseline each file is compared with the first earlier file that
shares a result with it. Exit 0 written; 2 a file missing, unreadable or
malformed, bad usage, or the page cannot be written. Needs Python 3 and matplotlib
(Debian: python3-matplotlib); run it with /usr/bin/python3. Without
matplotlib it exits 3 with plot.py's one-line message (docs/install.md).
"""
import argparse
import base64
import datetime
import html
import io
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import plot  # noqa: E402  (the charts; same folder)

CSS = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1400px; padding: 0 1.5em 3em; color: #222; }
h1 { font-size: 1.6em; margin-top: 1em; } h2 { border-bottom: 2px solid #ddd; margin-top: 2em; }
h3 { margin-bottom: .3em; }
table { border-collapse: collapse; margin: .5em 0 1em; font-size: 12.5px; }
th, td { border: 1px solid #ddd; padding: 3px 7px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; cursor: pointer; user-select: none; } th.sorted-asc::after { content: " \\25B2"; }
th.sorted-desc::after { content: " \\25BC"; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.invalid td { background: #fde8e8; } tr.slower td { background: #fff3e0; } tr.faster td { background: #e8f5e9; }
tr.regression td { background: #fdd; font-weight: bold; }
tr.outlier td, tr.trouble td { background: #fff0c2; } tr.failed td { background: #fdd; }
.note { color: #555; font-size: 12.5px; } code { background: #f5f5f5; padding: 0 3px; }
figure { margin: 1em 0 2em; } figure img { max-width: 100%; border: 1px solid #eee; }
figcaption { color: #555; font-size: 12.5px; }
#js-errors:empty { display: none; } #js-errors { background: #fdd; border: 1px solid #c00; padding: .5em; }
nav a { margin-right: 1em; }
.verdict-file { border: 1px solid #ccc; border-radius: 4px; padding: 0 1em .5em; margin: 1em 0; }
table.headline td { font-size: 13px; } .headline-bw b, .headline-pct b { font-size: 14px; }
.word { padding: 1px 8px; border-radius: 3px; color: #fff; } .word.pass { background: #2e7d32; }
.word.fail { background: #c62828; } .word.skip { background: #757575; }
p.check { padding: .4em .6em; border-left: 4px solid #999; background: #f7f7f7; }
p.check.pass { border-color: #2e7d32; } p.check.fail { border-color: #c62828; background: #fff5f5; }
.bad { color: #b00020; } p.notcompared { color: #555; font-style: italic; }
tr.fail td { background: #fde8e8; } tr.skip td { color: #666; }
h4 { margin: 1em 0 .2em; }
"""

# The page's only script: table sorting, a record of script errors in the
# page itself (so a headless browser's DOM dump shows them), and a marker
# that the page finished loading.
SCRIPT = """
window.onerror = function (msg, src, line) {
  var e = document.getElementById('js-errors');
  if (e) e.textContent += 'script error: ' + msg + ' (line ' + line + ')\\n';
};
function hbSortKey(td) {
  var v = td.getAttribute('data-v');
  if (v !== null && v !== '') return parseFloat(v);
  return td.textContent.trim().toLowerCase();
}
function hbSort(th) {
  var table = th.closest('table'), body = table.tBodies[0];
  var col = Array.prototype.indexOf.call(th.parentNode.children, th);
  var asc = !th.classList.contains('sorted-asc');
  Array.prototype.forEach.call(th.parentNode.children, function (h) { h.classList.remove('sorted-asc', 'sorted-desc'); });
  th.classList.add(asc ? 'sorted-asc' : 'sorted-desc');
  var rows = Array.prototype.slice.call(body.rows);
  rows.sort(function (a, b) {
    var x = hbSortKey(a.cells[col]), y = hbSortKey(b.cells[col]);
    if (typeof x !== typeof y) { x = String(x); y = String(y); }
    return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1);
  });
  rows.forEach(function (r) { body.appendChild(r); });
}
window.addEventListener('load', function () {
  document.querySelectorAll('table.sortable th').forEach(function (th) {
    th.addEventListener('click', function () { hbSort(th); });
  });
  document.querySelectorAll('img').forEach(function (img) {
    if (!img.complete || img.naturalWidth === 0)
      document.getElementById('js-errors').textContent += 'chart did not render: ' + img.alt + '\\n';
  });
  document.documentElement.setAttribute('data-loaded', '1');
});
"""


def esc(x):
    return html.escape("" if x is None else str(x))


def fnum(v, digits=2):
    return "-" if v is None else f"{v:.{digits}f}"


def cell(v, digits=2):
    """A numeric cell that sorts by value."""
    return f'<td class="num" data-v="{"" if v is None else v}">{fnum(v, digits)}</td>'


def pcell(p):
    text = "-" if p is None else "&lt;0.001" if p < 0.001 else f"{p:.3f}"
    return f'<td class="num" data-v="{"" if p is None else p}">{text}</td>'


def table(headers, rows, cls="sortable"):
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def hosts_of(d):
    """The machines of a file: its host, and in an MPI run every other node's (cluster.ranks[].host)."""
    hosts = [d["host"]]
    for e in (d.get("cluster") or {}).get("ranks", []):
        h = e.get("host")
        if h and all(h["hostname"] != x["hostname"] for x in hosts):
            hosts.append(h)
    return hosts


def machines_section(docs):
    rows = []
    for d, h in ((d, h) for d in docs for h in hosts_of(d)):
        t = h["topology"]
        caches = ", ".join(f"{c['name']} {plot.human(c['size_bytes'])} x{c['count']}" for c in t.get("caches", []))
        rows.append("<tr>" + "".join([
            f"<td>{esc(d['_stem'])}</td>", f"<td><b>{esc(h['hostname'])}</b></td>", f"<td>{esc(h['cpu_model'])}</td>",
            f"<td>{t['packages']} / {t['numa_nodes']} / {t['cores']} / {t['pus']}</td>",
            f"<td>{esc(plot.human(t['memory_bytes']))}</td>", f"<td>{esc(caches)}</td>",
            f"<td>{esc(h['os'])}<br>{esc(h['kernel'])}</td>", f"<td>{esc(h['hwloc_version'])}</td>",
            f"<td>{esc(d['tool']['version'])} ({esc(d['tool']['git_commit'])})</td>", f"<td>{esc(d['created'])}</td>",
            f"<td><code>{esc(d['config'].get('command_line', ''))}</code></td>"]) + "</tr>")
    return ('<h2 id="machines">Machines and topology</h2>'
            '<p class="note">Topology from hwloc: packages / NUMA nodes / cores / hardware threads; '
            'caches are one instance\'s size x instances.</p>'
            + table(["file", "host", "CPU", "pkg/NUMA/cores/PUs", "memory", "caches", "OS, kernel", "hwloc",
                     "hbmbench", "created (UTC)", "command"], rows))


def peak_text(p):
    if not p or p.get("value") is None:
        return "unknown"
    return f"{p['value']:.1f} ({p.get('source', '')})"


def devices_section(docs):
    rows = []
    for d in docs:
        for dev in d.get("devices", []):
            loc, pk = dev.get("locality", {}), dev.get("peaks", {})
            bw = pk.get("bandwidth_gbs") or {}
            where = d["host"]["hostname"] if "node" not in dev else f"{dev['node']} rank {dev['rank']}"
            rows.append("<tr>" + "".join([
                f"<td>{esc(where)}</td>", f"<td>{dev['index']}</td>", f"<td><b>{esc(dev['name'])}</b></td>",
                f"<td>{esc(dev['type'])}</td>",
                f"<td>{esc(dev['platform']['name'])}<br><span class='note'>{esc(dev['platform']['version'])}</span></td>",
                f"<td>{esc(dev['driver_version'])}</td>", f"<td class='num'>{dev['compute_units'] or '-'}</td>",
                f"<td class='num'>{dev['max_clock_mhz'] or '-'}</td>",
                f"<td>{esc(plot.human(dev['global_mem_bytes']))}</td>",
                f"<td>{esc(plot.human(dev['global_cache_bytes']) if dev['global_cache_bytes'] else '-')}</td>",
                f"<td>{esc(dev['pci'].get('bus_id') or '-')}</td>",
                f"<td>{esc(loc.get('numa_nodes'))} / {esc(loc.get('cpuset'))}<br>"
                f"<span class='note'>{esc(loc.get('source'))}</span></td>",
                f"<td title='{esc(bw.get('detail'))}'>{esc(peak_text(bw))}</td>",
                f"<td>{esc(peak_text(pk.get('fp32_gflops')))} / {esc(peak_text(pk.get('fp64_gflops')))}</td>"]) + "</tr>")
    return ('<h2 id="devices">Devices</h2>'
            + table(["host", "#", "device", "type", "OpenCL platform", "driver", "CUs", "MHz", "global memory",
                     "global cache", "PCI", "NUMA / CPUs (hwloc)", "peak GB/s (source)", "peak GFLOP/s fp32 / fp64"],
                    rows))


# ---- Results: every result, grouped by the key hbmbench compare pairs them by ----

def bench_label(r):
    impl = r.get("implementation") or "hbmbench"
    return r["bench"] if impl == "hbmbench" else f"{r['bench']}/{impl}"


def device_cell(r):
    device = esc(r["device"]) if "node" not in r else f"{esc(r['node'])} r{r['rank']}: {esc(r['device'])}"
    if r.get("outlier"):
        device += f" <b>[{esc(', '.join(r['outlier']))}]</b>"
    return f"<td>{device}</td>"


def size_cell(r):
    """Per array for the stream kernels, per copy for transfers, m x n x k for GEMM."""
    text = plot.human(plot.transfer_bytes(r)) if plot.is_transfer(r) else plot.size_label(r)
    return f'<td class="num" data-v="{r["elements"]}">{esc(text)}</td>'


def peak_cell(r):
    """The peak a result's percent is of, with its source, in its figure's unit: bandwidth,
    link or FLOP/s; none for a figure no peak bounds (latency)."""
    basis = r.get("percent_of_peak_basis") or "bandwidth"
    if "figure" in r:  # schema 2: the figure holds its peak, in its unit
        f = r["figure"]
        v, src = f.get("peak"), f.get("peak_source")
        unit = f["unit"] + (f" {basis}" if f["name"] == "flops" else " link" if basis == "link" else "")
    elif basis in ("fp32", "fp64"):
        v, src, unit = r.get("peak_gflops"), r.get("peak_gflops_source"), f"GFLOP/s {basis}"
    else:
        v, src, unit = r.get("peak_bandwidth_gbs"), r.get("peak_source"), "GB/s" + (" link" if basis == "link" else "")
    text = "none bounds it" if basis == "none" else "unknown" if v is None else f"{v:.1f} {unit} ({src or '?'})"
    return f'<td data-v="{"" if v is None else v}">{esc(text)}</td>'


def cfg_text(r):
    return " ".join(f"{k}={v}" for k, v in (r.get("config") or {}).items())


# (header, cell(r), shown(kind, rows)): every column has its unit in its header.
def _has(field):
    return lambda kind, rs: any(r.get(field) is not None for r in rs)


def _not(kind_name):
    return lambda kind, rs: kind != kind_name


def _latency_ns(key):
    return lambda r: cell(plot.figure(r)[key] if plot.is_latency(r) else None, 3)


COLUMNS = [
    ("device", device_cell, None),
    ("model", lambda r: f"<td>{esc(plot.model_of(r))}</td>", None),
    ("bench", lambda r: f"<td>{esc(bench_label(r))}</td>", None),
    ("dtype", lambda r: f"<td>{esc(r['dtype'])}</td>", None),
    ("size", size_cell, None),
    ("transfer path (api host NUMA)", lambda r: f"<td>{esc(plot.transfer_path(r))}</td>",
     lambda kind, rs: kind == "transfer"),
    ("rep.", lambda r: f"<td class='num'>{esc(r.get('repetition'))}</td>", _has("repetition")),
    ("concurrent step", lambda r: f"<td class='num'>{esc((r.get('concurrent') or {}).get('step'))}</td>",
     _has("concurrent")),
    ("best GB/s", lambda r: cell((r.get("bandwidth_gbs") or {}).get("best")), _not("latency")),
    ("median GB/s", lambda r: cell((r.get("bandwidth_gbs") or {}).get("median")), _not("latency")),
    ("best GFLOP/s", lambda r: cell(plot.figure(r)["best"] if plot.is_flops(r) else None),
     lambda kind, rs: any(plot.is_flops(r) for r in rs)),
    ("median GFLOP/s", lambda r: cell(plot.figure(r)["median"] if plot.is_flops(r) else None),
     lambda kind, rs: any(plot.is_flops(r) for r in rs)),
    ("best ns per load", _latency_ns("best"), lambda kind, rs: kind == "latency"),
    ("median ns per load", _latency_ns("median"), lambda kind, rs: kind == "latency"),
    ("% of peak", lambda r: cell(r.get("percent_of_peak"), 1), _not("latency")),
    ("peak (source)", peak_cell, _not("latency")),
    ("CV %", lambda r: cell(None if (r.get("stats") or {}).get("cv") is None else 100 * r["stats"]["cv"], 1), None),
    ("n", lambda r: f"<td class='num'>{esc((r.get('stats') or {}).get('n'))}</td>", None),
    ("valid", lambda r: f"<td>{'yes' if r.get('valid') else 'INVALID'}</td>", None),
    ("config", lambda r: f"<td>{esc(cfg_text(r))}</td>", None),
    ("notes", lambda r: f"<td>{esc(r.get('notes'))}</td>", None),
]


def kind_of(r):
    if plot.is_transfer(r):
        return "transfer"
    if plot.is_latency(r):
        return "latency"
    if r.get("family") in ("gemm", "roofline"):
        return r["family"]
    return "stream" if r.get("family") in ("stream", "host-stream", None) else "other"


KINDS = [("stream", "Memory bandwidth: stream kernels"), ("transfer", "Host &lt;-&gt; device transfers"),
         ("gemm", "GEMM"), ("roofline", "Roofline sweep"),
         ("latency", "Latency: dependent loads (pointer chase), ns per load, lower is better"),
         ("other", "Other benches")]


def result_rows(fi, rows, cols):
    out = []
    for i, r in rows:
        cls = "result invalid" if not r.get("valid") else "result outlier" if r.get("outlier") else "result"
        out.append(f'<tr class="{cls}" data-result="{fi}:{i}">' + "".join(c(r) for _h, c, _s in cols) + "</tr>")
    return out


def results_section(docs):
    out = ['<h2 id="results">Results</h2><p class="note">Every result of every file, one row each, grouped '
           'as <code>hbmbench compare</code> pairs them (device, PCI bus id, model, bench, dtype, size, '
           'implementation, m x n x k; and the transfer path, repetition and concurrent step that compare tells '
           'apart by order). GB/s = 1e9 bytes/s, bytes counted as STREAM does (no write-allocate); GFLOP/s = 1e9 '
           'FLOP/s; best from the minimum time, median from the median time; % of peak = best / the peak beside '
           'it: the bandwidth peak, the host link for transfers, the FLOP/s peak of the dtype for gemm and '
           'roofline; latency: ns per load, best from the fastest iteration / its loads, lower is better, no '
           'peak (docs/latency.md). Size: per array (stream), per copy in each direction (transfers), m x n x k '
           '(GEMM), the working set (latency). Click a column to sort.</p>']
    for fi, d in enumerate(docs):
        main_ids = {id(r) for r in plot.main_results(d)}
        order = {id(r): (not r.get("outlier"), r.get("rank") or 0, r["device_index"], plot.model_of(r))
                 + plot.kernel_key(r) + (plot.transfer_path(r), r["elements"], r.get("repetition") or 0)
                 for r in d["results"]}
        out.append(f'<h3 id="results-{fi}">{esc(d["host"]["hostname"])} &mdash; {esc(d["_stem"])}: '
                   f'{len(d["results"])} results</h3>')
        for kind, title in KINDS:
            rows = sorted(((i, r) for i, r in enumerate(d["results"]) if kind_of(r) == kind),
                          key=lambda ir: order[id(ir[1])])
            if not rows:
                continue
            cols = [c for c in COLUMNS if c[2] is None or c[2](kind, [r for _i, r in rows])]
            head = [h for h, _c, _s in cols]
            main = [(i, r) for i, r in rows if kind != "stream" or id(r) in main_ids]
            sweep = [(i, r) for i, r in rows if kind == "stream" and id(r) not in main_ids]
            out.append(f"<h4>{title}: {len(rows)}</h4>" + table(head, result_rows(fi, main, cols)))
            if sweep:
                out.append(f"<details><summary>{len(sweep)} sweep points below each kernel's largest size</summary>"
                           + table(head, result_rows(fi, sweep, cols)) + "</details>")
    return "".join(out)


# ---- hbmbench check and compare ----

def find_hbmbench(given):
    """(path, None), or (None, why it was not found)."""
    if given:
        if os.path.isfile(given) and os.access(given, os.X_OK):
            return given, None
        return None, f"--hbmbench {given}: not an executable file"
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for cand in (shutil.which("hbmbench"), os.path.join(here, "build", "hbmbench")):
        if cand and os.access(cand, os.X_OK):
            return cand, None
    return None, "hbmbench not found on PATH nor in build/ (pass --hbmbench PATH)"


def run_json(exe, args, ok_codes):
    """(document, exit code, None) from `hbmbench ARGS --format json`, or (None, code, why not)."""
    try:
        p = subprocess.run([exe, *args, "--format", "json"], capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.SubprocessError) as e:
        return None, None, f"could not run {exe}: {e}"
    if p.returncode not in ok_codes or not p.stdout.strip():
        why = p.stderr.strip().splitlines()
        return None, p.returncode, f"exit {p.returncode}: {why[-1] if why else 'no output'}"
    try:
        return json.loads(p.stdout), p.returncode, None
    except ValueError as e:
        return None, p.returncode, f"exit {p.returncode}, but its JSON does not parse: {e}"


WORD_CLASS = {"PASSED": "pass", "FAILED": "fail", "NOT CHECKED": "skip"}
CHECK_EXIT = {0: "exit 0: no rule failed", 1: "exit 1: at least one rule failed"}


def run_check(exe, why_not, d):
    if not exe:
        return None, f"hbmbench check could not run: {why_not}"
    doc, _code, err = run_json(exe, ["check", d["_path"]], (0, 1))
    return (doc, None) if doc else (None, f"hbmbench check could not run: {err}")


def compare_keys(d, match, by_node):
    """The keys hbmbench compare pairs this file's results by (runner/compare/compare_match.c,
    make_key), repeats aside: files that share none have nothing to compare."""
    keys, ordinal = set(), {}
    for r in d["results"]:
        dev = (r["device"], r.get("pci_bus_id") or "")
        ordinal.setdefault(dev, len(ordinal))
        prob = (plot.model_of(r), r.get("implementation") or "hbmbench", r.get("m"), r.get("n"), r.get("k"))
        if match == "order":
            keys.add((ordinal[dev], r["bench"], r["dtype"]) + prob)
        else:
            keys.add((r.get("node") if by_node else None, r["device"], dev[1] if match == "pci" else "",
                      r["bench"], r["dtype"], r["elements"]) + prob)
    return keys


def share(a, b, match):
    by_node = plot.is_cluster(a) and plot.is_cluster(b)
    return bool(compare_keys(a, match, by_node) & compare_keys(b, match, by_node))


def plan_comparisons(docs, baseline, match):
    """([(BASE, [OTHER, ...])], [(doc, why not compared)]): with a baseline, each file against
    it; else each file against the first earlier file it shares a result with."""
    skipped = []
    if baseline is not None:
        others = [d for d in docs if os.path.abspath(d["_path"]) != os.path.abspath(baseline["_path"])]
        with_base = [d for d in others if share(baseline, d, match)]
        shared = {id(d) for d in with_base}
        skipped = [(d, f"not compared: no result in common with the baseline {baseline['_stem']}")
                   for d in others if id(d) not in shared]
        return ([(baseline, with_base)] if with_base else []), skipped
    bases = {}
    for i, d in enumerate(docs[1:], start=1):
        base = next((b for b in docs[:i] if share(b, d, match)), None)
        if base is None:
            skipped.append((d, "not compared: no result in common with an earlier file"))
        else:
            bases.setdefault(id(base), (base, []))[1].append(d)
    return list(bases.values()), skipped


def run_compares(exe, why_not, plan, match, fail_below):
    """[(BASE, [OTHER], compare document or None, why not)]."""
    out = []
    for base, others in plan:
        if not exe:
            out.append((base, others, None, f"hbmbench compare could not run: {why_not}"))
            continue
        args = ["compare", base["_path"], *[d["_path"] for d in others], "--match", match]
        if fail_below is not None:
            args += ["--fail-below", str(fail_below)]
        doc, _code, err = run_json(exe, args, (0, 1, 3))
        out.append((base, others, doc, None if doc else f"hbmbench compare could not run: {err}"))
    return out


def pair_size(pr):
    return plot.size_label(dict(pr["base"], dtype=pr["dtype"]))


def pair_label(pr):
    impl = pr["base"].get("implementation") or "hbmbench"
    bench = pr["bench"] if impl == "hbmbench" else f'{pr["bench"]}/{impl}'
    dev = pr["base"]["device"] if "node" not in pr["base"] else f'{pr["base"]["node"]}: {pr["base"]["device"]}'
    return dev, bench


def lost_results(c):
    """Results valid in BASE that are invalid or missing in OTHER (compare's "lost")."""
    out = [pr for pr in c["pairs"] if pr["base"].get("valid") and not pr["other"].get("valid")]
    return out, [o for o in c["only_in_base"] if o.get("valid")]


def compare_section(docs, compares, skipped, match, baseline):
    head = '<h2 id="compare">Comparison</h2>'
    out = [head]
    if baseline is not None:
        out.append(f'<p class="note">Every file against the baseline <code>{esc(baseline["_path"])}</code>.</p>')
    elif len(docs) < 2:
        return head + '<p class="note">One file and no --baseline: nothing to compare.</p>'
    else:
        out.append('<p class="note">Each file against the first earlier file that shares a result with it '
                   '(same device, bench, dtype and size, as <code>hbmbench compare</code> pairs them); pass '
                   '<code>--baseline FILE</code> to compare every file with one reference.</p>')
    for d, why in skipped:
        out.append(f'<p class="notcompared"><b>{esc(d["_stem"])}</b>: {esc(why)}.</p>')
    for base, others, doc, err in compares:
        if doc is None:
            out.append(f'<p class="note">{esc(base["_stem"])} against '
                       f'{esc(", ".join(o["_stem"] for o in others))}: {esc(err)}</p>')
            continue
        m = doc["method"]
        out.append(f'<p class="note">Produced by <code>hbmbench compare --match {esc(match)}</code>. ratio = OTHER '
                   f'median / BASE median; significant only when the {m["confidence_level"] * 100:.0f}% bootstrap '
                   f'interval of the ratio of medians ({m["resamples"]} resamples, fixed seed) excludes 1 and the '
                   f'two-sided Mann-Whitney U test gives p &lt; {m["alpha"]}.</p>')
        for c in doc["comparisons"]:
            out.append(f"<h3>BASE {esc(os.path.basename(c['base_file']))} vs OTHER "
                       f"{esc(os.path.basename(c['other_file']))}</h3>")
            diffs = c["environment_differences"]
            out.append("<p><b>Environment differences</b> (may make the comparison unfair):</p><ul>"
                       + "".join(f"<li>{esc(x['what'])}: <code>{esc(x['base'])}</code>"
                                 + (f" &rarr; <code>{esc(x['other'])}</code>" if x["other"] is not None else "")
                                 + "</li>" for x in diffs) + ("" if diffs else "<li>none</li>") + "</ul>")
            if not c["pairs"]:
                out.append('<p class="notcompared">not compared: no result in common.</p>')
                continue
            rows = []
            for pr in c["pairs"]:
                cls = "regression" if pr["regression"] else pr["verdict"]
                ci = "-" if pr["ci_low"] is None else f"{pr['ci_low']:.3f}..{pr['ci_high']:.3f}"
                dev, bench = pair_label(pr)
                rows.append(f'<tr class="{cls}"><td>{esc(dev)}</td><td>{esc(bench)}</td>'
                            f'<td>{esc(pr["dtype"])}</td><td>{esc(pair_size(pr))}</td><td>{esc(pr["unit"])}</td>'
                            + cell(pr["base"]["median"]) + cell(pr["other"]["median"]) + cell(pr["ratio"], 3)
                            + f"<td>{ci}</td>" + pcell(pr["p_value"])
                            + f"<td>{esc(pr['verdict'])}{'*' if pr['config_differs'] else ''}</td></tr>")
            out.append(table(["device", "bench", "dtype", "size", "unit", "BASE median", "OTHER median",
                              "ratio OTHER/BASE", "95% CI", "p", "verdict"], rows))
            n_only = len(c["only_in_base"]) + len(c["only_in_other"])
            if n_only:
                out.append(f'<p class="note">{len(c["only_in_base"])} results only in BASE, '
                           f'{len(c["only_in_other"])} only in OTHER (not compared).</p>')
    return "".join(out)


# ---- The verdict: per file and device, what a newcomer asks first ----

def headline_groups(d):
    """{(node, rank, device_index, device, model): [results]} in file order."""
    groups = {}
    for r in d["results"]:
        groups.setdefault((r.get("node"), r.get("rank"), r["device_index"], r["device"], plot.model_of(r)),
                          []).append(r)
    return groups


def best(rs, field):
    ok = [r for r in rs if r.get("valid") and (r.get(field) or {}).get("best") is not None]
    return max(ok, key=lambda r: r[field]["best"]) if ok else None


def reps_note(rs, r):
    n = len({x.get("repetition") for x in rs if plot.problem_key(x)[:-2] == plot.problem_key(r)[:-2]})
    return f", best of {n} repetitions" if n > 1 else ""


def stream_headline(d, rs, main_ids):
    """The best triad at its largest size (else the best stream kernel): figure, % of peak, source."""
    cand = [r for r in rs if kind_of(r) == "stream" and id(r) in main_ids]
    if not cand:
        return '<td>-</td>', '<td>-</td>'
    triads = [r for r in cand if r["bench"] == "triad"]
    r = best(triads, "bandwidth_gbs") or best(cand, "bandwidth_gbs")
    if r is None:
        return '<td class="bad">no valid stream result</td>', '<td>-</td>'
    bw = r["bandwidth_gbs"]
    fig = (f'<td class="headline-bw"><b>{bw["best"]:.2f} GB/s</b> best {esc(r["bench"])} {esc(r["dtype"])}, '
           f'{esc(plot.size_label(r))}{reps_note(cand, r)}<br><span class="note">median {fnum(bw.get("median"))} '
           f'GB/s</span></td>')
    peak = r.get("peak_bandwidth_gbs")
    pct = r.get("percent_of_peak")
    if pct is None and peak:
        pct = 100 * bw["best"] / peak
    if pct is not None and peak:
        src = r.get("peak_source") or (plot.device_of(d, r).get("peaks", {}).get("bandwidth_gbs") or {}).get("source")
        text = f'<b>{pct:.1f} % of peak</b><br><span class="note">peak {peak:.1f} GB/s, source: {esc(src)}</span>'
        if pct > 100:
            text += '<br><span class="bad">above 100 %: caches or compression, or the peak is too low</span>'
        return fig, f'<td class="headline-pct">{text}</td>'
    why = (plot.device_of(d, r).get("peaks", {}).get("bandwidth_gbs") or {}).get("detail") or \
        "the file holds no bandwidth peak for this device"
    hint = "" if "--peak" in why else "; pass --peak-bw or --peaks to hbmbench run"
    return fig, f'<td class="headline-pct"><b>peak unknown</b><br><span class="note">{esc(why + hint)}</span></td>'


def gemm_headline(rs):
    parts = []
    for dtype in sorted({r["dtype"] for r in rs if kind_of(r) == "gemm"}):
        r = best([x for x in rs if kind_of(x) == "gemm" and x["dtype"] == dtype], "gflops")
        if r is None:
            parts.append(f"{esc(dtype)}: no valid result")
            continue
        pct = r.get("percent_of_peak")
        of = f" = {pct:.1f} % of the {esc(r.get('percent_of_peak_basis'))} peak ({esc(r.get('peak_gflops_source'))})" \
            if pct is not None else " (FLOP/s peak unknown)"
        parts.append(f"{esc(dtype)}: <b>{r['gflops']['best']:.1f} GFLOP/s</b> {esc(bench_label(r))} "
                     f"{esc(plot.size_label(r))}{of}")
    return "<td>" + ("<br>".join(parts) or "-") + "</td>"


def transfer_headline(rs):
    parts = []
    for bench in plot.TRANSFER_BENCHES:
        mine = [r for r in rs if plot.is_transfer(r) and r["bench"] == bench]
        if not mine:
            continue
        r = best(mine, "bandwidth_gbs")
        if r is None:
            parts.append(f"{bench}: no valid result")
            continue
        pct = r.get("percent_of_peak")
        link = f" = {pct:.1f} % of the link ({r['peak_bandwidth_gbs']:.1f} GB/s, {esc(r.get('peak_source'))})" \
            if pct is not None and r.get("peak_bandwidth_gbs") else \
            " (zero-copy: device memory is host memory, no link crossed)" if (r.get("config") or {}).get("zero_copy") \
            else " (link peak unknown)"
        parts.append(f"{bench}: <b>{r['bandwidth_gbs']['best']:.2f} GB/s</b> "
                     f"({esc(plot.transfer_path(r))}, {esc(plot.human(plot.transfer_bytes(r)))}){link}")
    return "<td>" + ("<br>".join(parts) or "-") + "</td>"


def latency_headline(d, rs):
    """The device's latency plateaus (the file's latency_plateaus, docs/latency.md): each level's
    ns per load, the median over repetitions; '-' where latency did not run."""
    mine = [r for r in rs if plot.is_latency(r)]
    if not mine:
        return "<td>-</td>"
    r0 = mine[0]
    levels = {}
    for p in d.get("latency_plateaus") or []:
        if p["device_index"] == r0["device_index"] and p["device"] == r0["device"] and p["model"] == plot.model_of(r0):
            ns, size = levels.setdefault(p["level"], ([], p["level_bytes"]))
            if p["ns_per_load"] is not None:
                ns.append(p["ns_per_load"])
    parts = [f"{esc(level)}{' (' + esc(plot.human(size)) + ')' if size else ''}: "
             + (f"<b>{plot.median(ns):.3g} ns</b>" if ns else "- (no working set inside it)")
             for level, (ns, size) in levels.items()]
    bad = sum(1 for r in mine if not r.get("valid"))
    if bad:
        parts.append(f'<span class="bad">{bad} of {len(mine)} working sets invalid</span>')
    return "<td>" + ("<br>".join(parts) or "no latency_plateaus in the file") + "</td>"


def verdict_device(v):
    return "-" if v["device_index"] is None else f"[{v['device_index']}] {esc(v['device'])}"


def check_block(chk, err):
    if chk is None:
        return f'<p class="check skip"><b>check could not run</b>: {esc(err)}</p>', "NOT CHECKED"
    s = chk["summary"]
    word = "PASSED" if s["passed"] else "FAILED"
    rules = chk.get("rules_file") or "built-in rules"
    out = [f'<p class="check {"pass" if s["passed"] else "fail"}"><b>hbmbench check: {word}</b> '
           f'({esc(CHECK_EXIT.get(s["exit_code"], "exit " + str(s["exit_code"])))}; skips do not fail) &mdash; '
           f'{s["pass"]} pass, {s["fail"]} fail, {s["skip"]} skip; {esc(rules)}.</p>']
    fails = [v for v in chk["verdicts"] if v["verdict"] == "fail"]
    if fails:
        out.append('<ul class="failing">' + "".join(
            f'<li><b>fail</b> {esc(v["rule"])} [{esc(v["device_index"])}] {esc(v["device"])}: {esc(v["detail"])}</li>'
            for v in fails) + "</ul>")
    out.append(f'<details><summary>all {len(chk["verdicts"])} verdicts</summary>' + table(
        ["verdict", "rule", "device", "detail"],
        [f'<tr class="{esc(v["verdict"])}"><td>{esc(v["verdict"])}</td><td>{esc(v["rule"])}</td>'
         f'<td>{verdict_device(v)}</td>'
         f'<td>{esc(v["detail"])}</td></tr>' for v in chk["verdicts"]]) + "</details>")
    return "".join(out), word


def regressions_block(d, compares, skipped, baseline, fail_below):
    if baseline is None:
        return ('<p class="note">No baseline given: no regression check (<code>--baseline FILE</code> compares '
                'every file with it).</p>')
    if os.path.abspath(d["_path"]) == os.path.abspath(baseline["_path"]):
        return '<p class="note">This file is the baseline.</p>'
    for sd, why in skipped:
        if sd is d:
            return f'<p class="notcompared">Against the baseline: {esc(why)}.</p>'
    for _base, others, doc, err in compares:
        if not any(o is d for o in others):
            continue
        if doc is None:
            return f'<p class="check skip">Against the baseline: {esc(err)}</p>'
        c = next((c for c in doc["comparisons"] if c["other_file"] == d["_path"]), None)
        if c is None:
            return '<p class="check skip">Against the baseline: compare gave no comparison for this file.</p>'
        regs = [pr for pr in c["pairs"] if pr["regression"]]
        lost_pairs, lost_missing = lost_results(c)
        slower = [pr for pr in c["pairs"] if pr["verdict"] == "slower" and not pr["regression"]]
        head = (f'Against the baseline {esc(os.path.basename(c["base_file"]))}: {len(c["pairs"])} pairs, '
                f'<b>{len(regs)} regression(s)</b> (significantly slower by more than {fail_below:g} %), '
                f'{len(lost_pairs) + len(lost_missing)} result(s) lost (valid there, invalid or missing here), '
                f'{len(slower)} slower within {fail_below:g} %.')
        items = [f"<li><b>slower</b> {esc(' '.join(pair_label(pr)))} {esc(pr['dtype'])} {esc(pair_size(pr))}: "
                 f"median {fnum(pr['other']['median'])} vs {fnum(pr['base']['median'])} {esc(pr['unit'])}, "
                 f"ratio {fnum(pr['ratio'], 3)}</li>" for pr in regs]
        items += [f"<li><b>invalid</b> {esc(' '.join(pair_label(pr)))} {esc(pr['dtype'])} {esc(pair_size(pr))}</li>"
                  for pr in lost_pairs]
        items += [f"<li><b>missing</b> {esc(o['device'])} {esc(o['bench'])} {esc(o['dtype'])} "
                  f"{esc(plot.size_label(o))}</li>" for o in lost_missing]
        cls = "fail" if regs or lost_pairs or lost_missing else "pass"
        return f'<p class="check {cls}">{head}</p>' + (f'<ul class="failing">{"".join(items)}</ul>' if items else "")
    return '<p class="note">Against the baseline: not compared.</p>'


def verdict_section(docs, checks, compares, skipped, baseline, fail_below):
    out = ['<h2 id="verdict">Verdict</h2><p class="note">Per file and device (and model, where several measured '
           'it): the best triad at its largest size (else the best stream kernel) in GB/s (1e9 bytes/s, from the '
           'minimum time) and as % of the bandwidth peak with the peak\'s source; the best GEMM per dtype in GFLOP/s '
           '(1e9 FLOP/s) and % of its FLOP/s peak; the best transfer per direction in GB/s; where latency ran, '
           'its plateaus in ns per load (lower is better); then <code>hbmbench check</code> with the built-in '
           'rules (docs/compare-check.md) and, with <code>--baseline</code>, the regressions <code>hbmbench '
           'compare</code> finds.</p>']
    for fi, (d, (chk, err)) in enumerate(zip(docs, checks)):
        main_ids = {id(r) for r in plot.main_results(d)}
        block, word = check_block(chk, err)
        n_bad = sum(1 for r in d["results"] if not r.get("valid"))
        incomplete = "" if d.get("complete", True) else \
            f' <span class="bad">incomplete: stopped by {esc(d.get("stopped_by"))}</span>'
        out.append(f'<div class="verdict-file" id="verdict-{fi}"><h3>{esc(d["host"]["hostname"])} &mdash; '
                   f'{esc(d["_stem"])}: <span class="word {WORD_CLASS[word]}">{word}</span>{incomplete}</h3>'
                   f'<p class="note">{len(d["results"])} results, {n_bad} invalid; created {esc(d["created"])}.</p>')
        rows = []
        latency = any(plot.is_latency(r) for r in d["results"])  # its column only where it ran
        for (node, rank, index, name, model), rs in headline_groups(d).items():
            where = f"{esc(node)} rank {rank}: " if node is not None else ""
            bad = [r for r in rs if not r.get("valid")]
            fig, pct = stream_headline(d, rs, main_ids)
            rows.append(f'<tr class="headline"><td>{where}[{index}] <b>{esc(name)}</b></td><td>{esc(model)}</td>'
                        + fig + pct + gemm_headline(rs) + transfer_headline(rs)
                        + (latency_headline(d, rs) if latency else "")
                        + f'<td class="{"bad" if bad else ""}">{len(rs) - len(bad)} of {len(rs)}'
                        + (f'<br>invalid: {esc(", ".join(sorted({bench_label(r) for r in bad})))}' if bad else "")
                        + "</td></tr>")
        out.append(table(["device", "model", "memory bandwidth, best GB/s", "% of peak (source)",
                          "GEMM, best GFLOP/s per dtype", "transfers, best GB/s"]
                         + (["latency plateaus, ns per load"] if latency else []) + ["valid results"], rows,
                         "headline"))
        out.append(block)
        out.append(regressions_block(d, compares, skipped, baseline, fail_below))
        out.append("</div>")
    return "".join(out)


def size_of(o):
    return plot.size_label(o) if o.get("elements") is not None else "-"


def outliers_table(c):
    rows = []
    for o in c["outliers"]:
        impl = o["implementation"]
        bench = o["bench"] if impl == "hbmbench" else f"{o['bench']}/{impl}"
        pct = o["kind"] == "noisy"
        rows.append(f'<tr class="outlier"><td><b>{esc(o["kind"])}</b></td><td>{esc(o["node"])}</td>'
                    f'<td class="num">{o["rank"]}</td><td>[{o["device_index"]}] {esc(o["device"])}</td>'
                    f'<td>{esc(bench)}</td><td>{esc(o["dtype"])}</td><td>{esc(size_of(o))}</td>'
                    + cell(100 * o["value"] if pct else o["value"], 1 if pct else 2)
                    + cell(100 * o["group_median"] if pct else o["group_median"], 1 if pct else 2)
                    + f'<td>{"CV %" if pct else esc(o.get("unit"))}</td>' + cell(o["ratio"], 3)
                    + cell(o["threshold"], 2) + f'<td class="num">{o["group_size"]}</td></tr>')
    return table(["kind", "node", "rank", "device", "bench", "dtype", "size", "value", "group median", "unit",
                  "ratio", "threshold", "devices"], rows)


def node_table(d):
    """One row per rank (node and device): failed ranks first, then those with outliers, worst first."""
    c = d["cluster"]
    flagged = {}
    for o in c["outliers"]:
        worst = flagged.get(o["rank"], (0, 1e300))
        flagged[o["rank"]] = (worst[0] + 1, min(worst[1], o["ratio"] if o["kind"] == "slow" and o["ratio"] else 1e300))
    def order(e):
        n, worst = flagged.get(e["rank"], (0, 1e300))
        return (e["status"] == "ok", n == 0, worst, e["rank"])
    rows = []
    for e in sorted(c["ranks"], key=order):
        n, worst = flagged.get(e["rank"], (0, None))
        cls = "failed" if e["status"] != "ok" else "trouble" if n else ""
        dev = "-" if e["device"] is None else f"[{e['device_index']}] {e['device']}"
        rows.append(f'<tr class="{cls}"><td>{esc(e["node"])}</td><td class="num">{e["rank"]}</td>'
                    f'<td class="num">{e["local_rank"]}/{e["local_size"]}</td><td>{esc(dev)}</td>'
                    f'<td><b>{esc(e["status"])}</b></td><td class="num">{esc(e["exit_code"])}</td>'
                    f'<td>{esc(e["cpuset"] or "-")}</td>' + cell(e["wall_s"]) + f'<td class="num">{e["results"]}</td>'
                    f'<td class="num">{n}</td>' + cell(worst if worst and worst < 1e300 else None, 3)
                    + f'<td>{esc(e["message"])}{" (" + esc(e["test_injection"]) + ")" if e["test_injection"] else ""}'
                    "</td></tr>")
    return table(["node", "rank", "local", "device", "status", "exit", "CPUs", "wall s", "results", "outliers",
                  "slowest ratio", "message"], rows)


def cluster_section(docs):
    """MPI runs first: outliers, then the table per node and device, then the aggregates."""
    out = ['<h2 id="cluster">MPI runs: outliers and nodes</h2><p class="note">Each rank measured one device of its '
           'node (docs/cluster.md). A group is one problem on devices of the same name; <b>slow</b>: median below '
           'the slow threshold x the group\'s median; <b>noisy</b>: CV above the noisy threshold x the group\'s '
           'median CV (and above 2 %).</p>']
    for d in (d for d in docs if plot.is_cluster(d)):
        c = d["cluster"]
        fails = [e for e in c["ranks"] if e["status"] != "ok"]
        out.append(f"<h3>{esc(d['_stem'])}: {c['size']} ranks on {c['nodes']} node(s), {len(c['outliers'])} "
                   f"outlier(s), {len(fails)} rank(s) without results</h3>")
        out.append(outliers_table(c) if c["outliers"] else '<p class="note">No outlier.</p>')
        out.append(node_table(d))
        at_once = {True: "yes", False: "no", None: "unknown"}
        rows = [f"<tr><td>{esc(a['device'])}</td><td>{esc(a['bench'])}</td><td>{esc(a['dtype'])}</td>"
                f"<td>{esc(size_of(a))}</td><td>{esc(a.get('phase', 'alone'))}</td><td>{esc(a['unit'])}</td>"
                f"<td class='num'>{a['ranks']}</td><td class='num'>{a['nodes']}</td>"
                f"<td class='num'>{a.get('devices', '')}</td>"
                + ("<td>shared</td>" if a.get("shared_devices") else cell(a["total"]))
                + f"<td>{at_once.get(a.get('simultaneous'), 'unknown')}</td>" + cell(a["min"]) + cell(a["median"])
                + cell(a["max"]) + cell(None if a["median_cv"] is None else 100 * a["median_cv"], 1) + "</tr>"
                for a in c["aggregates"]]
        out.append(f"<details><summary>{len(rows)} aggregates (per device model, problem and phase; total: the sum "
                   "of each device's median, what they deliver together only where 'at once' is yes; 'shared': "
                   "ranks shared a device, so no sum)</summary>"
                   + table(["device", "bench", "dtype", "size", "phase", "unit", "ranks", "nodes", "devices", "total",
                            "at once", "min", "median", "max", "median CV %"], rows) + "</details>")
    return "".join(out)


def svg_uri(fig):
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", metadata=plot.SVG_META)
    plot.plt.close(fig)
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def charts_section(docs):
    groups = [("nodes", "MPI runs: per node"), ("kernels", "Memory bandwidth: stream kernels"),
              ("transfers", "Host &lt;-&gt; device transfers"), ("gemm", "GEMM"), ("roofline", "Roofline"),
              ("sweep", "Size sweeps"), ("latency", "Latency: ns per load against working set"),
              ("samples", "Every timed iteration")]
    figs = plot.figures(docs)
    out = ['<h2 id="charts">Charts</h2>']
    for prefix, title in groups:
        mine = [f for f in figs if f[0].split("-")[0] == prefix]
        if mine:
            out.append(f'<h3 id="charts-{prefix}">{title}</h3>')
        for stem, title_, fig in mine:
            out.append(f'<figure id="chart-{esc(stem)}"><img alt="{esc(title_)}" src="{svg_uri(fig)}">'
                       f"<figcaption>{esc(title_)}</figcaption></figure>")
    return "".join(out)


def page(docs, title, exe, why_not, match, baseline=None, fail_below=5.0):
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    files = "".join(f"<li><code>{esc(d['_path'])}</code>: {esc(d['host']['hostname'])}, {esc(d['created'])}</li>"
                    for d in docs)
    if baseline is not None:
        files += (f"<li><code>{esc(baseline['_path'])}</code>: {esc(baseline['host']['hostname'])}, "
                  f"{esc(baseline['created'])} (<b>baseline</b>, only compared with)</li>")
    cluster = any(plot.is_cluster(d) for d in docs)
    checks = [run_check(exe, why_not, d) for d in docs]
    plan, skipped = plan_comparisons(docs, baseline, match)
    compares = run_compares(exe, why_not, plan, match, fail_below if baseline is not None else None)
    body = "".join([
        f"<h1>{esc(title)}</h1>",
        '<div id="js-errors"></div>',
        '<nav><a href="#verdict">Verdict</a>' + ('<a href="#cluster">MPI runs</a>' if cluster else "")
        + '<a href="#machines">Machines</a><a href="#devices">Devices</a><a href="#results">Results</a>'
        '<a href="#compare">Comparison</a><a href="#charts">Charts</a></nav>',
        f"<p class='note'>Generated {esc(now)} by scripts/report.py from {len(docs)} result file(s):</p><ul>{files}</ul>",
        verdict_section(docs, checks, compares, skipped, baseline, fail_below),
        cluster_section(docs) if cluster else "",
        machines_section(docs), devices_section(docs), results_section(docs),
        compare_section(docs, compares, skipped, match, baseline), charts_section(docs)])
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{esc(title)}</title><style>{CSS}</style><script>{SCRIPT}</script></head>"
            f"<body>{body}</body></html>\n")


def require(doc):
    """What the page reads of a file, checked before anything is drawn: a file that lacks it
    is named with the first field that is missing or of the wrong type."""
    def need(obj, key, kind, where):
        v = obj.get(key) if isinstance(obj, dict) else None
        if not isinstance(v, kind) or (isinstance(v, bool) and kind is not bool):
            raise plot.ResultError(f"{doc['_path']}: malformed result file: {where}{key} missing or not "
                                   f"{ {str: 'a string', int: 'an integer', dict: 'an object', list: 'a list'}[kind] }")
        return v
    host = need(doc, "host", dict, "")
    need(host, "hostname", str, "host.")
    need(host, "topology", dict, "host.")
    need(doc, "tool", dict, "")
    need(doc, "created", str, "")
    for i, dev in enumerate(need(doc, "devices", list, "")):
        need(dev, "name", str, f"devices[{i}].")
        need(dev, "index", int, f"devices[{i}].")
    for i, r in enumerate(doc["results"]):
        for key, kind in (("device", str), ("device_index", int), ("bench", str), ("elements", int)):
            need(r, key, kind, f"results[{i}].")
        if r.get("dtype") is not None or doc.get("schema_version", 1) < 2:  # null: an untyped bench (schema 2)
            need(r, "dtype", str, f"results[{i}].")
        for key in ("bandwidth_gbs", "gflops", "stats", "config"):
            if r.get(key) is not None and not isinstance(r[key], dict):
                raise plot.ResultError(f"{doc['_path']}: malformed result file: results[{i}].{key} is not an object")


def main(argv=None):
    p = argparse.ArgumentParser(description="A self-contained HTML report from hbmbench result files: a verdict "
                                "per device first, then every result, the comparisons and the charts.")
    p.add_argument("files", nargs="+", metavar="FILE.json")
    p.add_argument("--out", default="report.html", help="the HTML file (default report.html)")
    p.add_argument("--title", default="hbmbench report")
    p.add_argument("--hbmbench", help="the hbmbench binary, for check and compare (default: PATH, then build/)")
    p.add_argument("--match", default="pci", choices=["pci", "name", "order"], help="hbmbench compare --match")
    p.add_argument("--baseline", metavar="FILE", help="compare every file with this result file and list the "
                   "regressions in the verdict")
    p.add_argument("--fail-below", type=float, default=5.0, metavar="PCT",
                   help="with --baseline: a regression is a result significantly slower than the baseline by more "
                   "than PCT %% (hbmbench compare --fail-below; default 5), or one lost")
    a = p.parse_args(argv)
    if not 0 <= a.fail_below < 100:
        p.error(f"--fail-below: 0 <= PCT < 100, not {a.fail_below:g}")
    try:
        docs = [plot.load(f) for f in a.files]
        baseline = plot.load(a.baseline) if a.baseline else None
        for d in docs + ([baseline] if baseline else []):
            require(d)
    except plot.ResultError as e:
        print(f"report.py: {e}", file=sys.stderr)
        return 2
    exe, why_not = find_hbmbench(a.hbmbench)
    try:
        text = page(docs, a.title, exe, why_not, a.match, baseline, a.fail_below)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError, ZeroDivisionError) as e:
        print(f"report.py: a result file is malformed, the page cannot be made ({type(e).__name__}: {e}); "
              f"tests/validate_schema.py FILE says which field", file=sys.stderr)
        return 2
    try:
        out_dir = os.path.dirname(os.path.abspath(a.out))
        os.makedirs(out_dir, exist_ok=True)
        with open(a.out, "w", encoding="utf-8") as f:
            f.write(text)
    except OSError as e:
        print(f"report.py: {a.out}: cannot write: {e.strerror or e}", file=sys.stderr)
        return 2
    print(a.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
