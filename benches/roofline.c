/* roofline: the arithmetic-intensity sweep (kernels/opencl/roofline.cl). One
 * problem per k, the number of FMAs per element, from 0 (a copy: the
 * bandwidth end) to 256 (compute bound on every device we know: 2*256 FLOP
 * per 8 bytes of f32 is 64 FLOP/byte, beyond the ridge of an H100's 67
 * TFLOP/s over 3.35 TB/s, 20 FLOP/byte). runner/io/roofline_summary.c turns
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
 * configuration. a and b keep the values in [1, 2): a = 1 - 2^-10,
 * b = 2^-10 have the fixed point 1. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cl_util.h"
#include "roofline.h"
#include "stream_values.h"

#define PERIOD (1u << 16)
#define A_F64 (1.0 - 0x1p-10)
#define B_F64 0x1p-10

typedef hb_roofline_state roof_state;

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

typedef struct { const char *pattern; int vec, chains, wg; const char *store; } point;

/* CPU: one contiguous block per work-item, 16-wide vectors (a zmm register
 * of f32; two of f64) and 8 chains, non-temporal stores (stream's winner on
 * PoCL); GPU: grid-strided, coalesced, a few chains per work-item. */
static const point cpu_points[] = {
    {"block", 16, 8, 1, "nontemporal"}, {"block", 8, 8, 1, "nontemporal"},
    {"block", 16, 4, 1, "nontemporal"}, {"block", 16, 8, 1, "plain"},
};
static const point gpu_points[] = {
    {"grid", 1, 4, 256, "plain"}, {"grid", 2, 4, 256, "plain"}, {"grid", 4, 2, 256, "plain"},
    {"grid", 1, 8, 256, "plain"}, {"grid", 4, 4, 128, "plain"},
};

static int roof_configs(const hb_bench_ctx *ctx, hb_params *out, int max)
{
    int cpu = !strcmp(ctx->dev->type, "CPU");
    const point *pts = cpu ? cpu_points : gpu_points;
    int n = cpu ? 4 : 5;
    n = ctx->tune == 0 ? 1 : n < max ? n : max;
    for (int i = 0; i < n; i++) {
        out[i].n = 0;
        hb_params_set_text(&out[i], "pattern", pts[i].pattern);
        hb_params_set_num(&out[i], "vec", pts[i].vec);
        hb_params_set_num(&out[i], "chains", pts[i].chains);
        hb_params_set_num(&out[i], "wg", pts[i].wg);
        hb_params_set_text(&out[i], "store", pts[i].store);
    }
    return n;
}

/* The expected result of element j mod PERIOD: k fmas in the kernel's order. */
static int expect(hb_bench_ctx *ctx, roof_state *st, void *xs)
{
    int k = (int)ctx->problem.k, f64 = ctx->elem_bytes == 8;
    st->expected = malloc(PERIOD * ctx->elem_bytes);
    if (!st->expected)
        return -1;
    for (uint32_t j = 0; j < PERIOD; j++) {
        if (f64) {
            double v = hb_value_f64(j, HB_SEED_A);
            ((double *)xs)[j] = v;
            for (int i = 0; i < k; i++)
                v = fma(v, A_F64, B_F64);
            ((double *)st->expected)[j] = v;
        } else {
            float v = hb_value_f32(j, HB_SEED_A);
            ((float *)xs)[j] = v;
            for (int i = 0; i < k; i++)
                v = fmaf(v, (float)A_F64, (float)B_F64);
            ((float *)st->expected)[j] = v;
        }
    }
    return 0;
}

static int roof_setup(hb_bench_ctx *ctx, hb_err *err)
{
    roof_state *st = calloc(1, sizeof *st);
    if (!st)
        return hb_fail(err, HB_EFAIL, "out of memory");
    ctx->state = st;
    uint64_t n = ctx->elements;
    size_t bytes = (size_t)n * ctx->elem_bytes;
    ctx->bytes_per_iter = 2.0 * (double)bytes;
    ctx->flops_per_iter = 2.0 * (double)ctx->problem.k * (double)n;
    void *xs = malloc(PERIOD * ctx->elem_bytes);
    cl_int rc = CL_SUCCESS;
    if (!xs || expect(ctx, st, xs)) {
        free(xs);
        return hb_fail(err, HB_EFAIL, "out of memory");
    }
    st->x = clCreateBuffer(ctx->env->context, CL_MEM_READ_WRITE, bytes, NULL, &rc);
    if (rc == CL_SUCCESS)
        st->y = clCreateBuffer(ctx->env->context, CL_MEM_READ_WRITE, bytes, NULL, &rc);
    int fail = hb_cl_check(rc, "clCreateBuffer(roofline)", err);
    /* x is the period repeated: one write per period. */
    for (uint64_t lo = 0; !fail && lo < n; lo += PERIOD) {
        size_t cnt = n - lo < PERIOD ? (size_t)(n - lo) : PERIOD;
        fail = hb_cl_check(clEnqueueWriteBuffer(ctx->env->queue, st->x, CL_FALSE, lo * ctx->elem_bytes,
                                                cnt * ctx->elem_bytes, xs, 0, NULL, NULL),
                           "clEnqueueWriteBuffer(roofline x)", err);
    }
    fail = fail || hb_cl_check(clFinish(ctx->env->queue), "clFinish(roofline x)", err);
    free(xs);
    return fail ? HB_EFAIL : HB_OK;
}

static void roof_teardown(hb_bench_ctx *ctx)
{
    roof_state *st = ctx->state;
    if (!st)
        return;
    if (st->x)
        clReleaseMemObject(st->x);
    if (st->y)
        clReleaseMemObject(st->y);
    if (st->kernel)
        clReleaseKernel(st->kernel);
    free(st->expected);
    free(st);
    ctx->state = NULL;
}

static int set_args(hb_bench_ctx *ctx, roof_state *st, hb_err *err)
{
    cl_ulong n = ctx->elements;
    cl_int k = (cl_int)ctx->problem.k;
    double a64 = A_F64, b64 = B_F64;
    float a32 = (float)A_F64, b32 = (float)B_F64;
    int f64 = ctx->elem_bytes == 8;
    cl_int rc = clSetKernelArg(st->kernel, 0, sizeof(cl_mem), &st->x);
    rc = rc ? rc : clSetKernelArg(st->kernel, 1, sizeof(cl_mem), &st->y);
    rc = rc ? rc : clSetKernelArg(st->kernel, 2, sizeof n, &n);
    rc = rc ? rc : clSetKernelArg(st->kernel, 3, sizeof k, &k);
    rc = rc ? rc : clSetKernelArg(st->kernel, 4, ctx->elem_bytes, f64 ? (void *)&a64 : (void *)&a32);
    rc = rc ? rc : clSetKernelArg(st->kernel, 5, ctx->elem_bytes, f64 ? (void *)&b64 : (void *)&b32);
    return hb_cl_check(rc, "clSetKernelArg(roofline)", err);
}

static int roof_prepare(hb_bench_ctx *ctx, const hb_params *cfg, hb_err *err)
{
    roof_state *st = ctx->state;
    const hb_param *pat = hb_params_get(cfg, "pattern"), *vec = hb_params_get(cfg, "vec"),
                   *ch = hb_params_get(cfg, "chains"), *wg = hb_params_get(cfg, "wg"),
                   *store = hb_params_get(cfg, "store");
    if (!pat || !vec || !ch || !wg || !store)
        return hb_fail(err, HB_EFAIL, "roofline: incomplete configuration");
    int block = !strcmp(pat->text, "block"), nt = !strcmp(store->text, "nontemporal");
    char opts[128];
    snprintf(opts, sizeof opts, "-DHB_F64=%d -DVW=%d -DCH=%d -DBLOCK=%d -DHB_NT=%d", ctx->elem_bytes == 8,
             (int)vec->num, (int)ch->num, block, nt);
    cl_program p;
    if (hb_cl_program(ctx->env, "roofline.cl", opts, &p, err))
        return nt ? HB_BENCH_SKIP : HB_EFAIL; /* a compiler without the builtin */
    if (st->kernel)
        clReleaseKernel(st->kernel);
    st->kernel = NULL;
    if (hb_cl_kernel(p, "roofline", &st->kernel, err) || set_args(ctx, st, err))
        return HB_EFAIL;
    st->local = (size_t)wg->num;
    size_t units = ctx->dev->compute_units ? ctx->dev->compute_units : 1;
    /* CPU blocks: 4 work-groups per unit balance the load; GPU grid: enough
     * groups to fill the device, each work-item looping a few times. */
    st->global = block ? units * 4 * st->local : units * 64 * st->local;
    const unsigned char ones[8] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    return hb_cl_check(clEnqueueFillBuffer(ctx->env->queue, st->y, ones, ctx->elem_bytes, 0,
                                           ctx->elements * ctx->elem_bytes, 0, NULL, NULL),
                       "clEnqueueFillBuffer(poison y)", err) ||
           hb_cl_check(clFinish(ctx->env->queue), "clFinish(poison y)", err) ? HB_EFAIL : HB_OK;
}

static int roof_enqueue(hb_bench_ctx *ctx, cl_event *ev, hb_err *err)
{
    roof_state *st = ctx->state;
    return hb_cl_check(clEnqueueNDRangeKernel(ctx->env->queue, st->kernel, 1, NULL, &st->global, &st->local, 0,
                                              NULL, ev), "clEnqueueNDRangeKernel(roofline)", err);
}

static int roof_verify(hb_bench_ctx *ctx, int *valid, char *why, size_t len, hb_err *err)
{
    roof_state *st = ctx->state;
    size_t eb = ctx->elem_bytes, chunk = (size_t)PERIOD * 16;
    uint64_t n = ctx->elements, wrong = 0, first = 0;
    double got1 = 0, want1 = 0;
    char *buf = malloc(chunk * eb);
    if (!buf)
        return hb_fail(err, HB_EFAIL, "out of memory for verification");
    for (uint64_t lo = 0; lo < n; lo += chunk) {
        size_t cnt = n - lo < chunk ? (size_t)(n - lo) : chunk;
        if (hb_cl_check(clEnqueueReadBuffer(ctx->env->queue, st->y, CL_TRUE, lo * eb, cnt * eb, buf, 0, NULL, NULL),
                        "clEnqueueReadBuffer(roofline y)", err)) {
            free(buf);
            return HB_EFAIL;
        }
        for (size_t j = 0; j < cnt; j++) {
            size_t e = (size_t)((lo + j) % PERIOD);
            int same = eb == 8 ? memcmp((double *)buf + j, (double *)st->expected + e, 8) == 0
                               : memcmp((float *)buf + j, (float *)st->expected + e, 4) == 0;
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

const hb_bench hb_bench_roofline = {
    .name = "roofline", .family = "roofline", .formula = "y = fma(...fma(x, a, b)..., a, b), k times",
    .dtypes = "f32,f64", .problems = roof_problems, .configs = roof_configs, .setup = roof_setup,
    .prepare = roof_prepare, .enqueue = roof_enqueue, .verify = roof_verify, .teardown = roof_teardown,
    .basis = HB_BASIS_FLOPS, .uses_stream_size = 1,
};
