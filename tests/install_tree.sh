#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `cmake --install` into a temporary prefix, then what it installed, run from
# another folder (docs/install.md): hbmbench --version and list, the
# hbmbench-plot and hbmbench-report launchers (with matplotlib: --help, a
# chart, a report whose comparison finds the hbmbench installed beside it;
# under Pythons that lack it: the one-line message and exit 3), the man page
# (rendered with man -l when man is installed, every option of every command
# in it), the bash completion (sourced, completions checked), the zsh one
# (parsed and loaded by compinit when zsh is installed), the schema, and the man page and
# completions generated again from the installed binary (--strict: the value
# words of packaging/gen_help_files.py still match --help).
# usage: install_tree.sh CMAKE BUILD_DIR SOURCE_DIR PYTHON
#   PYTHON: the launchers' interpreter (HB_PYTHON; empty: no Python found,
#   the Python parts are skipped with a message)
set -u
cmake=$1 build=$2 src=$3 py=${4:-}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hb-install-tree.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
mkdir -p "$tmp/elsewhere" && cd "$tmp/elsewhere" || exit 2
passed=0 failed=0
ok() { echo "ok: $*"; passed=$((passed + 1)); }
bad() { echo "FAIL: $*"; failed=$((failed + 1)); }
skip() { echo "skipped: $*"; }

if ! "$cmake" --install "$build" --prefix "$prefix" >"$tmp/install.log" 2>&1; then
    cat "$tmp/install.log"
    echo "FAIL: cmake --install $build --prefix $prefix"
    exit 1
fi
ok "cmake --install --prefix $prefix"

# -- the tree --
files=(bin/hbmbench share/hbmbench/scripts/plot.py share/hbmbench/scripts/report.py
       share/hbmbench/results/schema.json share/doc/hbmbench/README.md share/doc/hbmbench/LICENSE
       share/doc/hbmbench/docs/usage.md share/doc/hbmbench/docs/install.md
       share/doc/hbmbench/results/README.md)
progs=(bin/hbmbench)
if [ -n "$py" ]; then
    files+=(bin/hbmbench-plot bin/hbmbench-report share/man/man1/hbmbench.1
            share/bash-completion/completions/hbmbench share/zsh/site-functions/_hbmbench)
    progs+=(bin/hbmbench-plot bin/hbmbench-report)
fi
# Every module of scripts/ that an installed script imports is installed too.
for f in "$prefix"/share/hbmbench/scripts/*.py; do
    for m in $(sed -nE 's/^[[:space:]]*(import|from) ([A-Za-z_][A-Za-z0-9_]*).*/\2/p' "$f" | sort -u); do
        [ -f "$src/scripts/$m.py" ] && files+=("share/hbmbench/scripts/$m.py")
    done
done
for f in "${files[@]}"; do [ -f "$prefix/$f" ] && ok "installed $f" || bad "not installed: $f"; done
for f in "${progs[@]}"; do [ -x "$prefix/$f" ] && ok "executable $f" || bad "not executable: $f"; done
if "${py:-/usr/bin/python3}" -c 'import json, sys; json.load(open(sys.argv[1]))' "$prefix/share/hbmbench/results/schema.json"; then
    ok "schema.json is JSON"
else
    bad "schema.json does not parse"
fi

# -- hbmbench --
out=$("$prefix/bin/hbmbench" --version 2>&1); rc=$?
[ $rc -eq 0 ] && [[ $out == "hbmbench "* ]] && ok "hbmbench --version: $out" || bad "hbmbench --version: exit $rc: $out"
# list: 0 with a device, 3 with none but the host's (README, "Exit codes"): both mean it ran.
timeout 180 "$prefix/bin/hbmbench" list >"$tmp/list.out" 2>&1; rc=$?
[ $rc -eq 0 ] || [ $rc -eq 3 ] && ok "hbmbench list: exit $rc" || { cat "$tmp/list.out"; bad "hbmbench list: exit $rc"; }

if [ -z "$py" ]; then
    skip "no Python configured (HB_PYTHON empty): launchers, man page and completions not checked"
    echo "$passed passed, $failed failed"
    [ $failed -eq 0 ]; exit
fi

# -- the launchers --
msg() { echo "$1 needs matplotlib: apt-get install python3-matplotlib"; }
if grep -qF -e "$build" -e "$src" "$prefix/bin/hbmbench-plot" "$prefix/bin/hbmbench-report"; then
    bad "a launcher names the build or source tree"
else
    ok "the launchers name neither the build nor the source tree"
fi
if "$py" -c 'import matplotlib' 2>/dev/null; then
    for t in plot report; do
        out=$("$prefix/bin/hbmbench-$t" --help 2>&1); rc=$?
        [ $rc -eq 0 ] && [[ $out == *"usage: hbmbench-$t"* ]] && ok "hbmbench-$t --help" || bad "hbmbench-$t --help: exit $rc: $out"
    done
    result=$src/results/pocl-zen5-2core-20261124.json
    if "$prefix/bin/hbmbench-plot" --out-dir plots --formats svg "$result" >/dev/null 2>"$tmp/plot.err" && [ -s plots/kernels.svg ]; then
        ok "hbmbench-plot drew plots/kernels.svg"
    else
        cat "$tmp/plot.err"; bad "hbmbench-plot on $result"
    fi
    # PATH without the build: the comparison must use the hbmbench beside the launcher.
    if PATH=/usr/bin:/bin "$prefix/bin/hbmbench-report" --out report.html "$result" "$result" >/dev/null 2>"$tmp/report.err" \
       && grep -qF 'Produced by <code>hbmbench compare' report.html; then
        ok "hbmbench-report wrote report.html with the installed hbmbench's comparison"
    else
        cat "$tmp/report.err"; bad "hbmbench-report on $result (twice)"
    fi
else
    skip "$py lacks matplotlib: hbmbench-plot and -report checked without it only"
fi
# Pythons without matplotlib: this one with -S (no site-packages, so no
# Debian dist-packages) and every python3 on PATH that cannot import it.
pys=("$py -S")
while IFS= read -r p; do pys+=("$p"); done < <(type -ap python3; [ -x /usr/local/bin/python3 ] && echo /usr/local/bin/python3)
tried=0
for p in "${pys[@]}"; do
    read -ra cmd <<<"$p"
    "${cmd[@]}" -c 'import matplotlib' 2>/dev/null && continue
    tried=$((tried + 1))
    for t in plot report; do
        out=$("${cmd[@]}" "$prefix/bin/hbmbench-$t" --help 2>&1 >/dev/null); rc=$?
        if [ $rc -eq 3 ] && [ "$(head -n 1 <<<"$out")" = "$(msg "hbmbench-$t")" ]; then
            ok "$p hbmbench-$t: exit 3, '$(msg "hbmbench-$t")'"
        else
            bad "$p hbmbench-$t --help without matplotlib: exit $rc: $out"
        fi
    done
done
[ $tried -gt 0 ] || bad "no Python without matplotlib to try (not even $py -S)"

# -- the man page --
page=$prefix/share/man/man1/hbmbench.1
if command -v man >/dev/null; then
    LC_ALL=C MANWIDTH=200 MANPAGER=cat PAGER=cat man -l "$page" 2>"$tmp/man.err" | sed 's/.\x08//g' >"$tmp/man.txt"
    if [ -s "$tmp/man.txt" ] && grep -q '^HBMBENCH(1)' "$tmp/man.txt"; then
        ok "man -l renders the page"
        missing=""
        for c in list run compare check; do
            for o in $("$prefix/bin/hbmbench" "$c" --help | grep -oE '^  (-[a-z], )?--[a-z0-9-]+' | grep -oE -- '--[a-z0-9-]+'); do
                grep -qF -- "$o" "$tmp/man.txt" || missing+=" $c $o"
            done
        done
        [ -z "$missing" ] && ok "every option of every command's --help is in the man page" || bad "not in the man page:$missing"
    else
        cat "$tmp/man.err"; bad "man -l $page"
    fi
else
    skip "man is not installed: the page is not rendered"
fi

# -- completions --
comp=$prefix/share/bash-completion/completions/hbmbench
complete_words() {   # the completions bash offers for the words given (the last one being typed)
    bash --norc --noprofile -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1));
                                _hbmbench; printf "%s\n" "${COMPREPLY[@]}"' _ "$comp" "$@" 2>&1
}
check_completion() {  # EXPECTED WORDS...
    local want=$1; shift
    local got; got=$(complete_words "$@" | tr '\n' ' ' | sed 's/ $//')
    [ "$got" = "$want" ] && ok "bash completes '$*' to '$want'" || bad "bash completes '$*' to '$got', not '$want'"
}
check_completion "run" hbmbench r
check_completion "compare check" hbmbench c
check_completion "--dtype" hbmbench run --dt
check_completion "f32 f64 f16" hbmbench run --dtype ""
check_completion "copy,triad" hbmbench run --bench copy,tr
check_completion "markdown" hbmbench compare --format m
check_completion "--print-rules" hbmbench check --pr
if command -v zsh >/dev/null; then
    zsh -n "$prefix/share/zsh/site-functions/_hbmbench" && ok "zsh parses _hbmbench" || bad "zsh -n _hbmbench"
    # compinit finds it on fpath and binds it to hbmbench (its #compdef line).
    got=$(zsh -f -c 'fpath=("$1" $fpath); autoload -Uz compinit; compinit -u -d "$2"; print -r -- $_comps[hbmbench]' \
          _ "$prefix/share/zsh/site-functions" "$tmp/zcompdump" 2>&1)
    [ "$got" = _hbmbench ] && ok "zsh's compinit binds _hbmbench to hbmbench" || bad "zsh compinit: '$got'"
else
    skip "zsh is not installed: _hbmbench not parsed"
fi

# -- the help files come from this binary, and their value words from its --help --
if "$py" "$src/packaging/gen_help_files.py" "$prefix/bin/hbmbench" "$tmp/gen" --strict; then
    ok "gen_help_files.py --strict on the installed binary"
    cmp -s "$tmp/gen/hbmbench.1" "$page" && cmp -s "$tmp/gen/hbmbench.bash" "$comp" \
        && ok "installed man page and completion match the installed binary's --help" \
        || bad "installed man page or completion differ from the installed binary's --help"
else
    bad "gen_help_files.py --strict: a value word left --help (update VALUES)"
fi

# -- moved elsewhere, the launchers still find their scripts --
mv "$prefix" "$tmp/moved"
# (-S: no matplotlib, so exit 3 once plot.py is found; a launcher that lost
# its scripts fails with exit 1, "No module named 'plot'".)
out=$("$py" -S "$tmp/moved/bin/hbmbench-plot" --help 2>&1); rc=$?
[ $rc -eq 0 ] || [ $rc -eq 3 ] && ok "a moved tree's hbmbench-plot runs (exit $rc)" || bad "moved tree: hbmbench-plot exit $rc: $out"

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
