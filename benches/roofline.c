/* SPDX-License-Identifier: Apache-2.0 */
/* roofline: the arithmetic-intensity sweep (the OpenCL kernel: kernels/opencl/roofline.cl). One
 * problem per k, the number of FMAs per element, from 0 (a copy: the
 * bandwidth end) to 256 (compute bound on every device we know: 2*256 FLOP
 * per 8 bytes of f32 is 64 FLOP/byte, beyond the ridge of an H100's 67
 * TFLOP/s over 3.35 TB/s, 20 FLOP/byte). roofline_summary.c turns
 * the sweep into the measured ceilings and ridge point.
 *
 * Counting: bytes = 2 * n * element size (x read, y written once; no
 * write-allocate), FLOP = 2 * k * n. Arrays are sized like the stream
 * kernels' (--size, default 4x the largest cache), so k = 0 streams from
 * memory, not cache.
 *
 * Verification is exact: x repeats with a period of 2^16 elements (values
 * 1 + hash * 2^-20, as stream's), so the host computes the 2^16 distinct
 * results with C's fma(), correctly rounded like OpenCL's, in the kernel's
 * order, and compares every element. y is poisoned before each
 * configuration. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "roofline.h"
#include "roofline_summary.h"
#include "stream_values.h"

#define PERIOD (1u << 16)

static const int ks[] = {0, 1, 2, 4, 8, 16, 32, 64, 128, 256};

static int roof_problems(const hb_bench_ctx *ctx, hb_problem *out, int max, hb_err *err)
{
    (void)err;
    int n = 0;
    for (size_t i = 0; i < sizeof ks / sizeof *ks && n < max; i++, n++) {
        out[n] = (hb_problem){.elements = ctx->elements, .k = (uint64_t)ks[i], .dims = HB_DIM_K};
        snprintf(out[n].label, sizeof out[n].label, "k=%d", ks[i]);
    }
    return n;
}

/* One period of x, and the expected result of element j mod PERIOD: k fmas
 * in the kernel's order. */
static int expect(hb_bench_ctx *ctx, hb_roofline_data *st, void *xs)
{
    int k = (int)ctx->problem.k, f64 = ctx->dtype == HB_F64;
    st->expected = malloc(PERIOD * ctx->elem_bytes);
    if (!st->expected)
        return -1;
    for (uint32_t j = 0; j < PERIOD; j++) {
        if (f64) {
            double v = hb_value_f64(j, HB_SEED_A);
            ((double *)xs)[j] = v;
            for (int i = 0; i < k; i++)
                v = fma(v, HB_ROOF_A, HB_ROOF_B);
            ((double *)st->expected)[j] = v;
        } else {
            float v = hb_value_f32(j, HB_SEED_A);
            ((float *)xs)[j] = v;
            for (int i = 0; i < k; i++)
                v = fmaf(v, (float)HB_ROOF_A, (float)HB_ROOF_B);
            ((float *)st->expected)[j] = v;
        }
    }
    return 0;
}

static int roof_setup(hb_bench_ctx *ctx, hb_err *err)
{
    hb_roofline_data *st = calloc(1, sizeof *st);
    if (!st)
        return hb_fail(err, HB_EFAIL, "out of memory");
    ctx->data = st;
    uint64_t n = ctx->elements;
    size_t bytes = (size_t)n * ctx->elem_bytes;
    ctx->bytes_per_iter = 2.0 * (double)bytes;
    ctx->flops_per_iter = 2.0 * (double)ctx->problem.k * (double)n;
    void *xs = malloc(PERIOD * ctx->elem_bytes);
    if (!xs || expect(ctx, st, xs)) {
        free(xs);
        return hb_fail(err, HB_EFAIL, "out of memory");
    }
    int fail = ctx->model->alloc(ctx->env, bytes, &st->x, err) || ctx->model->alloc(ctx->env, bytes, &st->y, err);
    /* x is the period repeated: one upload per period. */
    for (uint64_t lo = 0; !fail && lo < n; lo += PERIOD) {
        size_t cnt = n - lo < PERIOD ? (size_t)(n - lo) : PERIOD;
        fail = ctx->model->upload(ctx->env, &st->x, lo * ctx->elem_bytes, cnt * ctx->elem_bytes, xs, err);
    }
    free(xs);
    return fail ? HB_EFAIL : HB_OK;
}

static void roof_teardown(hb_bench_ctx *ctx)
{
    hb_roofline_data *st = ctx->data;
    if (!st)
        return;
    if (st->x.handle)
        ctx->model->release(ctx->env, &st->x);
    if (st->y.handle)
        ctx->model->release(ctx->env, &st->y);
    free(st->expected);
    free(st);
    ctx->data = NULL;
}

/* All-ones bytes: a NaN, which no FMA chain from [1, 2) produces. */
static int roof_poison(hb_bench_ctx *ctx, hb_err *err)
{
    static const unsigned char ones[8] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    hb_roofline_data *st = ctx->data;
    return ctx->model->fill(ctx->env, &st->y, ones, ctx->elem_bytes, ctx->elements * ctx->elem_bytes, err);
}

static int roof_verify(hb_bench_ctx *ctx, int *valid, char *why, size_t len, hb_err *err)
{
    hb_roofline_data *st = ctx->data;
    size_t eb = ctx->elem_bytes, chunk = (size_t)PERIOD * 16;
    uint64_t n = ctx->elements, wrong = 0, first = 0;
    double got1 = 0, want1 = 0;
    char *buf = malloc(chunk * eb);
    if (!buf)
        return hb_fail(err, HB_EFAIL, "out of memory for verification");
    for (uint64_t lo = 0; lo < n; lo += chunk) {
        size_t cnt = n - lo < chunk ? (size_t)(n - lo) : chunk;
        if (ctx->model->download(ctx->env, &st->y, lo * eb, cnt * eb, buf, err)) {
            free(buf);
            return HB_EFAIL;
        }
        for (size_t j = 0; j < cnt; j++) {
            size_t e = (size_t)((lo + j) % PERIOD);
            int same = memcmp(buf + j * eb, (char *)st->expected + e * eb, eb) == 0;
            if (!same && !wrong++) {
                first = lo + j;
                got1 = eb == 8 ? ((double *)buf)[j] : ((float *)buf)[j];
                want1 = eb == 8 ? ((double *)st->expected)[e] : ((float *)st->expected)[e];
            }
        }
    }
    free(buf);
    *valid = wrong == 0;
    why[0] = '\0';
    if (wrong)
        snprintf(why, len, "verification failed: y[%llu] = %.17g, expected %.17g (k = %d); %llu of %llu elements "
                 "wrong", (unsigned long long)first, got1, want1, (int)ctx->problem.k, (unsigned long long)wrong,
                 (unsigned long long)n);
    return HB_OK;
}

static void roof_conventions(char *buf, size_t len)
{
    snprintf(buf, len, "y = x after k FMAs per element: FLOP = 2*k*n, bytes = 2*n*element size; the top-level "
             "roofline array holds the largest bandwidth and GFLOP/s over the sweep and their ratio, the ridge "
             "point, beside the theoretical peaks");
}

const hb_family hb_family_roofline = {
    .name = "roofline", .figure = &hb_figure_flops, .conventions_key = "roofline", .conventions = roof_conventions,
    .summary_key = "roofline", .summarize = hb_roofline_fields, .print_summary = hb_roofline_print,
};

const hb_bench hb_bench_roofline = {
    .name = "roofline", .family = &hb_family_roofline, .formula = "y = fma(...fma(x, a, b)..., a, b), k times",
    .dtypes = HB_DTYPE_BIT(HB_F32) | HB_DTYPE_BIT(HB_F64), .problems = roof_problems,
    .uses_stream_size = 1, .setup = roof_setup, .poison = roof_poison, .verify = roof_verify,
    .teardown = roof_teardown,
};
