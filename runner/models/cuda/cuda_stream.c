/* SPDX-License-Identifier: Apache-2.0 */
/* cuda_stream: the stream family on a CUDA GPU (kernels/cuda/stream.cu):
 * for a configuration (block size, vector width, vectors per thread,
 * grid-stride or one pass, and for the reductions partial sums or
 * atomics) it compiles the module, sizes the grid from the SM count and
 * the kernel's occupancy, packs the arguments, and for the reductions owns
 * the buffer of partial sums that benches/stream_verify.c adds up. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cuda_kernels.h"
#include "stream.h"

typedef struct cu_stream_state {
    hb_cu_function f;
    hb_cu_stream_cfg cfg;
    uint64_t blocks;
    hb_cu_stream_args args;
    void *params[8];
} cu_stream_state;

static int stream_configs(const hb_bench_ctx *ctx, hb_params *out, int max)
{
    int reduction = hb_stream_fact_of(ctx->bench)->reduction;
    hb_cu_stream_cfg cfgs[128];
    int n = hb_cu_stream_grid(reduction, ctx->dtype == HB_F64, ctx->tune, cfgs, max < 128 ? max : 128);
    for (int i = 0; i < n; i++)
        hb_cu_cfg_put(&cfgs[i], reduction, &out[i]);
    return n;
}

/* Geometry: HB_BENCH_SKIP (with why) when the device cannot run cfg. */
static int geometry(hb_bench_ctx *ctx, cu_stream_state *st, hb_err *err)
{
    hb_cu_env *env = ctx->env;
    const hb_cu_stream_cfg *c = &st->cfg;
    int per_sm = hb_cu_blocks_per_sm(env, st->f, c->block);
    if (per_sm <= 0)
        return hb_fail(err, HB_BENCH_SKIP, "blocks of %d threads do not fit an SM of %s", c->block, ctx->dev->name);
    st->blocks = hb_cu_grid_blocks(&env->limits, c, per_sm, ctx->elements);
    if (st->blocks == 0)
        return hb_fail(err, HB_BENCH_SKIP, "one pass over %llu elements needs more than %u blocks",
                       (unsigned long long)ctx->elements, env->limits.max_grid_x);
    return HB_OK;
}

static int stream_prepare(hb_bench_ctx *ctx, const hb_params *cfg, hb_err *err)
{
    hb_stream_data *d = ctx->data;
    hb_cu_env *env = ctx->env;
    cu_stream_state *st = ctx->state;
    int f64 = ctx->dtype == HB_F64, red = d->f->reduction;
    if (!st && !(st = ctx->state = calloc(1, sizeof *st)))
        return hb_fail(err, HB_EFAIL, "out of memory");
    if (hb_cu_cfg_get(cfg, red, &st->cfg))
        return hb_fail(err, HB_EFAIL, "stream: incomplete or unknown configuration");
    if (f64 && st->cfg.vec > 2)
        return hb_fail(err, HB_BENCH_SKIP, "no double vector of %d", st->cfg.vec);
    if (st->cfg.block > env->limits.max_threads_per_block)
        return hb_fail(err, HB_BENCH_SKIP, "block of %d threads > the device's %d", st->cfg.block,
                       env->limits.max_threads_per_block);
    /* atomicAdd on double needs compute capability 6.0 (CUDA C++
     * Programming Guide, "Atomic Functions", atomicAdd) */
    if (st->cfg.atomic && f64 && env->limits.cc_major < 6)
        return hb_fail(err, HB_BENCH_SKIP, "atomicAdd(double) needs compute capability 6.0");
    char defines[128];
    hb_cu_cfg_defines(&st->cfg, f64, defines, sizeof defines);
    int rc = hb_cu_function_of(env, "stream.cu", defines, d->f->name, &st->f, err);
    if (!rc)
        rc = geometry(ctx, st, err);
    if (rc)
        return rc;
    st->args = (hb_cu_stream_args){.a = d->buf[0].handle, .b = d->buf[1].handle, .c = d->buf[2].handle,
                                   .s32 = (float)HB_STREAM_SCALAR, .s64 = HB_STREAM_SCALAR, .n = ctx->elements};
    if (red) {
        if (!hb_stream_partials(ctx, st->cfg.atomic ? 1 : (size_t)st->blocks, err))
            return HB_EFAIL;
        st->args.c = d->partial->handle;
        d->chain = hb_cu_chain(&st->cfg, ctx->elements, st->blocks, d->f->kind == HB_DOT);
    }
    hb_cu_pack_args(&st->args, red, f64, st->params);
    return HB_OK;
}

/* With atomics the one sum starts at zero for every launch; the memset is
 * queued before the slot's start event, so it is not timed. */
static int stream_launch(hb_bench_ctx *ctx, int slot, hb_err *err)
{
    cu_stream_state *st = ctx->state;
    hb_cu_env *env = ctx->env;
    if (st->cfg.atomic &&
        hb_cu_check(&env->cu, env->cu.memset_d32_async(hb_cu_ptr(((hb_stream_data *)ctx->data)->partial), 0, ctx->elem_bytes / 4, env->stream),
                    "cuMemsetD32Async(sum)", err))
        return HB_EFAIL;
    return hb_cu_launch(env, st->f, st->blocks, st->cfg.block, st->params, slot, ctx->bench->name, err);
}

static void stream_teardown(hb_bench_ctx *ctx)
{
    cu_stream_state *st = ctx->state;
    free(st);
    ctx->state = NULL;
}

const hb_kernels hb_cu_stream_kernels = {
    .family = "stream", .implementation = "hbmbench", .dtypes = HB_DTYPE_BIT(HB_F32) | HB_DTYPE_BIT(HB_F64),
    .configs = stream_configs, .prepare = stream_prepare, .launch = stream_launch, .teardown = stream_teardown,
};
