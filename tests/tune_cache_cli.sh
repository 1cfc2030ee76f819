#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The tuning cache through `hbmbench run` on PoCL (runner/driver/winners.h):
# a winner is reused; each damaged or foreign cache of issue 19 (an
# impossible work-group size, an unknown store kind, a file that is not
# JSON, a newer format, a cache that cannot be written, a winner that fails
# verification) is warned about even under --quiet and searched again, with
# the exit code docs/usage.md ("Tuning cache") gives; every option that
# changes the grid, and the kernels' source, are in the key; two runs
# writing at once both keep their winners.
# usage: tune_cache_cli.sh HBMBENCH PYTHON SOURCE_DIR
set -u
hb=$1 py=$2 src=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_CACHE_HOME=$tmp/xdg
cache=$XDG_CACHE_HOME/hbmbench/tuning.json
failed=0 passed=0
pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; sed 's/^/  | /' "$tmp/stderr" | tail -6; failed=$((failed + 1)); }

if ! "$hb" list 2>/dev/null | grep -qi cpu; then
    echo "SKIP: no OpenCL CPU device"
    exit 77
fi

small=(--device cpu --dtype f32 --size 64KiB --iters 2 --tune-iters 1 --quiet --force)
# run NAME ARGS...: one run into $tmp/NAME.json, its status in $rc, stderr in $tmp/stderr
run() {
    local name=$1
    shift
    "$hb" run "${small[@]}" --bench triad --out "$tmp/$name.json" "$@" >/dev/null 2>"$tmp/stderr"
    rc=$?
}
# field FILE EXPR: a Python expression over the first result r (and the cache c, when it parses)
field() {
    "$py" - "$1" "$cache" "$2" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
try:
    c = json.load(open(sys.argv[2]))
except Exception:
    c = None
print(eval(sys.argv[3]))
PY
}
# edit EXPR: rewrites every cached winner's params p with a Python statement
edit() {
    "$py" - "$cache" "$1" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
for e in c["entries"]:
    p = e["params"]
    exec(sys.argv[2])
json.dump(c, open(sys.argv[1], "w"))
PY
}
tuning() { field "$tmp/$1.json" 'r["config"].get("tuning")'; }

run first
[ $rc = 0 ] && [ "$(tuning first)" = searched ] && [ -s "$cache" ] && pass "a first run searches and caches" ||
    fail "a first run searches and caches (rc $rc)"
run second
[ $rc = 0 ] && [ "$(tuning second)" = cache ] && [ ! -s "$tmp/stderr" ] && pass "a second run uses the winner, silently" ||
    fail "a second run uses the winner (rc $rc, tuning $(tuning second))"

# discarded NAME WHAT PATTERN: the run exits 0, warns under --quiet, searches, and notes it
discarded() {
    if [ $rc = 0 ] && grep -q "warning: .*tuning cache $cache.*$3" "$tmp/stderr" && [ "$(tuning "$1")" = searched ] &&
        [ "$(field "$tmp/$1.json" '"discarded, searched again" in r["notes"]')" = True ]; then
        pass "$2: warned under --quiet, searched again"
    else
        fail "$2 (rc $rc, tuning $(tuning "$1"))"
    fi
}
edit 'p["wg"] = 0'
run wg0
discarded wg0 "a cached work-group size of 0 (was a false device failure)" "wg=0 is none of this grid's values"
[ "$(field "$tmp/wg0.json" 'all(e["params"]["wg"] != 0 for e in c["entries"])')" = True ] &&
    pass "and the new winner replaces it" || fail "the impossible winner is still cached"

edit 'p["store"] = "streaming"'
run store
discarded store "an unknown store kind (was measured plain, recorded as itself)" 'store="streaming" is none'
[ "$(field "$tmp/store.json" 'r["config"]["store"] in ("plain", "nontemporal")')" = True ] &&
    pass "and the result records a store kind it measured" || fail "the result's store kind"

edit 'p["vec"] = 3'
run vec
discarded vec "a vector width outside the grid" "vec=3 is none"

edit 'p["colour"] = "blue"'
run extra
discarded extra "a parameter the grid does not have" 'no parameter "colour"'

# A winner that verifies no more: discarded, searched, exit 1 (a tuning
# configuration computed wrong results), the entry replaced.
HB_FAULT=verify:1 run verify
if [ $rc = 1 ] && grep -q "warning: .*failed here (output differs" "$tmp/stderr" &&
    [ "$(tuning verify)" = searched ] && [ "$(field "$tmp/verify.json" 'r["tuning_failures"]')" = 1 ] &&
    [ "$(field "$tmp/verify.json" 'len(c["entries"])')" = 1 ]; then
    pass "a cached winner that fails verification: warned, searched again, exit 1"
else
    fail "a cached winner that fails verification (rc $rc)"
fi

echo 'not { json' >"$cache"
run notjson
if [ $rc = 0 ] && grep -q "tuning cache $cache: not JSON" "$tmp/stderr" && grep -q "moved aside to $cache.bad" "$tmp/stderr" &&
    grep -q 'not { json' "$cache.bad" && [ "$(field "$tmp/notjson.json" 'len(c["entries"])')" = 1 ]; then
    pass "a cache that is not JSON: warned, moved aside to .bad, a new one written"
else
    fail "a cache that is not JSON (rc $rc)"
fi

"$py" -c 'import json,sys; c=json.load(open(sys.argv[1])); c["hbmbench_tuning_cache"]=99; json.dump(c,open(sys.argv[1],"w"))' "$cache"
cp "$cache" "$tmp/newer"
run newer
if [ $rc = 0 ] && grep -q "newer hbmbench (format 99" "$tmp/stderr" && grep -q "left as it is" "$tmp/stderr" &&
    cmp -s "$cache" "$tmp/newer" && [ "$(tuning newer)" = searched ]; then
    pass "a newer format: warned, searched, left as it is"
else
    fail "a newer format (rc $rc)"
fi
rm -f "$cache"

touch "$tmp/a-file"
# (PoCL keeps its kernels under XDG_CACHE_HOME too: not there)
POCL_CACHE_DIR=$XDG_CACHE_HOME/pocl/kcache XDG_CACHE_HOME=$tmp/a-file run unwritable
if [ $rc = 0 ] && grep -q "tuning cache not saved .*$tmp/a-file/hbmbench: Not a directory" "$tmp/stderr"; then
    pass "a cache that cannot be written: a warning naming the path and why, exit 0"
else
    fail "a cache that cannot be written (rc $rc)"
fi

# The key: the kernels' source (--kernel-dir with the same text hits; an
# edited kernel misses) and every grid-restricting option.
run base
cp -r "$src/kernels" "$tmp/k"
run samedir --kernel-dir "$tmp/k/opencl"
echo '/* edited */' >>"$tmp/k/opencl/stream.cl"
run edited --kernel-dir "$tmp/k/opencl"
[ "$(tuning samedir)" = cache ] && [ "$(tuning edited)" = searched ] &&
    pass "the kernels' source is in the key (the same text hits, an edit misses)" ||
    fail "kernel source in the key ($(tuning samedir), $(tuning edited))"

hostrun() { "$hb" run --device host --dtype f32 --size 64KiB --iters 2 --tune-iters 1 --quiet --force --bench triad \
    --out "$tmp/$1.json" "${@:2}" >/dev/null 2>"$tmp/stderr"; }
hostrun host1 && hostrun host2 && hostrun host3 --host-stores plain
[ "$(tuning host2)" = cache ] && [ "$(tuning host3)" = searched ] &&
    pass "an option that restricts the grid (--host-stores) is in the key" ||
    fail "grid options in the key ($(tuning host2), $(tuning host3))"

# Two runs writing one cache at once both keep their winners.
rm -f "$cache"
"$hb" run "${small[@]}" --bench copy --out "$tmp/p1.json" >/dev/null 2>&1 &
p1=$!
"$hb" run "${small[@]}" --bench scale --out "$tmp/p2.json" >/dev/null 2>&1 &
p2=$!
wait $p1 && wait $p2
benches=$("$py" -c 'import json,sys; print(sorted(e["key"]["bench"] for e in json.load(open(sys.argv[1]))["entries"]))' "$cache")
[ "$benches" = "['copy', 'scale']" ] && pass "two runs writing at once keep both winners" ||
    { echo "$benches" >"$tmp/stderr"; fail "two runs at once"; }

echo "$passed passed, $failed failed"
[ $failed = 0 ]
