/* SPDX-License-Identifier: Apache-2.0 */
/* The gemm family on the first OpenCL CPU device (PoCL in CI): every
 * algorithm of kernels/opencl/gemm.cl in f32, f64 and f16 storage at sizes that
 * are multiples of no tile (1, 7, 17, 255, 1000, 1023) and at skinny and
 * GEMV-like shapes, each verified against the host reference; proof that
 * verification catches an unwritten and a wrong element; CLBlast's row
 * where it is built in. f16 runs here although PoCL lacks cl_khr_fp16:
 * the kernel needs only vload_half/vstore_half, which are core OpenCL C
 * (the CLI still offers f16 only where the extension is reported).
 * Exits 77 (skipped) without an OpenCL CPU device. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "pocl_harness.h"
#include "cl_util.h"
#include "discover.h"
#include "opencl_gemm.h"

#define P(tm, tn, vw, wgm, tk) {HB_GEMM_PANEL, tm, tn, vw, wgm, 1, tk, 1, 0}
static const hb_gemm_cfg variants[] = {
    {HB_GEMM_BLOCKED, 6, 16, 8, 8, 8, 512, 1, 0},       /* A and B packed, K in steps (the AVX2 default) */
    {HB_GEMM_BLOCKED, 5, 3, 1, 3, 2, 7, 2, 0},          /* scalar, odd block and group, a K step of 7 */
    {HB_GEMM_BLOCKED, 12, 32, 16, 2, 4, 16, 1, 0},      /* float16, a 32-register block */
    {HB_GEMM_PACKED, 8, 32, 16, 16, 1, 1, 1, 0},        /* B packed first (the Zen 5 winner before blocked) */
    {HB_GEMM_PACKED, 5, 12, 4, 3, 1, 1, 2, 0},          /* 3 vectors, odd rows, unrolled k */
    {HB_GEMM_PACKED, 3, 3, 1, 2, 1, 1, 1, 0},           /* scalar, panels of 3 */
    P(8, 32, 16, 32, 128),                              /* packing into local memory */
    P(6, 24, 8, 4, 16),                                 /* 3 vectors, a short k tile */
    {HB_GEMM_PANEL, 5, 8, 4, 3, 2, 32, 1, 0},           /* 2 panels per work-group */
    {HB_GEMM_TILE, 8, 32, 16, 1, 1, 1, 1, 0},           /* no packing */
    {HB_GEMM_TILE, 4, 16, 8, 1, 1, 1, 1, 1},            /* non-temporal D (skipped where N % 8) */
    {HB_GEMM_TILE, 3, 4, 4, 2, 2, 1, 4, 0},             /* 2x2 work-groups, unrolled k */
    {HB_GEMM_LOCAL, 4, 4, 4, 8, 8, 16, 1, 0},           /* the GPU scheme */
    {HB_GEMM_LOCAL, 2, 3, 1, 4, 8, 8, 8, 0},            /* scalar, odd block */
    {HB_GEMM_DOT, 4, 1, 16, 1, 1, 1, 1, 0},             /* GEMV-like */
    {HB_GEMM_DOT, 3, 1, 1, 2, 1, 1, 2, 0},
};
#define N_VARIANTS (sizeof variants / sizeof *variants)

static const hb_dtype dtypes[] = {HB_F32, HB_F64, HB_F16};

static hb_bench_ctx context(hb_model_env *env, const char *impl, hb_dtype dtype, uint64_t m, uint64_t n, uint64_t k)
{
    hb_bench_ctx ctx = hb_test_ctx(env, &hb_bench_gemm, dtype, 0);
    ctx.kernels = hb_test_kernels(&hb_bench_gemm, impl);
    ctx.problem = (hb_problem){.m = m, .n = n, .k = k};
    hb_gemm_label(&ctx.problem);
    ctx.elements = ctx.problem.elements;
    return ctx;
}

/* Every variant (dot only where N is small: it loops over columns) of one
 * shape and dtype. */
static void shape(hb_model_env *env, hb_dtype dtype, uint64_t m, uint64_t n, uint64_t k)
{
    hb_bench_ctx ctx = context(env, "hbmbench", dtype, m, n, k);
    hb_err e = {0};
    char why[512] = "";
    int ok = !hb_bench_gemm.setup(&ctx, &e), runs = 0, all_valid = ok;
    for (size_t v = 0; v < N_VARIANTS && ok; v++) {
        if (variants[v].algo == HB_GEMM_DOT && n > 17)
            continue;
        hb_params cfg;
        int valid = 0;
        hb_gemm_cfg_put(&variants[v], "default", &cfg);
        int rc = hb_test_run_once(&ctx, &cfg, &valid, why, sizeof why, &e);
        if (rc == HB_BENCH_SKIP && variants[v].nt)
            continue;
        runs++;
        if (rc || !valid) {
            all_valid = 0;
            printf("  %s %s variant %zu: %s\n", hb_dtype_name(dtype), ctx.problem.label, v, rc ? e.msg : why);
        }
    }
    hb_test_teardown(&ctx);
    CHECK(ok && all_valid && runs >= 5, "gemm %s %s: %d variants verified%s%s", hb_dtype_name(dtype), ctx.problem.label, runs,
          ok ? "" : ": ", ok ? "" : e.msg);
}

/* Corrupts D after a correct run: verification must name the element. */
static void catches_errors(hb_model_env *env)
{
    hb_bench_ctx ctx = context(env, "hbmbench", HB_F32, 255, 255, 255);
    hb_err e = {0};
    hb_params cfg;
    char why[512] = "";
    int valid = 0;
    hb_gemm_cfg_put(&variants[0], "default", &cfg);
    int rc = hb_bench_gemm.setup(&ctx, &e) || hb_test_run_once(&ctx, &cfg, &valid, why, sizeof why, &e);
    CHECK(!rc && valid, "correct run before corruption: %s", rc ? e.msg : why);
    hb_gemm_data *st = ctx.data;
    float got = 0, nan = NAN; /* read only if the run before succeeded */
    size_t at = 100 * 255 + 37;
    rc = rc || ctx.model->download(env, &st->d, at * 4, 4, &got, &e);
    float off = got + 0.25f; /* less than one lost product term, 1.5 * a * b with |a|, |b| >= 0.25 */
    rc = rc || ctx.model->upload(env, &st->d, at * 4, 4, &off, &e) ||
         hb_bench_gemm.verify(&ctx, &valid, why, sizeof why, &e);
    CHECK(!rc && !valid && strstr(why, "D[100][37]"), "an element off by 0.25 is caught: %s", why);
    rc = rc || ctx.model->upload(env, &st->d, 7 * 4, 4, &nan, &e) ||
         hb_bench_gemm.verify(&ctx, &valid, why, sizeof why, &e);
    CHECK(!rc && !valid && strstr(why, "D[0][7]") && strstr(why, "never"), "an unwritten (NaN) element is caught: %s",
          why);
    hb_test_teardown(&ctx);
}

/* The CPU grid comes from the device (runner/models/opencl/opencl_gemm_configs.c):
 * an AVX2-like and an AVX-512-like description of the same device give
 * different vector widths, K steps and groups, and f64 its own points. */
static hb_gemm_cfg grid_point(hb_model_env *env, const hb_device *dev, hb_dtype dtype, int at, int tune, int *n)
{
    hb_params out[128];
    hb_bench_ctx ctx = context(env, "hbmbench", dtype, 2048, 2048, 2048);
    ctx.dev = dev;
    ctx.tune = tune;
    *n = hb_gemm_configs(&ctx, out, 128);
    hb_gemm_cfg c = {0};
    hb_err e = {0};
    if (at < *n && hb_gemm_cfg_of(&out[at], &c, &e))
        printf("FAIL grid point %d: %s\n", at, e.msg);
    return c;
}

static void derived_grid(hb_model_env *env, const hb_device *cpu)
{
    hb_device avx2 = *cpu, avx512 = *cpu, unknown = *cpu;
    avx2.native_vector_f32 = 8, avx2.native_vector_f64 = 4;
    avx2.core_l1d_bytes = 32 << 10, avx2.core_l2_bytes = 512 << 10;
    avx512.native_vector_f32 = 16, avx512.native_vector_f64 = 8;
    avx512.core_l1d_bytes = 48 << 10, avx512.core_l2_bytes = 1 << 20;
    unknown.native_vector_f32 = unknown.native_vector_f64 = 0;
    unknown.core_l1d_bytes = unknown.core_l2_bytes = 0;
    int n;
    hb_gemm_cfg c = grid_point(env, &avx2, HB_F32, 0, 0, &n);
    /* tk = 32 KiB / (16 x 4 B); wgm = 512 KiB / 2 / (6 x 512 x 4 B) = 21 -> 16; wgn = 64 / 16 */
    CHECK(n == 1 && c.algo == HB_GEMM_BLOCKED && c.tm == 6 && c.tn == 16 && c.vw == 8 && c.tk == 512 &&
              c.wgm == 16 && c.wgn == 4,
          "AVX2-like f32 default: blocked 6x16, 8 lanes, K step 512, 16x4 work-items (got %d %dx%d v%d tk %d %dx%d)",
          c.algo, c.tm, c.tn, c.vw, c.tk, c.wgm, c.wgn);
    c = grid_point(env, &avx2, HB_F64, 0, 0, &n);
    CHECK(c.algo == HB_GEMM_BLOCKED && c.tm == 6 && c.tn == 8 && c.vw == 4 && c.tk == 512 && c.wgm == 8 && c.wgn == 8,
          "AVX2-like f64 default: its own point, 6x8 of 4 lanes, K step 512, 8x8 (got %dx%d v%d tk %d %dx%d)", c.tm,
          c.tn, c.vw, c.tk, c.wgm, c.wgn);
    c = grid_point(env, &avx512, HB_F32, 0, 0, &n);
    CHECK(c.algo == HB_GEMM_BLOCKED && c.tm == 6 && c.tn == 32 && c.vw == 16 && c.tk == 256,
          "AVX-512-like f32 default: 6x32 of 16 lanes, K step 48 KiB / 128 B -> 256 (got %dx%d v%d tk %d)", c.tm,
          c.tn, c.vw, c.tk);
    int quick, has_wide = 0, has_packed = 0, lanes_ok = 1;
    grid_point(env, &avx512, HB_F32, 0, 1, &quick);
    for (int i = 0; i < quick; i++) {
        c = grid_point(env, &avx512, HB_F32, i, 1, &n);
        lanes_ok &= c.vw == 16;
        has_wide |= c.algo == HB_GEMM_BLOCKED && c.tm == 12 && c.tn == 32;
        has_packed |= c.algo == HB_GEMM_PACKED && c.tm == 8 && c.tn == 32;
    }
    CHECK(quick >= 8 && lanes_ok && has_wide && has_packed,
          "AVX-512-like quick grid (%d points): every point 16 lanes, a 32-register block (12x32) and the "
          "former winner (packed 8x32)", quick);
    int full, acc_ok = 1, blocked = 0, former = 0;
    grid_point(env, &avx2, HB_F64, 0, 2, &full);
    for (int i = quick; i < full; i++) {
        c = grid_point(env, &avx2, HB_F64, i, 2, &n);
        acc_ok &= c.vw == 4 && (c.algo != HB_GEMM_BLOCKED || c.tm * (c.tn / c.vw) <= 28);
        blocked += c.algo == HB_GEMM_BLOCKED;
        former += c.algo == HB_GEMM_PANEL || c.algo == HB_GEMM_TILE;
    }
    CHECK(blocked > 20 && former == 2 && acc_ok,
          "full grid (%d points): %d blocked with at most 28 accumulators, panel and tile, the device's lanes", full,
          blocked);
    c = grid_point(env, &unknown, HB_F32, 0, 0, &n);
    CHECK(c.vw == 8 && c.tk == 512, "no vector width or caches reported: 8 lanes, 32 KiB L1 assumed (got v%d tk %d)",
          c.vw, c.tk);
}

#ifdef HB_HAVE_CLBLAST
static void clblast(hb_model_env *env)
{
    for (int d = 0; d < 2; d++) {
        hb_bench_ctx ctx = context(env, "clblast", dtypes[d], 17, 255, 7);
        hb_err e = {0};
        hb_params cfg;
        char why[512] = "";
        int valid = 0;
        ctx.kernels->configs(&ctx, &cfg, 1);
        int rc = hb_bench_gemm.setup(&ctx, &e) || hb_test_run_once(&ctx, &cfg, &valid, why, sizeof why, &e);
        CHECK(!rc && valid, "CLBlast %s 17x255x7 verified: %s", hb_dtype_name(dtypes[d]), rc ? e.msg : why);
        hb_test_teardown(&ctx);
    }
}
#endif

int main(void)
{
    hb_device_list list;
    hb_device *cpu;
    hb_model_env *env;
    int found = hb_test_open_cpu(&list, &cpu, &env);
    if (found)
        return found;
    static const uint64_t squares[] = {1, 7, 17, 255, 1000, 1023};
    static const uint64_t odd[][3] = {{1000, 7, 17}, {17, 1023, 255}, {1023, 1, 1000}, {255, 17, 1}, {7, 1, 1}};
    for (int d = 0; d < 3; d++) {
        if (d == 1 && !cpu->fp64)
            continue;
        for (size_t s = 0; s < sizeof squares / sizeof *squares; s++)
            shape(env, dtypes[d], squares[s], squares[s], squares[s]);
        for (size_t s = 0; s < sizeof odd / sizeof *odd; s++)
            shape(env, dtypes[d], odd[s][0], odd[s][1], odd[s][2]);
    }
    catches_errors(env);
    derived_grid(env, cpu);
#ifdef HB_HAVE_CLBLAST
    clblast(env);
#endif
    hb_model_opencl.close(env);
    hb_device_list_free(&list);
    return hb_check_failures() != 0;
}
