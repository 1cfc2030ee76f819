#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Proof that the oclgrind_* tests fail on a kernel bug that verification
# alone can miss: copies of kernels/opencl/ with one bug each, run through
# oclgrind_run.sh (--kernel-dir), must make it fail, and name Oclgrind's
# diagnostic:
#   - a grid loop that runs one vector past the end of the arrays (copy_grid
#     reads and writes out of bounds; its results still verify);
#   - the scalar tail written by the first work-item of every work-group
#     instead of the first of the grid (copy: a data race in global memory,
#     every writer storing the same values);
#   - the work-group sum without the barrier between its steps (dot: a data
#     race in local memory);
#   - that barrier reached by only part of the work-group (barrier divergence).
# usage: oclgrind_selftest.sh KERNEL_DIR OCLGRIND_RUN_SH HBMBENCH PYTHON CHECK_PY
set -u
src=$1 run=$2 hb=$3 py=$4 checker=$5
if ! command -v oclgrind >/dev/null; then
    echo "SKIP: oclgrind is not installed (Debian: apt-get install oclgrind)"
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

# mutant NAME PATTERN BENCH PERL_SUBSTITUTION: the run must fail with PATTERN in its output.
mutant() {
    local name=$1 pattern=$2 bench=$3 subst=$4 dir=$tmp/$1
    mkdir -p "$dir"
    cp "$src"/*.cl "$dir"/
    perl -0pi -e "$subst" "$dir/stream.cl"
    if cmp -s "$src/stream.cl" "$dir/stream.cl"; then
        echo "FAIL $name: the substitution changed nothing (stream.cl moved on?)"
        failed=1
        return
    fi
    bash "$run" "$hb" "$py" "$checker" -- --kernel-dir "$dir" --bench "$bench" --dtype f32 --size 3001 --tune off \
        --iters 1 --warmup 0 >"$tmp/$name.out" 2>&1
    local rc=$?
    if [ $rc -eq 1 ] && grep -qE -- "$pattern" "$tmp/$name.out"; then
        echo "PASS $name: the run fails and names /$pattern/"
    else
        echo "FAIL $name: exit $rc (want 1) or no /$pattern/ in:"
        sed 's/^/  | /' "$tmp/$name.out" | head -30
        failed=1
    fi
}

mutant out-of-bounds "Invalid (read|write) of size" copy 's/i < \(nvec\); i \+= st_\)/i <= (nvec); i += st_)/'
mutant global-race "data race at global memory" copy 's/if \(get_global_id\(0\) == 0\)/if (get_local_id(0) == 0)/'
mutant local-race "data race at local memory" dot \
    's/(scratch\[lid\] \+= scratch\[lid \+ width\];\n)(\s*)barrier\(CLK_LOCAL_MEM_FENCE\);/$1/'
mutant barrier-divergence "divergence" dot \
    's/(if \(lid < width\)\n)(\s*)(scratch\[lid\] \+= scratch\[lid \+ width\];\n)(\s*)barrier\(CLK_LOCAL_MEM_FENCE\);/$1$2\{ $3$2barrier(CLK_LOCAL_MEM_FENCE); }/'
[ $failed -eq 0 ] && echo "PASS every planted bug is caught"
exit $failed
