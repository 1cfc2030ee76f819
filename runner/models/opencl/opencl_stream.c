/* SPDX-License-Identifier: Apache-2.0 */
/* opencl_stream: the stream family on an OpenCL device (kernels/opencl/stream.cl):
 * for a configuration (pattern, vector width, work-group size, store kind,
 * and for the block pattern the streams per work-item)
 * it builds the kernel, sets its arguments and launch geometry, and for the
 * reductions asks the bench for a buffer of one partial sum per work-group. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cl_util.h"
#include "opencl_kernels.h"
#include "stream.h"

typedef struct cl_stream_state {
    cl_kernel kernel;
    char pattern[48];          /* "grid" or "block" */
    unsigned vec;
    unsigned streams;          /* parts of a block walked side by side; 1 for grid */
    size_t local, global, groups;
} cl_stream_state;

/* Launch geometry: the grid pattern caps its groups so each work-item does a
 * few iterations (fewer partial sums for reductions); the block pattern runs
 * four groups per compute unit so every unit has work and load balances. */
static void geometry(const hb_bench_ctx *ctx, const hb_stream_fact *f, cl_stream_state *st)
{
    uint64_t nvec = ctx->elements / st->vec;
    size_t units = ctx->dev->compute_units ? ctx->dev->compute_units : 1;
    uint64_t groups;
    if (strcmp(st->pattern, "grid") == 0) {
        uint64_t cap = units * (f->reduction ? 64 : 512);
        groups = (nvec + st->local - 1) / st->local;
        groups = groups < cap ? groups : cap;
    } else {
        groups = units * 4;
    }
    st->groups = groups ? (size_t)groups : 1;
    st->global = st->groups * st->local;
}

static int arg(cl_stream_state *st, const hb_stream_fact *f, cl_uint i, size_t size, const void *value, hb_err *err)
{
    cl_int rc = clSetKernelArg(st->kernel, i, size, value);
    if (rc == CL_SUCCESS)
        return HB_OK;
    return hb_fail(err, HB_EFAIL, "clSetKernelArg(%s_%s_%u, %u): %s", f->name, st->pattern, st->vec, i,
                   hb_cl_error_name(rc));
}

static int set_args(hb_bench_ctx *ctx, const hb_stream_data *d, cl_stream_state *st, hb_err *err)
{
    const hb_stream_fact *f = d->f;
    cl_ulong n = ctx->elements;
    cl_mem a = hb_cl_mem(&d->buf[0]), b = hb_cl_mem(&d->buf[1]), c = hb_cl_mem(&d->buf[2]);
    if (f->reduction) {
        /* read has no second array: a NULL buffer argument is allowed (clSetKernelArg) */
        cl_mem part = hb_cl_mem(d->partial);
        return arg(st, f, 0, sizeof(cl_mem), &a, err) || arg(st, f, 1, sizeof(cl_mem), &b, err) ||
               arg(st, f, 2, sizeof(cl_mem), &part, err) || arg(st, f, 3, st->local * ctx->elem_bytes, NULL, err) ||
               arg(st, f, 4, sizeof n, &n, err) ? HB_EFAIL : HB_OK;
    }
    double s64 = HB_STREAM_SCALAR;
    float s32 = (float)HB_STREAM_SCALAR;
    const void *s = ctx->dtype == HB_F64 ? (const void *)&s64 : (const void *)&s32;
    return arg(st, f, 0, sizeof(cl_mem), &a, err) || arg(st, f, 1, sizeof(cl_mem), &b, err) ||
           arg(st, f, 2, sizeof(cl_mem), &c, err) || arg(st, f, 3, ctx->elem_bytes, s, err) ||
           arg(st, f, 4, sizeof n, &n, err) ? HB_EFAIL : HB_OK;
}

/* The longest rounding chain of a work-group's partial sum: each work-item
 * adds its elements in two accumulators (one per stream with S > 1 streams,
 * whose left-overs, fewer than S, and the S stream sums then join one
 * accumulator), then the vector lanes and the work-group are reduced as
 * trees (stream.cl). */
static double chain_length(const hb_bench_ctx *ctx, const cl_stream_state *st)
{
    uint64_t nvec = ctx->elements / st->vec;
    double per_item = ceil((double)nvec / (double)st->global);
    double items = st->streams > 1 ? ceil(per_item / st->streams) + 2.0 * st->streams : ceil(per_item / 2);
    return items + log2(st->vec) + log2((double)st->local) + 4;
}

static int stream_prepare(hb_bench_ctx *ctx, const hb_params *cfg, hb_err *err)
{
    hb_stream_data *d = ctx->data;
    cl_stream_state *st = ctx->state;
    if (!st && !(st = ctx->state = calloc(1, sizeof *st)))
        return hb_fail(err, HB_EFAIL, "out of memory");
    const hb_param *pat = hb_params_get(cfg, "pattern"), *vec = hb_params_get(cfg, "vec"),
                   *wg = hb_params_get(cfg, "wg"), *store = hb_params_get(cfg, "store");
    if (!pat || !vec || !wg || !store)
        return hb_fail(err, HB_EFAIL, "stream: incomplete configuration");
    int nt = strcmp(hb_param_text(cfg, store), "nontemporal") == 0;
    snprintf(st->pattern, sizeof st->pattern, "%s", hb_param_text(cfg, pat));
    st->vec = (unsigned)vec->num;
    st->local = (size_t)wg->num;
    /* optional: configurations cached before streams existed have one */
    const hb_param *streams = hb_params_get(cfg, "streams");
    st->streams = streams && strcmp(st->pattern, "block") == 0 ? (unsigned)streams->num : 1;
    if (st->streams < 1 || st->streams > 64)
        return hb_fail(err, HB_EFAIL, "stream: streams=%u out of range 1-64", st->streams);
    /* streams=1 is the kernel's default: leaving it out keeps the options
     * string, and so the program built, the same as the init kernel's */
    char opts[96];
    int len = snprintf(opts, sizeof opts, "-DHB_F64=%d -DHB_NT=%d", ctx->dtype == HB_F64, nt);
    if (st->streams > 1)
        snprintf(opts + len, sizeof opts - (size_t)len, " -DHB_STREAMS=%u", st->streams);
    cl_program p;
    int rc = hb_cl_program(ctx->env, "stream.cl", opts, &p, err);
    if (rc)
        return rc; /* HB_BENCH_SKIP where the compiler rejects the variant (non-temporal stores without clang) */
    if (st->kernel)
        clReleaseKernel(st->kernel);
    st->kernel = NULL;
    char name[64];
    snprintf(name, sizeof name, "%s_%s_%u", d->f->name, st->pattern, st->vec);
    if (hb_cl_kernel(p, name, &st->kernel, err))
        return HB_EFAIL;
    size_t lim = hb_cl_kernel_wg_limit(ctx->env, st->kernel);
    if (st->local > lim)
        return hb_fail(err, HB_BENCH_SKIP, "work-group size %zu > CL_KERNEL_WORK_GROUP_SIZE %zu", st->local, lim);
    if (d->f->reduction && st->local * ctx->elem_bytes > ctx->dev->local_mem_bytes)
        return hb_fail(err, HB_BENCH_SKIP, "work-group size %zu needs more local memory than the device has",
                       st->local);
    geometry(ctx, d->f, st);
    if (d->f->reduction) {
        if (!hb_stream_partials(ctx, st->groups, err))
            return HB_EFAIL;
        d->chain = chain_length(ctx, st);
    }
    return set_args(ctx, d, st, err);
}

static int stream_launch(hb_bench_ctx *ctx, int slot, hb_err *err)
{
    cl_stream_state *st = ctx->state;
    return hb_cl_launch(ctx->env, st->kernel, 1, &st->global, &st->local, slot, "stream", err);
}

static void stream_teardown(hb_bench_ctx *ctx)
{
    cl_stream_state *st = ctx->state;
    if (!st)
        return;
    if (st->kernel)
        clReleaseKernel(st->kernel);
    free(st);
    ctx->state = NULL;
}

const hb_kernels hb_cl_stream_kernels = {
    .family = "stream", .implementation = "hbmbench", .dtypes = HB_DTYPE_BIT(HB_F32) | HB_DTYPE_BIT(HB_F64),
    .configs = hb_cl_stream_configs, .prepare = stream_prepare, .launch = stream_launch,
    .teardown = stream_teardown,
};
