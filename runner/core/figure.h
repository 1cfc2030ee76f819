/* SPDX-License-Identifier: Apache-2.0 */
/* figure: what a result's number is. A family (or one of its benches)
 * declares its figure once; the driver computes the result's value from the
 * timed samples by that declaration, the result file stores it (name, unit,
 * direction, best, median, peak and the peak's source), and every reader
 * (the table, compare, check, the cluster's outliers, the plots and the
 * report) takes it from there instead of guessing from the bench's name. */
#ifndef HB_FIGURE_H
#define HB_FIGURE_H

/* Which of a device's peaks a figure is held against. */
typedef enum hb_peak_basis {
    HB_BASIS_BANDWIDTH = 0,    /* the device's memory bandwidth peak (stream) */
    HB_BASIS_FLOPS,            /* the FLOP/s peak of the dtype (GEMM, roofline) */
    HB_BASIS_LINK,             /* the host <-> device link peak (transfer) */
    HB_BASIS_NONE,             /* none: a figure no theoretical peak bounds (latency) */
} hb_peak_basis;

/* What one iteration counts, which the figure divides or is divided by. */
typedef enum hb_count {
    HB_COUNT_BYTES = 0,        /* counted bytes (STREAM convention): bytes_per_iter */
    HB_COUNT_FLOPS,            /* floating-point operations: flops_per_iter */
    HB_COUNT_OPS,              /* the family's own operations (latency: dependent loads): ops_per_iter */
} hb_count;

typedef struct hb_figure {
    const char *name;          /* the result's figure.name: "bandwidth", "flops", "latency" */
    const char *unit;          /* "GB/s", "GFLOP/s", "ns" */
    int lower_is_better;       /* 1 for a time (latency), 0 for a rate */
    hb_count count;
    /* 0: a rate, count / seconds x scale (GB/s: scale 1e-9);
     * 1: a time per counted operation, seconds / count x scale (ns: 1e9). */
    int time_per_count;
    double scale;
    hb_peak_basis peak;
    const char *about;         /* how it is computed, one sentence for the table's conventions and docs */
} hb_figure;

/* The figures the families declare (runner/core/figure.c). */
extern const hb_figure hb_figure_bandwidth, hb_figure_flops, hb_figure_link, hb_figure_latency;

/* The figure's value for `count` units done in `seconds`; NAN when either
 * is not positive and finite. */
double hb_figure_value(const hb_figure *f, double count, double seconds);

#endif
