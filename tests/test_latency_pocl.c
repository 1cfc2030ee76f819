/* SPDX-License-Identifier: Apache-2.0 */
/* The latency bench on the first OpenCL CPU device (PoCL in CI), outside
 * the driver: several launches, each from where the one before ended, end
 * where the bench expects, with fewer loads than indices and with more;
 * the loads counted; and the check catches a chase that never ran (the
 * poison left in place) and a wrong end index. Exits 77 without an OpenCL
 * CPU device. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "latency.h"
#include "pocl_harness.h"

/* ctx for a working set of `bytes` with --latency-loads `loads`. */
static hb_bench_ctx ctx_for(hb_model_env *env, uint64_t bytes, hb_bench_opts *opts, const char *loads)
{
    *opts = (hb_bench_opts){.n = 1, .name = {"latency-loads"}, .value = {loads}};
    hb_bench_ctx ctx = hb_test_ctx(env, &hb_bench_latency, HB_F32, bytes / 4);
    ctx.opts = opts;
    return ctx;
}

/* prepare, poison, `launches` launches, finish, verify. */
static int chase(hb_bench_ctx *ctx, hb_params *cfg, int launches, int *valid, char *why, size_t len, hb_err *e)
{
    int rc = ctx->kernels->configs(ctx, cfg, 1) != 1 || ctx->kernels->prepare(ctx, cfg, e) ||
             ctx->bench->poison(ctx, e);
    for (int i = 0; i < launches && !rc; i++)
        rc = ctx->kernels->launch(ctx, -1, e);
    return rc || ctx->model->finish(ctx->env, e) || ctx->bench->verify(ctx, valid, why, len, e);
}

static void ends_where_expected(hb_model_env *env, uint64_t bytes, const char *loads, int launches)
{
    hb_bench_opts opts;
    hb_bench_ctx ctx = ctx_for(env, bytes, &opts, loads);
    hb_err e = {0};
    hb_params cfg;
    char why[512] = "";
    int valid = 0;
    int rc = ctx.bench->setup(&ctx, &e) || chase(&ctx, &cfg, launches, &valid, why, sizeof why, &e);
    CHECK(!rc && valid, "%llu B, %s loads, %d launches: ends where expected%s%s", (unsigned long long)bytes, loads,
          launches, rc ? ": " : " ", rc ? e.msg : why);
    double n = (double)strtoull(loads, NULL, 10);
    CHECK(ctx.ops_per_iter == n && ctx.bytes_per_iter == 4 * n && ctx.flops_per_iter == 0,
          "%llu B: ops_per_iter = loads, 4 bytes a load, no FLOP", (unsigned long long)bytes);
    hb_test_teardown(&ctx);
}

/* No launch: the poison stays, named; a wrong end index: named. */
static void catches_errors(hb_model_env *env)
{
    hb_bench_opts opts;
    hb_bench_ctx ctx = ctx_for(env, 65536, &opts, "1000");
    hb_err e = {0};
    hb_params cfg;
    char why[512] = "";
    int valid = 1;
    int rc = ctx.bench->setup(&ctx, &e) || chase(&ctx, &cfg, 0, &valid, why, sizeof why, &e);
    CHECK(!rc && !valid && strstr(why, "wrote no end index"), "a chase that never ran is caught: %s",
          rc ? e.msg : why);
    rc = rc || chase(&ctx, &cfg, 2, &valid, why, sizeof why, &e);
    hb_latency_data *d = ctx.data;
    uint32_t wrong = (hb_latency_expected(d) + 1) % (uint32_t)d->n;
    rc = rc || ctx.model->upload(env, &d->out, 0, sizeof wrong, &wrong, &e) ||
         ctx.bench->verify(&ctx, &valid, why, sizeof why, &e);
    CHECK(!rc && !valid && strstr(why, "the chase ended at index"), "a wrong end index is caught: %s",
          rc ? e.msg : why);
    hb_test_teardown(&ctx);
}

int main(void)
{
    hb_device_list list;
    hb_device *dev;
    hb_model_env *env;
    int found = hb_test_open_cpu(&list, &dev, &env);
    if (found)
        return found;
    ends_where_expected(env, 4096, "1", 5);
    ends_where_expected(env, 6144, "1000", 4);      /* fewer loads than the 1536 indices */
    ends_where_expected(env, 4096, "2500", 3);      /* more loads than the 1024 indices */
    ends_where_expected(env, 1 << 20, "131072", 3);
    catches_errors(env);
    hb_model_opencl.close(env);
    hb_device_list_free(&list);
    return hb_check_failures() != 0;
}
