#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Where the wall time of hbmbench results went: for each result of one or
more result files, the share of its measurement spent in timed kernels,
in the batches around them (warm-ups, launches, waits), in builds (compiling
and preparing configurations, poisoning outputs), in verification and in
set-up (allocation, start values, reference sums), and the share of the
whole spent tuning (its kernels, builds and checks are also counted in the
other columns). The figures come from each result's "time_split"
(results/README.md); results from before it are listed as such.

usage: scripts/time_split.py [--wall SECONDS] RESULT.json...
  --wall S   the run's own wall time (as `time` measured it); adds the share
             of it that no result accounts for (discovery, compiling before
             the first result, writing the file)
"""
import argparse
import json
import sys



def shares(t):
    total = t["total_s"]
    row = {"kernels": t["kernels_s"], "batch overhead": t["batches_s"] - t["kernels_s"], "builds": t["builds_s"],
           "verify": t["verify_s"], "setup": t["setup_s"]}
    row["other"] = total - sum(row.values())
    row["tuning"] = t["tuning_s"]
    return {k: 100.0 * v / total if total > 0 else float("nan") for k, v in row.items()}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--wall", type=float, help="the run's own wall time, s")
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    cols = ["kernels", "batch overhead", "builds", "verify", "setup", "other", "tuning"]
    print("%-34s %8s " % ("result", "total s") + " ".join("%8s" % c[:8] for c in cols))
    print("%-34s %8s " % ("", "") + " ".join("%8s" % "%" for c in cols))
    accounted = 0.0
    for path in a.files:
        try:
            with open(path) as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            sys.exit("time_split: %s: %s" % (path, e))
        for r in doc.get("results", []):
            label = "%s %s %s %s" % (r.get("model", "?"), r["bench"], r["dtype"], r.get("device_index", ""))
            t = r.get("time_split")
            if not t:
                print("%-34s (no time_split: a file from before it)" % label[:34])
                continue
            accounted += t["total_s"]
            s = shares(t)
            print("%-34s %8.2f " % (label[:34], t["total_s"]) + " ".join("%8.1f" % s[c] for c in cols))
    if a.wall:
        print("results account for %.2f s of %.2f s wall (%.0f%%); the rest is discovery, compiling before the "
              "first result and writing" % (accounted, a.wall, 100 * accounted / a.wall))
    print("kernels: timed iterations by the result's timer; batch overhead: warm-ups, launches and waits around "
          "them; tuning: the search and confirmation, overlapping the other columns")


if __name__ == "__main__":
    main()
