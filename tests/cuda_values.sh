#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# tests/cuda_values.cu, compiled by nvcc for f32 and f64 and run on the
# host. Skipped (77) where nvcc is missing (it builds nothing else here).
# usage: cuda_values.sh SOURCE_DIR
set -u
src=$1
nvcc=$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)
[ -x "$nvcc" ] || { echo "SKIP: no nvcc"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rc=0
for f64 in 0 1; do
    if ! "$nvcc" -std=c++17 -DHB_F64=$f64 -I"$src/benches" -I"$src/runner/core" -I"$src/kernels/cuda" \
        -o "$tmp/values$f64" "$src/tests/cuda_values.cu" 2>"$tmp/nvcc.err"; then
        echo "FAIL nvcc (HB_F64=$f64):"; sed 's/^/  | /' "$tmp/nvcc.err" | head -20
        rc=1
        continue
    fi
    "$tmp/values$f64" || rc=1
done
exit $rc
