#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the Debian 12 packages hbmbench needs, skipping those present.
# usage: scripts/install-deps.sh [--with-test-tools] [--with-mpi] [--with-bench-peers]
#   --with-test-tools also installs what the test suite uses beyond the build
#   (python3-jsonschema for the schema check, python3-prometheus-client whose
#   OpenMetrics parser reads `hbmbench export`'s text in
#   tests/export_openmetrics.py, chromium for the report test,
#   valgrind for the memcheck test, clang-14 with libclang-rt-14-dev for the
#   sanitizer build and the libFuzzer targets: Debian's clang-14 only
#   recommends the runtime libraries that -fsanitize=fuzzer,address link;
#   oclgrind for the kernel checks of tests/oclgrind.cmake; zsh and man-db, so
#   the install test loads the zsh completion and renders the man page
#   (tests/install_tree.sh); Open MPI, so the MPI part is built and
#   tested: docs/cluster.md; and slurm-wlm, whose slurmctld and slurmd
#   tests/cluster_slurm.sh starts as a single-node Slurm of its own to try
#   the sbatch and health-check examples).
#   --with-mpi installs Open MPI (libopenmpi-dev, openmpi-bin) for
#   -DHB_WITH_MPI=ON, `mpirun -n N hbmbench run`.
#   --with-bench-peers installs the peers scripts/bench_cpu_peers.sh measures
#   hbmbench against: likwid (likwid-bench) and libopenblas0-pthread (loaded
#   with dlopen, so no -dev package).
set -euo pipefail
pkgs=(cmake make gcc pkg-config ocl-icd-opencl-dev opencl-headers ocl-icd-libopencl1 pocl-opencl-icd
      libhwloc-dev hwloc libjansson-dev libclblast-dev clinfo python3 python3-matplotlib)
mpi=(libopenmpi-dev openmpi-bin)
for arg in "$@"; do
    case $arg in
        --with-test-tools) pkgs+=(python3-jsonschema python3-prometheus-client chromium valgrind clang-14 libclang-rt-14-dev
                                  oclgrind zsh man-db slurm-wlm "${mpi[@]}") ;;
        --with-mpi) pkgs+=("${mpi[@]}") ;;
        --with-bench-peers) pkgs+=(likwid libopenblas0-pthread) ;;
        *) echo "usage: $0 [--with-test-tools] [--with-mpi] [--with-bench-peers]" >&2; exit 2 ;;
    esac
done
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
