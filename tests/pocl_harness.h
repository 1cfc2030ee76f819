/* pocl_harness: what the PoCL integration tests share: the device they run
 * on (the first OpenCL CPU device) and one verified run of a bench
 * configuration outside the driver. */
#ifndef HB_TEST_POCL_HARNESS_H
#define HB_TEST_POCL_HARNESS_H

#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "cl_util.h"
#include "discover.h"

/* Returns 0 with *dev set, 77 (CTest's skip code in these tests) when there
 * is no CPU device, 1 when discovery fails. */
static inline int hb_test_cpu_device(hb_device_list *list, hb_device **dev)
{
    hb_err e = {0};
    if (hb_discover(list, &e)) {
        printf("FAIL discover: %s\n", e.msg);
        return 1;
    }
    for (size_t i = 0; i < list->n_opencl; i++)
        if (!strcmp(list->v[i].type, "CPU")) {
            *dev = &list->v[i];
            return 0;
        }
    printf("SKIP: no OpenCL CPU device (%s)\n", list->opencl_status);
    hb_device_list_free(list);
    return 77;
}

/* hb_test_cpu_device, then an OpenCL context on that device in *env. */
static inline int hb_test_open_cpu(hb_device_list *list, hb_device **dev, hb_cl_env *env)
{
    int found = hb_test_cpu_device(list, dev);
    if (found)
        return found;
    hb_err e = {0};
    if (hb_cl_env_open(env, *dev, NULL, &e)) {
        printf("FAIL open %s: %s\n", (*dev)->name, e.msg);
        return 1;
    }
    return 0;
}

/* prepare, one iteration (enqueue and finish, or run_timed for a bench
 * that times itself), verify: one configuration checked. */
static inline int hb_test_run_once(hb_bench_ctx *ctx, const hb_params *cfg, int *valid, char *why, size_t len,
                                   hb_err *e)
{
    int rc = ctx->bench->prepare(ctx, cfg, e);
    if (rc)
        return rc;
    if (ctx->bench->run_timed) {
        double s;
        if (ctx->bench->run_timed(ctx, &s, e))
            return HB_EFAIL;
    } else {
        cl_event ev;
        if (ctx->bench->enqueue(ctx, &ev, e) || hb_cl_check(clFinish(ctx->env->queue), "clFinish", e))
            return HB_EFAIL;
        clReleaseEvent(ev);
    }
    return ctx->bench->verify(ctx, valid, why, len, e);
}

#endif
