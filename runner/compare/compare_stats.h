/* compare_stats: is the difference between two sets of per-iteration rates
 * a change, or noise? Two tests on the raw samples, both distribution-free
 * (benchmark times are skewed and often bimodal, so no normality is assumed):
 *
 *  - a percentile bootstrap confidence interval of the ratio of medians
 *    (Efron & Tibshirani, "An Introduction to the Bootstrap", 1993, ch. 13):
 *    each side is resampled with replacement, the ratio of the two medians
 *    recorded, and the interval read from the sorted ratios. The generator
 *    is seeded with a fixed value for every pair, so the same files always
 *    give the same interval, whatever else is compared alongside;
 *  - the Mann-Whitney U rank test (Mann & Whitney, Ann. Math. Statist. 18,
 *    1947), two-sided, by the normal approximation with the tie correction
 *    and a continuity correction (e.g. Hollander & Wolfe, "Nonparametric
 *    Statistical Methods", 2nd ed., 1999, sec. 4.1).
 *
 * A pair is called significant only when both agree: the interval excludes
 * 1 and p < alpha. Library code: nothing here prints. */
#ifndef HB_COMPARE_STATS_H
#define HB_COMPARE_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "hb_error.h"

typedef struct hb_cmp_method {
    int resamples;          /* bootstrap resamples (2000) */
    double level;           /* confidence level of the interval (0.95) */
    double alpha;           /* significance level of the rank test (0.05) */
    uint64_t seed;          /* bootstrap generator seed, the same for every pair */
    size_t min_samples;     /* fewer samples on either side: not tested (5) */
} hb_cmp_method;

/* The defaults above. */
hb_cmp_method hb_cmp_method_default(void);

typedef struct hb_cmp_test {
    double ratio;           /* speed of OTHER / speed of BASE, from the medians */
    double ci_lo, ci_hi;    /* bootstrap interval of that ratio */
    double p;               /* Mann-Whitney two-sided p-value */
    int significant;        /* ci excludes 1 and p < alpha */
} hb_cmp_test;

/* Compares costs, seconds per unit of work (per GB or per GFLOP: smaller is
 * faster), base[0..nb) against other[0..no); the ratio is the speed of OTHER
 * relative to BASE, median(base) / median(other), so it equals the ratio of
 * the median GB/s (or GFLOP/s) the files report. Samples must be finite and
 * positive (the caller filters). With fewer than m->min_samples on a side
 * only ratio is set (the rest NAN, not significant). HB_EFAIL only when out
 * of memory. */
int hb_cmp_test_costs(const hb_cmp_method *m, const double *base, size_t nb, const double *other,
                      size_t no, hb_cmp_test *out, hb_err *err);

/* Two-sided Mann-Whitney p-value of x against y (normal approximation,
 * tie- and continuity-corrected); 1 when every value is tied. NAN if a
 * side is empty or out of memory. */
double hb_mann_whitney_p(const double *x, size_t nx, const double *y, size_t ny);

/* splitmix64 (Steele, Lea & Flood, OOPSLA 2014): small, fast, well mixed,
 * and its whole state is one integer the caller owns. */
uint64_t hb_splitmix64(uint64_t *state);

#endif
