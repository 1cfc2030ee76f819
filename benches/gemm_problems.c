/* SPDX-License-Identifier: Apache-2.0 */
/* gemm_problems: which GEMM shapes a run measures, and the shape classes
 * the tuner keys its winners by.
 *
 * The default sweep: squares that show how the rate grows with size until
 * it levels off, plus the two shapes where GEMM is memory bound, so one
 * table shows the crossing from the memory roof to the compute roof:
 *  - skinny: M = N large, K small: 2*M*N*K FLOP against ~2*M*N elements of
 *    C traffic, an arithmetic intensity of about K/(2*element size);
 *  - GEMV-like: N = 1: every element of A is used once, intensity about
 *    1/(element size).
 * Only problems whose four matrices fit the device are kept: each below
 * the largest allocation, all four within 60% of its memory. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gemm.h"

#define MAX_DIM 2147483647ULL /* the kernels index with int */
#define MEM_SHARE 0.6

void hb_gemm_label(hb_problem *p)
{
    p->dims = HB_DIM_M | HB_DIM_N | HB_DIM_K;
    p->elements = p->m * p->n;
    snprintf(p->label, sizeof p->label, "%" PRIu64 "x%" PRIu64 "x%" PRIu64, p->m, p->n, p->k);
}

static int parse_dim(const char *s, size_t len, uint64_t *out)
{
    if (len == 0 || len > 10)
        return -1;
    uint64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    if (v == 0 || v > MAX_DIM)
        return -1;
    *out = v;
    return 0;
}

/* One item: "N" or "MxNxK". */
static int parse_item(const char *s, size_t len, hb_problem *p)
{
    const char *x1 = memchr(s, 'x', len);
    memset(p, 0, sizeof *p);
    if (!x1) {
        if (parse_dim(s, len, &p->m))
            return -1;
        p->n = p->k = p->m;
    } else {
        const char *x2 = memchr(x1 + 1, 'x', (size_t)(s + len - x1 - 1));
        if (!x2 || memchr(x2 + 1, 'x', (size_t)(s + len - x2 - 1)) || parse_dim(s, (size_t)(x1 - s), &p->m) ||
            parse_dim(x1 + 1, (size_t)(x2 - x1 - 1), &p->n) || parse_dim(x2 + 1, (size_t)(s + len - x2 - 1), &p->k))
            return -1;
    }
    hb_gemm_label(p);
    return 0;
}

int hb_gemm_parse_sizes(const char *text, hb_problem *out, int max, int *n, hb_err *err)
{
    *n = 0;
    if (!text || !*text)
        return hb_fail(err, HB_EUSAGE, "--gemm-sizes: empty list");
    for (const char *s = text;;) {
        const char *comma = strchr(s, ',');
        size_t len = comma ? (size_t)(comma - s) : strlen(s);
        if (*n == max)
            return hb_fail(err, HB_EUSAGE, "--gemm-sizes: more than %d sizes", max);
        if (len == 0)
            return hb_fail(err, HB_EUSAGE, "--gemm-sizes: empty item in '%s'", text);
        if (parse_item(s, len, &out[*n]))
            return hb_fail(err, HB_EUSAGE,
                           "--gemm-sizes: '%.*s' is not a size: use N (an N x N x N product) or MxNxK, "
                           "each a whole number from 1 to %llu", (int)len, s, MAX_DIM);
        (*n)++;
        if (!comma)
            return HB_OK;
        s = comma + 1;
    }
}

const char *hb_gemm_shape(const hb_problem *p)
{
    uint64_t mn = p->m < p->n ? p->m : p->n;
    if (p->n < 8)
        return "gemv";
    if (p->k * 8 <= mn)
        return "skinny";
    return "square";
}

/* Bytes of A, B, C and D, and whether each fits one allocation. */
static int fits(const hb_device *dev, const hb_problem *p, size_t eb, char *why, size_t len)
{
    double a = (double)p->m * (double)p->k * (double)eb, b = (double)p->k * (double)p->n * (double)eb,
           c = (double)p->m * (double)p->n * (double)eb;
    double biggest = a > b ? (a > c ? a : c) : (b > c ? b : c);
    if (biggest > (double)dev->max_alloc_bytes || a + b + 2 * c > MEM_SHARE * (double)dev->global_mem_bytes) {
        snprintf(why, len, "%.1f MB in four matrices (largest %.1f MB) does not fit %.60s: largest allocation "
                 "%.1f MB, %.0f%% of memory %.1f MB", (a + b + 2 * c) / 1e6, biggest / 1e6, dev->name,
                 (double)dev->max_alloc_bytes / 1e6, 100 * MEM_SHARE,
                 MEM_SHARE * (double)dev->global_mem_bytes / 1e6);
        return 0;
    }
    return 1;
}

static int is_cpu(const hb_device *dev)
{
    return hb_device_on_host_memory(dev);
}

/* CPU devices reach their rate by N = 1024-2048 and take seconds per
 * call beyond; GPUs need larger problems to fill every unit. */
static int default_sizes(const hb_device *dev, hb_problem *out)
{
    static const uint64_t cpu[][3] = {{256, 256, 256}, {512, 512, 512}, {1024, 1024, 1024},
                                      {2048, 2048, 2048}, {4096, 4096, 16}, {4096, 1, 4096}};
    static const uint64_t gpu[][3] = {{1024, 1024, 1024}, {2048, 2048, 2048}, {4096, 4096, 4096},
                                      {8192, 8192, 8192}, {16384, 16384, 32}, {16384, 1, 16384}};
    const uint64_t(*s)[3] = is_cpu(dev) ? cpu : gpu;
    for (int i = 0; i < 6; i++) {
        out[i] = (hb_problem){.m = s[i][0], .n = s[i][1], .k = s[i][2]};
        hb_gemm_label(&out[i]);
    }
    return 6;
}

int hb_gemm_problems(const hb_bench_ctx *ctx, hb_problem *out, int max, hb_err *err)
{
    hb_problem all[64];
    int n = 0;
    const char *sizes = hb_bench_opt(ctx->opts, "gemm-sizes");
    if (sizes) {
        if (hb_gemm_parse_sizes(sizes, all, 64, &n, err))
            return -1;
    } else {
        n = default_sizes(ctx->dev, all);
    }
    int kept = 0;
    char why[400];
    for (int i = 0; i < n && kept < max; i++) {
        if (fits(ctx->dev, &all[i], ctx->elem_bytes, why, sizeof why))
            out[kept++] = all[i];
        else if (sizes) { /* asked for by name: say so */
            hb_fail(err, HB_EUSAGE, "--gemm-sizes: %s (%s): %s", all[i].label, hb_dtype_name(ctx->dtype), why);
            return -1;
        }
    }
    if (kept == 0) {
        hb_fail(err, HB_EUSAGE, "%s: no GEMM size fits in %s", ctx->dev->name, hb_dtype_name(ctx->dtype));
        return -1;
    }
    return kept;
}

/* Square problems are tuned once, at the largest square of the run not
 * above 2048 (large enough that tiles, not launch overhead, decide, and
 * the size the peers are compared at: docs/pocl.md), or at 2048 itself
 * when every square of the run is larger. CPU devices were tuned at 1024
 * until, on a 2-core Zen 3 (32 MiB L3: 1024's matrices fit in it, 2048's
 * do not), the search at 1024 chose other work-groups and K steps than
 * the search at 2048 (f32: 16x4 work-items, K step 512, against 4x16 and
 * 2048). Larger squares keep 2048's winner: the grid's blocks are sized
 * by the core's caches, not by N. Skinny and GEMV-like
 * shapes are tuned at the first of their class. */
int hb_gemm_tune_problem(const hb_bench_ctx *ctx, hb_problem *out)
{
    hb_problem list[64];
    hb_err err = {0};
    const char *shape = hb_gemm_shape(&ctx->problem);
    int n = hb_gemm_problems(ctx, list, 64, &err);
    if (n <= 0)
        return 0;
    if (strcmp(shape, "square") != 0) {
        for (int i = 0; i < n; i++)
            if (!strcmp(hb_gemm_shape(&list[i]), shape)) {
                *out = list[i];
                return 1;
            }
        return 0;
    }
    const uint64_t ref = 2048;
    double cap = (double)ref * (double)ref * (double)ref, best = 0;
    for (int i = 0; i < n; i++) {
        double w = (double)list[i].m * (double)list[i].n * (double)list[i].k;
        if (!strcmp(hb_gemm_shape(&list[i]), "square") && w <= cap && w > best) {
            best = w;
            *out = list[i];
        }
    }
    if (best == 0) {
        *out = (hb_problem){.m = ref, .n = ref, .k = ref};
        hb_gemm_label(out);
    }
    return 1;
}
