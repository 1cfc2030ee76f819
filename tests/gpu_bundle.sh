#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The GPU bundle proves itself (scripts/gpu-bundle.sh, issue 16 part 2
# item 1): made from the given binary (HB_BUNDLE_BINARY, so nothing is
# rebuilt), it must start with only its own libraries and glibc. glibc is
# a folder of links to the libraries of Debian's libc6 package (libc, libm,
# libpthread, libdl, librt, the loader...); the loader runs the binary with
# --library-path BUNDLE_LIBS:GLIBC and --inhibit-cache, and
#  - `ld.so --list` must resolve every library inside the bundle or the
#    glibc folder (the loader still falls back to /usr/lib/x86_64-linux-gnu
#    for a library the bundle lacks: that path is what the check catches);
#  - `hbmbench list` must run (exit 0 or 3) with no OpenCL driver, no hwloc
#    plugin, no CUDA, and LD_DEBUG=libs must show no library loaded from
#    outside those two folders;
#  - GLIBC_REQUIRED must name a version no lower than the binary's own
#    highest GLIBC_x.y and no higher than this machine's glibc;
#  - the bundle's gpu-check.sh, run from the bundle with LD_LIBRARY_PATH
#    unset and only the list part, must choose the bundle's binary and log
#    the glibc comparison.
# Exits 77 (skipped) when apt-get download cannot reach a Debian mirror
# (or this is no Debian machine).
# usage: gpu_bundle.sh SOURCE_DIR HBMBENCH
set -u
src=$1
hb=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0 passed=0
pass() { echo "PASS $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }

for tool in dpkg-query apt-get objdump ldd getconf; do
    command -v "$tool" >/dev/null || { echo "SKIP: no $tool here (a bundle is made on Debian)"; exit 77; }
done
bundle=$tmp/bundle
HB_BUNDLE_BINARY=$hb bash "$src/scripts/gpu-bundle.sh" "$bundle" >"$tmp/bundle.log" 2>&1
rc=$?
if [ "$rc" -eq 3 ]; then
    echo "SKIP: gpu-bundle.sh could not download the packages (no Debian mirror?):"
    tail -5 "$tmp/bundle.log"
    exit 77
fi
if [ "$rc" -ne 0 ]; then
    echo "FAIL gpu-bundle.sh exited $rc:"
    cat "$tmp/bundle.log"
    exit 1
fi
pass "gpu-bundle.sh made a bundle: $(grep -c '^run-time package' "$tmp/bundle.log") run-time packages"

# glibc alone: links to the shared objects of libc6 in the multiarch folder.
glibc=$tmp/glibc
mkdir -p "$glibc"
while read -r f; do
    ln -sf "$f" "$glibc/$(basename "$f")"
done < <(dpkg-query -L libc6 | grep -E '^(/usr)?/lib/x86_64-linux-gnu/[^/]+\.so(\.[0-9]+)*$')
ldso=$glibc/ld-linux-x86-64.so.2
if [ ! -e "$ldso" ] || [ ! -e "$glibc/libc.so.6" ]; then
    echo "FAIL no loader or libc.so.6 in libc6's file list"
    exit 1
fi
libs="$bundle/root/usr/lib/x86_64-linux-gnu:$bundle/root/lib/x86_64-linux-gnu:$glibc"

# outside FILE: the library paths in FILE (one per line) outside the bundle and the glibc folder.
outside() { grep -v -e "^$bundle/" -e "^$glibc/" "$1"; }

"$ldso" --inhibit-cache --library-path "$libs" --list "$bundle/bin/hbmbench" >"$tmp/list.txt" 2>&1
awk '$2 == "=>" {print $3}' "$tmp/list.txt" >"$tmp/resolved"
if grep -q 'not found' "$tmp/list.txt"; then
    fail "ld.so --list: libraries not found: $(grep 'not found' "$tmp/list.txt" | tr -s ' \t\n' ' ')"
elif [ ! -s "$tmp/resolved" ]; then
    fail "ld.so --list resolved nothing: $(head -3 "$tmp/list.txt")"
elif outside "$tmp/resolved" >"$tmp/outside"; then
    fail "ld.so --list: libraries from outside the bundle and glibc: $(tr '\n' ' ' <"$tmp/outside")"
else
    pass "ld.so --list: all $(wc -l <"$tmp/resolved") libraries from the bundle or glibc"
fi

mkdir -p "$tmp/vendors" "$tmp/plugins" "$tmp/home"
env -u LD_LIBRARY_PATH -u LD_PRELOAD HOME="$tmp/home" XDG_CACHE_HOME="$tmp/home/cache" \
    OCL_ICD_VENDORS="$tmp/vendors" HWLOC_PLUGINS_PATH="$tmp/plugins" HB_LIBCUDA="$tmp/no-libcuda.so.1" \
    HB_NVRTC="$tmp/no-libnvrtc.so" LD_DEBUG=libs LD_DEBUG_OUTPUT="$tmp/lddebug" \
    "$ldso" --inhibit-cache --library-path "$libs" "$bundle/bin/hbmbench" list >"$tmp/out" 2>"$tmp/err"
rc=$?
sed -n 's/.*calling init: //p' "$tmp"/lddebug.* 2>/dev/null | sort -u >"$tmp/loaded"
if [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ]; then
    fail "bundle's hbmbench list exited $rc: $(head -5 "$tmp/err")"
elif ! grep -q '^\[[0-9]*\] host' "$tmp/out"; then
    fail "bundle's hbmbench list did not list the host: $(head -5 "$tmp/out")"
elif [ ! -s "$tmp/loaded" ]; then
    fail "LD_DEBUG=libs recorded no library"
elif outside "$tmp/loaded" >"$tmp/outside"; then
    fail "bundle's hbmbench list loaded libraries from outside the bundle and glibc: $(tr '\n' ' ' <"$tmp/outside")"
else
    pass "bundle's hbmbench list (exit $rc) with only the bundle's libraries and glibc ($(wc -l <"$tmp/loaded") loaded)"
fi

need=$(cat "$bundle/GLIBC_REQUIRED" 2>/dev/null)
own=$(objdump -T "$hb" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)
here=$(getconf GNU_LIBC_VERSION | awk '{print $2}')
lowest() { printf '%s\n' "$@" | sort -V | head -1; }
if ! [[ $need =~ ^[0-9]+\.[0-9]+$ ]]; then
    fail "GLIBC_REQUIRED is '$need', not a version"
elif [ "$(lowest "$need" "$own")" != "$own" ] || [ "$(lowest "$need" "$here")" != "$need" ]; then
    fail "GLIBC_REQUIRED $need: not between the binary's own $own and this machine's $here"
elif ! grep -q "glibc needed: $need" "$tmp/bundle.log"; then
    fail "gpu-bundle.sh did not print the glibc it needs"
else
    pass "GLIBC_REQUIRED $need (binary alone $own, this machine $here), printed"
fi

# The bundle's entry point, as on the GPU machine (LD_LIBRARY_PATH unset).
env -u LD_LIBRARY_PATH -u HB HB_CHECK_PARTS=list XDG_CACHE_HOME="$tmp/home/cache" \
    bash "$bundle/gpu-check.sh" "$tmp/check" >"$tmp/check.out" 2>&1
rc=$?
if [ "$rc" -ne 0 ] || grep -q 'unbound variable' "$tmp/check.out"; then
    fail "bundle's gpu-check.sh exited $rc: $(tail -5 "$tmp/check.out")"
elif ! grep -q "hbmbench: $bundle/bin/hbmbench" "$tmp/check/log.txt"; then
    fail "bundle's gpu-check.sh did not use the bundle's binary: $(grep 'hbmbench:' "$tmp/check/log.txt")"
elif ! grep -q "glibc: this machine's $here, the bundle needs $need: ok" "$tmp/check/log.txt"; then
    fail "bundle's gpu-check.sh did not compare glibc versions: $(grep -i glibc "$tmp/check/log.txt" | head -3)"
elif ! grep -q 'part list: ok' "$tmp/check/log.txt"; then
    fail "bundle's gpu-check.sh: list part not ok: $(grep 'part list' "$tmp/check/log.txt")"
else
    pass "bundle's gpu-check.sh (list only, LD_LIBRARY_PATH unset): bundle binary, glibc compared, list ok"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
