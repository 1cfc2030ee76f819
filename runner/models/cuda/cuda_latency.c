/* SPDX-License-Identifier: Apache-2.0 */
/* cuda_latency: the latency family on a CUDA GPU (kernels/cuda/latency.cu):
 * one thread, <<<1, 1>>>, chases the cycle, each launch from where the one
 * before ended (benches/latency.h), timed by the CUDA events around it. One
 * configuration: a chase is one thread by definition. */
#include <stdlib.h>

#include "cuda_kernels.h"
#include "latency.h"

typedef struct cu_latency_state {
    hb_cu_function f;
    hb_cu_dptr next, out;
    uint32_t start;
    uint64_t loads;
    void *params[4];
} cu_latency_state;

static int lat_prepare(hb_bench_ctx *ctx, const hb_params *cfg, hb_err *err)
{
    (void)cfg;
    const hb_latency_data *d = ctx->data;
    cu_latency_state *st = ctx->state;
    if (!st && !(st = ctx->state = calloc(1, sizeof *st)))
        return hb_fail(err, HB_EFAIL, "out of memory");
    if (hb_cu_function_of(ctx->env, "latency.cu", "", "latency", &st->f, err))
        return HB_EFAIL;
    st->next = hb_cu_ptr(&d->next);
    st->out = hb_cu_ptr(&d->out);
    st->loads = d->loads;
    /* cuLaunchKernel reads each argument through its pointer at the call */
    st->params[0] = &st->next;
    st->params[1] = &st->out;
    st->params[2] = &st->start;
    st->params[3] = &st->loads;
    return HB_OK;
}

static int lat_launch(hb_bench_ctx *ctx, int slot, hb_err *err)
{
    cu_latency_state *st = ctx->state;
    st->start = hb_latency_next_start(ctx);
    return hb_cu_launch(ctx->env, st->f, 1, 1, st->params, slot, "latency", err);
}

static void lat_teardown(hb_bench_ctx *ctx)
{
    free(ctx->state);
    ctx->state = NULL;
}

/* Untyped, as the bench (benches/latency.c). */
const hb_kernels hb_cu_latency_kernels = {
    .family = "latency", .implementation = "hbmbench", .dtypes = 0, .configs = hb_latency_configs,
    .prepare = lat_prepare, .launch = lat_launch, .teardown = lat_teardown,
};
