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
    {HB_GEMM_PACKED, 8, 32, 16, 16, 1, 1, 1, 0},        /* the CPU default: B packed first */
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
#ifdef HB_HAVE_CLBLAST
    clblast(env);
#endif
    hb_model_opencl.close(env);
    hb_device_list_free(&list);
    return hb_check_failures() != 0;
}
