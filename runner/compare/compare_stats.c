/* compare_stats: see compare_stats.h for the methods and their sources. */
#include "compare_stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

hb_cmp_method hb_cmp_method_default(void)
{
    /* 2000 resamples put the 2.5 % and 97.5 % points 50 draws in from each
     * end, which Efron & Tibshirani (1993, sec. 19.3) deem enough for a 95 %
     * percentile interval. The seed is arbitrary but fixed ("hbmbench"). */
    return (hb_cmp_method){.resamples = 2000, .level = 0.95, .alpha = 0.05,
                           .seed = 0x68626d62656e6368ULL, .min_samples = 5};
}

uint64_t hb_splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* A uniform index below n (n < 2^32): the top 32 bits scaled, whose bias
 * (n / 2^32) is far below anything a few thousand draws can show. */
static size_t draw(uint64_t *state, size_t n)
{
    return (size_t)(((hb_splitmix64(state) >> 32) * (uint64_t)n) >> 32);
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* Median of x[0..n), sorting x in place; the mean of the two middle values
 * for even n, as runner/core/stats.c defines it. */
static double median_inplace(double *x, size_t n)
{
    qsort(x, n, sizeof *x, cmp_double);
    return n % 2 ? x[n / 2] : 0.5 * (x[n / 2 - 1] + x[n / 2]);
}

/* The q-quantile of sorted s[0..n), interpolating between order statistics
 * (Hyndman & Fan, Amer. Statist. 50, 1996, definition 7). */
static double quantile_sorted(const double *s, size_t n, double q)
{
    double pos = q * (double)(n - 1);
    size_t i = (size_t)floor(pos);
    if (i + 1 >= n)
        return s[n - 1];
    return s[i] + (pos - (double)i) * (s[i + 1] - s[i]);
}

static double resampled_median(const double *x, size_t n, double *buf, uint64_t *state)
{
    for (size_t i = 0; i < n; i++)
        buf[i] = x[draw(state, n)];
    return median_inplace(buf, n);
}

/* Percentile bootstrap interval of median(base) / median(other). */
static int bootstrap_ci(const hb_cmp_method *m, const double *base, size_t nb, const double *other,
                        size_t no, double *lo, double *hi)
{
    size_t b = (size_t)m->resamples;
    double *ratios = malloc(b * sizeof *ratios);
    double *buf = malloc((nb > no ? nb : no) * sizeof *buf);
    if (!ratios || !buf) {
        free(ratios);
        free(buf);
        return HB_EFAIL;
    }
    uint64_t state = m->seed;
    for (size_t r = 0; r < b; r++) {
        double mb = resampled_median(base, nb, buf, &state);
        double mo = resampled_median(other, no, buf, &state);
        ratios[r] = mb / mo;
    }
    qsort(ratios, b, sizeof *ratios, cmp_double);
    *lo = quantile_sorted(ratios, b, (1 - m->level) / 2);
    *hi = quantile_sorted(ratios, b, 1 - (1 - m->level) / 2);
    free(ratios);
    free(buf);
    return HB_OK;
}

typedef struct ranked {
    double v;
    int from_x;
} ranked;

static int cmp_ranked(const void *x, const void *y)
{
    double a = ((const ranked *)x)->v, b = ((const ranked *)y)->v;
    return (a > b) - (a < b);
}

double hb_mann_whitney_p(const double *x, size_t nx, const double *y, size_t ny)
{
    size_t n = nx + ny;
    if (nx == 0 || ny == 0)
        return NAN;
    ranked *all = malloc(n * sizeof *all);
    if (!all)
        return NAN;
    for (size_t i = 0; i < nx; i++)
        all[i] = (ranked){x[i], 1};
    for (size_t i = 0; i < ny; i++)
        all[nx + i] = (ranked){y[i], 0};
    qsort(all, n, sizeof *all, cmp_ranked);
    /* Tied values share the mean of the ranks they span (midranks); each
     * tie group of size t lowers the variance by t^3 - t. */
    double rank_sum_x = 0, ties = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j + 1 < n && all[j + 1].v == all[i].v)
            j++;
        double t = (double)(j - i + 1), midrank = 0.5 * (double)(i + j) + 1;
        for (size_t k = i; k <= j; k++)
            if (all[k].from_x)
                rank_sum_x += midrank;
        ties += t * t * t - t;
        i = j + 1;
    }
    free(all);
    double dx = (double)nx, dy = (double)ny, dn = (double)n;
    double u = rank_sum_x - dx * (dx + 1) / 2, mu = dx * dy / 2;
    double var = dx * dy / 12 * ((dn + 1) - ties / (dn * (dn - 1)));
    if (!(var > 0))
        return 1.0;
    double z = (fabs(u - mu) - 0.5) / sqrt(var);
    return z <= 0 ? 1.0 : erfc(z / sqrt(2.0));
}

int hb_cmp_test_costs(const hb_cmp_method *m, const double *base, size_t nb, const double *other,
                      size_t no, hb_cmp_test *out, hb_err *err)
{
    *out = (hb_cmp_test){NAN, NAN, NAN, NAN, 0};
    if (nb == 0 || no == 0)
        return HB_OK;
    double *buf = malloc((nb > no ? nb : no) * sizeof *buf);
    if (!buf)
        return hb_fail(err, HB_EFAIL, "out of memory");
    memcpy(buf, base, nb * sizeof *buf);
    double mb = median_inplace(buf, nb);
    memcpy(buf, other, no * sizeof *buf);
    double mo = median_inplace(buf, no);
    free(buf);
    out->ratio = mb / mo;
    if (nb < m->min_samples || no < m->min_samples)
        return HB_OK;
    if (bootstrap_ci(m, base, nb, other, no, &out->ci_lo, &out->ci_hi))
        return hb_fail(err, HB_EFAIL, "out of memory");
    out->p = hb_mann_whitney_p(other, no, base, nb);
    if (isnan(out->p))
        return hb_fail(err, HB_EFAIL, "out of memory");
    out->significant = (out->ci_lo > 1 || out->ci_hi < 1) && out->p < m->alpha;
    return HB_OK;
}
