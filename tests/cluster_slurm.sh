#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The Slurm examples of docs/cluster.md under a single-node Slurm of its own
# (Debian's slurm-wlm: slurmctld and slurmd started here, on ports of their
# own, auth/none, and stopped at the end; a session's daemons do not outlive
# it, so the test cannot count on any):
#   - scripts/slurm/hbmbench.sbatch, 3 tasks on one node: one gathered file,
#     launcher "slurm", the time box cut by the job's end (squeue's %e:
#     Slurm 22.05 sets no SLURM_JOB_END_TIME);
#   - the same with rank 1 dying before it measures (HB_TEST_FAIL_MODE=exit):
#     srun ends the step at once (the others are killed), the script exits
#     non-zero and merges the partial files: ranks 0 and 2 with what they
#     finished, rank 1 without results;
#   - scripts/slurm/hbmbench-health.sh: a passing check leaves the node
#     idle, a failed verification (HB_FAULT=verify:1) drains it.
# usage: cluster_slurm.sh HBMBENCH REPO PYTHON VALIDATE_SCHEMA_PY
# Exits 77 (skipped, with the reason) where it cannot run: not root, no
# slurm-wlm, no Open MPI, no PMIx plugin, or the daemons do not come up.
set -u
hb=$1 repo=$2 py=$3 validate=$4
skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "slurmd must run as root"
for t in slurmctld slurmd sbatch srun scontrol sinfo squeue mpirun; do
    command -v "$t" >/dev/null || skip "no $t (Debian: apt-get install slurm-wlm openmpi-bin)"
done
mpirun --version 2>/dev/null | grep -q "Open MPI" || skip "mpirun is not Open MPI's"

tmp=$(mktemp -d)
ctld= sd=
cleanup() {
    # only the daemons this test started, by their pids
    for p in $sd $ctld; do kill "$p" 2>/dev/null; done
    for p in $sd $ctld; do for _ in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done; done
    for p in $sd $ctld; do kill -KILL "$p" 2>/dev/null; done
    rm -rf "$tmp"
}
trap cleanup EXIT
node=$(hostname -s)
base=$(( 20000 + $$ % 20000 ))
mkdir -p "$tmp/state" "$tmp/spool" "$tmp/out"
cat >"$tmp/slurm.conf" <<EOF
ClusterName=hbtest$$
SlurmctldHost=$node
SlurmctldPort=$base
SlurmdPort=$((base + 1))
AuthType=auth/none
CredType=cred/none
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
ProctrackType=proctrack/pgid
TaskPlugin=task/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
SlurmdParameters=config_overrides
NodeName=$node CPUs=8 State=UNKNOWN
PartitionName=hb Nodes=$node Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE
EOF
export SLURM_CONF=$tmp/slurm.conf OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
slurmctld -D -f "$SLURM_CONF" >"$tmp/ctld.out" 2>&1 &
ctld=$!
slurmd -D -f "$SLURM_CONF" >"$tmp/slurmd.out" 2>&1 &
sd=$!
state() { sinfo -h -n "$node" -o %T 2>/dev/null; }
for _ in $(seq 300); do [ "$(state)" = idle ] && break; sleep 0.1; done
if [ "$(state)" != idle ]; then
    tail -n 5 "$tmp/slurmctld.log" "$tmp/slurmd.log" "$tmp/ctld.out" "$tmp/slurmd.out" 2>/dev/null
    skip "the single-node Slurm did not come up (node state '$(state)')"
fi
srun --mpi=list 2>&1 | grep -q pmix || skip "no PMIx plugin for srun (slurm-wlm's mpi_pmix)"

failures=0
check() { if eval "$1"; then echo "PASS $2"; else echo "FAIL $2"; failures=$((failures + 1)); fi; }
tiny="--size 64KiB --iters 3 --tune=off --quiet"
sbatch_run() {   # OUT HB_ARGS: the example script, 3 tasks on this one node; prints its exit status
    OUT=$1 HBMBENCH=$hb HB_ARGS=$2 sbatch -W -N1 --ntasks-per-node=3 -O -t 10 -o "$tmp/job-$(basename "$1").out" \
        "$repo/scripts/slurm/hbmbench.sbatch" >"$tmp/sbatch.txt" 2>&1
    echo $?
}

# 1. the sbatch example
rc=$(sbatch_run "$tmp/out/all.json" "$tiny")
echo "sbatch hbmbench.sbatch: exit $rc"
[ "$rc" = 0 ] || { cat "$tmp/sbatch.txt" "$tmp/job-all.json.out"; tail -n 5 "$tmp/slurmctld.log" "$tmp/slurmd.log"; }
check '[ "$rc" = 0 ]' "the sbatch example exits 0"
check '"$py" "$validate" "$tmp/out/all.json" >/dev/null' "its file validates"
check '"$py" -c "
import json, sys; c = json.load(open(sys.argv[1]))[\"cluster\"]
sys.exit(not (c[\"launcher\"] == \"slurm\" and c[\"size\"] == 3 and all(r[\"results\"] == 14 for r in c[\"ranks\"])
              and 400 < c[\"rank_wait_s\"] < 600))" "$tmp/out/all.json"' \
    "3 ranks launched by slurm, 14 results each; the 600 s box cut by the 10-minute job's end"
check '! ls "$tmp/out" | grep -q "all.rank-"' "the partial files removed"

# 2. a rank dying: the box, cut by the job's end, ends the wait; the file has the others
rc=$(HB_TEST_FAIL_RANK=1 HB_TEST_FAIL_MODE=exit sbatch_run "$tmp/out/dies.json" "$tiny --rank-timeout 3 --rank-timeout-factor 0")
echo "sbatch hbmbench.sbatch, rank 1 dying: exit $rc"
check '[ "$rc" != 0 ]' "a non-zero exit"
check '"$py" -c "
import json, sys; d = json.load(open(sys.argv[1])); r = d[\"cluster\"][\"ranks\"]
print(\"   \", [(x[\"rank\"], x[\"status\"], x[\"kept\"], x[\"results\"]) for x in r])
sys.exit(not (r[1][\"results\"] == 0 and r[1][\"status\"] in (\"timeout\", \"missing\")
              and r[0][\"results\"] >= 1 and r[2][\"results\"] >= 1))" "$tmp/out/dies.json"' \
    "ranks 0 and 2 kept what they finished, rank 1 without results"
cat "$tmp/job-dies.json.out" | grep -v "^\[rank" | tail -5

# 3. the health check, with the "valid" rule only: a loaded CI machine may
# fail the CV rule, a verification failure must fail it
cat >"$tmp/rules.json" <<'RULES'
{"rules": [{"id": "valid", "description": "every result verified", "source": "tests/cluster_slurm.sh",
            "select": {"sizes": "all"}, "metric": "valid", "comparison": "==", "threshold": true}]}
RULES
health_args="--size 64KiB --iters 3 --tune=off --rules $tmp/rules.json"
HBMBENCH=$hb HB_HEALTH_DIR=$tmp/health HB_HEALTH_ARGS=$health_args "$repo/scripts/slurm/hbmbench-health.sh"
st=$(state)
check '[ "$st" = idle ]' "a passing health check leaves the node idle ($st)"
[ "$st" = idle ] || cat "$tmp"/health/*.log
HB_FAULT=verify:1 HBMBENCH=$hb HB_HEALTH_DIR=$tmp/health HB_HEALTH_ARGS=$health_args \
    "$repo/scripts/slurm/hbmbench-health.sh"
st=$(state)
check 'case $st in drain*) true ;; *) false ;; esac' "a failed verification drains it ($st)"
check 'sinfo -h -R -o %E | grep -q "hbmbench health check: exit 1"' "the reason names hbmbench and the exit code"
scontrol update NodeName="$node" State=RESUME >/dev/null 2>&1
echo "$failures failed"
exit $((failures != 0))
