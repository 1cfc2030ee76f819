/* stream: the OpenCL stream family, one descriptor per kernel
 * (copy, scale, add, triad, dot, read, write) sharing this code.
 *
 * Conventions, as in STREAM and BabelStream: bytes counted per iteration are
 * the arrays a kernel reads plus the arrays it writes (copy/scale 2, add/triad
 * 3, dot 2, read 1, write 1) times elements times element size; the extra
 * read that a write-allocate cache does is not counted. Each kernel runs in
 * isolation on freshly initialised inputs, so every iteration computes the
 * same values and the check after the timed iterations is exact
 * (benches/stream_values.h); outputs are poisoned before each configuration
 * so an element a kernel failed to write is caught. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "cl_util.h"
#include "stream_kinds.h"
#include "stream_state.h"

static int make_program(hb_bench_ctx *ctx, int nt, cl_program *p, hb_err *err)
{
    char opts[64];
    snprintf(opts, sizeof opts, "-DHB_F64=%d -DHB_NT=%d", ctx->elem_bytes == 8, nt);
    return hb_cl_program(ctx->env, "stream.cl", opts, p, err);
}

static int init_array(hb_bench_ctx *ctx, cl_mem buf, unsigned seed, hb_err *err)
{
    cl_program p;
    cl_kernel k;
    if (make_program(ctx, 0, &p, err) || hb_cl_kernel(p, "init", &k, err))
        return HB_EFAIL;
    cl_ulong n = ctx->elements;
    cl_uint s = seed;
    size_t global = 1u << 20;
    int rc = hb_cl_check(clSetKernelArg(k, 0, sizeof buf, &buf), "clSetKernelArg(init)", err) ||
             hb_cl_check(clSetKernelArg(k, 1, sizeof s, &s), "clSetKernelArg(init)", err) ||
             hb_cl_check(clSetKernelArg(k, 2, sizeof n, &n), "clSetKernelArg(init)", err) ||
             hb_cl_check(clEnqueueNDRangeKernel(ctx->env->queue, k, 1, NULL, &global, NULL, 0, NULL, NULL),
                         "clEnqueueNDRangeKernel(init)", err) ||
             hb_cl_check(clFinish(ctx->env->queue), "clFinish(init)", err);
    clReleaseKernel(k);
    return rc ? HB_EFAIL : HB_OK;
}

static int stream_setup(hb_bench_ctx *ctx, hb_err *err)
{
    hb_stream_state *st = calloc(1, sizeof *st);
    if (!st)
        return hb_fail(err, HB_EFAIL, "out of memory");
    ctx->state = st;
    st->k = hb_stream_kind_find(ctx->bench->name);
    size_t bytes = ctx->elements * ctx->elem_bytes;
    ctx->bytes_per_iter = ctx->bench->arrays_counted * (double)bytes;
    ctx->flops_per_iter = ctx->bench->flops_per_element * (double)ctx->elements;
    static const unsigned seeds[3] = {HB_SEED_A, HB_SEED_B, HB_SEED_C};
    for (int a = 0; a < 3; a++) {
        int used = (st->k->reads >> a & 1) || st->k->writes == a;
        if (!used)
            continue;
        cl_int rc;
        st->buf[a] = clCreateBuffer(ctx->env->context, CL_MEM_READ_WRITE, bytes, NULL, &rc);
        if (rc != CL_SUCCESS)
            return hb_fail(err, HB_EFAIL, "clCreateBuffer(%zu bytes): %s", bytes, hb_cl_error_name(rc));
        if ((st->k->reads >> a & 1) && init_array(ctx, st->buf[a], seeds[a], err))
            return HB_EFAIL;
    }
    return hb_stream_expect(ctx, st, err);
}

static void stream_teardown(hb_bench_ctx *ctx)
{
    hb_stream_state *st = ctx->state;
    if (!st)
        return;
    for (int a = 0; a < 3; a++)
        if (st->buf[a])
            clReleaseMemObject(st->buf[a]);
    if (st->partial)
        clReleaseMemObject(st->partial);
    if (st->kernel)
        clReleaseKernel(st->kernel);
    free(st->expected);
    free(st);
    ctx->state = NULL;
}

static size_t kernel_wg_limit(cl_kernel k, cl_device_id d)
{
    size_t lim = 0;
    if (clGetKernelWorkGroupInfo(k, d, CL_KERNEL_WORK_GROUP_SIZE, sizeof lim, &lim, NULL) != CL_SUCCESS)
        return 0;
    return lim;
}

/* Launch geometry: the grid pattern caps its groups so each work-item does a
 * few iterations (fewer partial sums for reductions); the block pattern runs
 * four groups per compute unit so every unit has work and load balances. */
static void geometry(const hb_bench_ctx *ctx, hb_stream_state *st)
{
    uint64_t nvec = ctx->elements / st->vec;
    size_t units = ctx->dev->compute_units ? ctx->dev->compute_units : 1;
    uint64_t groups;
    if (strcmp(st->pattern, "grid") == 0) {
        uint64_t cap = units * (st->k->reduction ? 64 : 512);
        groups = (nvec + st->local - 1) / st->local;
        groups = groups < cap ? groups : cap;
    } else {
        groups = units * 4;
    }
    st->groups = groups ? (size_t)groups : 1;
    st->global = st->groups * st->local;
}

static int arg(hb_stream_state *st, cl_uint i, size_t size, const void *value, hb_err *err)
{
    cl_int rc = clSetKernelArg(st->kernel, i, size, value);
    if (rc == CL_SUCCESS)
        return HB_OK;
    return hb_fail(err, HB_EFAIL, "clSetKernelArg(%s_%s_%u, %u): %s", st->k->name, st->pattern, st->vec, i,
                   hb_cl_error_name(rc));
}

static int set_args(hb_bench_ctx *ctx, hb_stream_state *st, hb_err *err)
{
    cl_ulong n = ctx->elements;
    if (st->k->reduction) {
        /* read has no second array: a NULL buffer argument is allowed (clSetKernelArg) */
        cl_mem b = st->k->kind == HB_DOT ? st->buf[1] : NULL;
        return arg(st, 0, sizeof(cl_mem), &st->buf[0], err) || arg(st, 1, sizeof(cl_mem), &b, err) ||
               arg(st, 2, sizeof(cl_mem), &st->partial, err) ||
               arg(st, 3, st->local * ctx->elem_bytes, NULL, err) || arg(st, 4, sizeof n, &n, err)
                   ? HB_EFAIL : HB_OK;
    }
    double s64 = HB_STREAM_SCALAR;
    float s32 = (float)HB_STREAM_SCALAR;
    const void *s = ctx->elem_bytes == 8 ? (const void *)&s64 : (const void *)&s32;
    return arg(st, 0, sizeof(cl_mem), &st->buf[0], err) || arg(st, 1, sizeof(cl_mem), &st->buf[1], err) ||
           arg(st, 2, sizeof(cl_mem), &st->buf[2], err) || arg(st, 3, ctx->elem_bytes, s, err) ||
           arg(st, 4, sizeof n, &n, err)
               ? HB_EFAIL : HB_OK;
}

static int poison_outputs(hb_bench_ctx *ctx, hb_stream_state *st, hb_err *err)
{
    double p64 = -1.0;
    float p32 = -1.0f;
    const void *pat = ctx->elem_bytes == 8 ? (void *)&p64 : (void *)&p32;
    cl_mem out = st->k->reduction ? st->partial : st->buf[st->k->writes];
    size_t bytes = st->k->reduction ? st->groups * ctx->elem_bytes : ctx->elements * ctx->elem_bytes;
    return hb_cl_check(clEnqueueFillBuffer(ctx->env->queue, out, pat, ctx->elem_bytes, 0, bytes, 0, NULL, NULL),
                       "clEnqueueFillBuffer(poison)", err) ||
           hb_cl_check(clFinish(ctx->env->queue), "clFinish(poison)", err) ? HB_EFAIL : HB_OK;
}

static int ensure_partial(hb_bench_ctx *ctx, hb_stream_state *st, hb_err *err)
{
    if (!st->k->reduction || st->partial_groups >= st->groups)
        return HB_OK;
    if (st->partial)
        clReleaseMemObject(st->partial);
    cl_int rc;
    st->partial = clCreateBuffer(ctx->env->context, CL_MEM_READ_WRITE, st->groups * ctx->elem_bytes, NULL, &rc);
    st->partial_groups = rc == CL_SUCCESS ? st->groups : 0;
    return hb_cl_check(rc, "clCreateBuffer(partial sums)", err);
}

static int stream_prepare(hb_bench_ctx *ctx, const hb_params *cfg, hb_err *err)
{
    hb_stream_state *st = ctx->state;
    const hb_param *pat = hb_params_get(cfg, "pattern"), *vec = hb_params_get(cfg, "vec"),
                   *wg = hb_params_get(cfg, "wg"), *store = hb_params_get(cfg, "store");
    if (!pat || !vec || !wg || !store)
        return hb_fail(err, HB_EFAIL, "stream: incomplete configuration");
    int nt = strcmp(store->text, "nontemporal") == 0;
    snprintf(st->pattern, sizeof st->pattern, "%s", pat->text);
    st->vec = (unsigned)vec->num;
    st->local = (size_t)wg->num;
    cl_program p;
    if (make_program(ctx, nt, &p, err))
        return nt ? HB_BENCH_SKIP : HB_EFAIL;
    if (st->kernel)
        clReleaseKernel(st->kernel);
    st->kernel = NULL;
    char name[64];
    snprintf(name, sizeof name, "%s_%s_%u", st->k->name, st->pattern, st->vec);
    if (hb_cl_kernel(p, name, &st->kernel, err))
        return HB_EFAIL;
    size_t lim = kernel_wg_limit(st->kernel, ctx->dev->id);
    if (st->local > lim)
        return hb_fail(err, HB_BENCH_SKIP, "work-group size %zu > CL_KERNEL_WORK_GROUP_SIZE %zu", st->local, lim);
    if (st->k->reduction && st->local * ctx->elem_bytes > ctx->dev->local_mem_bytes)
        return hb_fail(err, HB_BENCH_SKIP, "work-group size %zu needs more local memory than the device has",
                       st->local);
    geometry(ctx, st);
    if (ensure_partial(ctx, st, err) || set_args(ctx, st, err) || poison_outputs(ctx, st, err))
        return HB_EFAIL;
    return HB_OK;
}

static int stream_enqueue(hb_bench_ctx *ctx, cl_event *ev, hb_err *err)
{
    hb_stream_state *st = ctx->state;
    return hb_cl_check(clEnqueueNDRangeKernel(ctx->env->queue, st->kernel, 1, NULL, &st->global, &st->local, 0,
                                              NULL, ev), "clEnqueueNDRangeKernel", err);
}

#define STREAM_BENCH(NAME, FORMULA, ARRAYS, FLOPS)                                                  \
    const hb_bench hb_bench_##NAME = {                                                              \
        .name = #NAME, .family = "stream", .formula = FORMULA, .arrays_counted = ARRAYS,           \
        .flops_per_element = FLOPS, .dtypes = "f32,f64", .configs = hb_stream_configs,              \
        .setup = stream_setup, .prepare = stream_prepare, .enqueue = stream_enqueue,                \
        .verify = hb_stream_verify, .teardown = stream_teardown};

STREAM_BENCH(copy, "c = a", 2, 0)
STREAM_BENCH(scale, "b = s*c", 2, 1)
STREAM_BENCH(add, "c = a + b", 3, 1)
STREAM_BENCH(triad, "a = b + s*c", 3, 2)
STREAM_BENCH(dot, "sum(a*b)", 2, 2)
STREAM_BENCH(read, "sum(a)", 1, 1)
STREAM_BENCH(write, "a = s", 1, 0)
