#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Measured, not asserted: hbmbench's own wall time to a verified result,
# an OLD binary against a NEW one, alternating in one invocation (these
# machines are shared and drift: old and new run back to back, in an order
# that swaps every round).
#
#   scripts/bench_time_to_result.sh OLD NEW [--rounds R] [--device D] [--out DIR]
#
# Three commands, each R rounds (default 3):
#   tuned-1GiB:  run --device D --bench copy --dtype f32 --size 1GiB --retune
#                (PoCL's kernel cache warm: a first untimed run of each
#                binary fills it; the tuning cache is bypassed by --retune)
#   cached-256MiB: run --device D --bench copy,triad --dtype f32 --size 256MiB
#                with PoCL's and the tuning cache warm (each binary its own,
#                filled by the untimed first run): the everyday repeat run
#   default-cold: the default `run`, with empty PoCL and tuning caches
# Prints each round's seconds, the median of each side and the median of the
# per-round ratios NEW/OLD; then scripts/time_split.py on NEW's last tuned
# run (the share of its wall time in timed kernels, set-up, verification and
# tuning). OLD may predate time_split (its results are then listed as such).
# Needs /usr/bin/python3.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 2 ] || { sed -n '2,23p' "$0"; exit 2; }
old=$1 new=$2
shift 2
rounds=3 device=0 out=""
while [ $# -gt 0 ]; do
    case $1 in
    --rounds) rounds=$2; shift 2 ;;
    --device) device=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "bench_time_to_result: unknown option $1" >&2; exit 2 ;;
    esac
done
[ -n "$out" ] || out=$(mktemp -d)
mkdir -p "$out"
py=/usr/bin/python3

# secs NAME BIN CACHE_MODE ARGS...: one run, its wall time appended to
# $out/NAME.times. CACHE_MODE: cold (PoCL's and the tuning cache empty),
# warm (PoCL's kept, the tuning cache empty), cached (both kept)
secs() {
    local name=$1 bin=$2 mode=$3
    shift 3
    local xdg="$out/xdg-$name" pocl tag
    tag=$(echo "$bin" | md5sum | cut -c1-8)
    pocl="$out/pocl-$tag"   # one PoCL cache per binary
    [ "$mode" = cached ] && xdg="$out/xdg-cached-$tag" || rm -rf "$xdg"
    rm -f "$out/$name.json"
    mkdir -p "$xdg" "$pocl"
    [ "$mode" = cold ] && rm -rf "$pocl" && mkdir -p "$pocl"
    local t0 t1
    t0=$(date +%s.%N)
    XDG_CACHE_HOME="$xdg" POCL_CACHE_DIR="$pocl" "$bin" run --quiet --out "$out/$name.json" "$@" \
        >/dev/null 2>"$out/$name.err" || true
    t1=$(date +%s.%N)
    echo "$t0 $t1" | awk '{printf "%.2f\n", $2 - $1}' >>"$out/$name.times"
}

tuned=(--device "$device" --bench copy --dtype f32 --size 1GiB --retune)
cached=(--device "$device" --bench copy,triad --dtype f32 --size 256MiB)
rm -rf "$out"/*.times "$out"/xdg-cached-*
for bin in "$old" "$new"; do   # fill each binary's PoCL and tuning caches (untimed)
    secs warmup "$bin" warm "${tuned[@]}"
    secs warmup "$bin" cached "${cached[@]}"
done
for r in $(seq 1 "$rounds"); do
    order=("$old" "$new")
    [ $((r % 2)) -eq 0 ] && order=("$new" "$old")
    for bin in "${order[@]}"; do
        side=new
        [ "$bin" = "$old" ] && side=old
        secs "tuned-$side" "$bin" warm "${tuned[@]}"
        secs "cached-$side" "$bin" cached "${cached[@]}"
        secs "cold-$side" "$bin" cold
    done
    echo "round $r: tuned-1GiB old $(tail -1 "$out/tuned-old.times") s, new $(tail -1 "$out/tuned-new.times") s;" \
        "cached-256MiB old $(tail -1 "$out/cached-old.times") s, new $(tail -1 "$out/cached-new.times") s;" \
        "default-cold old $(tail -1 "$out/cold-old.times") s, new $(tail -1 "$out/cold-new.times") s"
done
"$py" - "$out" <<'PY'
import statistics, sys
d = sys.argv[1]
names = {"tuned": "tuned-1GiB", "cached": "cached-256MiB", "cold": "default-cold"}
for name, label in names.items():
    o = [float(x) for x in open(f"{d}/{name}-old.times")]
    n = [float(x) for x in open(f"{d}/{name}-new.times")]
    ratios = [b / a for a, b in zip(o, n)]
    print(f"{label:13s} old median {statistics.median(o):6.2f} s, "
          f"new median {statistics.median(n):6.2f} s, new/old per round {' '.join(f'{x:.2f}' for x in ratios)}, "
          f"median {statistics.median(ratios):.2f}")
PY
echo "time split of NEW's last tuned-1GiB run ($(tail -1 "$out/tuned-new.times") s wall):"
"$py" "$here/time_split.py" --wall "$(tail -1 "$out/tuned-new.times")" "$out/tuned-new.json"
echo "time split of NEW's last default-cold run:"
"$py" "$here/time_split.py" --wall "$(tail -1 "$out/cold-new.times")" "$out/cold-new.json"
echo "raw files in $out"
