#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# What `run` says on stderr while it runs (docs/usage.md "Progress",
# "Compiler output"): the sizing line once per device, not once per dtype;
# no "no selected bench runs in f64" line for transfers; --progress lines
# counting the planned measurements, on stderr only (stdout and `--out -`
# stay clean), none with --quiet; the OpenCL compiler's "N warnings
# generated." never loose on stderr but in the build log, also when stderr
# is closed (a kernel folder whose stream.cl has a #warning makes sure
# the compiler prints something).
# usage: cli_progress.sh HBMBENCH PYTHON SOURCE_DIR
set -u
hb=$1 py=$2 src=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_CACHE_HOME="$tmp/cache" # the tuning cache of this test only
export POCL_CACHE_DIR="$tmp/pocl"  # PoCL's kernel cache: empty, so every program is compiled
failed=0 passed=0
pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; sed 's/^/  | /' "$tmp/stderr" 2>/dev/null | head -8; failed=$((failed + 1)); }

small=(--device 0 --size 64KiB --iters 2 --tune off)

# The sizing line: one per device for two dtypes and two benches.
"$hb" run "${small[@]}" --bench copy,triad --dtype f32,f64 --out "$tmp/size.json" >"$tmp/stdout" 2>"$tmp/stderr"
rc=$? n=$(grep -c -- "--size: 64.0 KiB per array" "$tmp/stderr")
[ $rc -eq 0 ] && [ "$n" -eq 1 ] && pass "sizing line once per device (f32 and f64)" ||
    fail "sizing line: exit $rc, $n lines"

# Transfers have no dtype: the default f32,f64 says nothing about f64.
"$hb" run --device 0 --bench h2d,d2h --transfer-sizes 4KiB --iters 2 --out "$tmp/xfer.json" \
    >"$tmp/stdout" 2>"$tmp/stderr"
rc=$?
if [ $rc -eq 0 ] && ! grep -q "no selected bench runs" "$tmp/stderr" && ! grep -q "f64 skipped" "$tmp/stderr"; then
    pass "h2d,d2h: no spurious f64 line"
else
    fail "h2d,d2h: exit $rc"
fi
# ...while a bench that has dtypes still says so for one it lacks (or the
# device lacks it).
"$hb" run "${small[@]}" --bench copy --dtype f32,f16 --out "$tmp/f16.json" >"$tmp/stdout" 2>"$tmp/stderr"
rc=$?
[ $rc -eq 0 ] && grep -q "no selected bench runs in f16\|has no f16" "$tmp/stderr" && pass "copy in f16: still said" ||
    fail "copy in f16: exit $rc"

# --progress: [i/4] lines on stderr, the count planned up front, stdout clean.
"$hb" run "${small[@]}" --bench copy,triad --dtype f32,f64 --progress --out - >"$tmp/doc.json" 2>"$tmp/stderr"
rc=$?
if [ $rc -eq 0 ] && grep -q '^\[1/4\] measuring copy f32 64.0 KiB' "$tmp/stderr" &&
    grep -q '^\[4/4\] measuring triad f64 64.0 KiB.*left$' "$tmp/stderr" && ! grep -q '^\[5/' "$tmp/stderr" &&
    "$py" -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/doc.json" && ! grep -q '^\[' "$tmp/doc.json"; then
    pass "--progress: [1/4] to [4/4] on stderr, --out - still valid JSON"
else
    fail "--progress: exit $rc"
fi
"$hb" run "${small[@]}" --bench copy --dtype f32 --progress --out "$tmp/p.json" >"$tmp/stdout" 2>"$tmp/stderr"
rc=$?
[ $rc -eq 0 ] && ! grep -q '^\[' "$tmp/stdout" && grep -q '^\[1/1\]' "$tmp/stderr" &&
    pass "--progress: nothing on stdout" || fail "--progress with a table: exit $rc"
"$hb" run "${small[@]}" --bench copy --dtype f32 --progress --quiet --out "$tmp/q.json" >"$tmp/stdout" 2>"$tmp/stderr"
rc=$?
[ $rc -eq 0 ] && [ ! -s "$tmp/stderr" ] && [ ! -s "$tmp/stdout" ] && pass "--progress --quiet: silent" ||
    fail "--progress --quiet: exit $rc"
# without --progress and not on a terminal: no progress lines
"$hb" run "${small[@]}" --bench copy --dtype f32 --out "$tmp/n.json" >"$tmp/stdout" 2>"$tmp/stderr"
rc=$?
[ $rc -eq 0 ] && ! grep -q '^\[' "$tmp/stderr" && pass "no --progress, no terminal: no progress lines" ||
    fail "no --progress: exit $rc"

# The GEMM kernel, and stream.cl on some CPUs, warn under PoCL's clang
# ("N warnings generated." on fd 2): with an empty kernel cache, nothing of
# it reaches stderr.
gemm=(--device 0 --bench gemm,triad --gemm-sizes 64 --impl hbmbench --tune quick --size 64KiB --iters 2 --dtype f32)
"$hb" run "${gemm[@]}" --out "$tmp/gemm.json" >"$tmp/stdout" 2>"$tmp/stderr"
rc=$?
if [ $rc -eq 0 ] && ! grep -q "warnings\? generated" "$tmp/stderr" &&
    { [ ! -e "$tmp/gemm.build.log" ] || grep -q "^hbmbench run: compiler warnings: " "$tmp/stderr"; }; then
    pass "gemm and triad, empty kernel cache: no 'warnings generated' on stderr"
else
    fail "gemm warnings: exit $rc"
fi

# A kernel that always warns: the text in the build log beside the result,
# one line counting the warnings, nothing loose.
mkdir "$tmp/kernels"
cp "$src"/kernels/opencl/*.cl "$tmp/kernels/"
{ printf '#warning hbmbench test: a warning on purpose\n'; cat "$src/kernels/opencl/stream.cl"; } >"$tmp/kernels/stream.cl"
warns=(--device 0 --bench copy --dtype f32 --size 64KiB --iters 2 --tune off --kernel-dir "$tmp/kernels")
rm -rf "$POCL_CACHE_DIR"
"$hb" run "${warns[@]}" --out "$tmp/w.json" >"$tmp/stdout" 2>"$tmp/stderr"
rc=$?
if [ $rc -eq 0 ] && ! grep -q "warnings\? generated\|a warning on purpose" "$tmp/stderr" &&
    grep -q "hbmbench test: a warning on purpose" "$tmp/w.build.log" &&
    grep -q "^== compiling stream.cl (HB_F64=0 HB_NT=0), for copy f32 64.0 KiB ==$" "$tmp/w.build.log" &&
    grep -q "^hbmbench run: compiler warnings: [1-9][0-9]*, in [0-9]* builds\? (the OpenCL compiler's output is in $tmp/w.build.log)$" "$tmp/stderr"; then
    pass "a warning: not on stderr, in w.build.log, counted"
else
    fail "a warning: exit $rc, build log: $(head -c 300 "$tmp/w.build.log" 2>/dev/null)"
fi
# An existing build log is not replaced without --force (the run goes on).
rm -rf "$POCL_CACHE_DIR"
"$hb" run "${warns[@]}" --out "$tmp/w2.json" --build-log "$tmp/w.build.log" >"$tmp/stdout" 2>"$tmp/stderr"
rc=$?
[ $rc -eq 0 ] && grep -q -- "--build-log $tmp/w.build.log: exists (--force replaces it)" "$tmp/stderr" &&
    ! grep -q "warnings\? generated" "$tmp/stderr" && pass "an existing build log is kept without --force" ||
    fail "existing build log: exit $rc"
# --out -: no build log unless named; the count says how to keep it.
rm -rf "$POCL_CACHE_DIR"
(cd "$tmp/kernels" && "$hb" run "${warns[@]}" --out - >"$tmp/doc.json" 2>"$tmp/stderr")
rc=$?
[ $rc -eq 0 ] && grep -q "not kept: --build-log FILE keeps" "$tmp/stderr" && [ -z "$(ls "$tmp/kernels" | grep -v '\.cl$')" ] &&
    pass "--out -: no build log, the count says how to keep one" || fail "--out - build log: exit $rc"
# stderr closed: the build still captures and restores, and the log is written.
rm -rf "$POCL_CACHE_DIR"
"$hb" run "${warns[@]}" --out "$tmp/closed.json" >"$tmp/stdout" 2>&-
rc=$?
[ $rc -eq 0 ] && [ -s "$tmp/closed.json" ] && grep -q "a warning on purpose" "$tmp/closed.build.log" &&
    pass "stderr closed: the run completes, the warning in the build log" || fail "stderr closed: exit $rc"
# A build that fails still shows the compiler's output on stderr, with the error.
{ printf '#error hbmbench test: an error on purpose\n'; cat "$src/kernels/opencl/stream.cl"; } >"$tmp/kernels/stream.cl"
rm -rf "$POCL_CACHE_DIR"
"$hb" run "${warns[@]}" --out "$tmp/e.json" >"$tmp/stdout" 2>"$tmp/stderr"
rc=$?
[ $rc -ne 0 ] && grep -q "whose build failed (CL_BUILD_PROGRAM_FAILURE)" "$tmp/stderr" &&
    grep -q "an error on purpose" "$tmp/stderr" && pass "a failed build: the compiler's output on stderr (exit $rc)" ||
    fail "a failed build: exit $rc"

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
