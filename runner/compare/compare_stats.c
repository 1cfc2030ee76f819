/* SPDX-License-Identifier: Apache-2.0 */
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
                           .seed = 0x68626d62656e6368ULL, .min_samples = 5, .noisy_cv = NAN};
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* Median of sorted s[0..n); the mean of the two middle values for even n,
 * as runner/core/stats.c defines it. */
static double median_sorted(const double *s, size_t n)
{
    return n % 2 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
}

/* Moves the k-th smallest of v[0..n) to v[k], none larger before it and
 * none smaller after (Wirth, "Algorithms + Data Structures = Programs",
 * 1976, sec. 2.3.4, after Hoare's FIND): O(n) expected, so two quantiles
 * of the resampled ratios need no full sort. Signed indices: j may step
 * below 0. */
static void select_kth(double *v, size_t n, size_t k)
{
    ptrdiff_t l = 0, m = (ptrdiff_t)n - 1, kk = (ptrdiff_t)k;
    while (l < m) {
        double x = v[kk];
        ptrdiff_t i = l, j = m;
        do {
            while (v[i] < x)
                i++;
            while (x < v[j])
                j--;
            if (i <= j) {
                double t = v[i];
                v[i++] = v[j];
                v[j--] = t;
            }
        } while (i <= j);
        if (j < kk)
            l = i;
        if (kk < i)
            m = j;
    }
}

/* The q-quantile of v[0..n), interpolating between order statistics
 * (Hyndman & Fan, Amer. Statist. 50, 1996, definition 7). Reorders v. */
static double quantile(double *v, size_t n, double q)
{
    double pos = q * (double)(n - 1);
    size_t i = (size_t)floor(pos);
    if (i + 1 >= n) {
        select_kth(v, n, n - 1);
        return v[n - 1];
    }
    select_kth(v, n, i);
    double next = v[i + 1];
    for (size_t j = i + 2; j < n; j++)
        next = v[j] < next ? v[j] : next;
    return v[i] + (pos - (double)i) * (next - v[i]);
}

/* Percentile bootstrap interval of median(base) / median(other), from the
 * sorted sides and a plan per side (compare_boot.c). */
static int bootstrap_ci(const hb_cmp_method *m, hb_boot *boot, const double *sb, size_t nb,
                        const double *so, size_t no, double *lo, double *hi)
{
    /* The second side's stream starts from the first's seed run through
     * splitmix64 once, so the two sides are resampled independently. */
    uint64_t seed_o = m->seed;
    hb_splitmix64(&seed_o);
    const hb_boot_plan *pb = &boot->side[0], *po = &boot->side[1];
    size_t b = (size_t)m->resamples;
    double *ratios = malloc(b * sizeof *ratios);
    if (!ratios || hb_boot_plan_make(&boot->side[0], nb, m->resamples, m->seed)
        || hb_boot_plan_make(&boot->side[1], no, m->resamples, seed_o)) {
        free(ratios);
        return HB_EFAIL;
    }
    for (size_t r = 0; r < b; r++) {
        double mb = 0.5 * (sb[pb->lo[r]] + sb[pb->hi[r]]);
        double mo = 0.5 * (so[po->lo[r]] + so[po->hi[r]]);
        ratios[r] = mb / mo;
    }
    *lo = quantile(ratios, b, (1 - m->level) / 2);
    *hi = quantile(ratios, b, 1 - (1 - m->level) / 2);
    free(ratios);
    return HB_OK;
}

double hb_mann_whitney_p_sorted(const double *x, size_t nx, const double *y, size_t ny)
{
    if (nx == 0 || ny == 0)
        return NAN;
    /* Tied values share the mean of the ranks they span (midranks); each
     * tie group of size t lowers the variance by t^3 - t. The two sorted
     * sides are merged a tie group at a time. */
    double rank_sum_x = 0, ties = 0;
    size_t i = 0, j = 0, below = 0;
    while (i < nx || j < ny) {
        double v = j == ny || (i < nx && x[i] <= y[j]) ? x[i] : y[j];
        size_t tx = 0, ty = 0;
        while (i < nx && x[i] == v)
            i++, tx++;
        while (j < ny && y[j] == v)
            j++, ty++;
        double t = (double)(tx + ty), midrank = (double)below + 0.5 * (t + 1);
        rank_sum_x += (double)tx * midrank;
        ties += t * t * t - t;
        below += tx + ty;
    }
    double dx = (double)nx, dy = (double)ny, dn = dx + dy;
    double u = rank_sum_x - dx * (dx + 1) / 2, mu = dx * dy / 2;
    double var = dx * dy / 12 * ((dn + 1) - ties / (dn * (dn - 1)));
    if (!(var > 0))
        return 1.0;
    double z = (fabs(u - mu) - 0.5) / sqrt(var);
    return z <= 0 ? 1.0 : erfc(z / sqrt(2.0));
}

/* A sorted copy of x[0..n); NULL when out of memory. */
static double *sorted_copy(const double *x, size_t n)
{
    double *s = malloc((n ? n : 1) * sizeof *s);
    if (s) {
        memcpy(s, x, n * sizeof *s);
        qsort(s, n, sizeof *s, cmp_double);
    }
    return s;
}

double hb_mann_whitney_p(const double *x, size_t nx, const double *y, size_t ny)
{
    if (nx == 0 || ny == 0)
        return NAN;
    double *sx = sorted_copy(x, nx), *sy = sorted_copy(y, ny);
    double p = sx && sy ? hb_mann_whitney_p_sorted(sx, nx, sy, ny) : NAN;
    free(sx);
    free(sy);
    return p;
}

static int test_sorted(const hb_cmp_method *m, hb_boot *boot, const double *sb, size_t nb, const double *so,
                       size_t no, hb_cmp_test *out)
{
    out->ratio = median_sorted(sb, nb) / median_sorted(so, no);
    if (nb < m->min_samples || no < m->min_samples)
        return HB_OK;
    if (bootstrap_ci(m, boot, sb, nb, so, no, &out->ci_lo, &out->ci_hi))
        return HB_EFAIL;
    out->p = hb_mann_whitney_p_sorted(so, no, sb, nb);
    out->significant = (out->ci_lo > 1 || out->ci_hi < 1) && out->p < m->alpha;
    return HB_OK;
}

int hb_cmp_test_costs(const hb_cmp_method *m, hb_boot *boot, const double *base, size_t nb,
                      const double *other, size_t no, hb_cmp_test *out, hb_err *err)
{
    *out = (hb_cmp_test){NAN, NAN, NAN, NAN, 0};
    if (nb == 0 || no == 0)
        return HB_OK;
    hb_boot local = {0};
    double *sb = sorted_copy(base, nb), *so = sorted_copy(other, no);
    int rc = sb && so ? test_sorted(m, boot ? boot : &local, sb, nb, so, no, out) : HB_EFAIL;
    hb_boot_free(&local);
    free(sb);
    free(so);
    return rc ? hb_fail(err, HB_EFAIL, "out of memory") : HB_OK;
}
