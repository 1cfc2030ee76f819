#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# A node health check with hbmbench (docs/cluster.md, "Slurm"). In slurm.conf(5):
#   HealthCheckProgram=/etc/slurm/hbmbench-health.sh
#   HealthCheckInterval=3600
#   HealthCheckNodeState=IDLE     # only nodes that run no job: it loads every GPU
# It measures triad on every GPU of the node and judges the file with the
# built-in rules (`hbmbench check --print-rules`: every result valid, CV at
# most 5 %, no device below 0.9 x the median of identical devices, the
# datasheet minimum). A failed check, a missing device or a run that hangs
# drains the node, the file named in the reason; bad usage (a broken
# installation) is only logged, so that it cannot drain every node.
# Tried under Debian 12's slurm-wlm 22.05 (tests/cluster_slurm.sh).
HBMBENCH=${HBMBENCH:-hbmbench}
DIR=${HB_HEALTH_DIR:-/var/lib/hbmbench}
node=$(hostname -s)
out="$DIR/health-$node-$(date -u +%Y%m%dT%H%M%SZ)-$$.json"
mkdir -p "$DIR" || exit 0
# HB_HEALTH_ARGS: more run options (word-split on purpose), e.g. "--size 1GiB"
# shellcheck disable=SC2086
timeout 600 "$HBMBENCH" run --bench triad --dtype f32 --quiet --check --out "$out" ${HB_HEALTH_ARGS:-} \
    >"$out.log" 2>&1
rc=$?
case $rc in
    0) ;;
    2) echo "hbmbench-health: bad usage (exit 2), see $out.log; node left as it is" >&2 ;;
    *) scontrol update NodeName="$node" State=DRAIN Reason="hbmbench health check: exit $rc, $out" ;;
esac
exit 0
