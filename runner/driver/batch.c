/* SPDX-License-Identifier: Apache-2.0 */
/* batch: one timed batch of iterations (batch.h): warm-up, the model's
 * timer around each launch, the host clock around the batch, the GPU's
 * state around it, the concurrent run's shared start, and the stop a
 * signal asks for. */
#include "batch.h"
#include "env.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "concurrent.h"
#include "hb_signal.h"
#include "nvml_state.h"

/* Into the final measurement's result (r given), just before its timed
 * iterations (after 0) and just after them: the GPU's state when there is
 * a probe (NVML, nvml_state.h), and the moment on the wall clock (the
 * probe's own time outside the timed window). */
static void sample(const hb_measure_opts *o, hb_result *r, int after)
{
    if (r && after)
        r->timed_until_unix_s = hb_unix_now_s();
    if (o && o->probe && r)
        hb_gpu_probe_sample(o->probe, after ? &r->telemetry.after : &r->telemetry.before);
    if (r && !after)
        r->timed_from_unix_s = hb_unix_now_s();
}

/* HB_STOPPED with err saying so when a signal asked the run to stop
 * (hb_signal.h): checked between iterations and configurations, so the
 * measurement in progress is abandoned, not finished. */
int hb_stopped(hb_err *err)
{
    int sig = hb_signal_stop();
    if (!sig)
        return HB_OK;
    hb_fail(err, HB_EFAIL, "stopped by %s", hb_signal_name(sig));
    return HB_STOPPED;
}

/* One untimed iteration, finished; HB_STOPPED when a signal came first. */
static int untimed(hb_bench_ctx *ctx, hb_err *err)
{
    double ignored;
    if (hb_stopped(err))
        return HB_STOPPED;
    if (ctx->kernels->run_timed)
        return ctx->kernels->run_timed(ctx, &ignored, err);
    return ctx->kernels->launch(ctx, -1, err) || ctx->model->finish(ctx->env, err) ? HB_EFAIL : HB_OK;
}

/* --concurrent (concurrent.h): after warm-up, wait for this step's group,
 * then load the device with untimed iterations until every device of the
 * group does; r records it. No-op when measuring alone (sync NULL). */
static int sync_begin(hb_bench_ctx *ctx, const hb_measure_opts *sync, hb_result *r, hb_err *err)
{
    if (!sync || !sync->sync)
        return HB_OK;
    hb_sync_start(sync->sync, sync->sync_self, ctx, sync->problem_index, &r->concurrent_devices,
                  &r->concurrent_step);
    r->conc_load_s = hb_sync_clock(sync->sync);
    hb_sync_loading(sync->sync);
    int rc = HB_OK;
    while (!rc && !hb_sync_all_loading(sync->sync)) {
        rc = untimed(ctx, err);
        r->lead_iters++;
    }
    r->conc_start_s = hb_sync_clock(sync->sync);
    if (rc) /* it times nothing: the others must not wait for it */
        hb_sync_timed(sync->sync);
    return rc;
}

/* After the timed iterations: keep the device loaded with untimed ones while
 * a device of the group still times, so no timed iteration ran alone. ok = 0
 * (the batch failed) only says this device is done. */
static int sync_hold(hb_bench_ctx *ctx, const hb_measure_opts *sync, hb_result *r, int ok, hb_err *err)
{
    if (!sync || !sync->sync)
        return HB_OK;
    r->conc_end_s = hb_sync_clock(sync->sync);
    hb_sync_timed(sync->sync);
    int rc = HB_OK;
    while (ok && !rc && hb_sync_busy(sync->sync)) {
        rc = untimed(ctx, err);
        r->held_iters++;
    }
    r->conc_held_s = hb_sync_clock(sync->sync);
    return rc;
}

/* Kernels that time themselves (run_timed): each iteration finishes before
 * the next starts, and returns its own time. */
static int self_timed_batch(hb_bench_ctx *ctx, int warmup, int iters, double *samples, double *wall,
                            const hb_measure_opts *sync, hb_result *r, hb_err *err)
{
    int rc = HB_OK;
    for (int i = 0; i < warmup && !rc; i++)
        rc = untimed(ctx, err);
    if (!rc)
        rc = sync_begin(ctx, sync, r, err);
    if (rc)
        return hb_signal_stop() ? HB_STOPPED : rc;
    sample(sync, r, 0);
    double t0 = hb_now_s();
    for (int i = 0; i < iters && !rc; i++)
        rc = hb_stopped(err) ? HB_STOPPED : ctx->kernels->run_timed(ctx, &samples[i], err);
    *wall = hb_now_s() - t0;
    if (!rc)
        sample(sync, r, 1);
    int held = sync_hold(ctx, sync, r, !rc, err);
    rc = rc ? rc : held;
    return rc && hb_signal_stop() ? HB_STOPPED : rc;
}

/* Test only: HB_TEST_SLOW_S=SECONDS makes every timed iteration that much
 * slower, as a slow device would be: the batch sleeps that long per
 * iteration and each sample carries it. runner/cluster/ sets it on the rank
 * HB_TEST_SLOW_RANK names (tests/cluster_mpi.sh, docs/cluster.md). */
static double test_slowdown(int iters, double *samples, double *wall)
{
    double s = hb_env_seconds("HB_TEST_SLOW_S", 0);
    if (!(s > 0))
        return 0;
    double total = s * iters;
    struct timespec ts = {(time_t)total, (long)((total - (double)(time_t)total) * 1e9)};
    while (nanosleep(&ts, &ts) != 0)
        ;
    for (int i = 0; i < iters; i++)
        samples[i] += s;
    *wall += total;
    return s;
}

/* Runs warm-up then `iters` timed iterations; samples[i] are the model's
 * times, *wall the host wall clock over the timed batch. sync (the final
 * measurement of a concurrent run) starts the timed iterations with the
 * other devices, r records how; NULL otherwise. Stopped by a signal, it
 * waits for what was launched (the buffers are released next) and returns
 * HB_STOPPED. */
static int batch(hb_bench_ctx *ctx, int warmup, int iters, double *samples, double *wall,
                 const hb_measure_opts *sync, hb_result *r, hb_err *err)
{
    if (ctx->kernels->run_timed)
        return self_timed_batch(ctx, warmup, iters, samples, wall, sync, r, err);
    const hb_model *m = ctx->model;
    int rc = HB_OK;
    for (int i = 0; i < warmup && !rc; i++)
        rc = hb_stopped(err) ? HB_STOPPED : ctx->kernels->launch(ctx, -1, err);
    if (!rc && (m->finish(ctx->env, err) || m->timer_begin(ctx->env, iters, err)))
        return HB_EFAIL;
    if (!rc)
        rc = sync_begin(ctx, sync, r, err);
    if (!rc)
        sample(sync, r, 0);
    double t0 = hb_now_s();
    for (int i = 0; i < iters && !rc; i++)
        rc = hb_stopped(err) ? HB_STOPPED : ctx->kernels->launch(ctx, i, err);
    if (rc == HB_STOPPED || (rc && hb_signal_stop())) {
        hb_err ignored = {0};
        m->finish(ctx->env, &ignored);
        sync_hold(ctx, sync, r, 0, &ignored);
        return HB_STOPPED;
    }
    if (!rc)
        rc = m->finish(ctx->env, err);
    *wall = hb_now_s() - t0;
    if (!rc)
        sample(sync, r, 1);
    int held = sync_hold(ctx, sync, r, !rc, err);
    rc = rc ? rc : held;
    return rc ? rc : m->timer_read(ctx->env, iters, samples, err);
}

/* batch(), then the test-only slowdown (test_slowdown), which the result
 * says it carries, as HB_FAULT's injections do: a figure a test hook
 * slowed must never pass for the device's own. The final measurement (r
 * given) starts the GPU's sampling window before its warm-up;
 * final_measure ends it (nvml_state.h). */
int hb_timed_batch(hb_bench_ctx *ctx, int warmup, int iters, double *samples, double *wall,
                       const hb_measure_opts *sync, hb_result *r, hb_err *err)
{
    if (sync && sync->probe && r)
        hb_gpu_window_begin(sync->probe);
    int rc = batch(ctx, warmup, iters, samples, wall, sync, r, err);
    double slowed = rc ? 0 : test_slowdown(iters, samples, wall);
    if (slowed > 0 && r && !strstr(r->notes, "HB_TEST_SLOW_S"))
        hb_result_note(r, "HB_TEST_SLOW_S=%g: a test hook added %g s to every timed iteration; these times are "
                       "not the device's", slowed, slowed);
    return rc;
}

