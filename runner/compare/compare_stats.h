/* SPDX-License-Identifier: Apache-2.0 */
/* compare_stats: is the difference between two sets of per-iteration rates
 * a change, or noise? Two tests on the raw samples, both distribution-free
 * (benchmark times are skewed and often bimodal, so no normality is assumed):
 *
 *  - a percentile bootstrap confidence interval of the ratio of medians
 *    (Efron & Tibshirani, "An Introduction to the Bootstrap", 1993, ch. 13):
 *    each side is resampled with replacement, the ratio of the two medians
 *    recorded, and the interval read from the ratios. A resample's median
 *    is drawn directly as an order statistic (compare_boot.c), so a
 *    resample costs the same for 20 samples as for 100,000. The generator
 *    is seeded with a fixed value, so the same files always give the same
 *    interval, whatever else is compared alongside;
 *  - the Mann-Whitney U rank test (Mann & Whitney, Ann. Math. Statist. 18,
 *    1947), two-sided, by the normal approximation with the tie correction
 *    and a continuity correction (e.g. Hollander & Wolfe, "Nonparametric
 *    Statistical Methods", 2nd ed., 1999, sec. 4.1), ranked by merging the
 *    two sorted sides.
 *
 * A pair is called significant only when both agree: the interval excludes
 * 1 and p < alpha. Cost per pair: O(n log n) to sort the samples, plus
 * O(resamples). Library code: nothing here prints. */
#ifndef HB_COMPARE_STATS_H
#define HB_COMPARE_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "splitmix.h"

#include "hb_error.h"

typedef struct hb_cmp_method {
    int resamples;          /* bootstrap resamples (2000) */
    double level;           /* confidence level of the interval (0.95) */
    double alpha;           /* significance level of the rank test (0.05) */
    uint64_t seed;          /* bootstrap generator seed, the same for every pair */
    size_t min_samples;     /* fewer samples on either side: not tested (5) */
    double noisy_cv;        /* a side whose CV (stats.cv, a fraction) is above this is
                             * noisy, marked '~': `hbmbench check`'s built-in "cv" rule,
                             * which the command reads (runner/check/default_rules.json);
                             * NAN (the default here): no mark */
} hb_cmp_method;

/* The defaults above. */
hb_cmp_method hb_cmp_method_default(void);

typedef struct hb_cmp_test {
    double ratio;           /* speed of OTHER / speed of BASE, from the medians */
    double ci_lo, ci_hi;    /* bootstrap interval of that ratio */
    double p;               /* Mann-Whitney two-sided p-value */
    int significant;        /* ci excludes 1 and p < alpha */
} hb_cmp_test;

/* Where, in one side's sorted samples, the median of each bootstrap
 * resample of n samples lies: the mean of sorted[lo[r]] and sorted[hi[r]]
 * (lo == hi for odd n). It depends only on n, the resample count and the
 * seed, so it is made once and serves every pair whose side has n samples
 * (compare_boot.c). */
typedef struct hb_boot_plan {
    size_t n;               /* 0: not made yet */
    int resamples;
    uint64_t seed;
    uint32_t *lo, *hi;
} hb_boot_plan;

/* A plan per side (BASE, OTHER: independent streams), kept between pairs.
 * Zero it to start; hb_boot_free() releases it. */
typedef struct hb_boot {
    hb_boot_plan side[2];
} hb_boot;

/* Makes p the plan for n samples (n < 2^32), unless it already is.
 * -1 when out of memory (p is then empty). */
int hb_boot_plan_make(hb_boot_plan *p, size_t n, int resamples, uint64_t seed);
void hb_boot_free(hb_boot *b);

/* Compares costs, seconds per unit of work (per GB or per GFLOP: smaller is
 * faster), base[0..nb) against other[0..no); the ratio is the speed of OTHER
 * relative to BASE, median(base) / median(other), so it equals the ratio of
 * the median GB/s (or GFLOP/s) the files report. Samples must be finite and
 * positive (the reader checks). With fewer than m->min_samples on a side
 * only ratio is set (the rest NAN, not significant). boot keeps the
 * bootstrap plans between calls; NULL makes them for this call only.
 * HB_EFAIL only when out of memory. */
int hb_cmp_test_costs(const hb_cmp_method *m, hb_boot *boot, const double *base, size_t nb,
                      const double *other, size_t no, hb_cmp_test *out, hb_err *err);

/* Two-sided Mann-Whitney p-value of x against y (normal approximation,
 * tie- and continuity-corrected); 1 when every value is tied. NAN if a
 * side is empty or out of memory. */
double hb_mann_whitney_p(const double *x, size_t nx, const double *y, size_t ny);
/* The same on sides already sorted ascending: O(nx + ny), no allocation. */
double hb_mann_whitney_p_sorted(const double *x, size_t nx, const double *y, size_t ny);

#endif
