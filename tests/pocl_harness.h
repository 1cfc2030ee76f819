/* SPDX-License-Identifier: Apache-2.0 */
/* pocl_harness: what the PoCL integration tests share: the device they run
 * on (the first OpenCL CPU device), its opened model, a bench context with
 * the OpenCL model's kernels, and one verified run of a configuration
 * outside the driver. */
#ifndef HB_TEST_POCL_HARNESS_H
#define HB_TEST_POCL_HARNESS_H

#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "cl_env.h"
#include "cl_util.h"
#include "discover.h"

/* Returns 0 with *dev set, 77 (CTest's skip code in these tests) when there
 * is no OpenCL CPU device, 1 when discovery fails. */
static inline int hb_test_cpu_device(hb_device_list *list, hb_device **dev)
{
    hb_err e = {0};
    if (hb_discover(list, &e)) {
        printf("FAIL discover: %s\n", e.msg);
        return 1;
    }
    for (size_t i = 0; i < list->n; i++)
        if (list->v[i].kind == HB_KIND_CPU && list->v[i].model == &hb_model_opencl) {
            *dev = &list->v[i];
            return 0;
        }
    printf("SKIP: no OpenCL CPU device (%s)\n", list->model_status[0]);
    hb_device_list_free(list);
    return 77;
}

/* hb_test_cpu_device, then the OpenCL model opened on that device in *env. */
static inline int hb_test_open_cpu(hb_device_list *list, hb_device **dev, hb_model_env **env)
{
    int found = hb_test_cpu_device(list, dev);
    if (found)
        return found;
    hb_err e = {0};
    if (hb_model_opencl.open(*dev, NULL, env, &e)) {
        printf("FAIL open %s: %s\n", (*dev)->name, e.msg);
        return 1;
    }
    return 0;
}

/* The OpenCL model's kernels of the bench's family with that implementation. */
static inline const hb_kernels *hb_test_kernels(const hb_bench *b, const char *impl)
{
    for (const hb_kernels *const *k = hb_model_opencl.kernels; *k; k++)
        if (!strcmp((*k)->family, b->family->name) && !strcmp((*k)->implementation, impl))
            return *k;
    return NULL;
}

/* A context for bench b (our kernels) on the opened device. */
static inline hb_bench_ctx hb_test_ctx(hb_model_env *env, const hb_bench *b, hb_dtype dtype, uint64_t elements)
{
    return (hb_bench_ctx){.bench = b, .kernels = hb_test_kernels(b, "hbmbench"), .model = &hb_model_opencl,
                          .env = env, .dev = env->dev, .dtype = dtype, .elem_bytes = hb_dtype_bytes(dtype),
                          .elements = elements, .problem = {.elements = elements}};
}

/* The kernels' and the bench's tear-down. */
static inline void hb_test_teardown(hb_bench_ctx *ctx)
{
    if (ctx->kernels->teardown)
        ctx->kernels->teardown(ctx);
    ctx->bench->teardown(ctx);
}

/* prepare, poison, one iteration (launch and finish, or run_timed for
 * kernels that time themselves), verify: one configuration checked. */
static inline int hb_test_run_once(hb_bench_ctx *ctx, const hb_params *cfg, int *valid, char *why, size_t len,
                                   hb_err *e)
{
    int rc = ctx->kernels->prepare(ctx, cfg, e);
    if (rc || (rc = ctx->bench->poison(ctx, e)))
        return rc;
    if (ctx->kernels->run_timed) {
        double s;
        if (ctx->kernels->run_timed(ctx, &s, e))
            return HB_EFAIL;
    } else if (ctx->kernels->launch(ctx, -1, e) || ctx->model->finish(ctx->env, e)) {
        return HB_EFAIL;
    }
    return ctx->bench->verify(ctx, valid, why, len, e);
}

#endif
