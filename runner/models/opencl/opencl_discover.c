/* SPDX-License-Identifier: Apache-2.0 */
/* opencl_discover: every OpenCL device the ICD loader offers, in platform
 * order, described from its OpenCL queries (the model's discover call).
 * Indices are stable while the set of installed ICDs is (ocl-icd sorts
 * platforms; OCL_ICD_PLATFORM_SORT). */
#include "cl_env.h"
#include "env.h"

#include <dirent.h>
#include <dlfcn.h>
#include <link.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cl_util.h"
#include "deadline.h"
#include "opencl_identity.h"

static int info_str(cl_device_id d, cl_device_info what, const char *name, char *buf, size_t len, hb_err *err)
{
    char call[96];
    snprintf(call, sizeof call, "clGetDeviceInfo(%s)", name);
    buf[0] = '\0';
    if (hb_cl_check(clGetDeviceInfo(d, what, len, buf, NULL), call, err))
        return HB_EFAIL;
    buf[len - 1] = '\0';
    return HB_OK;
}

static int info_val(cl_device_id d, cl_device_info what, const char *name, void *val, size_t len, hb_err *err)
{
    char call[96];
    snprintf(call, sizeof call, "clGetDeviceInfo(%s)", name);
    return hb_cl_check(clGetDeviceInfo(d, what, len, val, NULL), call, err);
}

#define STR(field, what) info_str(d, what, #what, dev->field, sizeof dev->field, err)
#define VAL(var, what) info_val(d, what, #what, &var, sizeof var, err)

static hb_device_kind kind_of(cl_device_type t)
{
    if (t & CL_DEVICE_TYPE_GPU) return HB_KIND_GPU;
    if (t & CL_DEVICE_TYPE_ACCELERATOR) return HB_KIND_ACCELERATOR;
    if (t & CL_DEVICE_TYPE_CPU) return HB_KIND_CPU;
    if (t & CL_DEVICE_TYPE_CUSTOM) return HB_KIND_CUSTOM;
    return HB_KIND_UNKNOWN;
}

static int hardware_fma(cl_device_id d, cl_device_info what)
{
    cl_device_fp_config fp = 0;
    return clGetDeviceInfo(d, what, sizeof fp, &fp, NULL) == CL_SUCCESS && (fp & CL_FP_FMA) != 0;
}

/* CL_DEVICE_HOST_UNIFIED_MEMORY: the device and the host share one memory
 * (an integrated GPU). Deprecated by OpenCL 2.0 but still answered (OpenCL
 * 3.0 API spec, table of device queries); a failed query counts as no. */
static int host_unified(cl_device_id d)
{
    cl_bool u = CL_FALSE;
    return clGetDeviceInfo(d, CL_DEVICE_HOST_UNIFIED_MEMORY, sizeof u, &u, NULL) == CL_SUCCESS && u;
}

static int describe(cl_platform_id p, cl_device_id d, hb_device *dev, hb_err *err)
{
    dev->model = &hb_model_opencl;
    dev->handle[0] = (uintptr_t)p;
    dev->handle[1] = (uintptr_t)d;
    cl_device_type type;
    cl_uint cus, mhz, line, vendor_id;
    cl_ulong gmem, alloc, gcache, lmem;
    cl_device_fp_config dfp = 0;
    size_t wg;
    if (hb_cl_check(clGetPlatformInfo(p, CL_PLATFORM_NAME, sizeof dev->platform_name, dev->platform_name, NULL),
                    "clGetPlatformInfo(CL_PLATFORM_NAME)", err) ||
        hb_cl_check(clGetPlatformInfo(p, CL_PLATFORM_VERSION, sizeof dev->platform_version,
                                      dev->platform_version, NULL), "clGetPlatformInfo(CL_PLATFORM_VERSION)", err) ||
        STR(name, CL_DEVICE_NAME) || STR(vendor, CL_DEVICE_VENDOR) || STR(driver_version, CL_DRIVER_VERSION) ||
        STR(cl_version, CL_DEVICE_VERSION) || STR(clc_version, CL_DEVICE_OPENCL_C_VERSION) ||
        VAL(type, CL_DEVICE_TYPE) || VAL(cus, CL_DEVICE_MAX_COMPUTE_UNITS) ||
        VAL(mhz, CL_DEVICE_MAX_CLOCK_FREQUENCY) || VAL(gmem, CL_DEVICE_GLOBAL_MEM_SIZE) ||
        VAL(alloc, CL_DEVICE_MAX_MEM_ALLOC_SIZE) || VAL(gcache, CL_DEVICE_GLOBAL_MEM_CACHE_SIZE) ||
        VAL(line, CL_DEVICE_GLOBAL_MEM_CACHELINE_SIZE) || VAL(lmem, CL_DEVICE_LOCAL_MEM_SIZE) ||
        VAL(wg, CL_DEVICE_MAX_WORK_GROUP_SIZE) || VAL(vendor_id, CL_DEVICE_VENDOR_ID))
        return HB_EFAIL;
    /* CL_DEVICE_DOUBLE_FP_CONFIG is optional before OpenCL 1.2: 0 = no fp64 */
    if (clGetDeviceInfo(d, CL_DEVICE_DOUBLE_FP_CONFIG, sizeof dfp, &dfp, NULL) != CL_SUCCESS)
        dfp = 0;
    dev->kind = kind_of(type);
    snprintf(dev->type, sizeof dev->type, "%s", hb_device_kind_name(dev->kind));
    dev->compute_units = cus;
    dev->max_clock_mhz = mhz;
    dev->global_mem_bytes = gmem;
    dev->max_alloc_bytes = alloc;
    dev->global_cache_bytes = gcache;
    dev->cache_line_bytes = line;
    dev->local_mem_bytes = lmem;
    dev->max_work_group_size = wg;
    dev->vendor_id = vendor_id;
    dev->fp64 = dfp != 0 || hb_cl_has_extension(d, "cl_khr_fp64");
    dev->fp16 = hb_cl_has_extension(d, "cl_khr_fp16");
    dev->fma32 = hardware_fma(d, CL_DEVICE_SINGLE_FP_CONFIG);
    dev->fma64 = dev->fp64 && hardware_fma(d, CL_DEVICE_DOUBLE_FP_CONFIG);
    /* optional facts: a driver that does not answer leaves them unknown (0) */
    if (clGetDeviceInfo(d, CL_DEVICE_NATIVE_VECTOR_WIDTH_FLOAT, sizeof(cl_uint), &dev->native_vector_f32, NULL))
        dev->native_vector_f32 = 0;
    if (clGetDeviceInfo(d, CL_DEVICE_NATIVE_VECTOR_WIDTH_DOUBLE, sizeof(cl_uint), &dev->native_vector_f64, NULL))
        dev->native_vector_f64 = 0;
    dev->unified_memory = dev->kind == HB_KIND_CPU || host_unified(d);
    hb_cl_identify(d, dev);
    return HB_OK;
}

/* HBMBENCH_CL_SUBDEVICES=N lists each device that can be partitioned as its
 * sub-devices of N compute units each (clCreateSubDevices with
 * CL_DEVICE_PARTITION_EQUALLY, OpenCL 3.0 API spec section 4.3) instead of
 * the whole device, so that `run --device all --concurrent` can load parts
 * of one device at once (PoCL partitions its CPU device this way; a
 * device that cannot is listed whole and the status says so). 0 when unset. */
static unsigned subdevice_units(void)
{
    return (unsigned)hb_env_int("HBMBENCH_CL_SUBDEVICES", 0); /* checked by run and list (env.c) */
}

static int supports_equally(cl_device_id d)
{
    cl_device_partition_property props[16];
    size_t sz = 0;
    if (clGetDeviceInfo(d, CL_DEVICE_PARTITION_PROPERTIES, sizeof props, props, &sz) != CL_SUCCESS)
        return 0;
    for (size_t i = 0; i < sz / sizeof props[0]; i++)
        if (props[i] == CL_DEVICE_PARTITION_EQUALLY)
            return 1;
    return 0;
}

/* The sub-devices of d of `units` compute units each, described and named
 * "<name> (sub-device i of n)"; 0 added (and why in status) when d cannot
 * be split in two or more. The sub-device ids are kept for the life of the
 * process, as the root device ids are. */
static int add_subdevices(cl_platform_id p, cl_device_id d, unsigned units, hb_device_list *list, int *added,
                          char *status, size_t status_len, hb_err *err)
{
    cl_device_partition_property props[] = {CL_DEVICE_PARTITION_EQUALLY, (cl_device_partition_property)units, 0};
    cl_uint n = 0;
    *added = 0;
    char name[128] = "";
    clGetDeviceInfo(d, CL_DEVICE_NAME, sizeof name, name, NULL);
    name[sizeof name - 1] = '\0';
    cl_int rc = supports_equally(d) ? clCreateSubDevices(d, props, 0, NULL, &n) : CL_DEVICE_PARTITION_FAILED;
    if (rc != CL_SUCCESS || n < 2) {
        snprintf(status, status_len, "HBMBENCH_CL_SUBDEVICES=%u: %s cannot be split into sub-devices of %u compute "
                 "units (%s); listed whole", units, name, units, rc != CL_SUCCESS ? hb_cl_error_name(rc) : "1 part");
        return HB_OK;
    }
    cl_device_id *subs = malloc(n * sizeof *subs);
    if (!subs)
        return hb_fail(err, HB_EFAIL, "out of memory listing sub-devices");
    int res = hb_cl_check(clCreateSubDevices(d, props, n, subs, NULL), "clCreateSubDevices", err);
    for (cl_uint i = 0; i < n && !res; i++) {
        hb_device *dev = hb_device_list_add(list);
        res = dev ? describe(p, subs[i], dev, err) : hb_fail(err, HB_EFAIL, "out of memory listing devices");
        if (!res) {
            size_t used = strlen(dev->name);
            snprintf(dev->name + used, sizeof dev->name - used, " (sub-device %u of %u)", i + 1, n);
            snprintf(dev->scope, sizeof dev->scope, "sub-device %u/%u", i + 1, n);
        }
    }
    free(subs);
    *added = !res;
    return res;
}

static int add_platform(cl_platform_id p, hb_device_list *list, char *status, size_t status_len, hb_err *err)
{
    cl_uint nd = 0;
    cl_int rc = clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, 0, NULL, &nd);
    if (rc == CL_DEVICE_NOT_FOUND || nd == 0)
        return HB_OK; /* a platform may have no device (driver loaded, GPU absent) */
    if (hb_cl_check(rc, "clGetDeviceIDs", err))
        return HB_EFAIL;
    cl_device_id *ids = malloc(nd * sizeof *ids);
    if (!ids)
        return hb_fail(err, HB_EFAIL, "out of memory listing devices");
    int res = hb_cl_check(clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, nd, ids, NULL), "clGetDeviceIDs", err);
    unsigned units = subdevice_units();
    for (cl_uint i = 0; i < nd && !res; i++) {
        int split = 0;
        if (units)
            res = add_subdevices(p, ids[i], units, list, &split, status, status_len, err);
        if (res || split)
            continue;
        hb_device *dev = hb_device_list_add(list);
        res = dev ? describe(p, ids[i], dev, err) : hb_fail(err, HB_EFAIL, "out of memory listing devices");
    }
    free(ids);
    return res;
}

/* NVIDIA's OpenCL driver present without its ICD file: containers get the
 * library with the "compute" capability but, before nvidia-container-toolkit
 * PR #1893 (2026-06), not /etc/OpenCL/vendors/nvidia.icd (toolkit issue
 * #682; docs/gpu.md#missing-icd-file). The probe only loads
 * and unloads the library, as the ICD loader itself would. */
static int nvidia_icd_missing(char *path, size_t len)
{
    void *lib = dlopen("libnvidia-opencl.so.1", RTLD_LAZY | RTLD_LOCAL);
    if (!lib)
        return 0;
    struct link_map *map = NULL;
    if (dlinfo(lib, RTLD_DI_LINKMAP, &map) == 0 && map && map->l_name && map->l_name[0])
        snprintf(path, len, "%s", map->l_name);
    else
        snprintf(path, len, "libnvidia-opencl.so.1");
    dlclose(lib);
    return 1;
}

/* ---- within the discovery limit (runner/core/deadline.h) ----
 *
 * The ICD loader's first clGetPlatformIDs loads every vendor library and
 * asks each for its platforms; ocl-icd, with two platforms or more, also
 * counts each one's devices then, to sort them (ocl_icd_loader.c
 * _sort_platforms, OCL_ICD_PLATFORM_SORT). Then each platform's devices are
 * listed and described. A driver that hangs in any of these would stall
 * every command, so the loader's step runs in a thread of its own, then
 * each platform in a thread of its own, all within one limit from the
 * start: a platform that does not answer is named and skipped, and the
 * others are listed. After the loader's step has hung nothing may call
 * OpenCL again (ocl-icd initialises under a pthread_once that would block
 * the caller too), so the model then offers no device. */

#define HB_MAX_PLATFORMS 32

/* The loader's step: the platforms and their names. */
typedef struct loader_job {
    cl_int rc, rc_ids;         /* the count's status, the list's */
    cl_uint n;
    cl_platform_id ids[HB_MAX_PLATFORMS];
    char names[HB_MAX_PLATFORMS][128];
} loader_job;

static void loader_run(void *p)
{
    loader_job *j = p;
    cl_uint np = 0;
    j->rc = clGetPlatformIDs(0, NULL, &np);
    if (j->rc != CL_SUCCESS || np == 0)
        return;
    j->n = np < HB_MAX_PLATFORMS ? np : HB_MAX_PLATFORMS;
    j->rc_ids = clGetPlatformIDs(j->n, j->ids, NULL);
    for (cl_uint i = 0; i < j->n && j->rc_ids == CL_SUCCESS; i++)
        if (clGetPlatformInfo(j->ids[i], CL_PLATFORM_NAME, sizeof j->names[i], j->names[i], NULL) != CL_SUCCESS)
            snprintf(j->names[i], sizeof j->names[i], "%u of %u", i + 1, j->n);
        else
            j->names[i][sizeof j->names[i] - 1] = '\0';
}

/* One platform's devices, into a list of its own. */
typedef struct platform_job {
    cl_platform_id id;
    hb_device_list list;
    char status[256];
    hb_err err;
    int rc;
} platform_job;

static void platform_run(void *p)
{
    platform_job *j = p;
    j->rc = add_platform(j->id, &j->list, j->status, sizeof j->status, &j->err);
}

static void platform_free(void *p)
{
    platform_job *j = p;
    hb_device_list_free(&j->list);
    free(j);
}

/* Where ocl-icd reads the vendors' .icd files (ocl_icd_loader.c
 * __initClIcd: OCL_ICD_VENDORS when a folder, else OPENCL_VENDOR_PATH,
 * else /etc/OpenCL/vendors), with the files there, for the message of a
 * loader that hangs: one of those libraries is the culprit. */
static void vendor_files(char *buf, size_t len)
{
    const char *dir = hb_env("OCL_ICD_VENDORS"), *path = hb_env("OPENCL_VENDOR_PATH");
    struct stat st;
    if (dir && *dir && (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))) {
        snprintf(buf, len, "OCL_ICD_VENDORS=%s", dir);
        return;
    }
    if (!dir || !*dir)
        dir = path && *path ? path : "/etc/OpenCL/vendors";
    size_t used = (size_t)snprintf(buf, len, "%s:", dir);
    DIR *d = opendir(dir);
    for (struct dirent *e = d ? readdir(d) : NULL; e && used < len; e = readdir(d)) {
        size_t n = strlen(e->d_name);
        if (n > 4 && !strcmp(e->d_name + n - 4, ".icd"))
            used += (size_t)snprintf(buf + used, len - used, " %s", e->d_name);
    }
    if (d)
        closedir(d);
}

/* No platform is not an error: status says what the loader answered, and
 * how to register NVIDIA's driver when that is what is missing. */
static void no_platform(cl_int rc, char *status, size_t status_len)
{
    const char *why = rc == CL_SUCCESS ? "0 platforms" : hb_cl_error_name(rc);
    char nv[256];
    if (nvidia_icd_missing(nv, sizeof nv))
        snprintf(status, status_len, "clGetPlatformIDs: %s: no OpenCL platform, but NVIDIA's OpenCL driver is "
                 "installed (%s) without its ICD file (/etc/OpenCL/vendors/nvidia.icd); register it with:\n"
                 "  mkdir -p /tmp/vendors && echo libnvidia-opencl.so.1 > /tmp/vendors/nvidia.icd\n"
                 "  export OCL_ICD_VENDORS=/tmp/vendors", why, nv);
    else
        snprintf(status, status_len, "clGetPlatformIDs: %s: no OpenCL platform; is an ICD registered in "
                 "/etc/OpenCL/vendors or OCL_ICD_VENDORS?", why);
}

/* Platform i's devices appended to list once its job has answered by
 * `until`; one that has not is named and skipped (and the first such kept
 * in hung, for the status line should no platform offer a device). */
static int take_platform(const loader_job *lj, cl_uint i, hb_deadline_job *job, const platform_job *pj,
                         const hb_deadline *until, double limit, hb_device_list *list, char *status,
                         size_t status_len, char *hung, size_t hung_len, hb_err *err)
{
    if (!hb_deadline_wait(job, until)) {
        char what[144];
        snprintf(what, sizeof what, "platform \"%.128s\"", lj->names[i]);
        hb_deadline_warn("opencl", what, limit);
        if (!hung[0])
            snprintf(hung, hung_len, "%s did not answer within %g s (HB_DISCOVERY_TIMEOUT)", what, limit);
        return HB_OK;
    }
    if (pj->rc) {
        *err = pj->err;
        return pj->rc;
    }
    for (size_t k = 0; k < pj->list.n; k++) {
        hb_device *d = hb_device_list_add(list);
        if (!d)
            return hb_fail(err, HB_EFAIL, "out of memory listing devices");
        int index = d->index;
        *d = pj->list.v[k];
        d->index = index;
    }
    if (pj->status[0] && !status[0])
        snprintf(status, status_len, "%s", pj->status);
    return HB_OK;
}

/* The platforms, each in a job of its own, all started at once and
 * waited for until `until`; what answered is appended in platform order. */
static int add_platforms(const loader_job *lj, const hb_deadline *until, double limit, hb_device_list *list,
                         char *status, size_t status_len, char *hung, size_t hung_len, hb_err *err)
{
    hb_deadline_job *jobs[HB_MAX_PLATFORMS] = {0};
    platform_job *pj[HB_MAX_PLATFORMS] = {0};
    int res = HB_OK;
    cl_uint started = 0;
    for (; started < lj->n && !res; started++) {
        pj[started] = calloc(1, sizeof *pj[started]);
        if (!pj[started]) {
            res = hb_fail(err, HB_EFAIL, "out of memory listing platforms");
            break;
        }
        pj[started]->id = lj->ids[started];
        jobs[started] = hb_deadline_start(platform_run, pj[started], platform_free, err);
        if (!jobs[started]) /* pj[started] was freed */
            res = HB_EFAIL;
    }
    for (cl_uint i = 0; i < started && jobs[i]; i++) {
        if (!res)
            res = take_platform(lj, i, jobs[i], pj[i], until, limit, list, status, status_len, hung, hung_len, err);
        hb_deadline_release(jobs[i]);
    }
    return res;
}

int hb_cl_discover(hb_device_list *list, char *status, size_t status_len, hb_err *err)
{
    double limit;
    if (hb_discovery_timeout(&limit, err))
        return err->code;
    hb_deadline until = hb_deadline_in(limit);
    loader_job *lj = calloc(1, sizeof *lj);
    if (!lj)
        return hb_fail(err, HB_EFAIL, "out of memory listing platforms");
    hb_deadline_job *job = hb_deadline_start(loader_run, lj, free, err);
    if (!job)
        return HB_EFAIL;
    if (!hb_deadline_wait(job, &until)) {
        char files[256], what[400];
        vendor_files(files, sizeof files);
        snprintf(what, sizeof what, "the ICD loader (clGetPlatformIDs, loading the vendor libraries of %s)", files);
        hb_deadline_warn("opencl", what, limit);
        snprintf(status, status_len, "no platform: the ICD loader did not answer within %g s (HB_DISCOVERY_TIMEOUT); "
                 "leave the vendor file of the driver that hangs out of OCL_ICD_VENDORS, or name the other models "
                 "with --model", limit);
        hb_deadline_release(job);
        return HB_OK;
    }
    size_t before = list->n;
    int res = HB_OK;
    char hung[256] = "";
    if (lj->rc != CL_SUCCESS || lj->n == 0)
        no_platform(lj->rc, status, status_len);
    else if (!(res = hb_cl_check(lj->rc_ids, "clGetPlatformIDs", err)))
        res = add_platforms(lj, &until, limit, list, status, status_len, hung, sizeof hung, err);
    if (!res && !status[0] && lj->n && list->n == before)
        snprintf(status, status_len, "%u OpenCL platform(s) but no device%s%s", lj->n, hung[0] ? ": " : "", hung);
    hb_deadline_release(job);
    return res;
}
