#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# One call on a GPU machine that may be lent for minutes, has no internet
# and runs a CUDA image. First it records the machine (nvidia-smi -q, the
# NVIDIA libraries found, the OpenCL ICD files, /sys/bus/pci, glibc, kernel,
# gVisor) into the log and OUTDIR/machine.json; then it registers NVIDIA's
# OpenCL driver when its ICD file is missing, and runs, each part in its own
# time box and all inside a budget (default 225 s, under 4 minutes; the
# arithmetic is in docs/gpu.md#how-long-gpu-checksh-takes): `hbmbench list`,
# the stream suite through CUDA (the native baseline) and then through
# OpenCL, their comparison, gemm, the roofline, a triad --sweep through
# every model and a short host baseline. Every JSON and one text log land
# in OUTDIR.
#
# usage: gpu-check.sh OUTDIR [TARBALL]
#   TARBALL: also pack OUTDIR into this .tar.gz (a device session that can
#   bring back only a few files wants one).
# environment:
#   HB_CHECK_BUDGET  seconds for everything (default 225)
#   HB_CHECK_PARTS   the parts to run, comma-separated (default: all of
#                    list,stream-cuda,stream-opencl,compare,crosscheck,gemm,roofline,
#                    sweep,host)
#   HB_CHECK_SIZE    --size of the stream runs and the sweep (default:
#                    512MiB on a GPU, 16MiB where only CPU devices are found;
#                    the roofline's is 128MiB on a GPU, else the same)
#   HB_CHECK_DRIVER_DIRS  where the image mounts NVIDIA's driver libraries
#                    (default: /usr/local/nvidia/lib64 /usr/local/nvidia/lib)
#   HB               the hbmbench binary to use (default: the bundle's
#                    bin/hbmbench, else the repository's build/hbmbench,
#                    else one built here from source)
#
# Where it looks: run from a bundle made by scripts/gpu-bundle.sh (this
# script beside bin/, root/, dev/, src.tar.gz, GLIBC_REQUIRED) or from a
# repository checkout (scripts/gpu-check.sh, with build/ or .gpu/). When
# the machine's glibc is at least GLIBC_REQUIRED, the bundle's libraries
# (Debian's, unpacked with dpkg -x) go first on LD_LIBRARY_PATH, as
# tests/gpu_bundle.sh proves them; else, or when the binary does not start
# so, only those the machine lacks are added; when it still does not run,
# it is rebuilt from src.tar.gz with the bundle's headers (dev/).
set -uo pipefail
if [ $# -lt 1 ] || [ "${1:-}" = "-h" ] || [ "${1:-}" = "--help" ]; then
    sed -n '2,/^[^#]/s/^# \{0,1\}//p' "$0"
    [ $# -lt 1 ] && exit 2 || exit 0
fi
out=$(mkdir -p "$1" && cd "$1" && pwd) || { echo "gpu-check: cannot create $1" >&2; exit 2; }
tarball=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
budget=${HB_CHECK_BUDGET:-225}
parts=",${HB_CHECK_PARTS:-list,stream-cuda,stream-opencl,compare,crosscheck,gemm,roofline,sweep,host},"
t0=$(date +%s)
log="$out/log.txt"
: >"$log"
work=$(mktemp -d "${TMPDIR:-/tmp}/hbmbench-gpu-check.XXXXXX") || { echo "gpu-check: no temporary folder" >&2; exit 2; }
trap 'rm -rf "$work"' EXIT

say() { printf '[+%3ds] %s\n' "$(($(date +%s) - t0))" "$*" | tee -a "$log" >&2; }
left() { echo $((budget - ($(date +%s) - t0))); }
# Text into a JSON string: backslashes, quotes, tabs and newlines escaped,
# other control characters dropped.
jstr() {
    local s
    [ -n "$1" ] || { printf null; return; }
    s=$(printf '%s' "$1" | tr -d '\000-\010\013\014\016-\037')
    s=${s//\\/\\\\}
    s=${s//\"/\\\"}
    s=${s//$'\t'/\\t}
    s=${s//$'\n'/\\n}
    printf '"%s"' "$s"
}
# A JSON array of strings, one per line of $1 (empty lines left out).
jlines() {
    local first=1 line
    printf '['
    while IFS= read -r line; do
        [ -n "$line" ] || continue
        [ $first -eq 1 ] || printf ', '
        first=0
        jstr "$line"
    done <<<"$1"
    printf ']'
}
older() { [ "$1" != "$2" ] && [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -1)" = "$1" ]; }

# ---- where the bundle, the binary and the sources are (nothing runs yet) ----
if [ -d "$here/root" ] && [ -d "$here/bin" ]; then   # a bundle
    bundle=$here
    src_tar="$here/src.tar.gz"
    repo=""
else                                           # scripts/ of a checkout
    repo=$(cd "$here/.." && pwd)
    bundle="$repo/.gpu"
    src_tar=""
fi
bundle_libs=()
for d in "$bundle/root/usr/lib/x86_64-linux-gnu" "$bundle/root/lib/x86_64-linux-gnu"; do
    [ -d "$d" ] && bundle_libs+=("$d")
done
glibc_need=$(cat "$bundle/GLIBC_REQUIRED" 2>/dev/null || true)

# ---- 1. the machine, before anything else runs ----
ldc=$(ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null || true)
glibc_have=$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}')
if [ -z "$glibc_have" ]; then
    lddv=$(ldd --version 2>&1 || true)
    glibc_have=$(sed -n '1s/.* //p' <<<"$lddv")
fi
dmesg_text=$(timeout -k 2 5 dmesg 2>/dev/null || true)
proc_version=$(cat /proc/version 2>/dev/null || true)
gvisor=false
if grep -qi gvisor <<<"$proc_version$dmesg_text"; then gvisor=true; fi
sys_pci=false
[ -d /sys/bus/pci/devices ] && sys_pci=true
nv_pci=$(grep -l 0x10de /sys/bus/pci/devices/*/vendor 2>/dev/null | wc -l)

# The folders container images put NVIDIA's libraries in, and those of
# pip wheels (nvidia/cu13/lib, nvidia/cuda_nvrtc/lib: NVRTC of PyTorch's
# wheels). Never the toolkit's lib64/stubs: that libcuda is no driver.
site_dirs=$(
    if command -v python3 >/dev/null; then
        timeout -k 2 10 python3 -c 'import site; print("\n".join(site.getsitepackages() + [site.getusersitepackages()]))' 2>/dev/null
    fi
    for d in /usr/local/lib/python3*/dist-packages /usr/local/lib/python3*/site-packages /usr/lib/python3/dist-packages \
        /usr/lib/python3*/site-packages /opt/conda/lib/python3*/site-packages "${HOME:-/root}"/.local/lib/python3*/site-packages; do
        [ -d "$d" ] && echo "$d"
    done
)
read -ra driver_dirs <<<"${HB_CHECK_DRIVER_DIRS:-/usr/local/nvidia/lib64 /usr/local/nvidia/lib}"
candidates=("${driver_dirs[@]}" /usr/lib/x86_64-linux-gnu /usr/lib64 /usr/local/cuda/lib64
    "${CUDA_HOME:-/usr/local/cuda}/lib64")
while IFS= read -r sp; do [ -n "$sp" ] && candidates+=("$sp"/nvidia/*/lib); done <<<"$site_dirs"
lib_dirs=() seen=" "
for d in "${candidates[@]}"; do
    [ -d "$d" ] || continue
    case $seen in *" $(readlink -f "$d") "*) continue ;; esac
    seen+="$(readlink -f "$d") "
    lib_dirs+=("$d")
done
# find_libs PATTERN: the files matching PATTERN in those folders, one per line.
find_libs() {
    local d f
    for d in "${lib_dirs[@]}"; do
        for f in "$d"/$1; do [ -e "$f" ] && echo "$f"; done
    done
}
declare -A found=()
for name in libcuda.so.1 libnvidia-ml.so.1 'libnvrtc*.so*' libnvidia-opencl.so.1 'libcublas.so*'; do
    found[$name]=$(find_libs "$name")
done
icd_files=()
for f in /etc/OpenCL/vendors/*.icd; do [ -e "$f" ] && icd_files+=("$f"); done
smi=false smi_gpus=""
if command -v nvidia-smi >/dev/null; then
    smi=true
    timeout -k 5 20 nvidia-smi -q >"$out/nvidia-smi-q.txt" 2>&1 || echo "(nvidia-smi -q failed or timed out)" >>"$out/nvidia-smi-q.txt"
    smi_gpus=$(timeout -k 5 10 nvidia-smi --query-gpu=name,pci.bus_id,driver_version,memory.total,compute_cap \
        --format=csv,noheader 2>&1 || true)
fi
nv_driver=$(sed -n '1p' /proc/driver/nvidia/version 2>/dev/null || true)
nvcc_v=$( (timeout -k 2 10 nvcc --version || timeout -k 2 10 /usr/local/cuda/bin/nvcc --version) 2>/dev/null || true)
cuda_toolkit=$(sed -n 's/.*release \([0-9.]*\),.*/\1/p' <<<"$nvcc_v")
os=$(sed -n 's/^PRETTY_NAME="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' /etc/os-release 2>/dev/null || true)
mem_kib=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo 2>/dev/null || true)

{
    echo "===== the machine"
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ); host: $(uname -n); OS: ${os:-unknown}; CPUs: $(nproc); memory: ${mem_kib:-?} KiB"
    echo "kernel: $(uname -r) $(uname -v); /proc/version: $proc_version"
    echo "gVisor: $gvisor; /sys/bus/pci: $sys_pci (NVIDIA functions there: $nv_pci)"
    echo "glibc: ${glibc_have:-unknown}; the bundle needs: ${glibc_need:-(no GLIBC_REQUIRED)}"
    echo "NVIDIA driver: ${nv_driver:-(no /proc/driver/nvidia/version)}; CUDA toolkit (nvcc): ${cuda_toolkit:-none}"
    echo "nvidia-smi: $smi${smi_gpus:+; GPUs:}"
    [ -n "$smi_gpus" ] && echo "  ${smi_gpus//$'\n'/$'\n'  }"
    echo "libraries: searched ${candidates[*]}; of these present: ${lib_dirs[*]}"
    for name in libcuda.so.1 libnvidia-ml.so.1 'libnvrtc*.so*' libnvidia-opencl.so.1 'libcublas.so*'; do
        echo "  $name: $(tr '\n' ' ' <<<"${found[$name]:-}")"
    done
    echo "  known to ldconfig: $(grep -i -o -e 'libcuda\.so[.0-9]*' -e 'libnvidia-ml\.so[.0-9]*' -e 'libnvidia-opencl\.so[.0-9]*' \
        -e 'libnvrtc[-a-z.]*so[.0-9]*' -e 'libOpenCL\.so[.0-9]*' <<<"$ldc" | sort -u | tr '\n' ' ')"
    echo "OpenCL ICD files (/etc/OpenCL/vendors):"
    for f in "${icd_files[@]}"; do echo "  $f: $(head -c 300 "$f" | tr '\n' ' ')"; done
    [ ${#icd_files[@]} -eq 0 ] && echo "  (none)"
    echo "environment: $(env | grep -E '^(LD_LIBRARY_PATH|CUDA|NVIDIA|OCL_ICD|HB_)' | sort | tr '\n' ' ')"
    if [ -s "$out/nvidia-smi-q.txt" ]; then
        echo "----- nvidia-smi -q"
        cat "$out/nvidia-smi-q.txt"
    fi
    echo "===== end of the machine"
} >>"$log" 2>&1
{
    printf '{\n  "what": "hbmbench scripts/gpu-check.sh: the machine, recorded before anything ran",\n'
    printf '  "date_utc": %s,\n  "hostname": %s,\n  "os": %s,\n' "$(jstr "$(date -u +%Y-%m-%dT%H:%M:%SZ)")" \
        "$(jstr "$(uname -n)")" "$(jstr "$os")"
    printf '  "kernel": %s,\n  "proc_version": %s,\n  "gvisor": %s,\n' "$(jstr "$(uname -r) $(uname -v)")" \
        "$(jstr "$proc_version")" "$gvisor"
    printf '  "sys_bus_pci": %s,\n  "nvidia_pci_functions": %s,\n' "$sys_pci" "${nv_pci:-0}"
    printf '  "cpus": %s,\n  "memory_kib": %s,\n' "$(nproc)" "${mem_kib:-null}"
    printf '  "glibc": %s,\n  "glibc_required": %s,\n' "$(jstr "$glibc_have")" "$(jstr "$glibc_need")"
    printf '  "nvidia_driver": %s,\n  "cuda_toolkit": %s,\n' "$(jstr "$nv_driver")" "$(jstr "$cuda_toolkit")"
    printf '  "nvidia_smi": %s,\n  "gpus": %s,\n' "$smi" "$(jlines "$smi_gpus")"
    printf '  "library_folders": %s,\n  "libraries": {' "$(jlines "$(printf '%s\n' "${lib_dirs[@]}")")"
    sep=""
    for name in libcuda.so.1 libnvidia-ml.so.1 'libnvrtc*.so*' libnvidia-opencl.so.1 'libcublas.so*'; do
        printf '%s\n    %s: %s' "$sep" "$(jstr "$name")" "$(jlines "${found[$name]:-}")"
        sep=","
    done
    printf '\n  },\n  "icd_files": {'
    sep=""
    for f in "${icd_files[@]}"; do
        printf '%s\n    %s: %s' "$sep" "$(jstr "$f")" "$(jstr "$(head -c 300 "$f")")"
        sep=","
    done
    printf '\n  },\n  "environment": %s\n}\n' "$(jlines "$(env | grep -E '^(LD_LIBRARY_PATH|CUDA|NVIDIA|OCL_ICD|HB_)' | sort)")"
} >"$out/machine.json"
say "machine recorded (log.txt, machine.json$([ "$smi" = true ] && echo ', nvidia-smi-q.txt')): glibc ${glibc_have:-?}, gVisor $gvisor, /sys/bus/pci $sys_pci"

# ---- 2. the libraries and the binary ----
glibc_ok=1
if [ -n "$glibc_need" ] && [ -n "$glibc_have" ]; then
    if older "$glibc_have" "$glibc_need"; then
        glibc_ok=0
        say "glibc: this machine's $glibc_have, the bundle needs $glibc_need: TOO OLD: the bundle's binary and" \
            "libraries cannot all load here; using the machine's libraries (the bundle's fill gaps), else a rebuild"
    else
        say "glibc: this machine's $glibc_have, the bundle needs $glibc_need: ok"
    fi
elif [ -n "$glibc_need" ]; then
    say "glibc: this machine's is unknown (no getconf, no ldd), the bundle needs $glibc_need"
fi

# The driver's own folder, where a container mounts it without telling the loader.
extra_libs=()
for d in "${driver_dirs[@]}"; do
    if [ -e "$d/libcuda.so.1" ] && ! grep -q 'libcuda\.so\.1 ' <<<"$ldc"; then extra_libs+=("$d"); fi
done
# NVRTC outside the usual places (a Python wheel's nvidia/cu13/lib, say);
# its folder also goes on the path, where it finds libnvrtc-builtins.
if [ -z "${HB_NVRTC:-}" ] && [ -z "${CUDA_HOME:-}" ] && ! compgen -G '/usr/local/cuda/lib64/libnvrtc.so*' >/dev/null &&
    ! grep -q 'libnvrtc\.so' <<<"$ldc"; then
    nvrtc=$(grep -v builtins <<<"${found['libnvrtc*.so*']:-}" | grep -E 'libnvrtc\.so\.[0-9]+$' | sort -V | tail -1)
    if [ -n "$nvrtc" ]; then
        export HB_NVRTC=$nvrtc
        extra_libs+=("$(dirname "$nvrtc")")
        say "NVRTC: HB_NVRTC=$nvrtc"
    fi
fi
# The bundle's libraries this machine lacks (by name in ldconfig's cache
# or the usual folders): links in one folder, so the machine's own copies
# (a newer libstdc++, say) stay in use.
gaps=$work/libs
mkdir -p "$gaps"
for d in "${bundle_libs[@]}"; do
    for f in "$d"/*.so*; do
        n=$(basename "$f")
        grep -qF " $n " <<<"$ldc" && continue
        [ -e "/lib/x86_64-linux-gnu/$n" ] || [ -e "/usr/lib/x86_64-linux-gnu/$n" ] || [ -e "/lib64/$n" ] ||
            [ -e "/usr/lib64/$n" ] || ln -sf "$f" "$gaps/$n"
    done
done
orig_llp=${LD_LIBRARY_PATH:-}
# use_libs DIR...: LD_LIBRARY_PATH is DIR..., then what it was, then the driver's folders.
use_libs() {
    local p
    p=$(printf '%s:' "$@" "$orig_llp" "${extra_libs[@]}" | tr -s ':' | sed 's/^://; s/:$//')
    if [ -n "$p" ]; then export LD_LIBRARY_PATH=$p; else unset LD_LIBRARY_PATH; fi
}

runs() { [ -n "$1" ] && [ -x "$1" ] && LD_BIND_NOW=1 timeout -k 2 20 "$1" --version >/dev/null 2>&1; }

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
            export LD_LIBRARY_PATH="${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}$dev/usr/lib/x86_64-linux-gnu"
            args+=(-DPKG_CONFIG_EXECUTABLE="$dev/usr/bin/pkgconf")
        fi
    fi
    local box
    box=$(left)
    [ "$box" -gt 30 ] || return 1
    timeout -k 5 "$box" cmake -S "$src" -B "$bdir" "${args[@]}" >>"$log" 2>&1 &&
        timeout -k 5 "$(left)" cmake --build "$bdir" -j"$(nproc)" --target hbmbench >>"$log" 2>&1 &&
        echo "$bdir/hbmbench"
}

# Library choices, the proven one first: the whole bundle (glibc new
# enough), then the machine's libraries with the bundle's filling gaps.
hb="" libs_used=""
for choice in bundle gaps; do
    case $choice in
        bundle) { [ $glibc_ok -eq 1 ] && [ ${#bundle_libs[@]} -gt 0 ]; } || continue; use_libs "${bundle_libs[@]}" ;;
        gaps) if [ -n "$(ls -A "$gaps")" ]; then use_libs "$gaps"; else use_libs; fi ;;
    esac
    for c in "${HB:-}" "$bundle/bin/hbmbench" "${repo:+$repo/build/hbmbench}"; do
        if runs "$c"; then hb=$c libs_used=$choice; break 2; fi
    done
done
if [ -z "$hb" ]; then
    say "no hbmbench that runs here; building one from source"
    hb=$(build_here)
    runs "$hb" || { say "FAILED: no binary and the build failed (see $log)"; exit 1; }
    libs_used=gaps
fi
libs_said="the machine's libraries"
if [ "$libs_used" = bundle ]; then
    libs_said="the bundle's libraries first"
elif [ ${#bundle_libs[@]} -gt 0 ]; then
    libs_said+=", $(find "$gaps" -mindepth 1 | wc -l) of the bundle's filling gaps"
fi
version=$("$hb" --version 2>&1)
say "hbmbench: $hb (${version%%$'\n'*}) with $libs_said; LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-(unset)}"
say "budget ${budget}s, $(left)s left; parts: ${parts//,/ }"

# ---- NVIDIA's OpenCL driver without its ICD file (nvidia-container-toolkit #682) ----
vendors="$out/vendors"
mkdir -p "$vendors"
for f in "${icd_files[@]}"; do cp "$f" "$vendors/"; done
nv=$(awk '/libnvidia-opencl\.so\.1/ {print $NF; exit}' <<<"$ldc")
[ -z "$nv" ] && nv=$(sed -n 1p <<<"${found[libnvidia-opencl.so.1]:-}")
if [ -n "$nv" ] && ! grep -qs nvidia "$vendors"/*.icd; then
    echo "$nv" >"$vendors/nvidia.icd"
    say "registered NVIDIA's OpenCL driver: $vendors/nvidia.icd -> $nv"
fi
export OCL_ICD_VENDORS=$vendors

# part NAME BOX COMMAND...: runs COMMAND (stdout and stderr to the log) in
# at most BOX seconds and no longer than the budget allows; a part not in
# HB_CHECK_PARTS is left out.
summary=()
part() {
    local name=$1 box=$2 rem s rc took verdict
    shift 2
    case $parts in *",$name,"*) ;; *) summary+=("$name: not selected (HB_CHECK_PARTS)"); return 0 ;; esac
    rem=$(left)
    if [ "$rem" -lt 15 ]; then
        summary+=("$name: skipped (budget spent)")
        say "part $name: skipped, ${rem}s left"
        return 0
    fi
    [ "$box" -gt "$rem" ] && box=$rem
    say "part $name: start (box ${box}s): $*"
    s=$(date +%s)
    echo "----- $name: $*" >>"$log"
    timeout -k 5 "$box" "$@" >>"$log" 2>&1
    rc=$?
    echo "----- $name: exit $rc" >>"$log"
    took=$(($(date +%s) - s))
    case "$rc" in
        0) verdict="ok" ;;
        124 | 137) verdict="TIMED OUT after ${box}s (a run keeps what finished: \"complete\": false)" ;;
        1) verdict="done, with invalid results or a device failure (exit 1)" ;;
        3) verdict="no device (exit 3)" ;;
        *) verdict="FAILED (exit $rc)" ;;
    esac
    summary+=("$name: $verdict in ${took}s")
    say "part $name: $verdict in ${took}s"
}
skip() {
    case $parts in *",$1,"*) ;; *) summary+=("$1: not selected (HB_CHECK_PARTS)"); return 0 ;; esac
    summary+=("$1: skipped ($2)")
    say "part $1: skipped: $2"
}

# ---- 3. the parts, most valuable first ----
part list 30 "$hb" list
# The listing the parts below choose by (always taken, however short the budget).
timeout -k 5 30 "$hb" list --json >"$out/list.json" 2>>"$log"
# Devices other than the host's, and per model (no Python needed).
listing=$(cat "$out/list.json" 2>/dev/null || true)
devices=$(grep -c '"is_host": false' <<<"$listing")
gpus=$(grep -c '"type": "GPU"' <<<"$listing")
cuda_devs=$(grep -c '^ *"cuda",\{0,1\}$' <<<"$listing")
cl_devs=$(grep -c '^ *"opencl",\{0,1\}$' <<<"$listing")
cuda_status=$(sed -n '/^hbmbench list: cuda: /{s///p;q}' "$log")
[ -n "$cuda_status" ] && say "cuda: unavailable: $cuda_status"
# On a GPU: 512 MiB per stream array (8x the 60 MiB L2 of an H200, above
# STREAM's 4x); 128 MiB for the roofline (x and y: 256 MiB, still 4x the
# L2), whose verification runs on the host; where only CPU devices exist,
# 16 MiB. docs/gpu.md#how-long-gpu-checksh-takes has the arithmetic.
size=${HB_CHECK_SIZE:-}
[ -z "$size" ] && { [ "$gpus" -gt 0 ] && size=512MiB || size=16MiB; }
gemm_sizes=2048,8192 host_size=256MiB roof_size=128MiB
[ "$gpus" -eq 0 ] && gemm_sizes=256,512 host_size=$size roof_size=$size
say "devices: $devices (GPUs: $gpus; through CUDA: $cuda_devs, OpenCL: $cl_devs); stream size: $size;" \
    "gemm sizes: $gemm_sizes; roofline size: $roof_size"

common=(--device default --force)
# The stream suite (7 kernels, f32 and f64) tuned at the main size, CUDA
# first (the native baseline), each model in its own file and time box.
if [ "$cuda_devs" -gt 0 ]; then
    part stream-cuda 60 "$hb" run "${common[@]}" --model cuda --size "$size" --out "$out/stream-cuda.json"
else
    skip stream-cuda "no CUDA device${cuda_status:+: $cuda_status}"
fi
if [ "$cl_devs" -gt 0 ]; then
    part stream-opencl 60 "$hb" run "${common[@]}" --model opencl --size "$size" --out "$out/stream-opencl.json"
else
    skip stream-opencl "no OpenCL device but the host's"
fi
# OpenCL against CUDA, pair by pair (by PCI bus id and name; by order when
# the two models name the GPU differently).
if [ -s "$out/stream-cuda.json" ] && [ -s "$out/stream-opencl.json" ]; then
    # shellcheck disable=SC2016 # expanded by the inner bash
    part compare 15 bash -c '"$0" compare "$1" "$2"; rc=$?; [ $rc -eq 3 ] && "$0" compare "$1" "$2" --match order; exit $rc' \
        "$hb" "$out/stream-cuda.json" "$out/stream-opencl.json"
fi
# The device checks against the host's (--verify both: every element read
# back and compared on the host too, the sums computed on both sides): the
# CUDA and OpenCL copies of the start values' hash must agree with
# benches/stream_values.h on this GPU.
if [ "$cuda_devs" -gt 0 ] || [ "$cl_devs" -gt 0 ]; then
    part crosscheck 30 "$hb" run "${common[@]}" --bench copy,triad,dot --dtype f32,f64 --size 64MiB --tune off \
        --verify both --out "$out/crosscheck.json"
fi
if [ "$devices" -gt 0 ]; then
    part gemm 60 "$hb" run "${common[@]}" --bench gemm --dtype f32,f64 --gemm-sizes "$gemm_sizes" \
        --out "$out/gemm.json"
    part roofline 40 "$hb" run "${common[@]}" --bench roofline --dtype f32 --size "$roof_size" \
        --out "$out/roofline.json"
    # triad from 4 KiB per array up to the main size (the cache hierarchy),
    # every model of each device in one file: `compare sweep.json --models
    # cuda,opencl`; the main size reuses the winner tuned above.
    part sweep 45 "$hb" run "${common[@]}" --bench triad --dtype f32 --size "$size" --sweep --out "$out/sweep.json"
else
    for p in gemm roofline sweep; do skip "$p" "no device but the host's"; done
fi
part host 20 "$hb" run --device host --size "$host_size" --tune off --force --out "$out/host.json"

say "done in $(($(date +%s) - t0))s (budget ${budget}s); files in $out:"
ls -l "$out" >>"$log" 2>&1
{
    echo "===== summary"
    for s in "${summary[@]}"; do echo "  $s"; done
} | tee -a "$log" >&2
if [ -n "$tarball" ]; then
    tar czf "$tarball" -C "$(dirname "$out")" "$(basename "$out")" && say "packed into $tarball"
fi
exit 0
