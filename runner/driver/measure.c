/* SPDX-License-Identifier: Apache-2.0 */
/* measure: the one driver of every measurement (measure.h states its
 * conventions). */
#include "measure.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "concurrent.h"
#include "hb_signal.h"
#include "nvml_state.h"
#include "point.h"
#include "progress.h"
#include "search.h"
#include "winners.h"

/* A configuration that computes wrong results is a fault of the kernel or
 * the driver even when another one wins: the run says so and exits 1. */
static void note_tuning_failures(hb_result *r)
{
    for (size_t i = 0; r->tuning_failures && i < r->n_grid; i++)
        if (r->grid[i].failed_verification) {
            hb_result_note(r, "%d tuning configuration%s failed verification (first: %s); the figures are from "
                              "one that verified",
                           r->tuning_failures, r->tuning_failures == 1 ? "" : "s", r->grid[i].note);
            return;
        }
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

/* The final measurement of cfg into r; an invalid one says why in r's
 * notes and in invalid (len bytes). */
static int final_measure(hb_bench_ctx *ctx, const hb_measure_opts *o, const hb_params *cfg, hb_result *r,
                         char *invalid, size_t len, hb_err *err)
{
    r->samples_s = malloc((size_t)o->iters * sizeof *r->samples_s);
    if (!r->samples_s)
        return hb_fail(err, HB_EFAIL, "out of memory");
    r->config = *cfg;
    hb_progress_step(o->progress, 0, "measuring %s %s %s: %d iterations", ctx->bench->name, hb_point_dtype(ctx),
                     ctx->problem.label, o->iters);
    hb_err local = {0};
    int rc = hb_point_prepare(ctx, cfg, 1, &r->time, &local);
    if (rc == HB_BENCH_SKIP) {
        r->valid = 0;
        snprintf(invalid, len, "%s", local.msg);
        hb_result_note(r, "default configuration cannot run: %s", local.msg);
        return HB_OK;
    }
    double wall = NAN;
    char why[512];
    if (!rc)
        rc = hb_point_batch(ctx, o->warmup, o->iters, r->samples_s, &wall, o, r, &r->time, &local);
    if (rc || hb_point_verify(ctx, &r->valid, why, sizeof why, &r->time, &local)) {
        *err = local;
        return rc == HB_STOPPED ? HB_STOPPED : HB_EFAIL;
    }
    r->n_samples = (size_t)o->iters;
    r->wall_s_per_iter = wall / o->iters;
    if (!r->valid) {
        snprintf(invalid, len, "%s", why);
        hb_result_note(r, "%s", why);
    }
    if (o->probe) {
        hb_telemetry *tel = &r->telemetry;
        tel->present = 1;
        hb_gpu_window_end(o->probe, tel);
        hb_gpu_judge(tel, why, sizeof why);
        if (why[0])
            hb_result_note(r, "GPU state during the timed iterations: %s", why);
    }
    return HB_OK;
}

/* The final measurement of the winner should agree with what tuning saw of
 * it; when it does not, the machine changed speed in between (or the
 * short tuning batches are unreliable here), and the reader should know. */
static void note_discrepancy(const hb_bench_ctx *ctx, hb_result *r, const hb_grid_point *winner)
{
    double tuned = isnan(winner->confirm_gbs) ? winner->best_gbs : winner->confirm_gbs;
    if (!r->valid || !r->n_samples || !(tuned > 0))
        return;
    hb_stats st = hb_stats_of(r->samples_s, r->n_samples);
    /* The grid keeps GB/s for every bench; both are quoted in the result's
     * own figure, from the time each stands for. */
    const hb_figure *fig = hb_figure_of(hb_bench_figure(ctx->bench), r);
    double count = hb_result_count_for(r, fig), tuned_s = ctx->bytes_per_iter / (tuned * 1e9);
    double final = hb_figure_value(fig, count, st.min), at_tuning = hb_figure_value(fig, count, tuned_s);
    double off = tuned_s / st.min - 1; /* > 0: the final run was faster */
    if (fabs(off) > 0.10)
        hb_result_note(r, "the final best (%.4g %s) differs from the tuning figure of the same configuration "
                          "(%.4g %s) by %+.0f%% in speed: the machine's speed changed during the run", final,
                       fig->unit, at_tuning, fig->unit, 100 * off);
}

static void describe(const hb_bench_ctx *ctx, hb_result *r)
{
    const hb_problem *p = &ctx->problem;
    const hb_kernels *k = ctx->kernels;
    snprintf(r->bench, sizeof r->bench, "%s", ctx->bench->name);
    snprintf(r->family, sizeof r->family, "%s", k->result_family ? k->result_family : ctx->bench->family->name);
    snprintf(r->implementation, sizeof r->implementation, "%s", k->implementation);
    snprintf(r->model, sizeof r->model, "%s", ctx->model->name);
    snprintf(r->dtype, sizeof r->dtype, "%s", ctx->bench->dtypes ? hb_dtype_name(ctx->dtype) : "");
    snprintf(r->device, sizeof r->device, "%s", ctx->dev->name);
    snprintf(r->pci_bus_id, sizeof r->pci_bus_id, "%s", ctx->dev->pci_bus_id);
    snprintf(r->timer, sizeof r->timer, "%s", k->timer ? k->timer : ctx->model->timer);
    r->device_index = ctx->dev->index;
    r->elements = p->elements;
    snprintf(r->problem, sizeof r->problem, "%s", p->label);
    r->m = p->dims & HB_DIM_M ? (int64_t)p->m : -1;
    r->n = p->dims & HB_DIM_N ? (int64_t)p->n : -1;
    r->k = p->dims & HB_DIM_K ? (int64_t)p->k : -1;
}

/* What the bench's set-up said about its data: into the result's config,
 * after the configuration, and its notes. */
static void record_facts(const hb_bench_ctx *ctx, hb_result *r)
{
    if (hb_params_merge(&r->config, &ctx->facts))
        hb_result_note(r, "a fact of the set-up did not fit in the configuration (%d keys, %d bytes of text)",
                       HB_MAX_PARAMS, HB_PARAMS_TEXT_BYTES);
    if (ctx->note[0])
        hb_result_note(r, "%s", ctx->note);
}

/* A copy in both directions at once is judged against the link's both
 * directions (PCIe is full duplex: the peak is per direction). */
static void finish_link(const hb_bench_ctx *ctx, hb_result *r)
{
    hb_peak_value link = ctx->dev->peaks.link_gbs;
    int dirs = ctx->bench->directions > 1 ? ctx->bench->directions : 1;
    if (dirs > 1 && !isnan(link.value)) {
        link.value *= dirs;
        size_t used = strlen(link.detail);
        snprintf(link.detail + used, sizeof link.detail - used, " (x%d: both directions)", dirs);
    }
    hb_result_finish_link(r, &link);
}

/* Set-up of the bench's data, and tear-down of both the kernels' state
 * and the data; the time goes to ts->setup_s. */
static int setup(hb_bench_ctx *ctx, hb_time_split *ts, hb_err *err)
{
    double t0 = hb_now_s();
    int rc = ctx->bench->setup(ctx, err);
    ts->setup_s += hb_now_s() - t0;
    return rc;
}

static void teardown(hb_bench_ctx *ctx, hb_time_split *ts)
{
    double t0 = hb_now_s();
    if (ctx->kernels->teardown)
        ctx->kernels->teardown(ctx);
    ctx->bench->teardown(ctx);
    ts->setup_s += hb_now_s() - t0;
}

/* What one iteration moves and computes, as the set-up made it. */
static void record_sizes(const hb_bench_ctx *ctx, hb_result *r)
{
    r->bytes_per_iter = ctx->bytes_per_iter;
    r->flops_per_iter = ctx->flops_per_iter;
    r->ops_per_iter = ctx->ops_per_iter;
}

/* Tunes on the bench's representative problem instead of ctx's (own set-up
 * and tear-down); *best indexes cfgs. */
static int tune_elsewhere(const hb_bench_ctx *ctx, const hb_problem *tp, const hb_measure_opts *o,
                          const hb_winner_key *wk, hb_params *cfgs, int n, hb_result *r, int *best, hb_err *err)
{
    hb_bench_ctx t = *ctx;
    t.problem = *tp;
    t.elements = tp->elements;
    t.data = t.state = NULL;
    int rc = setup(&t, &r->time, err);
    if (!rc)
        rc = hb_search(&t, o, cfgs, n, r, best, err);
    if (!rc && *best >= 0)
        hb_winner_store(wk, &cfgs[*best], o->progress);
    teardown(&t, &r->time);
    return rc;
}

/* The cached winner is measured at once, and its final measurement is its
 * check (poisoned outputs, then verified, as every final measurement): one
 * that cannot run here, fails verification or fails the device is removed
 * from the cache (winners.h), its attempt taken out of r (the time it took
 * stays in r->time), and the grid searched again. A wrong output counts as
 * a tuning configuration that failed verification (the run exits 1, as for
 * one found in a search). *kept: it passed, and r is its result. */
static int measure_cached(hb_bench_ctx *ctx, const hb_measure_opts *o, const hb_winner_key *wk,
                          const hb_params *cfg, hb_result *r, int *kept, hb_err *err)
{
    char c[512], what[1100] = "it failed";
    hb_result attempt = *r; /* r as it was, unless the attempt passes */
    int rc = final_measure(ctx, o, cfg, &attempt, what, sizeof what, err);
    *kept = !rc && attempt.valid;
    if (rc == HB_STOPPED || *kept) {
        *r = attempt;
        return rc;
    }
    if (rc)
        snprintf(what, sizeof what, "%s", err->msg);
    r->time = attempt.time;
    r->tuning_failures += !rc && attempt.n_samples > 0; /* it ran, and its output was wrong */
    free(attempt.samples_s);
    *err = (hb_err){0};
    hb_params_format(cfg, c, sizeof c);
    hb_winner_discard(wk, c, what, o->progress);
    hb_result_note(r, "the cached tuning winner (%s) failed here (%s): removed from the tuning cache, searched again",
                   c, what);
    return HB_OK;
}

/* The measurement's first progress line: a library's row, a cached
 * winner, tuning (elsewhere: on another problem; hb_search() says the rest) or
 * one configuration. */
static void announce(const hb_bench_ctx *ctx, const hb_measure_opts *o, int n, int cached, const hb_problem *tp)
{
    const char *impl = ctx->kernels->implementation, *bench = ctx->bench->name, *dt = hb_point_dtype(ctx);
    const char *label = ctx->problem.label;
    if (strcmp(impl, "hbmbench"))
        hb_progress_step(o->progress, 1, "reference run: %s %s %s with %s (a library: its first call may build "
                         "and tune its own kernels)", bench, dt, label, impl);
    else if (cached)
        hb_progress_step(o->progress, 1, "measuring %s %s %s (the configuration cached by an earlier run)", bench,
                         dt, label);
    else if (tp)
        hb_progress_step(o->progress, 1, "%s %s %s: tuned at %s first", bench, dt, label, tp->label);
    else if (n <= 1)
        hb_progress_step(o->progress, 1, "measuring %s %s %s (one configuration)", bench, dt, label);
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
    hb_params_clear(&ctx.facts);
    ctx.note[0] = '\0';
    const hb_bench *bench = ctx.bench;
    double t_start = hb_now_s(), t_tune;
    r->time = (hb_time_split){0};
    describe(&ctx, r);
    /* what the result is, even if it fails before it is measured; its values follow at the end */
    hb_result_set_figure(r, hb_bench_figure(bench));
    hb_params *cfgs = calloc(HB_MAX_CONFIGS, sizeof *cfgs);
    if (!cfgs)
        return hb_fail(err, HB_EFAIL, "out of memory");
    int n = ctx.kernels->configs(&ctx, cfgs, HB_MAX_CONFIGS);
    /* --concurrent: the configuration this device's solo run chose, so the
     * devices are not tuned while the others run (concurrent.h). */
    const hb_result *solo = o->sync ? hb_sync_solo(o->sync, &ctx, o->problem_index) : NULL;
    if (solo && solo->config.n) {
        cfgs[0] = solo->config;
        n = 1;
    }
    r->solo_gbs = solo ? solo->bw_best_gbs : NAN;
    hb_problem tp = *problem;
    int elsewhere = n > 1 && bench->tune_problem && bench->tune_problem(&ctx, &tp) &&
                    strcmp(tp.label, problem->label) != 0;
    /* A winner of an earlier run, if it is a point of this grid, is
     * measured at once (measure_cached; winners.h). Not in a concurrent
     * step, which has one final measurement per device to keep in step:
     * a device whose solo run found no winner searches. */
    hb_winner_key wk = {.path = ""}; /* no path: nothing cached or stored (one configuration) */
    if (n > 1)
        hb_winner_key_of(&ctx, tp.label, cfgs, n, &wk);
    char why[1536] = "";
    int cached = n > 1 && !o->retune && !o->sync ? hb_winner_find(&wk, cfgs, n, o->progress, why, sizeof why) : -1;
    if (why[0])
        hb_result_note(r, "%s", why);
    int best = 0, rc = HB_OK, kept = 0;
    if (cached >= 0) {
        announce(&ctx, o, 1, 1, NULL);
        hb_params winner = cfgs[cached];
        hb_params_set_text(&winner, "tuning", "cache");
        hb_params_set_text(&winner, "tuned_at", tp.label);
        rc = setup(&ctx, &r->time, err);
        record_sizes(&ctx, r);
        if (!rc)
            rc = measure_cached(&ctx, o, &wk, &winner, r, &kept, err);
        if (!rc && !kept) {
            teardown(&ctx, &r->time); /* searched below as if nothing were cached */
            ctx.data = ctx.state = NULL;
        }
    }
    if (!rc && !kept) {
        announce(&ctx, o, n, 0, elsewhere ? &tp : NULL);
        t_tune = hb_now_s();
        if (elsewhere)
            rc = tune_elsewhere(&ctx, &tp, o, &wk, cfgs, n, r, &best, err);
        r->time.tuning_s += hb_now_s() - t_tune;
        if (!rc)
            rc = setup(&ctx, &r->time, err);
        record_sizes(&ctx, r);
    }
    if (!rc && !kept && n > 1 && !elsewhere) {
        t_tune = hb_now_s();
        rc = hb_search(&ctx, o, cfgs, n, r, &best, err);
        if (!rc && best >= 0)
            rc = hb_search_confirm(&ctx, o, r, &best, err);
        if (!rc && best >= 0)
            hb_winner_store(&wk, &cfgs[best], o->progress);
        r->time.tuning_s += hb_now_s() - t_tune;
    }
    if (!rc && best < 0) {
        r->valid = 0;
        describe_invalid(r);
    } else if (!rc && !kept) {
        note_tuning_failures(r);
        char invalid[512];
        rc = final_measure(&ctx, o, &cfgs[best], r, invalid, sizeof invalid, err);
        if (elsewhere)
            hb_params_set_text(&r->config, "tuned_at", tp.label);
        if (n > 1 && !hb_params_get(&r->config, "tuning"))
            hb_params_set_text(&r->config, "tuning", "searched");
    }
    if (!rc && !kept && !elsewhere && best >= 0 && (size_t)best < r->n_grid)
        note_discrepancy(&ctx, r, &r->grid[best]);
    record_facts(&ctx, r);
    teardown(&ctx, &r->time);
    free(cfgs);
    r->time.total_s = hb_now_s() - t_start;
    const hb_figure *fig = hb_bench_figure(bench);
    if (fig->peak == HB_BASIS_FLOPS)
        hb_result_finish_compute(r, &ctx.dev->peaks);
    else if (fig->peak == HB_BASIS_LINK)
        finish_link(&ctx, r);
    else
        hb_result_finish(r, &ctx.dev->peaks.bw_gbs);
    hb_result_set_figure(r, fig);
    return rc;
}
