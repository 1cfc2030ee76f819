/* SPDX-License-Identifier: Apache-2.0 */
/* nvml_api: loading NVML (nvml_api.h). */
#include "nvml_api.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "dl_search.h"

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
    SYM(uuid, "nvmlDeviceGetUUID");
    SYM(serial, "nvmlDeviceGetSerial");
}

/* nvmlReturn_t of nvml.h (NVML API v13, as read in NVIDIA/go-nvml
 * pkg/nvml/nvml.h; docs/peaks.md#nvml). nvmlErrorString gives a sentence,
 * not the name, and needs a library that loaded. */
static const char *const nvml_names[] = {
    "NVML_SUCCESS", "NVML_ERROR_UNINITIALIZED", "NVML_ERROR_INVALID_ARGUMENT", "NVML_ERROR_NOT_SUPPORTED",
    "NVML_ERROR_NO_PERMISSION", "NVML_ERROR_ALREADY_INITIALIZED", "NVML_ERROR_NOT_FOUND",
    "NVML_ERROR_INSUFFICIENT_SIZE", "NVML_ERROR_INSUFFICIENT_POWER", "NVML_ERROR_DRIVER_NOT_LOADED",
    "NVML_ERROR_TIMEOUT", "NVML_ERROR_IRQ_ISSUE", "NVML_ERROR_LIBRARY_NOT_FOUND", "NVML_ERROR_FUNCTION_NOT_FOUND",
    "NVML_ERROR_CORRUPTED_INFOROM", "NVML_ERROR_GPU_IS_LOST", "NVML_ERROR_RESET_REQUIRED",
    "NVML_ERROR_OPERATING_SYSTEM", "NVML_ERROR_LIB_RM_VERSION_MISMATCH", "NVML_ERROR_IN_USE", "NVML_ERROR_MEMORY",
    "NVML_ERROR_NO_DATA", "NVML_ERROR_VGPU_ECC_NOT_SUPPORTED", "NVML_ERROR_INSUFFICIENT_RESOURCES",
    "NVML_ERROR_FREQ_NOT_SUPPORTED", "NVML_ERROR_ARGUMENT_VERSION_MISMATCH", "NVML_ERROR_DEPRECATED",
    "NVML_ERROR_NOT_READY", "NVML_ERROR_GPU_NOT_FOUND", "NVML_ERROR_INVALID_STATE",
};

const char *hb_nvml_error_name(int rc)
{
    if (rc >= 0 && (size_t)rc < sizeof nvml_names / sizeof *nvml_names)
        return nvml_names[rc];
    return rc == 999 ? "NVML_ERROR_UNKNOWN" : "an nvmlReturn_t this build does not name";
}

/* hb_dl_search's verdict on one libnvidia-ml.so.1: it has the calls every
 * user needs and nvmlInit_v2 succeeds. */
static int accept_nvml(void *lib, const char *path, void *arg, char *why, size_t whylen)
{
    hb_nvml_api *a = arg;
    memset(a, 0, sizeof *a);
    a->lib = lib;
    snprintf(a->path, sizeof a->path, "%s", path);
    resolve(a);
    int rc = -1;
    if (!a->init || !a->shutdown || !a->by_bus || !a->max_clock)
        snprintf(why, whylen, "%s lacks nvmlInit_v2 or a device call", path);
    else if ((rc = a->init()) != HB_NVML_SUCCESS)
        snprintf(why, whylen, "%s: nvmlInit_v2: %s", path, hb_nvml_error_name(rc));
    return rc == HB_NVML_SUCCESS;
}

int hb_nvml_load(hb_nvml_api *a, char *why, size_t whylen)
{
    char path[sizeof a->path], tried[400];
    hb_dl_search s = {.env = "HB_LIBNVML", .soname = "libnvidia-ml.so.1", .accept = accept_nvml, .arg = a};
    if (hb_dl_open_search(&s, path, sizeof path, tried, sizeof tried))
        return 1;
    memset(a, 0, sizeof *a);
    snprintf(why, whylen, "NVML: %s", tried);
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
        snprintf(why, whylen, "NVML: no GPU at %s (%s)", bus_id, hb_nvml_error_name(rc));
        return 0;
    }
    return 1;
}
