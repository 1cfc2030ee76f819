/* SPDX-License-Identifier: Apache-2.0 */
/* winners: the driver's memory of past tuning sweeps, kept in the tuning
 * cache (runner/io/tune_cache.h), so a later run on the same device,
 * driver and hbmbench version measures the same configuration at once
 * instead of searching (--retune searches again). */
#ifndef HB_WINNERS_H
#define HB_WINNERS_H

#include "bench.h"

/* 1 with *out set to the winner cached for ctx's device, driver, model,
 * implementation, bench and dtype at the problem labelled `shape`; else 0. */
int hb_winner_find(const hb_bench_ctx *ctx, const char *shape, hb_params *out);

/* Records winner (with "tuned_at" = shape) for the next run; a cache that
 * cannot be written only costs the next run a search. */
void hb_winner_store(const hb_bench_ctx *ctx, const char *shape, const hb_params *winner);

#endif
