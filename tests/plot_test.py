#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""scripts/plot.py on fixture files: every chart in PNG and SVG, % of peak
when every peak is known, GB/s with a note when one is not, cache sizes on
the sweep chart, and a clear error for a file that is not a result.

usage: plot_test.py SOURCE_DIR WORK_DIR
"""
import glob
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

SRC, WORK = (os.path.abspath(a) for a in sys.argv[1:3])
PY = sys.executable
failures = 0


def check(cond, what, detail=""):
    global failures
    print(("PASS " if cond else "FAIL ") + what + ("" if cond or not detail else "\n  | " + detail[:2000]))
    failures += not cond


def fixture(name, *opts):
    path = os.path.join(WORK, name)
    subprocess.run([PY, os.path.join(SRC, "tests", "make_fixture.py"), path, *opts], check=True)
    return path


def plot(out, *files):
    return subprocess.run([PY, os.path.join(SRC, "scripts", "plot.py"), "--out-dir", os.path.join(WORK, out), *files],
                          capture_output=True, text=True)


def svg_text(path):
    """Every text of an SVG (plot.py keeps text as text)."""
    root = ET.parse(path).getroot()
    return " ".join(t for el in root.iter() for t in (el.text or "",))


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    a = fixture("machine-a.json", "--hostname", "gpu-node-a", "--peak", "2000",
                "--sizes", "1024,16384,262144,4194304,33554432")
    b = fixture("machine-b.json", "--hostname", "gpu-node-b", "--device", "Other GPU", "--peak", "3000",
                "--speed", "1.4", "--invalid", "add")
    c = fixture("machine-c.json", "--hostname", "cpu-node-c", "--device", "Some CPU", "--device-type", "CPU",
                "--pci", "none", "--sizes", "1024,16384,262144,4194304", "--host")
    v = subprocess.run([PY, os.path.join(SRC, "tests", "validate_schema.py"), a, b, c], capture_output=True, text=True)
    check(v.returncode == 0, "fixtures validate against the schema", v.stdout)

    p = plot("peaks-known", a, b)
    check(p.returncode == 0, "plot.py on two machines with peaks: exit 0", p.stderr)
    out = os.path.join(WORK, "peaks-known")
    pngs, svgs = glob.glob(out + "/*.png"), glob.glob(out + "/*.svg")
    stems = sorted(os.path.basename(x)[:-4] for x in pngs)
    check(sorted(os.path.basename(x)[:-4] for x in svgs) == stems, "every chart in PNG and SVG", str(stems))
    for want in ("kernels", "sweep-0-fixture-gpu-f32", "samples-0-fixture-gpu", "samples-1-other-gpu"):
        check(want in stems, f"chart {want}", str(stems))
    for png in pngs:
        with open(png, "rb") as f:
            head = f.read(8)
        check(head == b"\x89PNG\r\n\x1a\n" and os.path.getsize(png) > 5000, f"{os.path.basename(png)} is a PNG")
    kern = svg_text(os.path.join(out, "kernels.svg"))
    check("% of each device's peak" in kern and "gpu-node-a" in kern and "gpu-node-b" in kern,
          "(a) kernels as % of peak, both machines in the legend")
    sweep = svg_text(os.path.join(out, "sweep-0-fixture-gpu-f32.svg"))
    check("device cache (48 MiB)" in sweep and "working set" in sweep,
          "(b) sweep marks the GPU's global cache", sweep[:300])
    samples = svg_text(os.path.join(out, "samples-0-fixture-gpu.svg"))
    check("every timed iteration" in samples, "(c) per-iteration distributions")

    p = plot("peak-unknown", a, c)
    out = os.path.join(WORK, "peak-unknown")
    kern = svg_text(os.path.join(out, "kernels.svg"))
    check(p.returncode == 0 and "peak bandwidth unknown for" in kern and "GB/s" in kern,
          "a machine without a peak: GB/s with a note", p.stderr + kern[:300])
    sweep = svg_text(os.path.join(out, "sweep-1-some-cpu-f32.svg"))
    check("L1d (8 x 48 KiB)" in sweep and "L3 (32 MiB)" in sweep, "a CPU device's sweep marks the host caches",
          sweep[:400])
    check(os.path.exists(os.path.join(out, "samples-1-host.svg")), "the host baseline's samples")

    bad = os.path.join(WORK, "bad.json")
    with open(bad, "w") as f:
        f.write('{"not": "a result"}')
    p = plot("bad", bad)
    check(p.returncode == 2 and "bad.json: not an hbmbench result file" in p.stderr, "a non-result file: exit 2",
          p.stderr)
    print(f"{failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
