/* stream_verify: the checks after each configuration's timed iterations,
 * the same for every model (the data come back through hb_model.download).
 *
 * Array kernels: every element is compared exactly with its expected value
 * (stream_values.h explains why the results are exact).
 * Reductions: the sum of the partial sums is compared with the exact sum
 * (long double) within the rounding bound of recursive summation: a chain
 * of L additions of positive terms in unit roundoff u has relative error at
 * most about L*u (Higham, Accuracy and Stability of Numerical Algorithms,
 * 2nd ed., section 4.2). The kernels report L (their longest chain: the
 * per-accumulator loop, the vector-lane and work-group trees, the rounding
 * of each product); we allow twice that, plus 1e-15 for the long double
 * reference and the rounding of the relative error itself. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "stream.h"

#define CHUNK ((size_t)1 << 22) /* elements read back at a time */

static double expected_at(const hb_bench_ctx *ctx, const hb_stream_data *d, uint64_t i)
{
    if (ctx->dtype == HB_F64)
        return d->expected ? ((const double *)d->expected)[i] : hb_stream_expected_f64(d->f->kind, i);
    return d->expected ? ((const float *)d->expected)[i] : hb_stream_expected_f32(d->f->kind, i);
}

static double element(const hb_bench_ctx *ctx, const void *chunk, size_t j)
{
    return ctx->dtype == HB_F64 ? ((const double *)chunk)[j] : ((const float *)chunk)[j];
}

static int verify_array(hb_bench_ctx *ctx, hb_stream_data *d, int *valid, char *why, size_t len, hb_err *err)
{
    static const char names[] = "abc";
    uint64_t n = ctx->elements, wrong = 0, first = 0;
    double got_first = 0, exp_first = 0;
    char *chunk = malloc(CHUNK * ctx->elem_bytes);
    if (!chunk)
        return hb_fail(err, HB_EFAIL, "out of memory for verification");
    const hb_buf *out = &d->buf[d->f->writes];
    for (uint64_t lo = 0; lo < n; lo += CHUNK) {
        size_t cnt = n - lo < CHUNK ? (size_t)(n - lo) : CHUNK;
        if (ctx->model->download(ctx->env, out, lo * ctx->elem_bytes, cnt * ctx->elem_bytes, chunk, err)) {
            free(chunk);
            return HB_EFAIL;
        }
        for (size_t j = 0; j < cnt; j++) {
            double got = element(ctx, chunk, j), want = expected_at(ctx, d, lo + j);
            if (got != want && !wrong++) {
                first = lo + j;
                got_first = got;
                exp_first = want;
            }
        }
    }
    free(chunk);
    *valid = wrong == 0;
    if (wrong)
        snprintf(why, len, "verification failed: %c[%llu] = %.17g, expected %.17g (error %.3g); "
                           "%llu of %llu elements wrong",
                 names[d->f->writes], (unsigned long long)first, got_first, exp_first, got_first - exp_first,
                 (unsigned long long)wrong, (unsigned long long)n);
    return HB_OK;
}

static int verify_sum(hb_bench_ctx *ctx, hb_stream_data *d, int *valid, char *why, size_t len, hb_err *err)
{
    size_t g = d->n_partials;
    char *parts = malloc((g ? g : 1) * ctx->elem_bytes);
    if (!parts)
        return hb_fail(err, HB_EFAIL, "out of memory for verification");
    if (ctx->model->download(ctx->env, d->partial, 0, g * ctx->elem_bytes, parts, err)) {
        free(parts);
        return HB_EFAIL;
    }
    long double sum = 0;
    for (size_t i = 0; i < g; i++)
        sum += element(ctx, parts, i);
    free(parts);
    double tol = 2 * d->chain * hb_dtype_get(ctx->dtype)->unit_roundoff + 1e-15;
    double rel = d->expected_sum != 0 ? (double)fabsl((sum - d->expected_sum) / d->expected_sum)
                                      : (double)fabsl(sum);
    *valid = rel <= tol; /* also false for NaN */
    if (!*valid)
        snprintf(why, len, "verification failed: sum = %.17Lg, expected %.17Lg (relative error %.3g > %.3g)",
                 sum, d->expected_sum, rel, tol);
    return HB_OK;
}

int hb_stream_verify(hb_bench_ctx *ctx, int *valid, char *why, size_t why_len, hb_err *err)
{
    hb_stream_data *d = ctx->data;
    why[0] = '\0';
    return d->f->reduction ? verify_sum(ctx, d, valid, why, why_len, err)
                           : verify_array(ctx, d, valid, why, why_len, err);
}
