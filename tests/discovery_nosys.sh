#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A machine without /sys (gVisor), simulated with HWLOC_FSROOT pointing
# at an empty folder: hwloc's Linux backend gives up and its topology has
# no memory. The host's memory then comes from sysconf
# (runner/models/host/host_discover.c, runner/discovery/host_collect.c):
#   - `list` shows the host device with a non-zero memory and says sysconf;
#   - `run --device host` measures (before: every size was refused);
#   - with /sys, nothing changes (no sysconf note).
# --model host throughout: PoCL reads HWLOC_FSROOT too and aborts the
# process when hwloc reports no memory ("Not enough memory to run on this
# device", pocl's pocl_setup_device_for_system_memory), as it would under
# gVisor; --model is how such a machine is measured.
# usage: discovery_nosys.sh HBMBENCH PYTHON
set -u
hb=$1 py=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/root"
failed=0 passed=0
pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; sed 's/^/  | /' "$tmp/stderr" | tail -6; failed=$((failed + 1)); }

# host_json FILE EXPECT: the host device of `list --json`: EXPECT "sysconf"
# (memory > 0 and the note) or "hwloc" (memory 0, no note: the machine's
# figure is the session's, from hwloc).
host_json() {
    "$py" - "$1" "$2" <<'PY'
import json, sys
d = [x for x in json.load(open(sys.argv[1]))["devices"] if x["name"] == "host"][0]
src = d["locality"]["source"]
if sys.argv[2] == "sysconf":
    ok = d["global_mem_bytes"] > 0 and "memory from sysconf" in src
else:
    ok = d["global_mem_bytes"] == 0 and "sysconf" not in src
if not ok:
    print("  host device:", d["global_mem_bytes"], src, file=sys.stderr)
sys.exit(0 if ok else 1)
PY
}

HWLOC_FSROOT="$tmp/root" "$hb" list --model host --json >"$tmp/list.json" 2>"$tmp/stderr"
rc=$?
if [ $rc -ne 0 ]; then fail "no /sys: list --json: exit $rc"
elif ! grep -q "aborting linux discovery" "$tmp/stderr"; then fail "no /sys: hwloc did not give up (HWLOC_FSROOT ignored?)"
elif ! host_json "$tmp/list.json" sysconf 2>>"$tmp/stderr"; then fail "no /sys: the host device has no sysconf memory"
else pass "no /sys: list --json: the host device's memory from sysconf"; fi

HWLOC_FSROOT="$tmp/root" "$hb" list --model host >"$tmp/stdout" 2>"$tmp/stderr"
if ! grep -q "locality: whole machine (host); memory from sysconf: hwloc found none" "$tmp/stdout"; then
    fail "no /sys: the listed host device does not say sysconf"
else pass "no /sys: list says the memory came from sysconf"; fi

HWLOC_FSROOT="$tmp/root" "$hb" run --model host --device host --bench copy --size 16MiB --iters 2 --tune off \
    --quiet --out "$tmp/run.json" >"$tmp/stdout" 2>"$tmp/stderr"
rc=$?
if [ $rc -ne 0 ]; then fail "no /sys: run --device host --size 16MiB: exit $rc"
elif ! "$py" -c 'import json, sys
d = json.load(open(sys.argv[1]))
t = d["host"]["topology"]
sys.exit(not (t["memory_bytes"] > 0 and t["cores"] > 0 and d["results"] and all(r["valid"] for r in d["results"])))' \
    "$tmp/run.json" 2>>"$tmp/stderr"; then fail "no /sys: the result lacks host memory or a valid result"
else pass "no /sys: run --device host measured, host memory in the result file"; fi

"$hb" list --model host --json >"$tmp/list.json" 2>"$tmp/stderr"
if ! host_json "$tmp/list.json" hwloc 2>>"$tmp/stderr"; then fail "with /sys: the host device changed"
else pass "with /sys: the host device as before (hwloc's figures, no sysconf note)"; fi

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
