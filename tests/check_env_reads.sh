#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The environment is read in one place: runner/core/env.c, whose table
# (checked at start, printed by --help, listed in README.md) holds every
# variable. A getenv() anywhere else in the program would read a variable
# that nothing checks or documents.
# usage: check_env_reads.sh SOURCE_DIR
set -u
cd "$1" || exit 2
found=$(grep -rn --include='*.c' --include='*.h' -E '\b(secure_)?getenv[[:space:]]*\(' runner benches kernels |
    grep -v '^runner/core/env\.c:')
if [ -n "$found" ]; then
    echo "FAIL getenv() outside runner/core/env.c (use hb_env() and a row of its table):"
    echo "$found"
    exit 1
fi
echo "PASS the environment is read only in runner/core/env.c"
