#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# hbmbench on the CPU against the CPU's own peers (issue 8). A benchmark, not a test: it asserts nothing.
#
#   scripts/bench_cpu_peers.sh [--hbmbench PATH] [--rounds N] [--kernels LIST] [--size-mib M]
#                              [--gemm-n N] [--reference FILE] [--keep DIR] [--no-likwid] [--retune]
#
# A round takes one kernel at a time (copy, scale, add, triad, dot, read, write, then GEMM) and runs
# every tool that measures it, that kernel alone, back to back in an order rotated from kernel to
# kernel and round to round, on the same cores. So two figures that are compared lie seconds apart,
# not minutes: this VM changes speed state between allocations (docs/pocl.md#reference-machine).
#   hbmbench on the OpenCL CPU device (PoCL) and on `--device host` (the native baseline): the kernel
#     at f64 and f32, with the tuning winners cached by earlier runs;
#   stream_native (../shared/reference/stream_native.c, or --reference FILE) built plain and with
#     -DSTREAM_NT (non-temporal stores), OMP_PROC_BIND=spread, one thread per core; it always runs its
#     five kernels, and only the figure of the kernel at hand is kept;
#   likwid-bench (github.com/RRZE-HPC/likwid/wiki/Likwid-Bench): for each of our kernels its closest
#     kernels at the widest instruction set the CPU has (bench_cpu_peers.py picks them);
#   clpeak_read.c: clpeak's global-memory read test (f32), the bar for PoCL's read and dot;
#   with --gemm-n N > 0: hbmbench's GEMM on PoCL and OpenBLAS (openblas_gemm.c) at N x N x N.
# The machine drifts by +-15% over minutes, so every ratio is taken within a round and the median over
# rounds is printed (bench_cpu_peers.py: markdown tables). A tool that is missing or fails is reported
# as "not available: why" and the rest runs.
#   --hbmbench PATH   default: ../build/hbmbench beside this script
#   --rounds N        default 5
#   --kernels LIST    the kernels to take, comma-separated, of copy,scale,add,triad,dot,read,write,gemm
#                     (default: all); many rounds of a few kernels narrow their ratios' intervals
#   --size-mib M      MiB per array; default 4 x the largest CPU cache, rounded up to a MiB (the rule of
#                     hbmbench's auto sizing, runner/driver/sizing.c, and of STREAM)
#   --gemm-n N        GEMM size (default 2048); 0 skips GEMM
#   --keep DIR        keep every tool's raw output in DIR, as r<round>/<kernel>/<tool>.*, its r<round>/
#                     folders replaced (default: a temporary folder, removed)
#   --no-likwid       skip likwid-bench
#   --retune          hbmbench searches its tuning grid again in round 1 (later rounds use the winners)
# Needs: cc, the OpenCL headers (ocl-icd-opencl-dev), /usr/bin/python3; the peers come from
# `scripts/install-deps.sh --with-bench-peers` (likwid, libopenblas0-pthread).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
hb=$here/../build/hbmbench rounds=5 size_mib="" gemm_n=2048 likwid=1 retune="" keep=""
kernels=copy,scale,add,triad,dot,read,write,gemm
reference=$here/../../shared/reference/stream_native.c
die() { echo "bench_cpu_peers.sh: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
    case $1 in
    --hbmbench) hb=${2-}; shift 2 ;;
    --rounds) rounds=${2-}; shift 2 ;;
    --kernels) kernels=${2-}; shift 2 ;;
    --size-mib) size_mib=${2-}; shift 2 ;;
    --gemm-n) gemm_n=${2-}; shift 2 ;;
    --reference) reference=${2-}; shift 2 ;;
    --keep) keep=${2-}; shift 2 ;;
    --no-likwid) likwid=0; shift ;;
    --retune) retune=--retune; shift ;;
    -h | --help) sed -n '2,35p' "$0"; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
    esac
done
for v in "$rounds" "$gemm_n" "${size_mib:-1}"; do
    case $v in '' | *[!0-9]*) die "--rounds, --size-mib and --gemm-n take whole numbers" ;; esac
done
if [ "$rounds" -lt 1 ] || [ "${size_mib:-1}" -lt 1 ]; then die "--rounds and --size-mib must be at least 1"; fi
units=()
IFS=, read -r -a asked <<<"$kernels"
for k in "${asked[@]}"; do
    case $k in
    copy | scale | add | triad | dot | read | write) units+=("$k") ;;
    gemm) [ "$gemm_n" -gt 0 ] && units+=(gemm) ;;
    *) die "--kernels: unknown kernel '$k' (copy, scale, add, triad, dot, read, write, gemm)" ;;
    esac
done
[ ${#units[@]} -gt 0 ] || die "--kernels: nothing to measure"
case ",$kernels," in *,gemm,*) ;; *) gemm_n=0 ;; esac
[ -x "$hb" ] || die "no hbmbench at $hb; build it or pass --hbmbench PATH"
[ -x /usr/bin/python3 ] || die "needs Debian's /usr/bin/python3 for the tables"
size_why="--size-mib"
if [ -z "$size_mib" ]; then
    largest=0
    for f in /sys/devices/system/cpu/cpu0/cache/index*/size; do
        [ -r "$f" ] || continue
        v=$(cat "$f")
        case $v in *K) b=$((${v%K} << 10)) ;; *M) b=$((${v%M} << 20)) ;; *G) b=$((${v%G} << 30)) ;; *) b=$v ;; esac
        [ "$b" -gt "$largest" ] && largest=$b
    done
    if [ "$largest" -gt 0 ]; then
        size_mib=$(((4 * largest + (1 << 20) - 1) >> 20)) size_why="4 x the $((largest >> 10)) KiB largest cache"
    else
        size_mib=256 size_why="no cache in sysfs: 256 MiB, as hbmbench's auto sizing"
    fi
fi
echo "bench_cpu_peers.sh: $size_mib MiB per array ($size_why), $rounds round(s)" >&2
bytes=$((size_mib << 20))
threads=$(lscpu -p=CORE,SOCKET | grep -v '^#' | sort -u | wc -l) # one per physical core, as hbmbench host

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
raw=${keep:-$tmp/raw}
mkdir -p "$raw"
rm -rf "$raw"/r[0-9]* "$raw/unavailable" "$raw/notes" "$raw/likwid_kernels"
unavailable() { printf '%s\t%s\n' "$1" "$2" >>"$raw/unavailable"; }
lasterr() { grep -v '^[[:space:]]*$' "$1" | tail -n 1 | tr '\t' ' '; }
lscpu >"$raw/lscpu.txt"
"$hb" list >"$raw/list.txt" 2>&1 || true

# The OpenCL CPU device: its index in `hbmbench list`, and among the OpenCL devices alone (clpeak_read's
# numbering: all platforms in order, as hbmbench lists them first).
IFS=$'\t' read -r pocl ocl pocl_name pocl_driver < <(awk '
    function flush() {
        if (model != "opencl") return
        if (type == "CPU," && !found) { print idx "\t" (ocl + 0) "\t" name "\t" drv; found = 1 }
        ocl++
    }
    /^\[[0-9]+\]/ {
        flush(); idx = substr($1, 2, length($1) - 2); name = $0; sub(/^\[[0-9]+\] /, "", name)
        type = model = drv = ""
    }
    /^    type / { type = $2; for (i = 1; i < NF; i++) if ($i == "model") { model = $(i + 1); gsub(/,/, "", model) } }
    /^    driver / { drv = $0; sub(/^    driver /, "", drv) }
    END { flush(); if (!found) print "\t\t\t" }' "$raw/list.txt") || true
tools=(hb-host)
if [ -n "$pocl" ]; then
    tools+=(hb-pocl)
    if ! cc -O2 -o "$tmp/clpeak_read" "$here/clpeak_read.c" -lOpenCL 2>"$tmp/cc.err"; then
        unavailable clpeak "build failed: $(lasterr "$tmp/cc.err")"
    elif ! "$tmp/clpeak_read" --device "$ocl" --mib 1 --iters 1 >"$tmp/probe" 2>&1; then
        unavailable clpeak "$(lasterr "$tmp/probe")"
    else
        tools+=(clpeak)
        grep -qF "'$pocl_name'" "$tmp/probe" ||
            echo "clpeak_read's OpenCL device $ocl is not '$pocl_name': $(head -n 1 "$tmp/probe")" >>"$raw/notes"
    fi
else
    for t in hb-pocl clpeak hb-gemm; do unavailable "$t" "no OpenCL CPU device in \`hbmbench list\`"; done
fi
if [ -r "$reference" ]; then
    for t in stream stream-nt; do
        flags=""
        [ $t = stream-nt ] && flags=-DSTREAM_NT
        if cc -O3 -march=native -fopenmp $flags -o "$tmp/$t" "$reference" 2>"$tmp/cc.err"; then
            tools+=("$t")
        else
            unavailable $t "build failed: $(lasterr "$tmp/cc.err")"
        fi
    done
else
    unavailable "stream, stream-nt" "no reference source at $reference (--reference FILE)"
fi
if [ $likwid = 0 ]; then
    unavailable likwid-bench "--no-likwid"
elif ! command -v likwid-bench >/dev/null; then
    unavailable likwid-bench "likwid-bench not found (Debian: apt-get install likwid)"
elif ! /usr/bin/python3 "$here/bench_cpu_peers.py" likwid-kernels >"$raw/likwid_kernels" 2>"$tmp/lk.err" ||
    [ ! -s "$raw/likwid_kernels" ]; then
    unavailable likwid-bench "no kernel picked from \`likwid-bench -a\`: $(lasterr "$tmp/lk.err")"
else
    tools+=(likwid)
fi
if [ "$gemm_n" -gt 0 ]; then
    [ -n "$pocl" ] && tools+=(hb-gemm)
    # OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, where the environment sets them, pin OpenBLAS to a given
    # kernel set (github.com/OpenMathLib/OpenBLAS/wiki/Faq); unset, DYNAMIC_ARCH picks this CPU's own.
    ob=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$tmp/openblas_gemm")
    if ! cc -O2 -o "$tmp/openblas_gemm" "$here/openblas_gemm.c" -ldl -lm 2>"$tmp/cc.err"; then
        unavailable openblas "build failed: $(lasterr "$tmp/cc.err")"
    elif ! "${ob[@]}" 16 >"$tmp/probe" 2>&1; then
        unavailable openblas "$(lasterr "$tmp/probe")"
    else
        tools+=(openblas)
    fi
fi
{
    echo "hbmbench=$hb"
    echo "hb_version=$("$hb" --version 2>&1 | head -n 1)"
    echo "pocl=${pocl:+[$pocl] $pocl_name, $pocl_driver}"
    echo "size_mib=$size_mib"
    echo "size_why=$size_why"
    echo "threads=$threads"
    echo "gemm_n=$gemm_n"
    echo "tuning=${retune:+searched again in round 1, then }cached winners"
} >"$raw/meta"

# One tool's run on one kernel in one round; a failure leaves "<tool>.failed" with its last error line.
run_tool() { # tool unit-dir round kernel
    local t=$1 d=$2 k=$4 rt=() ours name streams
    if [ "$3" = 1 ] && [ -n "$retune" ]; then rt=("$retune"); fi
    local stream=("$k" --dtype f64,f32 --size "${size_mib}MiB" --quiet --force "${rt[@]}")
    case $t in
    hb-pocl) "$hb" run --device "$pocl" --model opencl --bench "${stream[@]}" --out "$d/$t.json" ;;
    hb-host) "$hb" run --device host --model host --bench "${stream[@]}" --out "$d/$t.json" ;;
    hb-gemm) "$hb" run --device "$pocl" --model opencl --bench gemm --gemm-sizes "$gemm_n" --dtype f32,f64 \
        --impl hbmbench --quiet --force "${rt[@]}" --out "$d/$t.json" ;;
    stream | stream-nt) OMP_PROC_BIND=spread OMP_PLACES=cores OMP_NUM_THREADS=$threads \
        "$tmp/$t" $((bytes / 8)) 21 >"$d/$t.txt" ;;
    clpeak) "$tmp/clpeak_read" --device "$ocl" --mib "$size_mib" --iters 20 >"$d/$t.txt" ;;
    openblas) "${ob[@]}" "$gemm_n" >"$d/$t.txt" ;;
    likwid)
        # -w takes the total of all the kernel's streams (-l: "Number of streams"; a 2-stream copy at
        # S0:32MB gives 16 MB vectors), in bytes with the B unit, so each array is as large as ours.
        # Domain N = the whole machine, one thread per core, pinned by likwid-bench itself. -i 20: each
        # thread sweeps its part 20 times, as hbmbench times 20 iterations; likwid's own choice ran each
        # kernel for seconds, long enough for this VM to change speed between a round's tools.
        while read -r ours name streams; do
            [ "$ours" = "$k" ] || continue
            likwid-bench -t "$name" -i 20 -w "N:$((bytes * streams))B:$threads" \
                >"$d/likwid-$name.txt" 2>"$d/likwid-$name.err" ||
                echo "$name: exit $?: $(lasterr "$d/likwid-$name.err")" >>"$d/likwid.failed"
        done <"$raw/likwid_kernels" ;;
    esac
}

has() { case " ${tools[*]} " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
# The tools that measure a kernel ("gemm": GEMM), among those available.
unit_tools() { # kernel
    local t want
    case $1 in
    gemm) want="hb-gemm openblas" ;;
    copy | scale | add | triad) want="hb-pocl hb-host stream stream-nt likwid" ;;
    dot) want="hb-pocl hb-host stream stream-nt likwid clpeak" ;;
    read) want="hb-pocl hb-host likwid clpeak" ;;
    write) want="hb-pocl hb-host likwid" ;;
    esac
    for t in $want; do
        has "$t" || continue
        if [ "$t" = likwid ] && ! grep -q "^$1 " "$raw/likwid_kernels"; then continue; fi
        echo "$t"
    done
}
for r in $(seq "$rounds"); do
    for u in $(seq 0 $((${#units[@]} - 1))); do
        k=${units[$u]} d=$raw/r$r/${units[$u]}
        mkdir -p "$d"
        mapfile -t ut < <(unit_tools "$k")
        n=${#ut[@]}
        [ "$n" -gt 0 ] || continue
        for i in $(seq 0 $((n - 1))); do
            t=${ut[$(((i + r + u - 1) % n))]}
            echo "  round $r/$rounds, $k: $t" >&2
            run_tool "$t" "$d" "$r" "$k" 2>"$d/$t.err" || echo "exit $?: $(lasterr "$d/$t.err")" >>"$d/$t.failed"
        done
    done
done
/usr/bin/python3 "$here/bench_cpu_peers.py" table "$raw"
