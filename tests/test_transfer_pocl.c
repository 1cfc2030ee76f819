/* SPDX-License-Identifier: Apache-2.0 */
/* The transfer benches on the first OpenCL CPU device (PoCL in CI): every
 * direction and path (pageable and pinned host memory, rw and map) at sizes
 * of one word, one page plus a word, and 1 MiB, each copied and checked
 * exactly; proof that the check catches a copy that did not happen (the
 * poison left in place) and one wrong word; the bytes counted; and the
 * zero-copy record. Exits 77 without an OpenCL CPU device. */
#include <string.h>

#include "check.h"
#include "pocl_harness.h"
#include "transfer.h"

static const hb_bench *const benches[] = {&hb_bench_h2d, &hb_bench_d2h, &hb_bench_bidir};

static hb_bench_ctx ctx_for(hb_model_env *env, const hb_bench *b, uint64_t bytes, unsigned variant)
{
    hb_bench_ctx ctx = hb_test_ctx(env, b, HB_F32, bytes / 4);
    ctx.problem.variant = variant;
    return ctx;
}

static void one(hb_model_env *env, const hb_bench *b, uint64_t bytes, unsigned variant)
{
    hb_bench_ctx ctx = ctx_for(env, b, bytes, variant);
    hb_err e = {0};
    hb_params cfg;
    char why[512] = "";
    int valid = 0;
    int rc = b->setup(&ctx, &e);
    rc = rc || ctx.kernels->configs(&ctx, &cfg, 1) != 1 || hb_test_run_once(&ctx, &cfg, &valid, why, sizeof why, &e);
    const hb_param *api = hb_params_get(&cfg, "api"), *host = hb_params_get(&cfg, "host");
    CHECK(!rc && valid && api && host, "%s %llu B %s %s: copied and verified exactly%s%s", b->name,
          (unsigned long long)bytes, host ? hb_param_text(&cfg, host) : "?", api ? hb_param_text(&cfg, api) : "?", rc ? ": " : "", rc ? e.msg : why);
    int dirs = b == &hb_bench_bidir ? 2 : 1;
    CHECK(ctx.bytes_per_iter == (double)bytes * dirs && ctx.flops_per_iter == 0, "%s %llu B counts %d x the size",
          b->name, (unsigned long long)bytes, dirs);
    hb_test_teardown(&ctx);
}

/* Poisoned and not copied: the check fails; one wrong word: it names it. */
static void catches_errors(hb_model_env *env)
{
    for (int i = 0; i < 3; i++) {
        const hb_bench *b = benches[i];
        hb_bench_ctx ctx = ctx_for(env, b, 65536, HB_XFER_PINNED);
        hb_err e = {0};
        hb_params cfg;
        char why[512] = "";
        int valid = 1;
        int rc = b->setup(&ctx, &e) || ctx.kernels->configs(&ctx, &cfg, 1) != 1 ||
                 ctx.kernels->prepare(&ctx, &cfg, &e) || b->poison(&ctx, &e) || b->verify(&ctx, &valid, why,
                                                                                        sizeof why, &e);
        CHECK(!rc && !valid && strstr(why, "word 0 "), "%s: a copy that did not happen is caught: %s", b->name, why);
        rc = rc || hb_test_run_once(&ctx, &cfg, &valid, why, sizeof why, &e);
        hb_transfer_data *d = ctx.data;
        uint64_t wrong = 42;
        if (d->src)
            rc = rc || ctx.model->upload(env, &d->to_dev, 8 * 1000, 8, &wrong, &e);
        else
            memcpy(d->dst + 8 * 1000, &wrong, 8);
        rc = rc || b->verify(&ctx, &valid, why, sizeof why, &e);
        CHECK(!rc && !valid && strstr(why, "word 1000 (byte 8000) is 0x000000000000002a"),
              "%s: one wrong word is caught: %s", b->name, why);
        hb_test_teardown(&ctx);
    }
}

static void zero_copy(hb_model_env *env)
{
    hb_bench_ctx ctx = ctx_for(env, &hb_bench_h2d, 4096, 0);
    hb_err e = {0};
    int rc = hb_bench_h2d.setup(&ctx, &e);
    const hb_param *z = hb_params_get(&ctx.facts, "zero_copy");
    CHECK(!rc && env->dev->unified_memory && z && z->is_bool && z->num == 1 && strstr(ctx.note, "zero-copy"),
          "a CPU device's transfers are recorded as zero-copy: %s", ctx.note);
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
    static const uint64_t sizes[] = {8, 4096 + 8, 1 << 20};
    for (int b = 0; b < 3; b++)
        for (unsigned v = 0; v < 4; v++)
            for (size_t s = 0; s < 3; s++)
                one(env, benches[b], sizes[s], v);
    catches_errors(env);
    zero_copy(env);
    hb_model_opencl.close(env);
    hb_device_list_free(&list);
    return hb_check_failures() != 0;
}
