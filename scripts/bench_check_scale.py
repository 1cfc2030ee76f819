#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Measured, not asserted: how `hbmbench check` scales (issue 18, goal 3).

usage: scripts/bench_check_scale.py [HBMBENCH] [--ranks 125,250,500,1000]
                                    [--rules 100000] [--rounds 3] [--dir DIR]

Generates, with tests/make_fixture.py:
  - gathered MPI result files of N ranks (8 ranks per node, one H100 each,
    copy/scale/add/triad in f32 and f64 at 256 MiB per array; 3% of the
    ranks 20% slow, so the check has failures to find), and
  - a rules file of R rules (bandwidth, percent-of-peak, cv and figure
    rules over the stream benches, each with its own id), judged against a
    one-GPU file;
then times `hbmbench check FILE` (the table) and `hbmbench check FILE
--format json` (the verdict document, which holds every verdict) on each,
the median of ROUNDS runs, and prints the wall seconds and the CPU seconds
(user + system, which a loaded machine inflates less), the number of
verdicts and the table's line count (its summary must fit on a screen).
Needs /usr/bin/python3 (Debian's).
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))
import make_fixture  # noqa: E402  (tests/make_fixture.py)

H100 = ["--device", "NVIDIA H100 80GB HBM3", "--dtypes", "f32,f64", "--global-cache", "52428800",
        "--sizes", "67108864", "--peak", "3350", "--bandwidth", "3000", "--schema-version", "2"]


def one_gpu(speed, seed):
    return make_fixture.document(make_fixture.parse_args(["x.json", *H100, "--speed", str(speed),
                                                          "--seed", str(seed)]))


def gathered_file(path, ranks):
    base = [one_gpu(1.0 + 0.01 * (i % 3 - 1), i + 1) for i in range(3)]
    slow = one_gpu(0.8, 9)
    parts = []
    for rank in range(ranks):
        doc = slow if rank % 33 == 7 else base[rank % 3]
        doc["devices"][0]["index"] = 0
        local = json.loads(json.dumps(doc))
        local["devices"][0]["index"] = rank % 8
        for r in local["results"]:
            r["device_index"] = rank % 8
        parts.append((f"node{rank // 8:04d}", rank, local))
    with open(path, "w", encoding="utf-8") as f:
        json.dump(make_fixture.gathered(parts), f)


def rules_file(path, n):
    benches = ["copy", "scale", "add", "triad"]
    kinds = [
        {"metric": "bandwidth_median", "comparison": ">=", "threshold": 1000},
        {"metric": "percent_of_peak", "of": "median", "comparison": ">=", "threshold": 50},
        {"metric": "cv", "comparison": "<=", "threshold": 0.05},
        {"metric": "figure_best", "unit": "GB/s", "comparison": "<=", "threshold": 4000},
    ]
    rules = []
    for i in range(n):
        r = {"id": f"rule-{i:06d}", "description": f"synthetic rule {i}",
             "select": {"bench": benches[i % 4], "dtype": ["f32", "f64"][i // 4 % 2]}}
        r.update(kinds[i // 8 % 4])
        rules.append(r)
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"about": f"{n} synthetic rules (scripts/bench_check_scale.py)", "rules": rules}, f)


def cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed(hb, args, rounds):
    """Median wall and CPU seconds of `hbmbench check ARGS`, its stdout and exit code."""
    secs, cpus, out, rc = [], [], "", 0
    for _ in range(rounds):
        t, c = time.monotonic(), cpu()
        p = subprocess.run([hb, "check", *args], capture_output=True, text=True)
        secs.append(time.monotonic() - t)
        cpus.append(cpu() - c)
        out, rc = p.stdout, p.returncode
        if rc not in (0, 1):
            sys.exit(f"hbmbench check {' '.join(args)}: exit {rc}\n{p.stderr}")
    return statistics.median(secs), statistics.median(cpus), out, rc


def row(name, size, hb, args, rounds):
    t_secs, t_cpu, table, rc = timed(hb, args, rounds)
    j_secs, j_cpu, doc, _ = timed(hb, [*args, "--format", "json"], rounds)
    verdicts = len(json.loads(doc)["verdicts"])
    print(f"{name:24} {size / 1e6:6.1f} {t_secs:8.2f} {t_cpu:8.2f} {j_secs:8.2f} {j_cpu:8.2f} {verdicts:9d} "
          f"{len(table.splitlines()):6d} {rc:5d}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("hbmbench", nargs="?", default=os.path.join(HERE, "..", "build", "hbmbench"))
    ap.add_argument("--ranks", default="125,250,500,1000")
    ap.add_argument("--rules", type=int, default=100000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--dir", default=None)
    a = ap.parse_args()
    work = a.dir or tempfile.mkdtemp(prefix="hb-check-scale-")
    os.makedirs(work, exist_ok=True)
    print(f"# hbmbench check at scale: {a.hbmbench}, median of {a.rounds} runs, files in {work}")
    print(f"{'':24} {'':6} {'table':>17} {'json':>17}")
    print(f"{'input':24} {'MB':>6} {'wall s':>8} {'cpu s':>8} {'wall s':>8} {'cpu s':>8} {'verdicts':>9} "
          f"{'lines':>6} {'exit':>5}")
    for n in (int(x) for x in a.ranks.split(",")):
        path = os.path.join(work, f"gathered-{n}.json")
        gathered_file(path, n)
        row(f"{n} ranks", os.path.getsize(path), a.hbmbench, [path], a.rounds)
    one = os.path.join(work, "one-gpu.json")
    with open(one, "w", encoding="utf-8") as f:
        json.dump(one_gpu(1.0, 1), f)
    rules = os.path.join(work, f"rules-{a.rules}.json")
    rules_file(rules, a.rules)
    row(f"{a.rules} rules, 1 GPU", os.path.getsize(rules), a.hbmbench, [one, "--rules", rules], a.rounds)


if __name__ == "__main__":
    main()
