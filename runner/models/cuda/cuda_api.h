/* SPDX-License-Identifier: Apache-2.0 */
/* cuda_api: the parts of the CUDA driver API and of NVRTC that the cuda
 * model calls, loaded with dlopen at run time, so that hbmbench builds
 * without any NVIDIA package and runs unchanged where none is installed.
 *
 * The types, constants and prototypes are declared here rather than taken
 * from cuda.h and nvrtc.h. They follow NVIDIA's public documentation:
 *  - CUDA Driver API reference (docs.nvidia.com/cuda/cuda-driver-api),
 *    as declared in cuda.h of CUDA 13.0: CUresult and CUdevice are int
 *    (enum and typedef), handles are pointers to opaque structs,
 *    CUdeviceptr is unsigned long long on 64-bit hosts (CUdeviceptr_v2);
 *    CUDA_SUCCESS = 0; CU_DEVICE_ATTRIBUTE_* values from the
 *    CUdevice_attribute enum (group "Device Management"); the exported
 *    symbol of each versioned call is the one cuda.h maps its name to
 *    (cuMemAlloc -> cuMemAlloc_v2, cuEventElapsedTime -> cuEventElapsedTime_v2
 *    since CUDA 12.8, with the unversioned symbol kept by older drivers);
 *  - NVRTC User Guide (docs.nvidia.com/cuda/nvrtc), nvrtc.h of CUDA 13.0:
 *    nvrtcResult is an enum (int), NVRTC_SUCCESS = 0, nvrtcProgram an
 *    opaque pointer; nvrtcGetCUBIN exists since CUDA 11.1 and
 *    nvrtcGetSupportedArchs since 11.2, so both are optional here.
 * Every call's status goes through hb_cu_check / hb_nvrtc_check, so an
 * error reads "cuMemAlloc: CUDA_ERROR_OUT_OF_MEMORY", never a number. */
#ifndef HB_CUDA_API_H
#define HB_CUDA_API_H

#include <stddef.h>

#include "hb_error.h"

typedef int hb_cu_device;                       /* CUdevice */
typedef unsigned long long hb_cu_dptr;          /* CUdeviceptr */
typedef struct hb_cu_ctx_st *hb_cu_ctx;         /* CUcontext */
typedef struct hb_cu_mod_st *hb_cu_module;      /* CUmodule */
typedef struct hb_cu_func_st *hb_cu_function;   /* CUfunction */
typedef struct hb_cu_stream_st *hb_cu_stream;   /* CUstream */
typedef struct hb_cu_event_st *hb_cu_event;     /* CUevent */
typedef struct hb_nvrtc_prog_st *hb_nvrtc_program; /* nvrtcProgram */

#define HB_CUDA_SUCCESS 0
#define HB_CUDA_ERROR_STUB_LIBRARY 34
#define HB_CUDA_ERROR_NO_DEVICE 100
#define HB_NVRTC_SUCCESS 0
#define HB_NVRTC_ERROR_BUILTIN_OPERATION_FAILURE 7

/* CUdevice_attribute */
enum {
    HB_CU_ATTR_MAX_THREADS_PER_BLOCK = 1,
    HB_CU_ATTR_MAX_GRID_DIM_X = 5,
    HB_CU_ATTR_MAX_SHARED_MEMORY_PER_BLOCK = 8,
    HB_CU_ATTR_WARP_SIZE = 10,
    HB_CU_ATTR_CLOCK_RATE = 13,                   /* kHz */
    HB_CU_ATTR_MULTIPROCESSOR_COUNT = 16,
    HB_CU_ATTR_INTEGRATED = 18,
    HB_CU_ATTR_ECC_ENABLED = 32,
    HB_CU_ATTR_MEMORY_CLOCK_RATE = 36,            /* kHz */
    HB_CU_ATTR_GLOBAL_MEMORY_BUS_WIDTH = 37,      /* bits */
    HB_CU_ATTR_L2_CACHE_SIZE = 38,                /* bytes */
    HB_CU_ATTR_MAX_THREADS_PER_MULTIPROCESSOR = 39,
    HB_CU_ATTR_COMPUTE_CAPABILITY_MAJOR = 75,
    HB_CU_ATTR_COMPUTE_CAPABILITY_MINOR = 76,
    HB_CU_ATTR_MAX_SHARED_MEMORY_PER_MULTIPROCESSOR = 81,
    HB_CU_ATTR_MAX_REGISTERS_PER_MULTIPROCESSOR = 82,
    HB_CU_ATTR_MAX_BLOCKS_PER_MULTIPROCESSOR = 106,
};

/* CUfunction_attribute, CUjit_option */
enum { HB_CU_FUNC_MAX_THREADS_PER_BLOCK = 0, HB_CU_FUNC_NUM_REGS = 4 };
enum { HB_CU_JIT_ERROR_LOG_BUFFER = 5, HB_CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES = 6 };

typedef struct hb_cu_api {
    void *lib;
    char path[512];            /* the file the loader opened */
    int driver_version;        /* cuDriverGetVersion: 1000 * major + 10 * minor */
    int (*init)(unsigned flags);
    int (*driver_get_version)(int *v);
    int (*get_error_name)(int status, const char **name);
    int (*device_get_count)(int *n);
    int (*device_get)(hb_cu_device *d, int ordinal);
    int (*device_get_name)(char *name, int len, hb_cu_device d);
    int (*device_get_attribute)(int *v, int attr, hb_cu_device d);
    int (*device_total_mem)(size_t *bytes, hb_cu_device d);
    int (*device_get_pci_bus_id)(char *id, int len, hb_cu_device d);
    /* optional (NULL when the driver lacks it): cuDeviceGetUuid_v2, else
     * cuDeviceGetUuid (CUDA 9.2); CUuuid is 16 bytes (CUDA Driver API,
     * "Device Management", docs.nvidia.com/cuda/cuda-driver-api/group__CUDA__DEVICE.html) */
    int (*device_get_uuid)(unsigned char uuid[16], hb_cu_device d);
    char device_get_uuid_name[24];
    int (*primary_ctx_retain)(hb_cu_ctx *c, hb_cu_device d);
    int (*primary_ctx_release)(hb_cu_device d);
    int (*ctx_set_current)(hb_cu_ctx c);
    int (*mem_alloc)(hb_cu_dptr *p, size_t bytes);
    int (*mem_free)(hb_cu_dptr p);
    int (*memcpy_htod_async)(hb_cu_dptr dst, const void *src, size_t bytes, hb_cu_stream s);
    int (*memcpy_dtoh_async)(void *dst, hb_cu_dptr src, size_t bytes, hb_cu_stream s);
    int (*memcpy_dtod_async)(hb_cu_dptr dst, hb_cu_dptr src, size_t bytes, hb_cu_stream s);
    int (*memset_d8_async)(hb_cu_dptr p, unsigned char v, size_t n, hb_cu_stream s);
    int (*memset_d16_async)(hb_cu_dptr p, unsigned short v, size_t n, hb_cu_stream s);
    int (*memset_d32_async)(hb_cu_dptr p, unsigned v, size_t n, hb_cu_stream s);
    int (*module_load_data_ex)(hb_cu_module *m, const void *image, unsigned n, int *options, void **values);
    int (*module_unload)(hb_cu_module m);
    int (*module_get_function)(hb_cu_function *f, hb_cu_module m, const char *name);
    int (*func_get_attribute)(int *v, int attr, hb_cu_function f);
    int (*occupancy_max_active_blocks)(int *blocks, hb_cu_function f, int block_size, size_t dynamic_smem);
    int (*launch_kernel)(hb_cu_function f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by,
                         unsigned bz, unsigned smem, hb_cu_stream s, void **params, void **extra);
    int (*stream_create)(hb_cu_stream *s, unsigned flags);
    int (*stream_destroy)(hb_cu_stream s);
    int (*stream_synchronize)(hb_cu_stream s);
    int (*event_create)(hb_cu_event *e, unsigned flags);
    int (*event_destroy)(hb_cu_event e);
    int (*event_record)(hb_cu_event e, hb_cu_stream s);
    int (*event_elapsed_time)(float *ms, hb_cu_event start, hb_cu_event end);
} hb_cu_api;

typedef struct hb_nvrtc_api {
    void *lib;
    char path[512];
    int major, minor;          /* nvrtcVersion */
    void *builtins_lib;        /* libnvrtc-builtins.so.* loaded from path's folder, NULL: none there */
    char builtins[768];        /* its file, "" when none was found ("FILE (not loaded: why)" when it failed) */
    const char *(*get_error_string)(int status);
    int (*version)(int *major, int *minor);
    int (*create_program)(hb_nvrtc_program *p, const char *src, const char *name, int n_headers,
                          const char *const *headers, const char *const *include_names);
    int (*compile_program)(hb_nvrtc_program p, int n_options, const char *const *options);
    int (*destroy_program)(hb_nvrtc_program *p);
    int (*get_log_size)(hb_nvrtc_program p, size_t *n);
    int (*get_log)(hb_nvrtc_program p, char *log);
    int (*get_ptx_size)(hb_nvrtc_program p, size_t *n);
    int (*get_ptx)(hb_nvrtc_program p, char *ptx);
    int (*get_cubin_size)(hb_nvrtc_program p, size_t *n);   /* optional (NULL before 11.1) */
    int (*get_cubin)(hb_nvrtc_program p, char *cubin);      /* optional */
    int (*get_num_supported_archs)(int *n);                  /* optional (NULL before 11.2) */
    int (*get_supported_archs)(int *archs);                  /* optional */
} hb_nvrtc_api;

/* Loads the driver: the file $HB_LIBCUDA names (alone; tests use it to
 * hide the driver), else "libcuda.so.1", the name the driver installs
 * (never "libcuda.so", which in a toolkit is the link-time stub), through
 * the loader's path, then in the folders of hb_dl_vendor_dirs
 * (/usr/local/nvidia/lib64, /usr/lib/x86_64-linux-gnu, /usr/lib64:
 * dl_search.h); resolves the calls and runs cuInit(0). A library that
 * lacks a call, or whose cuInit fails (the toolkit's stub answers
 * CUDA_ERROR_STUB_LIBRARY) is refused and the search goes on. Returns 1
 * with api->path the file loaded; else 0 with why naming every place tried
 * ("no NVIDIA driver: libcuda.so.1 not found in the loader path,
 * /usr/local/nvidia/lib64, ...", "/x/libcuda.so.1: cuInit:
 * CUDA_ERROR_STUB_LIBRARY: ...; refused; libcuda.so.1 not found in ...").
 * The library stays loaded (a later load gets the same copy: dlopen(3)
 * counts references). */
int hb_cu_api_load(hb_cu_api *api, char *why, size_t why_len);

/* Loads NVRTC: $HB_NVRTC (a file) when set, else libnvrtc.so and its
 * versioned names (13, 12, 11.2 ... 10.0) in $CUDA_HOME/lib64,
 * $CUDA_PATH/lib64, /usr/local/cuda/lib64 and then the loader's own path;
 * then the libnvrtc-builtins.so.* of the same folder (RTLD_GLOBAL), which
 * NVRTC opens by soname and would not find in a folder the loader does not
 * search. Returns 1 when usable, else 0 with why (the places searched). */
int hb_nvrtc_api_load(hb_nvrtc_api *api, char *why, size_t why_len);

/* dlopen of the first of names (NULL-ended) found in $CUDA_HOME/lib64,
 * $CUDA_PATH/lib64, /usr/local/cuda/lib64, then the loader path; NULL with
 * the places tried in searched. */
void *hb_cu_find_library(const char *const *names, char *searched, size_t len);
/* The file the loader opened for lib (fallback when it does not say). */
void hb_cu_library_path(void *lib, const char *fallback, char *out, size_t len);

/* "CUDA_ERROR_OUT_OF_MEMORY" (cuGetErrorName), "CUDA error 2" only when the
 * driver has no name for it. buf holds the text when a number is printed. */
const char *hb_cu_error_name(const hb_cu_api *api, int status, char *buf, size_t len);
/* HB_OK when status is CUDA_SUCCESS; else err = "<call>: <ERROR_NAME>" and HB_EFAIL. */
int hb_cu_check(const hb_cu_api *api, int status, const char *call, hb_err *err);
/* As hb_cu_check for NVRTC (nvrtcGetErrorString). */
int hb_nvrtc_check(const hb_nvrtc_api *api, int status, const char *call, hb_err *err);

#endif
