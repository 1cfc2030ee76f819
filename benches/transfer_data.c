/* SPDX-License-Identifier: Apache-2.0 */
/* transfer_data: the transfer benches' data, for every model: the host
 * memory (pageable from mmap, or the model's pinned memory) bound to a NUMA
 * node, the device buffers, the patterns, and the exact check after the
 * round trip (transfer.h). */
#include "transfer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define SEED_A 1u              /* the host source, copied to the device */
#define SEED_B 2u              /* the device source, copied to the host */
#define CHUNK ((size_t)4 << 20) /* read back in pieces: no second copy of a 1 GiB buffer */

/* splitmix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014; Vigna's reference code): every word differs
 * from its neighbours and from the other pattern, so a word copied to the
 * wrong place, or not copied, is caught. */
static uint64_t hb_transfer_word(uint64_t i, unsigned seed)
{
    uint64_t z = i + ((uint64_t)seed + 1) * 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static void fill(unsigned char *p, size_t bytes, unsigned seed)
{
    uint64_t *w = (uint64_t *)(void *)p;
    for (size_t i = 0; i < bytes / 8; i++)
        w[i] = hb_transfer_word(i, seed);
}

/* Host memory: the model's pinned memory, or fresh pages from mmap, which
 * the bound thread then touches first (fill), so they come from its node;
 * malloc could hand back pages touched before the binding. */
static int host_alloc(hb_bench_ctx *ctx, const hb_transfer_data *d, unsigned char **p, hb_host_buf *pinned,
                      size_t *mapped, hb_err *err)
{
    if (d->pinned) {
        if (ctx->model->pinned_alloc(ctx->env, d->bytes, pinned, err))
            return HB_EFAIL;
        *p = pinned->ptr;
        return HB_OK;
    }
    void *m = mmap(NULL, d->bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return hb_fail(err, HB_EFAIL, "cannot map %zu bytes of host memory", d->bytes);
    *p = m;
    *mapped = d->bytes;
    return HB_OK;
}

static void host_free(hb_bench_ctx *ctx, unsigned char *p, hb_host_buf *pinned, size_t mapped)
{
    if (pinned->handle)
        ctx->model->pinned_release(ctx->env, pinned);
    else if (p && mapped)
        munmap(p, mapped);
}

/* Binds this thread, and so the pages it touches first, to the device's
 * node (or, --numa remote, the nearest other), and records where. */
static int bind_host(hb_bench_ctx *ctx, hb_transfer_data *d, hb_err *err)
{
    const char *numa = hb_bench_opt(ctx->opts, "numa");
    int remote = numa && !strcmp(numa, "remote");
    if (!ctx->place) {
        hb_params_set_text(&ctx->facts, "numa", "unbound");
        return HB_OK;
    }
    if (ctx->place->bind(ctx->place, ctx->dev, remote, &d->binding, err))
        return err->code;
    d->bound = 1;
    hb_params_set_text(&ctx->facts, "numa", remote ? "remote" : "local");
    hb_params_set_text(&ctx->facts, "numa_node", d->binding.nodes);
    hb_params_set_text(&ctx->facts, "cpus", d->binding.cpus);
    if (strcmp(d->binding.how, "thread and memory bound"))
        snprintf(ctx->note, sizeof ctx->note, "NUMA binding: %s", d->binding.how);
    return HB_OK;
}

/* What the result records beside its path: no link is crossed where
 * device memory is host memory (docs/transfer.md#zero-copy), and where the
 * host pages are. */
static void record(hb_bench_ctx *ctx, const hb_transfer_data *d)
{
    hb_params_set_bool(&ctx->facts, "zero_copy", ctx->dev->unified_memory);
    if (ctx->dev->unified_memory) {
        size_t used = strlen(ctx->note);
        snprintf(ctx->note + used, sizeof ctx->note - used, "%szero-copy: device memory is host memory, so this "
                 "is a copy within host memory, not a link bandwidth (no percent of a link peak)", used ? "; " : "");
    }
    char nodes[64] = "";
    if (ctx->place)
        ctx->place->where(ctx->place, d->src ? d->src : d->dst, d->bytes, nodes, sizeof nodes);
    hb_params_set_text(&ctx->facts, "host_pages_on", nodes[0] ? nodes : "unknown");
}

int hb_transfer_setup(hb_bench_ctx *ctx, hb_err *err)
{
    hb_transfer_data *d = calloc(1, sizeof *d);
    if (!d)
        return hb_fail(err, HB_EFAIL, "out of memory");
    ctx->data = d;
    d->dir = hb_transfer_dir(ctx->bench);
    d->bytes = ctx->elements * ctx->elem_bytes;
    d->pinned = hb_xfer_pinned(&ctx->problem);
    d->map = hb_xfer_map(&ctx->problem);
    ctx->bytes_per_iter = (double)d->bytes * (d->dir == HB_XFER_BIDIR ? 2 : 1);
    ctx->flops_per_iter = 0;
    if (bind_host(ctx, d, err))
        return err->code;
    const hb_model *m = ctx->model;
    if (d->dir != HB_XFER_D2H && (host_alloc(ctx, d, &d->src, &d->pinned_src, &d->mapped_src, err) ||
                                  m->alloc(ctx->env, d->bytes, &d->to_dev, err)))
        return HB_EFAIL;
    if (d->dir != HB_XFER_H2D && (host_alloc(ctx, d, &d->dst, &d->pinned_dst, &d->mapped_dst, err) ||
                                  m->alloc(ctx->env, d->bytes, &d->from_dev, err)))
        return HB_EFAIL;
    if (d->src)
        fill(d->src, d->bytes, SEED_A);
    if (d->dst) { /* pattern B reaches the device through dst, which poison then overwrites */
        fill(d->dst, d->bytes, SEED_B);
        if (m->upload(ctx->env, &d->from_dev, 0, d->bytes, d->dst, err))
            return HB_EFAIL;
    }
    record(ctx, d);
    return HB_OK;
}

/* All-ones words: splitmix64 gives one with probability 2^-64. */
int hb_transfer_poison(hb_bench_ctx *ctx, hb_err *err)
{
    hb_transfer_data *d = ctx->data;
    static const uint64_t ones = ~(uint64_t)0;
    if (d->dst)
        memset(d->dst, 0xff, d->bytes);
    return d->src ? ctx->model->fill(ctx->env, &d->to_dev, &ones, sizeof ones, d->bytes, err) : HB_OK;
}

/* The first word of got[0..n) that differs from the pattern, from word lo;
 * -1 when none does. */
static long long first_bad(const unsigned char *got, size_t n, uint64_t lo, unsigned seed, uint64_t *have,
                           uint64_t *want)
{
    for (size_t i = 0; i < n / 8; i++) {
        uint64_t g;
        memcpy(&g, got + 8 * i, 8);
        uint64_t w = hb_transfer_word(lo + i, seed);
        if (g != w) {
            *have = g, *want = w;
            return (long long)(lo + i);
        }
    }
    return -1;
}

/* The device buffer written from src, read back in chunks. */
static int check_device(hb_bench_ctx *ctx, const hb_transfer_data *d, int *valid, char *why, size_t len,
                        hb_err *err)
{
    unsigned char *chunk = malloc(d->bytes < CHUNK ? d->bytes : CHUNK);
    if (!chunk)
        return hb_fail(err, HB_EFAIL, "out of memory");
    int rc = HB_OK;
    for (size_t off = 0; off < d->bytes && *valid && !rc; off += CHUNK) {
        size_t n = d->bytes - off < CHUNK ? d->bytes - off : CHUNK;
        uint64_t have, want;
        rc = ctx->model->download(ctx->env, &d->to_dev, off, n, chunk, err);
        long long bad = rc ? -1 : first_bad(chunk, n, off / 8, SEED_A, &have, &want);
        if (bad >= 0) {
            *valid = 0;
            snprintf(why, len, "host to device: device word %lld (byte %lld) is 0x%016llx, want 0x%016llx", bad,
                     bad * 8, (unsigned long long)have, (unsigned long long)want);
        }
    }
    free(chunk);
    return rc;
}

int hb_transfer_verify(hb_bench_ctx *ctx, int *valid, char *why, size_t why_len, hb_err *err)
{
    hb_transfer_data *d = ctx->data;
    *valid = 1;
    why[0] = '\0';
    if (d->src && check_device(ctx, d, valid, why, why_len, err))
        return HB_EFAIL;
    uint64_t have, want;
    long long bad = d->dst && *valid ? first_bad(d->dst, d->bytes, 0, SEED_B, &have, &want) : -1;
    if (bad >= 0) {
        *valid = 0;
        snprintf(why, why_len, "device to host: host word %lld (byte %lld) is 0x%016llx, want 0x%016llx", bad,
                 bad * 8, (unsigned long long)have, (unsigned long long)want);
    }
    return HB_OK;
}

void hb_transfer_teardown(hb_bench_ctx *ctx)
{
    hb_transfer_data *d = ctx->data;
    if (!d)
        return;
    if (d->to_dev.handle)
        ctx->model->release(ctx->env, &d->to_dev);
    if (d->from_dev.handle)
        ctx->model->release(ctx->env, &d->from_dev);
    host_free(ctx, d->src, &d->pinned_src, d->mapped_src);
    host_free(ctx, d->dst, &d->pinned_dst, d->mapped_dst);
    if (d->bound)
        ctx->place->unbind(ctx->place, &d->binding);
    free(d);
    ctx->data = NULL;
}
