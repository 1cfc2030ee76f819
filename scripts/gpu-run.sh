#!/usr/bin/env bash
# Runs hbmbench on a GPU machine from a bundle made by scripts/gpu-bundle.sh,
# with no internet access. Finds the vendor's OpenCL driver and registers it
# with the bundled ICD loader through OCL_ICD_VENDORS, because containers
# often get libnvidia-opencl.so.1 but not /etc/OpenCL/vendors/nvidia.icd
# (nvidia-container-toolkit #682; shared/research/peak-and-hwloc.md 5).
#
# usage: gpu-run.sh [OUT_DIR] [hbmbench run options...]
#   OUT_DIR (default: ./hbmbench-out) receives list.txt, list.json,
#   run.json (default suite + host), sweep.json (--sweep) and found.txt.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$PWD/hbmbench-out}
shift || true
mkdir -p "$out"
libdir="$here/root/usr/lib/x86_64-linux-gnu"
export LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
hb="$here/bin/hbmbench"

{
    echo "# what this machine has"
    nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.memory,clocks.max.sm,ecc.mode.current \
        --format=csv 2>&1 || echo "nvidia-smi: not available"
    echo "# OpenCL/NVML libraries known to ldconfig"
    ldconfig -p | grep -i -e opencl -e nvidia-ml || echo "(none)"
    echo "# /usr/local/nvidia/lib64 and /etc/OpenCL/vendors"
    ls /usr/local/nvidia/lib64 /etc/OpenCL/vendors 2>&1 | head -50
} >"$out/found.txt"

# Register every vendor ICD we can find: the system's .icd files, plus
# NVIDIA's library when only the library is present.
vendors="$out/vendors"
mkdir -p "$vendors"
cp /etc/OpenCL/vendors/*.icd "$vendors/" 2>/dev/null || true
nv=$(ldconfig -p | awk '/libnvidia-opencl\.so\.1/ {print $NF; exit}')
[ -z "$nv" ] && [ -e /usr/local/nvidia/lib64/libnvidia-opencl.so.1 ] && nv=/usr/local/nvidia/lib64/libnvidia-opencl.so.1
if [ -n "$nv" ] && ! grep -qs nvidia "$vendors"/*.icd; then
    echo "$nv" >"$vendors/nvidia.icd"
fi
export OCL_ICD_VENDORS="$vendors"
{ echo "# registered ICDs ($vendors)"; head -n 5 "$vendors"/*.icd 2>&1; } >>"$out/found.txt"
cat "$out/found.txt"

rc=0
"$hb" list | tee "$out/list.txt" || rc=$?
"$hb" list --json >"$out/list.json" || rc=$?
"$hb" run --device default,host --out "$out/run.json" --force "$@" | tee "$out/run.txt" || rc=$?
"$hb" run --device default --sweep --out "$out/sweep.json" --force "$@" >"$out/sweep.txt" || rc=$?
exit $rc
