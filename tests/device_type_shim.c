/* SPDX-License-Identifier: Apache-2.0 */
/* device_type_shim: an LD_PRELOAD library for tests that makes every
 * OpenCL device report the type named by HB_TEST_DEVICE_TYPE (CPU, GPU or
 * ACCELERATOR) to CL_DEVICE_TYPE queries; everything else passes through.
 *
 * Why: the tuning grids (runner/models/opencl/opencl_stream_configs.c,
 * opencl_gemm_configs.c, opencl_roofline.c) depend on the device type, and
 * neither test device has the other type: Oclgrind's simulator is a GPU,
 * PoCL's devices (pthread, basic) are CPUs. With the
 * shim, Oclgrind checks the CPU grid's kernels (gemm "panel", non-temporal
 * tiles, the roofline's block pattern) and PoCL runs, and verifies, the GPU
 * grid (work-groups of 256 to 1024, the coalesced patterns). The runner has
 * no option to choose a grid; tests/oclgrind.cmake says which would replace
 * this.
 *
 * It must come before the library it wraps in LD_PRELOAD (the ICD loader,
 * or Oclgrind's liboclgrind-rt.so); it finds that one with
 * dlsym(RTLD_NEXT) (dlsym(3)). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* RTLD_NEXT */
#endif
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include <CL/cl.h>

typedef cl_int (*get_device_info_fn)(cl_device_id, cl_device_info, size_t, void *, size_t *);

static cl_device_type wanted_type(void)
{
    const char *t = getenv("HB_TEST_DEVICE_TYPE");
    if (!t)
        return 0;
    if (!strcmp(t, "CPU"))
        return CL_DEVICE_TYPE_CPU;
    if (!strcmp(t, "GPU"))
        return CL_DEVICE_TYPE_GPU;
    if (!strcmp(t, "ACCELERATOR"))
        return CL_DEVICE_TYPE_ACCELERATOR;
    return 0;
}

CL_API_ENTRY cl_int CL_API_CALL clGetDeviceInfo(cl_device_id device, cl_device_info param, size_t size, void *value,
                                                size_t *size_ret)
{
    get_device_info_fn next;
    *(void **)&next = dlsym(RTLD_NEXT, "clGetDeviceInfo"); /* POSIX's idiom for a function from dlsym */
    if (!next)
        return CL_INVALID_OPERATION;
    cl_int rc = next(device, param, size, value, size_ret);
    cl_device_type t = wanted_type();
    if (rc == CL_SUCCESS && param == CL_DEVICE_TYPE && t && value && size >= sizeof t)
        memcpy(value, &t, sizeof t);
    return rc;
}
