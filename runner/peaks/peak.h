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
