/* SPDX-License-Identifier: Apache-2.0 */
/* batch: the timed batch every measurement is made of (measure.c's
 * conventions, measure.h): warm-up iterations, then `iters` launches each
 * timed by the model's clock (or, for self-timed kernels, by the host
 * clock around each), the host wall clock around the whole batch. */
#ifndef HB_BATCH_H
#define HB_BATCH_H

#include "hb_clock.h"
#include "measure.h"

/* HB_STOPPED with err saying so when a signal asked the run to stop
 * (hb_signal.h), HB_OK otherwise. */
int hb_stopped(hb_err *err);

/* Runs warm-up then iters timed iterations into samples (seconds each) and
 * *wall (host clock over the batch). sync (the final measurement: its
 * measure options) starts a concurrent run's timed iterations with the
 * other devices and samples the GPU's state into r; NULL for tuning
 * points. HB_STOPPED when a signal stopped it (what was launched is waited
 * for), HB_EFAIL on a runtime failure. */
int hb_timed_batch(hb_bench_ctx *ctx, int warmup, int iters, double *samples, double *wall,
                   const hb_measure_opts *sync, hb_result *r, hb_err *err);

#endif
