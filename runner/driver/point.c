/* SPDX-License-Identifier: Apache-2.0 */
/* point: one configuration made current, timed and verified (point.h). */
#include "point.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "batch.h"
#include "fault.h"
#include "hb_signal.h"

/* The dtype as the driver's messages and the tuning cache name it; an
 * untyped bench's results have none (dtype null). */
const char *hb_point_dtype(const hb_bench_ctx *ctx)
{
    return ctx->bench->dtypes ? hb_dtype_name(ctx->dtype) : "untyped";
}

/* Makes cfg current: the kernels' set-up, then (poison 1) the bench
 * poisons its outputs; the time goes to ts->builds_s. */
int hb_point_prepare(hb_bench_ctx *ctx, const hb_params *cfg, int poison, hb_time_split *ts, hb_err *err)
{
    double t0 = hb_now_s();
    int rc = ctx->kernels->prepare(ctx, cfg, err);
    rc = rc || !poison ? rc : ctx->bench->poison(ctx, err);
    ts->builds_s += hb_now_s() - t0;
    return rc;
}

/* hb_timed_batch, its wall time in ts->batches_s and its samples' sum in
 * ts->kernels_s. */
int hb_point_batch(hb_bench_ctx *ctx, int warmup, int iters, double *samples, double *wall,
                   const hb_measure_opts *o, hb_result *r, hb_time_split *ts, hb_err *err)
{
    double t0 = hb_now_s();
    int rc = hb_timed_batch(ctx, warmup, iters, samples, wall, o, r, err);
    ts->batches_s += hb_now_s() - t0;
    for (int i = 0; !rc && i < iters; i++)
        ts->kernels_s += samples[i];
    return rc;
}

/* bench->verify, its time in ts->verify_s; HB_FAULT=verify:N (fault.h)
 * makes the N-th one a mismatch. */
int hb_point_verify(hb_bench_ctx *ctx, int *valid, char *why, size_t len, hb_time_split *ts, hb_err *err)
{
    double t0 = hb_now_s();
    int rc = ctx->bench->verify(ctx, valid, why, len, err);
    ts->verify_s += hb_now_s() - t0;
    if (!rc && hb_fault_hit(HB_FAULT_VERIFY)) {
        *valid = 0;
        snprintf(why, len, "output differs from the expected values (injected by HB_FAULT=%s)",
                 hb_fault_name(HB_FAULT_VERIFY));
    }
    return rc;
}

/* Measures one configuration into a grid point. Returns HB_OK, HB_EFAIL
 * on a device failure, or HB_STOPPED; a configuration the device cannot
 * run is a point with a note, not an error. With check 0 the outputs are
 * neither poisoned nor verified (for re-timing a point that verified
 * already: the confirmation rounds only rank). */
int hb_point_run(hb_bench_ctx *ctx, const hb_params *cfg, int warmup, int iters, int check, double *samples,
                 hb_grid_point *pt, hb_time_split *ts, hb_err *err)
{
    memset(pt, 0, sizeof *pt);
    pt->config = *cfg;
    pt->best_gbs = pt->median_gbs = pt->best_gflops = pt->confirm_gbs = NAN;
    hb_err local = {0};
    int rc = hb_point_prepare(ctx, cfg, check, ts, &local);
    if (rc == HB_BENCH_SKIP) {
        int line = (int)strcspn(local.msg, "\n"); /* the message's first line, cut to fit */
        snprintf(pt->note, sizeof pt->note, "skipped: %.*s", line < 110 ? line : 110, local.msg);
        return HB_OK;
    }
    double wall = NAN;
    if (!rc)
        rc = hb_point_batch(ctx, warmup, iters, samples, &wall, NULL, NULL, ts, &local);
    pt->valid = !check;
    if (rc || (check && hb_point_verify(ctx, &pt->valid, pt->note, sizeof pt->note, ts, &local))) {
        *err = local;
        return rc == HB_STOPPED ? HB_STOPPED : HB_EFAIL;
    }
    pt->failed_verification = !pt->valid;
    if (pt->valid) {
        hb_stats st = hb_stats_of(samples, (size_t)iters);
        pt->best_gbs = ctx->bytes_per_iter / st.min / 1e9;
        pt->median_gbs = ctx->bytes_per_iter / st.median / 1e9;
        if (hb_bench_figure(ctx->bench)->peak == HB_BASIS_FLOPS)
            pt->best_gflops = ctx->flops_per_iter / st.min / 1e9;
    }
    return HB_OK;
}
