/* SPDX-License-Identifier: Apache-2.0 */
/* opencl_latency: the latency family on an OpenCL device
 * (kernels/opencl/latency.cl): one work-item chases the cycle, each launch
 * from where the one before ended (benches/latency.h), timed by its
 * profiling event like every kernel of the model. One configuration: a
 * chase is one thread by definition; more would measure throughput. */
#include <stdlib.h>

#include "cl_util.h"
#include "latency.h"
#include "opencl_kernels.h"

typedef struct cl_latency_state {
    cl_kernel kernel;
} cl_latency_state;

static int lat_prepare(hb_bench_ctx *ctx, const hb_params *cfg, hb_err *err)
{
    (void)cfg;
    const hb_latency_data *d = ctx->data;
    cl_latency_state *st = ctx->state;
    if (!st && !(st = ctx->state = calloc(1, sizeof *st)))
        return hb_fail(err, HB_EFAIL, "out of memory");
    cl_program p;
    int rc = hb_cl_program(ctx->env, "latency.cl", "", &p, err);
    if (rc)
        return rc;
    if (st->kernel)
        clReleaseKernel(st->kernel);
    st->kernel = NULL;
    if (hb_cl_kernel(p, "latency", &st->kernel, err))
        return HB_EFAIL;
    cl_mem next = hb_cl_mem(&d->next), out = hb_cl_mem(&d->out);
    cl_ulong loads = d->loads;
    cl_int crc = clSetKernelArg(st->kernel, 0, sizeof next, &next);
    crc = crc ? crc : clSetKernelArg(st->kernel, 1, sizeof out, &out);
    crc = crc ? crc : clSetKernelArg(st->kernel, 3, sizeof loads, &loads);
    return hb_cl_check(crc, "clSetKernelArg(latency)", err);
}

/* The start index changes every launch: an argument set before each
 * enqueue (clSetKernelArg's value is copied at the call). */
static int lat_launch(hb_bench_ctx *ctx, int slot, hb_err *err)
{
    cl_latency_state *st = ctx->state;
    cl_uint start = hb_latency_next_start(ctx);
    size_t one = 1;
    if (hb_cl_check(clSetKernelArg(st->kernel, 2, sizeof start, &start), "clSetKernelArg(latency, start)", err))
        return HB_EFAIL;
    return hb_cl_launch(ctx->env, st->kernel, 1, &one, &one, slot, "latency", err);
}

static void lat_teardown(hb_bench_ctx *ctx)
{
    cl_latency_state *st = ctx->state;
    if (st && st->kernel)
        clReleaseKernel(st->kernel);
    free(st);
    ctx->state = NULL;
}

/* Untyped, as the bench (benches/latency.c). */
const hb_kernels hb_cl_latency_kernels = {
    .family = "latency", .implementation = "hbmbench", .dtypes = 0, .configs = hb_latency_configs,
    .prepare = lat_prepare, .launch = lat_launch, .teardown = lat_teardown,
};
