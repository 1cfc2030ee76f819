#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# run --repeat N (docs/usage.md "Long runs"): one result file holding N
# repetitions, each result marked with its repetition, every one verified;
# the table and the CSV show the repetition; without --repeat nothing
# changes; a count out of range is bad usage. (Resident memory over
# repetitions: tests/test_repeat_rss.c.)
# usage: cli_repeat.sh HBMBENCH PYTHON VALIDATE_SCHEMA_PY
set -u
hb=$1 py=$2 validate=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0 passed=0
pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; sed 's/^/  | /' "$tmp/stderr" | tail -5; failed=$((failed + 1)); }

small=(--device 0,host --size 64KiB --iters 3 --tune off --bench copy,triad --dtype f32)

"$hb" run "${small[@]}" --repeat 3 --out "$tmp/rep.json" >"$tmp/stdout" 2>"$tmp/stderr"
rc=$?
if [ $rc -eq 0 ] && "$py" "$validate" "$tmp/rep.json" >/dev/null && "$py" - "$tmp/rep.json" <<'PY'; then
import json, sys
d = json.load(open(sys.argv[1]))
reps = [r["repetition"] for r in d["results"]]
assert reps == [1] * 4 + [2] * 4 + [3] * 4, reps
assert all(r["valid"] for r in d["results"])
assert d["config"]["repeat"] == 3 and d["complete"] is True
PY
    pass "--repeat 3: one valid file, 3 x 4 results marked 1..3, every one verified"
else
    fail "--repeat 3: exit $rc"
fi
if grep -q "^rep  dev  device" "$tmp/stdout" && [ "$(grep -cE '^[123] +[01] +' "$tmp/stdout")" -eq 12 ] &&
    [ "$(grep -c "repetition [123] of 3" "$tmp/stderr")" -eq 3 ]; then
    pass "--repeat 3: the table has a rep column, stderr announces each repetition"
else
    fail "--repeat 3: table or progress"
fi

"$hb" run "${small[@]}" --repeat 2 --format csv --out "$tmp/rep2.json" >"$tmp/rep.csv" 2>"$tmp/stderr"
rc=$?
if [ $rc -eq 0 ] && "$py" - "$tmp/rep.csv" <<'PY'; then
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert [r["repetition"] for r in rows] == ["1"] * 4 + ["2"] * 4, [r["repetition"] for r in rows]
PY
    pass "--repeat 2 --format csv: the repetition column"
else
    fail "--repeat 2 csv: exit $rc"
fi

"$hb" run "${small[@]}" --out "$tmp/once.json" >"$tmp/stdout" 2>"$tmp/stderr"
rc=$?
if [ $rc -eq 0 ] && ! grep -q '"repetition"' "$tmp/once.json" && ! grep -q "^rep " "$tmp/stdout" &&
    ! grep -q '"repeat"' "$tmp/once.json"; then
    pass "without --repeat: no repetition field, no rep column"
else
    fail "without --repeat: exit $rc"
fi

for n in 0 -1 100001 2x; do
    "$hb" run "${small[@]}" --repeat "$n" --out "$tmp/bad.json" >"$tmp/stdout" 2>"$tmp/stderr"
    rc=$?
    [ $rc -eq 2 ] && grep -q -- "--repeat: '$n' is not a whole number from 1 to 100000" "$tmp/stderr" &&
        [ ! -e "$tmp/bad.json" ] && pass "--repeat $n refused (exit 2)" || fail "--repeat $n: exit $rc"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
