/* stream_verify: the checks after each configuration's timed iterations.
 *
 * Array kernels: every element is compared exactly with its expected value
 * (benches/stream_values.h explains why the results are exact).
 * Reductions: the sum of the work-group partials is compared with the exact
 * sum (long double) within the rounding bound of recursive summation: a
 * chain of L additions of positive terms in unit roundoff u has relative
 * error at most about L*u (Higham, Accuracy and Stability of Numerical
 * Algorithms, 2nd ed., section 4.2). L is the longest chain in the kernel:
 * the per-accumulator loop, plus the vector-lane and work-group trees, plus
 * the rounding of each product; we allow twice that. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cl_util.h"
#include "stream_state.h"

#define CHUNK ((size_t)1 << 22) /* elements read back at a time */

static double expected_at(const hb_bench_ctx *ctx, const hb_stream_state *st, uint64_t i)
{
    if (ctx->elem_bytes == 8)
        return st->expected ? ((const double *)st->expected)[i] : hb_stream_expected_f64(st->k->kind, i);
    return st->expected ? ((const float *)st->expected)[i] : hb_stream_expected_f32(st->k->kind, i);
}

int hb_stream_expect(hb_bench_ctx *ctx, hb_stream_state *st, hb_err *err)
{
    (void)err;
    uint64_t n = ctx->elements;
    if (st->k->reduction) {
        st->expected_sum = hb_stream_expected_sum(st->k->kind, ctx->elem_bytes == 8, n);
        return HB_OK;
    }
    /* Precomputed once so each configuration's check is a plain comparison;
     * if the host cannot hold it, values are recomputed while checking. */
    st->expected = malloc(n * ctx->elem_bytes);
    if (!st->expected)
        return HB_OK;
    if (ctx->elem_bytes == 8)
        for (uint64_t i = 0; i < n; i++)
            ((double *)st->expected)[i] = hb_stream_expected_f64(st->k->kind, i);
    else
        for (uint64_t i = 0; i < n; i++)
            ((float *)st->expected)[i] = hb_stream_expected_f32(st->k->kind, i);
    return HB_OK;
}

static int verify_array(hb_bench_ctx *ctx, hb_stream_state *st, int *valid, char *why, size_t len, hb_err *err)
{
    static const char names[] = "abc";
    uint64_t n = ctx->elements, wrong = 0, first = 0;
    double got_first = 0, exp_first = 0;
    char *chunk = malloc(CHUNK * ctx->elem_bytes);
    if (!chunk)
        return hb_fail(err, HB_EFAIL, "out of memory for verification");
    cl_mem out = st->buf[st->k->writes];
    for (uint64_t lo = 0; lo < n; lo += CHUNK) {
        size_t cnt = n - lo < CHUNK ? (size_t)(n - lo) : CHUNK;
        if (hb_cl_check(clEnqueueReadBuffer(ctx->env->queue, out, CL_TRUE, lo * ctx->elem_bytes,
                                            cnt * ctx->elem_bytes, chunk, 0, NULL, NULL),
                        "clEnqueueReadBuffer(verify)", err)) {
            free(chunk);
            return HB_EFAIL;
        }
        for (size_t j = 0; j < cnt; j++) {
            double got = ctx->elem_bytes == 8 ? ((double *)chunk)[j] : ((float *)chunk)[j];
            double want = expected_at(ctx, st, lo + j);
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
                 names[st->k->writes], (unsigned long long)first, got_first, exp_first,
                 got_first - exp_first, (unsigned long long)wrong, (unsigned long long)n);
    return HB_OK;
}

static double chain_length(const hb_bench_ctx *ctx, const hb_stream_state *st)
{
    uint64_t nvec = ctx->elements / st->vec;
    double per_item = ceil((double)nvec / (double)st->global);
    return ceil(per_item / 2) + log2(st->vec) + log2((double)st->local) + 4;
}

static int verify_sum(hb_bench_ctx *ctx, hb_stream_state *st, int *valid, char *why, size_t len, hb_err *err)
{
    size_t g = st->groups;
    char *parts = malloc(g * ctx->elem_bytes);
    if (!parts)
        return hb_fail(err, HB_EFAIL, "out of memory for verification");
    if (hb_cl_check(clEnqueueReadBuffer(ctx->env->queue, st->partial, CL_TRUE, 0, g * ctx->elem_bytes, parts, 0,
                                        NULL, NULL), "clEnqueueReadBuffer(partial sums)", err)) {
        free(parts);
        return HB_EFAIL;
    }
    long double sum = 0;
    for (size_t i = 0; i < g; i++)
        sum += ctx->elem_bytes == 8 ? ((double *)parts)[i] : ((float *)parts)[i];
    free(parts);
    double u = ctx->elem_bytes == 8 ? 0x1p-53 : 0x1p-24;
    double tol = 2 * chain_length(ctx, st) * u;
    double rel = st->expected_sum != 0 ? (double)fabsl((sum - st->expected_sum) / st->expected_sum)
                                       : (double)fabsl(sum);
    *valid = rel <= tol; /* also false for NaN */
    if (!*valid)
        snprintf(why, len, "verification failed: sum = %.17Lg, expected %.17Lg (relative error %.3g > %.3g)",
                 sum, st->expected_sum, rel, tol);
    return HB_OK;
}

int hb_stream_verify(hb_bench_ctx *ctx, int *valid, char *why, size_t why_len, hb_err *err)
{
    hb_stream_state *st = ctx->state;
    why[0] = '\0';
    return st->k->reduction ? verify_sum(ctx, st, valid, why, why_len, err)
                            : verify_array(ctx, st, valid, why, why_len, err);
}
