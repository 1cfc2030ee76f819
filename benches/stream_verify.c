/* SPDX-License-Identifier: Apache-2.0 */
/* stream_verify: the checks after each configuration's timed iterations,
 * the same for every model.
 *
 * Array kernels: every element is compared exactly with its expected value
 * (stream_values.h explains why the results are exact). By default the
 * model's own kernels compare them where they are (hb_model.check_values,
 * runner/core/values.h), in parallel, and only the first wrong element is
 * read back, to name it; BabelStream checks on the host after copying the
 * arrays back (src/main.cpp, check_solution), which costs a pass over host
 * memory per array and per configuration. `--verify host` does that: every
 * element read back and compared on the host, the cross-check of the
 * device's answer; `--verify both` runs both and fails when they differ.
 *
 * Reductions: the sum of the partial sums is compared with the exact sum
 * (values.h), computed once at setup by the model (or the host), within the
 * rounding bound of recursive summation: a chain of L additions of positive
 * terms in unit roundoff u has relative error at most about L*u (Higham,
 * Accuracy and Stability of Numerical Algorithms, 2nd ed., section 4.2).
 * The kernels report L (their longest chain: the per-accumulator loop, the
 * vector-lane and work-group trees, the rounding of each product); we allow
 * twice that, plus 1e-15 for rounding the exact sum to long double and the
 * relative error itself. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stream.h"

#define CHUNK ((size_t)1 << 22) /* elements read back at a time by the host check */

static const char *const mode_names[] = {"device", "host", "both"};

static int parse_mode(const char *value, hb_verify_mode *out, hb_err *err)
{
    for (int m = 0; m < 3; m++)
        if (!strcmp(value, mode_names[m])) {
            *out = (hb_verify_mode)m;
            return HB_OK;
        }
    return hb_fail(err, HB_EUSAGE, "--verify: '%s' is not one of device, host, both", value);
}

static int check_mode(const char *value, hb_err *err)
{
    hb_verify_mode m;
    return parse_mode(value, &m, err);
}

const hb_option hb_stream_options[] = {
    {"verify", "WHERE",
     "where stream outputs are checked: device (default: the\n"
     "model's kernels compare every element in place), host\n"
     "(every element read back and compared on the host, a\n"
     "cross-check), or both (the two must agree)", check_mode},
    {NULL, NULL, NULL, NULL},
};

int hb_stream_verify_mode(const hb_bench_opts *opts, hb_verify_mode *out, hb_err *err)
{
    const char *v = opts ? hb_bench_opt(opts, "verify") : NULL;
    *out = HB_VERIFY_DEVICE;
    return v ? parse_mode(v, out, err) : HB_OK;
}

static double element(const hb_bench_ctx *ctx, const void *p, size_t j)
{
    return ctx->dtype == HB_F64 ? ((const double *)p)[j] : ((const float *)p)[j];
}

static double expected_at(const hb_bench_ctx *ctx, const hb_stream_data *d, uint64_t i)
{
    return ctx->dtype == HB_F64 ? hb_stream_expected_f64(d->f->kind, i) : hb_stream_expected_f32(d->f->kind, i);
}

/* Every element read back and compared on the host. */
static int host_check(hb_bench_ctx *ctx, hb_stream_data *d, hb_values_check *out, hb_err *err)
{
    uint64_t n = ctx->elements;
    char *chunk = malloc(CHUNK * ctx->elem_bytes);
    if (!chunk)
        return hb_fail(err, HB_EFAIL, "out of memory for verification");
    const hb_buf *buf = &d->buf[d->f->writes];
    *out = (hb_values_check){0, UINT64_MAX};
    for (uint64_t lo = 0; lo < n; lo += CHUNK) {
        size_t cnt = n - lo < CHUNK ? (size_t)(n - lo) : CHUNK;
        if (ctx->model->download(ctx->env, buf, lo * ctx->elem_bytes, cnt * ctx->elem_bytes, chunk, err)) {
            free(chunk);
            return HB_EFAIL;
        }
        for (size_t j = 0; j < cnt; j++)
            if (element(ctx, chunk, j) != expected_at(ctx, d, lo + j))
                hb_values_check_add(out, 1, lo + j);
    }
    free(chunk);
    return HB_OK;
}

static int device_check(hb_bench_ctx *ctx, hb_stream_data *d, hb_values_check *out, hb_err *err)
{
    hb_values_expr e = hb_stream_expr(d->f->kind);
    *out = (hb_values_check){0, UINT64_MAX};
    return ctx->model->check_values(ctx->env, &d->buf[d->f->writes], ctx->dtype, ctx->elements, &e, out, err);
}

static int verify_array(hb_bench_ctx *ctx, hb_stream_data *d, int *valid, char *why, size_t len, hb_err *err)
{
    static const char names[] = "abc";
    hb_values_check dev = {0, UINT64_MAX}, host = {0, UINT64_MAX};
    if ((d->verify_mode != HB_VERIFY_HOST && device_check(ctx, d, &dev, err)) ||
        (d->verify_mode != HB_VERIFY_DEVICE && host_check(ctx, d, &host, err)))
        return HB_EFAIL;
    if (d->verify_mode == HB_VERIFY_BOTH && (dev.wrong != host.wrong || dev.first != host.first)) {
        *valid = 0;
        snprintf(why, len, "verification failed: the device check (%llu wrong, first at %lld) and the host check "
                           "(%llu wrong, first at %lld) disagree",
                 (unsigned long long)dev.wrong, dev.wrong ? (long long)dev.first : -1LL,
                 (unsigned long long)host.wrong, host.wrong ? (long long)host.first : -1LL);
        return HB_OK;
    }
    hb_values_check c = d->verify_mode == HB_VERIFY_HOST ? host : dev;
    *valid = c.wrong == 0;
    if (!c.wrong)
        return HB_OK;
    if (c.first >= ctx->elements)
        return hb_fail(err, HB_EFAIL, "internal: %s check reports %llu wrong elements, the first at %llu of %llu",
                       ctx->model->name, (unsigned long long)c.wrong, (unsigned long long)c.first,
                       (unsigned long long)ctx->elements);
    double got_store = 0; /* room for one element of either dtype */
    if (ctx->model->download(ctx->env, &d->buf[d->f->writes], c.first * ctx->elem_bytes, ctx->elem_bytes,
                             &got_store, err))
        return HB_EFAIL;
    double got = element(ctx, &got_store, 0), want = expected_at(ctx, d, c.first);
    snprintf(why, len, "verification failed: %c[%llu] = %.17g, expected %.17g (error %.3g); "
                       "%llu of %llu elements wrong",
             names[d->f->writes], (unsigned long long)c.first, got, want, got - want, (unsigned long long)c.wrong,
             (unsigned long long)ctx->elements);
    return HB_OK;
}

int hb_stream_reference_sum(hb_bench_ctx *ctx, hb_err *err)
{
    hb_stream_data *d = ctx->data;
    unsigned seeds[2];
    hb_values_sum dev = {0}, host = {0};
    int f64 = ctx->dtype == HB_F64;
    hb_stream_sum_seeds(d->f->kind, seeds);
    if (d->verify_mode != HB_VERIFY_HOST &&
        ctx->model->sum_values(ctx->env, ctx->dtype, ctx->elements, seeds[0], seeds[1], &dev, err))
        return HB_EFAIL;
    if (d->verify_mode != HB_VERIFY_DEVICE)
        hb_values_sum_range(f64, 0, ctx->elements, seeds[0], seeds[1], &host);
    if (d->verify_mode == HB_VERIFY_BOTH && memcmp(&dev, &host, sizeof dev))
        return hb_fail(err, HB_EFAIL, "%s: the exact sum of the inputs differs between the device (%.17Lg) and "
                       "the host (%.17Lg)", ctx->model->name, hb_values_sum_value(&dev, f64),
                       hb_values_sum_value(&host, f64));
    d->expected_sum = hb_values_sum_value(d->verify_mode == HB_VERIFY_HOST ? &host : &dev, f64);
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
