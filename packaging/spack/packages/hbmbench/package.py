# SPDX-License-Identifier: Apache-2.0
"""Spack recipe for hbmbench, built from a checkout (docs/install.md):

    spack repo add packaging/spack
    spack env create -d hb-env && spack env activate hb-env
    spack add hbmbench@=0.1.0 +mpi ^ocl-icd+headers
    spack develop --path "$PWD" hbmbench@=0.1.0
    spack install

Written for Spack's package API of v0.21 to v0.23 (`from spack.package import
*`, directives as functions); Spack 1.0 reads it as a v1 repository.
"""
from spack.package import *  # noqa: F401,F403  (Spack's directives and base classes)


class Hbmbench(CMakePackage):
    """Memory-bandwidth and GEMM benchmarks for GPUs, accelerators and CPUs, in
    C over OpenCL, CUDA (loaded at run time) and hwloc: verified results,
    reported against each device's theoretical peak with its source."""

    # No public release yet: build a checkout with `spack develop` (above).
    license("Apache-2.0")

    version("0.1.0")

    variant("mpi", default=False, description="`mpirun -n N hbmbench run`: one device per rank, one result file")
    variant("clblast", default=False, description="Time CLBlast's GEMM beside hbmbench's as a reference row")
    variant("plots", default=True,
            description="hbmbench-plot and hbmbench-report (Python with matplotlib at run time)")

    depends_on("c", type="build")
    depends_on("cmake@3.25:", type="build")
    depends_on("pkgconfig", type="build")
    # The man page and shell completions are written at build time from the
    # binary's --help by packaging/gen_help_files.py (Python 3.9 or newer).
    depends_on("python@3.9:", type="build")

    depends_on("hwloc@2:")
    depends_on("jansson@2.10:")
    # An OpenCL ICD loader with OpenCL 3.0 headers (the build targets 3.0):
    # ocl-icd+headers or opencl-icd-loader; a driver such as pocl (the CPU)
    # or a GPU vendor's is found at run time through /etc/OpenCL/vendors.
    depends_on("opencl@3.0:")
    depends_on("mpi", when="+mpi")
    depends_on("clblast", when="+clblast")
    depends_on("python@3.9:", type=("build", "run"), when="+plots")
    depends_on("py-matplotlib", type="run", when="+plots")
    # CUDA, NVRTC, cuBLAS and NVML are opened with dlopen when present
    # (docs/cuda.md): no dependency, the driver's libraries are the system's.

    def cmake_args(self):
        args = [
            self.define_from_variant("HB_WITH_MPI", "mpi"),
            self.define_from_variant("HB_WITH_CLBLAST", "clblast"),
            self.define("BUILD_TESTING", self.run_tests),
        ]
        # The launchers' interpreter: Spack's Python, which finds
        # py-matplotlib once the package is loaded (`spack load hbmbench`).
        python = self.spec["python"].command.path
        args.append(self.define("HB_PYTHON", python))
        return args
