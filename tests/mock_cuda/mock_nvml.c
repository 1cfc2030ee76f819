/* SPDX-License-Identifier: Apache-2.0 */
/* mock_nvml: a stand-in for NVML (libnvidia-ml.so.1) for the mock GPU of
 * mock_libcuda.c (PCI 0000:c1:00.0), so the GPU state sampled around each
 * measurement and the NVML peak go through hbmbench's real code. Tests
 * put its folder first on LD_LIBRARY_PATH (or name the file in
 * HB_LIBNVML). Its SM clock alternates 1980 / 1500 MHz between reads and
 * its second sample of a pair reports a software power cap, so every
 * measurement shows a clock that fell and a throttle. The alternation is
 * per thread: the driver's two samples around the timed iterations keep
 * their pairs while the window's sampler thread (runner/peaks/nvml_state.c)
 * reads too, and the window sees both clocks and the power cap.
 * Prototypes: runner/peaks/nvml_api.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT __attribute__((visibility("default")))
enum { OK = 0, NOT_FOUND = 6, NOT_SUPPORTED = 3 };

static int token;
static _Thread_local unsigned long sm_reads, reason_reads;

EXPORT int nvmlInit_v2(void) { return OK; }
EXPORT int nvmlShutdown(void) { return OK; }
EXPORT int nvmlDeviceGetHandleByPciBusId_v2(const char *id, void **h)
{
    *h = &token;
    return !strcmp(id, "00000000:C1:00.0") ? OK : NOT_FOUND;
}
EXPORT int nvmlDeviceGetMaxClockInfo(void *h, int type, unsigned *v) { (void)h; *v = type == 1 ? 1980 : 2619; return OK; }
/* The mock GPU's identity (nvmlDeviceGetUUID, nvmlDeviceGetSerial);
 * HB_MOCK_NO_SERIAL=1: a board without an inforom, NVML_ERROR_NOT_SUPPORTED. */
EXPORT int nvmlDeviceGetUUID(void *h, char *s, unsigned len)
{
    (void)h;
    snprintf(s, len, "GPU-6d6f636b-0001-0203-0405-060708090a0b");
    return OK;
}
EXPORT int nvmlDeviceGetSerial(void *h, char *s, unsigned len)
{
    (void)h;
    if (getenv("HB_MOCK_NO_SERIAL"))
        return NOT_SUPPORTED;
    snprintf(s, len, "1650123456789");
    return OK;
}
EXPORT int nvmlDeviceGetMemoryBusWidth(void *h, unsigned *v) { (void)h; *v = 5120; return OK; }
EXPORT int nvmlDeviceGetNumGpuCores(void *h, unsigned *v) { (void)h; *v = 16896; return OK; }
EXPORT int nvmlDeviceGetMigMode(void *h, unsigned *c, unsigned *p) { (void)h; *c = *p = 0; return OK; }
EXPORT int nvmlDeviceGetClockInfo(void *h, int type, unsigned *v)
{
    (void)h;
    *v = type == 1 ? (sm_reads++ % 2 ? 1500 : 1980) : 2619;
    return OK;
}
EXPORT int nvmlDeviceGetTemperature(void *h, int sensor, unsigned *v) { (void)h; *v = sensor == 0 ? 47 : 0; return OK; }
EXPORT int nvmlDeviceGetPowerUsage(void *h, unsigned *mw) { (void)h; *mw = 412345; return OK; }
EXPORT int nvmlDeviceGetEccMode(void *h, unsigned *c, unsigned *p) { (void)h; *c = *p = 1; return OK; }
EXPORT int nvmlDeviceGetCurrentClocksEventReasons(void *h, unsigned long long *m)
{
    (void)h;
    *m = reason_reads++ % 2 ? 0x4 : 0x0;
    return OK;
}
