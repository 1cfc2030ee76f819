#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""`hbmbench compare` end to end, on fixture files made by make_fixture.py
(each validated against results/schema.json first) and on real runs.

usage: compare_cli.py HBMBENCH SOURCE_DIR WORK_DIR
Prints PASS/FAIL per check; exits 1 if any failed.
"""
import csv
import glob
import io
import json
import os
import re
import shutil
import subprocess
import sys

HB, SRC, WORK = (os.path.abspath(a) for a in sys.argv[1:4])
PY = sys.executable
failures = 0


def check(cond, what, detail=""):
    global failures
    print(("PASS " if cond else "FAIL ") + what + ("" if cond or not detail else "\n  | " + detail[:2000]))
    failures += not cond


def run(*args):
    p = subprocess.run([HB, "compare", *args], capture_output=True, text=True, cwd=WORK)
    return p.returncode, p.stdout, p.stderr


def fixture(name, *opts):
    path = os.path.join(WORK, name)
    subprocess.run([PY, os.path.join(SRC, "tests", "make_fixture.py"), path, *opts], check=True)
    return name


def pairs(*args):
    rc, out, err = run(*args, "--format", "json")
    doc = json.loads(out) if out.strip() else {"comparisons": [{"pairs": []}]}
    return rc, doc, err


def verdicts(doc, i=0):
    return {(p["base"]["device"], p["bench"], p["dtype"]): p["verdict"] for p in doc["comparisons"][i]["pairs"]}


def make_fixtures():
    common = ["--host", "--gemm", "--peak", "2000", "--dtypes", "f32,f64"]
    fixture("base.json", *common)
    fixture("same.json", *common, "--seed", "7")
    fixture("slow10.json", *common, "--speed", "0.9", "--seed", "2")
    fixture("fast10.json", *common, "--speed", "1.1", "--seed", "3")
    fixture("noisy.json", *common, "--spread", "0.2", "--seed", "4")
    fixture("invalid.json", *common, "--invalid", "triad", "--seed", "5")
    fixture("f32only.json", "--host", "--gemm", "--peak", "2000", "--dtypes", "f32", "--seed", "8")
    fixture("env.json", *common, "--driver", "2.0.1", "--tool-version", "0.2.0", "--hostname", "fixture-b",
            "--platform-version", "OpenCL 3.0 Fixture 2.0", "--iters", "50", "--tune", "off", "--wg", "128",
            "--dtypes", "f32", "--seed", "6")
    fixture("board-a.json", *common, "--uuid", "GPU-11111111-2222-3333-4444-555555555555")
    fixture("board-b.json", *common, "--uuid", "GPU-66666666-7777-8888-9999-000000000000", "--seed", "9")
    fixture("otherslot.json", "--gemm", "--peak", "2000", "--dtypes", "f32,f64", "--pci", "0000:17:00.0")
    fixture("othermachine.json", "--device", "Other GPU", "--pci", "0000:c1:00.0", "--sizes", "67108864",
            "--dtypes", "f32,f64", "--host", "--speed", "1.5")
    fixture("few.json", *common, "--samples", "3")
    fixture("gemm-k512.json", *common, "--gemm-mnk", "1024x1024x512")
    fixture("sweep.json", "--sizes", "1024,65536,4194304,33554432")
    files = sorted(glob.glob(os.path.join(WORK, "*.json")))
    p = subprocess.run([PY, os.path.join(SRC, "tests", "validate_schema.py"), *files], capture_output=True, text=True)
    check(p.returncode == 0, f"{len(files)} fixtures validate against results/schema.json", p.stdout + p.stderr)


def test_statistics():
    rc, doc, err = pairs("base.json", "same.json")
    v = verdicts(doc)
    check(rc == 0 and v and set(v.values()) == {"same"}, "identical medians: every pair 'same', exit 0", str(v))
    check(all(p["ratio"] == 1 for p in doc["comparisons"][0]["pairs"]), "identical medians: ratio exactly 1")

    rc, doc, err = pairs("base.json", "slow10.json")
    v = verdicts(doc)
    check(rc == 0 and set(v.values()) == {"slower"}, "10% slower, tight samples: every pair 'slower'", str(v))
    ratios = [p["ratio"] for p in doc["comparisons"][0]["pairs"]]
    check(all(abs(r - 0.9) < 1e-9 for r in ratios), "10% slower: ratio 0.900", str(ratios))
    check(all(p["ci_high"] < 1 and p["p_value"] < 0.001 for p in doc["comparisons"][0]["pairs"]),
          "10% slower: interval below 1, p < 0.001")
    rc, out, err = run("base.json", "slow10.json", "--fail-below", "5")
    check(rc == 1 and "REGRESSION" in out and "significantly slower" in err,
          "--fail-below 5 on a 10% slowdown: exit 1, REGRESSION", f"rc={rc} {err}")
    rc, out, err = run("base.json", "slow10.json", "--fail-below", "15")
    check(rc == 0 and not re.search(r"REGRESSION\*?$|summary:.*REGRESSION", out, re.M),
          "--fail-below 15 on a 10% slowdown: exit 0", f"rc={rc} {err}")
    rc, out, err = run("base.json", "fast10.json", "--fail-below", "5")
    check(rc == 0 and "faster" in out, "10% faster with --fail-below 5: 'faster', exit 0", f"rc={rc} {err}")

    rc, doc, err = pairs("base.json", "noisy.json")
    v = verdicts(doc)
    check(rc == 0 and set(v.values()) == {"same"}, "20% noise, same medians: not significant", str(v))
    rc, out, err = run("base.json", "noisy.json", "--fail-below", "5")
    check(rc == 0, "noise is not a regression: --fail-below 5 exits 0", f"rc={rc} {err}")

    rc, doc, err = pairs("base.json", "few.json")
    check(set(verdicts(doc).values()) == {"untested"}, "3 samples: 'untested', never significant")
    rc, out, err = run("base.json", "few.json", "--fail-below", "0")
    check(rc == 0, "untested pairs do not trip --fail-below", f"rc={rc}")


def test_invalid_and_units():
    rc, doc, err = pairs("base.json", "invalid.json")
    inv = [p for p in doc["comparisons"][0]["pairs"] if p["bench"] == "triad"]
    check(rc == 0 and inv and all(p["verdict"] == "invalid" and p["ratio"] is None and p["other"]["best"] is None
                                  for p in inv), "an invalid result: 'invalid', no ratio, exit 0", json.dumps(inv)[:500])
    # A gate must not pass a kernel that broke or vanished.
    rc, doc, err = pairs("base.json", "invalid.json", "--fail-below", "5")
    check(rc == 1 and doc["comparisons"][0]["lost"] == len(inv) and "are invalid or missing" in err,
          "--fail-below: a result valid in BASE and invalid in OTHER fails the gate", f"rc={rc} {err}")
    rc, doc, err = pairs("base.json", "f32only.json")
    only = doc["comparisons"][0]["only_in_base"]
    check(rc == 0 and only and doc["comparisons"][0]["lost"] == 0, "results only in BASE, no gate: exit 0",
          f"rc={rc} {err}")
    rc, doc, err = pairs("base.json", "f32only.json", "--fail-below", "50")
    check(rc == 1 and doc["comparisons"][0]["lost"] == len(only) and "invalid or missing" in err,
          "--fail-below: results valid in BASE and missing in OTHER fail the gate", f"rc={rc} {err}")
    rc, doc, err = pairs("f32only.json", "base.json", "--fail-below", "50")
    check(rc == 0 and doc["comparisons"][0]["only_in_other"], "results only in OTHER do not trip the gate",
          f"rc={rc} {err}")
    rc, out, err = run("base.json", "invalid.json")
    check(re.search(r"\btriad\b.*INVALID", out) is not None, "the table shows INVALID")
    gemm = [p for p in doc["comparisons"][0]["pairs"] if p["bench"] == "gemm"]
    check(gemm and gemm[0]["unit"] == "GFLOP/s" and abs(gemm[0]["base"]["percent_of_peak"] - 33.5) < 0.1,
          "GEMM in GFLOP/s, % of the fp32 peak", json.dumps(gemm)[:400])


def test_environment():
    rc, out, err = run("base.json", "env.json")
    head = out.split("\ndevice ")[0]
    wanted = ["hbmbench version: 0.1.0 (commit fixture) -> 0.2.0", "host: fixture-a -> fixture-b",
              "driver version (device 0): 1.0.0 -> 2.0.1", "OpenCL platform version (device 0)",
              "option iters: 20 -> 50", "option tune: quick -> off", "tuned configuration: differs in",
              "data types measured: f32, f64 -> f32"]
    missing = [w for w in wanted if w not in head]
    check(rc == 0 and not missing, "environment differences listed before the table", f"missing {missing}\n{head}")
    rc, doc, err = pairs("base.json", "env.json")
    whats = [d["what"] for d in doc["comparisons"][0]["environment_differences"]]
    check("driver version (device 0)" in whats, "JSON lists environment differences", str(whats))
    only = doc["comparisons"][0]["only_in_base"]
    check(len(only) == 8 and all(o["dtype"] == "f64" for o in only), "f64 results only in BASE are listed")
    rc, out, err = run("base.json", "same.json")
    check("environment differences (may make the comparison unfair):\n#   none" in out, "no differences: 'none'")
    rc, out, err = run("board-a.json", "board-b.json")
    check(rc == 0 and "board UUID (device 0): GPU-11111111-2222-3333-4444-555555555555 -> "
          "GPU-66666666-7777-8888-9999-000000000000" in out, "another board in the same slot is said", out[:800])
    rc, out, err = run("base.json", "board-b.json")
    check("board UUID" not in out, "a UUID that one file does not know is no difference", out[:800])


def test_matching():
    gemm_dims = "m" in json.load(open(os.path.join(WORK, "base.json")))["results"][-1]
    rc, out, err = run("base.json", "otherslot.json")
    check(rc == 3 and "nothing matched" in err and "try --match name" in err,
          "another PCI slot: nothing matched, exit 3, --match advised", f"rc={rc} {err}")
    rc, doc, err = pairs("base.json", "otherslot.json", "--match", "name")
    check(rc == 0 and len(doc["comparisons"][0]["pairs"]) == 9, "--match name ignores the PCI bus id",
          f"rc={rc} n={len(doc['comparisons'][0]['pairs'])}")
    rc, doc, err = pairs("base.json", "othermachine.json", "--match", "order")
    c = doc["comparisons"][0]
    check(rc == 0 and len(c["pairs"]) == 16 and all(p["verdict"] == "faster" for p in c["pairs"]),
          "--match order pairs different devices and sizes", f"rc={rc} {len(c['pairs'])}")
    whats = " ".join(d["what"] for d in c["environment_differences"])
    check("device name (device 0)" in whats and "array size (16 of 16 pairs" in whats,
          "--match order lists the device and size differences", whats)
    rc, doc, err = pairs("sweep.json", "sweep.json")
    check(len(doc["comparisons"][0]["pairs"]) == 16, "a sweep pairs size by size")
    rc, doc, err = pairs("sweep.json", "base.json", "--match", "order")
    c = doc["comparisons"][0]
    check(len(c["pairs"]) == 4 and all(p["base"]["elements"] == 33554432 for p in c["pairs"]),
          "--match order compares each bench's largest size", json.dumps(c["pairs"])[:300])
    if gemm_dims:
        rc, doc, err = pairs("base.json", "gemm-k512.json")
        c = doc["comparisons"][0]
        check(rc == 0 and len(c["pairs"]) == 16 and [o["k"] for o in c["only_in_base"]] == [1024]
              and [o["k"] for o in c["only_in_other"]] == [512], "GEMM pairs by m, n, k: another k does not match",
              json.dumps(c["only_in_base"]))
    rc, doc, err = pairs("base.json", "slow10.json", "noisy.json")
    check(rc == 0 and len(doc["comparisons"]) == 2, "several OTHER files: one comparison each")


def test_formats():
    rc, out, err = run("base.json", "slow10.json")
    check("bootstrap" in out and "Mann-Whitney" in out and "2000 resamples" in out,
          "the table header states the method")
    rc, out, err = run("base.json", "slow10.json", "--format", "markdown")
    check(rc == 0 and "| device | bench |" in out and "|---|" in out and "Mann-Whitney" in out, "markdown table")
    rc, out, err = run("base.json", "env.json", "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    check(rc == 0 and len(rows) == 1 + 9 + 8 and len({len(r) for r in rows}) == 1 and rows[0][0] == "base_file",
          "CSV: a header and one row per pair or unmatched result, all the same width", out[:300])
    check("driver version" in err, "CSV: environment differences go to stderr")
    rc, out, err = run("base.json", "slow10.json", "--format", "json", "--fail-below", "5")
    doc = json.loads(out)
    check(rc == 1 and doc["method"]["resamples"] == 2000 and doc["method"]["fail_below_percent"] == 5
          and doc["comparisons"][0]["regressions"] == 17, "JSON: method, regressions, exit 1")


def bad(name, text):
    with open(os.path.join(WORK, name), "w", encoding="utf-8") as f:
        f.write(text)
    return name


def position(text, needle):
    """1-based line and column of the first occurrence of needle."""
    i = text.index(needle)
    return text.count("\n", 0, i) + 1, i - (text.rfind("\n", 0, i) + 1) + 1


def test_bad_files():
    good = open(os.path.join(WORK, "base.json"), encoding="utf-8").read()
    doc = json.loads(good)
    cases = []
    cases.append(("malformed", bad("malformed.json", good.replace('"bench": "add"', '"bench": add', 1)), None))
    cases.append(("truncated", bad("truncated.json", good[: len(good) // 2]), None))
    cases.append(("empty", bad("empty.json", ""), (1, 1)))
    wrong = json.loads(good)
    wrong["results"][3]["stats"]["median_s"] = "0.5 ms"
    text = json.dumps(wrong, indent=2)
    cases.append(("wrong type", bad("wrongtype.json", text), position(text, '"0.5 ms"')))
    future = dict(doc, schema_version=3)
    text = json.dumps(future, indent=2)
    cases.append(("future version", bad("future.json", text), position(text, "3,")))
    notours = dict(doc, tool={"name": "fio", "version": "3.33"})
    text = json.dumps(notours, indent=2)
    cases.append(("not an hbmbench result", bad("notours.json", text), position(text, '"fio"')))
    cases.append(("a device list", bad("list.json", json.dumps({"schema_version": 1, "tool": doc["tool"],
                                                                 "devices": []})), (1, 1)))
    # Damaged samples: compare once read these as "untested", so --fail-below
    # passed a file whose bandwidth had halved. Each value gets a unique
    # marker to find its position, then the damage.
    for what, fname, damage in (("a negative sample", "negsample.json", "-0.00027"),
                                ("a zero sample", "zerosample.json", "0"),
                                ("a null sample", "nullsample.json", "null")):
        d = json.loads(good)
        d["results"][2]["samples_s"][7] = 7.7777e-07
        text = json.dumps(d, indent=2)
        pos = position(text, "7.7777e-07")
        cases.append((what, bad(fname, text.replace("7.7777e-07", damage)), pos))
    d = json.loads(good)
    del d["results"][1]["samples_s"]
    text = json.dumps(d, indent=2)
    start = text.index('"results"')
    start = text.index('{\n      "device"', text.index('{\n      "device"', start) + 1)
    cases.append(("missing samples", bad("nosamples.json", text), (text.count("\n", 0, start) + 1,
                                                                   start - (text.rfind("\n", 0, start) + 1) + 1)))
    for what, name, pos in cases:
        for args in ([name, "base.json"], ["base.json", name]):
            rc, out, err = run(*args)
            m = re.search(re.escape(name) + r":(\d+):(\d+): ", err)
            ok = rc == 2 and m is not None and out == ""
            if ok and pos:
                ok = (int(m.group(1)), int(m.group(2))) == pos
            check(ok, f"{what} file as {'BASE' if args[0] == name else 'OTHER'}: exit 2, "
                      f"{name}:LINE:COLUMN{' = %d:%d' % pos if pos else ''}", f"rc={rc} {err}")
    rc, out, err = run("base.json", "missing.json")
    check(rc == 2 and "missing.json: cannot read" in err, "a missing file: exit 2", err)
    # The gate must not fail open: half the bandwidth, with one damaged
    # sample per result, is bad input (2), never a pass (0).
    half = json.load(open(os.path.join(WORK, fixture("half.json", "--host", "--gemm", "--peak", "2000",
                                                     "--dtypes", "f32,f64", "--speed", "0.5"))))
    for r in half["results"]:
        r["samples_s"][0] = -r["samples_s"][0]
    bad("halfdamaged.json", json.dumps(half, indent=2))
    rc, out, err = run("base.json", "halfdamaged.json", "--fail-below", "5")
    check(rc == 2 and re.search(r"halfdamaged.json:\d+:\d+: results\[0\]\.samples_s\[0\]: expected a positive", err),
          "--fail-below on a damaged file with half the bandwidth: exit 2, not a pass", f"rc={rc} {err}")


def test_control_characters():
    """A device name with escape sequences (colour, window title) from a
    file never reaches the terminal raw; JSON keeps it, escaped."""
    evil = "Evil\x1b[31mGPU\x1b]0;pwned\x07\x1b[2J"
    fixture("evil1.json", "--device", evil, "--driver", "1.0\x1b[5m")
    fixture("evil2.json", "--device", evil, "--driver", "2.0\x1b[5m", "--seed", "9")
    for fmt in ("table", "markdown", "csv"):
        rc, out, err = run("evil1.json", "evil2.json", "--format", fmt)
        check(rc == 0 and "\x1b" not in out + err and "\x07" not in out + err and "Evil?GPU" in out,
              f"an ESC in a device name: stripped from --format {fmt}", repr(out[:600] + err[:300]))
    rc, doc, err = pairs("evil1.json", "evil2.json")
    check(doc["comparisons"][0]["pairs"][0]["base"]["device"] == evil and "\x1b" not in err,
          "JSON output keeps the name, escaped by the JSON writer")
    text = open(os.path.join(WORK, "evil1.json"), encoding="utf-8").read()
    bad("evilsyntax.json", text.replace('"bench": "copy"', '"bench": \x1b[31mcopy', 1))
    rc, out, err = run("evil1.json", "evilsyntax.json")
    check(rc == 2 and "evilsyntax.json:" in err and "\x1b" not in err,
          "a parser message quoting an ESC from the file is cleaned", repr(err))


def test_usage():
    for args, pattern in ([[], "needs BASE"], [["base.json"], "needs BASE"],
                          [["base.json", "same.json", "--format", "xml"], "--format: unknown value 'xml'"],
                          [["base.json", "same.json", "--match", "slot"], "--match: unknown value"],
                          [["base.json", "same.json", "--fail-below", "-1"], "--fail-below"],
                          [["base.json", "same.json", "--fail-below", "ten"], "--fail-below"],
                          [["base.json", "same.json", "--fail-below"], "missing value"],
                          [["base.json", "same.json", "--bogus"], "unknown option '--bogus'"]):
        rc, out, err = run(*args)
        check(rc == 2 and pattern in err, f"usage error {args}: exit 2", f"rc={rc} {err}")
    rc, out, err = run("--help")
    check(rc == 0 and "--fail-below" in out and "exit codes" in out, "--help")


def test_real_runs():
    """Two tiny real runs of this build on the first device: readable and matched."""
    small = ["--device", "0", "--size", "1MiB", "--iters", "8", "--tune", "off", "--bench", "copy,triad",
             "--dtype", "f32", "--quiet", "--force"]
    for name in ("real1.json", "real2.json"):
        p = subprocess.run([HB, "run", *small, "--out", os.path.join(WORK, name)], capture_output=True, text=True)
        if p.returncode != 0:
            check(False, f"real run {name}", p.stderr)
            return
    rc, doc, err = pairs("real1.json", "real2.json")
    check(rc == 0 and len(doc["comparisons"][0]["pairs"]) == 2, "two real runs: 2 pairs, exit 0", err)
    test_single_against_repeated(small)
    helptext = subprocess.run([HB, "run", "--help"], capture_output=True, text=True).stdout
    if "gemm" not in helptext:
        print("(this build has no gemm bench: real GEMM comparison not tried)")
        return
    gemm = ["--device", "0", "--bench", "gemm,roofline", "--gemm-sizes", "64,32x64x16", "--size", "64KiB",
            "--dtype", "f32", "--iters", "6", "--tune", "off", "--quiet", "--force"]
    for name in ("gemm1.json", "gemm2.json"):
        p = subprocess.run([HB, "run", *gemm, "--out", os.path.join(WORK, name)], capture_output=True, text=True)
        if p.returncode != 0:
            check(False, f"real GEMM run {name}", p.stderr)
            return
    n = len(json.load(open(os.path.join(WORK, "gemm1.json")))["results"])
    rc, doc, err = pairs("gemm1.json", "gemm2.json")
    c = doc["comparisons"][0]
    keys = {(p["bench"], p["base"]["implementation"], p["base"]["m"], p["base"]["n"], p["base"]["k"])
            for p in c["pairs"]}
    check(rc == 0 and len(c["pairs"]) == n and len(keys) == n and not c["only_in_base"],
          f"two real GEMM/roofline runs: all {n} results pair, each by implementation and m, n, k", err)
    units = {(p["bench"], p["base"]["k"]): p["unit"] for p in c["pairs"]}
    check(units.get(("gemm", 64)) == "GFLOP/s" and units.get(("roofline", 0)) == "GB/s"
          and units.get(("roofline", 1)) == "GFLOP/s", "GEMM in GFLOP/s; the roofline's k = 0 point in GB/s",
          str(units))


def test_reference_results():
    """The committed reference results read with this build, and pair up."""
    refs = sorted(glob.glob(os.path.join(SRC, "results", "*.json")))
    refs = [r for r in refs if os.path.basename(r) != "schema.json"]
    if len(refs) < 2:
        check(False, "results/ holds reference results", str(refs))
        return
    p = subprocess.run([PY, os.path.join(SRC, "tests", "validate_schema.py"), *refs], capture_output=True, text=True)
    check(p.returncode == 0, f"{len(refs)} reference results validate", p.stdout)
    for r in refs:
        rc, out, err = run(r, r)
        check(rc == 0 and "same" in out, f"compare {os.path.basename(r)} with itself: exit 0", err)


def test_single_against_repeated(small):
    """A single run against `run --repeat 3` whose third repetition is 10x
    slower: each repetition is compared with the single result, so the gate
    fails (it compared repetition 1 only and passed)."""
    p = subprocess.run([HB, "run", *small, "--repeat", "3", "--out", os.path.join(WORK, "rep3.json")],
                       capture_output=True, text=True)
    if p.returncode != 0:
        check(False, "real run --repeat 3", p.stderr)
        return
    doc = json.load(open(os.path.join(WORK, "rep3.json")))
    for r in doc["results"]:
        if r.get("repetition") == 3:
            r["samples_s"] = [t * 10 for t in r["samples_s"]]
    json.dump(doc, open(os.path.join(WORK, "rep3slow.json"), "w"))
    rc, out, err = run("real1.json", "rep3slow.json", "--fail-below", "50")
    _, doc, _ = pairs("real1.json", "rep3slow.json")
    c = doc["comparisons"][0]
    check(rc == 1 and len(c["pairs"]) == 6 and not c["only_in_other"]
          and "2 pair(s) significantly slower than real1.json by more than 50%" in err,
          "a single run against 3 repetitions: 6 pairs, the 10x slower third repetition fails the gate (exit 1)",
          f"rc={rc} pairs={len(c['pairs'])} {err}")


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    make_fixtures()
    test_statistics()
    test_invalid_and_units()
    test_environment()
    test_matching()
    test_formats()
    test_bad_files()
    test_control_characters()
    test_usage()
    test_real_runs()
    test_reference_results()
    print(f"{failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
