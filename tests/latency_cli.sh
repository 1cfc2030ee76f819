#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `hbmbench run --bench latency` end to end on every model this machine has:
# the host model, the OpenCL CPU device (PoCL) and the cuda model on the
# mock driver (tests/mock_cuda/; skipped where NVRTC does not load). Each
# run: exit 0, one valid result per working set of the sweep (4 KiB to
# --latency-max, 2^k and 1.5 x 2^k, and the largest when off that grid), the
# loads counted, the latency_plateaus summary and the convention in the
# file, which validates against the schema. Bad option values are bad usage
# (exit 2) with a message naming the option, and write nothing. A wrong end
# index (the mock's HB_MOCK_CORRUPT; HB_FAULT=verify:1 on the host) makes
# the result invalid, says why in its notes, and the exit status 1.
# Behaviour only: no timing is asserted.
# usage: latency_cli.sh HBMBENCH PYTHON VALIDATE_SCHEMA_PY MOCK_LIBCUDA
set -u
hb=$1 py=$2 validate=$3 mock=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0 passed=0
pass() { echo "PASS $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }

# check FILE MODEL MAX_BYTES LOADS: the assertions on one run's file.
check() {
    "$py" - "$@" <<'PY'
import json, sys
path, model, top, loads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
d = json.load(open(path))
rs = d["results"]
bad = []
def want(cond, what):
    if not cond:
        bad.append(what)
# the sweep of benches/latency.c: 2^k and 1.5 x 2^k from 4 KiB, and --latency-max itself
grid, s = [], 4096
while s <= top:
    grid += [s] + ([s + s // 2] if s + s // 2 <= top else [])
    s *= 2
grid += [] if top in grid else [top]
sets = sorted(r["elements"] * 4 for r in rs)
want(sets == grid, f"one result per working set: {sets} != {grid}")
want(all(r["bench"] == "latency" and r["family"] == "latency" and r["model"] == model for r in rs),
     "bench, family latency; model " + model)
want(all(r["valid"] for r in rs), "every result valid: " + "; ".join(r["notes"] for r in rs if not r["valid"]))
want(all(r["bytes_per_iter"] == 4 * loads and r["flops_per_iter"] == 0 for r in rs), "4 bytes counted a load")
want(all(r["stats"]["n"] == 3 and r["stats"]["min_s"] > 0 for r in rs), "3 timed iterations each")
want(all(r["config"].get("threads") == 1 for r in rs), "one thread chases")
# schema 2 (the figure object, ops_per_iter, dtype null for an untyped
# bench) is checked where the file has it; a schema-1 file has none of it.
for r in rs:
    f = r.get("figure")
    if f is None:
        continue
    ops = r.get("ops_per_iter", loads)
    want(ops == loads, "ops_per_iter = loads")
    want(f["name"] == "latency" and f["unit"] == "ns" and f["better"] == "lower" and f["count"] == "ops"
         and f["peak"] is None, f"figure latency, ns, lower, ops, no peak: {f}")
    for key, t in (("best", r["stats"]["min_s"]), ("median", r["stats"]["median_s"])):
        want(abs(f[key] - t / loads * 1e9) <= 1e-6 * f[key], f"figure.{key} = {key} time / loads in ns")
    want(r.get("dtype") in (None, "f32"), "dtype null (untyped) or the f32 placeholder")
want("latency" in d["conventions"], "the latency convention is in the file")
plats = [p for p in d.get("latency_plateaus", []) if p["model"] == model]
want(plats and plats[-1]["level"] == "memory", "latency_plateaus: levels, memory last")
for p in plats:
    inside = [r for r in rs if p["lo_bytes"] < r["elements"] * 4 <= (p["hi_bytes"] or top)]
    want(p["points"] == len(inside), f"{p['level']}: points = the working sets in its window")
    want((p["ns_per_load"] is None) == (not inside), f"{p['level']}: a figure where it has points")
    want(p["level_bytes"] > 0 or p["level"] == "memory", f"{p['level']}: a size and its source ({p['source']})")
if bad:
    print("  | " + "\n  | ".join(bad))
sys.exit(1 if bad else 0)
PY
}

# run NAME MODEL MAX LOADS ARGS...: a run to MAX (with its unit) that must succeed and pass check.
run() {
    local name=$1 model=$2 max=$3 loads=$4 rc=0
    shift 4
    "$hb" run --bench latency --latency-max "$max" --iters 3 --warmup 1 --out "$tmp/$name.json" "$@" \
        >"$tmp/$name.txt" 2>"$tmp/$name.err" || rc=$?
    local bytes=$((${max%KiB} * 1024))
    if [ $rc -eq 0 ] && check "$tmp/$name.json" "$model" "$bytes" "$loads" &&
        "$py" "$validate" "$tmp/$name.json" >/dev/null; then
        pass "$name: exit 0, a valid result per working set to $max, plateaus, schema-valid"
    else
        fail "$name: exit $rc"; sed 's/^/  | /' "$tmp/$name.err" | tail -8
        "$py" "$validate" "$tmp/$name.json" | head -5
    fi
}

cpu=$("$hb" list --json --model opencl 2>/dev/null | "$py" -c 'import json,sys
print(next((d["index"] for d in json.load(sys.stdin)["devices"] if d["type"] == "CPU"), ""))')
run host host 256KiB 131072 --device host
run "host, 1000 loads, a largest off the grid" host 100KiB 1000 --device host --latency-loads 1000
if [ -n "$cpu" ]; then
    run pocl opencl 256KiB 131072 --device "$cpu" --model opencl
else
    echo "SKIP pocl: no OpenCL CPU device"
fi
cuda=1
if HB_LIBCUDA=$mock "$hb" list --model cuda 2>&1 >/dev/null | grep -q "^hbmbench list: cuda: .*NVRTC"; then
    echo "SKIP mock cuda: NVRTC does not load"; cuda=0
else
    HB_LIBCUDA=$mock run "mock cuda" cuda 256KiB 131072 --device mock --model cuda
fi

# bad NAME WANT ARGS...: exit 2 (bad usage), the message, no file written.
bad() {
    local name=$1 want=$2 rc=0
    shift 2
    rm -f "$tmp/bad.json"
    "$hb" run --device host --bench latency --iters 2 --out "$tmp/bad.json" "$@" >/dev/null 2>"$tmp/bad.err" || rc=$?
    if [ "$rc" -eq 2 ] && grep -qF -- "$want" "$tmp/bad.err" && [ ! -e "$tmp/bad.json" ]; then
        pass "$name: exit 2, '$(head -1 "$tmp/bad.err" | cut -c1-110)', no file"
    else
        fail "$name: exit $rc, want 2 and \"$want\" and no file"; sed 's/^/  | /' "$tmp/bad.err"
    fi
}
bad "--latency-max 3" "--latency-max: '3' is not a working set" --latency-max 3
bad "--latency-max 1PiB" "--latency-max: unknown unit 'PiB'" --latency-max 1PiB
bad "--latency-max 16GiB (2^32 indices)" "--latency-max: '16GiB' is not a working set" --latency-max 16GiB
bad "--latency-max 4098 (not whole indices)" "--latency-max: '4098'" --latency-max 4098
bad "--latency-loads 0" "--latency-loads: '0' is not a whole number from 1" --latency-loads 0

# invalid FILE NOTE: exit 1 was seen; every result named in NOTE is invalid.
invalid() {
    "$py" - "$@" <<'PY'
import json, sys
rs = json.load(open(sys.argv[1]))["results"]
hit = [r for r in rs if sys.argv[2] in r["notes"]]
ok = hit and all(not r["valid"] for r in hit) and all(r["valid"] for r in rs if r not in hit)
if not ok:
    print("  |", [(r["elements"] * 4, r["valid"], r["notes"][:80]) for r in rs])
sys.exit(0 if ok else 1)
PY
}
# A wrong end index planted where each model writes it.
if [ $cuda -eq 1 ]; then
    HB_LIBCUDA=$mock HB_MOCK_CORRUPT=1 "$hb" run --device mock --model cuda --bench latency --latency-max 16KiB \
        --iters 2 --warmup 1 --out "$tmp/corrupt.json" >/dev/null 2>"$tmp/corrupt.err"
    rc=$?
    if [ $rc -eq 1 ] && invalid "$tmp/corrupt.json" "the chase ended at index" &&
        [ "$("$py" -c 'import json,sys; print(sum(r["valid"] for r in json.load(open(sys.argv[1]))["results"]))' \
            "$tmp/corrupt.json")" = 0 ]; then
        pass "HB_MOCK_CORRUPT on mock cuda: every result invalid, the wrong end named, exit 1"
    else
        fail "HB_MOCK_CORRUPT: exit $rc"; sed 's/^/  | /' "$tmp/corrupt.err" | tail -5
    fi
fi
HB_FAULT=verify:1 "$hb" run --device host --bench latency --latency-max 16KiB --iters 2 --warmup 1 \
    --out "$tmp/fault.json" >/dev/null 2>"$tmp/fault.err"
rc=$?
if [ $rc -eq 1 ] && invalid "$tmp/fault.json" "injected by HB_FAULT=verify:1" &&
    "$py" "$validate" "$tmp/fault.json" >/dev/null; then
    pass "HB_FAULT=verify:1 on host: the first result invalid, the rest valid, exit 1"
else
    fail "HB_FAULT=verify:1: exit $rc"; sed 's/^/  | /' "$tmp/fault.err" | tail -5
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
