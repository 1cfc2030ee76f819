/* peak_nvml: NVML through dlopen.
 *
 * The prototypes below are declared here rather than taken from nvml.h so the
 * build needs no NVIDIA package; they follow NVML API v13 as read in
 * NVIDIA/go-nvml pkg/nvml/nvml.h @2f9e261f (docs/peaks.md#nvml): nvmlInit_v2 L4023,
 * nvmlDeviceGetHandleByPciBusId_v2 L4779 with NVML_DEVICE_PCI_BUS_ID_FMT
 * "%08X:%02X:%02X.0" L224, nvmlDeviceGetMaxClockInfo L5674 (NVML_CLOCK_SM 1,
 * NVML_CLOCK_MEM 2 at L1118-1121), nvmlDeviceGetMemoryBusWidth L7763,
 * nvmlDeviceGetNumGpuCores L7731, nvmlDeviceGetMigMode L12827,
 * nvmlDeviceIsMigDeviceHandle L13378. nvmlReturn_t and the enums are C enums,
 * passed as int. */
#include "peak_nvml.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#define HB_NVML_SUCCESS 0
#define HB_NVML_CLOCK_SM 1
#define HB_NVML_CLOCK_MEM 2
#define HB_NVML_DEVICE_MIG_ENABLE 1

typedef struct hb_nvml_device_st *hb_nvml_device_t;

typedef int (*nvml_void_fn)(void);
typedef int (*nvml_by_bus_fn)(const char *bus_id, hb_nvml_device_t *dev);
typedef int (*nvml_uint_fn)(hb_nvml_device_t dev, unsigned *val);
typedef int (*nvml_clock_fn)(hb_nvml_device_t dev, int type, unsigned *mhz);
typedef int (*nvml_mig_mode_fn)(hb_nvml_device_t dev, unsigned *current, unsigned *pending);

typedef struct nvml_api {
    nvml_void_fn init, shutdown;
    nvml_by_bus_fn by_bus;
    nvml_uint_fn bus_width, num_cores, is_mig_handle;  /* optional: may be NULL */
    nvml_clock_fn max_clock;
    nvml_mig_mode_fn mig_mode;                          /* optional */
} nvml_api;

double hb_nvml_bw_gbs(unsigned bus_bits, unsigned mem_mhz)
{
    return 2.0 * mem_mhz * 1e6 * (bus_bits / 8.0) / 1e9;
}

double hb_nvml_fp32_gflops(unsigned cores, unsigned sm_mhz)
{
    return (double)cores * sm_mhz * 2.0 / 1e3;
}

/* POSIX allows converting dlsym's void * to a function pointer (dlsym(3)). */
static void load_api(void *lib, nvml_api *a)
{
    a->init = (nvml_void_fn)dlsym(lib, "nvmlInit_v2");
    a->shutdown = (nvml_void_fn)dlsym(lib, "nvmlShutdown");
    a->by_bus = (nvml_by_bus_fn)dlsym(lib, "nvmlDeviceGetHandleByPciBusId_v2");
    a->bus_width = (nvml_uint_fn)dlsym(lib, "nvmlDeviceGetMemoryBusWidth");
    a->num_cores = (nvml_uint_fn)dlsym(lib, "nvmlDeviceGetNumGpuCores");
    a->is_mig_handle = (nvml_uint_fn)dlsym(lib, "nvmlDeviceIsMigDeviceHandle");
    a->max_clock = (nvml_clock_fn)dlsym(lib, "nvmlDeviceGetMaxClockInfo");
    a->mig_mode = (nvml_mig_mode_fn)dlsym(lib, "nvmlDeviceGetMigMode");
}

/* A MIG slice, or a GPU split into slices, must not get whole-GPU figures
 * (docs/peaks.md#partitions). Pre-Ampere GPUs answer NOT_SUPPORTED: no MIG. */
static int is_mig(const nvml_api *a, hb_nvml_device_t h)
{
    unsigned cur = 0, pend = 0, flag = 0;
    if (a->is_mig_handle && a->is_mig_handle(h, &flag) == HB_NVML_SUCCESS && flag)
        return 1;
    return a->mig_mode && a->mig_mode(h, &cur, &pend) == HB_NVML_SUCCESS &&
           cur == HB_NVML_DEVICE_MIG_ENABLE;
}

static int query(const nvml_api *a, const hb_device *dev, hb_nvml_peaks *out,
                 char *why, size_t whylen)
{
    char bus_id[32];
    hb_nvml_device_t h = NULL;
    unsigned bits = 0, mem = 0, cores = 0, sm = 0;
    int rc;

    snprintf(bus_id, sizeof bus_id, "%08X:%02X:%02X.0", dev->pci_domain, dev->pci_bus,
             dev->pci_dev);
    if ((rc = a->by_bus(bus_id, &h)) != HB_NVML_SUCCESS) {
        snprintf(why, whylen, "NVML: no GPU at %s (error %d)", bus_id, rc);
        return 0;
    }
    if (is_mig(a, h)) {
        out->mig = 1;
        snprintf(why, whylen, "NVML: MIG mode is on");
        return 0;
    }
    if (a->bus_width && a->bus_width(h, &bits) == HB_NVML_SUCCESS && bits &&
        a->max_clock(h, HB_NVML_CLOCK_MEM, &mem) == HB_NVML_SUCCESS && mem) {
        out->have_bw = 1;
        out->bus_bits = bits;
        out->mem_mhz = mem;
        out->bw_gbs = hb_nvml_bw_gbs(bits, mem);
    }
    if (a->num_cores && a->num_cores(h, &cores) == HB_NVML_SUCCESS && cores &&
        a->max_clock(h, HB_NVML_CLOCK_SM, &sm) == HB_NVML_SUCCESS && sm) {
        out->have_fp32 = 1;
        out->cores = cores;
        out->sm_mhz = sm;
        out->fp32_gflops = hb_nvml_fp32_gflops(cores, sm);
    }
    if (!out->have_bw && !out->have_fp32)
        snprintf(why, whylen, "NVML: bus width, clocks or core count not supported");
    return out->have_bw || out->have_fp32;
}

int hb_peak_nvml_query(const hb_device *dev, hb_nvml_peaks *out, char *why, size_t whylen)
{
    nvml_api a;
    void *lib;
    int found = 0;

    memset(out, 0, sizeof *out);
    if (!dev->has_pci) {
        snprintf(why, whylen, "NVML: device has no PCI bus id");
        return 0;
    }
    lib = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        snprintf(why, whylen, "NVML: libnvidia-ml.so.1 not found");
        return 0;
    }
    load_api(lib, &a);
    if (!a.init || !a.shutdown || !a.by_bus || !a.max_clock) {
        snprintf(why, whylen, "NVML: libnvidia-ml.so.1 lacks nvmlInit_v2 or a device call");
    } else if (a.init() != HB_NVML_SUCCESS) {
        snprintf(why, whylen, "NVML: nvmlInit_v2 failed");
    } else {
        found = query(&a, dev, out, why, whylen);
        a.shutdown();
    }
    dlclose(lib);
    return found;
}
