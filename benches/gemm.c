/* gemm: our OpenCL GEMM (kernels/opencl/gemm.cl), D = alpha*A*B + beta*C,
 * row-major, in f32, f64, and f16 storage with f32 arithmetic.
 *
 * Counting and verification conventions are in gemm.h and gemm_verify.c.
 * f16 runs only where the device reports cl_khr_fp16 (the runner skips it
 * elsewhere). The kernel itself needs only vload_half/vstore_half, which
 * are core OpenCL C, so tests/test_gemm_pocl.c exercises it on PoCL, which
 * lacks the extension. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cl_util.h"
#include "gemm.h"

static int dt_bits(const char *dtype)
{
    return !strcmp(dtype, "f64") ? 64 : !strcmp(dtype, "f16") ? 16 : 32;
}

/* CL_FP_FMA: fma is done in hardware for this precision (OpenCL 3.0 API
 * spec, table of device queries); f16 storage computes in fp32. */
static int hardware_fma(const hb_bench_ctx *ctx)
{
    cl_device_fp_config fp = 0;
    cl_device_info what = !strcmp(ctx->dtype, "f64") ? CL_DEVICE_DOUBLE_FP_CONFIG : CL_DEVICE_SINGLE_FP_CONFIG;
    if (clGetDeviceInfo(ctx->dev->id, what, sizeof fp, &fp, NULL) != CL_SUCCESS)
        return 0;
    return (fp & CL_FP_FMA) != 0;
}

int hb_gemm_setup(hb_bench_ctx *ctx, hb_err *err)
{
    hb_gemm_state *st = calloc(1, sizeof *st);
    if (!st)
        return hb_fail(err, HB_EFAIL, "out of memory");
    ctx->state = st;
    const hb_problem *p = &ctx->problem;
    st->m = (int)p->m, st->n = (int)p->n, st->k = (int)p->k;
    ctx->flops_per_iter = 2.0 * (double)p->m * (double)p->n * (double)p->k;
    ctx->bytes_per_iter = ((double)p->m * p->k + (double)p->k * p->n + 2.0 * p->m * p->n) * (double)ctx->elem_bytes;
    return hb_gemm_setup_data(ctx, st, 1, err);
}

void hb_gemm_teardown(hb_bench_ctx *ctx)
{
    if (!ctx->state)
        return;
    hb_gemm_release(ctx->state);
    free(ctx->state);
    ctx->state = NULL;
}

static size_t up(size_t n, size_t m)
{
    return (n + m - 1) / m * m;
}

/* Launch geometry of each algorithm (kernels/opencl/gemm.cl states it too). */
static void geometry(hb_gemm_state *st, const hb_gemm_cfg *c)
{
    size_t m = (size_t)st->m, n = (size_t)st->n;
    st->dims = 2;
    switch (c->algo) {
    case HB_GEMM_TILE:
        st->local[0] = (size_t)c->wgn, st->local[1] = (size_t)c->wgm;
        st->global[0] = up((n + c->tn - 1) / c->tn, st->local[0]);
        st->global[1] = up((m + c->tm - 1) / c->tm, st->local[1]);
        break;
    case HB_GEMM_LOCAL:
        st->local[0] = (size_t)c->wgn, st->local[1] = (size_t)c->wgm;
        st->global[0] = (n + (size_t)(c->wgn * c->tn) - 1) / (size_t)(c->wgn * c->tn) * c->wgn;
        st->global[1] = (m + (size_t)(c->wgm * c->tm) - 1) / (size_t)(c->wgm * c->tm) * c->wgm;
        break;
    case HB_GEMM_PANEL:
        st->local[0] = (size_t)c->wgn, st->local[1] = (size_t)c->wgm;
        st->global[0] = (n + (size_t)(c->wgn * c->tn) - 1) / (size_t)(c->wgn * c->tn) * c->wgn;
        st->global[1] = up((m + c->tm - 1) / c->tm, st->local[1]);
        break;
    default: /* dot */
        st->dims = 1;
        st->local[0] = (size_t)c->wgm;
        st->global[0] = up((m + c->tm - 1) / c->tm, st->local[0]);
    }
}

/* Whether the device can run c at all; a reason when it cannot. */
static int fits_device(const hb_bench_ctx *ctx, const hb_gemm_cfg *c, hb_err *err)
{
    /* (Non-temporal stores fall back to plain ones in the kernel where D's
     * vectors are not aligned; the dot kernel writes too little to matter.) */
    if (c->nt && c->algo == HB_GEMM_DOT)
        return hb_fail(err, HB_BENCH_SKIP, "the dot kernel has no non-temporal stores");
    size_t r = !strcmp(ctx->dtype, "f64") ? 8 : 4, wg = (size_t)c->wgm * (size_t)c->wgn, lmem = 0;
    if (c->algo == HB_GEMM_LOCAL)
        lmem = (size_t)c->tk * ((size_t)c->wgm * c->tm + (size_t)c->wgn * c->tn) * r;
    else if (c->algo == HB_GEMM_PANEL)
        lmem = (size_t)c->tk * c->tn * c->wgn * r;
    if (wg > ctx->dev->max_work_group_size)
        return hb_fail(err, HB_BENCH_SKIP, "work-group of %zu > device maximum %zu", wg, ctx->dev->max_work_group_size);
    if (lmem > ctx->dev->local_mem_bytes)
        return hb_fail(err, HB_BENCH_SKIP, "needs %zu B of local memory, device has %llu", lmem,
                       (unsigned long long)ctx->dev->local_mem_bytes);
    return HB_OK;
}

static int set_args(hb_bench_ctx *ctx, hb_gemm_state *st, hb_err *err)
{
    double a64 = HB_GEMM_ALPHA, b64 = HB_GEMM_BETA;
    float a32 = (float)HB_GEMM_ALPHA, b32 = (float)HB_GEMM_BETA;
    int f64 = !strcmp(ctx->dtype, "f64");
    size_t rs = f64 ? sizeof a64 : sizeof a32;
    const void *alpha = f64 ? (const void *)&a64 : &a32, *beta = f64 ? (const void *)&b64 : &b32;
    cl_kernel k = st->kernel;
    cl_int rc = clSetKernelArg(k, 0, sizeof st->m, &st->m);
    rc = rc ? rc : clSetKernelArg(k, 1, sizeof st->n, &st->n);
    rc = rc ? rc : clSetKernelArg(k, 2, sizeof st->k, &st->k);
    rc = rc ? rc : clSetKernelArg(k, 3, rs, alpha);
    rc = rc ? rc : clSetKernelArg(k, 4, rs, beta);
    rc = rc ? rc : clSetKernelArg(k, 5, sizeof(cl_mem), &st->a);
    rc = rc ? rc : clSetKernelArg(k, 6, sizeof(cl_mem), &st->b);
    rc = rc ? rc : clSetKernelArg(k, 7, sizeof(cl_mem), &st->c);
    rc = rc ? rc : clSetKernelArg(k, 8, sizeof(cl_mem), &st->d);
    return hb_cl_check(rc, "clSetKernelArg(gemm)", err);
}

/* D is filled with all-ones bytes, a NaN in every float format: an element
 * no work-item writes stays NaN and fails verification. */
static int poison(hb_bench_ctx *ctx, hb_gemm_state *st, hb_err *err)
{
    const unsigned char ones[8] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    size_t bytes = (size_t)st->m * st->n * ctx->elem_bytes;
    return hb_cl_check(clEnqueueFillBuffer(ctx->env->queue, st->d, ones, ctx->elem_bytes, 0, bytes, 0, NULL, NULL),
                       "clEnqueueFillBuffer(poison D)", err) ||
           hb_cl_check(clFinish(ctx->env->queue), "clFinish(poison D)", err) ? HB_EFAIL : HB_OK;
}

static int gemm_prepare(hb_bench_ctx *ctx, const hb_params *cfg, hb_err *err)
{
    static const char *const kernel_names[] = {"", "gemm_tile", "gemm_local", "gemm_dot", "gemm_panel"};
    hb_gemm_state *st = ctx->state;
    hb_gemm_cfg c;
    int rc = hb_gemm_cfg_of(cfg, &c, err);
    if (rc || (rc = fits_device(ctx, &c, err)))
        return rc;
    char opts[256];
    snprintf(opts, sizeof opts,
             "-DHB_DT=%d -DALGO=%d -DTM=%d -DTN=%d -DVW=%d -DWGM=%d -DWGN=%d -DTK=%d -DUNROLL=%d -DHB_FMA=%d "
             "-DHB_NT=%d", dt_bits(ctx->dtype), c.algo, c.tm, c.tn, c.vw, c.wgm, c.wgn, c.tk, c.unroll,
             hardware_fma(ctx), c.nt);
    cl_program p;
    if (st->kernel)
        clReleaseKernel(st->kernel);
    st->kernel = NULL;
    /* A variant of the search that the compiler rejects (an unsupported
     * vector width, say) is skipped; the default or cached one must build,
     * and its failure is an error that shows the build log. */
    if (hb_cl_program(ctx->env, "gemm.cl", opts, &p, err)) {
        const hb_param *how = hb_params_get(cfg, "tuning");
        return how && !strcmp(how->text, "searched") ? HB_BENCH_SKIP : HB_EFAIL;
    }
    if (hb_cl_kernel(p, kernel_names[c.algo], &st->kernel, err))
        return HB_EFAIL;
    size_t lim = 0;
    if (hb_cl_check(clGetKernelWorkGroupInfo(st->kernel, ctx->dev->id, CL_KERNEL_WORK_GROUP_SIZE, sizeof lim, &lim,
                                             NULL), "clGetKernelWorkGroupInfo", err))
        return HB_EFAIL;
    if ((size_t)c.wgm * (size_t)c.wgn > lim)
        return hb_fail(err, HB_BENCH_SKIP, "work-group of %d > CL_KERNEL_WORK_GROUP_SIZE %zu", c.wgm * c.wgn, lim);
    geometry(st, &c);
    return set_args(ctx, st, err) || poison(ctx, st, err) ? HB_EFAIL : HB_OK;
}

static int gemm_enqueue(hb_bench_ctx *ctx, cl_event *ev, hb_err *err)
{
    hb_gemm_state *st = ctx->state;
    return hb_cl_check(clEnqueueNDRangeKernel(ctx->env->queue, st->kernel, st->dims, NULL, st->global, st->local, 0,
                                              NULL, ev), "clEnqueueNDRangeKernel(gemm)", err);
}

static int gemm_verify(hb_bench_ctx *ctx, int *valid, char *why, size_t len, hb_err *err)
{
    hb_gemm_state *st = ctx->state;
    return hb_gemm_check(ctx, st, st->d, valid, why, len, err);
}

static int gemm_problems(const hb_bench_ctx *ctx, hb_problem *out, int max, hb_err *err)
{
    return hb_gemm_problems(ctx, out, max, err);
}

const hb_bench hb_bench_gemm = {
    .name = "gemm", .family = "gemm", .formula = "D = alpha*A*B + beta*C (row-major)",
    .arrays_counted = 0, .flops_per_element = 0, .dtypes = "f32,f64,f16",
    .problems = gemm_problems, .configs = hb_gemm_configs, .setup = hb_gemm_setup, .prepare = gemm_prepare,
    .enqueue = gemm_enqueue, .verify = gemm_verify, .teardown = hb_gemm_teardown, .tuned = hb_gemm_tuned,
    .basis = HB_BASIS_FLOPS, .tune_budget_s = 60, .tune_problem = hb_gemm_tune_problem,
};
