#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""`hbmbench check` and `hbmbench run --check` end to end, one case per CTest
test (tests/check.cmake). Fixtures are result files made with
tests/make_fixture.py (validated against results/schema.json) and rules files
written here.

usage: check_cli.py HBMBENCH SOURCE_DIR WORK_DIR CASE
Prints PASS/FAIL per assertion; exits 1 if any failed.
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys

HB, SRC, WORK = (os.path.abspath(a) for a in sys.argv[1:4])
CASE = sys.argv[4]
sys.path.insert(0, os.path.join(SRC, "tests"))
import make_fixture  # noqa: E402  (tests/make_fixture.py)

failures = 0
# The fixture GPU is an H100 SXM5 by name and memory (80 GiB, 132 compute
# units), so the built-in table gives it the family "NVIDIA H100 SXM5 80GB";
# it has an H100's 50 MiB L2, and arrays of 256 MiB (f32) and 512 MiB (f64),
# beyond 4x that cache as the rules ask (STREAM's rule).
H100 = ["--device", "NVIDIA H100 80GB HBM3", "--dtypes", "f32,f64", "--global-cache", "52428800",
        "--sizes", "67108864"]


def check(cond, what, detail=""):
    global failures
    print(("PASS " if cond else "FAIL ") + what + ("" if cond or not detail else "\n  | " + detail[:3000]))
    failures += not cond


def hb(*args):
    p = subprocess.run([HB, *args], capture_output=True, text=True, cwd=WORK)
    return p.returncode, p.stdout, p.stderr


def fixture_doc(*opts):
    return make_fixture.document(make_fixture.parse_args(["unused.json", *opts]))


def write(name, doc):
    path = os.path.join(WORK, name)
    with open(path, "w", encoding="utf-8") as f:
        if isinstance(doc, str):
            f.write(doc)
        else:
            json.dump(doc, f, indent=2)
    return path


def validate(*paths):
    p = subprocess.run([sys.executable, os.path.join(SRC, "tests", "validate_schema.py"), *paths],
                       capture_output=True, text=True)
    check(p.returncode == 0, f"{len(paths)} fixture(s) validate against results/schema.json", p.stdout + p.stderr)


def fixture(name, *opts):
    path = write(name, fixture_doc(*opts))
    validate(path)
    return name


def several(name, speeds, *opts):
    """One file with one identical device per speed factor (its own PCI slot)."""
    doc = None
    for i, speed in enumerate(speeds):
        d = fixture_doc(*opts, "--speed", str(speed), "--pci", f"0000:{0x17 + i:02x}:00.0", "--seed", str(i + 1))
        dev = d["devices"][0]
        dev["index"] = i
        for r in d["results"]:
            r["device_index"] = i
        if doc is None:
            doc = d
        else:
            doc["devices"].append(dev)
            doc["results"].extend(d["results"])
    path = write(name, doc)
    validate(path)
    return name


def verdicts(doc):
    """{(rule, device_index): verdict} of a verdict document."""
    return {(v["rule"], v["device_index"]): v["verdict"] for v in doc["verdicts"]}


def check_json(*args):
    rc, out, err = hb("check", *args, "--format", "json")
    try:
        doc = json.loads(out)
    except ValueError:
        doc = {"verdicts": [], "summary": {}}
        check(False, "check --format json prints one JSON document", out + err)
    return rc, doc, err


def case_pass():
    fixture("h100.json", *H100, "--peak", "3350", "--bandwidth", "3000")
    rc, out, err = hb("check", "h100.json")
    check(rc == 0, "an H100 at 89% of its peak passes the built-in rules: exit 0", out + err)
    line = [x for x in out.splitlines() if x.startswith("pass    nvidia-hbm-triad")]
    check(len(line) == 1 and "median" in line[0] and ">= 80%" in line[0] and "(datasheet)" in line[0],
          "one pass line for nvidia-hbm-triad, saying median, the threshold and the peak's source", out)
    check("datasheet family: NVIDIA H100 SXM5 80GB" in out, "the device's datasheet family is named", out)
    check("# summary: " in out and "PASSED" in out and "skips do not fail" in out, "summary says so", out)
    rc, doc, err = check_json("h100.json")
    v = verdicts(doc)
    check(rc == 0 and doc["summary"]["passed"] is True and doc["summary"]["exit_code"] == 0,
          "JSON summary: passed, exit code 0", json.dumps(doc.get("summary")))
    check(v.get(("valid", 0)) == "pass" and v.get(("cv", 0)) == "pass" and v.get(("not-above-peak", 0)) == "pass"
          and v.get(("nvidia-hbm-triad", 0)) == "pass", "valid, cv, not-above-peak and the family rule pass", str(v))
    check(v.get(("identical-devices", 0)) == "skip", "one device: identical-devices is skipped", str(v))
    check(v.get(("amd-mi300x-triad", None)) == "skip", "a rule that selects nothing is one skip line", str(v))
    tri = [x for x in doc["verdicts"] if x["rule"] == "nvidia-hbm-triad"][0]
    check(len(tri["results"]) == 2 and all(r["reference"] == 3350 and r["reference_source"] == "datasheet"
                                           for r in tri["results"]),
          "the family rule judged triad f32 and f64 against the 3350 GB/s datasheet figure", json.dumps(tri))


def case_fail():
    fixture("slow.json", *H100, "--peak", "3350", "--bandwidth", "2000")
    rc, out, err = hb("check", "slow.json")
    check(rc == 1, "an H100 at 60% of its peak fails: exit 1", out + err)
    line = [x for x in out.splitlines() if x.startswith("fail    nvidia-hbm-triad")]
    check(len(line) == 1 and re.search(r"median 59\.\d% of 3350 GB/s \(datasheet\), not >= 80%", line[0])
          and "[rule: percent_of_peak (median) >= 80%; rules: built-in]" in line[0],
          "the fail line gives the figure, the peak, the threshold and where the rule comes from", out)
    check("FAILED" in out, "the summary says FAILED", out)
    fixture("invalid.json", *H100, "--peak", "3350", "--bandwidth", "3000", "--invalid", "triad")
    rc, doc, err = check_json("invalid.json")
    v = verdicts(doc)
    check(rc == 1 and v.get(("valid", 0)) == "fail" and v.get(("nvidia-hbm-triad", 0)) == "fail",
          "an invalid triad fails the valid rule and the family rule (no bandwidth proved)", str(v))
    tri = [x for x in doc["verdicts"] if x["rule"] == "nvidia-hbm-triad"][0]
    check(all(r["why"].startswith("result invalid") for r in tri["results"]), "its why says the result is invalid",
          json.dumps(tri))


def case_skip():
    fixture("nopeak.json", *H100, "--bandwidth", "3000")
    rc, out, err = hb("check", "nopeak.json")
    check(rc == 0, "no peak in the file: the family rule still judges, not-above-peak skips: exit 0", out + err)
    check(re.search(r"^pass +nvidia-hbm-triad +0 .*of 3350 GB/s \(datasheet\)", out, re.M) is not None,
          "nvidia-hbm-triad holds the device to its datasheet figure, which needs no peak in the file", out)
    check(re.search(r"^skip +not-above-peak +0 .*skipped: peak unknown", out, re.M) is not None,
          "not-above-peak (on_missing: skip): skipped: peak unknown", out)
    check("skips do not fail the check" in out, "the summary says skips do not fail", out)
    fixture("cpu.json", "--device", "Fixture CPU", "--device-type", "CPU", "--sizes", "67108864")
    rc, out, err = hb("check", "cpu.json")
    check(rc == 0 and "datasheet family: none" in out and "only device-independent rules apply" in out,
          "a CPU outside the datasheet table gets only device-independent rules, and a note saying so", out)
    check(re.search(r"^skip +not-above-peak +0 .*peak unknown", out, re.M) is not None,
          "the CPU's peak rule says peak unknown", out)
    rules = write("fixed-gbs.json", {"rules": [{"id": "min-gbs", "description": "at least 1 TB/s best",
                                                "select": {"bench": "triad"}, "metric": "bandwidth_best",
                                                "comparison": ">=", "threshold": 1000}]})
    rc, out, err = hb("check", "cpu.json", "--rules", rules)
    check(rc == 0 and "no rule holds it to a minimum fraction of its peak" in out,
          "with a rules file and no peak rule, the note says no rule holds it to its peak", out)


def case_sku_family():
    """nvidia-hbm-triad holds H100 SXM5/PCIe, H200 SXM and A100 only: its published triad figures say
    nothing of an H100 NVL, H200 NVL or GH200, which keep their datasheet family and the device-independent
    rules but get no family threshold (runner/check/default_rules.json)."""
    for name, gib, pci, family in [("NVIDIA H100 NVL", 93.6, "0x2321", "NVIDIA H100 NVL 94GB"),
                                   ("NVIDIA H200 NVL", 140.4, "0x233b", "NVIDIA H200 NVL 141GB"),
                                   ("NVIDIA GH200 480GB", 95.6, "0x0000", "NVIDIA GH200 96GB HBM3"),
                                   ("NVIDIA H200", 140.4, "0x2335", "NVIDIA H200 SXM 141GB")]:
        doc = fixture_doc(*H100[:1], name, *H100[2:], "--peak", "4000", "--bandwidth", "2000")
        for d in doc["devices"]:
            d["global_mem_bytes"] = int(gib * 2**30)
            d["pci"]["vendor_id"], d["pci"]["device_id"] = "0x10de", pci
        path = write("sku.json", doc)
        rc, out, err = hb("check", path)
        judged = re.search(r"^(pass|fail) +nvidia-hbm-triad", out, re.M) is not None
        check("datasheet family: " + family in out, name + ": its datasheet family is " + family, out + err)
        if family == "NVIDIA H200 SXM 141GB":
            check(rc == 1 and judged, name + " (SXM): nvidia-hbm-triad judges it (2000 of 4800 GB/s fails)",
                  out + err)
        else:
            check(rc == 0 and not judged and "only device-independent rules apply" in out,
                  name + ": nvidia-hbm-triad does not select it; only device-independent rules apply", out + err)


def case_rules_malformed():
    fixture("ok.json", *H100, "--peak", "3350", "--bandwidth", "3000")
    bad = write("bad.json", '[\n  {"id": "x",\n   "metric" "cv"}\n]\n')
    rc, out, err = hb("check", "ok.json", "--rules", bad)
    check(rc == 2 and re.search(r"bad\.json:3:\d+: ", err) and out == "",
          "a malformed rules file: exit 2, FILE:LINE:COLUMN on stderr, nothing on stdout", err)
    trunc = write("trunc.json", '{"rules": [\n  {"id": "x", "description": "y",')
    rc, out, err = hb("check", "ok.json", "--rules", trunc)
    check(rc == 2 and re.search(r"trunc\.json:2:\d+: ", err), "a truncated rules file: exit 2 at its end", err)
    dup = write("dup.json", '[{"id": "x", "id": "y"}]')
    rc, out, err = hb("check", "ok.json", "--rules", dup)
    check(rc == 2 and re.search(r"dup\.json:1:\d+: .*duplicate", err), "a duplicate key: exit 2 with its position",
          err)
    rc, out, err = hb("check", "ok.json", "--rules", os.path.join(WORK, "missing.json"))
    check(rc == 2 and "missing.json: cannot read" in err, "a missing rules file: exit 2", err)
    os.makedirs(os.path.join(WORK, "run"), exist_ok=True)
    p = subprocess.run([HB, "run", "--check", "--rules", bad, "--out", "r.json", "--size", "64KiB"],
                       capture_output=True, text=True, cwd=os.path.join(WORK, "run"))
    check(p.returncode == 2 and re.search(r"bad\.json:3:\d+: ", p.stderr) and
          not os.path.exists(os.path.join(WORK, "run", "r.json")),
          "run --check with a malformed rules file: exit 2 before measuring, no result file", p.stderr)


def rule(**kw):
    base = {"id": "r", "description": "a rule", "metric": "cv", "comparison": "<=", "threshold": 0.05}
    base.update(kw)
    return base


def case_rules_unknown_field():
    fixture("ok.json", *H100, "--peak", "3350", "--bandwidth", "3000")
    cases = [
        ("select field", rule(select={"bnech": "triad"}), r"rules\[0\] \(r\)\.select: unknown field \"bnech\""),
        ("metric", rule(metric="bandwidth_mean"), r"rules\[0\] \(r\)\.metric: unknown metric \"bandwidth_mean\""),
        ("rule field", rule(treshold=3), r"rules\[0\]: unknown field \"treshold\""),
        ("bench", rule(select={"bench": ["copy", "triadd"]}), r"select\.bench\[1\]: unknown bench \"triadd\""),
        ("dtype", rule(select={"dtype": "f128"}), r"unknown dtype \"f128\""),
        ("device type", rule(select={"device_type": "TPU"}), r"unknown device type \"TPU\""),
        ("comparison", rule(comparison="=>"), r"unknown comparison \"=>\""),
        ("no threshold", {k: v for k, v in rule().items() if k != "threshold"}, r"\.threshold: missing"),
        ("cv as a percentage", rule(threshold=5), r"cv is a fraction of the mean \(0\.05 = 5%\), not 5"),
        ("of on cv", rule(of="median"), r"\"of\" applies only to"),
        ("top-level field", {"rulez": []}, r"top level: unknown field \"rulez\""),
    ]
    for what, r, pattern in cases:
        doc = r if "rulez" in r else [r]
        path = write("unknown.json", doc)
        rc, out, err = hb("check", "ok.json", "--rules", path)
        check(rc == 2 and re.search(pattern, err) and out == "", f"rules file with a bad {what}: exit 2, named", err)
    path = write("unknown.json", [rule(metric="bandwidth_mean")])
    rc, out, err = hb("check", "ok.json", "--rules", path)
    check("known: bandwidth_best, bandwidth_median, percent_of_peak, cv, valid, ratio_to_median_of_identical" in err,
          "the message lists the metrics that exist", err)


def case_identical():
    several("node.json", [1.0, 0.99, 1.01, 0.8, 0.95], *H100, "--peak", "3350", "--bandwidth", "3000")
    rc, doc, err = check_json("node.json")
    v = verdicts(doc)
    want = {0: "pass", 1: "pass", 2: "pass", 3: "fail", 4: "pass"}
    got = {d: v.get(("identical-devices", d)) for d in want}
    check(rc == 1 and got == want, "five identical GPUs, one at 0.8x: only that one fails identical-devices", str(got))
    slow = [x for x in doc["verdicts"] if x["rule"] == "identical-devices" and x["device_index"] == 3][0]
    ratios = [r["value"] for r in slow["results"]]
    check(all(0.79 < x < 0.82 for x in ratios) and all(r["identical_devices"] == 5 for r in slow["results"]),
          "its ratios are about 0.8 of the median of the 5", str(ratios))
    check(v.get(("nvidia-hbm-triad", 3)) == "fail" and v.get(("nvidia-hbm-triad", 4)) == "pass",
          "the 0.8x GPU also falls below 80% of its peak; the 0.95x one does not", str(v))


def case_json_out():
    fixture("ok.json", *H100, "--peak", "3350", "--bandwidth", "3000")
    out_path = os.path.join(WORK, "verdicts", "v.json")
    shutil.rmtree(os.path.dirname(out_path), ignore_errors=True)
    rc, out, err = hb("check", "ok.json", "--out", out_path)
    check(rc == 0 and os.path.exists(out_path) and "# summary" in out, "--out writes the document, table on stdout",
          out + err)
    with open(out_path, encoding="utf-8") as f:
        doc = json.load(f)
    check(doc["check_version"] == 3 and doc["tool"]["name"] == "hbmbench" and doc["result_file"] == "ok.json"
          and doc["rules_file"] is None and len(doc["rules"]) == 7,
          "the document names the result file, the built-in rules and all 7 of them", json.dumps(doc)[:500])
    check(all(set(r) >= {"id", "description", "source", "select", "metric", "comparison", "threshold"}
              for r in doc["rules"]) and all(r["source"] for r in doc["rules"]),
          "every rule is written out with its source", json.dumps(doc["rules"])[:500])
    described = {r["result_index"]: r for r in doc["results"]}
    items = [i for v in doc["verdicts"] for i in v["results"]]
    check(items and all(i["result_index"] in described and described[i["result_index"]]["label"] == i["label"]
                        for i in items)
          and all(set(r) >= {"bench", "dtype", "elements", "implementation", "model", "figure"}
                  for r in doc["results"]),
          "each judged result is described once in results; the verdicts name it by result_index",
          json.dumps(doc["results"])[:500])
    check(os.listdir(os.path.dirname(out_path)) == ["v.json"], "no temporary file remains")
    rc, out, err = hb("check", "ok.json", "--out", out_path)
    check(rc == 2 and "exists" in err, "an existing --out is not replaced without --force: exit 2", err)
    rc, out, err = hb("check", "ok.json", "--out", out_path, "--force", "--format", "json")
    check(rc == 0 and json.loads(out)["summary"]["passed"] is True, "--force replaces it; --format json on stdout",
          out + err)
    rc, out, err = hb("check", "--print-rules")
    check(rc == 0 and json.loads(out)["rules"][0]["id"] == "valid", "--print-rules prints the built-in rules", err)
    rc, out, err = hb("check", "--help")
    check(rc == 0 and "CV at most 5%," in out and "%%" not in out, "--help prints its text as written", out)
    rc, out, err = hb("check", "ok.json", "--format", "yaml")
    check(rc == 2 and "--format" in err, "a bad --format: exit 2", err)
    rc, out, err = hb("check", os.path.join(SRC, "results", "schema.json"))
    check(rc == 2 and "not an hbmbench result file" in err, "a file that is not a result file: exit 2", err)
    write("broken.json", '{"schema_version": 1,\n "tool": {"name": "hbmbench"},\n "results": [\n')
    rc, out, err = hb("check", "broken.json")
    check(rc == 2 and re.search(r"broken\.json:4:\d+: ", err), "a truncated result file: exit 2, FILE:LINE:COLUMN",
          err)


def case_run_pocl():
    d = os.path.join(WORK, "run")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    tiny = ["--size", "64KiB", "--iters", "2", "--tune", "off", "--bench", "copy,triad"]
    ok = write("run/ok-rules.json", {"rules": [
        {"id": "all-valid", "description": "every result verified", "select": {"sizes": "all"},
         "metric": "valid", "comparison": "==", "threshold": True},
        # 64 KiB arrays sit in the caches: this rule says so (beyond_cache 0)
        {"id": "some-bandwidth", "description": "triad beats 0.001% of a 100 TB/s peak",
         "select": {"bench": "triad"}, "metric": "percent_of_peak", "comparison": ">=", "threshold": 0.001,
         "beyond_cache": 0}]})
    p = subprocess.run([HB, "run", *tiny, "--peak-bw", "100000", "--check", "--rules", ok, "--out", "ok.json"],
                       capture_output=True, text=True, cwd=d)
    check(p.returncode == 0 and re.search(r"^pass +all-valid +0 ", p.stdout, re.M) and
          re.search(r"^pass +some-bandwidth +0 ", p.stdout, re.M) and "# summary: 2 pass, 0 fail" in p.stdout,
          "run --check on PoCL: the table follows the results, both rules pass, exit 0", p.stdout + p.stderr)
    rc, out, err = hb("check", os.path.join(d, "ok.json"), "--rules", ok)
    check(rc == 0 and out.count("\npass ") == 2, "check of the written file gives the same verdicts", out + err)
    bad = write("run/fail-rules.json", [rule(id="impossible", metric="bandwidth_best", comparison=">=",
                                             threshold=1e9, select={"bench": "copy"})])
    p = subprocess.run([HB, "run", *tiny, "--check", "--rules", bad, "--out", "fail.json", "--format", "json"],
                       capture_output=True, text=True, cwd=d)
    check(p.returncode == 1 and json.loads(p.stdout)["results"] and "fail    impossible" in p.stderr
          and "a rule failed" in p.stderr,
          "a failing rule: exit 1; with --format json the result document stays alone on stdout", p.stderr)
    check(os.path.exists(os.path.join(d, "fail.json")), "the result file is written even when the check fails")
    p = subprocess.run([HB, "run", *tiny, "--check", "--out", "default.json"], capture_output=True, text=True, cwd=d)
    check(p.returncode in (0, 1) and re.search(r"^skip +not-above-peak +0 .*peak unknown", p.stdout, re.M)
          and re.search(r"^pass +valid +0 ", p.stdout, re.M),
          "run --check with the built-in rules: PoCL's unknown peak is skipped, validity passes", p.stdout + p.stderr)


def case_readme():
    """The rules-file example in docs/compare-check.md ("Acceptance checks")
    parses and judges an 8-GPU H100 node as it says. (The case keeps its name
    from when the example was in README.md.)"""
    with open(os.path.join(SRC, "docs", "compare-check.md"), encoding="utf-8") as f:
        text = f.read()
    section = text.split("## Acceptance checks", 1)[1]
    example = re.search(r"```json\n(.*?)```", section, re.S).group(1)
    rules = write("node-rules.json", example)
    several("node.json", [1.0, 0.99, 1.01, 1.0, 0.98, 1.0, 1.02, 0.99], *H100, "--peak", "3350",
            "--bandwidth", "3000")
    rc, doc, err = check_json("node.json", "--rules", rules)
    v = verdicts(doc)
    check(rc == 0 and len(v) == 5 * 8 and set(v.values()) == {"pass"},
          "the docs' example: 5 rules x 8 healthy GPUs, all pass", err + str(v))
    several("sick.json", [1.0, 0.99, 1.01, 1.0, 0.9, 1.0, 1.02, 0.99], *H100, "--peak", "3350",
            "--bandwidth", "3000")
    rc, doc, err = check_json("sick.json", "--rules", rules)
    bad = sorted(k for k, x in verdicts(doc).items() if x == "fail")
    check(rc == 1 and bad == [("siblings", 4), ("triad-85", 4), ("triad-floor", 4)],
          "the docs' example: the GPU at 0.9x (2.7 TB/s) fails siblings, triad-85 and triad-floor", str(bad))


# How check judges the committed reference results (results/README.md,
# "Reference results"): PoCL on a 2-vCPU cloud VM. Every result verified, but
# the shared VM is noisy (CV above 5%), and no peak is known for a CPU, so the
# peak rules skip and no family rule applies: exit 1.
REFERENCE = {
    "pocl-zen5-2core-20261124.json": {
        ("valid", 0): "pass", ("valid", 1): "pass", ("cv", 0): "fail", ("cv", 1): "fail",
        ("not-above-peak", 0): "skip", ("not-above-peak", 1): "skip",
        ("identical-devices", 0): "skip", ("identical-devices", 1): "skip",
        ("nvidia-hbm-triad", None): "skip", ("amd-mi300x-triad", None): "skip", ("amd-cdna2-triad", None): "skip"},
    "pocl-zen5-2core-sweep-20261124.json": {
        ("valid", 0): "pass", ("cv", 0): "fail", ("not-above-peak", 0): "skip", ("identical-devices", 0): "skip",
        ("nvidia-hbm-triad", None): "skip", ("amd-mi300x-triad", None): "skip", ("amd-cdna2-triad", None): "skip"},
    # no stream result: the device is selected, the results are missing, and
    # these two rules say "on_missing": "skip"
    "pocl-zen5-2core-gemm-roofline-20261124.json": {
        ("valid", 0): "pass", ("cv", 0): "fail", ("not-above-peak", 0): "skip",
        ("identical-devices", 0): "skip", ("nvidia-hbm-triad", None): "skip",
        ("amd-mi300x-triad", None): "skip", ("amd-cdna2-triad", None): "skip"},
}


def case_reference():
    files = sorted(glob.glob(os.path.join(SRC, "results", "*.json")))
    files = [f for f in files if os.path.basename(f) != "schema.json"]
    check(set(REFERENCE) <= {os.path.basename(f) for f in files}, "the reference files judged here exist",
          str(files))
    for f in files:
        name = os.path.basename(f)
        rc, doc, err = check_json(f)
        got = verdicts(doc)
        if name in REFERENCE:
            check(rc == 1 and got == REFERENCE[name], f"{name}: exit 1 and the expected verdicts",
                  json.dumps({f"{k[0]}/{k[1]}": v for k, v in got.items()}))
        else:   # a reference added later: judged and shown; add its verdicts to REFERENCE
            check(rc in (0, 1) and got and all(v["detail"] for v in doc["verdicts"]),
                  f"{name}: judged (exit {rc}); its verdicts are not pinned here yet", err)
        for v in doc["verdicts"]:
            print(f"  {name}: {v['verdict']:4} {v['rule']:18} {v['device_index']!s:4} {v['detail'][:150]}")


def ranks_file(name, slow_rank=None, nodes=2, per_node=8, *opts):
    """A gathered MPI file: nodes x per_node ranks, one H100 each (device index
    = local rank), one rank 20% slow."""
    parts = []
    for rank in range(nodes * per_node):
        d = fixture_doc(*H100, "--peak", "3350", "--bandwidth", "3000", "--seed", str(rank + 1),
                        "--speed", "0.8" if rank == slow_rank else "1.0", *opts)
        d["devices"][0]["index"] = rank % per_node
        for r in d["results"]:
            r["device_index"] = rank % per_node
        parts.append((f"gpu-node-{rank // per_node:02d}", rank, d))
    path = write(name, make_fixture.gathered(parts))
    validate(path)
    return name


def by_place(doc):
    """{(rule, node, rank, device_index): verdict} of a verdict document."""
    return {(v["rule"], v["node"], v["rank"], v["device_index"]): v["verdict"] for v in doc["verdicts"]}


def case_gathered():
    ranks_file("mpi.json", slow_rank=11)
    rc, doc, err = check_json("mpi.json")
    v = by_place(doc)
    ident = {k: x for k, x in v.items() if k[0] == "identical-devices"}
    check(rc == 1 and len(ident) == 16 and len({k[1:] for k in ident}) == 16,
          "16 ranks on 2 nodes, every one index 0-7: 16 devices judged, not 8", str(sorted(ident)))
    bad = sorted(k for k, x in v.items() if x == "fail")
    check(bad == [("identical-devices", "gpu-node-01", 11, 3), ("nvidia-hbm-triad", "gpu-node-01", 11, 3)],
          "only rank 11 (gpu-node-01, device 3) fails, named by node, rank and device", str(bad))
    slow = [x for x in doc["verdicts"] if x["rule"] == "identical-devices" and x["rank"] == 11][0]
    check(all(r["identical_devices"] == 16 for r in slow["results"]) and slow["threshold"].endswith(">= 0.9x"),
          "its median is over the 16 ranks' devices; the verdict carries its threshold", json.dumps(slow)[:600])
    check(doc["devices"][0]["node"] == "gpu-node-00" and doc["devices"][0]["rank"] == 0,
          "the document's devices carry node and rank", json.dumps(doc["devices"][0]))
    rc, out, err = hb("check", "mpi.json")
    lines = out.splitlines()
    fail = [x for x in lines if x.startswith("fail ")]
    check(rc == 1 and len(lines) <= 40 and "per rule:" in out and len(fail) == 2
          and all("gpu-node-01/r11/d3" in x and "[rule: " in x and "rules: built-in]" in x for x in fail),
          "above 40 verdicts the table is a summary: counts per rule, the failures naming node/rank/device, "
          "threshold and the rules' source", out)
    rc, out, err = hb("check", "mpi.json", "--all")
    check(rc == 1 and len([x for x in out.splitlines() if re.match(r"^(pass|fail|skip) ", x)]) == len(v),
          "--all lists every verdict", out[-2000:])
    d = json.load(open(os.path.join(WORK, "mpi.json")))
    d["cluster"] = {"ranks": [{"rank": r, "node": f"gpu-node-{r // 8:02d}", "status": "ok"} for r in range(16)]
                    + [{"rank": 16, "node": "gpu-node-02", "status": "timeout"}]}
    write("lost.json", d)
    rc, out, err = hb("check", "lost.json")
    check(rc == 1 and re.search(r"^fail +ranks +- +1 of 17 ranks sent no results: rank 16 on gpu-node-02: timeout",
                                out, re.M), "a rank that timed out fails the pseudo-rule 'ranks', named", out)


def case_groups():
    """A --concurrent file's solo and concurrent rows, and --repeat's
    repetitions, are judged as what they are, never as identical devices."""
    d = fixture_doc(*H100, "--peak", "3350", "--bandwidth", "3000")
    solo = d["results"]
    conc = json.loads(json.dumps(solo))
    for r in conc:   # measured together with a second device: 30% slower
        for key in ("best", "median"):
            r["bandwidth_gbs"][key] *= 0.7
        r["concurrent"] = {"devices": 2, "step": 1, "solo_gbs": r["bandwidth_gbs"]["best"] / 0.7,
                           "slowdown": 1 / 0.7, "untimed_before": 0, "untimed_after": 0, "load_from_s": 0,
                           "start_s": 0, "end_s": 1, "load_until_s": 1}
    d["results"] = solo + conc
    write("conc.json", d)
    rc, doc, err = check_json("conc.json")
    v = verdicts(doc)
    check(v.get(("identical-devices", 0)) == "skip",
          "solo and concurrent rows of one device are not two identical devices (no false fail)", str(v))
    labels = [r["label"] for x in doc["verdicts"] if x["rule"] == "cv" for r in x["results"]]
    check(len(labels) == 16 and sum("[concurrent x2]" in x for x in labels) == 8,
          "each group keeps its largest size, and a concurrent row says so in its label", str(labels))
    d = fixture_doc(*H100, "--peak", "3350", "--bandwidth", "3000")
    reps = []
    for rep in (1, 2, 3):
        for r in json.loads(json.dumps(d["results"])):
            r["repetition"] = rep
            reps.append(r)
    d["results"] = reps
    write("rep.json", d)
    rc, doc, err = check_json("rep.json")
    v = verdicts(doc)
    tri = [x for x in doc["verdicts"] if x["rule"] == "nvidia-hbm-triad"][0]
    check(rc == 0 and v.get(("identical-devices", 0)) == "skip" and len(tri["results"]) == 6
          and any("[repetition 3]" in r["label"] for r in tri["results"]),
          "three repetitions: each judged (6 triad results), none an identical device", str(v))
    d = fixture_doc(*H100, "--benches", "copy", "--dtypes", "f32")
    paths = []
    for api in ("rw", "map"):
        for host in ("pageable", "pinned"):
            r = json.loads(json.dumps(d["results"][0]))
            r.update(bench="h2d", family="transfer", percent_basis="link", percent_of_peak=None)
            r["config"] = {"api": api, "host": host}
            paths.append(r)
    d["results"] = paths
    write("transfer.json", d)
    rules = write("transfer-rules.json", [rule(id="h2d", select={"bench": "h2d"}, metric="bandwidth_best",
                                               comparison=">=", threshold=1)])
    rc, doc, err = check_json("transfer.json", "--rules", rules)
    labels = sorted(r["label"] for x in doc["verdicts"] for r in x["results"])
    check(rc == 0 and len(labels) == 4 and any(x.endswith("[api=map, host=pinned]") for x in labels),
          "transfer results: one per API and host memory, each labelled with both", str(labels) + err)


def case_strict():
    fixture("notriad.json", *H100, "--peak", "3350", "--bandwidth", "3000", "--benches", "copy,scale")
    rc, out, err = hb("check", "notriad.json")
    check(rc == 1 and re.search(r"^fail +nvidia-hbm-triad +0 +no result on this device matches the rule's select "
                                r"\(sizes largest, bench triad\)", out, re.M)
          and "has no built-in bandwidth threshold" not in out,
          "an H100 without a triad result fails its family rule, and no note says the family has no threshold", out)
    doc = fixture_doc(*H100, "--peak", "3350", "--bandwidth", "3000")
    for r in doc["results"]:
        del r["stats"], r["bandwidth_gbs"]   # a schema-1 file: its figure is its bandwidth
    write("nostats.json", doc)
    rc, doc, err = check_json("nostats.json")
    v = verdicts(doc)
    check(rc == 1 and v.get(("cv", 0)) == "fail" and v.get(("nvidia-hbm-triad", 0)) == "fail",
          "results without stats and bandwidth_gbs fail, not 'skipped: no value'", str(v) + err)
    fixture("cut.json", *H100, "--peak", "3350", "--incomplete", "SIGINT", "--benches", "copy")
    d = json.load(open(os.path.join(WORK, "cut.json")))
    d["results"] = []
    write("cut.json", d)
    rc, out, err = hb("check", "cut.json")
    check(rc == 1 and re.search(r"^fail +complete +- +the run was stopped by SIGINT: its file holds 0 results", out,
                                re.M) and re.search(r"^fail +valid +0 +no result on this device", out, re.M),
          "an interrupted file with no result fails 'complete' and every rule that selects its device", out)
    lenient = write("lenient.json", {"on_missing": "skip", "on_incomplete": "skip",
                                     "rules": [rule(id="v", metric="valid", comparison="==", threshold=True)]})
    rc, out, err = hb("check", "cut.json", "--rules", lenient)
    check(rc == 0 and re.search(r"^skip +complete ", out, re.M) and "(on_missing: skip)" in out,
          "a rules file saying on_missing and on_incomplete skip lets it through, and says so", out + err)
    fixture("userpeak.json", *H100, "--peak", "1000", "--bandwidth", "2000")
    rc, doc, err = check_json("userpeak.json")
    tri = [x for x in doc["verdicts"] if x["rule"] == "nvidia-hbm-triad"][0]
    check(rc == 1 and tri["verdict"] == "fail" and all(r["reference"] == 3350 and r["reference_source"] == "datasheet"
                                                       for r in tri["results"]),
          "a run-time peak of 1000 GB/s does not replace the 3350 GB/s datasheet figure of the family rule",
          json.dumps(tri)[:800])
    fixture("l2.json", "--device", "NVIDIA H100 80GB HBM3", "--global-cache", "52428800", "--sizes", "2097152",
            "--peak", "3350", "--bandwidth", "3000")
    rc, out, err = hb("check", "l2.json")
    check(rc == 1 and re.search(r"^fail +nvidia-hbm-triad .*8 MiB per array is under 4x the device's largest cache "
                                r"\(50 MiB\)", out, re.M),
          "8 MiB arrays sit in an H100's 50 MiB L2: the family rule fails them", out)
    fixture("nocache.json", *H100[:4], "--global-cache", "0", "--sizes", "67108864", "--peak", "3350",
            "--bandwidth", "3000")
    rc, out, err = hb("check", "nocache.json")
    check(rc == 1 and re.search(r"^fail +nvidia-hbm-triad .*cannot be judged: the device's largest cache is unknown",
                                out, re.M),
          "an unknown cache size is said, and fails the family rule (on_missing: fail)", out)
    fixture("few.json", *H100, "--peak", "3350", "--bandwidth", "3000", "--samples", "5")
    rc, out, err = hb("check", "few.json")
    check(rc == 1 and re.search(r"^fail +cv +0 .*5 timed iterations; the rule needs at least 10 to judge cv", out,
                                re.M), "cv from 5 samples cannot be judged: fails (min_samples 10)", out)
    skipcv = write("skipcv.json", [rule(id="cv", on_missing="skip", min_samples=3)])
    rc, out, err = hb("check", "few.json", "--rules", skipcv)
    check(rc == 0 and re.search(r"^pass +cv +0 ", out, re.M), "min_samples 3 judges it", out + err)
    empty = fixture_doc(*H100)
    empty["devices"], empty["results"] = [], []
    write("empty.json", empty)
    rc, out, err = hb("check", "empty.json")
    check(rc == 1 and re.search(r"^fail +valid +- +the file has no device and no result", out, re.M),
          "a file with no device and no result fails", out)


def junit_counts(e):
    return {k: int(e.get(k)) for k in ("tests", "failures", "errors", "skipped")}


def case_junit():
    import xml.etree.ElementTree as ET
    several("node.json", [1.0, 0.99, 1.01, 0.8], *H100, "--peak", "3350", "--bandwidth", "3000")
    rc, out, err = hb("check", "node.json", "--format", "junit")
    try:
        root = ET.fromstring(out)
    except ET.ParseError as e:
        check(False, "--format junit is well-formed XML", f"{e}\n{out[:2000]}")
        return
    rc_json, doc, _ = check_json("node.json")
    suites = root.findall("testsuite")
    cases = root.findall("testsuite/testcase")
    check(rc == rc_json == 1 and root.tag == "testsuites" and len(cases) == len(doc["verdicts"]),
          "JUnit: <testsuites>, one <testcase> per rule and device, same exit code as the table", out[:1500])
    s = doc["summary"]
    check(junit_counts(root) == {"tests": len(cases), "failures": s["fail"], "errors": 0, "skipped": s["skip"]},
          "<testsuites> counts tests, failures, errors and skipped as the verdict document", str(junit_counts(root)))
    ok = True
    for suite in suites:
        tc = suite.findall("testcase")
        want = {"tests": len(tc), "failures": sum(t.find("failure") is not None for t in tc), "errors": 0,
                "skipped": sum(t.find("skipped") is not None for t in tc)}
        ok &= junit_counts(suite) == want and all(t.get("classname") == "hbmbench.check." + suite.get("name")
                                                  and t.get("name") for t in tc)
    check(ok and {x.get("name") for x in suites} == {r["id"] for r in doc["rules"]},
          "each <testsuite> is a rule, its counts match its test cases, each case has classname and name", out[:1500])
    failed = [t for t in cases if t.find("failure") is not None]
    check(len(failed) == 2 and all(t.get("name").startswith("device 3") and t.find("failure").get("message")
                                   and "source:" in t.find("failure").text for t in failed),
          "the 0.8x GPU's two failures carry a message and the rule's source", out[:3000])
    check(all(t.find("failure") is None and t.find("skipped") is None for t in cases
              if t.get("classname").endswith(".valid")), "passing cases have no child", out[:500])


def case_outputs():
    fixture("ok.json", *H100, "--peak", "3350", "--bandwidth", "3000")
    rc, out, err = hb("check", "ok.json", "--format", "json", "--out", "-")
    try:
        doc = json.loads(out)
        one = True
    except ValueError:
        one, doc = False, {}
    check(rc == 0 and one and doc.get("summary", {}).get("passed") is True,
          "--format json --out -: stdout is exactly one JSON document", out[:300] + err)
    rc, out, err = hb("check", "ok.json", "--out", "-")
    check(rc == 0 and json.loads(out)["check_version"] == 3 and "# summary" in err,
          "--out - with the table: the document on stdout, the table on stderr", err)
    rc, out, err = hb("check", "ok.json", "--format", "junit", "--out", "-")
    check(rc == 2 and "both want standard output" in err, "--format junit --out -: exit 2", err)
    os.makedirs(os.path.join(WORK, "rules.d"), exist_ok=True)
    rc, out, err = hb("check", "ok.json", "--rules", "rules.d")
    check(rc == 2 and "rules.d: is a directory, not a rules file" in err and out == "",
          "a rules file that is a directory: exit 2, 'is a directory'", err)
    dup = write("dupid.json", [rule(id=f"r{i}") for i in range(50)] + [rule(id="r7")])
    rc, out, err = hb("check", "ok.json", "--rules", dup)
    check(rc == 2 and re.search(r"rules\[50\]: id \"r7\" is used twice \(also rules\[7\]\)", err),
          "a rule id used twice is named with both positions", err)
    bad = write("badon.json", [rule(on_missing="maybe")])
    rc, out, err = hb("check", "ok.json", "--rules", bad)
    check(rc == 2 and re.search(r"on_missing: unknown value \"maybe\" \(known: fail, skip\)", err),
          "on_missing other than fail or skip: exit 2, named", err)
    # above 10,000 verdicts the document is made an element at a time, on one line: the same document
    many = [rule(id=f"s{i:05d}", threshold=0.05 + i * 1e-6) for i in range(10001)]
    write("many.json", {"rules": many})
    write("fewer.json", {"rules": many[:10000]})
    rc1, big, err1 = hb("check", "ok.json", "--rules", "many.json", "--format", "json")
    rc2, small, err2 = hb("check", "ok.json", "--rules", "fewer.json", "--format", "json")
    big, small = json.loads(big), json.loads(small)
    same = all(big[k] == small[k] for k in ("check_version", "tool", "result_file", "devices", "results"))
    check(rc1 == rc2 == 0 and same and big["rules"][:10000] == small["rules"]
          and big["verdicts"][:10000] == small["verdicts"] and len(big["verdicts"]) == 10001
          and big["summary"]["per_rule"][:10000] == small["summary"]["per_rule"]
          and big["summary"]["pass"] == small["summary"]["pass"] + 1 and list(big) == list(small)
          and list(big["summary"]) == list(small["summary"]),
          "10,001 verdicts (streamed, one line) and 10,000 (one tree, indented): the same document", err1 + err2)
    # ROCm names an MI300X gfx942; its board name is what a rule's device_name gives
    d = fixture_doc(*H100, "--peak", "3350", "--bandwidth", "3000")
    d["devices"][0].update(name="gfx942:sramecc+:xnack-", board_name="AMD Instinct MI300X")
    for r in d["results"]:
        r["device"] = "gfx942:sramecc+:xnack-"
    write("rocm.json", d)
    write("mi300x.json", {"rules": [rule(id="mi300x-cv", select={"device_name": "*MI300X*"})]})
    rc, out, err = hb("check", "rocm.json", "--rules", "mi300x.json", "--format", "json")
    picked = [v for v in json.loads(out)["verdicts"] if v["rule"] == "mi300x-cv"] if out else []
    check(rc == 0 and len(picked) == 1 and picked[0]["device_index"] == 0 and picked[0]["verdict"] == "pass",
          "device_name matches a gfx942 device by its AMD board name", out[:400] + err)
    bad = write("badpeak.json", [rule(peak="datasheet")])
    rc, out, err = hb("check", "ok.json", "--rules", bad)
    check(rc == 2 and "\"peak\" applies only to percent_of_peak" in err, "peak on cv: exit 2", err)


CASES = {"pass": case_pass, "fail": case_fail, "skip": case_skip, "rules_malformed": case_rules_malformed,
         "rules_unknown_field": case_rules_unknown_field, "identical": case_identical, "json_out": case_json_out,
         "run_pocl": case_run_pocl, "reference": case_reference, "readme": case_readme,
         "gathered": case_gathered, "groups": case_groups, "strict": case_strict, "junit": case_junit,
         "outputs": case_outputs, "sku_family": case_sku_family}

if __name__ == "__main__":
    WORK = os.path.join(WORK, CASE)
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    CASES[CASE]()
    print(f"{failures} failed")
    sys.exit(1 if failures else 0)
