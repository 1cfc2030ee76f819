/* SPDX-License-Identifier: Apache-2.0 */
/* host_stream: the stream family on the host model: each thread of the team
 * streams its block (host_team.h) with the C kernels of kernels/host/, one
 * variant per instruction set and store kind.
 *
 * The tuning grid: store kind (non-temporal stores skip the write-allocate
 * read; Intel SDM vol. 1, 10.4.6.2), instruction set (the widest is not
 * always the fastest on a bandwidth-bound loop), and the number of threads
 * (one per core, or fewer: a few cores can saturate a memory controller),
 * the address streams each thread walks side by side (more lines in
 * flight per core: docs/pocl.md#concurrent-streams), and the software
 * prefetch distance of the arrays read (docs/pocl.md#software-prefetch).
 * --host-stores restricts the store kind. Reductions write nothing, so
 * their grid has no store kind; write reads nothing, so no prefetch. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_env.h"
#include "host_stream_kernels.h"
#include "stream.h"

typedef struct host_stream_state {
    const hb_hs_isa *isa;
    int threads;
    unsigned streams, prefetch;
} host_stream_state;

typedef struct launch_task {
    const hb_stream_fact *f;
    hb_hs_kernel_fn fn;
    unsigned lanes, streams, prefetch;
    hb_dtype dtype;
    unsigned char *arr[3];
    void *partial;
    uint64_t n;
} launch_task;

/* Elements past the last whole vector of a block, in plain C. */
static double tail(const launch_task *k, uint64_t lo, uint64_t hi)
{
    double sum = 0;
    for (uint64_t i = lo; i < hi; i++) {
        if (k->dtype == HB_F64) {
            double *a = (double *)k->arr[0], *b = (double *)k->arr[1], *c = (double *)k->arr[2];
            switch (k->f->kind) {
            case HB_COPY: c[i] = a[i]; break;
            case HB_SCALE: b[i] = HB_STREAM_SCALAR * c[i]; break;
            case HB_ADD: c[i] = a[i] + b[i]; break;
            case HB_TRIAD: a[i] = b[i] + HB_STREAM_SCALAR * c[i]; break;
            case HB_DOT: sum += a[i] * b[i]; break;
            case HB_READ: sum += a[i]; break;
            default: a[i] = HB_STREAM_SCALAR; break;
            }
        } else {
            float *a = (float *)k->arr[0], *b = (float *)k->arr[1], *c = (float *)k->arr[2];
            const float s = (float)HB_STREAM_SCALAR;
            switch (k->f->kind) {
            case HB_COPY: c[i] = a[i]; break;
            case HB_SCALE: b[i] = s * c[i]; break;
            case HB_ADD: c[i] = a[i] + b[i]; break;
            case HB_TRIAD: a[i] = b[i] + s * c[i]; break;
            case HB_DOT: sum += (double)(a[i] * b[i]); break;
            case HB_READ: sum += a[i]; break;
            default: a[i] = s; break;
            }
        }
    }
    return sum;
}

static void run_block(void *arg, int t, int n_threads)
{
    launch_task *k = arg;
    size_t eb = hb_dtype_bytes(k->dtype);
    uint64_t lo, len;
    hb_team_block(k->n, eb, n_threads, t, &lo, &len);
    uint64_t whole = len / k->lanes * k->lanes;
    double sum = k->fn((int)k->f->kind, k->arr[0] ? k->arr[0] + lo * eb : NULL,
                       k->arr[1] ? k->arr[1] + lo * eb : NULL, k->arr[2] ? k->arr[2] + lo * eb : NULL,
                       (size_t)whole, k->streams, k->prefetch);
    sum += tail(k, lo + whole, lo + len);
    if (!k->f->reduction)
        return;
    if (k->dtype == HB_F64)
        ((double *)k->partial)[t] = sum;
    else
        ((float *)k->partial)[t] = (float)sum;
}

static int isa_index(const hb_hs_isa *isa)
{
    for (int i = 0; i < hb_hs_isa_count(); i++)
        if (hb_hs_isa_get(i) == isa)
            return i;
    return -1;
}

static void put(hb_params *p, const hb_bench_ctx *ctx, const hb_hs_isa *isa, int threads, unsigned streams,
                unsigned prefetch, int reduction)
{
    hb_params_clear(p);
    hb_params_set_text(p, "scope", ctx->dev->scope);
    hb_params_set_num(p, "threads", threads);
    hb_params_set_text(p, "stores", reduction ? "none" : isa->nontemporal ? "nontemporal" : "plain");
    hb_params_set_text(p, "isa", isa->name);
    hb_params_set_num(p, "streams", streams);
    hb_params_set_num(p, "prefetch", prefetch);
}

/* Whether variant isa may run: this CPU has it, and --host-stores allows its store kind. */
static int allowed(const hb_bench_ctx *ctx, const hb_hs_isa *isa, int reduction)
{
    const char *stores = hb_bench_opt(ctx->opts, "host-stores");
    if (!hb_hs_isa_ok(isa))
        return 0;
    if (reduction)
        return !isa->nontemporal; /* the store kind is moot: one variant per instruction set */
    return !stores || !strcmp(stores, isa->nontemporal ? "nontemporal" : "plain");
}

static int host_configs(const hb_bench_ctx *ctx, hb_params *out, int max)
{
    int red = hb_stream_fact_of(ctx->bench)->reduction;
    const char *stores = hb_bench_opt(ctx->opts, "host-stores");
    int all = (int)(ctx->dev->n_cores ? ctx->dev->n_cores : 1), n = 0;
    /* The default: the widest variant with the store kind asked for
     * (non-temporal unless --host-stores plain), one thread per core. */
    const hb_hs_isa *first = hb_hs_isa_pick(!red && !(stores && !strcmp(stores, "plain")));
    put(&out[n++], ctx, first, all, 1, 0, red);
    if (ctx->tune == 0)
        return n;
    /* quick: every variant one stream per thread, and the default variant
     * with more streams or with prefetching; full: every combination */
    const int threads[] = {all, all / 2, 1};
    int n_threads = ctx->tune == 2 ? 3 : 1, full = ctx->tune == 2;
    int n_pf = hb_stream_fact_of(ctx->bench)->kind == HB_WRITE ? 1 : HB_HS_NPREFETCH;
    for (int i = 0; i < hb_hs_isa_count() && n < max; i++) {
        const hb_hs_isa *isa = hb_hs_isa_get(i);
        if (!allowed(ctx, isa, red))
            continue;
        for (int t = 0; t < n_threads && n < max; t++) {
            if (threads[t] < 1 || (t > 0 && threads[t] == threads[t - 1]))
                continue;
            for (int k = 0; k < HB_HS_NSTREAMS && n < max; k++)
                for (int f = 0; f < n_pf && n < max; f++) {
                    unsigned st = hb_hs_streams[k], pf = hb_hs_prefetches[f];
                    int base = isa == first && threads[t] == all;
                    if ((base && st == 1 && pf == 0) || (!full && (st > 1 || pf) && !base) ||
                        (!full && st > 1 && pf))
                        continue;
                    put(&out[n++], ctx, isa, threads[t], st, pf, red);
                }
        }
    }
    return n;
}

static int host_prepare(hb_bench_ctx *ctx, const hb_params *cfg, hb_err *err)
{
    hb_stream_data *d = ctx->data;
    host_stream_state *st = ctx->state;
    if (!st && !(st = ctx->state = calloc(1, sizeof *st)))
        return hb_fail(err, HB_EFAIL, "out of memory");
    const hb_param *isa = hb_params_get(cfg, "isa"), *thr = hb_params_get(cfg, "threads"),
                   *stores = hb_params_get(cfg, "stores"), *streams = hb_params_get(cfg, "streams"),
                   *prefetch = hb_params_get(cfg, "prefetch");
    if (!isa || !thr || !stores)
        return hb_fail(err, HB_EFAIL, "host stream: incomplete configuration");
    /* optional: configurations cached before streams or prefetch existed have one, or none */
    st->streams = streams ? (unsigned)streams->num : 1;
    st->prefetch = prefetch ? (unsigned)prefetch->num : 0;
    int known = 0;
    for (int k = 0; k < HB_HS_NSTREAMS; k++)
        known |= st->streams == hb_hs_streams[k];
    if (!known)
        return hb_fail(err, HB_BENCH_SKIP, "host stream: no kernel for %u streams", st->streams);
    st->isa = NULL;
    for (int i = 0; i < hb_hs_isa_count() && !st->isa; i++) {
        const hb_hs_isa *v = hb_hs_isa_get(i);
        if (!strcmp(v->name, hb_param_text(cfg, isa)) && v->nontemporal == !strcmp(hb_param_text(cfg, stores), "nontemporal"))
            st->isa = v;
    }
    if (!st->isa || !hb_hs_isa_ok(st->isa))
        return hb_fail(err, HB_BENCH_SKIP, "this CPU cannot run the %s %s variant", hb_param_text(cfg, isa), hb_param_text(cfg, stores));
    st->threads = (int)thr->num;
    if (st->threads < 1 || st->threads > hb_team_size(ctx->env->team))
        return hb_fail(err, HB_BENCH_SKIP, "%d threads: the team has %d", st->threads,
                       hb_team_size(ctx->env->team));
    if (d->f->reduction) {
        if (!hb_stream_partials(ctx, (size_t)st->threads, err))
            return HB_EFAIL;
        uint64_t lo, len, longest = 0;
        for (int t = 0; t < st->threads; t++) {
            hb_team_block(ctx->elements, ctx->elem_bytes, st->threads, t, &lo, &len);
            longest = len > longest ? len : longest;
        }
        /* the vector chain, the scalar tail, and the rounding of the sum to the dtype */
        d->chain = (double)hb_hs_chain(st->isa, (int)ctx->dtype, longest, st->streams) + st->isa->lanes[ctx->dtype] + 1;
    }
    return isa_index(st->isa) >= 0 ? HB_OK : hb_fail(err, HB_EFAIL, "internal: unknown variant");
}

static int host_launch(hb_bench_ctx *ctx, int slot, hb_err *err)
{
    hb_stream_data *d = ctx->data;
    host_stream_state *st = ctx->state;
    hb_host_env *env = ctx->env;
    launch_task k = {.f = d->f, .fn = st->isa->run[ctx->dtype], .lanes = st->isa->lanes[ctx->dtype],
                     .streams = st->streams, .prefetch = st->prefetch, .dtype = ctx->dtype,
                     .partial = d->f->reduction ? hb_host_ptr(d->partial) : NULL, .n = ctx->elements};
    for (int a = 0; a < 3; a++)
        k.arr[a] = hb_host_ptr(&d->buf[a]);
    double s;
    if (hb_team_run(env->team, st->threads, run_block, &k, &s, err))
        return HB_EFAIL;
    if (slot >= 0 && slot < env->n_seconds)
        env->seconds[slot] = s;
    return HB_OK;
}

static void host_teardown(hb_bench_ctx *ctx)
{
    host_stream_state *st = ctx->state;
    free(st);
    ctx->state = NULL;
}

static int check_stores(const char *value, hb_err *err)
{
    if (!strcmp(value, "nontemporal") || !strcmp(value, "plain"))
        return HB_OK;
    return hb_fail(err, HB_EUSAGE, "--host-stores: unknown value '%s' (nontemporal or plain)", value);
}

static const hb_option host_options[] = {
    {"host-stores", "K", "host baseline stores: nontemporal or plain (default:\nboth are tried, nontemporal first)",
     check_stores},
    {NULL, NULL, NULL, NULL},
};

const hb_kernels hb_host_stream_kernels = {
    .family = "stream", .implementation = "hbmbench", .dtypes = HB_DTYPE_BIT(HB_F32) | HB_DTYPE_BIT(HB_F64),
    .result_family = "host-stream", .options = host_options, .configs = host_configs, .prepare = host_prepare,
    .launch = host_launch, .teardown = host_teardown,
};
