/* SPDX-License-Identifier: Apache-2.0 */
/* roofline: the arithmetic-intensity sweep, y = x after k FMAs per element
 * (roofline.c; the kernels are in runner/models/<model>/). The data are
 * here so every model's kernels and the tests reach them. */
#ifndef HB_ROOFLINE_H
#define HB_ROOFLINE_H

#include "bench.h"

/* The FMA's constants: a = 1 - 2^-10, b = 2^-10 have the fixed point 1, so
 * values stay in [1, 2) for any k. */
#define HB_ROOF_A (1.0 - 0x1p-10)
#define HB_ROOF_B 0x1p-10

extern const hb_bench hb_bench_roofline;
extern const hb_family hb_family_roofline;

typedef struct hb_roofline_data {
    hb_buf x, y;
    void *expected;           /* the results of one period of x */
} hb_roofline_data;

#endif
