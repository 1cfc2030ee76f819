/* SPDX-License-Identifier: Apache-2.0 */
/* point: the steps every measurement of one configuration is made of
 * (measure.h states the conventions): the configuration made current,
 * one timed batch, the output verified, each step's time in its share of
 * the result's time split; and a tuning point made of them. */
#ifndef HB_POINT_H
#define HB_POINT_H

#include "measure.h"

/* The dtype as the driver's messages and the tuning cache name it; an
 * untyped bench's results have none (dtype null). */
const char *hb_point_dtype(const hb_bench_ctx *ctx);

/* Makes cfg current: the kernels' set-up, then (poison 1) the bench
 * poisons its outputs; the time goes to ts->builds_s. HB_BENCH_SKIP where
 * the device cannot run cfg. */
int hb_point_prepare(hb_bench_ctx *ctx, const hb_params *cfg, int poison, hb_time_split *ts, hb_err *err);

/* hb_timed_batch (batch.h), its wall time in ts->batches_s and its
 * samples' sum in ts->kernels_s. */
int hb_point_batch(hb_bench_ctx *ctx, int warmup, int iters, double *samples, double *wall,
                   const hb_measure_opts *o, hb_result *r, hb_time_split *ts, hb_err *err);

/* bench->verify, its time in ts->verify_s; HB_FAULT=verify:N (fault.h)
 * makes the N-th one a mismatch. */
int hb_point_verify(hb_bench_ctx *ctx, int *valid, char *why, size_t len, hb_time_split *ts, hb_err *err);

/* Measures one configuration into a grid point. Returns HB_OK, HB_EFAIL
 * on a device failure, or HB_STOPPED; a configuration the device cannot
 * run is a point with a note ("skipped: ..."), not an error. With check 0
 * the outputs are neither poisoned nor verified (for re-timing a point
 * that verified already: the confirmation rounds only rank). */
int hb_point_run(hb_bench_ctx *ctx, const hb_params *cfg, int warmup, int iters, int check, double *samples,
                 hb_grid_point *pt, hb_time_split *ts, hb_err *err);

#endif
