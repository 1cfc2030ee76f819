#!/usr/bin/env bash
# One call on a GPU machine that may be lent for minutes, has no internet
# and runs a CUDA image: records the machine, registers NVIDIA's OpenCL
# driver when its ICD file is missing, and runs `hbmbench list`, the stream
# suite through every model with --sweep (OpenCL and CUDA rows of one GPU
# in one file), the gemm and roofline benches and a short host baseline,
# each part inside a time box so a slow part never costs the
# others; the whole stays inside a budget (default 450 s, under 8 minutes
# with the machine's start-up). Every JSON and one text log land in OUTDIR.
#
# usage: gpu-check.sh OUTDIR [TARBALL]
#   TARBALL: also pack OUTDIR into this .tar.gz (a device session that can
#   bring back only a few files wants one).
# environment:
#   HB_CHECK_BUDGET  seconds for all parts (default 450)
#   HB_CHECK_SIZE    --size of the stream and roofline runs (default:
#                    512MiB on a GPU, 16MiB where only CPU devices are found)
#   HB               the hbmbench binary to use (default: the bundle's
#                    bin/hbmbench, else the repository's build/hbmbench,
#                    else one built here from source)
#
# Where it looks: run from a bundle made by scripts/gpu-bundle.sh (this
# script beside bin/, root/, dev/, src.tar.gz) or from a repository checkout
# (scripts/gpu-check.sh, with build/ or .gpu/). The bundle's libraries
# (Debian's ICD loader, hwloc, jansson, unpacked with dpkg -x) go first on
# LD_LIBRARY_PATH; when the binary does not run there (another glibc, say),
# it is rebuilt from source with the bundle's headers (dev/).
set -uo pipefail
if [ $# -lt 1 ] || [ "${1:-}" = "-h" ] || [ "${1:-}" = "--help" ]; then
    sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'
    [ $# -lt 1 ] && exit 2 || exit 0
fi
out=$(mkdir -p "$1" && cd "$1" && pwd) || { echo "gpu-check: cannot create $1" >&2; exit 2; }
tarball=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
budget=${HB_CHECK_BUDGET:-450}
t0=$(date +%s)
log="$out/log.txt"
: >"$log"

say() { printf '[+%3ds] %s\n' "$(($(date +%s) - t0))" "$*" | tee -a "$log" >&2; }
left() { echo $((budget - ($(date +%s) - t0))); }

# ---- where the binary, its libraries and the sources are ----
if [ -d "$here/root" ] && [ -d "$here/bin" ]; then   # a bundle
    bundle=$here
    src_tar="$here/src.tar.gz"
    repo=""
else                                           # scripts/ of a checkout
    repo=$(cd "$here/.." && pwd)
    bundle="$repo/.gpu"
    src_tar=""
fi
libdir="$bundle/root/usr/lib/x86_64-linux-gnu"
[ -d "$libdir" ] && export LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# The driver's own folder, where a container mounts it without telling the
# loader (never the toolkit's stubs/: that libcuda is no driver).
for d in /usr/local/nvidia/lib64 /usr/local/nvidia/lib; do
    [ -e "$d/libcuda.so.1" ] && ! ldconfig -p 2>/dev/null | grep -q 'libcuda\.so\.1 ' &&
        export LD_LIBRARY_PATH="$LD_LIBRARY_PATH${LD_LIBRARY_PATH:+:}$d"
done
# NVRTC outside the usual places (a Python wheel's nvidia/cu13/lib, say).
if [ -z "${HB_NVRTC:-}" ] && [ -z "${CUDA_HOME:-}" ] && ! ls /usr/local/cuda/lib64/libnvrtc.so* >/dev/null 2>&1 &&
    ! ldconfig -p 2>/dev/null | grep -q libnvrtc; then
    nvrtc=$(find /usr /opt -name 'libnvrtc.so.[0-9]*' -not -name '*builtins*' 2>/dev/null | sort | tail -1)
    [ -n "$nvrtc" ] && export HB_NVRTC=$nvrtc
fi

runs() { [ -n "$1" ] && [ -x "$1" ] && "$1" --version >/dev/null 2>&1; }

build_here() {
    local src bdir=/tmp/hbmbench-gpu-check-build
    if [ -n "$repo" ]; then
        src=$repo
    elif [ -f "$src_tar" ]; then
        src=/tmp/hbmbench-gpu-check-src
        rm -rf "$src" && mkdir -p "$src" && tar xzf "$src_tar" -C "$src" || return 1
    else
        return 1
    fi
    local dev="$bundle/dev" args=(-DCMAKE_BUILD_TYPE=Release -DHB_WITH_CLBLAST=OFF -DBUILD_TESTING=OFF)
    if [ -d "$dev/usr/include" ]; then
        # the bundle's headers and link-time libraries (Debian's -dev packages),
        # and its pkgconf where the machine has no pkg-config
        export PKG_CONFIG_SYSROOT_DIR=$dev PKG_CONFIG_LIBDIR="$dev/usr/lib/x86_64-linux-gnu/pkgconfig:$dev/usr/share/pkgconfig"
        args+=(-DOpenCL_INCLUDE_DIR="$dev/usr/include" -DOpenCL_LIBRARY="$dev/usr/lib/x86_64-linux-gnu/libOpenCL.so")
        if ! command -v pkg-config >/dev/null && [ -x "$dev/usr/bin/pkgconf" ]; then
            export LD_LIBRARY_PATH="$LD_LIBRARY_PATH:$dev/usr/lib/x86_64-linux-gnu"
            args+=(-DPKG_CONFIG_EXECUTABLE="$dev/usr/bin/pkgconf")
        fi
    fi
    cmake -S "$src" -B "$bdir" "${args[@]}" >>"$log" 2>&1 &&
        cmake --build "$bdir" -j"$(nproc)" --target hbmbench >>"$log" 2>&1 && echo "$bdir/hbmbench"
}

hb=""
for c in "${HB:-}" "$bundle/bin/hbmbench" "${repo:+$repo/build/hbmbench}"; do
    if runs "$c"; then hb=$c; break; fi
done
if [ -z "$hb" ]; then
    say "no hbmbench that runs here; building one from source"
    hb=$(build_here)
    runs "$hb" || { say "FAILED: no binary and the build failed (see $log)"; exit 1; }
fi
say "hbmbench: $hb ($("$hb" --version 2>&1 | head -1)); budget ${budget}s"

# ---- the machine ----
{
    echo "# date"; date -u
    echo "# uname -a"; uname -a
    echo "# /etc/os-release"; cat /etc/os-release 2>/dev/null
    echo "# CPUs and memory"; nproc; free -g 2>/dev/null
    echo "# NVIDIA driver"; cat /proc/driver/nvidia/version 2>/dev/null || echo "(no /proc/driver/nvidia/version)"
    echo "# nvidia-smi"; timeout -k 5 30 nvidia-smi 2>&1 || echo "(nvidia-smi: not available)"
    echo "# CUDA"; (timeout 20 nvcc --version || timeout 20 /usr/local/cuda/bin/nvcc --version) 2>&1 | tail -2
    cat /usr/local/cuda/version.json 2>/dev/null | head -12
    echo "# OpenCL and NVIDIA libraries known to ldconfig"; ldconfig -p 2>/dev/null | grep -i -e opencl -e nvidia -e libcuda -e nvrtc
    echo "# /etc/OpenCL/vendors"; ls -l /etc/OpenCL/vendors 2>&1; head -n 3 /etc/OpenCL/vendors/*.icd 2>&1
    echo "# /usr/local/nvidia/lib64"; ls /usr/local/nvidia/lib64 2>&1 | head -60
    echo "# environment"; env | grep -E '^(LD_LIBRARY_PATH|CUDA|NVIDIA|OCL_ICD|HB_)' | sort
} >"$out/machine.txt" 2>&1
timeout -k 5 60 nvidia-smi -q >"$out/nvidia-smi-q.txt" 2>&1 || echo "(nvidia-smi -q: not available)" >>"$out/nvidia-smi-q.txt"
say "machine recorded: machine.txt, nvidia-smi-q.txt"

# ---- NVIDIA's OpenCL driver without its ICD file (nvidia-container-toolkit #682) ----
vendors="$out/vendors"
mkdir -p "$vendors"
cp /etc/OpenCL/vendors/*.icd "$vendors/" 2>/dev/null
nv=$(ldconfig -p 2>/dev/null | awk '/libnvidia-opencl\.so\.1/ {print $NF; exit}')
for d in /usr/local/nvidia/lib64 /usr/lib/x86_64-linux-gnu; do
    [ -z "$nv" ] && [ -e "$d/libnvidia-opencl.so.1" ] && nv="$d/libnvidia-opencl.so.1"
done
if [ -n "$nv" ] && ! grep -qs nvidia "$vendors"/*.icd; then
    echo "$nv" >"$vendors/nvidia.icd"
    say "registered NVIDIA's OpenCL driver: $vendors/nvidia.icd -> $nv"
fi
export OCL_ICD_VENDORS=$vendors

# part NAME BOX COMMAND...: runs COMMAND (stdout and stderr to the log) in
# at most BOX seconds and no longer than the budget allows.
declare -a summary
part() {
    local name=$1 box=$2 rem
    shift 2
    rem=$(left)
    if [ "$rem" -lt 15 ]; then
        summary+=("$name: skipped (budget spent)")
        say "part $name: skipped, ${rem}s left"
        return 0
    fi
    [ "$box" -gt "$rem" ] && box=$rem
    say "part $name: start (box ${box}s): $*"
    local s rc
    s=$(date +%s)
    { echo "----- $name: $*"; timeout -k 5 "$box" "$@"; echo "----- $name: exit $?"; } >>"$log" 2>&1
    rc=$(tail -1 "$log" | sed -n 's/.*exit \([0-9]*\)$/\1/p')
    local took=$(($(date +%s) - s)) verdict
    case "$rc" in
        0) verdict="ok" ;;
        124 | 137) verdict="TIMED OUT after ${box}s" ;;
        1) verdict="done, with invalid results or a device failure (exit 1)" ;;
        3) verdict="no device (exit 3)" ;;
        *) verdict="FAILED (exit $rc)" ;;
    esac
    summary+=("$name: $verdict in ${took}s")
    say "part $name: $verdict in ${took}s"
}

# ---- the parts, most valuable first ----
part list 30 "$hb" list
timeout -k 5 30 "$hb" list --json >"$out/list.json" 2>"$out/list.err"
cat "$out/list.err" >>"$log"
# Devices other than the host's, and GPUs among them (no Python needed).
devices=$(grep -c '"is_host": false' "$out/list.json" 2>/dev/null)
gpus=$(grep -c '"type": "GPU"' "$out/list.json" 2>/dev/null)
cuda_status=$(sed -n 's/^hbmbench list: cuda: //p' "$out/list.err" | head -1)
if [ -n "$cuda_status" ]; then
    summary+=("cuda: unavailable ($cuda_status)")
    say "cuda: unavailable: $cuda_status"
fi
# On a GPU: 512 MiB per stream array (8x the 60 MiB L2 of an H200, above
# STREAM's 4x) keeps the host's share (expected values, verification) small
# enough for the time boxes; where only CPU devices exist, 16 MiB.
size=${HB_CHECK_SIZE:-}
[ -z "$size" ] && { [ "${gpus:-0}" -gt 0 ] && size=512MiB || size=16MiB; }
gemm_sizes=2048,8192
[ "${gpus:-0}" -eq 0 ] && gemm_sizes=256,512
say "devices: ${devices:-0} (GPUs: ${gpus:-0}); stream size: $size; gemm sizes: $gemm_sizes"

common=(--device default --force)
if [ "${devices:-0}" -gt 0 ]; then
    # A first look that a later time-out cannot take away: every model, two kernels.
    part stream-smoke 40 "$hb" run "${common[@]}" --bench triad,dot --dtype f32 --size "$size" \
        --tune off --out "$out/stream-smoke.json"
    # The suite through every model of each device (run's default: OpenCL
    # and CUDA rows of a GPU side by side), tuned at the main size, swept
    # from 4 KiB up with the default configurations.
    part stream 200 "$hb" run "${common[@]}" --size "$size" --sweep --out "$out/stream.json"
    part gemm 100 "$hb" run "${common[@]}" --bench gemm --dtype f32,f64 --gemm-sizes "$gemm_sizes" \
        --out "$out/gemm.json"
    part roofline 60 "$hb" run "${common[@]}" --bench roofline --size "$size" --out "$out/roofline.json"
else
    summary+=("stream, gemm, roofline: no device but the host's")
fi
part host 40 "$hb" run --device host --size 256MiB --tune off --force --out "$out/host.json"

say "done in $(($(date +%s) - t0))s; files in $out:"
ls -l "$out" | tee -a "$log" >&2
{
    echo "===== summary"
    for s in "${summary[@]}"; do echo "  $s"; done
} | tee -a "$log" >&2
if [ -n "$tarball" ]; then
    tar czf "$tarball" -C "$(dirname "$out")" "$(basename "$out")" && say "packed into $tarball"
fi
exit 0
