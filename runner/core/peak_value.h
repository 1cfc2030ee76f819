/* SPDX-License-Identifier: Apache-2.0 */
/* peak_value: a theoretical ceiling and where it came from (the types every
 * layer shares; runner/peaks/ resolves them). */
#ifndef HB_PEAK_VALUE_H
#define HB_PEAK_VALUE_H

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
    hb_peak_value link_gbs;    /* host <-> device link, GB/s per direction (the transfer family) */
} hb_peaks;

/* "unknown", "user", "peaks-file", "vendor", "table", "derived" */
const char *hb_peak_src_name(hb_peak_src src);

#endif
