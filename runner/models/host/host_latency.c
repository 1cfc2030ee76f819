/* SPDX-License-Identifier: Apache-2.0 */
/* host_latency: the latency family on the host model: thread 0 of the
 * pinned team chases the cycle (kernels/host/host_latency_kernel.c), each
 * iteration from where the one before ended (benches/latency.h). Thread 0
 * is pinned to one PU of the device's first core, so the chase runs where
 * one core's L1d and L2 (the device's core caches) are its caches.
 *
 * Timed on that thread around the chase alone, not around the team's task
 * as host_stream.c's kernels are: handing the task to a waiting worker
 * costs microseconds, 5-10 % of an iteration at L1 speed (131072 loads x
 * ~1.5 ns = 0.2 ms) and none of a load's latency. */
#include <stdlib.h>

#include "hb_clock.h"
#include "host_env.h"
#include "host_latency_kernel.h"
#include "latency.h"

typedef struct chase_task {
    const uint32_t *next;
    uint32_t start, end;
    uint64_t loads;
    double seconds;            /* the chase's own time */
} chase_task;

static void run_chase(void *arg, int t, int n)
{
    (void)t, (void)n; /* one thread */
    chase_task *c = arg;
    double t0 = hb_now_s();
    c->end = hb_hl_chase(c->next, c->start, c->loads);
    c->seconds = hb_now_s() - t0;
}

/* The chase's one configuration, and the device's scope as the host's
 * stream results record it (machine, or one NUMA node). */
static int lat_configs(const hb_bench_ctx *ctx, hb_params *out, int max)
{
    int n = hb_latency_configs(ctx, out, max);
    if (n)
        hb_params_set_text(&out[0], "scope", ctx->dev->scope);
    return n;
}

static int lat_prepare(hb_bench_ctx *ctx, const hb_params *cfg, hb_err *err)
{
    (void)ctx, (void)cfg, (void)err;
    return HB_OK;
}

/* The end index goes to the output buffer after the timed task, as a
 * device kernel's store would; the store is not timed. */
static int lat_launch(hb_bench_ctx *ctx, int slot, hb_err *err)
{
    hb_latency_data *d = ctx->data;
    hb_host_env *env = ctx->env;
    chase_task c = {.next = hb_host_ptr(&d->next), .loads = d->loads};
    c.start = hb_latency_next_start(ctx);
    if (hb_team_run(env->team, 1, run_chase, &c, NULL, err))
        return HB_EFAIL;
    *(uint32_t *)hb_host_ptr(&d->out) = c.end;
    if (slot >= 0 && slot < env->n_seconds)
        env->seconds[slot] = c.seconds;
    return HB_OK;
}

static void lat_teardown(hb_bench_ctx *ctx)
{
    ctx->state = NULL;
}

/* Untyped, as the bench (benches/latency.c). */
const hb_kernels hb_host_latency_kernels = {
    .family = "latency", .implementation = "hbmbench", .dtypes = 0, .configs = lat_configs,
    .prepare = lat_prepare, .launch = lat_launch, .teardown = lat_teardown,
};
