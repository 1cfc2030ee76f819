#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `hbmbench run --bench h2d,d2h,bidir` on the OpenCL CPU device: the file
# validates against the schema; every direction, host memory and API has a
# valid result per size; the results say zero_copy (device memory is host
# memory), carry the note, show no percent of a link peak, and record the
# NUMA binding; the device's link peak is unknown for that reason. Bad
# transfer options are bad usage (exit 2) and write nothing. Then
# --numa remote: on a one-NUMA-node machine it must fail as bad usage with a
# clear message and write nothing; on a machine with several nodes, the
# results must be bound to another node than the device's.
# usage: transfer_cli.sh HBMBENCH PYTHON VALIDATE_SCHEMA_PY
set -eu
hb=$1 py=$2 validate=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dev=$("$hb" list --json | "$py" -c 'import json,sys
print(next(d["index"] for d in json.load(sys.stdin)["devices"] if d["type"] == "CPU"))')
"$hb" run --device "$dev" --bench h2d,d2h,bidir --transfer-sizes 4KiB,1MiB --iters 3 --warmup 1 \
    --out "$tmp/run.json" >"$tmp/table.txt"
"$py" "$validate" "$tmp/run.json"
"$py" - "$tmp/run.json" "$tmp/table.txt" <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))
table = open(sys.argv[2]).read()
ok = True
def check(cond, what):
    global ok
    print(("PASS " if cond else "FAIL ") + what)
    ok = ok and cond
res = run["results"]
paths = {(r["bench"], r["elements"] * 4, r["config"]["host"], r["config"]["api"]) for r in res}
want = {(b, s, h, a) for b in ("h2d", "d2h", "bidir") for s in (4096, 1 << 20)
        for h in ("pageable", "pinned") for a in ("rw", "map")}
check(paths == want and len(res) == len(want), f"one result per direction, size, host memory and API ({len(res)})")
check(all(r["valid"] for r in res), "every transfer verified")
check(all(r["family"] == "transfer" and r["timer"] == "opencl-events" for r in res), "family transfer, device events")
check(all(r["bytes_per_iter"] == r["elements"] * 4 * (2 if r["bench"] == "bidir" else 1) for r in res),
      "bytes counted: the size, twice for bidir")
check(all(r["config"]["zero_copy"] is True for r in res), "config zero_copy: true on the CPU device")
check(all("zero-copy" in r["notes"] for r in res), "each result notes the zero-copy")
check(all(r["percent_of_peak"] is None and r["peak_bandwidth_gbs"] is None and
          r["percent_of_peak_basis"] == "link" for r in res), "no percent of a link peak")
check(all(r["config"]["numa"] == "local" and r["config"]["numa_node"] != "" and r["config"]["cpus"] != ""
          for r in res), "the NUMA binding is recorded")
check(all(r["bandwidth_gbs"]["best"] > 0 for r in res), "positive bandwidths")
dev = next(d for d in run["devices"] if d["index"] == res[0]["device_index"])
check(dev["unified_memory"] is True and dev["peaks"]["link_gbs"]["value"] is None and
      "zero-copy" in dev["peaks"]["link_gbs"]["detail"], "device: unified memory, link peak not applicable")
check("transfer" in run["conventions"], "the transfer convention is in the file")
check("link (per direction)" in table and "zero-copy" in table, "the table shows the link peak and the note")
sys.exit(0 if ok else 1)
PY
bad() { # NAME WANT_MESSAGE ARGS...: exit 2 with the message, nothing written
    local name=$1 want=$2 rc=0
    shift 2
    "$hb" run --device "$dev" --bench h2d --iters 2 --out "$tmp/bad.json" "$@" >/dev/null 2>"$tmp/bad.err" || rc=$?
    if [ "$rc" -ne 2 ] || ! grep -qF -- "$want" "$tmp/bad.err" || [ -e "$tmp/bad.json" ]; then
        echo "FAIL $name: exit $rc, want 2 and \"$want\""; cat "$tmp/bad.err"; exit 1
    fi
    echo "PASS $name"
}
bad "--numa bogus" "--numa: unknown value 'bogus'" --numa bogus
bad "--transfer-sizes not whole words" "'12' is not a size of at least 8 bytes" --transfer-sizes 12
bad "--transfer-sizes too large" "does not fit" --transfer-sizes 64TiB
bad "--transfer-host bogus" "--transfer-host" --transfer-host pageable,bogus
nodes=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["host"]["topology"]["numa_nodes"])' "$tmp/run.json")
set +e
"$hb" run --device "$dev" --bench h2d --transfer-sizes 4KiB --transfer-api rw --iters 2 --numa remote \
    --out "$tmp/remote.json" >"$tmp/remote.out" 2>"$tmp/remote.err"
rc=$?
set -e
if [ "$nodes" -le 1 ]; then
    [ "$rc" -eq 2 ] || { echo "FAIL --numa remote on one node: exit $rc, want 2"; cat "$tmp/remote.err"; exit 1; }
    grep -q "one NUMA node" "$tmp/remote.err" || { echo "FAIL message"; cat "$tmp/remote.err"; exit 1; }
    [ ! -e "$tmp/remote.json" ] || { echo "FAIL --numa remote on one node wrote a result file"; exit 1; }
    echo "PASS --numa remote on one NUMA node: exit 2, $(head -c 200 "$tmp/remote.err")"
else
    [ "$rc" -eq 0 ] || { echo "FAIL --numa remote on $nodes nodes: exit $rc"; cat "$tmp/remote.err"; exit 1; }
    "$py" - "$tmp/remote.json" <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))
r = run["results"][0]
ok = r["valid"] and r["config"]["numa"] == "remote"
print(("PASS " if ok else "FAIL ") + f"--numa remote bound to node {r['config']['numa_node']}")
sys.exit(0 if ok else 1)
PY
fi
