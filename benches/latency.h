/* SPDX-License-Identifier: Apache-2.0 */
/* latency: the dependent-load pointer chase (docs/latency.md), the method
 * of lmbench's lat_mem_rd and tinymembench's random latency test.
 *
 * A buffer of N 32-bit indices holds one random cyclic permutation
 * (Sattolo's algorithm, seeded with splitmix64): next[i] is the index
 * visited after i, and following it from any index visits all N before it
 * comes back. One thread walks it, i = next[i]: each load's address is the
 * value of the load before, so no two loads overlap and no prefetcher can
 * guess the next line. One problem per working set (N x 4 bytes), two per
 * octave from 4 KiB (--latency-max).
 *
 * Counting: an iteration makes `loads` dependent loads (--latency-loads),
 * ops_per_iter = loads, bytes_per_iter = 4 x loads, no FLOP; the figure is
 * ns per load (runner/core/figure.h, hb_figure_latency), lower is better.
 *
 * Each iteration continues where the one before ended (its start index is
 * the kernel's argument, hb_latency_next_start), so the iterations walk the
 * whole cycle instead of the same first `loads` indices again: those would
 * touch only loads x 64 bytes of lines (8 MiB at the default), which a
 * last-level cache holds whatever the working set.
 *
 * Verification is exact: the bench keeps the cycle's order (order[k] is
 * the k-th index after 0), so the index where the last iteration must end
 * is order[(launches x loads) mod N], O(1); the kernel writes its end index
 * to a one-word buffer, poisoned with 0xffffffff (never an index: N <
 * 2^32) before each configuration. */
#ifndef HB_LATENCY_H
#define HB_LATENCY_H

#include "bench.h"

/* An index that no cycle holds: the output's poison. */
#define HB_LATENCY_POISON 0xffffffffu
/* The default dependent loads per iteration (docs/latency.md#default-loads). */
#define HB_LATENCY_LOADS 131072u

/* What a latency bench keeps between its steps (ctx->data). */
typedef struct hb_latency_data {
    uint64_t n;                /* indices in the cycle (working set / 4) */
    uint64_t loads;            /* dependent loads per iteration */
    uint32_t *order;           /* order[k]: the k-th index after 0 on the cycle (order[0] = 0) */
    uint64_t pos;              /* where on the cycle the next iteration starts: order[pos] */
    uint64_t launches;         /* iterations launched since poison */
    hb_buf next;               /* the device's copy of next[] */
    hb_buf out;                /* one uint32: the index where the last iteration ended */
} hb_latency_data;

extern const hb_family hb_family_latency;
extern const hb_bench hb_bench_latency;

/* latency_data.c: next[0..n) = one random cycle through all n indices
 * (Sattolo's algorithm from seed), and, when order is not NULL, order[k] =
 * the k-th index after 0 along it. n from 2 to 2^32 - 1; returns the
 * length of the cycle through 0 (n when it is one cycle, as it always is). */
uint64_t hb_latency_cycle(uint64_t n, uint64_t seed, uint32_t *next, uint32_t *order);
/* The one configuration every model's chase has (hb_kernels.configs):
 * threads 1, for a chase is one thread by definition; returns 1 (0 when
 * max < 1). */
int hb_latency_configs(const hb_bench_ctx *ctx, hb_params *out, int max);
/* The start index of the next iteration, which is counted as launched. */
uint32_t hb_latency_next_start(hb_bench_ctx *ctx);
/* Where the last iteration launched must have ended. */
uint32_t hb_latency_expected(const hb_latency_data *d);
int hb_latency_setup(hb_bench_ctx *ctx, hb_err *err);
int hb_latency_poison(hb_bench_ctx *ctx, hb_err *err);
int hb_latency_verify(hb_bench_ctx *ctx, int *valid, char *why, size_t why_len, hb_err *err);
void hb_latency_teardown(hb_bench_ctx *ctx);

/* latency.c: --latency-loads, or the default. */
uint64_t hb_latency_loads(const hb_bench_opts *opts);

#endif
