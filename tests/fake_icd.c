/* SPDX-License-Identifier: Apache-2.0 */
/* fake_icd: an OpenCL ICD (a vendor library the ICD loader loads) whose
 * one platform answers its name and then never answers clGetDeviceIDs: a
 * driver that hangs, for tests of the discovery limit
 * (HB_DISCOVERY_TIMEOUT, runner/core/deadline.h; tests/discovery.cmake).
 *
 * What a loader needs of an ICD (cl_khr_icd, OpenCL 3.0 extension spec;
 * ocl-icd's ocl_icd_loader.c _find_and_check_platforms): the exported
 * clGetExtensionFunctionAddress and clIcdGetPlatformIDsKHR (found by
 * either), clGetPlatformInfo answering CL_PLATFORM_EXTENSIONS with
 * cl_khr_icd and CL_PLATFORM_ICD_SUFFIX_KHR, and platform objects whose
 * first member points to the dispatch table (cl_icd.h) through which the
 * loader calls everything else.
 *
 * HB_FAKE_ICD_HANG_S: how long clGetDeviceIDs sleeps (default an hour),
 * then it answers CL_DEVICE_NOT_FOUND. Not linked to libOpenCL. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CL/cl_icd.h>

struct _cl_platform_id {
    cl_icd_dispatch *dispatch;
};

#define FAKE_NAME "hbmbench hanging test platform"

static cl_int answer(const char *text, size_t size, void *value, size_t *size_ret)
{
    size_t n = strlen(text) + 1;
    if (size_ret)
        *size_ret = n;
    if (value && size < n)
        return CL_INVALID_VALUE;
    if (value)
        memcpy(value, text, n);
    return CL_SUCCESS;
}

/* Every function the loader reaches through a pointer is static: the
 * process's libOpenCL exports the same names, and a reference to the
 * exported name from in here would bind to the loader's (ELF symbol
 * interposition), which dispatches back here without end. */
static cl_int CL_API_CALL platform_info(cl_platform_id platform, cl_platform_info name, size_t size, void *value,
                                        size_t *size_ret)
{
    (void)platform;
    switch (name) {
    case CL_PLATFORM_NAME: return answer(FAKE_NAME, size, value, size_ret);
    case CL_PLATFORM_VENDOR: return answer("hbmbench tests", size, value, size_ret);
    case CL_PLATFORM_VERSION: return answer("OpenCL 1.2 fake", size, value, size_ret);
    case CL_PLATFORM_PROFILE: return answer("FULL_PROFILE", size, value, size_ret);
    case CL_PLATFORM_EXTENSIONS: return answer("cl_khr_icd", size, value, size_ret);
    case CL_PLATFORM_ICD_SUFFIX_KHR: return answer("HBHANG", size, value, size_ret);
    default: return CL_INVALID_VALUE;
    }
}

static cl_int CL_API_CALL hang_device_ids(cl_platform_id platform, cl_device_type type, cl_uint n,
                                          cl_device_id *devices, cl_uint *n_ret)
{
    (void)platform, (void)type, (void)n, (void)devices;
    const char *s = getenv("HB_FAKE_ICD_HANG_S");
    unsigned left = s && *s ? (unsigned)atoi(s) : 3600;
    while (left)
        left = sleep(left);
    if (n_ret)
        *n_ret = 0;
    return CL_DEVICE_NOT_FOUND;
}

static cl_icd_dispatch table = {
    .clGetPlatformInfo = platform_info,
    .clGetDeviceIDs = hang_device_ids,
};
static struct _cl_platform_id the_platform = {&table};

static cl_int CL_API_CALL platform_ids(cl_uint n, cl_platform_id *platforms, cl_uint *n_ret)
{
    if ((!platforms && !n_ret) || (platforms && n == 0))
        return CL_INVALID_VALUE;
    if (platforms)
        platforms[0] = &the_platform;
    if (n_ret)
        *n_ret = 1;
    return CL_SUCCESS;
}

CL_API_ENTRY cl_int CL_API_CALL clIcdGetPlatformIDsKHR(cl_uint n, cl_platform_id *platforms, cl_uint *n_ret)
{
    return platform_ids(n, platforms, n_ret);
}

CL_API_ENTRY cl_int CL_API_CALL clGetPlatformInfo(cl_platform_id platform, cl_platform_info name, size_t size,
                                                  void *value, size_t *size_ret)
{
    return platform_info(platform, name, size, value, size_ret);
}

CL_API_ENTRY void *CL_API_CALL clGetExtensionFunctionAddress(const char *name)
{
    if (!strcmp(name, "clIcdGetPlatformIDsKHR"))
        return (void *)platform_ids;
    if (!strcmp(name, "clGetPlatformInfo"))
        return (void *)platform_info;
    return NULL;
}
