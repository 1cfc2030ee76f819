/* stream_state: what the stream bench keeps between its steps; shared by
 * stream.c (buffers, kernels), stream_configs.c (tuning grid) and
 * stream_verify.c (checks). */
#ifndef HB_STREAM_STATE_H
#define HB_STREAM_STATE_H

#include "bench.h"
#include "stream_kinds.h"
#include "stream_values.h"

typedef struct hb_stream_state {
    const hb_stream_kind_info *k;
    cl_mem buf[3];            /* a, b, c; NULL where the kernel does not use it */
    cl_mem partial;           /* reductions: one partial sum per work-group */
    size_t partial_groups;
    cl_kernel kernel;
    char pattern[48];         /* "grid" or "block" */
    unsigned vec;
    size_t local, global, groups;
    void *expected;           /* array kernels: expected output, NULL if it did not fit */
    long double expected_sum; /* reductions */
} hb_stream_state;

int hb_stream_configs(const hb_bench_ctx *ctx, hb_params *out, int max);
/* Computes what verification compares against (once per setup). */
int hb_stream_expect(hb_bench_ctx *ctx, hb_stream_state *st, hb_err *err);
int hb_stream_verify(hb_bench_ctx *ctx, int *valid, char *why, size_t why_len, hb_err *err);

#endif
