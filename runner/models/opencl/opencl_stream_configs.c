/* SPDX-License-Identifier: Apache-2.0 */
/* opencl_stream_configs: the tuning grid of the stream family on an OpenCL device.
 *
 * GPUs want coalesced access (consecutive work-items on consecutive
 * addresses) and enough work in flight; CPU devices want each work-item to
 * stream a contiguous block with explicit vectors, and non-temporal stores
 * to skip the write-allocate read (docs/pocl.md). So the
 * grid spans both patterns, vector widths 1-16, work-group sizes and store
 * kinds, ordered so that the first entry is a sound default. "quick" (the
 * default) is a bounded subset; --tune full runs every point. */
#include <string.h>

#include "opencl_kernels.h"
#include "stream.h"

/* streams: parts of each work-item's block walked side by side (block
 * pattern only; 1 for grid). */
typedef struct { const char *pattern; unsigned vec; unsigned wg; const char *store; unsigned streams; } point;

/* From a full sweep (--tune full) on PoCL 3.1, 2-core Zen 5, 128 MiB arrays:
 * non-temporal stores and the block pattern won every array kernel by
 * 10-40%, with vector widths 2-16 and work-group sizes 1-256 within noise
 * of each other; reductions preferred narrow vectors and small groups. GPU
 * points follow BabelStream/gpu-benches practice (256-1024 work-items, one
 * vector per work-item) and let the sweep find the width. A GPU (and any
 * device that is not a CPU) gets only the coalesced grid pattern, in the
 * quick and the full grid: a block per work-item makes neighbouring
 * work-items read addresses a block apart, so each memory transaction
 * serves one work-item (CUDA C++ Best Practices Guide, "Coalesced Access
 * to Global Memory"; docs/pocl.md#block-pattern). The non-temporal point
 * stays: a compiler that rejects it skips it with a note (cl_env.c,
 * hb_cl_program). */
static const point cpu_quick[] = {
    {"block", 8, 64, "nontemporal", 1}, {"block", 4, 1, "nontemporal", 1}, {"block", 16, 64, "nontemporal", 1},
    {"block", 8, 64, "nontemporal", 4}, {"grid", 16, 256, "nontemporal", 1}, {"block", 8, 64, "plain", 1},
};
static const point cpu_reduce_quick[] = {
    {"block", 8, 1, "plain", 1}, {"block", 8, 1, "plain", 4}, {"block", 8, 1, "plain", 16},
    {"block", 4, 64, "plain", 4}, {"block", 8, 256, "plain", 1}, {"grid", 8, 64, "plain", 1},
};
static const point gpu_quick[] = {
    {"grid", 4, 256, "plain", 1}, {"grid", 1, 256, "plain", 1}, {"grid", 2, 256, "plain", 1},
    {"grid", 8, 256, "plain", 1}, {"grid", 16, 256, "plain", 1}, {"grid", 4, 64, "plain", 1},
    {"grid", 4, 128, "plain", 1}, {"grid", 4, 512, "plain", 1}, {"grid", 4, 1024, "plain", 1},
    {"grid", 4, 256, "nontemporal", 1},
};

static const unsigned vecs[] = {1, 2, 4, 8, 16};
static const unsigned cpu_streams[] = {1, 4, 16};
static const unsigned cpu_wgs[] = {1, 8, 64, 256};
static const unsigned gpu_wgs[] = {64, 128, 256, 512, 1024};
static const char *const patterns[] = {"grid", "block"};
static const char *const stores[] = {"plain", "nontemporal"};

static void put(hb_params *p, const point *pt)
{
    hb_params_clear(p);
    hb_params_set_text(p, "pattern", pt->pattern);
    hb_params_set_num(p, "vec", pt->vec);
    hb_params_set_num(p, "wg", pt->wg);
    hb_params_set_text(p, "store", pt->store);
    if (!strcmp(pt->pattern, "block"))
        hb_params_set_num(p, "streams", pt->streams);
}

static int same(const point *a, const point *b)
{
    return !strcmp(a->pattern, b->pattern) && a->vec == b->vec && a->wg == b->wg && !strcmp(a->store, b->store) &&
           a->streams == b->streams;
}

/* Stores do not matter to a reduction, which writes one value per group;
 * streams are a CPU block-pattern dimension (a GPU hides latency with
 * work-items instead); the block pattern is a CPU's only (above). */
static int full_grid(int cpu, int reduction, const point *first, hb_params *out, int max)
{
    int n = 0;
    put(&out[n++], first); /* the default stays first */
    const unsigned *wgs = cpu ? cpu_wgs : gpu_wgs;
    size_t nwg = cpu ? sizeof cpu_wgs / sizeof *cpu_wgs : sizeof gpu_wgs / sizeof *gpu_wgs;
    for (size_t p = 0; p < (cpu ? 2u : 1u); p++) {
        size_t nst = cpu && p == 1 ? sizeof cpu_streams / sizeof *cpu_streams : 1;
        for (size_t k = 0; k < nst; k++)
            for (size_t s = 0; s < (reduction ? 1u : 2u); s++)
                for (size_t v = 0; v < sizeof vecs / sizeof *vecs; v++)
                    for (size_t w = 0; w < nwg && n < max; w++) {
                        point pt = {patterns[p], vecs[v], wgs[w], stores[s], cpu_streams[k]};
                        if (!same(&pt, first))
                            put(&out[n++], &pt);
                    }
    }
    return n;
}

int hb_cl_stream_configs(const hb_bench_ctx *ctx, hb_params *out, int max)
{
    int cpu = ctx->dev->kind == HB_KIND_CPU;
    int reduction = hb_stream_fact_of(ctx->bench)->reduction;
    const point *quick = cpu ? (reduction ? cpu_reduce_quick : cpu_quick) : gpu_quick;
    int nq = cpu ? 6 : (int)(sizeof gpu_quick / sizeof *gpu_quick);
    if (ctx->tune == 2)
        return full_grid(cpu, reduction, &quick[0], out, max);
    int n = ctx->tune == 0 ? 1 : nq;
    n = n < max ? n : max;
    for (int i = 0; i < n; i++)
        put(&out[i], &quick[i]);
    return n;
}
