#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Prepares a bundle to check hbmbench on a GPU machine that has no internet
# access (and maybe no OpenCL loader, hwloc or jansson): builds hbmbench
# here (Debian 12, x86-64), downloads the Debian packages of every
# library the binary loads at start-up and unpacks them with `dpkg -x` into
# root/, the same plus their headers and pkgconf into dev/ (for a rebuild
# there when the binary does not run), packs the sources into src.tar.gz,
# and copies scripts/gpu-check.sh, the one entry point.
#
# usage: scripts/gpu-bundle.sh [BUNDLE_DIR]   (default: .gpu in the repo, ignored by git)
# then, on the GPU machine: bash BUNDLE_DIR/gpu-check.sh OUTDIR [TARBALL]
# (from a checkout, scripts/gpu-check.sh finds .gpu/ by itself).
# environment:
#   HB_BUNDLE_BINARY  bundle this hbmbench instead of building one (no build,
#                     no scripts/install-deps.sh; tests/gpu_bundle.sh uses it)
# exit codes: 0 ready; 1 a library of the binary is not found or belongs to
# no Debian package; 3 apt-get download failed (no Debian mirror reachable).
#
# Run-time packages: derived from the binary, not listed by hand. Every
# library ldd resolves is traced to its package with `dpkg -S` (the ICD
# loader ocl-icd-libopencl1, libhwloc15, libjansson4, libudev1, and with
# CLBlast libclblast1, libstdc++6 and libgcc-s1); glibc's own package
# (libc6: libc, libm, the loader) is left out, since the binary must use
# the machine's glibc. A pipe such as `ldd | grep -q` is not used: under
# pipefail grep's early exit kills ldd with SIGPIPE and the test fails at
# random. The glibc the binary and the bundled libraries need (the highest
# GLIBC_x.y symbol version in `objdump -T`) is printed and written to
# BUNDLE_DIR/GLIBC_REQUIRED; gpu-check.sh compares it with the machine's.
# dev/ adds opencl-c-headers, ocl-icd-opencl-dev, libhwloc-dev,
# libjansson-dev, pkgconf, pkgconf-bin and libpkgconf3. The .deb files stay
# in BUNDLE_DIR/debs for the record. tests/gpu_bundle.sh proves a bundle:
# `hbmbench list` with only its libraries and glibc.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bundle=${1:-$root/.gpu}
mkdir -p "$bundle"
bundle=$(cd "$bundle" && pwd)
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
if [ -n "${HB_BUNDLE_BINARY:-}" ]; then
    binary=$HB_BUNDLE_BINARY
    [ -x "$binary" ] || { echo "gpu-bundle: HB_BUNDLE_BINARY=$binary is not an executable" >&2; exit 1; }
else
    "$root/scripts/install-deps.sh"
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
    cmake --build "$build" -j"$(nproc)" --target hbmbench >/dev/null
    binary=$build/hbmbench
fi
rm -rf "${bundle:?}/bin" "$bundle/root" "${bundle:?}/dev" "$bundle/debs" "$bundle/GLIBC_REQUIRED"
mkdir -p "$bundle/bin" "$bundle/debs/run" "$bundle/debs/dev" "$bundle/root" "$bundle/dev"
cp "$binary" "$bundle/bin/hbmbench"

# owner PATH: the package (with its architecture) that installed PATH. With
# Debian 12's merged /usr, ldd names /lib/... while dpkg recorded
# /usr/lib/... (or the other way round, libc6 and libgcc-s1), and a soname
# link may be recorded only as its target: try each spelling.
owner() {
    local p=$1 real c
    real=$(readlink -f "$p")
    for c in "$p" "/usr$p" "${p#/usr}" "$real" "${real#/usr}"; do
        [ -n "$c" ] || continue
        dpkg-query -S "$c" 2>/dev/null | sed -n '1s/: .*//p' | grep . && return 0
    done
    return 1
}

ldd_out=$(ldd "$bundle/bin/hbmbench") || { echo "gpu-bundle: ldd failed on $binary" >&2; exit 1; }
if grep -q 'not found' <<<"$ldd_out"; then
    echo "gpu-bundle: libraries not found here:" >&2
    grep 'not found' <<<"$ldd_out" >&2
    exit 1
fi
declare -A pkg_of=()
while read -r lib; do
    case $lib in */ld-linux*) continue ;; esac
    pkg=$(owner "$lib") || { echo "gpu-bundle: $lib belongs to no Debian package" >&2; exit 1; }
    case ${pkg%%:*} in libc6) continue ;; esac
    pkg_of[$pkg]+=" $(basename "$lib")"
done < <(awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' <<<"$ldd_out")
run_pkgs=()
for pkg in $(printf '%s\n' "${!pkg_of[@]}" | sort); do
    echo "run-time package $pkg:${pkg_of[$pkg]}"
    run_pkgs+=("$pkg")
done
dev_pkgs=(opencl-c-headers ocl-icd-opencl-dev libhwloc-dev libjansson-dev pkgconf pkgconf-bin libpkgconf3)

# download DIR PKG...: the packages at the versions installed here (those
# the binary was linked and tested against) in one apt-get call; where that
# fails (a version the mirror no longer has), each at the mirror's candidate.
download() {
    local dir=$1 pkg ver want=()
    shift
    for pkg in "$@"; do
        ver=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null || true)
        want+=("$pkg${ver:+=$ver}")
    done
    (cd "$dir" && apt-get download "${want[@]}" >>"$bundle/debs/apt.log" 2>&1) && return 0
    for pkg in "$@"; do
        (cd "$dir" && apt-get download "$pkg" >>"$bundle/debs/apt.log" 2>&1) && continue
        echo "gpu-bundle: apt-get download $pkg failed (no Debian mirror reachable?); see $bundle/debs/apt.log:" >&2
        tail -3 "$bundle/debs/apt.log" >&2
        exit 3
    done
}
download "$bundle/debs/run" "${run_pkgs[@]}"
download "$bundle/debs/dev" "${dev_pkgs[@]}"
for deb in "$bundle"/debs/run/*.deb; do
    dpkg -x "$deb" "$bundle/root"
    dpkg -x "$deb" "$bundle/dev"   # the -dev packages' .so links point at these
done
for deb in "$bundle"/debs/dev/*.deb; do
    dpkg -x "$deb" "$bundle/dev"
done

# The glibc needed: the highest GLIBC_x.y version of any symbol the binary
# or a bundled library imports (objdump -T lists each with its version).
glibc_of() { { objdump -T "$1" 2>/dev/null || true; } | { grep -o 'GLIBC_[0-9][0-9.]*' || true; } | sed 's/GLIBC_//' | sort -uV | tail -1; }
need=$(glibc_of "$bundle/bin/hbmbench")
own=$need by="hbmbench"
while read -r so; do
    v=$(glibc_of "$so")
    [ -n "$v" ] || continue
    if [ "$(printf '%s\n%s\n' "$need" "$v" | sort -V | tail -1)" != "$need" ]; then
        need=$v by=${so#"$bundle/"}
    fi
done < <(find "$bundle/root" -type f -name '*.so*' | sort)
[ -n "$need" ] || { echo "gpu-bundle: no GLIBC symbol versions in the binary (objdump missing?)" >&2; exit 1; }
echo "$need" >"$bundle/GLIBC_REQUIRED"
echo "glibc needed: $need (the binary alone: $own; the highest comes from $by); in $bundle/GLIBC_REQUIRED"

if git -C "$root" rev-parse --verify -q HEAD >/dev/null; then
    git -C "$root" archive --format=tar.gz -o "$bundle/src.tar.gz" HEAD
else
    echo "gpu-bundle: $root is no git checkout: no src.tar.gz (no rebuild possible there)" >&2
fi
cp "$root/scripts/gpu-check.sh" "$bundle/"
rm -f "$bundle/gpu-run.sh"   # the entry point before gpu-check.sh
echo "bundle ready in $bundle ($(du -sh "$bundle" | cut -f1)): copy it to the GPU machine and run:"
echo "  bash $(basename "$bundle")/gpu-check.sh OUTDIR"
