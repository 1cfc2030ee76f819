#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Every source file names its licence (LICENSE, Apache-2.0) in an SPDX line
# near its top, so a file copied out of the repository still carries it
# (SPDX specification 2.3, Annex E, "Using SPDX short identifiers in source
# files", spdx.github.io/spdx-spec/v2.3/). Lists the files that lack the line
# and fails.
# Uses find, not git, so files not yet committed are checked too.
# usage: check_spdx.sh [SOURCE_DIR]
set -u
cd "${1:-$(dirname "$0")/..}" || exit 2

tag='SPDX-License-Identifier: Apache-2.0'
# How far down the line may sit: after a shebang and a blank line or two.
head_lines=5
# Files allowed to lack the line for now, repository-relative, space-separated.
allow=''

missing=0
while IFS= read -r -d '' f; do
    f=${f#./}
    case " $allow " in *" $f "*) continue ;; esac
    if ! head -n "$head_lines" "$f" | grep -qF "$tag"; then
        echo "missing SPDX line: $f"
        missing=$((missing + 1))
    fi
done < <(find . \( -path './build*' -o -path ./.git -o -path ./tests/fuzz/corpus \) -prune -o \
              -type f \( -name '*.c' -o -name '*.h' -o -name '*.inc' -o -name '*.cl' -o -name '*.cu' \
                         -o -name '*.py' -o -name '*.sh' -o -name '*.cmake' -o -name CMakeLists.txt \
                         -o -path ./.ci/run \) -print0 | sort -z)

if [ "$missing" -gt 0 ]; then
    echo "FAIL: $missing source file(s) lack '$tag' in their first $head_lines lines"
    exit 1
fi
echo "PASS: every source file carries '$tag'"
