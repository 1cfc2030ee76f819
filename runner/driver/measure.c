/* measure: the one driver of every measurement (measure.h states its
 * conventions). */
#include "measure.h"
#include "nvml_state.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_CONFIGS 128

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The GPU's state into *state when there is a probe and somewhere to keep it. */
static void sample(const hb_measure_opts *o, hb_gpu_state *state)
{
    if (o && o->probe && state)
        hb_gpu_probe_sample(o->probe, state);
}

/* Kernels that time themselves (run_timed): each iteration finishes before
 * the next starts, so the host clock around it is its time. */
static int self_timed_batch(hb_bench_ctx *ctx, int warmup, int iters, double *samples, double *wall,
                            const hb_measure_opts *o, hb_telemetry *tel, hb_err *err)
{
    double ignored;
    for (int i = 0; i < warmup; i++)
        if (ctx->kernels->run_timed(ctx, &ignored, err))
            return HB_EFAIL;
    sample(o, tel ? &tel->before : NULL);
    double t0 = now_s();
    for (int i = 0; i < iters; i++)
        if (ctx->kernels->run_timed(ctx, &samples[i], err))
            return HB_EFAIL;
    *wall = now_s() - t0;
    sample(o, tel ? &tel->after : NULL);
    return HB_OK;
}

/* Runs warm-up then `iters` timed iterations; samples[i] are the model's
 * times, *wall the host wall clock over the timed batch. With tel (the
 * final measurement) the GPU's state is sampled around the timed launches. */
static int timed_batch(hb_bench_ctx *ctx, int warmup, int iters, double *samples, double *wall,
                       const hb_measure_opts *o, hb_telemetry *tel, hb_err *err)
{
    if (ctx->kernels->run_timed)
        return self_timed_batch(ctx, warmup, iters, samples, wall, o, tel, err);
    const hb_model *m = ctx->model;
    for (int i = 0; i < warmup; i++)
        if (ctx->kernels->launch(ctx, -1, err))
            return HB_EFAIL;
    if (m->finish(ctx->env, err) || m->timer_begin(ctx->env, iters, err))
        return HB_EFAIL;
    sample(o, tel ? &tel->before : NULL);
    int rc = HB_OK;
    double t0 = now_s();
    for (int i = 0; i < iters && !rc; i++)
        rc = ctx->kernels->launch(ctx, i, err);
    if (!rc)
        rc = m->finish(ctx->env, err);
    *wall = now_s() - t0;
    sample(o, tel && !rc ? &tel->after : NULL);
    return rc ? rc : m->timer_read(ctx->env, iters, samples, err);
}

/* Makes cfg current: the kernels' set-up, then the bench poisons its outputs. */
static int prepare(hb_bench_ctx *ctx, const hb_params *cfg, hb_err *err)
{
    int rc = ctx->kernels->prepare(ctx, cfg, err);
    return rc ? rc : ctx->bench->poison(ctx, err);
}

/* Measures one configuration into a grid point. Returns HB_OK, or HB_EFAIL
 * on a device failure; a configuration the device cannot run is a point
 * with a note, not an error. */
static int run_point(hb_bench_ctx *ctx, const hb_params *cfg, int warmup, int iters, double *samples,
                     hb_grid_point *pt, hb_err *err)
{
    memset(pt, 0, sizeof *pt);
    pt->config = *cfg;
    pt->best_gbs = pt->median_gbs = pt->best_gflops = NAN;
    hb_err local = {0};
    int rc = prepare(ctx, cfg, &local);
    if (rc == HB_BENCH_SKIP) {
        snprintf(pt->note, sizeof pt->note, "skipped: %.110s", local.msg);
        return HB_OK;
    }
    double wall = NAN;
    if (rc || timed_batch(ctx, warmup, iters, samples, &wall, NULL, NULL, &local) ||
        ctx->bench->verify(ctx, &pt->valid, pt->note, sizeof pt->note, &local)) {
        *err = local;
        return HB_EFAIL;
    }
    if (pt->valid) {
        hb_stats st = hb_stats_of(samples, (size_t)iters);
        pt->best_gbs = ctx->bytes_per_iter / st.min / 1e9;
        pt->median_gbs = ctx->bytes_per_iter / st.median / 1e9;
        if (ctx->bench->basis == HB_BASIS_FLOPS)
            pt->best_gflops = ctx->flops_per_iter / st.min / 1e9;
    }
    return HB_OK;
}

/* Tries every configuration, or as many as the bench's time box allows
 * once one has verified; *best is the fastest valid one, -1 if none. */
static int tune(hb_bench_ctx *ctx, const hb_measure_opts *o, hb_params *cfgs, int n, hb_result *r, int *best,
                hb_err *err)
{
    double *samples = malloc((size_t)o->tune_iters * sizeof *samples);
    r->grid = calloc((size_t)n, sizeof *r->grid);
    if (!samples || !r->grid) {
        free(samples);
        return hb_fail(err, HB_EFAIL, "out of memory");
    }
    double budget = ctx->bench->tune_budget_s * (o->tune == 2 ? 4 : 1), t0 = now_s();
    *best = -1;
    int i = 0;
    for (; i < n; i++) {
        if (budget > 0 && *best >= 0 && now_s() - t0 > budget)
            break;
        if (o->progress)
            fprintf(stderr, "\r  tuning %s %s %s on %.40s: %d/%d   ", ctx->bench->name, hb_dtype_name(ctx->dtype),
                    ctx->problem.label, ctx->dev->name, i + 1, n);
        hb_grid_point *pt = &r->grid[r->n_grid++];
        if (run_point(ctx, &cfgs[i], 1, o->tune_iters, samples, pt, err)) {
            free(samples);
            return HB_EFAIL;
        }
        if (pt->valid && (*best < 0 || pt->best_gbs > r->grid[*best].best_gbs))
            *best = i;
    }
    if (i < n)
        hb_result_note(r, "tuning stopped after %d of %d configurations (time box %.0f s)", i, n, budget);
    if (o->progress)
        fprintf(stderr, "\r%90s\r", "");
    free(samples);
    return HB_OK;
}

static void describe_invalid(hb_result *r)
{
    for (size_t i = 0; i < r->n_grid; i++)
        if (r->grid[i].note[0]) {
            hb_result_note(r, "no configuration passed verification; first problem: %s", r->grid[i].note);
            return;
        }
    hb_result_note(r, "no configuration could run on this device");
}

static int final_measure(hb_bench_ctx *ctx, const hb_measure_opts *o, const hb_params *cfg, hb_result *r,
                         hb_err *err)
{
    r->samples_s = malloc((size_t)o->iters * sizeof *r->samples_s);
    if (!r->samples_s)
        return hb_fail(err, HB_EFAIL, "out of memory");
    r->config = *cfg;
    hb_err local = {0};
    int rc = prepare(ctx, cfg, &local);
    if (rc == HB_BENCH_SKIP) {
        r->valid = 0;
        hb_result_note(r, "default configuration cannot run: %s", local.msg);
        return HB_OK;
    }
    double wall = NAN;
    char why[512];
    hb_telemetry *tel = o->probe ? &r->telemetry : NULL;
    if (rc || timed_batch(ctx, o->warmup, o->iters, r->samples_s, &wall, o, tel, &local) ||
        ctx->bench->verify(ctx, &r->valid, why, sizeof why, &local)) {
        *err = local;
        return HB_EFAIL;
    }
    r->n_samples = (size_t)o->iters;
    r->wall_s_per_iter = wall / o->iters;
    if (!r->valid)
        hb_result_note(r, "%s", why);
    if (tel) {
        tel->present = 1;
        hb_gpu_judge(tel, why, sizeof why);
        if (why[0])
            hb_result_note(r, "GPU state during the timed iterations: %s", why);
    }
    return HB_OK;
}

static void describe(const hb_bench_ctx *ctx, hb_result *r)
{
    const hb_problem *p = &ctx->problem;
    const hb_kernels *k = ctx->kernels;
    snprintf(r->bench, sizeof r->bench, "%s", ctx->bench->name);
    snprintf(r->family, sizeof r->family, "%s", k->result_family ? k->result_family : ctx->bench->family->name);
    snprintf(r->implementation, sizeof r->implementation, "%s", k->implementation);
    snprintf(r->model, sizeof r->model, "%s", ctx->model->name);
    snprintf(r->dtype, sizeof r->dtype, "%s", hb_dtype_name(ctx->dtype));
    snprintf(r->device, sizeof r->device, "%s", ctx->dev->name);
    snprintf(r->pci_bus_id, sizeof r->pci_bus_id, "%s", ctx->dev->pci_bus_id);
    snprintf(r->timer, sizeof r->timer, "%s", k->timer ? k->timer : ctx->model->timer);
    r->device_index = ctx->dev->index;
    r->elements = p->elements;
    r->m = p->dims & HB_DIM_M ? (int64_t)p->m : -1;
    r->n = p->dims & HB_DIM_N ? (int64_t)p->n : -1;
    r->k = p->dims & HB_DIM_K ? (int64_t)p->k : -1;
}

/* Set-up of the bench's data and tear-down of both the kernels' state and the data. */
static void teardown(hb_bench_ctx *ctx)
{
    if (ctx->kernels->teardown)
        ctx->kernels->teardown(ctx);
    ctx->bench->teardown(ctx);
}

/* Tunes on the bench's representative problem instead of ctx's (own set-up
 * and tear-down); *best indexes cfgs. */
static int tune_elsewhere(const hb_bench_ctx *ctx, const hb_problem *tp, const hb_measure_opts *o, hb_params *cfgs,
                          int n, hb_result *r, int *best, hb_err *err)
{
    hb_bench_ctx t = *ctx;
    t.problem = *tp;
    t.elements = tp->elements;
    t.data = t.state = NULL;
    int rc = ctx->bench->setup(&t, err);
    if (!rc)
        rc = tune(&t, o, cfgs, n, r, best, err);
    if (!rc && *best >= 0 && ctx->kernels->tuned)
        ctx->kernels->tuned(&t, &cfgs[*best]);
    teardown(&t);
    return rc;
}

int hb_measure(const hb_bench_ctx *base, const hb_problem *problem, const hb_measure_opts *o, hb_result *r,
               hb_err *err)
{
    hb_bench_ctx ctx = *base;
    ctx.elem_bytes = hb_dtype_bytes(ctx.dtype);
    ctx.elements = problem->elements;
    ctx.problem = *problem;
    ctx.tune = o->tune;
    ctx.data = ctx.state = NULL;
    const hb_bench *bench = ctx.bench;
    describe(&ctx, r);
    hb_params *cfgs = malloc(MAX_CONFIGS * sizeof *cfgs);
    if (!cfgs)
        return hb_fail(err, HB_EFAIL, "out of memory");
    int n = ctx.kernels->configs(&ctx, cfgs, MAX_CONFIGS);
    hb_problem tp;
    int elsewhere = n > 1 && bench->tune_problem && bench->tune_problem(&ctx, &tp) &&
                    strcmp(tp.label, problem->label) != 0;
    int best = 0, rc = HB_OK;
    if (elsewhere)
        rc = tune_elsewhere(&ctx, &tp, o, cfgs, n, r, &best, err);
    if (!rc)
        rc = bench->setup(&ctx, err);
    r->bytes_per_iter = ctx.bytes_per_iter;
    r->flops_per_iter = ctx.flops_per_iter;
    if (!rc && n > 1 && !elsewhere) {
        rc = tune(&ctx, o, cfgs, n, r, &best, err);
        if (!rc && best >= 0 && ctx.kernels->tuned)
            ctx.kernels->tuned(&ctx, &cfgs[best]);
    }
    if (!rc && best < 0) {
        r->valid = 0;
        describe_invalid(r);
    } else if (!rc) {
        rc = final_measure(&ctx, o, &cfgs[best], r, err);
        if (elsewhere)
            hb_params_set_text(&r->config, "tuned_at", tp.label);
    }
    teardown(&ctx);
    free(cfgs);
    if (bench->basis == HB_BASIS_FLOPS)
        hb_result_finish_compute(r, &ctx.dev->peaks);
    else
        hb_result_finish(r, &ctx.dev->peaks.bw_gbs);
    return rc;
}
