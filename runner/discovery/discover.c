#include "discover.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cl_util.h"

/* Vendor queries for the PCI location (ids from the vendors' headers:
 * cl_ext.h CL_DEVICE_PCI_BUS_INFO_KHR, cl_ext_amd.h CL_DEVICE_TOPOLOGY_AMD,
 * NVIDIA's undocumented 0x4008/0x4009/0x400A; research 1.2 and 6). */
#define HB_CL_DEVICE_PCI_BUS_INFO_KHR 0x410F
#define HB_CL_DEVICE_TOPOLOGY_AMD 0x4037
#define HB_CL_DEVICE_PCI_BUS_ID_NV 0x4008
#define HB_CL_DEVICE_PCI_SLOT_ID_NV 0x4009
#define HB_CL_DEVICE_PCI_DOMAIN_ID_NV 0x400A

typedef struct { cl_uint domain, bus, device, function; } pci_bus_info_khr;

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

static int has_extension(cl_device_id d, const char *ext)
{
    size_t n = 0;
    if (clGetDeviceInfo(d, CL_DEVICE_EXTENSIONS, 0, NULL, &n) != CL_SUCCESS || n == 0)
        return 0;
    char *s = malloc(n + 1);
    int found = 0;
    if (s && clGetDeviceInfo(d, CL_DEVICE_EXTENSIONS, n, s, NULL) == CL_SUCCESS) {
        s[n] = '\0';
        size_t el = strlen(ext);
        for (char *p = strstr(s, ext); p && !found; p = strstr(p + 1, ext))
            found = (p == s || p[-1] == ' ') && (p[el] == ' ' || p[el] == '\0');
    }
    free(s);
    return found;
}

/* The vendor queries fail with CL_INVALID_VALUE on other vendors' devices;
 * that means "not this vendor", so their status is not an error here. */
static void find_pci(cl_device_id d, hb_device *dev)
{
    pci_bus_info_khr khr;
    cl_uint bus, slot, domain;
    struct { cl_uint type; cl_char unused[17]; cl_char bus, device, function; } amd;
    if (has_extension(d, "cl_khr_pci_bus_info") &&
        clGetDeviceInfo(d, HB_CL_DEVICE_PCI_BUS_INFO_KHR, sizeof khr, &khr, NULL) == CL_SUCCESS) {
        dev->pci_domain = khr.domain, dev->pci_bus = khr.bus;
        dev->pci_dev = khr.device, dev->pci_func = khr.function;
        dev->has_pci = 1;
    } else if (has_extension(d, "cl_amd_device_attribute_query") &&
               clGetDeviceInfo(d, HB_CL_DEVICE_TOPOLOGY_AMD, sizeof amd, &amd, NULL) == CL_SUCCESS &&
               amd.type == 1 /* CL_DEVICE_TOPOLOGY_TYPE_PCIE_AMD */) {
        /* AMD's query has no domain (hwloc opencl.h L84: "can't do anything better") */
        dev->pci_domain = 0, dev->pci_bus = (unsigned char)amd.bus;
        dev->pci_dev = (unsigned char)amd.device, dev->pci_func = (unsigned char)amd.function;
        dev->has_pci = 1;
    } else if (has_extension(d, "cl_nv_device_attribute_query") &&
               clGetDeviceInfo(d, HB_CL_DEVICE_PCI_BUS_ID_NV, sizeof bus, &bus, NULL) == CL_SUCCESS &&
               clGetDeviceInfo(d, HB_CL_DEVICE_PCI_SLOT_ID_NV, sizeof slot, &slot, NULL) == CL_SUCCESS) {
        if (clGetDeviceInfo(d, HB_CL_DEVICE_PCI_DOMAIN_ID_NV, sizeof domain, &domain, NULL) != CL_SUCCESS)
            domain = 0; /* the domain query exists since CUDA 10.2 */
        dev->pci_domain = domain, dev->pci_bus = bus;
        dev->pci_dev = slot >> 3, dev->pci_func = slot & 7;
        dev->has_pci = 1;
    }
    if (dev->has_pci)
        snprintf(dev->pci_bus_id, sizeof dev->pci_bus_id, "%04x:%02x:%02x.%x",
                 dev->pci_domain & 0xffff, dev->pci_bus & 0xff, dev->pci_dev & 0x1f, dev->pci_func & 7);
}

static const char *type_name(cl_device_type t)
{
    if (t & CL_DEVICE_TYPE_GPU) return "GPU";
    if (t & CL_DEVICE_TYPE_ACCELERATOR) return "ACCELERATOR";
    if (t & CL_DEVICE_TYPE_CPU) return "CPU";
    if (t & CL_DEVICE_TYPE_CUSTOM) return "CUSTOM";
    return "UNKNOWN";
}

static int describe(cl_platform_id p, cl_device_id d, hb_device *dev, hb_err *err)
{
    memset(dev, 0, sizeof *dev);
    dev->platform = p;
    dev->id = d;
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
    snprintf(dev->type, sizeof dev->type, "%s", type_name(type));
    dev->compute_units = cus;
    dev->max_clock_mhz = mhz;
    dev->global_mem_bytes = gmem;
    dev->max_alloc_bytes = alloc;
    dev->global_cache_bytes = gcache;
    dev->cache_line_bytes = line;
    dev->local_mem_bytes = lmem;
    dev->max_work_group_size = wg;
    dev->vendor_id = vendor_id;
    dev->fp64 = dfp != 0 || has_extension(d, "cl_khr_fp64");
    dev->fp16 = has_extension(d, "cl_khr_fp16");
    find_pci(d, dev);
    return HB_OK;
}

static void describe_host(hb_device *dev)
{
    memset(dev, 0, sizeof *dev);
    dev->is_host = 1;
    snprintf(dev->name, sizeof dev->name, "host");
    snprintf(dev->vendor, sizeof dev->vendor, "native (no OpenCL)");
    snprintf(dev->type, sizeof dev->type, "HOST");
    snprintf(dev->platform_name, sizeof dev->platform_name, "hbmbench native STREAM");
    dev->fp64 = 1;
}

static void set_unknown_peaks(hb_device *dev)
{
    hb_peak_value *v[] = {&dev->peaks.bw_gbs, &dev->peaks.fp32_gflops, &dev->peaks.fp64_gflops};
    for (int i = 0; i < 3; i++) {
        v[i]->value = NAN;
        v[i]->src = HB_PEAK_UNKNOWN;
        snprintf(v[i]->detail, sizeof v[i]->detail, "not resolved");
    }
}

static int add_platform(cl_platform_id p, hb_device_list *list, hb_err *err)
{
    cl_uint nd = 0;
    cl_int rc = clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, 0, NULL, &nd);
    if (rc == CL_DEVICE_NOT_FOUND || nd == 0)
        return HB_OK; /* a platform may have no device (driver loaded, GPU absent) */
    if (hb_cl_check(rc, "clGetDeviceIDs", err))
        return HB_EFAIL;
    cl_device_id *ids = malloc(nd * sizeof *ids);
    hb_device *grown = realloc(list->v, (list->n + nd + 1) * sizeof *grown);
    if (!ids || !grown) {
        free(ids);
        if (grown)
            list->v = grown;
        return hb_fail(err, HB_EFAIL, "out of memory listing devices");
    }
    list->v = grown;
    int res = hb_cl_check(clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, nd, ids, NULL), "clGetDeviceIDs", err);
    for (cl_uint i = 0; i < nd && !res; i++) {
        res = describe(p, ids[i], &list->v[list->n], err);
        if (!res) {
            list->v[list->n].index = (int)list->n;
            set_unknown_peaks(&list->v[list->n]);
            list->n++;
        }
    }
    free(ids);
    return res;
}

int hb_discover(hb_device_list *list, hb_err *err)
{
    memset(list, 0, sizeof *list);
    cl_uint np = 0;
    cl_int rc = clGetPlatformIDs(0, NULL, &np);
    if (rc != CL_SUCCESS || np == 0) {
        snprintf(list->opencl_status, sizeof list->opencl_status,
                 "clGetPlatformIDs: %s: no OpenCL platform; is an ICD registered in /etc/OpenCL/vendors "
                 "or OCL_ICD_VENDORS?", rc == CL_SUCCESS ? "0 platforms" : hb_cl_error_name(rc));
        np = 0;
    }
    cl_platform_id *ps = np ? malloc(np * sizeof *ps) : NULL;
    if (np && !ps)
        return hb_fail(err, HB_EFAIL, "out of memory listing platforms");
    int res = np ? hb_cl_check(clGetPlatformIDs(np, ps, NULL), "clGetPlatformIDs", err) : HB_OK;
    for (cl_uint i = 0; i < np && !res; i++)
        res = add_platform(ps[i], list, err);
    free(ps);
    if (res) {
        hb_device_list_free(list);
        return res;
    }
    list->n_opencl = list->n;
    if (np && list->n == 0)
        snprintf(list->opencl_status, sizeof list->opencl_status,
                 "%u OpenCL platform(s) but no device", np);
    hb_device *grown = realloc(list->v, (list->n + 1) * sizeof *grown);
    if (!grown)
        return hb_fail(err, HB_EFAIL, "out of memory listing devices");
    list->v = grown;
    describe_host(&list->v[list->n]);
    list->v[list->n].index = (int)list->n;
    set_unknown_peaks(&list->v[list->n]);
    list->n++;
    return HB_OK;
}

void hb_device_list_free(hb_device_list *list)
{
    free(list->v);
    memset(list, 0, sizeof *list);
}
