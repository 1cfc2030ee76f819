/* SPDX-License-Identifier: Apache-2.0 */
/* stream: the stream family's descriptors, data and checks, for every model.
 * The facts come from HB_STREAM_KERNELS (stream.h); how each model runs the
 * kernels is in runner/models/<model>/. */
#include "stream.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const hb_stream_fact hb_stream_facts[HB_STREAM_NKINDS] = {
#define HB_STREAM_FACT(ID, nm, formula, reads, writes, flops, reduction) \
    [HB_##ID] = {HB_##ID, #nm, formula, reads, writes, flops, reduction},
    HB_STREAM_KERNELS(HB_STREAM_FACT)
#undef HB_STREAM_FACT
};

int hb_stream_arrays(const hb_stream_fact *f)
{
    return __builtin_popcount(f->reads) + (f->writes >= 0);
}

const hb_stream_fact *hb_stream_fact_of(const hb_bench *b)
{
    return b->family == &hb_family_stream ? b->facts : NULL;
}

hb_values_expr hb_stream_expr(hb_stream_kind kind)
{
    const double s = HB_STREAM_SCALAR;
    switch (kind) {
    case HB_COPY: return (hb_values_expr){{HB_SEED_A, 0}, {1, 0}, 0};
    case HB_SCALE: return (hb_values_expr){{HB_SEED_C, 0}, {s, 0}, 0};
    case HB_ADD: return (hb_values_expr){{HB_SEED_A, HB_SEED_B}, {1, 1}, 0};
    case HB_TRIAD: return (hb_values_expr){{HB_SEED_B, HB_SEED_C}, {1, s}, 0};
    case HB_WRITE: return (hb_values_expr){{0, 0}, {0, 0}, s};
    default: return (hb_values_expr){{0, 0}, {0, 0}, 0};
    }
}

float hb_stream_expected_f32(hb_stream_kind kind, uint64_t i)
{
    hb_values_expr e = hb_stream_expr(kind);
    return hb_values_expr_f32(&e, i);
}

double hb_stream_expected_f64(hb_stream_kind kind, uint64_t i)
{
    hb_values_expr e = hb_stream_expr(kind);
    return hb_values_expr_f64(&e, i);
}

void hb_stream_sum_seeds(hb_stream_kind kind, unsigned seeds[2])
{
    seeds[0] = HB_SEED_A;
    seeds[1] = kind == HB_DOT ? HB_SEED_B : 0;
}

long double hb_stream_expected_sum(hb_stream_kind kind, hb_dtype dtype, uint64_t lo, uint64_t n)
{
    unsigned seeds[2];
    hb_values_sum sum = {0};
    hb_stream_sum_seeds(kind, seeds);
    hb_values_sum_range(dtype == HB_F64, lo, n, seeds[0], seeds[1], &sum);
    return hb_values_sum_value(&sum, dtype == HB_F64);
}

/* "copy, scale 2 arrays; add, triad 3; dot 2; read 1; write 1": kernels
 * with the same count next to each other share it. */
static void stream_conventions(char *buf, size_t len)
{
    size_t used = (size_t)snprintf(buf, len, "Bytes counted as STREAM/BabelStream: ");
    for (int k = 0; k < HB_STREAM_NKINDS && used < len; k++) {
        int arrays = hb_stream_arrays(&hb_stream_facts[k]);
        int last = k + 1 == HB_STREAM_NKINDS || hb_stream_arrays(&hb_stream_facts[k + 1]) != arrays;
        used += (size_t)snprintf(buf + used, len - used, "%s%s", hb_stream_facts[k].name, last ? " " : ", ");
        if (last && used < len)
            used += (size_t)snprintf(buf + used, len - used, "%d array%s%s", arrays, arrays == 1 ? "" : "s",
                                     k + 1 == HB_STREAM_NKINDS ? "" : "; ");
    }
    if (used < len)
        snprintf(buf + used, len - used, "; write-allocate traffic not counted.");
}

const hb_family hb_family_stream = {
    .name = "stream", .figure = &hb_figure_bandwidth, .in_default_set = 1, .options = hb_stream_options, .conventions_key = "bytes",
    .conventions = stream_conventions,
};

/* ---- data ---- */

static int alloc_arrays(hb_bench_ctx *ctx, hb_stream_data *d, hb_err *err)
{
    static const unsigned seeds[3] = {HB_SEED_A, HB_SEED_B, HB_SEED_C};
    size_t bytes = ctx->elements * ctx->elem_bytes;
    for (int a = 0; a < 3; a++) {
        int read = d->f->reads >> a & 1;
        if (!read && d->f->writes != a)
            continue;
        if (ctx->model->alloc(ctx->env, bytes, &d->buf[a], err) ||
            (read && ctx->model->init_values(ctx->env, &d->buf[a], ctx->dtype, ctx->elements, seeds[a], err)))
            return HB_EFAIL;
    }
    return HB_OK;
}

static int stream_setup(hb_bench_ctx *ctx, hb_err *err)
{
    hb_stream_data *d = calloc(1, sizeof *d);
    if (!d)
        return hb_fail(err, HB_EFAIL, "out of memory");
    ctx->data = d;
    d->f = ctx->bench->facts;
    ctx->bytes_per_iter = hb_stream_arrays(d->f) * (double)ctx->elements * (double)ctx->elem_bytes;
    ctx->flops_per_iter = d->f->flops * (double)ctx->elements;
    if (alloc_arrays(ctx, d, err) || hb_stream_verify_mode(ctx->opts, &d->verify_mode, err))
        return HB_EFAIL;
    return d->f->reduction ? hb_stream_reference_sum(ctx, err) : HB_OK;
}

static void stream_teardown(hb_bench_ctx *ctx)
{
    hb_stream_data *d = ctx->data;
    if (!d)
        return;
    for (int a = 0; a < 3; a++)
        if (d->buf[a].handle)
            ctx->model->release(ctx->env, &d->buf[a]);
    if (d->partial_buf.handle)
        ctx->model->release(ctx->env, &d->partial_buf);
    free(d);
    ctx->data = NULL;
}

hb_buf *hb_stream_partials(hb_bench_ctx *ctx, size_t n, hb_err *err)
{
    hb_stream_data *d = ctx->data;
    if (d->partial_cap < n) {
        if (d->partial_buf.handle)
            ctx->model->release(ctx->env, &d->partial_buf);
        d->partial_cap = 0;
        if (ctx->model->alloc(ctx->env, n * ctx->elem_bytes, &d->partial_buf, err))
            return NULL;
        d->partial_cap = n;
    }
    d->partial = &d->partial_buf;
    d->n_partials = n;
    return &d->partial_buf;
}

/* -1 in the written array, or in every partial sum: values the kernels
 * never produce (all inputs are in [1, 2) and s = 3). */
static int stream_poison(hb_bench_ctx *ctx, hb_err *err)
{
    hb_stream_data *d = ctx->data;
    double p64 = -1.0;
    float p32 = -1.0f;
    const void *pat = ctx->dtype == HB_F64 ? (const void *)&p64 : (const void *)&p32;
    hb_buf *out = d->f->reduction ? (hb_buf *)d->partial : &d->buf[d->f->writes];
    size_t bytes = d->f->reduction ? d->n_partials * ctx->elem_bytes : ctx->elements * ctx->elem_bytes;
    if (!out)
        return hb_fail(err, HB_EFAIL, "internal: %s kernels set no partial sums", ctx->model->name);
    return ctx->model->fill(ctx->env, out, pat, ctx->elem_bytes, bytes, err);
}

#define HB_STREAM_BENCH(ID, nm, formula_, reads, writes, flops, reduction)                               \
    const hb_bench hb_bench_##nm = {                                                                   \
        .name = #nm, .family = &hb_family_stream, .formula = formula_,                                 \
        .dtypes = HB_DTYPE_BIT(HB_F32) | HB_DTYPE_BIT(HB_F64), .facts = &hb_stream_facts[HB_##ID],     \
        .setup = stream_setup, .poison = stream_poison, .verify = hb_stream_verify,                    \
        .teardown = stream_teardown};
HB_STREAM_KERNELS(HB_STREAM_BENCH)
#undef HB_STREAM_BENCH
