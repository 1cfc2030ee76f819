#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# MPI runs end to end (runner/cluster/, docs/cluster.md): three ranks under
# Open MPI's mpirun on PoCL, each on the CPU device or the host baseline,
# with sizes small enough for three ranks on two cores.
#   gather  --device all: every rank's results in one file that validates;
#           devices dealt by local rank (0 and 2: PoCL, 1: host); a plain run
#           of the same binary stays a plain file
#   slow    HB_TEST_SLOW_RANK=1: every result of rank 1 is flagged slow, no
#           result of another rank is
#   fail    HB_TEST_FAIL_RANK=2: ranks 0 and 1 are written, rank 2 "failed"
#   hang    HB_TEST_FAIL_RANK=2 HB_TEST_FAIL_MODE=hang, --rank-timeout 3:
#           rank 2 hangs after its run, before it reports; rank 0 stops
#           waiting, writes, and rank 2 is "timeout" with the results of its
#           partial file
# usage: cluster_mpi.sh CASE HBMBENCH PYTHON VALIDATE_SCHEMA_PY [MPIRUN]
# Exits 77 (skipped) without Open MPI's mpirun (its options are used).
set -eu
case=$1 hb=$2 py=$3 validate=$4 mpirun=${5:-}
. "$(dirname "$0")/open_mpi.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# --tune=off, not "--tune off": Open MPI 4's mpirun takes "--tune FILE" for
# itself anywhere on its command line (docs/cluster.md).
tiny=(--size 64KiB --iters 3 --tune=off)
extra=()
case $case in
    gather) extra=(--device all) ;;
    slow) export HB_TEST_SLOW_RANK=1 ;;
    fail) export HB_TEST_FAIL_RANK=2 ;;
    hang) export HB_TEST_FAIL_RANK=2 HB_TEST_FAIL_MODE=hang; extra=(--rank-timeout 3 --rank-timeout-factor 0) ;;
    *) echo "unknown case $case"; exit 2 ;;
esac
start=$(date +%s%N)
rc=0
"$mpirun" --oversubscribe --bind-to none -n 3 "$hb" run "${tiny[@]}" "${extra[@]}" --out "$tmp/run.json" \
    >"$tmp/out.txt" 2>"$tmp/err.txt" || rc=$?
wall=$(( ($(date +%s%N) - start) / 1000000 ))
echo "mpirun -n 3 ($case): exit $rc in $wall ms"
if [ ! -f "$tmp/run.json" ]; then
    echo "FAIL no result file"; cat "$tmp/out.txt" "$tmp/err.txt"; exit 1
fi
"$py" "$validate" "$tmp/run.json" || { cat "$tmp/err.txt"; exit 1; }
if [ "$case" = gather ]; then
    "$hb" run "${tiny[@]}" --out "$tmp/plain.json" --quiet
fi
"$py" - "$case" "$rc" "$wall" "$tmp" <<'PY' || { echo "--- stdout"; cat "$tmp/out.txt"; echo "--- stderr"; cat "$tmp/err.txt"; exit 1; }
import json, os, socket, sys
case, rc, wall, tmp = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]) / 1000, sys.argv[4]
doc = json.load(open(f"{tmp}/run.json"))
failures = 0
def check(cond, what):
    global failures
    print(("PASS " if cond else "FAIL ") + what)
    failures += not cond
c = doc["cluster"]
ranks = c["ranks"]
by_rank = {r: [x for x in doc["results"] if x["rank"] == r] for r in range(3)}
check(c["size"] == 3 and [r["rank"] for r in ranks] == [0, 1, 2], "cluster: 3 ranks, each listed")
check(c["gathered_by"] == "run", "gathered by rank 0 at the end of the run")
partials = sorted(f for f in os.listdir(tmp) if ".rank-" in f)
check(partials == ([] if case in ("gather", "slow", "fail") else ["run.rank-0.json", "run.rank-1.json", "run.rank-2.json"]),
      f"partial files removed once every rank is in the file, kept otherwise ({partials})")
check(all(x["node"] == socket.gethostname() for x in doc["results"]), "every result names its node")
check(all("outlier" in x for x in doc["results"]), "every result says whether it is an outlier")
kernels = {(b, t) for b in ("copy", "scale", "add", "triad", "dot", "read", "write") for t in ("f32", "f64")}
if case == "gather":
    check(rc == 0, "exit 0")
    check(all(r["status"] == "ok" and r["exit_code"] == 0 for r in ranks), "every rank ok")
    for r in range(3):
        check({(x["bench"], x["dtype"]) for x in by_rank[r]} == kernels, f"rank {r}: every kernel and dtype")
        check(ranks[r]["results"] == 14 and ranks[r]["local_rank"] == r, f"rank {r}: 14 results, local rank {r}")
    check([r["device"] for r in ranks][1] == "host" and ranks[0]["device"] == ranks[2]["device"] != "host",
          "devices dealt by local rank: PoCL, host, PoCL")
    check(all(x["device"] == ranks[x["rank"]]["device"] for x in doc["results"]), "each result on its rank's device")
    check(len(doc["devices"]) == 3 and sorted(d["rank"] for d in doc["devices"]) == [0, 1, 2],
          "devices: one per rank, marked")
    check("--device all" in doc["config"]["command_line"] and "--out" in doc["config"]["command_line"]
          and "--quiet" not in doc["config"]["command_line"], "the command line as typed")
    check(any(a["device"] == "host" and a["ranks"] == 1 for a in c["aggregates"])
          and any(a["device"] != "host" and a["ranks"] == 2 for a in c["aggregates"]), "aggregates per device name")
    plain = json.load(open(f"{tmp}/plain.json"))
    check("cluster" not in plain and all("rank" not in x for x in plain["results"]),
          "a plain run of the MPI build writes a plain file")
elif case == "slow":
    check(rc == 0, "exit 0")
    check(ranks[1]["test_injection"].startswith("HB_TEST_SLOW_RANK"), "rank 1 says it was slowed")
    slow = [o for o in c["outliers"] if o["kind"] == "slow"]
    check(all("slow" in x["outlier"] for x in by_rank[1]) and len(by_rank[1]) == 14, "every result of rank 1 is slow")
    check(not any("slow" in x["outlier"] for r in (0, 2) for x in by_rank[r]), "no result of rank 0 or 2 is slow")
    check(len(slow) == 14 and c["outliers"][0]["kind"] == "slow" and all(o["rank"] == 1 for o in slow),
          "cluster.outliers: the 14 slow ones, first")
    check(all(o["ratio"] < 0.5 for o in slow), "slow by more than half (1 ms added to ~10 us iterations)")
elif case in ("fail", "hang"):
    check(rc != 0, f"non-zero exit ({rc})")
    if case == "fail":
        check(ranks[2]["status"] == "failed" and ranks[2]["results"] == 0 and ranks[2]["kept"] == "none",
              "rank 2 is 'failed', with no results")
        check("on purpose" in ranks[2]["message"], "rank 2's message says why")
    else:
        check(ranks[2]["status"] == "timeout" and ranks[2]["kept"] == "complete" and len(by_rank[2]) == 14,
              "rank 2 is 'timeout', its 14 results taken from its partial file")
        check("within the time box" in ranks[2]["message"] and "partial file" in ranks[2]["message"],
              "rank 2's message says why")
        check(ranks[2]["node"] == socket.gethostname(), "the silent rank's node is known")
        check(wall < 60, f"the time box ended the wait ({wall:.1f} s)")
    check(ranks[2]["test_injection"].startswith("HB_TEST_FAIL_RANK"), "rank 2 says it was made to fail")
    check(all(ranks[r]["status"] == "ok" and ranks[r]["kept"] == "complete" and len(by_rank[r]) == 14
              for r in (0, 1)), "ranks 0 and 1 kept")
print(f"{failures} failed")
sys.exit(failures != 0)
PY
