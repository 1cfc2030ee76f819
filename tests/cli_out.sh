#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Where the result file goes (docs/usage.md "Result files", runner/io/json_file.c):
# every problem with --out is found before anything is measured (exit 2, a
# message, no table, no file); --force replaces only regular files; `--out -`
# puts the JSON document on stdout and the table on stderr; temporary files
# of killed runs are removed; a failed final write (a file-size limit) is
# reported and the results kept; a closed stdout does not cost the file.
# usage: cli_out.sh HBMBENCH PYTHON VALIDATE_SCHEMA_PY
set -u
hb=$1 py=$2 validate=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0 passed=0
pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; sed 's/^/  | /' "$tmp/stderr" 2>/dev/null | head -5; failed=$((failed + 1)); }

small=(--device 0 --size 64KiB --iters 2 --tune off --bench copy --dtype f32)

# before NAME CODE PATTERN ARGS...: exit CODE, stderr matching PATTERN, and
# nothing measured: no table on stdout, no size announced, no temporary file.
before() {
    local name=$1 code=$2 pattern=$3
    shift 3
    "$hb" run "${small[@]}" "$@" >"$tmp/stdout" 2>"$tmp/stderr"
    local rc=$?
    if [ $rc -ne "$code" ]; then
        fail "$name: exit $rc, expected $code"
    elif ! grep -qE -- "$pattern" "$tmp/stderr"; then
        fail "$name: stderr lacks /$pattern/"
    elif [ -s "$tmp/stdout" ] || grep -q "per array" "$tmp/stderr"; then
        fail "$name: something was measured before the error"
    elif [ -n "$(find "$tmp" -name '*.tmp.*' -print -quit)" ]; then
        fail "$name: a temporary file is left"
    else
        pass "$name (exit $rc, before measuring)"
    fi
}

touch "$tmp/file"
mkdir "$tmp/dir"
before "parent is a file" 2 "file/x.json: .*is not a directory" --out "$tmp/file/x.json"
before "parent of the parent missing" 2 "cannot create directory" --out "$tmp/no/such/x.json"
before "folder as --out with --force" 2 "dir is a directory" --out "$tmp/dir" --force
before "folder with a trailing slash" 2 "is a directory" --out "$tmp/dir/"
before "empty --out" 2 "--out: empty file name" --out ""
before "existing file without --force" 2 "file exists; refusing to overwrite" --out "$tmp/file"
before "character device with --force" 2 "/dev/null is not a regular file" --out /dev/null --force
[ -c /dev/null ] && pass "/dev/null is still a character device" || fail "/dev/null was replaced"
ln -s /dev/null "$tmp/link"
before "symlink to a device with --force" 2 "link is a symbolic link" --out "$tmp/link" --force
[ -L "$tmp/link" ] && pass "the symlink is still a symlink" || fail "the symlink was replaced"
mkfifo "$tmp/fifo"
before "named pipe with --force" 2 "fifo is not a regular file" --out "$tmp/fifo" --force
before "unwritable folder" 2 "cannot create a file in /sys" --out /sys/hbmbench-test.json
if [ "$(id -u)" -ne 0 ]; then
    mkdir "$tmp/ro" && chmod 500 "$tmp/ro"
    before "folder without write permission" 2 "cannot create a file in .*ro: Permission denied" --out "$tmp/ro/x.json"
fi
# A file-size limit below the 64 KiB probe: EFBIG, reported (SIGXFSZ is
# ignored, so it does not kill the process), before measuring.
( ulimit -f 16; exec "$hb" run "${small[@]}" --out "$tmp/limited.json" ) >"$tmp/stdout" 2>"$tmp/stderr"
rc=$?
if [ $rc -eq 2 ] && grep -q "cannot write 64 KiB in .*File too large" "$tmp/stderr" && [ ! -s "$tmp/stdout" ] &&
    [ -z "$(find "$tmp" -name '*.tmp.*' -print -quit)" ] && [ ! -e "$tmp/limited.json" ]; then
    pass "file-size limit found before measuring (EFBIG, exit 2)"
else
    fail "file-size limit before measuring: exit $rc"
fi

# --force replaces a regular file.
echo '{"old": true}' >"$tmp/old.json"
"$hb" run "${small[@]}" --out "$tmp/old.json" --force --quiet 2>"$tmp/stderr"
rc=$?
[ $rc -eq 0 ] && "$py" "$validate" "$tmp/old.json" >/dev/null && pass "--force replaces a regular file" ||
    fail "--force on a regular file: exit $rc"

# --out -: the document on stdout, the table on stderr, no file anywhere.
for target in - /dev/stdout; do
    (cd "$tmp/dir" && "$hb" run "${small[@]}" --out "$target" >"$tmp/doc.json" 2>"$tmp/stderr")
    rc=$?
    if [ $rc -eq 0 ] && "$py" "$validate" "$tmp/doc.json" >/dev/null && grep -q "best GB/s" "$tmp/stderr" &&
        ! grep -q "best GB/s" "$tmp/doc.json" && [ -z "$(ls -A "$tmp/dir")" ]; then
        pass "--out $target: valid JSON on stdout, table on stderr, no file"
    else
        fail "--out $target: exit $rc"
    fi
done
"$hb" run "${small[@]}" --out - --quiet >"$tmp/doc.json" 2>"$tmp/stderr"
rc=$?
[ $rc -eq 0 ] && "$py" "$validate" "$tmp/doc.json" >/dev/null && [ ! -s "$tmp/stderr" ] &&
    pass "--out - --quiet: only the document, nothing on stderr" || fail "--out - --quiet: exit $rc"
"$hb" run "${small[@]}" --out - --format json >"$tmp/doc.json" 2>"$tmp/stderr"
rc=$?
[ $rc -eq 0 ] && "$py" "$validate" "$tmp/doc.json" >/dev/null && pass "--out - --format json: one document" ||
    fail "--out - --format json: exit $rc"

# Temporary files of killed runs on this host are removed; those of a live
# process or of another host are not.
host=$(hostname | cut -d. -f1 | tr -c 'A-Za-z0-9_\n-' '_' | cut -c1-32)
sleep 0 &
dead=$!
wait $dead
touch "$tmp/dir/a.json.tmp.$host.$dead" "$tmp/dir/b.json.tmp.$host.$$" "$tmp/dir/c.json.tmp.otherhost.$dead"
"$hb" run "${small[@]}" --out "$tmp/dir/new.json" >/dev/null 2>"$tmp/stderr"
rc=$?
if [ $rc -eq 0 ] && [ ! -e "$tmp/dir/a.json.tmp.$host.$dead" ] && [ -e "$tmp/dir/b.json.tmp.$host.$$" ] &&
    [ -e "$tmp/dir/c.json.tmp.otherhost.$dead" ] &&
    grep -q "removed 1 temporary file that killed runs left" "$tmp/stderr"; then
    pass "a killed run's temporary file is removed, a live one's and another host's kept"
else
    fail "stale temporary files: exit $rc; left: $(ls "$tmp/dir" | tr '\n' ' ')"
fi
rm -f "$tmp"/dir/*

# A final write that fails (a file-size limit above the probe, below the
# document: 3000 samples per result): EFBIG reported, exit 1, the results
# kept (here every file is limited, so on stderr, which is a pipe), and no
# temporary file left behind anywhere.
mkdir "$tmp/fallback"
# On the host device: PoCL writes every program it builds to its kernel
# cache, which the limit would stop too (and LLVM then exits on its own).
big=(--device host --size 4KiB --iters 3000 --tune off --dtype f32 --bench copy,scale,add,triad,dot)
( ulimit -f 80; export TMPDIR="$tmp/fallback"; cd "$tmp/dir" &&
  exec "$hb" run "${big[@]}" --out "$tmp/big.json" --quiet ) 2>&1 >/dev/null | cat >"$tmp/stderr"
rc=${PIPESTATUS[0]}
"$py" - "$tmp/stderr" <<'PY' && ok=1 || ok=0
import json, sys
text = open(sys.argv[1]).read()
marker = "the result document follows\n"
doc = json.loads(text[text.index(marker) + len(marker):])
assert len(doc["results"]) == 5, len(doc["results"])
PY
if [ $rc -eq 1 ] && grep -q "big.json: cannot write: File too large" "$tmp/stderr" && [ $ok -eq 1 ] &&
    [ ! -e "$tmp/big.json" ] && [ -z "$(find "$tmp" -name '*.tmp.*' -print -quit)" ]; then
    pass "final write fails (EFBIG): reported, exit 1, results kept on stderr, no temporary file"
else
    fail "final write failure: exit $rc, parsed $ok"
fi

# Ordinary output to a pipe nobody reads (SIGPIPE ignored): the file is written, exit 0.
"$py" - "$hb" "$tmp/piped.json" "${small[@]}" <<'PY' >"$tmp/stderr" 2>&1
import os, subprocess, sys
r, w = os.pipe()
os.close(r)
p = subprocess.run([sys.argv[1], "run", "--out", sys.argv[2]] + sys.argv[3:], stdout=w, stderr=subprocess.DEVNULL)
sys.exit(p.returncode)
PY
rc=$?
[ $rc -eq 0 ] && "$py" "$validate" "$tmp/piped.json" >/dev/null && pass "stdout a closed pipe: file written, exit 0" ||
    fail "stdout a closed pipe: exit $rc"

# An explicit --size below 4 x the largest cache is said to be
# cache-resident in each result's notes and under the table, whatever chose
# the size (auto says it in its sizing line too).
"$hb" run --device host --size 1MiB --bench copy --dtype f32 --iters 2 --warmup 1 --tune off \
    --out "$tmp/cached.json" >"$tmp/cached.txt" 2>"$tmp/stderr"
rc=$?
if [ $rc -eq 0 ] && grep -q "^# note: .*cache-resident: 1.00 MiB per array is below 4 x the device's largest cache" \
    "$tmp/cached.txt" && "$py" -c 'import json, sys
rs = json.load(open(sys.argv[1]))["results"]
sys.exit(not (rs and all("cache-resident: 1.00 MiB per array" in r["notes"] for r in rs)))' "$tmp/cached.json"; then
    pass "--size 1MiB: cache-resident in the notes and under the table"
else
    fail "--size 1MiB: exit $rc, or no cache-resident note"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
