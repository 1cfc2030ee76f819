#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""scripts/plot.py on fixture files: every chart in PNG and SVG, % of peak
when every peak is known, GB/s with a note when one is not, cache sizes on
the sweep chart, and a clear error for a file that is not a result. Latency
(docs/latency.md): a chart per file and device with its plateaus, in no
bandwidth chart, its unit and direction taken from each result's "figure"
(schema_version 2) rather than from its family, and worked out for a
version-1 file that has no figure.

usage: plot_test.py SOURCE_DIR WORK_DIR
"""
import glob
import json
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


def schema_accepts(version):
    """Whether results/schema.json accepts files of this schema_version (2 lands with the figure)."""
    with open(os.path.join(SRC, "results", "schema.json"), encoding="utf-8") as f:
        sv = json.load(f)["properties"]["schema_version"]
    return version in sv.get("enum", [sv.get("const")])


def latency():
    sizes = ("--sizes", "1024,16384,262144,4194304")  # stream sweeps too, which latency must stay out of
    v2 = fixture("latency-v2.json", "--hostname", "lat-node", "--schema-version", "2", "--latency", "--host",
                 "--cuda", "0.95", *sizes)
    v1 = fixture("latency-v1.json", "--hostname", "lat-old", "--latency", *sizes)
    # A version-2 fixture validates once the schema has version 2 (the figure
    # object); until then only the version-1 one is checked.
    files = [v1, v2] if schema_accepts(2) else [v1]
    v = subprocess.run([PY, os.path.join(SRC, "tests", "validate_schema.py"), *files], capture_output=True, text=True)
    check(v.returncode == 0, f"latency fixtures validate against the schema ({len(files)} of 2 checked)", v.stdout)
    p = plot("latency", v2, v1)
    out = os.path.join(WORK, "latency")
    stems = sorted(os.path.basename(x)[:-4] for x in glob.glob(out + "/*.svg"))
    check(p.returncode == 0 and {"latency-0-fixture-gpu", "latency-0-host", "latency-1-fixture-gpu"} <= set(stems),
          "a latency chart per file and device (version 2 and version 1)", p.stderr + str(stems))
    doc = json.load(open(v2, encoding="utf-8"))
    gpu = svg_text(os.path.join(out, "latency-0-fixture-gpu.svg"))
    want = [f"{q['level']} {q['ns_per_load']:.3g} ns" for q in doc["latency_plateaus"]
            if q["device_index"] == 0 and q["ns_per_load"] is not None]
    check("ns per load" in gpu and "L2 (48 MiB)" in gpu and "opencl" in gpu and "cuda" in gpu
          and all(w in gpu for w in want), f"GPU latency: a line per model, the L2's size, the plateaus {want}",
          gpu[:600])
    host = svg_text(os.path.join(out, "latency-0-host.svg"))
    check(all(x in host for x in ("L1 (48 KiB)", "L2 (1 MiB)", "L3 (32 MiB)", "memory")),
          "host latency: every cache level and memory", host[:600])
    bandwidth = [x for x in stems if x.startswith(("kernels", "sweep-"))]
    leaked = [x for x in bandwidth if "latency" in svg_text(os.path.join(out, x + ".svg"))]
    check(bandwidth and not leaked, f"no bandwidth chart shows latency ({len(bandwidth)} checked)", str(leaked))
    samples = svg_text(os.path.join(out, "samples-0-fixture-gpu-opencl.svg"))
    check("GB/s (bandwidth)" in samples and "ns (latency, lower is better)" in samples,
          "samples: latency in ns on a panel of its own, lower is better", samples[:400])
    # The figure, not the family, decides: latency results under another name still chart as latency.
    for r in doc["results"]:
        if r["family"] == "latency":
            r.update(family="pointer-chase", bench="chase")
    renamed = os.path.join(WORK, "renamed.json")
    with open(renamed, "w", encoding="utf-8") as f:
        json.dump(doc, f)
    p = plot("renamed", renamed)
    out = os.path.join(WORK, "renamed")
    kern = svg_text(os.path.join(out, "kernels.svg")) if p.returncode == 0 else ""
    check(os.path.exists(os.path.join(out, "latency-0-fixture-gpu.svg")) and "chase" not in kern,
          "a result's figure decides its chart, not its family's name", p.stderr)


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

    latency()

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
