#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Checks the result files of a run that exercises every kernel variant
(tests/oclgrind_run.sh): every (bench, dtype) asked for has results, every
result and every configuration the tuner tried ran and verified (a
configuration that was skipped or stopped by the time box counts as a
failure: it was not exercised), the device has the expected type, and the
tuning grid covered the variants named by the options.

Usage: oclgrind_check.py --benches LIST --dtypes LIST [options] RUN.json...
  --type T              the device's type (CPU or GPU): which grid ran
  --stream-variants     every stream kernel ran in every pattern (grid,
                        block; grid only with --type GPU) x vector width
                        (1-16) x store (plain, non-temporal; reductions
                        have no store kinds)
  --wg LIST             every stream kernel ran with these work-group sizes
  --gemm-algos LIST     the gemm configurations include these algorithms
  --gemm-nt             ... and a non-temporal one
  --roofline LIST       the roofline ran in these patterns (grid, block)
The files' union is checked (oclgrind_run.sh --uninitialized writes one per
bench). Prints PASS/FAIL lines; exits 1 on any FAIL.
"""
import argparse
import json
import sys

STREAM = {"copy", "scale", "add", "triad", "dot", "read", "write"}
REDUCTIONS = {"dot", "read"}
PATTERNS, VECS, STORES = ("grid", "block"), (1, 2, 4, 8, 16), ("plain", "nontemporal")

failures = 0


def check(cond, what):
    global failures
    print(("PASS " if cond else "FAIL ") + what)
    failures += not cond


def cfg_text(cfg):
    return " ".join(f"{k}={v}" for k, v in cfg.items())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--benches", required=True)
    ap.add_argument("--dtypes", required=True)
    ap.add_argument("--type")
    ap.add_argument("--stream-variants", action="store_true")
    ap.add_argument("--wg", default="")
    ap.add_argument("--gemm-algos", default="")
    ap.add_argument("--gemm-nt", action="store_true")
    ap.add_argument("--roofline", default="")
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()

    runs = [json.load(open(f)) for f in a.files]
    results = [r for run in runs for r in run["results"]]
    devices = {d["index"]: d for run in runs for d in run["devices"]}
    if a.type:
        used = {devices[r["device_index"]]["type"] for r in results}
        check(used == {a.type}, f"device type {a.type} (the {a.type} tuning grid): {sorted(used)}")

    # Every (bench, dtype) asked for ran; an f64 the device lacks would be
    # skipped by the runner, and the test devices all have fp64.
    benches = [b for b in a.benches.split(",") if b]
    got = {(r["bench"], r["dtype"]) for r in results}
    for b in benches:
        for t in a.dtypes.split(","):
            check((b, t) in got, f"{b} {t}: results")

    bad = []
    for r in results:
        label = f"{r['bench']} {r['dtype']}"
        if r["family"] == "gemm":
            label = f"gemm {r['dtype']} {r['m']}x{r['n']}x{r['k']}"
        elif r["family"] == "roofline":
            label = f"roofline {r['dtype']} k={r['k']}"
        if not r["valid"]:
            bad.append(f"{label}: result invalid: {r['notes']}")
        if "tuning stopped" in r["notes"]:
            bad.append(f"{label}: {r['notes']}")
        for p in r.get("grid") or []:
            if not p["valid"] or p["note"]:
                bad.append(f"{label} [{cfg_text(p['config'])}]: {p['note'] or 'invalid'}")
    check(not bad, f"{len(results)} results and every configuration tried ran and verified")
    for line in bad[:30]:
        print("  | " + line)

    def points(family=None, bench=None):
        for r in results:
            if (family and r["family"] != family) or (bench and r["bench"] != bench):
                continue
            for p in (r.get("grid") or []) + [{"config": r["config"]}]:
                yield r, p["config"]

    for b in sorted(STREAM & set(benches)):
        cfgs = [c for _, c in points(bench=b)]
        if a.stream_variants:
            # GPU grids hold only the coalesced pattern (opencl_stream_configs.c)
            patterns = ("grid",) if a.type == "GPU" else PATTERNS
            want = {(p, v, s) for p in patterns for v in VECS for s in STORES}
            have = {(c["pattern"], c["vec"], c["store"]) for c in cfgs}
            if b in REDUCTIONS:
                want = {(p, v) for p, v, _ in want}
                have = {(p, v) for p, v, _ in have}
            missing = sorted(want - have)
            check(not missing, f"{b}: every pattern x vector width{'' if b in REDUCTIONS else ' x store'} "
                  f"({len(want)}){': missing ' + str(missing) if missing else ''}")
        if a.wg:
            want = {int(w) for w in a.wg.split(",")}
            have = {c["wg"] for c in cfgs}
            check(want <= have, f"{b}: work-group sizes {sorted(want)} among {sorted(have)}")

    if a.gemm_algos or a.gemm_nt:
        cfgs = [c for _, c in points(family="gemm")]
        have = {c.get("algo") for c in cfgs}
        want = {x for x in a.gemm_algos.split(",") if x}
        check(want <= have, f"gemm: algorithms {sorted(want)} among {sorted(have)}")
        if a.gemm_nt:
            check(any(c.get("store") == "nontemporal" for c in cfgs), "gemm: a non-temporal configuration")
    if a.roofline:
        have = {c["pattern"] for _, c in points(family="roofline")}
        want = set(a.roofline.split(","))
        check(want <= have, f"roofline: patterns {sorted(want)} among {sorted(have)}")

    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
