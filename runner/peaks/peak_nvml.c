/* SPDX-License-Identifier: Apache-2.0 */
/* peak_nvml: a GPU's theoretical ceilings from NVML (peak_nvml.h), through
 * the loader shared with the GPU state sampler (nvml_api.h). */
#include "peak_nvml.h"

#include <stdio.h>
#include <string.h>

#include "nvml_api.h"

double hb_nvml_bw_gbs(unsigned bus_bits, unsigned mem_mhz)
{
    return 2.0 * mem_mhz * 1e6 * (bus_bits / 8.0) / 1e9;
}

double hb_nvml_fp32_gflops(unsigned cores, unsigned sm_mhz)
{
    return (double)cores * sm_mhz * 2.0 / 1e3;
}

/* A MIG slice, or a GPU split into slices, must not get whole-GPU figures
 * (docs/peaks.md#partitions). Pre-Ampere GPUs answer NOT_SUPPORTED: no MIG. */
static int is_mig(const hb_nvml_api *a, hb_nvml_device_t h)
{
    unsigned cur = 0, pend = 0, flag = 0;
    if (a->is_mig_handle && a->is_mig_handle(h, &flag) == HB_NVML_SUCCESS && flag)
        return 1;
    return a->mig_mode && a->mig_mode(h, &cur, &pend) == HB_NVML_SUCCESS &&
           cur == HB_NVML_DEVICE_MIG_ENABLE;
}

static int query(const hb_nvml_api *a, const hb_device *dev, hb_nvml_peaks *out,
                 char *why, size_t whylen)
{
    hb_nvml_device_t h = NULL;
    unsigned bits = 0, mem = 0, cores = 0, sm = 0;

    if (!hb_nvml_handle(a, dev, &h, why, whylen))
        return 0;
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
    hb_nvml_api a;
    int found = 0;

    memset(out, 0, sizeof *out);
    if (!dev->has_pci) {
        snprintf(why, whylen, "NVML: device has no PCI bus id");
        return 0;
    }
    if (!hb_nvml_load(&a, why, whylen))
        return 0;
    found = query(&a, dev, out, why, whylen);
    hb_nvml_unload(&a);
    return found;
}
