#!/usr/bin/env bash
# Installs the Debian 12 packages hbmbench needs, skipping those present.
# usage: scripts/install-deps.sh [--with-test-tools]
#   --with-test-tools also installs what the test suite uses beyond the build
#   (python3-jsonschema for the schema check, chromium for the report test,
#   oclgrind for the kernel checks of tests/oclgrind.cmake).
set -euo pipefail
pkgs=(cmake make gcc pkg-config ocl-icd-opencl-dev opencl-headers ocl-icd-libopencl1 pocl-opencl-icd
      libhwloc-dev hwloc libjansson-dev libclblast-dev clinfo python3 python3-matplotlib)
if [ "${1:-}" = "--with-test-tools" ]; then
    pkgs+=(python3-jsonschema chromium oclgrind)
fi
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "installing: ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
