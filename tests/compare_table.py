#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""`hbmbench compare` as a newcomer reads it (issue 20): where a tuned
configuration came from is not a difference, the table fits 120 columns
with device names that stay distinct (--wide shows everything), each side's
model, host, creation time and timer are in the table and the CSV, noisy
pairs are marked by check's own CV limit, and an interrupted file says so.

usage: compare_table.py HBMBENCH SOURCE_DIR WORK_DIR
Prints PASS/FAIL per check; exits 1 if any failed.
"""
import csv
import io
import json
import os
import re
import shutil
import statistics
import subprocess
import sys

HB, SRC, WORK = (os.path.abspath(a) for a in sys.argv[1:4])
PY = sys.executable
failures = 0
# Three devices whose long names share their first 27 and their last 40
# characters, and a fourth that differs from the first only at the end.
LONG = ["NVIDIA Accelerator Model A with a very long marketing name, 80GB HBM3 rev 1",
        "NVIDIA Accelerator Model B with a very long marketing name, 80GB HBM3 rev 1",
        "NVIDIA Accelerator Model A with a very long marketing name, 80GB HBM3 rev 2"]


def check(cond, what, detail=""):
    global failures
    print(("PASS " if cond else "FAIL ") + what + ("" if cond or not detail else "\n  | " + str(detail)[:3000]))
    failures += not cond


def run(*args):
    p = subprocess.run([HB, "compare", *args], capture_output=True, text=True, cwd=WORK)
    return p.returncode, p.stdout, p.stderr


def fixture(name, *opts):
    subprocess.run([PY, os.path.join(SRC, "tests", "make_fixture.py"), os.path.join(WORK, name), *opts], check=True)
    return name


def load(name):
    with open(os.path.join(WORK, name), encoding="utf-8") as f:
        return json.load(f)


def save(name, doc):
    with open(os.path.join(WORK, name), "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2)
    return name


def merged(name, parts):
    """One file whose devices are those of parts (fixture files of one
    device each), renumbered, as a machine with several devices writes."""
    doc = load(parts[0])
    for part in parts[1:]:
        extra = load(part)
        index = len(doc["devices"])
        for d in extra["devices"]:
            d["index"] = index
            doc["devices"].append(d)
        for r in extra["results"]:
            r["device_index"] = index
            doc["results"].append(r)
    return save(name, doc)


def table_rows(out):
    """The lines of the first table: after its header, before the notes."""
    lines = out.splitlines()
    start = next(i for i, l in enumerate(lines) if l.startswith("device "))
    rows = []
    for line in lines[start + 1:]:
        if line.startswith("#") or not line.strip():
            break
        rows.append(line)
    return lines[start], rows


def cv_rule():
    with open(os.path.join(SRC, "runner", "check", "default_rules.json"), encoding="utf-8") as f:
        rules = json.load(f)["rules"]
    rule = next(r for r in rules if r["id"] == "cv")
    return rule["threshold"]


def spread_for_cv(cv, n=20):
    """make_fixture.py's --spread whose samples have this CV: samples are
    t (1 + s q), q evenly spaced over [-1, 1], so CV = s stdev(q)."""
    qs = [-1 + 2 * i / (n - 1) for i in range(n)]
    return cv / statistics.stdev(qs)


def test_provenance():
    fixture("searched.json", "--gemm", "--tuning", "searched")
    fixture("cached.json", "--gemm", "--tuning", "cache", "--tuned-at", "1024x1024x1024", "--seed", "7")
    fixture("plain.json", "--gemm", "--seed", "3")
    fixture("cached-wg.json", "--gemm", "--tuning", "cache", "--wg", "128", "--seed", "9")
    for other in ("cached.json", "plain.json"):
        rc, out, err = run("searched.json", other, "--format", "json")
        c = json.loads(out)["comparisons"][0] if rc == 0 else {"pairs": [], "environment_differences": []}
        whats = [d["what"] for d in c["environment_differences"]]
        check(rc == 0 and c["pairs"] and not any(p["config_differs"] for p in c["pairs"])
              and "tuned configuration" not in whats,
              f"searched vs {other}: the same configurations, only their provenance differs: no difference",
              f"rc={rc} {whats} {err}")
    rc, out, err = run("searched.json", "cached.json")
    head, rows = table_rows(out)
    check(rc == 0 and "tuned configuration:" not in out and rows and not any(r.rstrip().endswith("*") for r in rows),
          "the table marks no pair '*' and lists no tuned-configuration difference", out)
    rc, out, err = run("searched.json", "cached-wg.json", "--format", "json")
    c = json.loads(out)["comparisons"][0]
    check(all(p["config_differs"] for p in c["pairs"])
          and any(d["what"] == "tuned configuration" for d in c["environment_differences"]),
          "a cached configuration with another work-group size still differs", json.dumps(c["pairs"][0])[:400])


def test_width():
    for i, name in enumerate(LONG):
        fixture(f"long{i}.json", "--device", name, "--pci", f"0000:{0x17 + i:02x}:00.0", "--gemm",
                "--dtypes", "f32,f64", "--seed", str(10 + i), *(["--host"] if i == 0 else []))
        fixture(f"long{i}b.json", "--device", name, "--pci", f"0000:{0x17 + i:02x}:00.0", "--gemm",
                "--dtypes", "f32,f64", "--seed", str(20 + i), "--hostname", "a-rather-long-host-name-of-node-0042",
                *(["--host"] if i == 0 else []))
    merged("three.json", ["long0.json", "long1.json", "long2.json"])
    merged("three-b.json", ["long0b.json", "long1b.json", "long2b.json"])
    p = subprocess.run([PY, os.path.join(SRC, "tests", "validate_schema.py"), os.path.join(WORK, "three.json"),
                        os.path.join(WORK, "three-b.json")], capture_output=True, text=True)
    check(p.returncode == 0, "the merged three-device fixtures validate", p.stdout + p.stderr)
    rc, out, err = run("three.json", "three-b.json")
    wide_lines = [l for l in out.splitlines() if len(l) > 120]
    check(rc == 0 and not wide_lines, "default table: every line at most 120 characters",
          "\n".join(f"{len(l)}: {l}" for l in wide_lines) or out)
    head, rows = table_rows(out)
    check(len(rows) == 3 * 9 + 8, "every pair has its row", f"{len(rows)} rows\n{out}")
    dev_w = head.index("bench")
    shown = {r[:dev_w].rstrip() for r in rows}
    check(len(shown) == 4 and not any(n in shown for n in LONG),
          "the three long names are cut and stay distinct (with host: 4 names)", sorted(shown))
    check("--wide" in out and "cut to" in out, "a note says names were cut and --wide shows them whole", out[-600:])
    # The three differ in the middle or at the very end: no one cut of both
    # ends keeps them apart, so they are numbered and listed whole.
    check(all(re.search(r"^#   \S.* #\d = " + re.escape(n) + "$", out, re.M) for n in LONG),
          "numbered names are listed whole under the table", out[-900:])
    for col in ("model", "timer", "base med", "other med", "ratio", "95% CI", "verdict"):
        check(col in head, f"default table has '{col}'", head)
    check("base best" not in head, "default table leaves out best", head)
    check("# BASE  three.json: host fixture-a, created 2026-11-24T12:00:00Z" in out
          and "# OTHER three-b.json: host a-rather-long-host-name-of-node-0042" in out,
          "each side's host and creation time above the table", out[:1500])
    rc, out, err = run("three.json", "three-b.json", "--wide")
    check(rc == 0 and all(n in out for n in LONG), "--wide shows the whole device names", out[-2000:])
    head, rows = table_rows(out)
    for col in ("base model", "base timer", "base host", "base created", "base best", "base %pk", "base cv%",
                "other host", "other created", "p", "verdict"):
        check(col in head.split("  ") or f" {col} " in f" {head} ", f"--wide has '{col}'", head)
    check(any("a-rather-long-host-name-of-node-0042" in r and "opencl-events" in r and "2026-11-24T12:00:00Z" in r
              for r in rows), "--wide rows carry host, timer and creation time", "\n".join(rows[:3]))
    rc, out, err = run("three.json", "three-b.json", "--format", "markdown")
    check(rc == 0 and all(n in out for n in LONG) and "| model | timer |" in out,
          "markdown keeps whole names, with model and timer", out[-1500:])
    rc, out, err = run("--help")
    check(rc == 0 and "--wide" in out, "--help names --wide")


def test_noisy():
    limit = cv_rule()
    fixture("quiet.json", "--host")
    fixture("below.json", "--host", "--spread", str(spread_for_cv(limit * 0.97)), "--seed", "2")
    fixture("above.json", "--host", "--spread", str(spread_for_cv(limit * 1.03)), "--seed", "3")
    cvs = [r["stats"]["cv"] for r in load("above.json")["results"]]
    check(all(cv > limit for cv in cvs), f"fixture: CV {min(cvs):.4f} above the check limit {limit}")
    rc, out, err = run("quiet.json", "below.json")
    head, rows = table_rows(out)
    check(rc == 0 and rows and not any("~" in r for r in rows) and "'~'" not in out,
          f"CV just below {limit:.0%}: no '~', no legend", out[-1500:])
    rc, out, err = run("quiet.json", "above.json")
    head, rows = table_rows(out)
    check(rc == 0 and rows and all(r.rstrip().endswith("~") for r in rows),
          f"CV just above {limit:.0%} on OTHER: every pair marked '~'", "\n".join(rows))
    legend = [l for l in out.splitlines() if l.startswith("# '~'")]
    check(legend and f"above {limit * 100:g}%" in legend[0] and "cv" in out.split(legend[0])[1][:200],
          "a legend under the table gives the limit and its rule", out[-800:])
    rc, out, err = run("above.json", "quiet.json", "--format", "json")
    doc = json.loads(out)
    check(doc["method"]["noisy_cv_above"] == limit and all(p["noisy"] for p in doc["comparisons"][0]["pairs"])
          and all(p["base"]["cv"] > limit for p in doc["comparisons"][0]["pairs"]),
          "JSON: the limit, 'noisy' and each side's CV (noisy BASE counts too)", out[:600])


def test_incomplete():
    fixture("full.json", "--host", "--dtypes", "f32,f64")
    fixture("part.json", "--host", "--dtypes", "f32", "--incomplete", "SIGINT", "--seed", "4")
    rc, out, err = run("full.json", "part.json")
    head = out.split("\ndevice ")[0]
    check(rc == 0 and "OTHER IS INCOMPLETE" in head and "SIGINT" in head and "BASE IS" not in head
          and "8 results of BASE have no pair in it: absent, not regressions" in head,
          "OTHER incomplete: said in the header, its missing results absent, not regressions", head)
    rc, out, err = run("part.json", "full.json")
    head = out.split("\ndevice ")[0]
    check(rc == 0 and "BASE IS INCOMPLETE" in head and "8 results of OTHER have no pair" in head,
          "BASE incomplete: said in the header", head)
    rc, out, err = run("full.json", "part.json", "--fail-below", "5")
    check(rc == 1 and "IS INCOMPLETE" in out and "invalid or missing" in err,
          "a gate still fails when OTHER lacks results (exit 1, as documented)", f"rc={rc} {err}")
    rc, out, err = run("full.json", "part.json", "--format", "json")
    c = json.loads(out)["comparisons"][0]
    check(c["base_complete"] is True and c["other_complete"] is False, "JSON: base_complete, other_complete")
    rc, out, err = run("full.json", "part.json", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    check(rows and all(r["other_complete"] == "0" and r["base_complete"] == "1" for r in rows)
          and "incomplete" in err, "CSV: other_complete 0, and a note on stderr", err)
    rc, out, err = run("full.json", "full.json")
    check("INCOMPLETE" not in out, "complete files: no such line")


def test_csv():
    fixture("node-a.json", "--host", "--hostname", "node-a", "--created", "2026-12-01T08:00:00Z")
    fixture("node-b.json", "--host", "--hostname", "node-b", "--created", "2026-12-02T09:30:00Z", "--seed", "5")
    rc, out, err = run("node-a.json", "node-b.json", "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    want = ["base_model", "base_timer", "base_host", "base_created", "base_cv", "other_model", "other_timer",
            "other_host", "other_created", "other_cv", "noisy", "base_complete", "other_complete"]
    check(rc == 0 and all(w in rows[0] for w in want) and len({len(r) for r in rows}) == 1,
          "CSV: model, timer, host, created and CV of each side, every row as wide", rows[0])
    d = [dict(zip(rows[0], r)) for r in rows[1:]]
    gpu = [r for r in d if r["base_device"] == "Fixture GPU"]
    host = [r for r in d if r["base_device"] == "host"]
    check(gpu and all(r["base_model"] == "opencl" and r["base_timer"] == "opencl-events" for r in gpu)
          and host and all(r["base_model"] == "host" and r["other_timer"] == "host-clock" for r in host),
          "CSV: OpenCL and host rows told apart by model and timer", gpu[:1] + host[:1])
    check(all(r["base_host"] == "node-a" and r["other_host"] == "node-b" and r["base_created"] == "2026-12-01T08:00:00Z"
              and r["other_created"] == "2026-12-02T09:30:00Z" for r in d), "CSV: each side's host and creation time")
    fixture("only-f32.json", "--dtypes", "f32", "--hostname", "node-c", "--seed", "6")
    fixture("f32-f64.json", "--dtypes", "f32,f64", "--hostname", "node-d", "--seed", "7")
    rc, out, err = run("f32-f64.json", "only-f32.json", "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    d = [dict(zip(rows[0], r)) for r in rows[1:]]
    only = [r for r in d if r["verdict"] == "only-base"]
    check(len({len(r) for r in rows}) == 1 and only and all(r["base_host"] == "node-d" and r["other_host"] == ""
                                                              for r in only),
          "CSV: a result only in BASE has BASE's side filled, OTHER's empty", only[:1])


def test_models():
    fixture("two-models.json", "--cuda", "1.05", "--benches", "copy,triad")
    rc, out, err = run("two-models.json", "--models", "cuda,opencl")
    head, rows = table_rows(out)
    check(rc == 0 and len(rows) == 2 and all(re.search(r"\bcuda/opencl\s+events\b", r) for r in rows),
          "--models cuda,opencl: the model column names both models", out)
    rc, out, err = run("two-models.json", "two-models.json", "--format", "csv")
    d = list(csv.DictReader(io.StringIO(out)))
    check(sorted(r["base_model"] for r in d) == ["cuda", "cuda", "opencl", "opencl"]
          and {r["base_timer"] for r in d if r["base_model"] == "cuda"} == {"cuda-events"},
          "CSV: CUDA and OpenCL rows of one device told apart", [(r["base_model"], r["base_timer"]) for r in d])


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    test_provenance()
    test_width()
    test_noisy()
    test_incomplete()
    test_csv()
    test_models()
    print(f"{failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
