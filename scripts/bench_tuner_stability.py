#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""How stable hbmbench's tuner is (issue 8, goal 3). A benchmark, not a test: it asserts nothing.

Runs `hbmbench run --retune` N times (default 5), each searching its tuning grid from scratch, and
prints for every (device, bench, dtype):
  - the configuration that won most often, and in how many runs a run "agrees" with it: its own
    winner is that configuration, or that configuration's figure in the run's grid is within 3% of
    the run's winner (the two are then the same within the tuner's resolution);
  - the largest gap between the final best figure and the winner's tuning figure (the re-measured
    `confirm_gbs`, else the grid's best), and whether every run over 10% carries the discrepancy note.
The tuning cache is rewritten by every run (that is what --retune does); PoCL's kernel cache is left
alone, so only the first run may pay compilation.

usage: bench_tuner_stability.py [--hbmbench PATH] [--runs N] [--keep DIR] [-- HBMBENCH-RUN-ARGS...]
       e.g. bench_tuner_stability.py --runs 5 -- --device 0 --dtype f64
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile

NEAR = 0.03   # "within 3% of it in the grid"
GAP = 0.10    # a final figure this far from its tuning figure must carry a note
IGNORED = {"tuning", "tuned_at"}  # how a configuration was found, not what it is


def key(cfg):
    return tuple(sorted((k, v) for k, v in cfg.items() if k not in IGNORED))


def text(k):
    return " ".join(f"{a}={b}" for a, b in k)


def figure(point):
    conf = point.get("confirm_gbs")
    return conf if conf is not None else point.get("best_gbs")


def runs(args):
    here = os.path.dirname(os.path.abspath(__file__))
    exe = args.hbmbench or os.path.join(here, "..", "build", "hbmbench")
    out_dir = args.keep or tempfile.mkdtemp(prefix="hb-tuner-")
    os.makedirs(out_dir, exist_ok=True)
    docs = []
    for i in range(args.runs):
        out = os.path.join(out_dir, f"run{i + 1}.json")
        cmd = [exe, "run", "--retune", "--quiet", "--force", "--out", out] + args.rest
        print(f"# run {i + 1}/{args.runs}: {' '.join(cmd)}", file=sys.stderr)
        rc = subprocess.run(cmd).returncode
        if rc not in (0, 1):
            sys.exit(f"bench_tuner_stability: hbmbench exited {rc}")
        with open(out) as f:
            docs.append(json.load(f))
    return docs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--hbmbench")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--keep", help="keep the result files in DIR")
    ap.add_argument("rest", nargs="*", help="arguments for `hbmbench run` (after --)")
    args = ap.parse_args()
    if args.runs < 2:
        sys.exit("bench_tuner_stability: --runs must be at least 2")
    docs = runs(args)

    per = collections.defaultdict(list)  # (device, bench, dtype) -> [result per run]
    for doc in docs:
        for r in doc["results"]:
            if r.get("family") in ("stream", "host-stream") and r.get("grid"):
                per[(r["device"], r["bench"], r["dtype"])].append(r)

    print(f"| device | bench | dtype | most frequent winner | wins | agree (within {NEAR:.0%}) |"
          f" largest final/tuning gap | noted when > {GAP:.0%} |")
    print("|---|---|---|---|---|---|---|---|")
    for (dev, bench, dtype), rs in sorted(per.items()):
        winners = collections.Counter(key(r["config"]) for r in rs)
        top, wins = winners.most_common(1)[0]
        agree = 0
        worst, noted_all = 0.0, True
        for r in rs:
            won = key(r["config"])
            grid = {key(p["config"]): figure(p) for p in r["grid"] if figure(p)}
            best = grid.get(won)
            mine = grid.get(top)
            agree += won == top or (best and mine and mine >= (1 - NEAR) * best)
            final = r["bandwidth_gbs"]["best"] if r.get("bandwidth_gbs") else None
            if best and final:
                gap = final / best - 1
                worst = gap if abs(gap) > abs(worst) else worst
                if abs(gap) > GAP and "tuning figure" not in r.get("notes", ""):
                    noted_all = False
        print(f"| {dev} | {bench} | {dtype} | {text(top)} | {wins}/{len(rs)} | {agree}/{len(rs)} |"
              f" {worst:+.0%} | {'yes' if noted_all else 'NO'} |")


if __name__ == "__main__":
    main()
