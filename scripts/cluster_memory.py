#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Peak memory of writing an MPI run's gathered file, against the ranks'
total report text (docs/cluster.md, "Rank 0's memory").

Makes RANKS partial files (OUT.rank-R.json) from one result file of a plain
`hbmbench run` (each rank's report: its cluster.ranks entry, the document,
run_id and job, as ranks write them), then runs `hbmbench merge` on them:
the same writer rank 0 uses at the end of a run (runner/cluster/cluster_write.c).
Prints the total report text, merge's peak resident memory (getrusage
RUSAGE_CHILDREN ru_maxrss, Linux: KiB; the same figure as VmHWM) and the
ratio; with --max-ratio R exits 1 when the ratio is above R.

usage: cluster_memory.py HBMBENCH RESULT.json RANKS DIR [--max-ratio R]
RESULT.json "-": a tiny run on the default device makes one (DIR/plain.json).
"""
import json
import os
import subprocess
import sys


def main():
    hb, result, ranks, folder = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    max_ratio = float(sys.argv[6]) if len(sys.argv) > 6 and sys.argv[5] == "--max-ratio" else None
    os.makedirs(folder, exist_ok=True)
    if result == "-":
        result = os.path.join(folder, "plain.json")
        subprocess.run([hb, "run", "--size", "64KiB", "--iters", "3", "--tune=off", "--quiet", "--force", "--out",
                        result], check=True)
    doc = json.load(open(result))
    out = os.path.join(folder, "gathered.json")
    total = 0
    for r in range(ranks):
        rep = {"rank": r, "node": f"node{r // 8:04d}", "local_rank": r % 8, "local_size": 8, "status": "ok",
               "exit_code": 0, "message": "", "device_index": 0, "device": doc["devices"][0]["name"],
               "device_shared_by": 1, "cpuset": None, "wall_s": 1.0, "test_injection": "", "doc": doc,
               "run_id": "memory-test", "job": {"launcher": "open-mpi", "size": ranks, "command_line": "hbmbench run",
                                                "out": out, "rank_timeout_s": 600, "rank_timeout_factor": 1,
                                                "outlier_fraction": 0.9, "outlier_cv": 3, "pin": "device"}}
        text = json.dumps(rep, separators=(",", ":"))
        total += len(text)
        with open(os.path.join(folder, f"gathered.rank-{r}.json"), "w", encoding="utf-8") as f:
            f.write(text)
    # merge's own peak: measured in a process of its own, so the run above does not count
    probe = ("import resource, subprocess, sys; rc = subprocess.run(sys.argv[1:]).returncode; "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, rc)")
    got = subprocess.run([sys.executable, "-c", probe, hb, "merge", "--quiet", "--force", "--out", out] +
                         [os.path.join(folder, f"gathered.rank-{r}.json") for r in range(ranks)],
                         capture_output=True, text=True, check=True).stdout.split()
    peak, rc = int(got[0]) * 1024, int(got[1])
    ratio = peak / total
    print(f"{ranks} ranks, {len(doc['results'])} results each: reports {total / 2**20:.1f} MiB in all, "
          f"gathered file {os.path.getsize(out) / 2**20:.1f} MiB; merge's peak RSS {peak / 2**20:.1f} MiB "
          f"= {ratio:.2f} x the reports (merge exit {rc})")
    if rc not in (0, 1):
        sys.exit(2)
    sys.exit(1 if max_ratio is not None and ratio > max_ratio else 0)


main()
