/* SPDX-License-Identifier: Apache-2.0 */
/* measure: drives one bench on one device, model and dtype, the same way
 * for every bench and every model: set up, tune over the kernels' grid,
 * re-measure the winner, verify, and fill one hb_result.
 *
 * Timing conventions (printed in the output header; docs/usage.md,
 * "Conventions"):
 *  - each iteration is timed by the model's clock (OpenCL profiling events
 *    START to END; the host clock around a whole team task for the host
 *    model), hb_model.timer;
 *  - warm-up iterations run first and are not recorded;
 *  - the host wall clock over the whole timed batch (first launch to the
 *    model's finish) divided by the iterations is kept as a cross-check: it
 *    includes launch overhead, device events do not;
 *  - tuning points are timed with fewer iterations; every point is verified;
 *    the best three valid ones (by their minimum time) are then measured
 *    again alternately, three rounds, and the one with the highest median of
 *    those rounds' best figures wins (grid "confirm_gbs"); the winner is
 *    measured with the full iteration count, and a final figure more than
 *    10% away from its tuning figure is noted in the result;
 *  - a bench may bound its search in time (tune_budget_s, x4 for --tune
 *    full): the driver stops trying configurations once one has verified
 *    and the budget is spent, and notes it in the result;
 *  - the winner is cached per device, driver and hbmbench version
 *    (winners.h); a later run measures it at once (config "tuning":
 *    "cache") unless --retune;
 *  - a bench may tune on a representative problem instead of the one
 *    measured (tune_problem: GEMM tunes a shape class once and caches the
 *    winner); the winner is then measured on the real problem, and its
 *    config records "tuned_at";
 *  - kernels that cannot be timed per iteration by the model's clock (a
 *    library running several kernels per call) time each whole iteration
 *    with the host clock (run_timed); their results say timer "host-clock";
 *  - on an NVIDIA GPU that NVML answers for, the GPU's clocks, temperature,
 *    power, ECC mode and throttle reasons are sampled after the warm-up
 *    (clocks have ramped up) and after the timed iterations of the final
 *    measurement, and every 25 ms by a background thread from before its
 *    warm-up until at least 1 s has passed and it is verified (min, median,
 *    max and every reason seen); a clock that fell or a slowdown reason is
 *    noted on the result (runner/peaks/nvml_state.h). Nothing more is
 *    timed: a shorter measurement is followed by untimed waiting. */
#ifndef HB_MEASURE_H
#define HB_MEASURE_H

#include "bench.h"
#include "result.h"

struct hb_sync;
struct hb_progress;

typedef struct hb_measure_opts {
    int iters;        /* timed iterations of the final measurement */
    int warmup;       /* warm-up iterations before each timed batch */
    int tune_iters;   /* timed iterations per tuning point */
    int tune;         /* 0 off (default config), 1 quick grid, 2 full grid */
    int retune;       /* search even when the tuning cache has a winner (winners.h) */
    struct hb_progress *progress; /* the steps of a measurement on stderr (progress.h); NULL: none */
    int problem_index; /* the problem's place in its bench's list (the concurrent step) */
    /* --concurrent (concurrent.h): the sync the device threads share, and
     * this thread's device in it; NULL when measuring alone. */
    struct hb_sync *sync;
    int sync_self;
    struct hb_gpu_probe *probe; /* NVML on the device (nvml_state.h), NULL: none */
} hb_measure_opts;

/* Measures ctx->bench with ctx->kernels on ctx->dev (whose model env is
 * open) for one problem, into r (already pushed to a list). ctx supplies
 * bench, kernels, model, env, dev, dtype, elem_bytes and opts; the rest is
 * filled here. A configuration that fails verification makes r invalid
 * (r->valid = 0) and returns HB_OK; a device or runtime failure returns
 * HB_EFAIL with err set; a signal (hb_signal.h) abandons the measurement
 * between iterations or configurations and returns HB_STOPPED. */
int hb_measure(const hb_bench_ctx *ctx, const hb_problem *problem, const hb_measure_opts *opts, hb_result *r,
               hb_err *err);

#endif
