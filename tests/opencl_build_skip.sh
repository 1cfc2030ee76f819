#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A tuning point that does not build is skipped with a note, and the run
# goes on: with --kernel-dir holding a stream.cl that the compiler rejects
# for the non-temporal variants (#error under HB_NT), `run --tune quick`
# on PoCL's CPU device skips those points, each note naming the compiler's
# error and the build log's first line; a plain point verifies and wins,
# the result is valid and the exit status 0.
# usage: opencl_build_skip.sh HBMBENCH PYTHON SOURCE_DIR
set -u
hb=$1 py=$2 src=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! "$hb" list --model opencl 2>/dev/null | grep -q "type CPU"; then
    echo "SKIP: no OpenCL CPU device"
    exit 77
fi
mkdir "$tmp/kernels"
{
    printf '#if HB_NT\n#error hbmbench test: this compiler rejects non-temporal stores\n#endif\n'
    cat "$src/kernels/opencl/stream.cl"
} >"$tmp/kernels/stream.cl"
dev=$("$hb" list --model opencl 2>/dev/null | sed -n 's/^\[\([0-9]*\)\].*/\1/p' | head -1)
"$hb" run --model opencl --device "$dev" --bench copy --dtype f32 --size 1MiB --iters 2 --warmup 0 --tune quick \
    --retune --kernel-dir "$tmp/kernels" --quiet --out "$tmp/out.json" >"$tmp/stdout" 2>"$tmp/stderr"
rc=$?
if [ $rc -ne 0 ]; then
    echo "FAIL: exit $rc, expected 0"
    sed 's/^/  | /' "$tmp/stderr" | tail -8
    exit 1
fi
"$py" - "$tmp/out.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
grid = r["grid"]
nt = [g for g in grid if g["config"].get("store") == "nontemporal"]
plain = [g for g in grid if g["config"].get("store") == "plain"]
bad = []
if not nt or not plain:
    bad.append("the quick grid lacks non-temporal or plain points")
for g in nt:
    n = g["note"]
    if g["valid"] or not n.startswith("skipped: clBuildProgram: CL_BUILD_PROGRAM_FAILURE: ") \
            or "hbmbench test: this compiler rejects" not in n:
        bad.append("a rejected point's note: %r" % n)
if not any(g["valid"] for g in plain):
    bad.append("no plain point verified")
if not r["valid"] or r["config"].get("store") != "plain":
    bad.append("the result: valid %s, config %s" % (r["valid"], r["config"]))
for b in bad:
    print("FAIL", b)
if not bad:
    print("PASS %d rejected points skipped with the compiler's line in their note; %s won, valid"
          % (len(nt), r["config"]))
sys.exit(1 if bad else 0)
PY
