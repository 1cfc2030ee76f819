/* nvml_api: loading NVML (nvml_api.h). */
#include "nvml_api.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

/* POSIX allows converting dlsym's void * to a function pointer (dlsym(3)). */
#define SYM(field, name) (a->field = (__typeof__(a->field))dlsym(a->lib, name))

static void resolve(hb_nvml_api *a)
{
    SYM(init, "nvmlInit_v2");
    SYM(shutdown, "nvmlShutdown");
    SYM(by_bus, "nvmlDeviceGetHandleByPciBusId_v2");
    SYM(max_clock, "nvmlDeviceGetMaxClockInfo");
    SYM(bus_width, "nvmlDeviceGetMemoryBusWidth");
    SYM(num_cores, "nvmlDeviceGetNumGpuCores");
    SYM(is_mig_handle, "nvmlDeviceIsMigDeviceHandle");
    SYM(mig_mode, "nvmlDeviceGetMigMode");
    SYM(clock, "nvmlDeviceGetClockInfo");
    SYM(temperature, "nvmlDeviceGetTemperature");
    SYM(power, "nvmlDeviceGetPowerUsage");
    SYM(ecc_mode, "nvmlDeviceGetEccMode");
    if (!SYM(event_reasons, "nvmlDeviceGetCurrentClocksEventReasons"))
        SYM(event_reasons, "nvmlDeviceGetCurrentClocksThrottleReasons");
}

int hb_nvml_load(hb_nvml_api *a, char *why, size_t whylen)
{
    memset(a, 0, sizeof *a);
    a->lib = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!a->lib) {
        snprintf(why, whylen, "NVML: libnvidia-ml.so.1 not found");
        return 0;
    }
    resolve(a);
    if (!a->init || !a->shutdown || !a->by_bus || !a->max_clock) {
        snprintf(why, whylen, "NVML: libnvidia-ml.so.1 lacks nvmlInit_v2 or a device call");
    } else if (a->init() != HB_NVML_SUCCESS) {
        snprintf(why, whylen, "NVML: nvmlInit_v2 failed");
    } else {
        return 1;
    }
    dlclose(a->lib);
    a->lib = NULL;
    return 0;
}

void hb_nvml_unload(hb_nvml_api *a)
{
    if (!a->lib)
        return;
    a->shutdown();
    dlclose(a->lib);
    a->lib = NULL;
}

int hb_nvml_handle(const hb_nvml_api *a, const hb_device *dev, hb_nvml_device_t *h, char *why, size_t whylen)
{
    char bus_id[32];
    if (!dev->has_pci) {
        snprintf(why, whylen, "NVML: device has no PCI bus id");
        return 0;
    }
    snprintf(bus_id, sizeof bus_id, "%08X:%02X:%02X.0", dev->pci_domain, dev->pci_bus, dev->pci_dev);
    int rc = a->by_bus(bus_id, h);
    if (rc != HB_NVML_SUCCESS) {
        snprintf(why, whylen, "NVML: no GPU at %s (error %d)", bus_id, rc);
        return 0;
    }
    return 1;
}
