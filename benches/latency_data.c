/* SPDX-License-Identifier: Apache-2.0 */
/* latency_data: the latency bench's data, for every model: the random
 * cycle, its order (for the expected end), the device buffers, and the
 * exact check of the index the chase ended at (latency.h). */
#include "latency.h"

#include <stdio.h>
#include <stdlib.h>

#include "splitmix.h"

#define SEED 0x6c6174656e6379ull /* "latency": any fixed seed; the same cycle on every machine */

uint64_t hb_latency_cycle(uint64_t n, uint64_t seed, uint32_t *next, uint32_t *order)
{
    for (uint64_t i = 0; i < n; i++)
        next[i] = (uint32_t)i;
    /* Sattolo's algorithm (Sattolo, "An algorithm to generate a random
     * cyclic permutation", IPL 22(6), 1986; Knuth TAOCP vol. 2, 3.4.2): as
     * Fisher-Yates, but j < i strictly, so every permutation it makes is
     * one cycle of length n. The modulo's bias is below n / 2^64. */
    uint64_t state = seed;
    for (uint64_t i = n - 1; i > 0; i--) {
        uint64_t j = hb_splitmix64(&state) % i;
        uint32_t t = next[i];
        next[i] = next[j];
        next[j] = t;
    }
    /* Walk it once from 0: the order of the cycle, and its length. */
    uint64_t len = 0;
    uint32_t at = 0;
    do {
        if (order)
            order[len] = at;
        at = next[at];
        len++;
    } while (at != 0 && len < n);
    return at == 0 ? len : 0;
}

int hb_latency_configs(const hb_bench_ctx *ctx, hb_params *out, int max)
{
    (void)ctx;
    if (max < 1)
        return 0;
    hb_params_clear(&out[0]);
    hb_params_set_num(&out[0], "threads", 1);
    return 1;
}

uint32_t hb_latency_next_start(hb_bench_ctx *ctx)
{
    hb_latency_data *d = ctx->data;
    uint32_t start = d->order[d->pos];
    d->pos = (d->pos + d->loads % d->n) % d->n;
    d->launches++;
    return start;
}

uint32_t hb_latency_expected(const hb_latency_data *d)
{
    return d->order[d->pos];
}

int hb_latency_setup(hb_bench_ctx *ctx, hb_err *err)
{
    hb_latency_data *d = calloc(1, sizeof *d);
    if (!d)
        return hb_fail(err, HB_EFAIL, "out of memory");
    ctx->data = d;
    d->n = ctx->problem.elements;
    d->loads = hb_latency_loads(ctx->opts);
    if (d->n < 2 || d->n > HB_LATENCY_POISON)
        return hb_fail(err, HB_EFAIL, "latency: %llu indices: a cycle needs 2 to 2^32 - 1",
                       (unsigned long long)d->n);
    ctx->ops_per_iter = (double)d->loads;
    ctx->bytes_per_iter = 4.0 * (double)d->loads;
    ctx->flops_per_iter = 0;
    size_t bytes = (size_t)d->n * sizeof(uint32_t);
    uint32_t *next = malloc(bytes);
    d->order = malloc(bytes);
    if (!next || !d->order) {
        free(next);
        return hb_fail(err, HB_EFAIL, "latency: out of host memory for two arrays of %zu bytes", bytes);
    }
    uint64_t len = hb_latency_cycle(d->n, SEED ^ d->n, next, d->order);
    int rc = len != d->n ? hb_fail(err, HB_EFAIL, "internal: the permutation is not one cycle (%llu of %llu)",
                                   (unsigned long long)len, (unsigned long long)d->n)
                         : HB_OK;
    const hb_model *m = ctx->model;
    if (!rc)
        rc = m->alloc(ctx->env, bytes, &d->next, err) || m->upload(ctx->env, &d->next, 0, bytes, next, err) ||
                     m->alloc(ctx->env, sizeof(uint32_t), &d->out, err) ? HB_EFAIL : HB_OK;
    free(next);
    return rc;
}

int hb_latency_poison(hb_bench_ctx *ctx, hb_err *err)
{
    hb_latency_data *d = ctx->data;
    static const uint32_t poison = HB_LATENCY_POISON;
    d->pos = 0;
    d->launches = 0;
    return ctx->model->fill(ctx->env, &d->out, &poison, sizeof poison, sizeof poison, err);
}

int hb_latency_verify(hb_bench_ctx *ctx, int *valid, char *why, size_t why_len, hb_err *err)
{
    hb_latency_data *d = ctx->data;
    uint32_t got;
    *valid = 1;
    why[0] = '\0';
    if (ctx->model->download(ctx->env, &d->out, 0, sizeof got, &got, err))
        return HB_EFAIL;
    uint32_t want = hb_latency_expected(d);
    if (d->launches == 0 || got != want) {
        *valid = 0;
        if (got == HB_LATENCY_POISON)
            snprintf(why, why_len, "the chase wrote no end index (still the poison 0x%08x; want %u after %llu "
                     "iterations of %llu loads)", (unsigned)got, (unsigned)want, (unsigned long long)d->launches,
                     (unsigned long long)d->loads);
        else
            snprintf(why, why_len, "the chase ended at index %u, want %u (after %llu iterations of %llu loads over "
                     "%llu indices)", (unsigned)got, (unsigned)want, (unsigned long long)d->launches,
                     (unsigned long long)d->loads, (unsigned long long)d->n);
    }
    return HB_OK;
}

void hb_latency_teardown(hb_bench_ctx *ctx)
{
    hb_latency_data *d = ctx->data;
    if (!d)
        return;
    if (d->next.handle)
        ctx->model->release(ctx->env, &d->next);
    if (d->out.handle)
        ctx->model->release(ctx->env, &d->out);
    free(d->order);
    free(d);
    ctx->data = NULL;
}
