/* roofline: the arithmetic-intensity sweep (roofline.c, kernels/opencl/roofline.cl).
 * The state is here so tests can reach the output buffer. */
#ifndef HB_ROOFLINE_H
#define HB_ROOFLINE_H

#include "bench.h"

extern const hb_bench hb_bench_roofline;

typedef struct hb_roofline_state {
    cl_mem x, y;
    cl_kernel kernel;
    size_t global, local;
    void *expected;           /* the results of one period of x */
} hb_roofline_state;

#endif
