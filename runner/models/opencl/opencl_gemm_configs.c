/* SPDX-License-Identifier: Apache-2.0 */
/* opencl_gemm_configs: the tuning space of our OpenCL GEMM kernels and its
 * default (the driver caches the winners: runner/driver/winners.h).
 *
 * CPU devices (PoCL): the grid is derived from the device (below): the
 * vector width it reports, one core's L1 and L2 from hwloc, and register
 * blocks for both sizes of vector register file, so one grid serves AVX2
 * and AVX-512 machines alike (issue 21: the fixed float16 grid tuned on a
 * Zen 5 reached half of OpenBLAS on a Zen 3). "blocked" packs A and B and
 * walks K in cache-sized steps (gemm.cl); "packed", "panel", "tile" and
 * the earlier figures are in docs/pocl.md ("GEMM on CPU devices").
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

static const char *const algo_names[] = {"", "tile", "local", "dot", "panel", "packed", "blocked"};

#define L(tm, tn, vw, wgm, wgn, tk) {HB_GEMM_LOCAL, tm, tn, vw, wgm, wgn, tk, 1, 0}
#define T(tm, tn, vw) {HB_GEMM_TILE, tm, tn, vw, 1, 1, 1, 1, 0}
#define K(tm, tn, vw, wgm) {HB_GEMM_PACKED, tm, tn, vw, wgm, 1, 1, 1, 0}
#define TNT(tm, tn, vw) {HB_GEMM_TILE, tm, tn, vw, 1, 1, 1, 1, 1}
#define D(tm, vw, wgm) {HB_GEMM_DOT, tm, 1, vw, wgm, 1, 1, 1, 0}
#define B(tm, tn, vw, wgm, wgn, tk) {HB_GEMM_BLOCKED, tm, tn, vw, wgm, wgn, tk, 1, 0}

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
    hb_params_clear(out);
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
    for (int i = 1; a && i <= HB_GEMM_BLOCKED; i++)
        if (!strcmp(hb_param_text(p, a), algo_names[i]))
            c->algo = i;
    if (!c->algo)
        return hb_fail(err, HB_EFAIL, "gemm: configuration without a known algo");
    for (int i = 0; i < 7; i++) {
        const hb_param *v = hb_params_get(p, keys[i]);
        if (!v || v->is_text || v->num < 1 || v->num > 65536)
            return hb_fail(err, HB_EFAIL, "gemm: configuration without a valid %s", keys[i]);
        *dst[i] = (int)v->num;
    }
    const hb_param *store = hb_params_get(p, "store");
    c->nt = store && !strcmp(hb_param_text(p, store), "nontemporal");
    if ((c->algo != HB_GEMM_DOT && c->tn % c->vw) || (c->vw & (c->vw - 1)) || c->vw > 16)
        return hb_fail(err, HB_EFAIL, "gemm: vw %d must be 1-16, a power of two dividing tn %d", c->vw, c->tn);
    return HB_OK;
}

/* ---- CPU devices: the grid derived from the device ----
 *
 * The register block (TM rows x NV vectors of VW lanes) needs TM*NV
 * accumulators, NV vectors of B and one broadcast of A in vector
 * registers. OpenCL reports the vector width (CL_DEVICE_NATIVE_VECTOR_
 * WIDTH_*), not the register file: x86 has 16 vector registers up to AVX2
 * and 32 with AVX-512, Arm NEON and SVE 32 (Intel SDM vol. 1, 15.1; Arm
 * A64 ISA, "SIMD and floating-point registers"). So the grid holds blocks
 * for both files, each using about three quarters of it for accumulators
 * as BLIS's kernels do (6x16 f32 and 6x8 f64 on Haswell, 32x12 on
 * Skylake-X: github.com/flame/blis, kernels/haswell, kernels/skx), and the
 * tuner measures which the device has. A block that does not fit spills
 * and loses; nothing is assumed about the machine.
 *
 * The K step (TK) makes one panel's TK x TN slice of B about one core's
 * L1 data cache; the WGM blocks of A's TK columns that a work-group's
 * panels share take about half of its L2 (hwloc's sizes: the BLIS
 * analytical model, Low et al., ACM TOMS 43(2), 2016, with kc and mc
 * rounded to powers of two). WGN panels per work-group make 64
 * work-items: the group's work, and what the A blocks are reused for.
 * Unknown caches are taken as 32 KiB and 512 KiB (the smallest of current
 * x86 server cores), stated in docs/pocl.md. Measured on PoCL 3.1 (2-core
 * Zen 3, AVX2, N = 2048): 6x16 f32 "blocked" 130-167 GFLOP/s against
 * "packed" 8x32 (float16 vectors, the Zen 5 winner) 60-64 GFLOP/s
 * (docs/pocl.md, "GEMM on CPU devices"). */

enum { CPU_ACC_MAX = 28 }; /* --tune full: at most 28 accumulators (32 registers less B and A) */

/* The smallest power of two >= 1 not above x. */
static int floor_pow2(uint64_t x)
{
    int p = 1;
    while ((uint64_t)p * 2 <= x && p < (1 << 20))
        p *= 2;
    return p;
}

static int clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* Lanes of one vector of the arithmetic type (f16 storage computes in f32):
 * the device's native width, else 256 bits (stated in docs/pocl.md). */
static int cpu_lanes(const hb_bench_ctx *ctx)
{
    unsigned w = ctx->dtype == HB_F64 ? ctx->dev->native_vector_f64 : ctx->dev->native_vector_f32;
    if (w == 0 || w > 16 || (w & (w - 1)))
        w = ctx->dtype == HB_F64 ? 4 : 8;
    return (int)w;
}

/* A "blocked" point for block tm x (nv*vw): TK and WGM from the caches,
 * `deeper` times the K step of the L1 rule. */
static hb_gemm_cfg cpu_blocked(const hb_bench_ctx *ctx, int tm, int nv, int deeper, int wider)
{
    uint64_t l1 = ctx->dev->core_l1d_bytes ? ctx->dev->core_l1d_bytes : 32u << 10;
    uint64_t l2 = ctx->dev->core_l2_bytes ? ctx->dev->core_l2_bytes : 512u << 10;
    int vw = cpu_lanes(ctx), tn = nv * vw;
    uint64_t r = ctx->dtype == HB_F64 ? 8 : 4;
    int tk = clamp(floor_pow2(l1 / ((uint64_t)tn * r)), 16, 4096) * deeper;
    int wgm = clamp(floor_pow2(l2 / 2 / ((uint64_t)tm * (uint64_t)tk * r)), 2, 32) / wider;
    wgm = wgm < 1 ? 1 : wgm;
    int wgn = clamp(64 / wgm, 1, 64);
    return (hb_gemm_cfg)B(tm, tn, vw, wgm, wgn, tk);
}

/* The quick grid of a CPU device: "blocked" register blocks for a 16- and
 * a 32-register file (the first is the default), two K steps and two
 * group shapes of the first, then the schemes measured before "blocked"
 * at the device's width: "packed" (8 rows x 2 vectors: the winner on a
 * 2-core Zen 5, AVX-512, before "blocked" existed), and for skinny shapes
 * the non-temporal tiles (K small: writing D is most of the work; on
 * PoCL, 4096x4096x16 f32 went from 40-55 to 70-98 GFLOP/s with them; at
 * 2048 squares they reach a tenth of "blocked", so squares skip them). */
static int cpu_quick(const hb_bench_ctx *ctx, hb_gemm_cfg *out, int max)
{
    static const int shapes[][2] = {{6, 2}, {4, 3}, {12, 2}, {8, 3}, {6, 4}}; /* {tm, nv} */
    int vw = cpu_lanes(ctx), n = 0;
    hb_gemm_cfg all[16];
    for (size_t i = 0; i < sizeof shapes / sizeof *shapes; i++)
        all[n++] = cpu_blocked(ctx, shapes[i][0], shapes[i][1], 1, 1);
    all[n++] = cpu_blocked(ctx, 6, 2, 4, 1);
    all[n++] = cpu_blocked(ctx, 6, 2, 1, 2);
    all[n++] = (hb_gemm_cfg)K(8, 2 * vw, vw, 16);
    if (strcmp(hb_gemm_shape(&ctx->problem), "square")) {
        all[n++] = (hb_gemm_cfg)TNT(8, 2 * vw, vw);
        all[n++] = (hb_gemm_cfg)TNT(4, 4 * vw, vw);
        all[n++] = (hb_gemm_cfg)TNT(2, 8 * vw, vw);
    }
    int kept = n < max ? n : max;
    memcpy(out, all, (size_t)kept * sizeof *out);
    return kept;
}

/* The full grid (--tune full) of a CPU device, after the quick one: every
 * "blocked" block of 1-4 vectors and 2-14 rows with at most CPU_ACC_MAX
 * accumulators, at the cache rule's K step and four times it, then the
 * schemes "blocked" replaced, at the device's width: "panel" (B packed
 * into local memory between barriers) and the unpacked "tile", so a full
 * search shows what they reach on this device. */
static int cpu_full(const hb_bench_ctx *ctx, hb_params *out, int max)
{
    int vw = cpu_lanes(ctx), n = 0;
    hb_gemm_cfg former[] = {{HB_GEMM_PANEL, 8, 2 * vw, vw, 32, 1, 128, 1, 0}, T(8, 2 * vw, vw)};
    for (size_t i = 0; i < sizeof former / sizeof *former && n < max; i++)
        hb_gemm_cfg_put(&former[i], "searched", &out[n++]);
    for (int nv = 1; nv <= 4; nv++)
        for (int tm = 2; tm <= 14; tm += 2)
            for (int deeper = 1; deeper <= 4 && n < max; deeper *= 4)
                if (tm * nv <= CPU_ACC_MAX) {
                    hb_gemm_cfg c = cpu_blocked(ctx, tm, nv, deeper, 1);
                    hb_gemm_cfg_put(&c, "searched", &out[n++]);
                }
    return n;
}

static int gemv_like(const hb_bench_ctx *ctx)
{
    return !strcmp(hb_gemm_shape(&ctx->problem), "gemv");
}

int hb_gemm_configs(const hb_bench_ctx *ctx, hb_params *out, int max)
{
    int cpu = ctx->dev->kind == HB_KIND_CPU, f64 = ctx->dtype == HB_F64, nq;
    hb_gemm_cfg derived[16];
    const hb_gemm_cfg *quick;
    if (gemv_like(ctx)) {
        nq = cpu ? (f64 ? N_OF(cpu_gemv_f64) : N_OF(cpu_gemv_f32)) : N_OF(gpu_gemv);
        quick = cpu ? (f64 ? cpu_gemv_f64 : cpu_gemv_f32) : gpu_gemv;
    } else if (cpu) {
        nq = cpu_quick(ctx, derived, N_OF(derived));
        quick = derived;
    } else {
        nq = f64 ? N_OF(gpu_f64) : N_OF(gpu_f32);
        quick = f64 ? gpu_f64 : gpu_f32;
    }
    if (ctx->tune == 0 || max == 1) {
        hb_gemm_cfg_put(&quick[0], "default", &out[0]);
        return 1;
    }
    int n = 0;
    for (int i = 0; i < nq && n < max; i++)
        hb_gemm_cfg_put(&quick[i], "searched", &out[n++]);
    if (ctx->tune == 2 && cpu && !gemv_like(ctx))
        n += cpu_full(ctx, out + n, max - n);
    return n;
}
