/* SPDX-License-Identifier: Apache-2.0 */
/* compare_boot: the median of a bootstrap resample without making the
 * resample.
 *
 * A resample of n from n sorted samples draws n positions uniformly from
 * 0..n-1; its median is the mean of the values at its k-th and (k+1)-th
 * smallest positions (k = n/2, n even) or at its k-th (k = (n+1)/2, n odd).
 * Drawing the n positions costs O(n) per resample: 2000 resamples of a
 * 100,000-sample result took a minute and a half. Only those one or two
 * order statistics are needed, and they can be drawn directly:
 *
 *  - a position drawn uniformly is floor(n U) with U uniform on (0, 1), and
 *    floor is monotone, so the k-th smallest position is floor(n U(k)),
 *    where U(k), the k-th smallest of n uniforms, is Beta(k, n - k + 1)
 *    distributed (David & Nagaraja, "Order Statistics", 3rd ed., 2003,
 *    sec. 2.2);
 *  - given U(k) = u, the n - k uniforms above it are uniform on (u, 1), so
 *    U(k+1) = u + (1 - u) B with B, the smallest of n - k uniforms,
 *    Beta(1, n - k): B = 1 - W^(1/(n-k)) for W uniform (inversion);
 *  - Beta(a, b) = X / (X + Y) for X, Y Gamma(a), Gamma(b) (Devroye,
 *    "Non-Uniform Random Variate Generation", 1986, sec. IX.4.1), and
 *    Gamma(a >= 1) by Marsaglia & Tsang, ACM TOMS 26(3), 2000, with normal
 *    variates by Box & Muller, Ann. Math. Statist. 29, 1958.
 *
 * The resampled medians then have exactly the distribution that drawing
 * every position would give, at O(1) per resample whatever n is. The draw
 * of positions depends only on n and the seed, so a plan made once serves
 * every pair with the same sample count (usually all of a file: --iters). */
#include "compare_stats.h"

#include <math.h>
#include <stdlib.h>

/* Uniform on the open interval (0, 1): the top 53 bits, centred in their cell. */
static double uniform(uint64_t *s)
{
    return ((double)(hb_splitmix64(s) >> 11) + 0.5) * 0x1p-53;
}

static double normal(uint64_t *s)
{
    double u1 = uniform(s), u2 = uniform(s);
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

/* Marsaglia & Tsang (2000), section 6, for shape a >= 1. */
static double gamma_draw(double a, uint64_t *s)
{
    double d = a - 1.0 / 3.0, c = 1.0 / sqrt(9.0 * d);
    for (;;) {
        double x = normal(s), v = 1.0 + c * x;
        if (v <= 0)
            continue;
        v = v * v * v;
        double u = uniform(s);
        if (u < 1.0 - 0.0331 * x * x * x * x || log(u) < 0.5 * x * x + d * (1.0 - v + log(v)))
            return d * v;
    }
}

static double beta_draw(double a, double b, uint64_t *s)
{
    double x = gamma_draw(a, s), y = gamma_draw(b, s);
    return x / (x + y);
}

static uint32_t position(double u, size_t n)
{
    double p = floor(u * (double)n);
    return p >= (double)(n - 1) ? (uint32_t)(n - 1) : (uint32_t)p;
}

int hb_boot_plan_make(hb_boot_plan *p, size_t n, int resamples, uint64_t seed)
{
    if (p->n == n && p->resamples == resamples && p->seed == seed && p->lo)
        return 0;
    free(p->lo);
    free(p->hi);
    *p = (hb_boot_plan){0};
    if (n == 0 || n > UINT32_MAX || resamples <= 0)
        return -1;
    p->lo = malloc((size_t)resamples * sizeof *p->lo);
    p->hi = malloc((size_t)resamples * sizeof *p->hi);
    if (!p->lo || !p->hi) {
        free(p->lo);
        free(p->hi);
        *p = (hb_boot_plan){0};
        return -1;
    }
    size_t k = n % 2 ? (n + 1) / 2 : n / 2;
    uint64_t s = seed;
    for (int r = 0; r < resamples; r++) {
        double u = beta_draw((double)k, (double)(n - k + 1), &s);
        p->lo[r] = position(u, n);
        if (n % 2) {
            p->hi[r] = p->lo[r];
        } else {
            /* 1 - W^(1/m) as -expm1(log(W)/m): exact for large m, where
             * W^(1/m) is within rounding of 1. */
            double b = -expm1(log(uniform(&s)) / (double)(n - k));
            p->hi[r] = position(u + (1.0 - u) * b, n);
        }
    }
    p->n = n;
    p->resamples = resamples;
    p->seed = seed;
    return 0;
}

void hb_boot_free(hb_boot *b)
{
    for (int i = 0; i < 2; i++) {
        free(b->side[i].lo);
        free(b->side[i].hi);
        b->side[i] = (hb_boot_plan){0};
    }
}
