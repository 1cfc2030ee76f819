#!/usr/bin/env bash
# Prepares a bundle to run hbmbench on a GPU machine that has no internet
# access (and maybe no OpenCL loader): builds hbmbench here (Debian 12,
# x86-64; the binary needs glibc >= 2.36 there), downloads the Debian
# packages of its run-time libraries, and unpacks them with `dpkg -x`.
# Then copy the bundle folder over and run scripts/gpu-run.sh there.
#
# usage: scripts/gpu-bundle.sh [BUNDLE_DIR]   (default: .gpu in the repo, ignored by git)
#
# Packages: ocl-icd-libopencl1 (the ICD loader: the CUDA toolkit ships none),
# libhwloc15, libjansson4, libudev1 (hwloc's), libclblast1 when hbmbench links
# CLBlast; the .deb files stay in BUNDLE_DIR/debs for the record.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bundle=${1:-$root/.gpu}
"$root/scripts/install-deps.sh"
cmake -S "$root" -B "$bundle/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$bundle/build" -j"$(nproc)" >/dev/null
mkdir -p "$bundle/bin" "$bundle/debs" "$bundle/root"
cp "$bundle/build/hbmbench" "$bundle/bin/"
pkgs=(ocl-icd-libopencl1 libhwloc15 libjansson4 libudev1)
ldd "$bundle/bin/hbmbench" | grep -q libclblast && pkgs+=(libclblast1)
(cd "$bundle/debs" && apt-get download "${pkgs[@]}")
for deb in "$bundle"/debs/*.deb; do
    dpkg -x "$deb" "$bundle/root"
done
cp "$root/scripts/gpu-run.sh" "$bundle/"
echo "bundle ready in $bundle: copy it to the GPU machine and run: bash $(basename "$bundle")/gpu-run.sh"
