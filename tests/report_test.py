#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""scripts/report.py, opened in a real browser: the page is generated from
fixture files of three machines and a committed reference result, then
loaded by headless Chromium. It must load with no script error and no
console message, render every chart, name every machine, fetch nothing from
the network, and give a screenshot.

The page records its own script errors and charts that fail to render in
#js-errors and sets data-loaded on <html> when loaded, so Chromium's
--dump-dom shows both; console messages come from --enable-logging=stderr.

usage: report_test.py SOURCE_DIR WORK_DIR [HBMBENCH]
Exits 77 (CTest: skipped) only when no chromium is installed.
"""
import glob
import os
import re
import shutil
import subprocess
import sys

SRC, WORK = (os.path.abspath(a) for a in sys.argv[1:3])
HB = os.path.abspath(sys.argv[3]) if len(sys.argv) > 3 else None
PY = sys.executable
SKIP = 77
failures = 0


def check(cond, what, detail=""):
    global failures
    print(("PASS " if cond else "FAIL ") + what + ("" if cond or not detail else "\n  | " + detail[:3000]))
    failures += not cond


def fixture(name, *opts):
    path = os.path.join(WORK, name)
    subprocess.run([PY, os.path.join(SRC, "tests", "make_fixture.py"), path, *opts], check=True)
    return path


def chromium(*args):
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    # A profile of our own, so no user profile or lock is touched.
    cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
           f"--user-data-dir={os.path.join(WORK, 'profile')}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def main():
    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        print("SKIP: chromium is not installed (Debian package: chromium); the report was not opened in a browser")
        return SKIP
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    files = [fixture("a.json", "--hostname", "gpu-node-a", "--peak", "2000", "--host", "--gemm",
                     "--sizes", "1024,16384,262144,4194304,33554432"),
             fixture("b.json", "--hostname", "gpu-node-b", "--peak", "2000", "--speed", "0.9", "--host", "--gemm",
                     "--driver", "2.0", "--invalid", "add"),
             fixture("c.json", "--hostname", "cpu-node-<c>&amp", "--device", "Some CPU", "--device-type", "CPU",
                     "--pci", "none")]
    refs = sorted(f for f in glob.glob(os.path.join(SRC, "results", "*.json")) if not f.endswith("schema.json"))
    files += refs[:1]
    hosts = ["gpu-node-a", "gpu-node-b", "cpu-node-&lt;c&gt;&amp;amp"]
    out = os.path.join(WORK, "report.html")
    cmd = [PY, os.path.join(SRC, "scripts", "report.py"), "--out", out, "--title", "report test", *files]
    if HB:
        cmd += ["--hbmbench", HB]
    p = subprocess.run(cmd, capture_output=True, text=True)
    check(p.returncode == 0 and os.path.getsize(out) > 10000, "report.py writes the page", p.stderr)
    text = open(out, encoding="utf-8").read()
    external = re.findall(r"""(?:src|href)\s*=\s*["']?(?!data:|#)[^"'\s>]+""", text) + re.findall(r"https?://", text)
    check(not external and "<link" not in text, "self-contained: no external source, link or URL", str(external[:5]))
    n_charts = text.count('<img alt=')
    check(n_charts >= 6 and text.count('src="data:image/svg+xml;base64,') == n_charts, f"{n_charts} charts inline")
    if HB:
        section = text.split('id="compare"')[1].split('id="charts"')[0]
        check("BASE a.json vs OTHER b.json" in section and '<tr class="slower">' in section
              and "driver version (device 0)" in section, "the comparison section from hbmbench compare",
              section[:1000])

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

    shot = os.path.join(WORK, "report.png")
    p = chromium("--hide-scrollbars", "--window-size=1400,2400", f"--screenshot={shot}", "file://" + out)
    check(os.path.exists(shot) and os.path.getsize(shot) > 20000, f"screenshot {shot}", p.stderr[-1000:])
    print(f"{failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
