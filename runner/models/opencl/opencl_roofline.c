/* SPDX-License-Identifier: Apache-2.0 */
/* opencl_roofline: the roofline sweep on an OpenCL device
 * (kernels/opencl/roofline.cl): the tuning grid, building and launching.
 * What is measured and checked is benches/roofline.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cl_util.h"
#include "opencl_kernels.h"
#include "roofline.h"

typedef struct cl_roof_state {
    cl_kernel kernel;
    size_t global, local;
} cl_roof_state;

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
    int cpu = ctx->dev->kind == HB_KIND_CPU;
    const point *pts = cpu ? cpu_points : gpu_points;
    int n = cpu ? 4 : 5;
    n = ctx->tune == 0 ? 1 : n < max ? n : max;
    for (int i = 0; i < n; i++) {
        hb_params_clear(&out[i]);
        hb_params_set_text(&out[i], "pattern", pts[i].pattern);
        hb_params_set_num(&out[i], "vec", pts[i].vec);
        hb_params_set_num(&out[i], "chains", pts[i].chains);
        hb_params_set_num(&out[i], "wg", pts[i].wg);
        hb_params_set_text(&out[i], "store", pts[i].store);
    }
    return n;
}

static int set_args(hb_bench_ctx *ctx, const hb_roofline_data *d, cl_roof_state *st, hb_err *err)
{
    cl_mem x = hb_cl_mem(&d->x), y = hb_cl_mem(&d->y);
    cl_ulong n = ctx->elements;
    cl_int k = (cl_int)ctx->problem.k;
    double a64 = HB_ROOF_A, b64 = HB_ROOF_B;
    float a32 = (float)HB_ROOF_A, b32 = (float)HB_ROOF_B;
    int f64 = ctx->dtype == HB_F64;
    cl_int rc = clSetKernelArg(st->kernel, 0, sizeof(cl_mem), &x);
    rc = rc ? rc : clSetKernelArg(st->kernel, 1, sizeof(cl_mem), &y);
    rc = rc ? rc : clSetKernelArg(st->kernel, 2, sizeof n, &n);
    rc = rc ? rc : clSetKernelArg(st->kernel, 3, sizeof k, &k);
    rc = rc ? rc : clSetKernelArg(st->kernel, 4, ctx->elem_bytes, f64 ? (void *)&a64 : (void *)&a32);
    rc = rc ? rc : clSetKernelArg(st->kernel, 5, ctx->elem_bytes, f64 ? (void *)&b64 : (void *)&b32);
    return hb_cl_check(rc, "clSetKernelArg(roofline)", err);
}

static int roof_prepare(hb_bench_ctx *ctx, const hb_params *cfg, hb_err *err)
{
    cl_roof_state *st = ctx->state;
    if (!st && !(st = ctx->state = calloc(1, sizeof *st)))
        return hb_fail(err, HB_EFAIL, "out of memory");
    const hb_param *pat = hb_params_get(cfg, "pattern"), *vec = hb_params_get(cfg, "vec"),
                   *ch = hb_params_get(cfg, "chains"), *wg = hb_params_get(cfg, "wg"),
                   *store = hb_params_get(cfg, "store");
    if (!pat || !vec || !ch || !wg || !store)
        return hb_fail(err, HB_EFAIL, "roofline: incomplete configuration");
    int block = !strcmp(hb_param_text(cfg, pat), "block"), nt = !strcmp(hb_param_text(cfg, store), "nontemporal");
    char opts[128];
    snprintf(opts, sizeof opts, "-DHB_F64=%d -DVW=%d -DCH=%d -DBLOCK=%d -DHB_NT=%d", ctx->dtype == HB_F64,
             (int)vec->num, (int)ch->num, block, nt);
    cl_program p;
    int rc = hb_cl_program(ctx->env, "roofline.cl", opts, &p, err);
    if (rc)
        return rc; /* HB_BENCH_SKIP where the compiler rejects the variant */
    if (st->kernel)
        clReleaseKernel(st->kernel);
    st->kernel = NULL;
    if (hb_cl_kernel(p, "roofline", &st->kernel, err) || set_args(ctx, ctx->data, st, err))
        return HB_EFAIL;
    st->local = (size_t)wg->num;
    size_t units = ctx->dev->compute_units ? ctx->dev->compute_units : 1;
    /* CPU blocks: 4 work-groups per unit balance the load; GPU grid: enough
     * groups to fill the device, each work-item looping a few times. */
    st->global = block ? units * 4 * st->local : units * 64 * st->local;
    return HB_OK;
}

static int roof_launch(hb_bench_ctx *ctx, int slot, hb_err *err)
{
    cl_roof_state *st = ctx->state;
    return hb_cl_launch(ctx->env, st->kernel, 1, &st->global, &st->local, slot, "roofline", err);
}

static void roof_teardown(hb_bench_ctx *ctx)
{
    cl_roof_state *st = ctx->state;
    if (st && st->kernel)
        clReleaseKernel(st->kernel);
    free(st);
    ctx->state = NULL;
}

const hb_kernels hb_cl_roofline_kernels = {
    .family = "roofline", .implementation = "hbmbench", .dtypes = HB_DTYPE_BIT(HB_F32) | HB_DTYPE_BIT(HB_F64),
    .configs = roof_configs, .prepare = roof_prepare, .launch = roof_launch, .teardown = roof_teardown,
};
