/* SPDX-License-Identifier: Apache-2.0 */
/* gemm_verify: the inputs of a GEMM and the check of its output.
 *
 * Inputs are fresh random numbers (a new seed every set-up), of random sign
 * and magnitude in [0.25, 1): never zero, never subnormal, and a kernel that
 * mixes up rows, columns or k-tiles gives an error of the order of the
 * result itself.
 *
 * The reference is computed on the host in higher precision than the
 * device's: double for f32 and f16 inputs (exact products, 53-bit sums),
 * long double (64-bit significand on x86) for f64. Where the whole product
 * costs more than about 2^28 (f64: 2^26) multiply-adds, or its rows more
 * than 2^21 values, an evenly spaced sample of rows is checked, always with
 * the first and the last (edge tiles live there); every element of D is
 * still read and must be finite, which catches an element a kernel never
 * wrote (D is poisoned with NaN).
 *
 * Two checks, both must pass (hb_gemm_tolerance documents the first):
 *  - relative Frobenius error ||D - D_ref||_F / ||D_ref||_F over the
 *    reference rows;
 *  - elementwise, the rigorous bound for a K-term dot product in working
 *    precision u, whatever the summation order or FMA use:
 *    |D - D_ref| <= gamma_{K+2} (|alpha| (|A||B|)_ij + |beta| |C_ij|),
 *    gamma_n = n u / (1 - n u) (Higham, Accuracy and Stability of Numerical
 *    Algorithms, 2nd ed., section 3.1), doubled for margin, plus the half
 *    rounding of the output for f16 storage. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gemm.h"
#include "gemm_half.h"
#include "splitmix.h"

#define REF_WORK_F32 (1ULL << 28)
#define REF_WORK_F64 (1ULL << 26)
#define REF_VALUES (1ULL << 21)

/* Sign random, magnitude uniform in [0.25, 1), then rounded to the
 * storage type; *value is what the device will hold, exactly. */
static void fill(void *buf, size_t n, hb_dtype dtype, uint64_t *seed, double *copy)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t r = hb_splitmix64(seed);
        double v = (0.25 + 0.75 * (double)(r >> 11) * 0x1p-53) * (r & 1 ? -1 : 1);
        if (dtype == HB_F64) {
            ((double *)buf)[i] = v;
        } else if (dtype == HB_F16) {
            ((uint16_t *)buf)[i] = hb_half_of(v);
            v = hb_half_value(((uint16_t *)buf)[i]);
        } else {
            ((float *)buf)[i] = (float)v;
            v = (float)v;
        }
        if (copy)
            copy[i] = v;
    }
}

/* The tolerance for a K-term product in dtype (documented there). */
static double hb_gemm_tolerance(hb_dtype dtype, int k)
{
    /* Rounding errors of a K-term sum add up like a random walk, so the
     * typical relative error of D is about sqrt(K) u; 8 (K + 2) u lies
     * above that by 8 sqrt(K) and far below what a wrong kernel gives (a
     * lost k-tile or a shifted row: an error of the order of ||D||). f16
     * storage adds the rounding of D to half, 2^-11. */
    double u = dtype == HB_F64 ? 0x1p-53 : 0x1p-24;
    return 8.0 * (k + 2) * u + (dtype == HB_F16 ? 0x1p-11 : 0);
}

static double gamma_n(hb_dtype dtype, int n)
{
    double u = dtype == HB_F64 ? 0x1p-53 : 0x1p-24;
    return n * u / (1 - n * u);
}

/* Picks the rows to check: all when cheap, else an even sample with the
 * first and the last. */
static int pick_rows(hb_gemm_ref *ref, const hb_gemm_data *st, int f64)
{
    double work = (double)st->m * st->n * st->k;
    double cap = (double)(f64 ? REF_WORK_F64 : REF_WORK_F32);
    size_t rows = (size_t)st->m;
    if (work > cap)
        rows = (size_t)(cap / ((double)st->n * st->k));
    if ((double)rows * st->n > (double)REF_VALUES)
        rows = (size_t)(REF_VALUES / (uint64_t)st->n);
    rows = rows < 2 ? 2 : rows;
    rows = rows > (size_t)st->m ? (size_t)st->m : rows;
    ref->rows = malloc(rows * sizeof *ref->rows);
    if (!ref->rows)
        return -1;
    ref->n_rows = rows;
    for (size_t r = 0; r < rows; r++)
        ref->rows[r] = rows == 1 ? 0 : (size_t)((double)r * (double)(st->m - 1) / (double)(rows - 1));
    return 0;
}

/* One reference row: f64 sums in long double; f32 and f16 in double, where
 * products of their values are exact. */
static void row_f64(const double *arow, const double *b, size_t n, size_t k, long double *acc, double *abs_acc)
{
    for (size_t j = 0; j < n; j++)
        acc[j] = 0, abs_acc[j] = 0;
    for (size_t kk = 0; kk < k; kk++) {
        const double *brow = b + kk * n;
        long double x = arow[kk];
        double ax = fabs(arow[kk]);
        for (size_t j = 0; j < n; j++) {
            acc[j] += x * brow[j];
            abs_acc[j] += ax * fabs(brow[j]);
        }
    }
}

static void row_f32(const double *arow, const double *b, size_t n, size_t k, double *acc, double *abs_acc)
{
    for (size_t j = 0; j < n; j++)
        acc[j] = 0, abs_acc[j] = 0;
    for (size_t kk = 0; kk < k; kk++) {
        const double *brow = b + kk * n;
        double x = arow[kk], ax = fabs(arow[kk]);
        for (size_t j = 0; j < n; j++) {
            acc[j] += x * brow[j];
            abs_acc[j] += ax * fabs(brow[j]);
        }
    }
}

/* want = alpha*A*B + beta*C over the reference rows, and after it (at
 * want + n_rows*N) the elementwise allowance. */
static int reference(hb_gemm_ref *ref, const hb_gemm_data *st, hb_dtype dtype, const double *a,
                     const double *b, const double *c)
{
    size_t n = (size_t)st->n, k = (size_t)st->k;
    int f64 = dtype == HB_F64;
    long double *accl = f64 ? malloc(n * sizeof *accl) : NULL;
    double *accd = f64 ? NULL : malloc(n * sizeof *accd), *abs_acc = malloc(n * sizeof *abs_acc);
    ref->want = malloc(2 * ref->n_rows * n * sizeof *ref->want);
    if ((!accl && !accd) || !abs_acc || !ref->want) {
        free(accl), free(accd), free(abs_acc);
        return -1;
    }
    double *bound = ref->want + ref->n_rows * n;
    double g = 2 * gamma_n(dtype, st->k + 2), u_out = dtype == HB_F16 ? 0x1p-11 : 0, sq = 0;
    for (size_t r = 0; r < ref->n_rows; r++) {
        const double *arow = a + ref->rows[r] * k, *crow = c + ref->rows[r] * n;
        if (f64)
            row_f64(arow, b, n, k, accl, abs_acc);
        else
            row_f32(arow, b, n, k, accd, abs_acc);
        for (size_t j = 0; j < n; j++) {
            long double dot = f64 ? accl[j] : accd[j];
            double w = (double)(HB_GEMM_ALPHA * dot + HB_GEMM_BETA * (long double)crow[j]);
            double s = fabs(HB_GEMM_ALPHA) * abs_acc[j] + fabs(HB_GEMM_BETA) * fabs(crow[j]);
            ref->want[r * n + j] = w;
            bound[r * n + j] = g * s + u_out * (fabs(w) + g * s);
            sq += w * w;
        }
    }
    ref->norm = sqrt(sq);
    free(accl), free(accd), free(abs_acc);
    return 0;
}

static int upload(hb_bench_ctx *ctx, hb_buf *buf, size_t count, const void *host, hb_err *err)
{
    size_t bytes = count * ctx->elem_bytes;
    if (ctx->model->alloc(ctx->env, bytes, buf, err))
        return HB_EFAIL;
    return host ? ctx->model->upload(ctx->env, buf, 0, bytes, host, err) : HB_OK;
}

static int setup_data(hb_bench_ctx *ctx, hb_gemm_data *st, hb_err *err)
{
    size_t na = (size_t)st->m * st->k, nb = (size_t)st->k * st->n, nc = (size_t)st->m * st->n;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    uint64_t seed = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 30) ^ (uint64_t)(uintptr_t)st;
    size_t big = na > nb ? (na > nc ? na : nc) : (nb > nc ? nb : nc);
    void *host = malloc(big * ctx->elem_bytes);
    double *a = malloc(na * sizeof *a), *b = malloc(nb * sizeof *b), *c = malloc(nc * sizeof *c);
    int rc = !host || !a || !b || !c ? hb_fail(err, HB_EFAIL, "out of memory for the GEMM inputs") : HB_OK;
    if (!rc) {
        fill(host, na, ctx->dtype, &seed, a);
        rc = upload(ctx, &st->a, na, host, err);
    }
    if (!rc) {
        fill(host, nb, ctx->dtype, &seed, b);
        rc = upload(ctx, &st->b, nb, host, err);
    }
    if (!rc) {
        fill(host, nc, ctx->dtype, &seed, c);
        rc = upload(ctx, &st->c, nc, host, err);
    }
    if (!rc)
        rc = upload(ctx, &st->d, nc, NULL, err);
    free(host);
    if (!rc) {
        if (pick_rows(&st->ref, st, ctx->dtype == HB_F64) || reference(&st->ref, st, ctx->dtype, a, b, c))
            rc = hb_fail(err, HB_EFAIL, "out of memory for the GEMM reference");
        st->ref.tol = hb_gemm_tolerance(ctx->dtype, st->k);
    }
    free(a);
    free(b);
    free(c);
    return rc;
}

int hb_gemm_setup(hb_bench_ctx *ctx, hb_err *err)
{
    hb_gemm_data *st = calloc(1, sizeof *st);
    if (!st)
        return hb_fail(err, HB_EFAIL, "out of memory");
    ctx->data = st;
    const hb_problem *p = &ctx->problem;
    st->m = (int)p->m, st->n = (int)p->n, st->k = (int)p->k;
    ctx->flops_per_iter = 2.0 * (double)p->m * (double)p->n * (double)p->k;
    ctx->bytes_per_iter = ((double)p->m * p->k + (double)p->k * p->n + 2.0 * p->m * p->n) * (double)ctx->elem_bytes;
    return setup_data(ctx, st, err);
}

void hb_gemm_teardown(hb_bench_ctx *ctx)
{
    hb_gemm_data *st = ctx->data;
    if (!st)
        return;
    hb_buf *bufs[] = {&st->a, &st->b, &st->c, &st->d};
    for (size_t i = 0; i < 4; i++)
        if (bufs[i]->handle)
            ctx->model->release(ctx->env, bufs[i]);
    free(st->ref.rows);
    free(st->ref.want);
    free(st);
    ctx->data = NULL;
}

/* D is filled with all-ones bytes, a NaN in every float format: an element
 * no work-item writes stays NaN and fails verification. */
int hb_gemm_poison(hb_bench_ctx *ctx, hb_err *err)
{
    static const unsigned char ones[8] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    hb_gemm_data *st = ctx->data;
    return ctx->model->fill(ctx->env, &st->d, ones, ctx->elem_bytes, (size_t)st->m * st->n * ctx->elem_bytes, err);
}

static double value_at(const void *buf, size_t i, size_t eb)
{
    return eb == 8 ? ((const double *)buf)[i] : eb == 2 ? hb_half_value(((const uint16_t *)buf)[i])
                                                        : ((const float *)buf)[i];
}

/* Scans rows [lo, lo + cnt) of the output: non-finite elements, then the
 * reference rows among them. */
typedef struct scan {
    size_t next_ref;            /* index into ref.rows */
    double sq_err;
    long long bad_finite, bad_bound;
    size_t fi, fj, bi, bj;      /* first of each */
    double fv, bv, bw;
} scan;

static void scan_rows(const hb_gemm_data *st, const void *buf, size_t lo, size_t cnt, size_t eb, scan *s)
{
    size_t n = (size_t)st->n;
    const double *bound = st->ref.want + st->ref.n_rows * n;
    for (size_t r = 0; r < cnt; r++)
        for (size_t j = 0; j < n; j++) {
            double v = value_at(buf, r * n + j, eb);
            if (!isfinite(v) && !s->bad_finite++)
                s->fi = lo + r, s->fj = j, s->fv = v;
        }
    for (; s->next_ref < st->ref.n_rows && st->ref.rows[s->next_ref] < lo + cnt; s->next_ref++) {
        size_t row = st->ref.rows[s->next_ref], q = s->next_ref;
        for (size_t j = 0; j < n; j++) {
            double v = value_at(buf, (row - lo) * n + j, eb), w = st->ref.want[q * n + j];
            double e = fabs(v - w);
            s->sq_err += (v - w) * (v - w);
            if (!(e <= bound[q * n + j]) && !s->bad_bound++)
                s->bi = row, s->bj = j, s->bv = v, s->bw = w;
        }
    }
}

int hb_gemm_verify(hb_bench_ctx *ctx, int *valid, char *why, size_t len, hb_err *err)
{
    hb_gemm_data *st = ctx->data;
    size_t n = (size_t)st->n, eb = ctx->elem_bytes;
    size_t rows_per = ((size_t)1 << 22) / (n * eb);
    rows_per = rows_per ? rows_per : 1;
    void *buf = malloc(rows_per * n * eb);
    if (!buf)
        return hb_fail(err, HB_EFAIL, "out of memory for verification");
    scan s = {0};
    for (size_t lo = 0; lo < (size_t)st->m; lo += rows_per) {
        size_t cnt = (size_t)st->m - lo < rows_per ? (size_t)st->m - lo : rows_per;
        if (ctx->model->download(ctx->env, &st->d, lo * n * eb, cnt * n * eb, buf, err)) {
            free(buf);
            return HB_EFAIL;
        }
        scan_rows(st, buf, lo, cnt, eb, &s);
    }
    free(buf);
    double rel = st->ref.norm > 0 ? sqrt(s.sq_err) / st->ref.norm : sqrt(s.sq_err);
    why[0] = '\0';
    if (s.bad_finite)
        snprintf(why, len, "verification failed: D[%zu][%zu] = %g (D is poisoned with NaN: an element never "
                 "written?); %lld of %dx%d elements not finite", s.fi, s.fj, s.fv, s.bad_finite, st->m, st->n);
    else if (!(rel <= st->ref.tol))
        snprintf(why, len, "verification failed: relative Frobenius error %.3g > %.3g over %zu reference rows",
                 rel, st->ref.tol, st->ref.n_rows);
    else if (s.bad_bound)
        snprintf(why, len, "verification failed: D[%zu][%zu] = %.17g, reference %.17g, beyond the rounding "
                 "bound; %lld elements so (relative Frobenius error %.3g)", s.bi, s.bj, s.bv, s.bw, s.bad_bound,
                 rel);
    *valid = why[0] == '\0';
    return HB_OK;
}
