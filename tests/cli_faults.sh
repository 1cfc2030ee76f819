#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Injected failures (HB_FAULT, runner/core/fault.h) in the real code paths:
# each is reported on stderr, recorded in the JSON (the failing result
# invalid, the reason in its notes, the run's config names the fault), the
# rest of the run goes on, the exit status is 1, and no temporary file is
# left. With valgrind: the failure paths free what they allocate.
# usage: cli_faults.sh HBMBENCH PYTHON VALIDATE_SCHEMA_PY SOURCE_DIR
set -u
hb=$1 py=$2 validate=$3 src=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0 passed=0
pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; sed 's/^/  | /' "$tmp/stderr" | tail -6; failed=$((failed + 1)); }

two=(--device 0,host --size 1MiB --iters 3 --tune off --bench copy,triad --dtype f32)
no_temp() { [ -z "$(find "$tmp" -name '*.tmp.*' -print -quit)" ]; }

# results FILE EXPECT...: each EXPECT is "device_index bench valid [note-substring]", in order.
results() {
    "$py" - "$@" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
got = [(r["device_index"], r["bench"], r["valid"], r["notes"]) for r in d["results"]]
want = [w.split(" ", 3) for w in sys.argv[2:]]
ok = len(got) == len(want) and all(
    g[0] == int(w[0]) and g[1] == w[1] and g[2] == (w[2] == "valid") and (len(w) < 4 or w[3] in g[3])
    for g, w in zip(got, want))
if not ok:
    print("  results:", [(g[0], g[1], g[2], g[3][:80]) for g in got], file=sys.stderr)
sys.exit(0 if ok else 1)
PY
}

fault_in_config() {
    "$py" -c 'import json,sys; sys.exit(json.load(open(sys.argv[1]))["config"].get("fault") != sys.argv[2])' "$1" "$2"
}

# expect_fault NAME FAULT STDERR-PATTERN EXPECT... -- ARGS: exit 1, the
# message, a valid file with those results, the fault in its config.
expect_fault() {
    local name=$1 fault=$2 pattern=$3
    shift 3
    local want=()
    while [ "$1" != "--" ]; do want+=("$1"); shift; done
    shift
    rm -f "$tmp/out.json"
    HB_FAULT=$fault "$hb" run "$@" --out "$tmp/out.json" >"$tmp/stdout" 2>"$tmp/stderr"
    local rc=$?
    if [ $rc -ne 1 ]; then
        fail "$name: exit $rc, expected 1"
    elif ! grep -qE -- "$pattern" "$tmp/stderr"; then
        fail "$name: stderr lacks /$pattern/"
    elif ! "$py" "$validate" "$tmp/out.json" >/dev/null; then
        fail "$name: result file missing or invalid"
    elif ! results "$tmp/out.json" "${want[@]}" 2>>"$tmp/stderr"; then
        fail "$name: results not as expected"
    elif ! fault_in_config "$tmp/out.json" "$fault"; then
        fail "$name: the file's config does not name the fault"
    elif ! no_temp; then
        fail "$name: a temporary file is left"
    else
        pass "$name (exit 1, reported, recorded, the rest measured)"
    fi
}

# The 1st buffer allocation (the OpenCL model): copy on device 0 fails, triad
# there and both on the host are measured.
expect_fault "alloc:1 on OpenCL" alloc:1 "injected by HB_FAULT=alloc:1" \
    "0 copy invalid device failure: allocation of a 1048576-byte buffer failed (injected by HB_FAULT=alloc:1)" \
    "0 triad valid" "1 copy valid" "1 triad valid" -- "${two[@]}"
# The same wrapper serves the host model.
expect_fault "alloc:1 on the host model" alloc:1 "host: allocation of a .*HB_FAULT=alloc:1" \
    "1 copy invalid HB_FAULT=alloc:1" "1 triad valid" -- --device host --size 1MiB --iters 3 --tune off \
    --bench copy,triad --dtype f32
# The 1st OpenCL program build: device 0's stream program never builds
# (its failure is cached, as a real one), so both of its measurements fail,
# the device is given up after two in a row, and the host is measured.
expect_fault "build:1" build:1 "2 measurements in a row failed" \
    "0 copy invalid clBuildProgram: kernels/opencl/stream.cl" "0 triad invalid HB_FAULT=build:1" \
    "1 copy valid" "1 triad valid" -- "${two[@]}"

# The 1st verification, a tuning point's on the host: that point cannot win,
# a later one does and is measured (the result valid), and the note and the
# exit status say that a configuration computed wrong results.
expect_fault "verify:1 in tuning" verify:1 "HB_FAULT=verify:1: injecting" \
    "1 copy valid 1 tuning configuration failed verification (first: output differs from the expected values (injected by HB_FAULT=verify:1))" \
    -- --device host --size 1MiB --iters 3 --tune quick --retune --bench copy --dtype f32
if "$py" -c 'import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
bad = [g for g in r["grid"] if not g["valid"]]
sys.exit(not (r.get("tuning_failures") == 1 and len(bad) == 1 and "HB_FAULT=verify:1" in bad[0]["note"]))' \
    "$tmp/out.json"; then
    pass "verify:1 in tuning: tuning_failures 1 in the JSON, the grid point marked"
else
    fail "verify:1 in tuning: tuning_failures or the grid point missing from the JSON"
fi
# The 2nd verification with tuning off is the 2nd result's own: it is invalid.
expect_fault "verify:2 in a final measurement" verify:2 "HB_FAULT=verify:2: injecting" \
    "1 copy valid" "1 triad invalid injected by HB_FAULT=verify:2" \
    -- --device host --size 1MiB --iters 3 --tune off --bench copy,triad --dtype f32

# --quiet keeps errors: a measurement that failed verification is said,
# with its reason, and the exit status is 1.
rm -f "$tmp/out.json"
HB_FAULT=verify:2 "$hb" run --quiet --device host --size 1MiB --iters 3 --tune off --bench copy,triad --dtype f32 \
    --out "$tmp/out.json" >"$tmp/stdout" 2>"$tmp/stderr"
rc=$?
if [ $rc -eq 1 ] && grep -q "measured \[1\] triad f32 1.00 MiB: INVALID: output differs from the expected values" "$tmp/stderr" &&
    ! grep -q "copy" "$tmp/stderr"; then
    pass "verify:2 under --quiet: the invalid measurement and its reason are said, the valid one is not"
else
    fail "verify:2 under --quiet: exit $rc, or the invalid measurement not said"
fi

# The 1st result write: the results go to a file in $TMPDIR, named in the
# message; nothing at --out, no temporary file.
mkdir "$tmp/fallback"
for target in "$tmp/out.json" -; do
    rm -f "$tmp"/fallback/* "$tmp/out.json"
    HB_FAULT=write:1 TMPDIR="$tmp/fallback" "$hb" run "${two[@]}" --out "$target" >"$tmp/stdout" 2>"$tmp/stderr"
    rc=$?
    kept=$(sed -n 's/^hbmbench run: the results were written to \(.*\) instead$/\1/p' "$tmp/stderr")
    if [ $rc -ne 1 ]; then
        fail "write:1 --out $target: exit $rc, expected 1"
    elif ! grep -q "cannot write: Input/output error (injected by HB_FAULT=write:1)" "$tmp/stderr"; then
        fail "write:1 --out $target: the failure is not reported"
    elif [ -z "$kept" ] || [ "$(dirname "$kept")" != "$tmp/fallback" ] || ! "$py" "$validate" "$kept" >/dev/null; then
        fail "write:1 --out $target: no valid fallback file named ($kept)"
    elif ! results "$kept" "0 copy valid" "0 triad valid" "1 copy valid" "1 triad valid" 2>>"$tmp/stderr"; then
        fail "write:1 --out $target: the fallback file lacks results"
    elif [ -e "$tmp/out.json" ] || { [ "$target" = - ] && grep -q '"schema_version"' "$tmp/stdout"; }; then
        fail "write:1 --out $target: something was written to the failed destination"
    elif ! no_temp; then
        fail "write:1 --out $target: a temporary file is left"
    else
        pass "write:1 --out $target: reported, exit 1, every result in $(basename "$kept")"
    fi
done

# A test hook that slows every timed iteration (HB_TEST_SLOW_S, batch.c)
# is recorded in each result it slowed, as HB_FAULT is: such a figure must
# never pass for the device's own.
rm -f "$tmp/out.json"
HB_TEST_SLOW_S=0.001 "$hb" run --device host --size 1MiB --iters 3 --tune off --bench copy --dtype f32 \
    --out "$tmp/out.json" >"$tmp/stdout" 2>"$tmp/stderr"
rc=$?
if [ $rc -eq 0 ] && "$py" -c 'import json, sys
rs = json.load(open(sys.argv[1]))["results"]
sys.exit(not (rs and all("HB_TEST_SLOW_S=0.001: a test hook added" in r["notes"] for r in rs)))' "$tmp/out.json"; then
    pass "HB_TEST_SLOW_S: every slowed result says so in its notes"
else
    fail "HB_TEST_SLOW_S: exit $rc, or a slowed result without the note"
fi
rm -f "$tmp/out.json"

# A malformed HB_FAULT is bad usage: exit 2 before anything runs.
for spec in bogus alloc:0 alloc:1,alloc:2 "write:" "build:x" verify:-1; do
    HB_FAULT=$spec "$hb" run "${two[@]}" --out "$tmp/out.json" >"$tmp/stdout" 2>"$tmp/stderr"
    rc=$?
    if [ $rc -eq 2 ] && grep -q "^hbmbench run: HB_FAULT: " "$tmp/stderr" && [ ! -e "$tmp/out.json" ] &&
        [ ! -s "$tmp/stdout" ]; then
        pass "HB_FAULT='$spec' refused (exit 2)"
    else
        fail "HB_FAULT='$spec': exit $rc"
    fi
done

# Under valgrind: the failure paths (a failed allocation's partial set-up,
# a build failure, a failed write and its fallback) leak nothing of
# hbmbench's own and touch no memory they should not. PoCL's compiler is
# not run here (the build fault stops it), which keeps this to seconds.
if [ -z "${HB_NO_VALGRIND:-}" ] && command -v valgrind >/dev/null; then
    printf '{\n  glibc-rtld-is_dst-strncmp-overread\n  Memcheck:Addr8\n  fun:strncmp\n  fun:is_dst\n}\n' >"$tmp/supp"
    vg=(valgrind --suppressions="$tmp/supp" --leak-check=full --num-callers=30)
    runs=("build:1,write:1|--device 0,host" "alloc:2|--device host")
    for r in "${runs[@]}"; do
        spec=${r%%|*}
        read -r -a devs <<<"${r#*|}"
        rm -f "$tmp"/fallback/*
        HB_FAULT=$spec TMPDIR="$tmp/fallback" "${vg[@]}" --log-file="$tmp/vg.log" "$hb" run "${devs[@]}" \
            --size 64KiB --iters 3 --tune off --bench copy,triad --dtype f32 --out "$tmp/vg.json" --force --quiet \
            >/dev/null 2>"$tmp/stderr"
        rc=$?
        if [ $rc -eq 1 ] && "$py" "$src/tests/valgrind_ours.py" "$tmp/vg.log" "$hb" "$src" >"$tmp/vg.out"; then
            pass "valgrind, HB_FAULT=$spec: $(tail -1 "$tmp/vg.out" | cut -d: -f2-)"
        else
            cat "$tmp/vg.out" >>"$tmp/stderr"
            fail "valgrind, HB_FAULT=$spec: exit $rc"
        fi
    done
else
    echo "SKIP valgrind not found or not usable here (HB_NO_VALGRIND: a sanitizer build): the leak check of the failure paths did not run"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
