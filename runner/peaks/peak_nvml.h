/* SPDX-License-Identifier: Apache-2.0 */
/* peak_nvml: ask NVIDIA's management library for a GPU's memory bus width,
 * maximum memory clock, CUDA core count and maximum SM clock.
 * libnvidia-ml.so.1 is opened with dlopen at run time, so hbmbench neither
 * builds nor links against it (docs/peaks.md#nvml). */
#ifndef HB_PEAK_NVML_H
#define HB_PEAK_NVML_H

#include <stddef.h>

#include "device.h"

typedef struct hb_nvml_peaks {
    int mig;                   /* MIG mode is on: no figures, and none should apply */
    int have_bw;               /* bw_gbs, bus_bits, mem_mhz are set */
    double bw_gbs;
    unsigned bus_bits, mem_mhz;
    int have_fp32;             /* fp32_gflops, cores, sm_mhz are set */
    double fp32_gflops;
    unsigned cores, sm_mhz;
} hb_nvml_peaks;

/* Queries NVML for dev (an NVIDIA device with a PCI bus id). Returns 1 when at
 * least one figure was found, else 0 with a short reason in why ("libnvidia-
 * ml.so.1 not found"). Never fails otherwise: every problem means "no answer".
 * A GPU in MIG mode gives no figures and sets out->mig, since whole-GPU
 * figures are the wrong ceiling for a slice. */
int hb_peak_nvml_query(const hb_device *dev, hb_nvml_peaks *out, char *why, size_t whylen);

/* The formulas, kept apart so they can be tested without a GPU:
 * BW GB/s = 2 x MHz x 1e6 x bits/8 / 1e9 (NVML's memory clock is half the
 * per-pin data rate on HBM and GDDR6X alike, docs/peaks.md#memory-clock-conventions; CUDA C++ Best
 * Practices Guide, "Theoretical Bandwidth Calculation"), and
 * FP32 GFLOP/s = cores x MHz x 2 (one FMA per core per clock) / 1e3. */
double hb_nvml_bw_gbs(unsigned bus_bits, unsigned mem_mhz);
double hb_nvml_fp32_gflops(unsigned cores, unsigned sm_mhz);

#endif
