#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""One self-contained HTML page from hbmbench result files: the machines,
their topology and devices, the results, the comparison of the files
(`hbmbench compare`, when the binary is found) and the charts of plot.py.
A file from an MPI run (docs/cluster.md) opens the page with its outliers
and a table per node and device, failed ranks and outliers first.

Everything is inside the page: charts are SVG in data: URIs, styles and the
little script are inline, nothing is fetched from the network, so the file
can be mailed, archived or attached to a CI run as it is.

usage: scripts/report.py [--out report.html] [--title TEXT] [--hbmbench PATH]
                         [--match pci|name|order] FILE.json...

The first file is BASE for the comparison. Needs Python 3 and matplotlib
(Debian: python3-matplotlib); run it with /usr/bin/python3.
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
                f"<td>{esc(dev['driver_version'])}</td>", f"<td class='num'>{dev['compute_units']}</td>",
                f"<td class='num'>{dev['max_clock_mhz']}</td>",
                f"<td>{esc(plot.human(dev['global_mem_bytes']))}</td>",
                f"<td>{esc(plot.human(dev['global_cache_bytes']))}</td>",
                f"<td>{esc(dev['pci'].get('bus_id') or '-')}</td>",
                f"<td>{esc(loc.get('numa_nodes'))} / {esc(loc.get('cpuset'))}<br>"
                f"<span class='note'>{esc(loc.get('source'))}</span></td>",
                f"<td title='{esc(bw.get('detail'))}'>{esc(peak_text(bw))}</td>",
                f"<td>{esc(peak_text(pk.get('fp32_gflops')))} / {esc(peak_text(pk.get('fp64_gflops')))}</td>"]) + "</tr>")
    return ('<h2 id="devices">Devices</h2>'
            + table(["host", "#", "device", "type", "OpenCL platform", "driver", "CUs", "MHz", "global memory",
                     "global cache", "PCI", "NUMA / CPUs (hwloc)", "peak GB/s (source)", "peak GFLOP/s fp32 / fp64"],
                    rows))


def result_row(r):
    bw = r.get("bandwidth_gbs") or {}
    gf = r.get("gflops") or {}
    size = plot.size_label(r)
    cfg = " ".join(f"{k}={v}" for k, v in (r.get("config") or {}).items())
    cv = (r.get("stats") or {}).get("cv")
    cls = ' class="invalid"' if not r.get("valid") else ' class="outlier"' if r.get("outlier") else ""
    impl = r.get("implementation") or "hbmbench"
    bench = r["bench"] if impl == "hbmbench" else f"{r['bench']}/{impl}"
    device = esc(r["device"]) if "node" not in r else f"{esc(r['node'])} r{r['rank']}: {esc(r['device'])}"
    if r.get("outlier"):
        device += f" <b>[{esc(', '.join(r['outlier']))}]</b>"
    return (f"<tr{cls}><td>{device}</td><td>{esc(bench)}</td><td>{esc(r['dtype'])}</td>"
            f'<td class="num" data-v="{r["elements"]}">{esc(size)}</td>' + cell(bw.get("best")) + cell(bw.get("median"))
            + cell(gf.get("median") if plot.is_flops(r) else None) + cell(r.get("percent_of_peak"), 1)
            + cell(None if cv is None else 100 * cv, 1)
            + f"<td class='num'>{(r.get('stats') or {}).get('n')}</td>"
            + f"<td>{'yes' if r.get('valid') else 'INVALID'}</td><td>{esc(cfg)}</td><td>{esc(r.get('notes'))}</td></tr>")


RESULT_HEAD = ["device", "bench", "dtype", "size", "best GB/s", "median GB/s", "median GFLOP/s", "% peak",
               "CV %", "n", "valid", "config", "notes"]


def results_section(docs):
    out = ['<h2 id="results">Results</h2><p class="note">GB/s = 1e9 bytes/s, bytes counted as STREAM does '
           '(no write-allocate); best from the minimum time, median from the median time; % peak = best / '
           'peak: the bandwidth peak, or for gemm and roofline the FLOP/s peak of the dtype. Click a column '
           'to sort.</p>']
    for d in docs:
        # MPI runs: outliers first, then by rank.
        main = sorted(plot.main_results(d), key=lambda r: (not r.get("outlier"), r.get("rank") or 0,
                                                           r["device_index"]) + plot.kernel_key(r))
        main_ids = {id(r) for r in main}
        sweep = [r for r in d["results"] if id(r) not in main_ids]
        out.append(f"<h3>{esc(d['host']['hostname'])} &mdash; {esc(d['_stem'])}</h3>")
        out.append(table(RESULT_HEAD, [result_row(r) for r in main]))
        if sweep:
            out.append(f"<details><summary>{len(sweep)} sweep points below the main size</summary>"
                       + table(RESULT_HEAD, [result_row(r) for r in sweep]) + "</details>")
    return "".join(out)


def find_hbmbench(given):
    if given:
        return given
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for cand in (shutil.which("hbmbench"), os.path.join(here, "build", "hbmbench")):
        if cand and os.access(cand, os.X_OK):
            return cand
    return None


def compare_section(docs, exe, match):
    head = '<h2 id="compare">Comparison</h2>'
    if len(docs) < 2:
        return head + '<p class="note">One file: nothing to compare.</p>'
    if not exe:
        return head + '<p class="note">hbmbench not found: pass --hbmbench PATH to include the comparison.</p>'
    p = subprocess.run([exe, "compare", *[d["_path"] for d in docs], "--format", "json", "--match", match],
                       capture_output=True, text=True)
    if p.returncode not in (0, 1, 3) or not p.stdout.strip():
        return head + f'<p class="note">hbmbench compare failed (exit {p.returncode}): {esc(p.stderr)}</p>'
    doc = json.loads(p.stdout)
    m = doc["method"]
    out = [head, f'<p class="note">Produced by <code>hbmbench compare --match {esc(match)}</code>. ratio = OTHER '
                 f'median / BASE median; significant only when the {m["confidence_level"] * 100:.0f}% bootstrap '
                 f'interval of the ratio of medians ({m["resamples"]} resamples, fixed seed) excludes 1 and the '
                 f'two-sided Mann-Whitney U test gives p &lt; {m["alpha"]}.</p>']
    for c in doc["comparisons"]:
        out.append(f"<h3>BASE {esc(os.path.basename(c['base_file']))} vs OTHER "
                   f"{esc(os.path.basename(c['other_file']))}</h3>")
        diffs = c["environment_differences"]
        out.append("<p><b>Environment differences</b> (may make the comparison unfair):</p><ul>"
                   + "".join(f"<li>{esc(x['what'])}: <code>{esc(x['base'])}</code>"
                             + (f" &rarr; <code>{esc(x['other'])}</code>" if x["other"] is not None else "") + "</li>"
                             for x in diffs) + ("" if diffs else "<li>none</li>") + "</ul>")
        rows = []
        for pr in c["pairs"]:
            cls = "regression" if pr["regression"] else pr["verdict"]
            ci = "-" if pr["ci_low"] is None else f"{pr['ci_low']:.3f}..{pr['ci_high']:.3f}"
            impl = pr["base"].get("implementation") or "hbmbench"
            bench = pr["bench"] if impl == "hbmbench" else f'{pr["bench"]}/{impl}'
            dev = pr["base"]["device"] if "node" not in pr["base"] else f'{pr["base"]["node"]}: {pr["base"]["device"]}'
            rows.append(f'<tr class="{cls}"><td>{esc(dev)}</td><td>{esc(bench)}</td>'
                        f'<td>{esc(pr["dtype"])}</td><td>{esc(pr["unit"])}</td>' + cell(pr["base"]["median"])
                        + cell(pr["other"]["median"]) + cell(pr["ratio"], 3) + f"<td>{ci}</td>"
                        + pcell(pr["p_value"]) + f"<td>{esc(pr['verdict'])}{'*' if pr['config_differs'] else ''}</td></tr>")
        out.append(table(["device", "bench", "dtype", "unit", "BASE median", "OTHER median", "ratio", "95% CI", "p",
                          "verdict"], rows))
        n_only = len(c["only_in_base"]) + len(c["only_in_other"])
        if n_only:
            out.append(f'<p class="note">{len(c["only_in_base"])} results only in BASE, '
                       f'{len(c["only_in_other"])} only in OTHER (not compared).</p>')
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
        rows = [f"<tr><td>{esc(a['device'])}</td><td>{esc(a['bench'])}</td><td>{esc(a['dtype'])}</td>"
                f"<td>{esc(size_of(a))}</td><td>{esc(a['unit'])}</td><td class='num'>{a['ranks']}</td>"
                f"<td class='num'>{a['nodes']}</td>" + cell(a["total"]) + cell(a["min"]) + cell(a["median"])
                + cell(a["max"]) + cell(None if a["median_cv"] is None else 100 * a["median_cv"], 1) + "</tr>"
                for a in c["aggregates"]]
        out.append(f"<details><summary>{len(rows)} aggregates (per device model and problem)</summary>"
                   + table(["device", "bench", "dtype", "size", "unit", "ranks", "nodes", "total", "min", "median",
                            "max", "median CV %"], rows) + "</details>")
    return "".join(out)


def svg_uri(fig):
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", metadata=plot.SVG_META)
    plot.plt.close(fig)
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def charts_section(docs):
    out = ['<h2 id="charts">Charts</h2>']
    for stem, title, fig in plot.figures(docs):
        out.append(f'<figure id="chart-{esc(stem)}"><img alt="{esc(title)}" src="{svg_uri(fig)}">'
                   f"<figcaption>{esc(title)}</figcaption></figure>")
    return "".join(out)


def page(docs, title, exe, match):
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    files = "".join(f"<li><code>{esc(d['_path'])}</code>: {esc(d['host']['hostname'])}, {esc(d['created'])}</li>"
                    for d in docs)
    cluster = any(plot.is_cluster(d) for d in docs)
    body = "".join([
        f"<h1>{esc(title)}</h1>",
        '<div id="js-errors"></div>',
        '<nav>' + ('<a href="#cluster">MPI runs</a>' if cluster else "")
        + '<a href="#machines">Machines</a><a href="#devices">Devices</a><a href="#results">Results</a>'
        '<a href="#compare">Comparison</a><a href="#charts">Charts</a></nav>',
        f"<p class='note'>Generated {esc(now)} by scripts/report.py from {len(docs)} result file(s):</p><ul>{files}</ul>",
        cluster_section(docs) if cluster else "",
        machines_section(docs), devices_section(docs), results_section(docs), compare_section(docs, exe, match),
        charts_section(docs)])
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{esc(title)}</title><style>{CSS}</style><script>{SCRIPT}</script></head>"
            f"<body>{body}</body></html>\n")


def main(argv=None):
    p = argparse.ArgumentParser(description="A self-contained HTML report from hbmbench result files.")
    p.add_argument("files", nargs="+", metavar="FILE.json")
    p.add_argument("--out", default="report.html", help="the HTML file (default report.html)")
    p.add_argument("--title", default="hbmbench report")
    p.add_argument("--hbmbench", help="the hbmbench binary, for the comparison (default: PATH, then build/)")
    p.add_argument("--match", default="pci", choices=["pci", "name", "order"], help="hbmbench compare --match")
    a = p.parse_args(argv)
    try:
        docs = [plot.load(f) for f in a.files]
    except plot.ResultError as e:
        print(f"report.py: {e}", file=sys.stderr)
        return 2
    text = page(docs, a.title, find_hbmbench(a.hbmbench), a.match)
    out_dir = os.path.dirname(os.path.abspath(a.out))
    os.makedirs(out_dir, exist_ok=True)
    with open(a.out, "w", encoding="utf-8") as f:
        f.write(text)
    print(a.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
