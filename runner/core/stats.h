/* SPDX-License-Identifier: Apache-2.0 */
/* stats: summary statistics of per-iteration times, in seconds.
 * Conventions (printed in every output header and in docs/usage.md):
 *   median of an even count is the mean of the two middle values;
 *   stddev is the sample standard deviation (n-1); cv = stddev / mean. */
#ifndef HB_STATS_H
#define HB_STATS_H

#include <stddef.h>

typedef struct hb_stats {
    size_t n;
    double min, median, mean, max, stddev, cv;
} hb_stats;

/* Computes the statistics of x[0..n); n == 0 gives all NAN. x is not modified. */
hb_stats hb_stats_of(const double *x, size_t n);

#endif
