/* SPDX-License-Identifier: Apache-2.0 */
/* peak: the theoretical ceilings of a device, each with where it came from.
 *
 * Each figure is resolved on its own; the first source that answers wins:
 *   user (--peak-bw / --peak-fp32 / --peak-fp64)  ->  peaks file (--peaks FILE)
 *   -> vendor query (NVML through dlopen)  ->  built-in table of known devices
 *   -> derived (FLOP/s only: units x clock x lanes x 2)  ->  unknown.
 * Bandwidth is never derived: no OpenCL query gives a memory clock
 * (docs/peaks.md). Unknown is value NAN. The link peak (peaks.link_gbs) has
 * one source, the PCIe link hwloc found (topology.c), and none where device
 * memory is host memory. */
#ifndef HB_PEAK_H
#define HB_PEAK_H

#include "hb_error.h"
#include "peak_value.h"

/* The range a peak given by the user (option or peaks file) must lie in,
 * so that a slip of the keyboard (1e9 for 1e3, a bandwidth in B/s) is
 * refused rather than printed as 0.0000001 % of peak: 1 MB/s to 1 PB/s
 * (the fastest memories today give a few TB/s), 1 MFLOP/s to 10 EFLOP/s
 * (10^10 GFLOP/s: far beyond any one device's fp32 or fp64 rate today). */
#define HB_PEAK_MIN 1e-3
#define HB_PEAK_BW_MAX_GBS 1e6
#define HB_PEAK_FLOPS_MAX_GFLOPS 1e10

/* What the user told us; NAN where not given, peaks_file NULL if none. */
typedef struct hb_peak_opts {
    double bw_gbs, fp32_gflops, fp64_gflops;
    const char *peaks_file;
} hb_peak_opts;

struct hb_device;

/* Fills dev->peaks. Fails (HB_EUSAGE) only on an unreadable or malformed
 * peaks file; every other source that cannot answer falls through. */
int hb_peak_resolve(struct hb_device *dev, const hb_peak_opts *opts, hb_err *err);

#endif
