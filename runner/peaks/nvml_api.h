/* SPDX-License-Identifier: Apache-2.0 */
/* nvml_api: NVIDIA's management library through dlopen, shared by the peak
 * lookup (peak_nvml.c) and the GPU state sampled around each measurement
 * (nvml_state.c). libnvidia-ml.so.1 is opened at run time, so hbmbench
 * neither builds nor links against it (docs/peaks.md#nvml).
 *
 * The prototypes are declared here rather than taken from nvml.h so the
 * build needs no NVIDIA package. They follow NVML API v13 as read in
 * NVIDIA/go-nvml pkg/nvml/nvml.h @2f9e261f (docs/peaks.md#nvml): nvmlInit_v2
 * L4023, nvmlDeviceGetHandleByPciBusId_v2 L4779 with
 * NVML_DEVICE_PCI_BUS_ID_FMT "%08X:%02X:%02X.0" L224,
 * nvmlDeviceGetMaxClockInfo L5674 (NVML_CLOCK_SM 1, NVML_CLOCK_MEM 2 at
 * L1118-1121), nvmlDeviceGetMemoryBusWidth L7763, nvmlDeviceGetNumGpuCores
 * L7731, nvmlDeviceGetMigMode L12827, nvmlDeviceIsMigDeviceHandle L13378;
 * and the NVML API Reference (docs.nvidia.com/deploy/nvml-api), "Device
 * Queries": nvmlDeviceGetClockInfo (current clock, MHz),
 * nvmlDeviceGetTemperature (NVML_TEMPERATURE_GPU = 0, degrees C),
 * nvmlDeviceGetPowerUsage (milliwatts), nvmlDeviceGetEccMode (current and
 * pending nvmlEnableState_t, 1 = enabled), and
 * nvmlDeviceGetCurrentClocksEventReasons (r535 and later; older drivers
 * export the same call as nvmlDeviceGetCurrentClocksThrottleReasons),
 * nvmlDeviceGetUUID and nvmlDeviceGetSerial (char *, unsigned length;
 * NVML_DEVICE_UUID_V2_BUFFER_SIZE 96, NVML_DEVICE_SERIAL_BUFFER_SIZE 30;
 * the serial is "for all products with an inforom").
 * nvmlReturn_t and the enums are C enums, passed as int. */
#ifndef HB_NVML_API_H
#define HB_NVML_API_H

#include <stddef.h>

#include "device.h"

#define HB_NVML_SUCCESS 0
#define HB_NVML_CLOCK_SM 1
#define HB_NVML_CLOCK_MEM 2
#define HB_NVML_TEMPERATURE_GPU 0
#define HB_NVML_DEVICE_MIG_ENABLE 1

typedef struct hb_nvml_device_st *hb_nvml_device_t;

typedef int (*hb_nvml_void_fn)(void);
typedef int (*hb_nvml_by_bus_fn)(const char *bus_id, hb_nvml_device_t *dev);
typedef int (*hb_nvml_uint_fn)(hb_nvml_device_t dev, unsigned *val);
typedef int (*hb_nvml_arg_uint_fn)(hb_nvml_device_t dev, int arg, unsigned *val);
typedef int (*hb_nvml_pair_fn)(hb_nvml_device_t dev, unsigned *current, unsigned *pending);
typedef int (*hb_nvml_u64_fn)(hb_nvml_device_t dev, unsigned long long *val);
typedef int (*hb_nvml_text_fn)(hb_nvml_device_t dev, char *buf, unsigned len);

typedef struct hb_nvml_api {
    void *lib;
    char path[512];            /* the file loaded */
    hb_nvml_void_fn init, shutdown;
    hb_nvml_by_bus_fn by_bus;
    hb_nvml_arg_uint_fn max_clock;
    /* optional: NULL when the library lacks them */
    hb_nvml_uint_fn bus_width, num_cores, is_mig_handle, power;
    hb_nvml_pair_fn mig_mode, ecc_mode;
    hb_nvml_arg_uint_fn clock, temperature;
    hb_nvml_u64_fn event_reasons;
    hb_nvml_text_fn uuid, serial; /* nvmlDeviceGetUUID, nvmlDeviceGetSerial */
} hb_nvml_api;

/* "NVML_ERROR_NOT_FOUND": the name of an nvmlReturn_t. */
const char *hb_nvml_error_name(int rc);

/* Opens the library ($HB_LIBNVML when set, alone; else libnvidia-ml.so.1
 * through the loader's path, then in /usr/local/nvidia/lib64,
 * /usr/lib/x86_64-linux-gnu, /usr/lib64: dl_search.h), resolves the calls
 * and runs nvmlInit_v2; a library that lacks them or whose init fails is
 * refused and the search goes on. Returns 1 when usable (a->path the file),
 * else 0 with why naming every place tried ("NVML: libnvidia-ml.so.1 not
 * found in the loader path, /usr/local/nvidia/lib64, ..."). */
int hb_nvml_load(hb_nvml_api *a, char *why, size_t whylen);
/* nvmlShutdown and dlclose. */
void hb_nvml_unload(hb_nvml_api *a);
/* The handle of dev (by its PCI bus id); 0 with why when NVML has none. */
int hb_nvml_handle(const hb_nvml_api *a, const hb_device *dev, hb_nvml_device_t *h, char *why, size_t whylen);

#endif
