/* SPDX-License-Identifier: Apache-2.0 */
/* search: the tuning sweep and its confirmation rounds (search.h). */
#include "search.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "point.h"
#include "progress.h"

int hb_search(hb_bench_ctx *ctx, const hb_measure_opts *o, hb_params *cfgs, int n, hb_result *r, int *best,
              hb_err *err)
{
    double *samples = malloc((size_t)o->tune_iters * sizeof *samples);
    r->grid = calloc((size_t)n, sizeof *r->grid);
    if (!samples || !r->grid) {
        free(samples);
        return hb_fail(err, HB_EFAIL, "out of memory");
    }
    double budget = ctx->bench->tune_budget_s * (o->tune == 2 ? 4 : 1), t0 = hb_now_s();
    char what[128], box[48] = "";
    snprintf(what, sizeof what, "%s %s %s", ctx->bench->name, hb_point_dtype(ctx), ctx->problem.label);
    if (budget > 0)
        snprintf(box, sizeof box, ", time box %.0f s", budget);
    hb_progress_step(o->progress, 1, "tuning %s (%d configurations%s)", what, n, box);
    *best = -1;
    int i = 0;
    for (; i < n; i++) {
        if (budget > 0 && *best >= 0 && hb_now_s() - t0 > budget)
            break;
        hb_progress_step(o->progress, 0, "tuning %s: configuration %d of %d%s", what, i + 1, n, box);
        hb_grid_point *pt = &r->grid[r->n_grid++];
        int rc = hb_stopped(err);
        if (!rc)
            rc = hb_point_run(ctx, &cfgs[i], 1, o->tune_iters, 1, samples, pt, &r->time, err);
        if (rc) {
            free(samples);
            return rc;
        }
        if (pt->valid && (*best < 0 || pt->best_gbs > r->grid[*best].best_gbs))
            *best = i;
        r->tuning_failures += pt->failed_verification;
    }
    if (i < n) {
        hb_result_note(r, "tuning stopped after %d of %d configurations (time box %.0f s)", i, n, budget);
        hb_progress_step(o->progress, 1, "tuning %s: the time box (%.0f s) ended it after %d of %d configurations",
                         what, budget, i, n);
    }
    free(samples);
    return HB_OK;
}

static int by_best_desc(const void *a, const void *b)
{
    const hb_grid_point *x = *(hb_grid_point *const *)a, *y = *(hb_grid_point *const *)b;
    return (y->best_gbs > x->best_gbs) - (y->best_gbs < x->best_gbs);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* One short batch can catch a fast or a slow moment of a shared machine,
 * and the grid's order decides which point sees which moment. So the best
 * few points and the grid's first are measured again, alternately (A B C A
 * B C ...), and their medians over those rounds decide; every candidate has
 * then seen the same stretch of time. The rounds are timed only (each
 * candidate verified in the grid, the winner again at the end). A
 * candidate whose median is within CONFIRM_TIE of the fastest median, or
 * not below the fastest's slowest round (the machine's own noise), is a
 * tie with it, and the tie goes to the one earliest in the grid (the grids
 * list their conventional points first): repeated runs then choose the
 * same configuration instead of following the noise. */
#define CONFIRM_TOP 3
#define CONFIRM_ROUNDS 5
#define CONFIRM_TIE 0.03
int hb_search_confirm(hb_bench_ctx *ctx, const hb_measure_opts *o, hb_result *r, int *best, hb_err *err)
{
    hb_grid_point *top[CONFIRM_TOP + 1], *sorted[HB_MAX_CONFIGS];
    size_t n = 0;
    for (size_t i = 0; i < r->n_grid && n < HB_MAX_CONFIGS; i++)
        if (r->grid[i].valid)
            sorted[n++] = &r->grid[i];
    if (n < 2)
        return HB_OK;
    qsort(sorted, n, sizeof *sorted, by_best_desc);
    int k = n < CONFIRM_TOP ? (int)n : CONFIRM_TOP;
    memcpy(top, sorted, (size_t)k * sizeof *top);
    /* the grid's first (conventional) point always competes, so that one
     * noisy tuning batch cannot keep it out of the tie-break */
    int has_first = !r->grid[0].valid;
    for (int c = 0; c < k; c++)
        has_first |= top[c] == &r->grid[0];
    if (!has_first)
        top[k++] = &r->grid[0];
    hb_progress_step(o->progress, 0, "tuning %s %s %s: the best %d measured again, %d rounds", ctx->bench->name,
                     hb_point_dtype(ctx), ctx->problem.label, k, CONFIRM_ROUNDS);
    double rounds[CONFIRM_TOP + 1][CONFIRM_ROUNDS], *samples = malloc((size_t)o->tune_iters * sizeof *samples);
    if (!samples)
        return hb_fail(err, HB_EFAIL, "out of memory");
    int rc = HB_OK;
    for (int round = 0; round < CONFIRM_ROUNDS && !rc; round++)
        for (int c = 0; c < k && !rc; c++) {
            hb_grid_point pt;
            rc = hb_point_run(ctx, &top[c]->config, 1, o->tune_iters, 0, samples, &pt, &r->time, err);
            rounds[c][round] = pt.valid ? pt.best_gbs : 0.0; /* a point that failed now cannot win */
        }
    free(samples);
    if (rc)
        return rc;
    int f = 0;
    for (int c = 0; c < k; c++) {
        qsort(rounds[c], CONFIRM_ROUNDS, sizeof rounds[c][0], cmp_double);
        top[c]->confirm_gbs = rounds[c][CONFIRM_ROUNDS / 2];
        f = top[c]->confirm_gbs > top[f]->confirm_gbs ? c : f;
    }
    double fastest = top[f]->confirm_gbs, slowest_round = rounds[f][0];
    if (!(fastest > 0))
        return HB_OK; /* every candidate failed now: keep the tuning winner */
    double tie = slowest_round < (1 - CONFIRM_TIE) * fastest ? slowest_round : (1 - CONFIRM_TIE) * fastest;
    *best = -1;
    for (int c = 0; c < k; c++) {
        int i = (int)(top[c] - r->grid);
        if (top[c]->confirm_gbs >= tie && (*best < 0 || i < *best))
            *best = i;
    }
    return HB_OK;
}
