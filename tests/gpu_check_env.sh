#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# scripts/gpu-check.sh without a GPU and with LD_LIBRARY_PATH unset (issue
# 16 part 2, items 3 and 9), in seconds: no part measures anything.
#  1. the list part only (HB_CHECK_PARTS=list), with stand-ins for
#     nvidia-smi and dmesg (gVisor's boot line) first on PATH and a driver
#     folder with a stand-in libcuda.so.1 that ldconfig does not know (the
#     image's /usr/local/nvidia/lib64, where the old script's
#     "$LD_LIBRARY_PATH:$d" died): exit 0, no "unbound variable", that
#     folder put on LD_LIBRARY_PATH; the machine is recorded before the binary is even
#     chosen (the log starts with it); machine.json is valid JSON with the
#     facts (glibc, kernel, gVisor, /sys/bus/pci, libraries, ICD files,
#     nvidia-smi's GPUs) and nvidia-smi -q's text is in the log; the list
#     part passes and list.json is written.
#  2. every part with a budget of 1 s: exit 0, every part accounted for in
#     the summary, stream-cuda before stream-opencl, the tarball written.
#  3. no bare $LD_LIBRARY_PATH (or ${LD_LIBRARY_PATH}) in the script: each
#     expansion of it says what an unset one means (:- or :+).
# usage: gpu_check_env.sh SOURCE_DIR HBMBENCH PYTHON
set -u
src=$1
hb=$2
py=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0 passed=0
pass() { echo "PASS $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }

mkdir -p "$tmp/bin"
cat >"$tmp/bin/nvidia-smi" <<'EOF'
#!/bin/sh
case "$1" in
    -q) echo "Driver Version : 580.00 (stand-in)" ;;
    --query-gpu=*) echo "NVIDIA H100 80GB HBM3, 00000000:1B:00.0, 580.00, 81559 MiB, 9.0" ;;
esac
EOF
printf '#!/bin/sh\necho "[    0.000000] Starting gVisor..."\n' >"$tmp/bin/dmesg"
chmod +x "$tmp/bin/nvidia-smi" "$tmp/bin/dmesg"
mkdir -p "$tmp/nvidia/lib64"
: >"$tmp/nvidia/lib64/libcuda.so.1"

check() { # check NAME: runs gpu-check.sh into $tmp/NAME with LD_LIBRARY_PATH unset
    local name=$1
    shift
    env -u LD_LIBRARY_PATH "$@" HB="$hb" XDG_CACHE_HOME="$tmp/cache" \
        bash "$src/scripts/gpu-check.sh" "$tmp/$name" "$tmp/$name.tar.gz" >"$tmp/$name.out" 2>&1
}

check one PATH="$tmp/bin:$PATH" HB_CHECK_PARTS=list HB_CHECK_DRIVER_DIRS="$tmp/nvidia/lib64"
rc=$?
log=$tmp/one/log.txt
if [ "$rc" -ne 0 ] || grep -q 'unbound variable' "$tmp/one.out"; then
    fail "gpu-check.sh (list only, LD_LIBRARY_PATH unset) exited $rc: $(grep -m3 -e unbound -e FAILED "$tmp/one.out")"
elif ! grep -q "LD_LIBRARY_PATH=.*$tmp/nvidia/lib64" "$tmp/one/log.txt"; then
    fail "the driver folder is not on LD_LIBRARY_PATH: $(grep -m1 'LD_LIBRARY_PATH=' "$tmp/one/log.txt")"
else
    pass "gpu-check.sh (list only) with LD_LIBRARY_PATH unset: exit 0, no unbound variable, driver folder on the path"
fi
first=$(head -1 "$log" 2>/dev/null)
machine=$(grep -n '^===== end of the machine' "$log" | cut -d: -f1)
chosen=$(grep -n '\] hbmbench: ' "$log" | cut -d: -f1)
if [ "$first" != "===== the machine" ] || [ -z "$machine" ] || [ -z "$chosen" ] || [ "$machine" -gt "$chosen" ]; then
    fail "the machine is not recorded first in the log (first line '$first')"
elif ! grep -q 'Driver Version : 580.00 (stand-in)' "$log"; then
    fail "nvidia-smi -q's text is not in the log"
else
    pass "the log starts with the machine, nvidia-smi -q included, before the binary is chosen"
fi
"$py" - "$tmp/one/machine.json" <<'EOF' >"$tmp/json.out" 2>&1
import json, sys
m = json.load(open(sys.argv[1]))
need = ["date_utc", "kernel", "glibc", "gvisor", "sys_bus_pci", "libraries", "icd_files", "gpus", "nvidia_smi",
        "library_folders", "environment"]
missing = [k for k in need if k not in m]
assert not missing, "missing keys: %s" % missing
assert m["gvisor"] is True, "gVisor's dmesg line not seen: %r" % m["gvisor"]
assert m["nvidia_smi"] is True and m["gpus"] == ["NVIDIA H100 80GB HBM3, 00000000:1B:00.0, 580.00, 81559 MiB, 9.0"], m["gpus"]
assert isinstance(m["sys_bus_pci"], bool) and m["glibc"], (m["sys_bus_pci"], m["glibc"])
for lib in ("libcuda.so.1", "libnvidia-ml.so.1", "libnvrtc*.so*", "libnvidia-opencl.so.1"):
    assert isinstance(m["libraries"].get(lib), list), lib
assert any(p.endswith("/nvidia/lib64/libcuda.so.1") for p in m["libraries"]["libcuda.so.1"]), m["libraries"]
EOF
json_rc=$?
if [ "$json_rc" -eq 0 ]; then
    pass "machine.json: valid, with glibc, kernel, gVisor, /sys/bus/pci, libraries, ICD files, GPUs"
else
    fail "machine.json: $(tail -3 "$tmp/json.out")"
fi
if ! grep -qE 'part list: (ok|no device \(exit 3\))' "$log"; then
    fail "list part: $(grep 'part list' "$log")"
elif ! grep -q '"devices"' "$tmp/one/list.json" 2>/dev/null; then
    fail "no list.json"
else
    pass "list part ran, list.json written"
fi

check all HB_CHECK_BUDGET=1
rc=$?
summary=$(sed -n '/^===== summary/,$p' "$tmp/all/log.txt" 2>/dev/null)
missing=""
for p in list stream-cuda stream-opencl sweep gemm roofline host; do
    grep -q "^  $p: " <<<"$summary" || missing+=" $p"
done
cuda_line=$(grep -n '^  stream-cuda: ' <<<"$summary" | cut -d: -f1)
cl_line=$(grep -n '^  stream-opencl: ' <<<"$summary" | cut -d: -f1)
if [ "$rc" -ne 0 ] || grep -q 'unbound variable' "$tmp/all.out"; then
    fail "gpu-check.sh (budget 1 s) exited $rc: $(grep -m3 -e unbound -e FAILED "$tmp/all.out")"
elif [ -n "$missing" ]; then
    fail "summary lacks:$missing"
elif [ -z "$cuda_line" ] || [ -z "$cl_line" ] || [ "$cuda_line" -gt "$cl_line" ]; then
    fail "stream-cuda does not come before stream-opencl"
elif ! tar tzf "$tmp/all.tar.gz" | grep -q 'all/machine.json'; then
    fail "the tarball lacks machine.json"
else
    pass "every part accounted for within a 1 s budget, CUDA first, tarball written"
fi

# shellcheck disable=SC2016 # the patterns are the script's text, not expansions
sed -e 's/^[[:space:]]*#.*//' -e 's/\${LD_LIBRARY_PATH:[-+][^}]*}//g' "$src/scripts/gpu-check.sh" |
    grep -nE '\$(LD_LIBRARY_PATH\b|\{LD_LIBRARY_PATH\})' >"$tmp/bare"
if [ -s "$tmp/bare" ]; then
    fail "bare LD_LIBRARY_PATH expansions: $(tr '\n' ' ' <"$tmp/bare")"
else
    pass "no bare \$LD_LIBRARY_PATH expansion in gpu-check.sh"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
