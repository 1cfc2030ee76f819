#!/usr/bin/env bash
# Prepares a bundle to check hbmbench on a GPU machine that has no internet
# access (and maybe no OpenCL loader, hwloc or jansson): builds hbmbench
# here (Debian 12, x86-64; the binary needs glibc >= 2.36 there), downloads
# the Debian packages of its run-time libraries and unpacks them with
# `dpkg -x` into root/, the same plus their headers and pkgconf into dev/
# (for a rebuild there when the binary does not run), packs the sources
# into src.tar.gz, and copies scripts/gpu-check.sh, the one entry point.
#
# usage: scripts/gpu-bundle.sh [BUNDLE_DIR]   (default: .gpu in the repo, ignored by git)
# then, on the GPU machine: bash BUNDLE_DIR/gpu-check.sh OUTDIR [TARBALL]
# (from a checkout, scripts/gpu-check.sh finds .gpu/ by itself).
#
# Packages: ocl-icd-libopencl1 (the ICD loader: the CUDA toolkit ships
# none), libhwloc15, libjansson4, libudev1 (hwloc's), libclblast1 when
# hbmbench links CLBlast; for dev/ also opencl-c-headers,
# ocl-icd-opencl-dev, libhwloc-dev, libjansson-dev, pkgconf, pkgconf-bin and
# libpkgconf3. The .deb files stay in BUNDLE_DIR/debs for the record.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bundle=${1:-$root/.gpu}
"$root/scripts/install-deps.sh"
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" --target hbmbench >/dev/null
rm -rf "$bundle/bin" "$bundle/root" "$bundle/dev" "$bundle/debs"
mkdir -p "$bundle/bin" "$bundle/debs/run" "$bundle/debs/dev" "$bundle/root" "$bundle/dev"
cp "$build/hbmbench" "$bundle/bin/"
run_pkgs=(ocl-icd-libopencl1 libhwloc15 libjansson4 libudev1)
ldd "$bundle/bin/hbmbench" | grep -q libclblast && run_pkgs+=(libclblast1)
dev_pkgs=(opencl-c-headers ocl-icd-opencl-dev libhwloc-dev libjansson-dev pkgconf pkgconf-bin libpkgconf3)
(cd "$bundle/debs/run" && apt-get download "${run_pkgs[@]}" 2>/dev/null)
(cd "$bundle/debs/dev" && apt-get download "${dev_pkgs[@]}" 2>/dev/null)
for deb in "$bundle"/debs/run/*.deb; do
    dpkg -x "$deb" "$bundle/root"
    dpkg -x "$deb" "$bundle/dev"   # the -dev packages' .so links point at these
done
for deb in "$bundle"/debs/dev/*.deb; do
    dpkg -x "$deb" "$bundle/dev"
done
git -C "$root" archive --format=tar.gz -o "$bundle/src.tar.gz" HEAD
cp "$root/scripts/gpu-check.sh" "$bundle/"
rm -f "$bundle/gpu-run.sh"   # the entry point before gpu-check.sh
echo "bundle ready in $bundle ($(du -sh "$bundle" | cut -f1)): copy it to the GPU machine and run:"
echo "  bash $(basename "$bundle")/gpu-check.sh OUTDIR"
