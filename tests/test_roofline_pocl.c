/* SPDX-License-Identifier: Apache-2.0 */
/* The roofline kernel on the first OpenCL CPU device (PoCL in CI): both
 * access patterns, vector widths 1-16, 1-8 chains and both store kinds, in
 * f32 and f64, at element counts with and without a scalar tail and at k
 * from 0 to past a loop unroll, each checked exactly; and proof that the
 * check catches a wrong element. Exits 77 without an OpenCL CPU device. */
#include <string.h>

#include "check.h"
#include "pocl_harness.h"
#include "cl_util.h"
#include "discover.h"
#include "roofline.h"

typedef struct { const char *pattern; int vec, chains, wg; const char *store; } point;
static const point points[] = {
    {"block", 16, 8, 1, "nontemporal"}, {"block", 8, 3, 4, "plain"}, {"block", 1, 1, 2, "plain"},
    {"grid", 4, 2, 8, "plain"}, {"grid", 1, 8, 16, "plain"}, {"grid", 16, 4, 4, "nontemporal"},
};

static void config(hb_params *p, const point *pt)
{
    hb_params_clear(p);
    hb_params_set_text(p, "pattern", pt->pattern);
    hb_params_set_num(p, "vec", pt->vec);
    hb_params_set_num(p, "chains", pt->chains);
    hb_params_set_num(p, "wg", pt->wg);
    hb_params_set_text(p, "store", pt->store);
}

static void sweep(hb_model_env *env, hb_dtype dtype, uint64_t n, int k)
{
    hb_bench_ctx ctx = hb_test_ctx(env, &hb_bench_roofline, dtype, n);
    ctx.problem = (hb_problem){.elements = n, .k = (uint64_t)k, .dims = HB_DIM_K};
    hb_err e = {0};
    char why[512] = "";
    int ok = !hb_bench_roofline.setup(&ctx, &e), all = ok, runs = 0;
    for (size_t i = 0; i < sizeof points / sizeof *points && ok; i++) {
        hb_params cfg;
        int valid = 0;
        config(&cfg, &points[i]);
        int rc = hb_test_run_once(&ctx, &cfg, &valid, why, sizeof why, &e);
        if (rc == HB_BENCH_SKIP)
            continue;
        runs++;
        if (rc || !valid) {
            all = 0;
            printf("  %s n=%llu k=%d %s/%d/%d: %s\n", hb_dtype_name(dtype), (unsigned long long)n, k, points[i].pattern,
                   points[i].vec, points[i].chains, rc ? e.msg : why);
        }
    }
    CHECK(ok && all && runs >= 4, "roofline %s n=%llu k=%d: %d variants exact; %.0f FLOP, %.0f bytes", hb_dtype_name(dtype),
          (unsigned long long)n, k, runs, ctx.flops_per_iter, ctx.bytes_per_iter);
    CHECK(ctx.flops_per_iter == 2.0 * k * (double)n && ctx.bytes_per_iter == 2.0 * (double)n * (double)ctx.elem_bytes,
          "roofline %s k=%d counts 2k FLOP and 2 elements per element", hb_dtype_name(dtype), k);
    hb_test_teardown(&ctx);
}

static void catches_errors(hb_model_env *env)
{
    hb_bench_ctx ctx = hb_test_ctx(env, &hb_bench_roofline, HB_F32, 70001);
    ctx.problem = (hb_problem){.elements = 70001, .k = 5, .dims = HB_DIM_K};
    hb_err e = {0};
    hb_params cfg;
    char why[512] = "";
    int valid = 0;
    config(&cfg, &points[0]);
    int rc = hb_bench_roofline.setup(&ctx, &e) || hb_test_run_once(&ctx, &cfg, &valid, why, sizeof why, &e);
    hb_roofline_data *d = ctx.data;
    float bad = 1.5f;
    rc = rc || ctx.model->upload(env, &d->y, 69999 * 4, 4, &bad, &e) ||
         hb_bench_roofline.verify(&ctx, &valid, why, sizeof why, &e);
    CHECK(!rc && !valid && strstr(why, "y[69999]"), "a wrong element is caught: %s", why);
    hb_test_teardown(&ctx);
}

int main(void)
{
    hb_device_list list;
    hb_device *cpu;
    hb_model_env *env;
    int found = hb_test_open_cpu(&list, &cpu, &env);
    if (found)
        return found;
    static const uint64_t sizes[] = {5, 100003, 1 << 18};
    static const int ks[] = {0, 1, 3, 17};
    for (int d = 0; d < 2; d++)
        if (d == 0 || cpu->fp64)
            for (size_t s = 0; s < 3; s++)
                for (size_t k = 0; k < 4; k++)
                    sweep(env, d ? HB_F64 : HB_F32, sizes[s], ks[k]);
    catches_errors(env);
    hb_model_opencl.close(env);
    hb_device_list_free(&list);
    return hb_check_failures() != 0;
}
