/* SPDX-License-Identifier: Apache-2.0 */
/* stats: order statistics, mean and spread of per-iteration times. */
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

static double median_sorted(const double *s, size_t n)
{
    return n % 2 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
}

/* Median of x[0..n), NAN if n == 0. x is not modified. */
static double hb_median(const double *x, size_t n)
{
    if (n == 0)
        return NAN;
    double *s = malloc(n * sizeof *s);
    if (!s)
        return NAN;
    memcpy(s, x, n * sizeof *s);
    qsort(s, n, sizeof *s, cmp_double);
    double m = median_sorted(s, n);
    free(s);
    return m;
}

hb_stats hb_stats_of(const double *x, size_t n)
{
    hb_stats st = {n, NAN, NAN, NAN, NAN, NAN, NAN};
    if (n == 0)
        return st;
    double sum = 0, lo = x[0], hi = x[0];
    for (size_t i = 0; i < n; i++) {
        sum += x[i];
        lo = x[i] < lo ? x[i] : lo;
        hi = x[i] > hi ? x[i] : hi;
    }
    st.min = lo;
    st.max = hi;
    st.mean = sum / (double)n;
    double ss = 0;
    for (size_t i = 0; i < n; i++)
        ss += (x[i] - st.mean) * (x[i] - st.mean);
    /* One sample has no spread: report 0 rather than dividing by n-1 = 0. */
    st.stddev = n > 1 ? sqrt(ss / (double)(n - 1)) : 0.0;
    st.cv = st.mean > 0 ? st.stddev / st.mean : NAN;
    st.median = hb_median(x, n);
    return st;
}
