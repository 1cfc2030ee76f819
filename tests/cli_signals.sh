#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Signals (docs/usage.md "Signals"): SIGINT, SIGTERM or SIGHUP during a run keeps
# what finished: a valid result file marked "complete": false, the table's
# INCOMPLETE line, exit 128 + the signal, no temporary file left. A second
# signal quits at once and never leaves a damaged or temporary file.
# Each run is long (about 25 s on the CI machine: 14 tuned measurements of
# 64 MiB arrays) and is signalled as soon as its first result is printed,
# so what is checked never depends on how fast the machine is.
# usage: cli_signals.sh HBMBENCH PYTHON VALIDATE_SCHEMA_PY
set -u
set -m # job control: background runs do not start with SIGINT ignored
hb=$1 py=$2 validate=$3
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -KILL $pid 2>/dev/null; rm -rf "$tmp"' EXIT
failed=0 passed=0
pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; sed 's/^/  | /' "$tmp/stderr" | tail -5; failed=$((failed + 1)); }

long=(--device 0 --size 64MiB --iters 50 --dtype f32,f64)

# wait_for PATTERN FILE: until a line matches (at most 300 s: a bound on a
# hang, not an expectation of speed).
wait_for() {
    for _ in $(seq 3000); do
        grep -qE -- "$1" "$2" 2>/dev/null && return 0
        kill -0 $pid 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

# check_incomplete NAME FILE SIGNAL: the file is valid, incomplete, names
# the signal, and holds only verified results, fewer than planned (14).
check_incomplete() {
    "$py" "$validate" "$2" >/dev/null &&
        "$py" - "$2" "$3" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["complete"] is False, d.get("complete")
assert d["stopped_by"] == sys.argv[2], d.get("stopped_by")
assert 0 <= len(d["results"]) < 14, len(d["results"])
assert all(r["valid"] for r in d["results"])
PY
}

no_temp() { [ -z "$(find "$tmp" -name '*.tmp.*' -print -quit)" ]; }

for sig in INT TERM HUP; do
    out="$tmp/$sig.json"
    "$hb" run "${long[@]}" --out "$out" >"$tmp/stdout" 2>"$tmp/stderr" &
    pid=$!
    if ! wait_for "^hbmbench run: measured " "$tmp/stderr"; then
        fail "SIG$sig: no first result"; wait $pid; pid=; continue
    fi
    kill -s "$sig" $pid
    wait $pid
    rc=$?
    pid=
    want=$((128 + $(kill -l "$sig")))
    if [ $rc -ne $want ]; then
        fail "SIG$sig: exit $rc, expected $want"
    elif ! check_incomplete "SIG$sig" "$out" "SIG$sig"; then
        fail "SIG$sig: result file"
    elif ! "$py" -c 'import json,sys; sys.exit(len(json.load(open(sys.argv[1]))["results"]) < 1)' "$out"; then
        fail "SIG$sig: the result finished before the signal is missing"
    elif ! grep -q "^# INCOMPLETE: the run was stopped by SIG$sig" "$tmp/stdout"; then
        fail "SIG$sig: the table does not say the run is incomplete"
    elif ! grep -q "stopped by SIG$sig: .* kept, marked \"complete\": false" "$tmp/stderr"; then
        fail "SIG$sig: no message on stderr"
    elif ! no_temp; then
        fail "SIG$sig: a temporary file is left"
    else
        pass "SIG$sig: exit $rc, finished results kept in a valid file marked incomplete, table says so"
    fi
done

# --quiet: still a message and a file. Signalled once the result file is
# reserved (its temporary file exists): the handlers are in place by then.
out="$tmp/quiet.json"
"$hb" run "${long[@]}" --out "$out" --quiet >"$tmp/stdout" 2>"$tmp/stderr" &
pid=$!
for _ in $(seq 3000); do
    [ -n "$(find "$tmp" -name 'quiet.json.tmp.*' -print -quit)" ] && break
    sleep 0.1
done
kill -TERM $pid
wait $pid
rc=$?
pid=
if [ $rc -eq 143 ] && check_incomplete quiet "$out" SIGTERM && grep -q "stopped by SIGTERM" "$tmp/stderr" &&
    [ ! -s "$tmp/stdout" ] && no_temp; then
    pass "--quiet + SIGTERM: exit 143, a message on stderr, a valid incomplete file"
else
    fail "--quiet + SIGTERM: exit $rc"
fi

# A second signal quits at once. Whether it lands before the file is
# written depends on timing, so what is checked holds either way: exit
# 130, no temporary file, and either no result file (and the message) or a
# whole one marked incomplete. (tests/test_signal.c checks the handler's
# removal of the temporary file deterministically.)
out="$tmp/twice.json"
"$hb" run "${long[@]}" --out "$out" >"$tmp/stdout" 2>"$tmp/stderr" &
pid=$!
if wait_for "^hbmbench run: measured " "$tmp/stderr"; then
    kill -INT $pid
    wait_for "SIGINT: stopping after the current measurement" "$tmp/stderr"
    kill -INT $pid 2>/dev/null
fi
wait $pid
rc=$?
pid=
if [ $rc -ne 130 ]; then
    fail "second SIGINT: exit $rc"
elif ! no_temp; then
    fail "second SIGINT: a temporary file is left"
elif [ -e "$out" ] && ! check_incomplete twice "$out" SIGINT; then
    fail "second SIGINT: a damaged result file"
elif [ ! -e "$out" ] && ! grep -q "second signal: quitting at once" "$tmp/stderr"; then
    fail "second SIGINT: no file and no message"
else
    what=$([ -e "$out" ] && echo "a whole incomplete file" || echo "no result file")
    pass "second SIGINT: exit 130, no temporary file, $what"
fi

# A signal during a kernel build (HB_FAULT=build-stop:1: SIGTERM comes while
# the first OpenCL program builds, which then fails as LLVM's does): the
# measurement is abandoned, not recorded as a device fault; the host's are
# never started; exit 143.
rm -f "$tmp/build.json"
HB_FAULT=build-stop:1 "$hb" run --device 0,host --bench copy --dtype f32 --size 1MiB --iters 2 --tune off \
    --out "$tmp/build.json" >/dev/null 2>"$tmp/stderr"
rc=$?
if [ $rc -eq 143 ] && ! grep -q "device failure\|unable to rename" "$tmp/stderr" && "$py" -c 'import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(not (d["complete"] is False and d["stopped_by"] == "SIGTERM" and not d["results"]))' "$tmp/build.json"; then
    pass "SIGTERM during a kernel build: abandoned, not a device failure, exit 143"
else
    fail "SIGTERM during a kernel build: exit $rc, or recorded as a failure"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
