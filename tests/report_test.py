#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""scripts/report.py, opened in a real browser: the page is generated from
fixture files of three machines and a committed reference result, then
loaded by headless Chromium. One fixture has what the page once hid: a GPU
measured by OpenCL and CUDA, transfers with pageable and pinned host memory,
two repetitions (run --repeat 2) and GEMM. The page must load with no script
error and no console message, open with the verdict (per device: the best
triad in GB/s, % of peak or "peak unknown", PASSED/FAILED as `hbmbench
check` says), show every result of every file once, render every chart
(transfers, GEMM and the roofline on their own), compare only files that
share results, list regressions against --baseline, fetch nothing from the
network, and give a screenshot. Bad input: a missing or malformed file is
exit 2 with a message; without hbmbench the verdict says check could not run.
A latency file of schema_version 2 (figure objects, dtype null): its results
in a table of their own in ns per load, none among the stream kernels, its
plateaus in the verdict, its chart.

The page records its own script errors and charts that fail to render in
#js-errors and sets data-loaded on <html> when loaded, so Chromium's
--dump-dom shows both; console messages come from --enable-logging=stderr.

usage: report_test.py SOURCE_DIR WORK_DIR [HBMBENCH]
Exits 77 (CTest: skipped) only when no chromium is installed.
"""
import copy
import glob
import html
import json
import os
import re
import shutil
import statistics
import subprocess
import sys

SRC, WORK = (os.path.abspath(a) for a in sys.argv[1:3])
HB = os.path.abspath(sys.argv[3]) if len(sys.argv) > 3 else None
PY = sys.executable
SKIP = 77
failures = 0


def check(cond, what, detail=""):
    global failures
    print(("PASS " if cond else "FAIL ") + what + ("" if cond or not detail else "\n  | " + str(detail)[:3000]))
    failures += not cond


def fixture(name, *opts):
    path = os.path.join(WORK, name)
    subprocess.run([PY, os.path.join(SRC, "tests", "make_fixture.py"), path, *opts], check=True)
    return path


def with_samples(r, seconds):
    """r timed at a median of `seconds` per iteration, 1 % spread, as make_fixture.py does."""
    n = len(r["samples_s"])
    s = [seconds * (1 + 0.01 * (-1 + 2 * i / (n - 1))) for i in range(n)]
    mean, sd = statistics.fmean(s), statistics.stdev(s)
    r["samples_s"] = s
    r["stats"] = {"n": n, "min_s": min(s), "median_s": statistics.median(s), "mean_s": mean, "max_s": max(s),
                  "stddev_s": sd, "cv": sd / mean}
    r["wall_s_per_iter"] = mean * 1.01
    r["bandwidth_gbs"] = {"best": r["bytes_per_iter"] / min(s) / 1e9,
                          "median": r["bytes_per_iter"] / statistics.median(s) / 1e9}
    if r["peak_bandwidth_gbs"]:
        r["percent_of_peak"] = 100 * r["bandwidth_gbs"]["best"] / r["peak_bandwidth_gbs"]


def add_transfers_and_repeats(path, link_gbs=32.0):
    """What make_fixture.py does not write: transfers of 16 MiB (h2d, d2h; pageable and
    pinned host memory, results/README.md "Transfer results") and a second repetition of
    every result (run --repeat 2, 3 % slower), so the file is what such a run writes."""
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    base = next(r for r in doc["results"] if r["device_index"] == 0 and r["bench"] == "copy"
                and r.get("model", "opencl") == "opencl")
    for bench, host, gbs in (("h2d", "pageable", 12.0), ("h2d", "pinned", 25.0),
                             ("d2h", "pageable", 11.0), ("d2h", "pinned", 24.0)):
        r = copy.deepcopy(base)
        r.update(bench=bench, family="transfer", elements=4194304, bytes_per_iter=16777216, flops_per_iter=0,
                 config={"api": "rw", "host": host, "numa": "local", "numa_node": "0", "cpus": "0-7",
                         "host_pages_on": "0"},
                 gflops={"best": None, "median": None}, peak_bandwidth_gbs=link_gbs, peak_source="table",
                 percent_of_peak_basis="link", arithmetic_intensity=0.0, grid=[])
        with_samples(r, 16777216 / 1e9 / gbs)
        doc["results"].append(r)
    again = []
    for r in doc["results"]:
        r["repetition"] = 1
        r2 = copy.deepcopy(r)
        r2["repetition"] = 2
        with_samples(r2, r["stats"]["median_s"] * 1.03)
        if not r2["valid"]:
            r2["bandwidth_gbs"] = {"best": None, "median": None}
            r2["percent_of_peak"] = None
        elif r2.get("flops_per_iter"):
            s = r2["stats"]
            r2["gflops"] = {"best": r2["flops_per_iter"] / s["min_s"] / 1e9,
                            "median": r2["flops_per_iter"] / s["median_s"] / 1e9}
            if r2.get("percent_of_peak_basis") in ("fp32", "fp64") and r2.get("peak_gflops"):
                r2["percent_of_peak"] = 100 * r2["gflops"]["best"] / r2["peak_gflops"]
        again.append(r2)
    doc["results"] += again
    doc["config"]["repeat"] = 2
    doc["devices"][0]["peaks"]["link_gbs"] = {"value": link_gbs, "source": "table", "detail": "fixture"}
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2)
    return doc


def chromium(*args):
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    # A profile of our own, so no user profile or lock is touched.
    cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
           f"--user-data-dir={os.path.join(WORK, 'profile')}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def report(out, *args):
    cmd = [PY, os.path.join(SRC, "scripts", "report.py"), "--out", out, "--title", "report test", *args]
    return subprocess.run(cmd, capture_output=True, text=True)


def text_of(fragment):
    """The text a reader sees: tags dropped, entities decoded, spaces collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment)))


def section(page, start, end):
    return page.split(f'id="{start}"', 1)[1].split(f'id="{end}"', 1)[0] if f'id="{start}"' in page else ""


def best_triad(doc, device_index, model):
    """The verdict's headline figure: the best valid triad at its largest size."""
    rs = [r for r in doc["results"] if r["device_index"] == device_index and r["bench"] == "triad"
          and r.get("model", "opencl") == model]
    top = max(r["elements"] for r in rs)
    return max((r for r in rs if r["elements"] == top and r["valid"]), key=lambda r: r["bandwidth_gbs"]["best"])


def check_word(path):
    """PASSED or FAILED, as hbmbench check judges the file."""
    p = subprocess.run([HB, "check", path, "--format", "json"], capture_output=True, text=True)
    return "PASSED" if p.returncode == 0 else "FAILED" if p.returncode == 1 else f"check exit {p.returncode}"


def latency():
    """A schema-2 latency file (docs/latency.md): read through each result's figure."""
    lat = fixture("latency.json", "--hostname", "lat-node", "--schema-version", "2", "--latency", "--host",
                  "--cuda", "0.95")
    doc = json.load(open(lat, encoding="utf-8"))
    out = os.path.join(WORK, "latency.html")
    p = report(out, "--hbmbench", os.path.join(WORK, "no", "hbmbench"), lat)
    page = open(out, encoding="utf-8").read() if p.returncode == 0 else ""
    check(p.returncode == 0, "latency (schema 2): the page is made", p.stderr)
    tables = {t.split("</h4>")[0]: t for t in page.split("<h4>")[1:]}
    mine = next((t for h, t in tables.items() if h.startswith("Latency")), "")
    stream = next((t for h, t in tables.items() if h.startswith("Memory bandwidth")), "")
    lat_ids = {str(i) for i, r in enumerate(doc["results"]) if r["family"] == "latency"}
    rows = set(re.findall(r'data-result="0:(\d+)"', mine))
    check(rows == lat_ids and not lat_ids & set(re.findall(r'data-result="0:(\d+)"', stream)),
          f"every latency result in its own table ({len(rows)} of {len(lat_ids)}), none among the stream kernels")
    r = next(r for r in doc["results"] if r["family"] == "latency")
    head = text_of(mine.split("</thead>")[0])
    check("best ns per load" in head and "GB/s" not in head and "peak" not in head
          and f"{r['figure']['best']:.3f}" in text_of(mine),
          "its columns: ns per load from the figure, no GB/s and no peak", head)
    verdict = text_of(section(page, "verdict-0", "machines"))
    want = [f"{q['level']}" + (f" ({q['level_bytes'] >> 20} MiB)" if q["level_bytes"] >= 1 << 20 else "")
            + f": {q['ns_per_load']:.3g} ns" for q in doc["latency_plateaus"] if q["model"] == "cuda"]
    check("latency plateaus, ns per load" in verdict and all(w in verdict for w in want),
          f"verdict: the plateaus of each device and model {want}", verdict[:1500])
    check('id="chart-latency-0-fixture-gpu"' in page and 'id="chart-latency-0-host"' in page,
          "a latency chart per device")


def main():
    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        print("SKIP: chromium is not installed (Debian package: chromium); the report was not opened in a browser")
        return SKIP
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    files = [fixture("a.json", "--hostname", "gpu-node-a", "--peak", "2000", "--host", "--gemm", "--cuda", "0.95",
                     "--sizes", "1024,16384,262144,4194304,33554432"),
             fixture("b.json", "--hostname", "gpu-node-b", "--peak", "2000", "--speed", "0.9", "--host", "--gemm",
                     "--driver", "2.0", "--invalid", "add"),
             fixture("c.json", "--hostname", "cpu-node-<c>&amp", "--device", "Some CPU", "--device-type", "CPU",
                     "--pci", "none")]
    add_transfers_and_repeats(files[0])
    v = subprocess.run([PY, os.path.join(SRC, "tests", "validate_schema.py"), *files], capture_output=True, text=True)
    check(v.returncode == 0, "fixtures (transfers and repetitions added) validate against the schema", v.stdout)
    refs = sorted(f for f in glob.glob(os.path.join(SRC, "results", "*.json")) if not f.endswith("schema.json"))
    files += refs[:1]
    docs = [json.load(open(f, encoding="utf-8")) for f in files]
    hosts = ["gpu-node-a", "gpu-node-b", "cpu-node-&lt;c&gt;&amp;amp"]
    out = os.path.join(WORK, "report.html")
    p = report(out, *files, *(["--hbmbench", HB] if HB else ["--hbmbench", os.path.join(WORK, "no-hbmbench")]))
    check(p.returncode == 0 and os.path.getsize(out) > 10000, "report.py writes the page", p.stderr)
    text = open(out, encoding="utf-8").read()
    external = re.findall(r"""(?:src|href)\s*=\s*["']?(?!data:|#)[^"'\s>]+""", text) + re.findall(r"https?://", text)
    check(not external and "<link" not in text, "self-contained: no external source, link or URL", str(external[:5]))
    n_charts = text.count('<img alt=')
    check(n_charts >= 6 and text.count('src="data:image/svg+xml;base64,') == n_charts, f"{n_charts} charts inline")
    for chart in ("kernels", "transfers", "gemm", "roofline-0"):
        check(f'id="chart-{chart}"' in text, f"chart {chart} of its own")
    if HB:
        comp = section(text, "compare", "charts")
        check("BASE a.json vs OTHER b.json" in comp and '<tr class="slower">' in comp
              and "driver version (device 0)" in comp, "the comparison section from hbmbench compare", comp[:1000])
        check("c.json" not in "".join(re.findall(r"<h3>BASE.*?</h3>", comp))
              and "not compared: no result in common" in text_of(comp).replace("c.json", ""),
              "an unrelated file is not compared: no result in common", text_of(comp)[:1500])

    p = chromium("--enable-logging=stderr", "--v=0", "--dump-dom", "file://" + out)
    dom = p.stdout
    check(p.returncode == 0 and re.search(r'<html[^>]*data-loaded="1"', dom) is not None,
          "Chromium loads the page (data-loaded set by its load handler)", p.stderr[-2000:])
    errors = re.search(r'<div id="js-errors">(.*?)</div>', dom, re.S)
    check(errors is not None and errors.group(1).strip() == "", "no script error and every chart rendered",
          errors.group(1) if errors else dom[:500])
    console = [line for line in p.stderr.splitlines() if "CONSOLE" in line]
    check(not console, "no console message", "\n".join(console))
    for h in hosts + ["vm"] * bool(refs):
        check(h in dom, f"machine {h} shown")
    check("INVALID" in dom, "an invalid result is marked")

    # The verdict opens the page: before the machines, a headline per device and model.
    check(0 < dom.find('id="verdict"') < dom.find('id="machines"'), "the verdict comes first")
    verdict = [text_of(section(dom, f"verdict-{i}", f"verdict-{i + 1}" if i + 1 < len(docs) else "machines"))
               for i in range(len(docs))]
    for model in ("opencl", "cuda"):
        r = best_triad(docs[0], 0, model)
        want = f"{r['bandwidth_gbs']['best']:.2f} GB/s best triad f32"
        pct = f"{r['percent_of_peak']:.1f} % of peak peak 2000.0 GB/s, source: user"
        check("Fixture GPU " + model in verdict[0] and want in verdict[0] and pct in verdict[0],
              f"verdict: Fixture GPU ({model}) {want}, {pct}", verdict[0][:1500])
    r = best_triad(docs[2], 0, "opencl")
    check(f"Some CPU opencl {r['bandwidth_gbs']['best']:.2f} GB/s" in verdict[2] and "peak unknown" in verdict[2],
          "verdict: a device without a peak says 'peak unknown'", verdict[2][:800])
    check("h2d: " in verdict[0] and "(rw pinned local, 16 MiB) = " in verdict[0] and "% of the link" in verdict[0],
          "verdict: the best transfer per direction, % of the link", verdict[0][:2000])
    check(re.search(r"f32: [\d.]+ GFLOP/s gemm 1024x1024x1024", verdict[0]) is not None,
          "verdict: the best GEMM in GFLOP/s", verdict[0][:2000])
    for i, f in enumerate(files):
        if HB:
            word = check_word(f)
            check(f": {word}" in verdict[i] and f"hbmbench check: {word} (exit {0 if word == 'PASSED' else 1}"
                  in verdict[i], f"verdict of {os.path.basename(f)}: {word}, as hbmbench check", verdict[i][:600])
        else:
            check("NOT CHECKED" in verdict[i] and "check could not run" in verdict[i],
                  f"verdict of {os.path.basename(f)}: check could not run", verdict[i][:600])
    if HB:
        check("fail cv" in verdict[3] or "fail " in verdict[3], "a failing rule's line is shown", verdict[3][:1500])

    # Every result of every file: one row each, none folded into another.
    rows = re.findall(r'data-result="(\d+):(\d+)"', dom)
    want = sorted((str(i), str(j)) for i, d in enumerate(docs) for j in range(len(d["results"])))
    check(sorted(rows) == want, f"every result is a row of its own ({len(rows)} rows, {len(want)} results)",
          f"missing {sorted(set(want) - set(rows))[:10]}, duplicated {len(rows) - len(set(rows))}")
    res = text_of(section(dom, "results", "compare"))
    check("rw pageable local" in res and "rw pinned local" in res and "cuda" in res,
          "pageable and pinned transfers and the CUDA rows are shown")

    shot = os.path.join(WORK, "report.png")
    p = chromium("--hide-scrollbars", "--window-size=1400,2400", f"--screenshot={shot}", "file://" + out)
    check(os.path.exists(shot) and os.path.getsize(shot) > 20000, f"screenshot {shot}", p.stderr[-1000:])

    if HB:
        # Against a baseline: b is 10 % slower than a and lost its add kernel.
        out2 = os.path.join(WORK, "baseline.html")
        p = report(out2, "--hbmbench", HB, "--baseline", files[0], files[1], files[2])
        page = open(out2, encoding="utf-8").read() if p.returncode == 0 else ""
        v1 = text_of(section(page, "verdict-0", "verdict-1"))
        v2 = text_of(section(page, "verdict-1", "machines"))
        check(p.returncode == 0 and re.search(r"[1-9]\d* regression\(s\) \(significantly slower by more than 5 %\)",
                                              v1) is not None and "slower Fixture GPU triad f32" in v1
              and "invalid Fixture GPU add f32" in v1,
              "--baseline: the regressions and lost results in the verdict", p.stderr + v1[:1500])
        check("not compared: no result in common" in v2, "--baseline: an unrelated file is not compared", v2[:800])

    # No hbmbench: the page is still made, and its verdict says why check and compare did not run.
    out3 = os.path.join(WORK, "no-hbmbench.html")
    p = report(out3, "--hbmbench", os.path.join(WORK, "no", "hbmbench"), files[0], files[1])
    page = text_of(open(out3, encoding="utf-8").read()) if p.returncode == 0 else ""
    check("NOT CHECKED" in page and "check could not run: --hbmbench" in page and "not an executable file" in page
          and "compare could not run" in page, "without hbmbench: the verdict says check and compare could not run",
          p.stderr + page[:1500])

    latency()

    # Bad input: exit 2 and a message naming the file.
    bad = os.path.join(WORK, "bad.json")
    with open(bad, "w") as f:
        f.write('{"tool": {"name": "hbmbench"}, "results": [')
    broken = os.path.join(WORK, "broken.json")
    doc = copy.deepcopy(docs[2])
    del doc["results"][0]["bench"]
    with open(broken, "w") as f:
        json.dump(doc, f)
    for path, why in ((os.path.join(WORK, "missing.json"), "cannot read"), (bad, "bad.json"),
                      (broken, "results[0].bench missing")):
        p = report(os.path.join(WORK, "x.html"), path)
        check(p.returncode == 2 and why in p.stderr and "Traceback" not in p.stderr,
              f"{os.path.basename(path)}: exit 2, '{why}'", p.stderr)
    p = report(os.path.join(WORK, "x.html"), "--baseline", os.path.join(WORK, "missing.json"), files[1])
    check(p.returncode == 2 and "missing.json" in p.stderr, "a missing --baseline: exit 2", p.stderr)
    print(f"{failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
