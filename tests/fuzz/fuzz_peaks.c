/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_peaks: the --peaks FILE reader (runner/peaks/peaks_file.c) on any
 * bytes. A file is either refused with a usage error naming it, or every
 * figure it fills is a positive number from the file. */
#include <math.h>

#include "fuzz_memfile.h"
#include "peak.h"
#include "peaks_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    int fd = hb_fuzz_memfile(data, size, path, sizeof path);
    for (int which = 0; which < 2; which++) {
        hb_device dev;
        memset(&dev, 0, sizeof dev);
        snprintf(dev.name, sizeof dev.name, "%s", which ? "AMD Instinct MI300X" : "NVIDIA H100 80GB HBM3");
        dev.has_pci = which == 0;
        dev.pci_bus = 0x65;
        dev.peaks.bw_gbs.value = dev.peaks.fp32_gflops.value = dev.peaks.fp64_gflops.value = NAN;
        hb_err err = {0};
        int rc = hb_peaks_file_apply(path, &dev, &err);
        if (rc != HB_OK) {
            HB_FUZZ_ASSERT(rc == HB_EUSAGE && strncmp(err.msg, path, strlen(path)) == 0, "code %d: %s", rc,
                           err.msg);
            continue;
        }
        const hb_peak_value *v[] = {&dev.peaks.bw_gbs, &dev.peaks.fp32_gflops, &dev.peaks.fp64_gflops};
        for (int i = 0; i < 3; i++)
            HB_FUZZ_ASSERT(v[i]->src == HB_PEAK_UNKNOWN ? isnan(v[i]->value)
                                                        : v[i]->src == HB_PEAK_FILE && v[i]->value > 0,
                           "figure %d: %g from source %d", i, v[i]->value, (int)v[i]->src);
    }
    close(fd);
    return 0;
}
