#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""`hbmbench compare --models`: a result file whose GPU was measured by
OpenCL and by CUDA (tests/make_fixture.py --cuda) is valid against the
schema, each model's rows pair with that model's rows between files, and
within one file --models cuda,opencl pairs OpenCL's rows with CUDA's and
shows their ratio per kernel.

usage: cuda_compare.py HBMBENCH SOURCE_DIR TMPDIR"""
import json
import os
import re
import subprocess
import sys

HB, SRC, TMP = sys.argv[1], sys.argv[2], sys.argv[3]
PY = sys.executable
failed = 0


def check(ok, what, detail=""):
    global failed
    print(("PASS " if ok else "FAIL ") + what)
    if not ok:
        failed += 1
        if detail:
            print("  | " + str(detail).replace("\n", "\n  | "))


def run(*args):
    p = subprocess.run([HB, *args], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


os.makedirs(TMP, exist_ok=True)
fix = os.path.join(TMP, "two-models.json")
subprocess.run([PY, os.path.join(SRC, "tests", "make_fixture.py"), fix, "--cuda", "1.05",
                "--benches", "copy,triad,dot"], check=True)
v = subprocess.run([PY, os.path.join(SRC, "tests", "validate_schema.py"), fix], capture_output=True, text=True)
check(v.returncode == 0, "the two-model fixture validates against the schema", v.stdout + v.stderr)
doc = json.load(open(fix))
check(doc["devices"][0]["models"] == ["opencl", "cuda"] and
      sum(r["model"] == "cuda" for r in doc["results"]) == 3, "one device, both models, 3 CUDA rows")

rc, out, err = run("compare", fix, "--models", "cuda,opencl")
rows = [l for l in out.splitlines() if re.search(r"\b(copy|triad|dot)\b", l) and "ratio" not in l]
check(rc == 0 and len(rows) == 3, "--models cuda,opencl pairs the 3 kernels (exit %d)" % rc, out + err)
check("[cuda]" in out and "[opencl]" in out, "BASE and OTHER are named by model", out)
check(all(re.search(r"\b0\.95\d\b", l) for l in rows) and all("slower" in l for l in rows),
      "OpenCL/CUDA ratio 1/1.05 = 0.952, significant", "\n".join(rows))

rc, out, err = run("compare", fix, "--models", "cuda,opencl", "--format", "json")
j = json.loads(out) if rc == 0 else {}
pairs = j.get("comparisons", [{}])[0].get("pairs", []) if j else []
check(rc == 0 and len(pairs) == 3, "--format json: 3 pairs", out[:400] + err)

rc, out, err = run("compare", fix, fix)
check(rc == 0 and "only in" not in out.lower() and out.count("same") >= 6,
      "file against itself: OpenCL with OpenCL, CUDA with CUDA (6 pairs)", out + err)
check(len(re.findall(r"^\S.*\b(copy|triad|dot)\b.*\bcuda\s+events\b", out, re.M)) == 3,
      "CUDA rows are labelled in a two-file comparison (model column)", out)

rc, out, err = run("compare", fix, "--models", "cuda,hip")
check(rc == 3 and "nothing matched" in err and "OTHER has no result measured by the hip model" in err
      and "--match" not in err, "a model with no rows: nothing matched (exit 3), said as such, no --match advice", err)
for bad in ("cuda", "cuda,cuda", "cuda,opencl,host"):
    rc, out, err = run("compare", fix, "--models", bad)
    check(rc == 2 and "--models" in err, "--models %s is bad usage" % bad, err)
print("%d failed" % failed)
sys.exit(1 if failed else 0)
