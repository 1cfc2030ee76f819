/* SPDX-License-Identifier: Apache-2.0 */
/* cuda_discover: every GPU the CUDA driver offers, described from the
 * driver's attributes (the model's discover call). Without a working
 * driver or without NVRTC (the kernels are compiled at run time) the model
 * finds no device and says why in one line. */
#include <stdio.h>
#include <string.h>

#include "cuda_kernels.h"

/* PCI vendor id of NVIDIA (PCI-SIG vendor list). */
#define HB_PCI_VENDOR_NVIDIA 0x10de
/* The L2 line of every NVIDIA GPU since Fermi is 128 bytes, read in 32-byte
 * sectors (CUDA C++ Best Practices Guide, "Coalesced Access to Global Memory"). */
#define HB_NV_CACHE_LINE 128

int hb_cu_parse_pci(const char *text, hb_device *dev)
{
    unsigned domain, bus, device, function;
    char tail;
    if (sscanf(text, "%x:%x:%x.%x%c", &domain, &bus, &device, &function, &tail) != 4 || bus > 0xff ||
        device > 0x1f || function > 7)
        return 0;
    dev->pci_domain = domain, dev->pci_bus = bus, dev->pci_dev = device, dev->pci_func = function;
    dev->has_pci = 1;
    snprintf(dev->pci_bus_id, sizeof dev->pci_bus_id, "%04x:%02x:%02x.%x", domain & 0xffff, bus, device, function);
    return 1;
}

static int attr(const hb_cu_api *cu, hb_cu_device d, int which)
{
    int v = 0;
    return cu->device_get_attribute(&v, which, d) == HB_CUDA_SUCCESS ? v : 0;
}

/* The GPU's UUID, spelt as nvidia-smi and NVML spell it ("GPU-" and
 * 8-4-4-4-12 hex); unknown (with why) when the driver lacks the call or it fails. */
static void find_uuid(const hb_cu_api *cu, hb_cu_device d, hb_device *dev)
{
    unsigned char bytes[16];
    char num[64], why[128];
    if (!cu->device_get_uuid) {
        hb_device_identity_note(dev, "CUDA: the driver has no cuDeviceGetUuid");
        return;
    }
    int rc = cu->device_get_uuid(bytes, d);
    if (rc != HB_CUDA_SUCCESS) {
        snprintf(why, sizeof why, "%s: %s", cu->device_get_uuid_name, hb_cu_error_name(cu, rc, num, sizeof num));
        hb_device_identity_note(dev, why);
        return;
    }
    hb_device_uuid_format(bytes, "GPU-", dev->uuid, sizeof dev->uuid);
    snprintf(dev->uuid_source, sizeof dev->uuid_source, "%s", cu->device_get_uuid_name);
}

static int describe(const hb_cu_api *cu, const hb_nvrtc_api *nv, int ordinal, hb_device *dev, hb_err *err)
{
    hb_cu_device d;
    char call[64], pci[32];
    size_t mem = 0;
    snprintf(call, sizeof call, "cuDeviceGet(%d)", ordinal);
    if (hb_cu_check(cu, cu->device_get(&d, ordinal), call, err) ||
        hb_cu_check(cu, cu->device_get_name(dev->name, (int)sizeof dev->name, d), "cuDeviceGetName", err) ||
        hb_cu_check(cu, cu->device_total_mem(&mem, d), "cuDeviceTotalMem", err))
        return HB_EFAIL;
    dev->name[sizeof dev->name - 1] = '\0';
    dev->model = &hb_model_cuda;
    dev->handle[0] = (uintptr_t)d;
    /* which driver answered: the loader's path or a container's folder (dl_search.h) */
    snprintf(dev->bindings[0].library, sizeof dev->bindings[0].library, "%.*s",
             (int)sizeof dev->bindings[0].library - 1, cu->path);
    dev->kind = HB_KIND_GPU;
    snprintf(dev->type, sizeof dev->type, "%s", hb_device_kind_name(dev->kind));
    snprintf(dev->vendor, sizeof dev->vendor, "NVIDIA Corporation");
    snprintf(dev->platform_name, sizeof dev->platform_name, "CUDA driver API");
    snprintf(dev->platform_version, sizeof dev->platform_version, "CUDA %d.%d", cu->driver_version / 1000,
             cu->driver_version % 1000 / 10);
    snprintf(dev->driver_version, sizeof dev->driver_version, "%s", dev->platform_version);
    snprintf(dev->clc_version, sizeof dev->clc_version, "NVRTC %d.%d", nv->major, nv->minor);
    dev->vendor_id = HB_PCI_VENDOR_NVIDIA;
    dev->compute_units = (unsigned)attr(cu, d, HB_CU_ATTR_MULTIPROCESSOR_COUNT);
    dev->max_clock_mhz = (unsigned)attr(cu, d, HB_CU_ATTR_CLOCK_RATE) / 1000;
    dev->global_mem_bytes = mem;
    dev->max_alloc_bytes = mem; /* cuMemAlloc has no per-allocation cap below the memory */
    dev->global_cache_bytes = (uint64_t)attr(cu, d, HB_CU_ATTR_L2_CACHE_SIZE);
    dev->cache_line_bytes = HB_NV_CACHE_LINE;
    dev->local_mem_bytes = (uint64_t)attr(cu, d, HB_CU_ATTR_MAX_SHARED_MEMORY_PER_BLOCK);
    dev->max_work_group_size = (size_t)attr(cu, d, HB_CU_ATTR_MAX_THREADS_PER_BLOCK);
    dev->cc_major = attr(cu, d, HB_CU_ATTR_COMPUTE_CAPABILITY_MAJOR);
    dev->cc_minor = attr(cu, d, HB_CU_ATTR_COMPUTE_CAPABILITY_MINOR);
    /* Every CUDA GPU has fp64 and fused multiply-add; half arithmetic from
     * compute capability 5.3 (CUDA C++ Programming Guide, "Arithmetic Instructions"). */
    dev->fp64 = dev->fma32 = dev->fma64 = 1;
    dev->fp16 = dev->cc_major * 10 + dev->cc_minor >= 53;
    if (cu->device_get_pci_bus_id(pci, (int)sizeof pci, d) == HB_CUDA_SUCCESS)
        hb_cu_parse_pci(pci, dev);
    find_uuid(cu, d, dev);
    return HB_OK;
}

int hb_cu_discover(hb_device_list *list, char *status, size_t status_len, hb_err *err)
{
    hb_cu_api cu;
    hb_nvrtc_api nv;
    char why[768];
    int n = 0;
    if (!hb_cu_api_load(&cu, why, sizeof why)) {
        snprintf(status, status_len, "%s", why);
        return HB_OK;
    }
    if (!hb_nvrtc_api_load(&nv, why, sizeof why)) {
        snprintf(status, status_len, "driver %s loaded, but %s: the kernels cannot be compiled", cu.path, why);
        return HB_OK;
    }
    hb_err local = {0};
    if (hb_cu_check(&cu, cu.device_get_count(&n), "cuDeviceGetCount", &local)) {
        snprintf(status, status_len, "%s", local.msg);
        return HB_OK;
    }
    if (n == 0) {
        snprintf(status, status_len, "cuDeviceGetCount: 0 devices (driver %s)", cu.path);
        return HB_OK;
    }
    /* A driver that fails mid-way costs its devices, not the other models'. */
    size_t before = list->n;
    for (int i = 0; i < n; i++) {
        hb_device *dev = hb_device_list_add(list);
        if (!dev)
            return hb_fail(err, HB_EFAIL, "out of memory listing devices");
        if (describe(&cu, &nv, i, dev, &local)) {
            list->n = before;
            snprintf(status, status_len, "%s", local.msg);
            return HB_OK;
        }
    }
    return HB_OK;
}
