/* SPDX-License-Identifier: Apache-2.0 */
/* opencl_gemm_configs: the tuning space of our OpenCL GEMM kernels and its
 * default (the driver caches the winners: runner/driver/winners.h).
 *
 * CPU devices (PoCL): a work-item owns a register block of float16/double8
 * vectors (TM rows x TN columns). "packed" (the default) packs B into
 * column panels with a first kernel and runs the blocks over them with no
 * barrier, work-items down the rows of a panel: at N = 2048 on the Zen 5
 * machine 440-464 GFLOP/s f32 and 197 f64, OpenBLAS's level (docs/pocl.md).
 * "panel" instead has a work-group of WGM blocks down one column panel
 * pack that panel of B into local memory TK rows at a time. Measured on PoCL 3.1, 2-core Zen 5 (AVX-512), N = 2048:
 * panel 8x32 float16 with 32 work-items and TK = 128 gave 310-350 GFLOP/s,
 * the same block without packing ("tile") 110-145, because B's rows are
 * 8 KiB apart and a 32-column panel maps onto a few cache sets; the GPU
 * scheme ("local") 40-70, its per-work-item loops around barriers being
 * slow on a CPU. DGEMM: panel 8x16 double8, 32 work-items, 150-165.
 * fma() instead of mad() added 3-5% (PoCL splits mad into a multiply and
 * an add); two to eight panels per work-group (wgn > 1) lost 5-35%. The
 * best of these is 65-70% of the FMA peak the roofline bench measures on
 * the same machine (about 500 GFLOP/s f32, 260 f64). Walking the groups
 * down the rows of one column panel (gemm.cl) took f32 at N = 2048 from
 * 319-322 to 333-372 GFLOP/s (alternating runs; f64 +0-5%). The grid adds
 * 8-wide vectors (AVX2 machines) and the unpacked tile.
 *
 * GPUs: the local-memory scheme of Volkov & Demmel (SC'08) and CLBlast's
 * xgemm: 16x16 (and 8x8, 32x8) work-groups, 4x4 to 8x8 register blocks,
 * TK 16-32, float4/double2 vectors. Untested here (no GPU): the grid is a
 * bounded set around CLBlast's defaults, and the tuner picks.
 *
 * GEMV-like shapes (N < 8) add "dot", which vectorises along K.
 * The first entry of each list is the default (--tune off). */
#include <stdio.h>
#include <string.h>

#include "opencl_gemm.h"

static const char *const algo_names[] = {"", "tile", "local", "dot", "panel", "packed"};

#define P(tm, tn, vw, wgm, tk) {HB_GEMM_PANEL, tm, tn, vw, wgm, 1, tk, 1, 0}
#define L(tm, tn, vw, wgm, wgn, tk) {HB_GEMM_LOCAL, tm, tn, vw, wgm, wgn, tk, 1, 0}
#define T(tm, tn, vw) {HB_GEMM_TILE, tm, tn, vw, 1, 1, 1, 1, 0}
#define K(tm, tn, vw, wgm) {HB_GEMM_PACKED, tm, tn, vw, wgm, 1, 1, 1, 0}
#define TNT(tm, tn, vw) {HB_GEMM_TILE, tm, tn, vw, 1, 1, 1, 1, 1}
#define D(tm, vw, wgm) {HB_GEMM_DOT, tm, 1, vw, wgm, 1, 1, 1, 0}

/* The non-temporal tiles are for skinny shapes (K small), where writing D
 * is most of the work: on PoCL, 4096x4096x16 f32 went from 40-55 to
 * 70-98 GFLOP/s with them. */
static const hb_gemm_cfg cpu_f32[] = {
    K(8, 32, 16, 16), K(8, 32, 16, 32), K(12, 32, 16, 16), K(8, 48, 16, 16), K(6, 64, 16, 16),
    P(8, 32, 16, 32, 128), P(12, 32, 16, 16, 128), P(8, 48, 16, 16, 128), P(8, 32, 16, 16, 256),
    P(6, 64, 16, 16, 128), P(4, 64, 16, 32, 128), P(6, 16, 8, 32, 128), P(8, 32, 8, 32, 128),
    T(8, 32, 16), L(4, 4, 4, 8, 8, 16), TNT(8, 32, 16), TNT(4, 64, 16), TNT(2, 128, 16),
};
static const hb_gemm_cfg cpu_f64[] = {
    K(8, 16, 8, 16), K(8, 16, 8, 32), K(12, 16, 8, 16), K(8, 24, 8, 16), K(6, 32, 8, 16),
    P(8, 16, 8, 32, 128), P(8, 24, 8, 16, 128), P(12, 16, 8, 16, 128), P(6, 32, 8, 16, 128),
    P(4, 32, 8, 32, 128), P(8, 16, 8, 16, 256), P(6, 8, 4, 32, 128), T(8, 16, 8), L(4, 4, 2, 8, 8, 16),
    TNT(8, 16, 8), TNT(4, 32, 8), TNT(2, 64, 8),
};
static const hb_gemm_cfg gpu_f32[] = {
    L(4, 4, 4, 16, 16, 16), L(8, 8, 4, 16, 16, 16), L(4, 8, 4, 16, 16, 16), L(8, 4, 4, 16, 16, 16),
    L(8, 8, 4, 8, 8, 16), L(4, 4, 4, 16, 16, 32), L(2, 4, 4, 16, 16, 16), L(4, 4, 4, 8, 32, 16),
    L(4, 4, 1, 16, 16, 16), L(8, 8, 8, 16, 16, 8), T(4, 4, 4),
};
static const hb_gemm_cfg gpu_f64[] = {
    L(4, 4, 2, 16, 16, 16), L(8, 8, 2, 16, 16, 16), L(4, 8, 2, 16, 16, 16), L(8, 4, 2, 16, 16, 16),
    L(8, 8, 2, 8, 8, 16), L(4, 4, 2, 16, 16, 32), L(2, 4, 2, 16, 16, 16), L(4, 4, 1, 16, 16, 16),
    T(4, 4, 2),
};
/* GEMV on PoCL, 4096x1x4096 f32: one row per work-item, 16 work-items per
 * group, 20 GFLOP/s (40 GB/s of A); 4 rows per work-item 14-17. */
static const hb_gemm_cfg cpu_gemv_f32[] = {D(1, 16, 16), D(1, 16, 1), D(2, 16, 4), D(4, 16, 1), D(8, 16, 1),
                                           D(1, 8, 16)};
static const hb_gemm_cfg cpu_gemv_f64[] = {D(1, 8, 16), D(1, 8, 1), D(2, 8, 4), D(4, 8, 1), D(8, 8, 1),
                                           D(1, 16, 16)};
static const hb_gemm_cfg gpu_gemv[] = {D(1, 4, 64), D(1, 4, 256), D(2, 4, 128), D(1, 1, 256)};

#define N_OF(a) (int)(sizeof a / sizeof *a)

void hb_gemm_cfg_put(const hb_gemm_cfg *c, const char *tuning, hb_params *out)
{
    out->n = 0;
    hb_params_set_text(out, "algo", algo_names[c->algo]);
    hb_params_set_num(out, "tm", c->tm);
    hb_params_set_num(out, "tn", c->tn);
    hb_params_set_num(out, "vw", c->vw);
    hb_params_set_num(out, "wgm", c->wgm);
    hb_params_set_num(out, "wgn", c->wgn);
    hb_params_set_num(out, "tk", c->tk);
    hb_params_set_num(out, "unroll", c->unroll);
    hb_params_set_text(out, "store", c->nt ? "nontemporal" : "plain");
    hb_params_set_text(out, "tuning", tuning);
}

int hb_gemm_cfg_of(const hb_params *p, hb_gemm_cfg *c, hb_err *err)
{
    static const char *const keys[] = {"tm", "tn", "vw", "wgm", "wgn", "tk", "unroll"};
    int *dst[] = {&c->tm, &c->tn, &c->vw, &c->wgm, &c->wgn, &c->tk, &c->unroll};
    const hb_param *a = hb_params_get(p, "algo");
    c->algo = 0;
    for (int i = 1; a && i <= 5; i++)
        if (!strcmp(a->text, algo_names[i]))
            c->algo = i;
    if (!c->algo)
        return hb_fail(err, HB_EFAIL, "gemm: configuration without a known algo");
    for (int i = 0; i < 7; i++) {
        const hb_param *v = hb_params_get(p, keys[i]);
        if (!v || v->is_text || v->num < 1 || v->num > 1024)
            return hb_fail(err, HB_EFAIL, "gemm: configuration without a valid %s", keys[i]);
        *dst[i] = (int)v->num;
    }
    const hb_param *store = hb_params_get(p, "store");
    c->nt = store && !strcmp(store->text, "nontemporal");
    if ((c->algo != HB_GEMM_DOT && c->tn % c->vw) || (c->vw & (c->vw - 1)) || c->vw > 16)
        return hb_fail(err, HB_EFAIL, "gemm: vw %d must be 1-16, a power of two dividing tn %d", c->vw, c->tn);
    return HB_OK;
}

/* The full grid (--tune full) on a CPU: every panel block with at most 28
 * accumulator vectors (AVX-512 has 32 registers), then the quick list. */
static int cpu_full(int f64, hb_params *out, int max)
{
    static const int tms[] = {4, 6, 8, 10, 12, 14}, wgms[] = {8, 16, 32}, tks[] = {64, 128, 256};
    int n = 0;
    for (int w = 0; w < 2; w++) {
        int vw = f64 ? (w ? 4 : 8) : (w ? 8 : 16);
        for (int nv = 1; nv <= 4; nv++)
            for (size_t t = 0; t < sizeof tms / sizeof *tms; t++)
                for (int g = 0; g < 3; g++)
                    for (int k = 0; k < 3 && n < max; k++)
                        if (tms[t] * nv <= 28) {
                            hb_gemm_cfg c = P(tms[t], nv * vw, vw, wgms[g], tks[k]);
                            hb_gemm_cfg_put(&c, "searched", &out[n++]);
                        }
    }
    return n;
}

static const hb_gemm_cfg *quick_list(const hb_bench_ctx *ctx, int *n)
{
    int cpu = ctx->dev->kind == HB_KIND_CPU, f64 = ctx->dtype == HB_F64;
    if (!strcmp(hb_gemm_shape(&ctx->problem), "gemv")) {
        *n = cpu ? (f64 ? N_OF(cpu_gemv_f64) : N_OF(cpu_gemv_f32)) : N_OF(gpu_gemv);
        return cpu ? (f64 ? cpu_gemv_f64 : cpu_gemv_f32) : gpu_gemv;
    }
    *n = cpu ? (f64 ? N_OF(cpu_f64) : N_OF(cpu_f32)) : (f64 ? N_OF(gpu_f64) : N_OF(gpu_f32));
    return cpu ? (f64 ? cpu_f64 : cpu_f32) : (f64 ? gpu_f64 : gpu_f32);
}

int hb_gemm_configs(const hb_bench_ctx *ctx, hb_params *out, int max)
{
    int nq;
    const hb_gemm_cfg *quick = quick_list(ctx, &nq);
    if (ctx->tune == 0 || max == 1) {
        hb_gemm_cfg_put(&quick[0], "default", &out[0]);
        return 1;
    }
    int n = 0;
    for (int i = 0; i < nq && n < max; i++)
        hb_gemm_cfg_put(&quick[i], "searched", &out[n++]);
    if (ctx->tune == 2 && ctx->dev->kind == HB_KIND_CPU && strcmp(hb_gemm_shape(&ctx->problem), "gemv"))
        n += cpu_full(ctx->dtype == HB_F64, out + n, max - n);
    return n;
}
