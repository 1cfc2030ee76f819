#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Files of schema_version 1 stay readable (results/README.md, "Versions"):
`compare` and `check` read every committed reference file in results/ that
is of version 1 and give each result the figure that version implied --
GFLOP/s from `gflops` for gemm and roofline results that do arithmetic, else
GB/s from `bandwidth_gbs` -- with its peak, without guessing anything else.

usage: legacy_results.py HBMBENCH RESULTS_DIR WORKDIR
"""
import json
import math
import pathlib
import subprocess
import sys


def fail(msg):
    print(f"FAIL {msg}")
    sys.exit(1)


def expected_figure(r):
    """The figure a version-1 result implies (results/README.md, "Versions")."""
    flops = r.get("family") in ("gemm", "roofline") and (r.get("flops_per_iter") or 0) > 0
    pair = r.get("gflops" if flops else "bandwidth_gbs") or {}
    return ("GFLOP/s" if flops else "GB/s"), pair.get("best"), pair.get("median")


def same(a, b):
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9)


def check_compare(hb, path, doc):
    out = subprocess.run([hb, "compare", str(path), str(path), "--format", "json"], capture_output=True, text=True)
    if out.returncode != 0:
        fail(f"compare {path.name} with itself: exit {out.returncode}: {out.stderr.strip()}")
    pairs = json.loads(out.stdout)["comparisons"][0]["pairs"]
    results = doc["results"]
    if len(pairs) != len(results):
        fail(f"compare {path.name}: {len(pairs)} pairs for {len(results)} results")
    for p in pairs:
        r = next((r for r in results if r["bench"] == p["bench"] and r["dtype"] == p["dtype"]
                  and r["device"] == p["base"]["device"] and r["device_index"] == p["base"]["device_index"]
                  and (r.get("model") or "") in ("", p["base"]["model"]) and r["family"] != OTHER_MODEL[p["base"]["model"]]
                  and r["elements"] == p["base"]["elements"] and r.get("k") == p["base"].get("k")
                  and r.get("m") == p["base"].get("m") and r.get("n") == p["base"].get("n")
                  and (r.get("implementation") or "hbmbench") == p["base"]["implementation"]), None)
        if r is None:
            fail(f"compare {path.name}: a pair with no result: {p['bench']} {p['dtype']}")
        unit, best, median = expected_figure(r)
        if p["unit"] != unit or p["better"] != "higher":
            fail(f"compare {path.name}: {p['bench']} {p['dtype']}: unit {p['unit']} ({p['better']}), want {unit}")
        if r["valid"] and not (same(p["base"]["best"], best) and same(p["base"]["median"], median)):
            fail(f"compare {path.name}: {p['bench']}: best/median {p['base']['best']}/{p['base']['median']}, "
                 f"want {best}/{median}")
        if r["valid"] and p["base"]["n_samples"] >= 5 and not same(p["ratio"], 1.0):
            fail(f"compare {path.name}: a file against itself gave ratio {p['ratio']}")
    return len(pairs)


# a version-1 file without models: the host-stream family was the host model
OTHER_MODEL = {"host": "stream", "opencl": "host-stream", "cuda": "host-stream"}

RULES = {"rules": [
    {"id": "flops", "description": "GFLOP/s figures", "select": {"bench": ["gemm", "roofline"], "sizes": "all"},
     "metric": "figure_best", "unit": "GFLOP/s", "comparison": ">", "threshold": 0},
    {"id": "bandwidth", "description": "GB/s figures", "select": {"sizes": "all"},
     "metric": "figure_best", "unit": "GB/s", "comparison": ">", "threshold": 0},
    {"id": "percent", "description": "of the figure's own peak", "select": {"sizes": "all"},
     "metric": "percent_of_peak", "comparison": "<=", "threshold": 100000},
]}


def check_check(hb, path, doc, rules_path):
    out = subprocess.run([hb, "check", str(path), "--rules", str(rules_path), "--format", "json"],
                         capture_output=True, text=True)
    if out.returncode not in (0, 1):
        fail(f"check {path.name}: exit {out.returncode}: {out.stderr.strip()}")
    results = doc["results"]
    judged = 0
    verdicts = json.loads(out.stdout)
    described = {d["result_index"]: d for d in verdicts["results"]}  # check_version 3: each result once
    for v in verdicts["verdicts"]:
        for it in v["results"]:
            r = results[it["result_index"]]
            unit, best, _ = expected_figure(r)
            figure = described[it["result_index"]]["figure"]
            if figure["unit"] != unit:
                fail(f"check {path.name}: {it['label']}: figure in {figure['unit']}, want {unit}")
            if v["rule"] in ("flops", "bandwidth") and figure["unit"] == RULE_UNIT[v["rule"]]:
                if r["valid"] and not same(it["value"], best):
                    fail(f"check {path.name}: {it['label']}: figure_best {it['value']}, want {best}")
                judged += 1
            elif v["rule"] in ("flops", "bandwidth") and it["verdict"] != "skip":
                fail(f"check {path.name}: {it['label']}: a {unit} figure judged by a rule in {RULE_UNIT[v['rule']]}")
            # the file's percent where its basis is the figure's (a k = 0 roofline
            # point said 0% of the FLOP/s peak; its figure is now its bandwidth)
            basis_unit = "GFLOP/s" if r.get("percent_of_peak_basis") in ("fp32", "fp64") else "GB/s"
            if v["rule"] == "percent" and r["valid"] and r.get("percent_of_peak") is not None \
                    and basis_unit == unit \
                    and not same(it["value"], r["percent_of_peak"]):
                fail(f"check {path.name}: {it['label']}: {it['value']}% of peak, the file says "
                     f"{r['percent_of_peak']}%")
    return judged


RULE_UNIT = {"flops": "GFLOP/s", "bandwidth": "GB/s"}


def main():
    hb, results_dir, work = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
    work.mkdir(parents=True, exist_ok=True)
    rules_path = work / "legacy_rules.json"
    rules_path.write_text(json.dumps(RULES))
    files = 0
    for path in sorted(results_dir.glob("*.json")):
        if path.name == "schema.json":
            continue
        doc = json.loads(path.read_text())
        if doc.get("schema_version") != 1:
            continue
        n = check_compare(hb, path, doc)
        m = check_check(hb, path, doc, rules_path)
        print(f"PASS {path.name}: {n} pairs compared, {m} figures checked")
        files += 1
    if files == 0:
        fail(f"no schema_version 1 file in {results_dir}")


main()
