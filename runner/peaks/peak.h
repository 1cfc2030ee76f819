/* peak: the theoretical ceilings of a device, each with where it came from.
 *
 * Each figure is resolved on its own; the first source that answers wins:
 *   user (--peak-bw / --peak-fp32 / --peak-fp64)  ->  peaks file (--peaks FILE)
 *   -> vendor query (NVML through dlopen)  ->  built-in table of known devices
 *   -> derived (FLOP/s only: units x clock x lanes x 2)  ->  unknown.
 * Bandwidth is never derived: no OpenCL query gives a memory clock
 * (../shared/research/peak-and-hwloc.md section 6). Unknown is value NAN. */
#ifndef HB_PEAK_H
#define HB_PEAK_H

#include "hb_error.h"

typedef enum hb_peak_src {
    HB_PEAK_UNKNOWN = 0,
    HB_PEAK_USER,     /* command-line option */
    HB_PEAK_FILE,     /* --peaks FILE */
    HB_PEAK_VENDOR,   /* vendor library query (NVML) */
    HB_PEAK_TABLE,    /* built-in datasheet table */
    HB_PEAK_DERIVED,  /* computed from device properties; FLOP/s only */
} hb_peak_src;

typedef struct hb_peak_value {
    double value;          /* GB/s (1e9 B/s) or GFLOP/s; NAN when unknown */
    hb_peak_src src;
    char detail[256];      /* e.g. "datasheet: NVIDIA H100 SXM5 80GB [N-H100]" */
} hb_peak_value;

typedef struct hb_peaks {
    hb_peak_value bw_gbs;
    hb_peak_value fp32_gflops;
    hb_peak_value fp64_gflops;
} hb_peaks;

/* What the user told us; NAN where not given, peaks_file NULL if none. */
typedef struct hb_peak_opts {
    double bw_gbs, fp32_gflops, fp64_gflops;
    const char *peaks_file;
} hb_peak_opts;

struct hb_device;

/* "unknown", "user", "peaks-file", "vendor", "table", "derived" */
const char *hb_peak_src_name(hb_peak_src src);

/* Fills dev->peaks. Fails (HB_EUSAGE) only on an unreadable or malformed
 * peaks file; every other source that cannot answer falls through. */
int hb_peak_resolve(struct hb_device *dev, const hb_peak_opts *opts, hb_err *err);

#endif
