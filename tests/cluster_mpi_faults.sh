#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# MPI runs that lose ranks (docs/cluster.md, "When a rank or the job dies"):
# three ranks under Open MPI's mpirun on PoCL, killed, stopped or
# mis-configured; what each rank finished must be kept in its partial file,
# `hbmbench merge` must gather it, and every wait must end.
#   kill     kill -9 of rank 1 mid-run (plain mpirun ends the job): mpirun
#            exits 137; every rank's partial file holds what it finished;
#            merge writes them with rank 1 "partial"; the killed rank's
#            private folder goes at the next run's start
#   term     SIGTERM to mpirun mid-run: non-zero exit; every rank's results
#            so far are kept; merge gathers all three
#   stop     rank 1 stops itself (SIGSTOP) after its run, before it reports,
#            --rank-timeout 3: rank 0 waits 3 s, writes rank 1's results from
#            its partial file, rank 1 "timeout", exit 1
#   conckill kill -9 of rank 1 in --concurrent's together phase, once its
#            partial file holds a result measured together: that result is
#            kept (checkpoints after each whole step), merge gathers it
#   badopt   --bogus on rank 1 only (MPMD): exit 2 within seconds, rank 1's
#            message, nothing written
#   rootdies rank 0 dies after the others reported, with
#            --mca orte_abort_on_non_zero_status 0: the others give up waiting
#            for its verdict (2 x the 3 s box + 10 s), exit non-zero; merge
#            gathers all three, complete
# usage: cluster_mpi_faults.sh CASE HBMBENCH PYTHON VALIDATE_SCHEMA_PY [MPIRUN]
# Exits 77 (skipped) without Open MPI's mpirun.
set -eu
case=$1 hb=$2 py=$3 validate=$4 mpirun=${5:-}
. "$(dirname "$0")/open_mpi.sh"
tmp=$(mktemp -d)
mpid=
cleanup() {
    # only what this test started: its mpirun (which takes its ranks along)
    if [ -n "$mpid" ] && kill -0 "$mpid" 2>/dev/null; then kill -KILL "$mpid" 2>/dev/null || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT
export TMPDIR=$tmp/t
mkdir "$tmp/t" "$tmp/out"
tiny=(--size 64KiB --iters 3 --tune=off --out "$tmp/out/run.json")
mpi=("$mpirun" --oversubscribe --bind-to none)

# The pid of rank R among mpirun's children (Open MPI 4 starts local ranks itself).
rank_pid() {
    for p in $(pgrep -P "$mpid" || true); do
        if tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null | grep -qx "OMPI_COMM_WORLD_RANK=$1"; then echo "$p"; return; fi
    done
}
# Waits (at most 60 s) until rank 1's partial file holds a result measured
# with --concurrent's together phase.
wait_for_together() {
    for _ in $(seq 600); do
        "$py" - "$1" <<'PY' 2>/dev/null && return 0
import json, sys
doc = json.load(open(sys.argv[1]))["doc"]
sys.exit(0 if any("concurrent" in r for r in doc["results"]) else 1)
PY
        sleep 0.1
    done
    echo "FAIL $1 never held a result measured together"; exit 1
}
# Waits (at most 60 s) until file exists.
wait_for() {
    for _ in $(seq 600); do [ -e "$1" ] && return 0; sleep 0.1; done
    echo "FAIL $1 never appeared"; exit 1
}

start=$(date +%s%N)
rc=0
killed=
case $case in
    kill|term)
        # slow enough (0.05 s per iteration) to be caught mid-run
        HB_TEST_SLOW_S=0.05 "${mpi[@]}" -n 3 "$hb" run "${tiny[@]}" >"$tmp/out.txt" 2>"$tmp/err.txt" &
        mpid=$!
        wait_for "$tmp/out/run.rank-1.json"   # rank 1 has finished a measurement
        ranks=$(pgrep -P "$mpid" || true)
        if [ "$case" = kill ]; then
            killed=$(rank_pid 1)
            [ -n "$killed" ] || { echo "FAIL rank 1's process not found"; exit 1; }
            kill -KILL "$killed"
        else
            kill -TERM "$mpid"
        fi
        wait "$mpid" || rc=$?
        mpid=
        # mpirun may end before its ranks are gone: wait for them (60 s at most)
        for p in $ranks; do for _ in $(seq 600); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done; done ;;
    conckill)
        HB_TEST_SLOW_S=0.05 "${mpi[@]}" -n 3 "$hb" run "${tiny[@]}" --concurrent >"$tmp/out.txt" 2>"$tmp/err.txt" &
        mpid=$!
        wait_for_together "$tmp/out/run.rank-1.json"
        ranks=$(pgrep -P "$mpid" || true)
        killed=$(rank_pid 1)
        [ -n "$killed" ] || { echo "FAIL rank 1's process not found"; exit 1; }
        kill -KILL "$killed"
        wait "$mpid" || rc=$?
        mpid=
        for p in $ranks; do for _ in $(seq 600); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done; done ;;
    stop)
        HB_TEST_FAIL_RANK=1 HB_TEST_FAIL_MODE=stop "${mpi[@]}" -n 3 "$hb" run "${tiny[@]}" --rank-timeout 3 \
            --rank-timeout-factor 0 >"$tmp/out.txt" 2>"$tmp/err.txt" || rc=$? ;;
    badopt)
        "${mpi[@]}" -n 1 "$hb" run "${tiny[@]}" : -n 1 "$hb" run "${tiny[@]}" --bogus : -n 1 "$hb" run "${tiny[@]}" \
            >"$tmp/out.txt" 2>"$tmp/err.txt" || rc=$? ;;
    rootdies)
        HB_TEST_FAIL_RANK=0 HB_TEST_FAIL_MODE=exit-after-gather "${mpi[@]}" --mca orte_abort_on_non_zero_status 0 \
            -n 3 "$hb" run "${tiny[@]}" --rank-timeout 3 --rank-timeout-factor 0 >"$tmp/out.txt" 2>"$tmp/err.txt" \
            || rc=$? ;;
    *) echo "unknown case $case"; exit 2 ;;
esac
wall=$(( ($(date +%s%N) - start) / 1000000 ))
echo "mpirun -n 3 ($case): exit $rc in $wall ms"
ls "$tmp/out" "$tmp/t"

mrc=0
if [ "$case" != badopt ] && [ "$case" != stop ]; then
    "$hb" merge --quiet --out "$tmp/merged.json" "$tmp/out" 2>"$tmp/merge_err.txt" || mrc=$?
    echo "hbmbench merge: exit $mrc"; cat "$tmp/merge_err.txt"
    "$py" "$validate" "$tmp/merged.json" || exit 1
fi
[ "$case" != stop ] || "$py" "$validate" "$tmp/out/run.json" || exit 1
stale=$(ls "$tmp/t" | grep -c "^hbmbench-rank-.*-$killed-" || true)
if [ "$case" = kill ]; then
    # the next MPI run on this node removes the killed rank's private folder
    "${mpi[@]}" -n 1 "$hb" run --size 64KiB --iters 3 --tune=off --bench copy --dtype f32 --quiet \
        --out "$tmp/next.json" || { echo "FAIL the next run"; exit 1; }
fi
after=$(ls "$tmp/t" | grep -c "^hbmbench-rank-" || true)

"$py" - "$case" "$rc" "$mrc" "$wall" "$tmp" "$stale" "$after" <<'PY' || { echo "--- stdout"; cat "$tmp/out.txt"; echo "--- stderr"; cat "$tmp/err.txt"; exit 1; }
import json, os, sys
case, rc, mrc, wall, tmp = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]) / 1000, sys.argv[5]
stale, after = int(sys.argv[6]), int(sys.argv[7])
failures = 0
def check(cond, what):
    global failures
    print(("PASS " if cond else "FAIL ") + what)
    failures += not cond
out = sorted(os.listdir(f"{tmp}/out"))
err = open(f"{tmp}/err.txt").read()
check(wall < 90, f"the job ended by itself ({wall:.1f} s)")
partials = [f"run.rank-{r}.json" for r in range(3)]
if case == "badopt":
    check(rc == 2, f"exit 2 ({rc})")
    check("rank 1 on" in err and "--bogus" in err, "rank 1 says what is wrong")
    check("bad usage on 1 of 3 ranks (1)" in err, "rank 0 names the bad rank")
    check(out == [], f"nothing written ({out})")
    sys.exit(failures != 0)
if case == "stop":
    doc = json.load(open(f"{tmp}/out/run.json"))
    ranks = doc["cluster"]["ranks"]
    check(rc == 1, f"exit 1 ({rc})")
    check(ranks[1]["status"] == "timeout" and ranks[1]["kept"] == "complete" and ranks[1]["results"] == 14,
          "rank 1 'timeout', its 14 results read from its partial file")
    check(all(ranks[r]["status"] == "ok" and ranks[r]["results"] == 14 for r in (0, 2)), "ranks 0 and 2 ok")
    check(set(partials) <= set(out), "partial files kept (a rank did not report)")
    sys.exit(failures != 0)
# kill, term, rootdies: the partial files hold everything; merge gathers them
check(set(partials) <= set(out), f"every rank's partial file is there ({out})")
doc = json.load(open(f"{tmp}/merged.json"))
c = doc["cluster"]
ranks = c["ranks"]
check(c["gathered_by"] == "merge" and c["size"] == 3 and len(ranks) == 3, "merge: 3 ranks, gathered by merge")
check(all(x["rank"] in (0, 1, 2) for x in doc["results"]), "every result marked with its rank")
check(all(r["results"] >= 1 for r in ranks), "every rank kept what it finished: " +
      ", ".join(f"{r['rank']}: {r['results']} {r['kept']}" for r in ranks))
if case == "kill":
    check(rc == 137, f"mpirun exits 137, as the killed rank did ({rc})")
    check(ranks[1]["kept"] == "partial" and ranks[1]["results"] < 14, "rank 1: partial, fewer than 14 results")
    check(mrc == 1, f"merge exits 1: a rank is incomplete ({mrc})")
    check(stale == 1, f"the killed rank's private folder was left ({stale})")
    check(after == 0, f"the next run removed it ({after} left)")
elif case == "conckill":
    check(rc == 137, f"mpirun exits 137, as the killed rank did ({rc})")
    mine = [x for x in doc["results"] if x["rank"] == 1]
    together = [x for x in mine if "concurrent" in x]
    check(ranks[1]["kept"] == "partial" and len(together) >= 1,
          f"rank 1: partial, with {len(together)} result(s) measured together kept")
    check(all(x["concurrent"]["devices"] == 1 for x in together), "each kept step is whole (its one device)")
elif case == "term":
    check(rc != 0, f"non-zero exit ({rc})")
    check(mrc == 1 and any(r["kept"] == "partial" for r in ranks), f"merge exits 1: stopped mid-run ({mrc})")
elif case == "rootdies":
    check(rc != 0, f"non-zero exit ({rc})")
    check("no word from rank 0" in err, "the survivors say rank 0 went silent")
    check(not os.path.exists(f"{tmp}/out/run.json"), "rank 0 died before writing the file")
    check(mrc == 0 and all(r["status"] == "ok" and r["kept"] == "complete" and r["results"] == 14 for r in ranks),
          f"merge: every rank complete, exit 0 ({mrc})")
print(f"{failures} failed")
sys.exit(failures != 0)
PY
