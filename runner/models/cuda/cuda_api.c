/* SPDX-License-Identifier: Apache-2.0 */
/* cuda_api: loading the CUDA driver and NVRTC at run time (cuda_api.h). */
#include "cuda_api.h"
#include "env.h"

#include <dirent.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dl_search.h"

/* POSIX allows converting dlsym's void * to a function pointer (dlsym(3));
 * the cast goes through this helper so every pointer is typed once. */
typedef void (*any_fn)(void);
static any_fn sym(void *lib, const char *name)
{
    return (any_fn)dlsym(lib, name);
}

/* The first symbol of names that the library exports (newest name first). */
static any_fn sym2(void *lib, const char *name, const char *older)
{
    any_fn f = sym(lib, name);
    return f ? f : sym(lib, older);
}

#define LOAD(field, name) (api->field = (__typeof__(api->field))sym(api->lib, name))
#define LOAD2(field, name, older) (api->field = (__typeof__(api->field))sym2(api->lib, name, older))

/* Every call the model makes; NULL names the first one missing. */
static const char *resolve_driver(hb_cu_api *api)
{
    if (!LOAD(init, "cuInit")) return "cuInit";
    if (!LOAD(driver_get_version, "cuDriverGetVersion")) return "cuDriverGetVersion";
    if (!LOAD(get_error_name, "cuGetErrorName")) return "cuGetErrorName";
    if (!LOAD(device_get_count, "cuDeviceGetCount")) return "cuDeviceGetCount";
    if (!LOAD(device_get, "cuDeviceGet")) return "cuDeviceGet";
    if (!LOAD(device_get_name, "cuDeviceGetName")) return "cuDeviceGetName";
    if (!LOAD(device_get_attribute, "cuDeviceGetAttribute")) return "cuDeviceGetAttribute";
    if (!LOAD(device_total_mem, "cuDeviceTotalMem_v2")) return "cuDeviceTotalMem_v2";
    if (!LOAD(device_get_pci_bus_id, "cuDeviceGetPCIBusId")) return "cuDeviceGetPCIBusId";
    if (!LOAD(primary_ctx_retain, "cuDevicePrimaryCtxRetain")) return "cuDevicePrimaryCtxRetain";
    if (!LOAD2(primary_ctx_release, "cuDevicePrimaryCtxRelease_v2", "cuDevicePrimaryCtxRelease"))
        return "cuDevicePrimaryCtxRelease";
    if (!LOAD(ctx_set_current, "cuCtxSetCurrent")) return "cuCtxSetCurrent";
    if (!LOAD(mem_alloc, "cuMemAlloc_v2")) return "cuMemAlloc_v2";
    if (!LOAD(mem_free, "cuMemFree_v2")) return "cuMemFree_v2";
    if (!LOAD(memcpy_htod_async, "cuMemcpyHtoDAsync_v2")) return "cuMemcpyHtoDAsync_v2";
    if (!LOAD(memcpy_dtoh_async, "cuMemcpyDtoHAsync_v2")) return "cuMemcpyDtoHAsync_v2";
    if (!LOAD(memcpy_dtod_async, "cuMemcpyDtoDAsync_v2")) return "cuMemcpyDtoDAsync_v2";
    if (!LOAD(memset_d8_async, "cuMemsetD8Async")) return "cuMemsetD8Async";
    if (!LOAD(memset_d16_async, "cuMemsetD16Async")) return "cuMemsetD16Async";
    if (!LOAD(memset_d32_async, "cuMemsetD32Async")) return "cuMemsetD32Async";
    if (!LOAD(module_load_data_ex, "cuModuleLoadDataEx")) return "cuModuleLoadDataEx";
    if (!LOAD(module_unload, "cuModuleUnload")) return "cuModuleUnload";
    if (!LOAD(module_get_function, "cuModuleGetFunction")) return "cuModuleGetFunction";
    if (!LOAD(func_get_attribute, "cuFuncGetAttribute")) return "cuFuncGetAttribute";
    if (!LOAD(occupancy_max_active_blocks, "cuOccupancyMaxActiveBlocksPerMultiprocessor"))
        return "cuOccupancyMaxActiveBlocksPerMultiprocessor";
    if (!LOAD(launch_kernel, "cuLaunchKernel")) return "cuLaunchKernel";
    if (!LOAD(stream_create, "cuStreamCreate")) return "cuStreamCreate";
    if (!LOAD2(stream_destroy, "cuStreamDestroy_v2", "cuStreamDestroy")) return "cuStreamDestroy";
    if (!LOAD(stream_synchronize, "cuStreamSynchronize")) return "cuStreamSynchronize";
    if (!LOAD(event_create, "cuEventCreate")) return "cuEventCreate";
    if (!LOAD2(event_destroy, "cuEventDestroy_v2", "cuEventDestroy")) return "cuEventDestroy";
    if (!LOAD(event_record, "cuEventRecord")) return "cuEventRecord";
    if (!LOAD2(event_elapsed_time, "cuEventElapsedTime_v2", "cuEventElapsedTime")) return "cuEventElapsedTime";
    /* optional: a device without a UUID is still measured */
    if (LOAD(device_get_uuid, "cuDeviceGetUuid_v2"))
        snprintf(api->device_get_uuid_name, sizeof api->device_get_uuid_name, "cuDeviceGetUuid_v2");
    else if (LOAD(device_get_uuid, "cuDeviceGetUuid"))
        snprintf(api->device_get_uuid_name, sizeof api->device_get_uuid_name, "cuDeviceGetUuid");
    return NULL;
}

/* hb_dl_search's verdict on one libcuda.so.1: every call resolves and
 * cuInit(0) succeeds. */
static int accept_driver(void *lib, const char *path, void *arg, char *why, size_t why_len)
{
    hb_cu_api *api = arg;
    memset(api, 0, sizeof *api);
    api->lib = lib;
    snprintf(api->path, sizeof api->path, "%s", path);
    const char *missing = resolve_driver(api);
    if (missing) {
        snprintf(why, why_len, "%s lacks %s: driver too old or not a CUDA driver", api->path, missing);
        return 0;
    }
    int rc = api->init(0);
    if (rc != HB_CUDA_SUCCESS) {
        char num[64];
        const char *name = hb_cu_error_name(api, rc, num, sizeof num);
        if (rc == HB_CUDA_ERROR_NO_DEVICE)
            snprintf(why, why_len, "cuInit: %s: the driver (%s) sees no GPU", name, api->path);
        else if (rc == HB_CUDA_ERROR_STUB_LIBRARY)
            snprintf(why, why_len, "%s: cuInit: %s: the CUDA toolkit's link-time stub, not a driver; refused",
                     api->path, name);
        else
            snprintf(why, why_len, "%s: cuInit: %s: not a working driver; refused", api->path, name);
        return 0;
    }
    return 1;
}

int hb_cu_api_load(hb_cu_api *api, char *why, size_t why_len)
{
    char path[sizeof api->path], tried[640];
    hb_dl_search s = {.env = "HB_LIBCUDA", .soname = "libcuda.so.1", .accept = accept_driver, .arg = api};
    void *lib = hb_dl_open_search(&s, path, sizeof path, tried, sizeof tried);
    if (!lib) {
        memset(api, 0, sizeof *api);
        /* nothing found at all, or found and refused (the stub, no GPU) */
        snprintf(why, why_len, "%s%s", s.refused ? "" : "no NVIDIA driver: ", tried);
        return 0;
    }
    if (api->driver_get_version(&api->driver_version) != HB_CUDA_SUCCESS)
        api->driver_version = 0;
    return 1;
}

/* ---- NVRTC ---- */

static const char *const nvrtc_names[] = {
    "libnvrtc.so", "libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2", "libnvrtc.so.11.1",
    "libnvrtc.so.11.0", "libnvrtc.so.10.2", "libnvrtc.so.10.1", "libnvrtc.so.10.0", NULL,
};

static const char *resolve_nvrtc(hb_nvrtc_api *api)
{
    if (!LOAD(get_error_string, "nvrtcGetErrorString")) return "nvrtcGetErrorString";
    if (!LOAD(version, "nvrtcVersion")) return "nvrtcVersion";
    if (!LOAD(create_program, "nvrtcCreateProgram")) return "nvrtcCreateProgram";
    if (!LOAD(compile_program, "nvrtcCompileProgram")) return "nvrtcCompileProgram";
    if (!LOAD(destroy_program, "nvrtcDestroyProgram")) return "nvrtcDestroyProgram";
    if (!LOAD(get_log_size, "nvrtcGetProgramLogSize")) return "nvrtcGetProgramLogSize";
    if (!LOAD(get_log, "nvrtcGetProgramLog")) return "nvrtcGetProgramLog";
    if (!LOAD(get_ptx_size, "nvrtcGetPTXSize")) return "nvrtcGetPTXSize";
    if (!LOAD(get_ptx, "nvrtcGetPTX")) return "nvrtcGetPTX";
    LOAD(get_cubin_size, "nvrtcGetCUBINSize");
    LOAD(get_cubin, "nvrtcGetCUBIN");
    LOAD(get_num_supported_archs, "nvrtcGetNumSupportedArchs");
    LOAD(get_supported_archs, "nvrtcGetSupportedArchs");
    if (!api->get_cubin_size || !api->get_cubin)
        api->get_cubin_size = NULL, api->get_cubin = NULL;
    if (!api->get_num_supported_archs || !api->get_supported_archs)
        api->get_num_supported_archs = NULL, api->get_supported_archs = NULL;
    return NULL;
}

static void *try_open(const char *dir, const char *name)
{
    char path[2048];
    if (dir)
        snprintf(path, sizeof path, "%s/%s", dir, name);
    else
        snprintf(path, sizeof path, "%s", name);
    return dlopen(path, RTLD_NOW | RTLD_LOCAL);
}

/* The folders to try before the loader's own path, each with a "lib64". */
void *hb_cu_find_library(const char *const *names, char *searched, size_t len)
{
    const char *env[] = {hb_env("CUDA_HOME"), hb_env("CUDA_PATH")};
    char dirs[3][600];
    int nd = 0;
    for (int i = 0; i < 2; i++)
        if (env[i] && env[i][0])
            snprintf(dirs[nd++], sizeof dirs[0], "%s/lib64", env[i]);
    snprintf(dirs[nd++], sizeof dirs[0], "/usr/local/cuda/lib64");
    size_t used = 0;
    searched[0] = '\0';
    for (int d = 0; d <= nd; d++) {
        const char *dir = d < nd ? dirs[d] : NULL;
        used += (size_t)snprintf(searched + used, used < len ? len - used : 0, "%s%s", d ? ", " : "",
                                 dir ? dir : "the loader path");
        for (const char *const *n = names; *n; n++) {
            void *lib = try_open(dir, *n);
            if (lib)
                return lib;
        }
    }
    return NULL;
}

void hb_cu_library_path(void *lib, const char *fallback, char *out, size_t len)
{
    hb_dl_loaded_path(lib, fallback, out, len);
}

/* NVRTC opens libnvrtc-builtins.so.MAJOR.MINOR by its soname at its first
 * compile, through the loader's path only; opened from a folder the loader
 * does not search ($HB_NVRTC, $CUDA_HOME/lib64, a pip wheel's
 * nvidia/cuda_nvrtc/lib), every compile fails with
 * NVRTC_ERROR_BUILTIN_OPERATION_FAILURE. A name without a slash is matched
 * against the DT_SONAME of the objects already loaded before any search
 * (glibc elf/dl-load.c, _dl_map_object), so loading the builtins found
 * beside libnvrtc first is what NVRTC then gets. Of several, the newest
 * whose major version is NVRTC's, else the newest. */
#define BUILTINS_PREFIX "libnvrtc-builtins.so."

static long builtins_rank(const char *name, int major)
{
    int v[3] = {0, 0, 0};
    if (sscanf(name + strlen(BUILTINS_PREFIX), "%d.%d.%d", &v[0], &v[1], &v[2]) < 1 || v[0] < 0)
        return -1;
    return (v[0] == major ? 1L << 40 : 0) + v[0] * 1000000L + v[1] * 1000L + v[2];
}

static void load_builtins(hb_nvrtc_api *api)
{
    char dir[sizeof api->path], best[256] = "";
    const char *slash = strrchr(api->path, '/');
    if (!slash)
        return; /* found through the loader's path: NVRTC finds its builtins there too */
    snprintf(dir, sizeof dir, "%.*s", (int)(slash - api->path), api->path);
    DIR *d = opendir(dir[0] ? dir : "/");
    if (!d)
        return;
    long best_rank = -1;
    for (struct dirent *e; (e = readdir(d));) {
        int ours = !strncmp(e->d_name, BUILTINS_PREFIX, strlen(BUILTINS_PREFIX));
        long rank = ours ? builtins_rank(e->d_name, api->major) : -1;
        if (rank > best_rank && strlen(e->d_name) < sizeof best) {
            best_rank = rank;
            snprintf(best, sizeof best, "%s", e->d_name);
        }
    }
    closedir(d);
    if (!best[0])
        return;
    snprintf(api->builtins, sizeof api->builtins, "%s/%s", dir, best);
    /* kept loaded for the process: NVRTC closes its own reference after each compile */
    api->builtins_lib = dlopen(api->builtins, RTLD_NOW | RTLD_GLOBAL);
    if (!api->builtins_lib) {
        const char *e = dlerror();
        snprintf(api->builtins, sizeof api->builtins, "%s/%s (not loaded: %.200s)", dir, best,
                 e ? e : "dlopen failed");
    }
}

int hb_nvrtc_api_load(hb_nvrtc_api *api, char *why, size_t why_len)
{
    memset(api, 0, sizeof *api);
    const char *file = hb_env("HB_NVRTC");
    char searched[1024];
    if (file && file[0]) {
        api->lib = dlopen(file, RTLD_NOW | RTLD_LOCAL);
        if (!api->lib) {
            const char *e = dlerror();
            snprintf(why, why_len, "HB_NVRTC=%s: %s", file, e ? e : "dlopen failed");
            return 0;
        }
    } else if (!(api->lib = hb_cu_find_library(nvrtc_names, searched, sizeof searched))) {
        snprintf(why, why_len, "NVRTC (libnvrtc.so*) not found in %s; set CUDA_HOME or HB_NVRTC", searched);
        return 0;
    }
    hb_dl_loaded_path(api->lib, file ? file : "libnvrtc.so", api->path, sizeof api->path);
    const char *missing = resolve_nvrtc(api);
    if (missing) {
        snprintf(why, why_len, "%s lacks %s", api->path, missing);
        return 0;
    }
    if (api->version(&api->major, &api->minor) != HB_NVRTC_SUCCESS)
        api->major = api->minor = 0;
    load_builtins(api);
    return 1;
}

/* ---- errors ---- */

/* The names of the CUresult values a driver may return where its
 * cuGetErrorName does not answer (the toolkit's stub answers nothing but
 * CUDA_ERROR_STUB_LIBRARY): the CUresult enum of cuda.h, CUDA 13.0. */
static const struct { int code; const char *name; } cu_names[] = {
    {0, "CUDA_SUCCESS"}, {1, "CUDA_ERROR_INVALID_VALUE"}, {2, "CUDA_ERROR_OUT_OF_MEMORY"},
    {3, "CUDA_ERROR_NOT_INITIALIZED"}, {4, "CUDA_ERROR_DEINITIALIZED"}, {34, "CUDA_ERROR_STUB_LIBRARY"},
    {36, "CUDA_ERROR_CALL_REQUIRES_NEWER_DRIVER"},
    {46, "CUDA_ERROR_DEVICE_UNAVAILABLE"}, {100, "CUDA_ERROR_NO_DEVICE"}, {101, "CUDA_ERROR_INVALID_DEVICE"},
    {102, "CUDA_ERROR_DEVICE_NOT_LICENSED"}, {200, "CUDA_ERROR_INVALID_IMAGE"}, {201, "CUDA_ERROR_INVALID_CONTEXT"},
    {209, "CUDA_ERROR_NO_BINARY_FOR_GPU"}, {214, "CUDA_ERROR_ECC_UNCORRECTABLE"}, {218, "CUDA_ERROR_INVALID_PTX"},
    {221, "CUDA_ERROR_JIT_COMPILER_NOT_FOUND"}, {222, "CUDA_ERROR_UNSUPPORTED_PTX_VERSION"},
    {223, "CUDA_ERROR_JIT_COMPILATION_DISABLED"}, {303, "CUDA_ERROR_SHARED_OBJECT_INIT_FAILED"},
    {304, "CUDA_ERROR_OPERATING_SYSTEM"}, {400, "CUDA_ERROR_INVALID_HANDLE"}, {500, "CUDA_ERROR_NOT_FOUND"},
    {600, "CUDA_ERROR_NOT_READY"}, {700, "CUDA_ERROR_ILLEGAL_ADDRESS"}, {701, "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES"},
    {702, "CUDA_ERROR_LAUNCH_TIMEOUT"}, {716, "CUDA_ERROR_MISALIGNED_ADDRESS"}, {719, "CUDA_ERROR_LAUNCH_FAILED"},
    {800, "CUDA_ERROR_NOT_PERMITTED"}, {801, "CUDA_ERROR_NOT_SUPPORTED"}, {802, "CUDA_ERROR_SYSTEM_NOT_READY"},
    {803, "CUDA_ERROR_SYSTEM_DRIVER_MISMATCH"}, {804, "CUDA_ERROR_COMPAT_NOT_SUPPORTED_ON_DEVICE"},
    {999, "CUDA_ERROR_UNKNOWN"},
};

const char *hb_cu_error_name(const hb_cu_api *api, int status, char *buf, size_t len)
{
    const char *name = NULL;
    if (api && api->get_error_name && api->get_error_name(status, &name) == HB_CUDA_SUCCESS && name)
        return name;
    for (size_t i = 0; i < sizeof cu_names / sizeof *cu_names; i++)
        if (cu_names[i].code == status)
            return cu_names[i].name;
    snprintf(buf, len, "CUresult %d (unnamed)", status);
    return buf;
}

int hb_cu_check(const hb_cu_api *api, int status, const char *call, hb_err *err)
{
    if (status == HB_CUDA_SUCCESS)
        return HB_OK;
    char num[64];
    return hb_fail(err, HB_EFAIL, "%s: %s", call, hb_cu_error_name(api, status, num, sizeof num));
}

int hb_nvrtc_check(const hb_nvrtc_api *api, int status, const char *call, hb_err *err)
{
    if (status == HB_NVRTC_SUCCESS)
        return HB_OK;
    const char *s = api && api->get_error_string ? api->get_error_string(status) : NULL;
    if (s)
        return hb_fail(err, HB_EFAIL, "%s: %s", call, s);
    return hb_fail(err, HB_EFAIL, "%s: NVRTC error %d (no name from nvrtcGetErrorString)", call, status);
}
