/* SPDX-License-Identifier: Apache-2.0 */
/* search: the tuning sweep over a bench's grid (as its kernels' configs
 * hook lists it), and the confirmation rounds that pick the winner
 * (measure.h states the conventions; search.c why each is so). */
#ifndef HB_SEARCH_H
#define HB_SEARCH_H

#include "measure.h"

/* The most points a grid may have. */
#define HB_MAX_CONFIGS 256

/* Tries every configuration, or as many as the bench's time box allows
 * once one has verified, into r->grid; *best is the fastest valid one,
 * -1 if none. */
int hb_search(hb_bench_ctx *ctx, const hb_measure_opts *o, hb_params *cfgs, int n, hb_result *r, int *best,
              hb_err *err);

/* Measures the best few points of r->grid again, alternately, and moves
 * *best to the earliest that ties with the fastest. */
int hb_search_confirm(hb_bench_ctx *ctx, const hb_measure_opts *o, hb_result *r, int *best, hb_err *err);

#endif
