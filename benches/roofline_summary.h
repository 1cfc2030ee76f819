/* SPDX-License-Identifier: Apache-2.0 */
/* roofline_summary: the measured roofline of each device and dtype, from
 * the roofline bench's sweep points in a run, beside the theoretical one.
 *
 *   measured_bandwidth_gbs  the largest bandwidth of any valid sweep point
 *                           (k = 0, the copy, in practice)
 *   measured_gflops         the largest GFLOP/s of any valid sweep point
 *   ridge_flop_per_byte     measured_gflops / measured_bandwidth_gbs: the
 *                           intensity above which a kernel can be compute
 *                           bound on this device (Williams, Waterman and
 *                           Patterson, CACM 52(4), 2009)
 *   theoretical_*           the device's peaks (runner/peaks/peak.h) and their
 *                           ridge, NAN where a peak is unknown
 * It is derived data: computed from the results whenever a run is written
 * or printed, never stored in the model, so it cannot disagree with them. */
#ifndef HB_ROOFLINE_SUMMARY_H
#define HB_ROOFLINE_SUMMARY_H

#include <stddef.h>
#include <stdio.h>

#include "bench.h"
#include "run.h"

typedef struct hb_roofline {
    int device_index;
    char device[256];
    char dtype[8];
    size_t points;                      /* valid sweep points used */
    double measured_bandwidth_gbs, measured_gflops, ridge_flop_per_byte;
    double bandwidth_at_k, gflops_at_k; /* where the ceilings were reached (k) */
    hb_peak_value theoretical_bandwidth_gbs, theoretical_gflops;
    double theoretical_ridge_flop_per_byte;
} hb_roofline;

/* The family's hooks (hb_family.summarize, print_summary): the same
 * entries as records with the result file's keys, and their table line. */
size_t hb_roofline_fields(const hb_run *run, hb_params *out, size_t max);
void hb_roofline_print(FILE *f, const hb_params *rec);

#endif
