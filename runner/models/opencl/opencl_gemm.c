/* SPDX-License-Identifier: Apache-2.0 */
/* opencl_gemm: our OpenCL GEMM (kernels/opencl/gemm.cl), D = alpha*A*B + beta*C,
 * row-major, in f32, f64, and f16 storage with f32 arithmetic.
 *
 * Counting and verification conventions are in benches/gemm.h and gemm_verify.c.
 * f16 runs only where the device reports cl_khr_fp16 (the runner skips it
 * elsewhere). The kernel itself needs only vload_half/vstore_half, which
 * are core OpenCL C, so tests/test_gemm_pocl.c exercises it on PoCL, which
 * lacks the extension. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cl_util.h"
#include "opencl_gemm.h"

typedef struct cl_gemm_state {
    cl_kernel kernel;
    cl_uint dims;
    size_t global[2], local[2];
    /* "packed" and "blocked": the kernel that packs B first, its geometry
     * and B's panels; "blocked" also packs A into row blocks */
    cl_kernel pack;
    size_t pack_global[2];
    cl_mem panels;
    size_t panels_bytes;
    cl_kernel pack_a;
    size_t pack_a_global[2];
    cl_mem a_blocks;
    size_t a_blocks_bytes;
} cl_gemm_state;

static int dt_bits(hb_dtype dtype)
{
    return (int)hb_dtype_bytes(dtype) * 8;
}

static size_t up(size_t n, size_t m)
{
    return (n + m - 1) / m * m;
}

/* Launch geometry of each algorithm (kernels/opencl/gemm.cl states it too). */
static void geometry(const hb_gemm_data *g, cl_gemm_state *st, const hb_gemm_cfg *c)
{
    size_t m = (size_t)g->m, n = (size_t)g->n;
    st->dims = 2;
    switch (c->algo) {
    case HB_GEMM_TILE:
        st->local[0] = (size_t)c->wgn, st->local[1] = (size_t)c->wgm;
        st->global[0] = up((n + c->tn - 1) / c->tn, st->local[0]);
        st->global[1] = up((m + c->tm - 1) / c->tm, st->local[1]);
        break;
    case HB_GEMM_LOCAL:
        st->local[0] = (size_t)c->wgn, st->local[1] = (size_t)c->wgm;
        st->global[0] = (n + (size_t)(c->wgn * c->tn) - 1) / (size_t)(c->wgn * c->tn) * c->wgn;
        st->global[1] = (m + (size_t)(c->wgm * c->tm) - 1) / (size_t)(c->wgm * c->tm) * c->wgm;
        break;
    case HB_GEMM_PANEL:
        st->local[0] = (size_t)c->wgn, st->local[1] = (size_t)c->wgm;
        st->global[0] = (n + (size_t)(c->wgn * c->tn) - 1) / (size_t)(c->wgn * c->tn) * c->wgn;
        st->global[1] = up((m + c->tm - 1) / c->tm, st->local[1]);
        break;
    case HB_GEMM_PACKED:
        st->local[0] = (size_t)c->wgm, st->local[1] = 1;
        st->global[0] = up((m + c->tm - 1) / c->tm, st->local[0]);
        st->global[1] = (n + c->tn - 1) / c->tn;
        st->pack_global[0] = st->global[1], st->pack_global[1] = (size_t)g->k;
        break;
    case HB_GEMM_BLOCKED:
        st->local[0] = (size_t)c->wgm, st->local[1] = (size_t)c->wgn;
        st->global[0] = up((m + c->tm - 1) / c->tm, st->local[0]);
        st->global[1] = up((n + c->tn - 1) / c->tn, st->local[1]);
        st->pack_global[0] = (n + c->tn - 1) / c->tn, st->pack_global[1] = (size_t)g->k;
        /* gemm.cl's PACK_K: 16 consecutive values of A per work-item */
        st->pack_a_global[0] = (m + c->tm - 1) / c->tm, st->pack_a_global[1] = ((size_t)g->k + 15) / 16;
        break;
    default: /* dot */
        st->dims = 1;
        st->local[0] = (size_t)c->wgm;
        st->global[0] = up((m + c->tm - 1) / c->tm, st->local[0]);
    }
}

/* Whether the device can run c at all; a reason when it cannot. */
static int fits_device(const hb_bench_ctx *ctx, const hb_gemm_cfg *c, hb_err *err)
{
    /* (Non-temporal stores fall back to plain ones in the kernel where D's
     * vectors are not aligned; the dot kernel writes too little to matter.) */
    if (c->nt && c->algo == HB_GEMM_DOT)
        return hb_fail(err, HB_BENCH_SKIP, "the dot kernel has no non-temporal stores");
    size_t r = ctx->dtype == HB_F64 ? 8 : 4, wg = (size_t)c->wgm * (size_t)c->wgn, lmem = 0;
    if (c->algo == HB_GEMM_LOCAL)
        lmem = (size_t)c->tk * ((size_t)c->wgm * c->tm + (size_t)c->wgn * c->tn) * r;
    else if (c->algo == HB_GEMM_PANEL)
        lmem = (size_t)c->tk * c->tn * c->wgn * r;
    if (wg > ctx->dev->max_work_group_size)
        return hb_fail(err, HB_BENCH_SKIP, "work-group of %zu > device maximum %zu", wg, ctx->dev->max_work_group_size);
    if (lmem > ctx->dev->local_mem_bytes)
        return hb_fail(err, HB_BENCH_SKIP, "needs %zu B of local memory, device has %llu", lmem,
                       (unsigned long long)ctx->dev->local_mem_bytes);
    return HB_OK;
}

static int set_args(hb_bench_ctx *ctx, const hb_gemm_data *g, cl_gemm_state *st, hb_err *err)
{
    double a64 = HB_GEMM_ALPHA, b64 = HB_GEMM_BETA;
    float a32 = (float)HB_GEMM_ALPHA, b32 = (float)HB_GEMM_BETA;
    int f64 = ctx->dtype == HB_F64;
    size_t rs = f64 ? sizeof a64 : sizeof a32;
    const void *alpha = f64 ? (const void *)&a64 : &a32, *beta = f64 ? (const void *)&b64 : &b32;
    cl_kernel k = st->kernel;
    cl_mem a = hb_cl_mem(&g->a), b = hb_cl_mem(&g->b), c = hb_cl_mem(&g->c), d = hb_cl_mem(&g->d);
    cl_int rc = clSetKernelArg(k, 0, sizeof g->m, &g->m);
    rc = rc ? rc : clSetKernelArg(k, 1, sizeof g->n, &g->n);
    rc = rc ? rc : clSetKernelArg(k, 2, sizeof g->k, &g->k);
    rc = rc ? rc : clSetKernelArg(k, 3, rs, alpha);
    rc = rc ? rc : clSetKernelArg(k, 4, rs, beta);
    rc = rc ? rc : clSetKernelArg(k, 5, sizeof(cl_mem), &a);
    rc = rc ? rc : clSetKernelArg(k, 6, sizeof(cl_mem), &b);
    rc = rc ? rc : clSetKernelArg(k, 7, sizeof(cl_mem), &c);
    rc = rc ? rc : clSetKernelArg(k, 8, sizeof(cl_mem), &d);
    if (st->pack_a) {
        rc = rc ? rc : clSetKernelArg(st->pack_a, 0, sizeof g->m, &g->m);
        rc = rc ? rc : clSetKernelArg(st->pack_a, 1, sizeof g->k, &g->k);
        rc = rc ? rc : clSetKernelArg(st->pack_a, 2, sizeof(cl_mem), &a);
        rc = rc ? rc : clSetKernelArg(st->pack_a, 3, sizeof(cl_mem), &st->a_blocks);
    }
    if (st->pack) {
        /* gemm_blocked(..., Ap, Bp), gemm_packed(..., Bp) */
        cl_uint at = st->pack_a ? 10 : 9;
        rc = rc ? rc : st->pack_a ? clSetKernelArg(k, 9, sizeof(cl_mem), &st->a_blocks) : CL_SUCCESS;
        rc = rc ? rc : clSetKernelArg(k, at, sizeof(cl_mem), &st->panels);
        rc = rc ? rc : clSetKernelArg(st->pack, 0, sizeof g->n, &g->n);
        rc = rc ? rc : clSetKernelArg(st->pack, 1, sizeof g->k, &g->k);
        rc = rc ? rc : clSetKernelArg(st->pack, 2, sizeof(cl_mem), &b);
        rc = rc ? rc : clSetKernelArg(st->pack, 3, sizeof(cl_mem), &st->panels);
    }
    return hb_cl_check(rc, "clSetKernelArg(gemm)", err);
}

/* A scratch buffer of at least `bytes`, kept while later sizes fit: B's
 * panels (ceil(N/TN) x K x TN values of the arithmetic type, float for f16
 * storage) or A's row blocks (ceil(M/TM) x K x TM). */
static int scratch(hb_bench_ctx *ctx, cl_mem *buf, size_t *have, size_t bytes, const char *what, hb_err *err)
{
    if (*buf && *have >= bytes)
        return HB_OK;
    if (*buf)
        clReleaseMemObject(*buf);
    *buf = NULL;
    *have = 0;
    if (bytes > ctx->dev->max_alloc_bytes)
        return hb_fail(err, HB_BENCH_SKIP, "the %s needs %zu B, more than one allocation may have", what, bytes);
    cl_int rc;
    hb_cl_env *env = ctx->env;
    *buf = clCreateBuffer(env->context, CL_MEM_READ_WRITE, bytes, NULL, &rc);
    if (rc != CL_SUCCESS || !*buf) {
        *buf = NULL;
        return hb_fail(err, HB_EFAIL, "clCreateBuffer(%s, %zu B): %s", what, bytes, hb_cl_error_name(rc));
    }
    *have = bytes;
    return HB_OK;
}

static size_t blocks_bytes(uint64_t n, int t, uint64_t k, size_t r)
{
    return ((size_t)n + (size_t)t - 1) / (size_t)t * (size_t)t * (size_t)k * r;
}

static int packed_operands(hb_bench_ctx *ctx, const hb_gemm_data *g, cl_gemm_state *st, const hb_gemm_cfg *c,
                           hb_err *err)
{
    size_t r = ctx->dtype == HB_F64 ? 8 : 4;
    int rc = scratch(ctx, &st->panels, &st->panels_bytes, blocks_bytes(g->n, c->tn, g->k, r), "packed B", err);
    if (!rc && c->algo == HB_GEMM_BLOCKED)
        rc = scratch(ctx, &st->a_blocks, &st->a_blocks_bytes, blocks_bytes(g->m, c->tm, g->k, r), "packed A", err);
    return rc;
}

static int gemm_prepare(hb_bench_ctx *ctx, const hb_params *cfg, hb_err *err)
{
    static const char *const kernel_names[] = {"",           "gemm_tile",   "gemm_local", "gemm_dot",
                                               "gemm_panel", "gemm_packed", "gemm_blocked"};
    hb_gemm_data *g = ctx->data;
    cl_gemm_state *st = ctx->state;
    if (!st && !(st = ctx->state = calloc(1, sizeof *st)))
        return hb_fail(err, HB_EFAIL, "out of memory");
    hb_gemm_cfg c;
    int rc = hb_gemm_cfg_of(cfg, &c, err);
    if (rc || (rc = fits_device(ctx, &c, err)))
        return rc;
    char opts[256];
    snprintf(opts, sizeof opts,
             "-DHB_DT=%d -DALGO=%d -DTM=%d -DTN=%d -DVW=%d -DWGM=%d -DWGN=%d -DTK=%d -DUNROLL=%d -DHB_FMA=%d "
             "-DHB_NT=%d", dt_bits(ctx->dtype), c.algo, c.tm, c.tn, c.vw, c.wgm, c.wgn, c.tk, c.unroll,
             ctx->dtype == HB_F64 ? ctx->dev->fma64 : ctx->dev->fma32, c.nt);
    cl_program p;
    if (st->kernel)
        clReleaseKernel(st->kernel);
    if (st->pack)
        clReleaseKernel(st->pack);
    if (st->pack_a)
        clReleaseKernel(st->pack_a);
    st->kernel = st->pack = st->pack_a = NULL;
    /* A variant of the search that the compiler rejects (an unsupported
     * vector width, say) is skipped; the default or cached one must build,
     * and its failure is an error that shows the build log. */
    if (hb_cl_program(ctx->env, "gemm.cl", opts, &p, err)) {
        const hb_param *how = hb_params_get(cfg, "tuning");
        return how && !strcmp(hb_param_text(cfg, how), "searched") ? HB_BENCH_SKIP : HB_EFAIL;
    }
    int packs_b = c.algo == HB_GEMM_PACKED || c.algo == HB_GEMM_BLOCKED, packs_a = c.algo == HB_GEMM_BLOCKED;
    if (hb_cl_kernel(p, kernel_names[c.algo], &st->kernel, err) ||
        (packs_b && hb_cl_kernel(p, "gemm_pack_b", &st->pack, err)) ||
        (packs_a && hb_cl_kernel(p, "gemm_pack_a", &st->pack_a, err)))
        return HB_EFAIL;
    if (packs_b && (rc = packed_operands(ctx, g, st, &c, err)))
        return rc;
    size_t lim = hb_cl_kernel_wg_limit(ctx->env, st->kernel);
    if ((size_t)c.wgm * (size_t)c.wgn > lim)
        return hb_fail(err, HB_BENCH_SKIP, "work-group of %d > CL_KERNEL_WORK_GROUP_SIZE %zu", c.wgm * c.wgn, lim);
    geometry(g, st, &c);
    return set_args(ctx, g, st, err);
}

/* "packed" packs B (and "blocked" A, then B) in every iteration, inside the
 * timed interval: packing is part of the GEMM's work, as it is inside a
 * BLAS call. */
static int gemm_launch(hb_bench_ctx *ctx, int slot, hb_err *err)
{
    cl_gemm_state *st = ctx->state;
    if (st->pack_a && hb_cl_launch_begin(ctx->env, st->pack_a, 2, st->pack_a_global, NULL, slot, "gemm_pack_a", err))
        return HB_EFAIL;
    /* B's packing is the first kernel of the slot, or (after A's) one in between with no event */
    if (st->pack && (st->pack_a ? hb_cl_launch(ctx->env, st->pack, 2, st->pack_global, NULL, -1, "gemm_pack_b", err)
                                : hb_cl_launch_begin(ctx->env, st->pack, 2, st->pack_global, NULL, slot,
                                                     "gemm_pack_b", err)))
        return HB_EFAIL;
    return hb_cl_launch(ctx->env, st->kernel, st->dims, st->global, st->local, slot, "gemm", err);
}

static void gemm_teardown(hb_bench_ctx *ctx)
{
    cl_gemm_state *st = ctx->state;
    if (st && st->kernel)
        clReleaseKernel(st->kernel);
    if (st && st->pack)
        clReleaseKernel(st->pack);
    if (st && st->pack_a)
        clReleaseKernel(st->pack_a);
    if (st && st->panels)
        clReleaseMemObject(st->panels);
    if (st && st->a_blocks)
        clReleaseMemObject(st->a_blocks);
    free(st);
    ctx->state = NULL;
}

const hb_kernels hb_cl_gemm_kernels = {
    .family = "gemm", .implementation = "hbmbench",
    .dtypes = HB_DTYPE_BIT(HB_F32) | HB_DTYPE_BIT(HB_F64) | HB_DTYPE_BIT(HB_F16),
    .configs = hb_gemm_configs, .prepare = gemm_prepare, .launch = gemm_launch,
    .teardown = gemm_teardown,
};
