/* SPDX-License-Identifier: Apache-2.0 */
/* cuda_geometry: the cuda model's stream arithmetic (cuda_geometry.h). */
#include "cuda_geometry.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "hb_error.h"

/* The quick grid. Its first point is the default: 256 threads, 16-byte
 * accesses (float4 / double2), grid-stride over one full wave of blocks,
 * the shape of BabelStream's CUDA model (src/cuda/CUDAStream.cu: grid-stride
 * loops sized with the occupancy API) and gpu-benches' gpu-stream; the
 * rest spans what those tools and DCGM's memory_bandwidth plugin vary:
 * block size, width, loads per thread, one pass vs grid-stride
 * (docs/peers.md#gpu-benches, docs/peers.md#dcgm-diagnostics). Reductions also try atomics
 * and the widths BabelStream#137 found Dot needs tuned. */
static const hb_cu_stream_cfg quick_arrays[] = {
    {256, 4, 1, 1, 0}, {256, 4, 2, 1, 0}, {1024, 1, 1, 0, 0}, {256, 2, 1, 1, 0}, {512, 4, 1, 1, 0},
    {128, 4, 4, 1, 0}, {256, 4, 1, 0, 0}, {1024, 4, 1, 1, 0}, {256, 1, 4, 1, 0}, {256, 4, 4, 0, 0},
};
static const hb_cu_stream_cfg quick_reductions[] = {
    {256, 4, 2, 1, 0}, {512, 4, 1, 1, 0}, {1024, 2, 1, 1, 0}, {256, 4, 2, 1, 1}, {256, 4, 1, 0, 0},
    {128, 4, 4, 1, 0}, {256, 1, 4, 1, 0}, {1024, 4, 1, 1, 0},
};

static const int block_sizes[] = {128, 256, 512, 1024};
static const int widths[] = {1, 2, 4};
static const int ilps[] = {1, 2, 4};

static int same(const hb_cu_stream_cfg *a, const hb_cu_stream_cfg *b)
{
    return a->block == b->block && a->vec == b->vec && a->ilp == b->ilp && a->loop == b->loop &&
           a->atomic == b->atomic;
}

/* Appends c unless it is already there (f64 folds width 4 into 2). */
static int add(hb_cu_stream_cfg *out, int n, int max, hb_cu_stream_cfg c, int f64)
{
    if (f64 && c.vec > 2)
        c.vec = 2;
    for (int i = 0; i < n; i++)
        if (same(&out[i], &c))
            return n;
    if (n < max)
        out[n++] = c;
    return n;
}

/* Atomics are tried with grid-stride only: one pass would do an atomic
 * add per block of a grid that covers the array. */
static int full_grid(int reduction, int f64, hb_cu_stream_cfg *out, int n, int max)
{
    for (int loop = 1; loop >= 0; loop--)
        for (int atomic = 0; atomic <= (reduction && loop); atomic++)
            for (size_t b = 0; b < sizeof block_sizes / sizeof *block_sizes; b++)
                for (size_t v = 0; v < sizeof widths / sizeof *widths; v++)
                    for (size_t i = 0; i < sizeof ilps / sizeof *ilps; i++)
                        n = add(out, n, max, (hb_cu_stream_cfg){block_sizes[b], widths[v], ilps[i], loop, atomic}, f64);
    return n;
}

int hb_cu_stream_grid(int reduction, int f64, int tune, hb_cu_stream_cfg *out, int max)
{
    const hb_cu_stream_cfg *q = reduction ? quick_reductions : quick_arrays;
    int nq = reduction ? (int)(sizeof quick_reductions / sizeof *quick_reductions)
                       : (int)(sizeof quick_arrays / sizeof *quick_arrays);
    int n = 0;
    if (max < 1)
        return 0;
    for (int i = 0; i < (tune == 0 ? 1 : nq); i++)
        n = add(out, n, max, q[i], f64);
    return tune == 2 ? full_grid(reduction, f64, out, n, max) : n;
}

void hb_cu_cfg_put(const hb_cu_stream_cfg *c, int reduction, hb_params *out)
{
    hb_params_clear(out);
    hb_params_set_num(out, "block", c->block);
    hb_params_set_num(out, "vec", c->vec);
    hb_params_set_num(out, "ilp", c->ilp);
    hb_params_set_text(out, "loop", c->loop ? "grid-stride" : "one-pass");
    if (reduction)
        hb_params_set_text(out, "reduce", c->atomic ? "atomic" : "partials");
}

int hb_cu_cfg_get(const hb_params *p, int reduction, hb_cu_stream_cfg *c)
{
    const hb_param *block = hb_params_get(p, "block"), *vec = hb_params_get(p, "vec"),
                   *ilp = hb_params_get(p, "ilp"), *loop = hb_params_get(p, "loop"),
                   *reduce = hb_params_get(p, "reduce");
    if (!block || !vec || !ilp || !loop || block->is_text || vec->is_text || ilp->is_text || !loop->is_text ||
        (reduction && (!reduce || !reduce->is_text)))
        return HB_EFAIL;
    *c = (hb_cu_stream_cfg){(int)block->num, (int)vec->num, (int)ilp->num, !strcmp(hb_param_text(p, loop), "grid-stride"),
                            reduction && !strcmp(hb_param_text(p, reduce), "atomic")};
    int loop_ok = c->loop || !strcmp(hb_param_text(p, loop), "one-pass");
    int reduce_ok = !reduction || c->atomic || !strcmp(hb_param_text(p, reduce), "partials");
    return loop_ok && reduce_ok && c->block > 0 && c->block % 32 == 0 && (c->vec == 1 || c->vec == 2 || c->vec == 4) &&
           (c->ilp == 1 || c->ilp == 2 || c->ilp == 4) ? HB_OK : HB_EFAIL;
}

void hb_cu_cfg_defines(const hb_cu_stream_cfg *c, int f64, char *buf, size_t len)
{
    snprintf(buf, len, "-DHB_F64=%d -DHB_VEC=%d -DHB_ILP=%d -DHB_LOOP=%d -DHB_ATOMIC=%d", f64 != 0, c->vec,
             c->ilp, c->loop != 0, c->atomic != 0);
}

#define REG_UNIT 256   /* registers are allocated per warp in units of 256 */
#define WARP 32

int hb_cu_occupancy_estimate(const hb_cu_limits *l, int block, int regs_per_thread, size_t smem_per_block)
{
    if (block <= 0 || block > l->max_threads_per_block || l->max_threads_per_sm <= 0)
        return 0;
    int by_threads = l->max_threads_per_sm / block, n = by_threads;
    if (l->max_blocks_per_sm > 0 && l->max_blocks_per_sm < n)
        n = l->max_blocks_per_sm;
    if (regs_per_thread > 0 && l->regs_per_sm > 0) {
        int warps = (block + WARP - 1) / WARP;
        int per_warp = (regs_per_thread * WARP + REG_UNIT - 1) / REG_UNIT * REG_UNIT;
        int by_regs = l->regs_per_sm / (per_warp * warps);
        n = by_regs < n ? by_regs : n;
    }
    if (smem_per_block > 0 && l->smem_per_sm > 0) {
        int by_smem = (int)(l->smem_per_sm / smem_per_block);
        n = by_smem < n ? by_smem : n;
    }
    return n > 0 ? n : 0;
}

double hb_cu_occupancy(const hb_cu_limits *l, int block, int blocks_per_sm)
{
    if (l->max_threads_per_sm <= 0)
        return NAN;
    return (double)block * blocks_per_sm / l->max_threads_per_sm;
}

uint64_t hb_cu_grid_blocks(const hb_cu_limits *l, const hb_cu_stream_cfg *c, int blocks_per_sm, uint64_t n)
{
    uint64_t nv = n / (uint64_t)c->vec;
    uint64_t per_block = (uint64_t)c->block * (uint64_t)c->ilp;
    uint64_t cover = (nv + per_block - 1) / per_block;
    uint64_t g;
    if (c->loop) {
        uint64_t wave = (uint64_t)(l->sms > 0 ? l->sms : 1) * (uint64_t)(blocks_per_sm > 0 ? blocks_per_sm : 1);
        g = cover < wave ? cover : wave;
    } else {
        g = cover;
    }
    if (g == 0)
        g = 1; /* fewer elements than one vector: the tail alone */
    return g > l->max_grid_x ? 0 : g;
}

static double log2_ceil(double x)
{
    return x > 1 ? ceil(log2(x)) : 0;
}

double hb_cu_chain(const hb_cu_stream_cfg *c, uint64_t n, uint64_t blocks, int dot)
{
    uint64_t nv = n / (uint64_t)c->vec;
    double threads = (double)blocks * c->block;
    /* grid-stride: the unrolled steps, then up to ilp - 1 more vectors into the first accumulator */
    double per_acc = c->loop ? ceil(ceil((double)nv / threads) / c->ilp) + c->ilp : 1;
    double chain = per_acc + (c->ilp - 1) + (c->vec - 1) + (double)c->vec /* tail */ + (dot ? 1 : 0)
                   + log2_ceil(WARP) + log2_ceil((double)c->block / WARP);
    if (c->atomic)
        chain += (double)blocks;
    return chain + 4;
}

int hb_cu_pack_args(hb_cu_stream_args *args, int reduction, int f64, void **params)
{
    int n = 0;
    params[n++] = &args->a;
    params[n++] = &args->b;
    params[n++] = &args->c;
    if (!reduction)
        params[n++] = f64 ? (void *)&args->s64 : (void *)&args->s32;
    params[n++] = &args->n;
    return n;
}
