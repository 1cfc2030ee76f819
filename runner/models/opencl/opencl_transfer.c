/* SPDX-License-Identifier: Apache-2.0 */
/* opencl_transfer: the transfer family on an OpenCL device
 * (benches/transfer.h): each iteration is one finished copy, made of
 * OpenCL commands and timed by their profiling events, on the device's
 * clock (OpenCL 3.0 API spec, clGetEventProfilingInfo):
 *   rw   clEnqueueWriteBuffer (h2d) / clEnqueueReadBuffer (d2h) between the
 *        host memory and a device buffer: the command's START to END;
 *   map  clEnqueueMapBuffer of the device buffer, memcpy to or from the
 *        host memory, clEnqueueUnmapMemObject: the map's START to the
 *        unmap's END, the host memcpy between them included (the unmap is
 *        enqueued after it);
 *   bidir  both directions at once, h2d on the env's queue and d2h on a
 *        second in-order queue (two copy engines can then overlap): the
 *        first START to the last END over both. The map path's two
 *        memcpys run one after the other on this thread.
 * The device buffers are plain CL_MEM_READ_WRITE buffers, device memory;
 * the host side alone may be CL_MEM_ALLOC_HOST_PTR (pinned, opencl_model.c).
 * Making the device side ALLOC_HOST_PTR too is what showed 8.5 GB/s over
 * Thunderbolt 3 in clpeak issue #38: the data never left host memory. */
#include <stdlib.h>
#include <string.h>

#include "cl_util.h"
#include "opencl_kernels.h"
#include "transfer.h"

typedef struct cl_xfer_state {
    cl_command_queue second;   /* bidir: the device-to-host queue */
} cl_xfer_state;

static int xfer_configs(const hb_bench_ctx *ctx, hb_params *out, int max)
{
    if (max < 1)
        return 0;
    hb_params_clear(&out[0]);
    hb_params_set_text(&out[0], "api", hb_xfer_map(&ctx->problem) ? "map" : "rw");
    hb_params_set_text(&out[0], "host", hb_xfer_pinned(&ctx->problem) ? "pinned" : "pageable");
    return 1;
}

static int xfer_prepare(hb_bench_ctx *ctx, const hb_params *cfg, hb_err *err)
{
    (void)cfg; /* the path is the problem's (variant), recorded in cfg by xfer_configs */
    cl_xfer_state *st = ctx->state;
    if (!st && !(st = ctx->state = calloc(1, sizeof *st)))
        return hb_fail(err, HB_EFAIL, "out of memory");
    if (hb_transfer_dir(ctx->bench) != HB_XFER_BIDIR || st->second)
        return HB_OK;
    cl_int rc;
    cl_queue_properties qprops[] = {CL_QUEUE_PROPERTIES, CL_QUEUE_PROFILING_ENABLE, 0};
    st->second = clCreateCommandQueueWithProperties(ctx->env->context, ctx->env->id, qprops, &rc);
    return hb_cl_check(rc, "clCreateCommandQueueWithProperties(second queue)", err);
}

/* The commands of one iteration: at most a map and an unmap per direction. */
typedef struct batch {
    cl_event ev[4];
    int n;
} batch;

static cl_event *next(batch *b)
{
    return &b->ev[b->n++];
}

/* First START to last END over the batch's events, in seconds. */
static int span(batch *b, double *seconds, hb_err *err)
{
    cl_ulong lo = ~(cl_ulong)0, hi = 0;
    for (int i = 0; i < b->n; i++) {
        cl_ulong t0, t1;
        if (hb_cl_check(clGetEventProfilingInfo(b->ev[i], CL_PROFILING_COMMAND_START, sizeof t0, &t0, NULL),
                        "clGetEventProfilingInfo(START)", err) ||
            hb_cl_check(clGetEventProfilingInfo(b->ev[i], CL_PROFILING_COMMAND_END, sizeof t1, &t1, NULL),
                        "clGetEventProfilingInfo(END)", err))
            return HB_EFAIL;
        lo = t0 < lo ? t0 : lo;
        hi = t1 > hi ? t1 : hi;
    }
    *seconds = hi > lo ? (double)(hi - lo) * 1e-9 : 0;
    return HB_OK;
}

static int rw(hb_cl_env *env, cl_command_queue qd, const hb_transfer_data *d, batch *b, hb_err *err)
{
    if (d->src && hb_cl_check(clEnqueueWriteBuffer(env->queue, hb_cl_mem(&d->to_dev), CL_FALSE, 0, d->bytes, d->src,
                                                   0, NULL, next(b)), "clEnqueueWriteBuffer", err))
        return HB_EFAIL;
    if (d->dst && hb_cl_check(clEnqueueReadBuffer(qd, hb_cl_mem(&d->from_dev), CL_FALSE, 0, d->bytes, d->dst, 0,
                                                  NULL, next(b)), "clEnqueueReadBuffer", err))
        return HB_EFAIL;
    return HB_OK;
}

static int map(hb_cl_env *env, cl_command_queue qd, const hb_transfer_data *d, batch *b, hb_err *err)
{
    cl_int rc = CL_SUCCESS;
    void *to = NULL, *from = NULL;
    if (d->src)
        to = clEnqueueMapBuffer(env->queue, hb_cl_mem(&d->to_dev), CL_FALSE, CL_MAP_WRITE_INVALIDATE_REGION, 0,
                                d->bytes, 0, NULL, next(b), &rc);
    if (rc == CL_SUCCESS && d->dst)
        from = clEnqueueMapBuffer(qd, hb_cl_mem(&d->from_dev), CL_FALSE, CL_MAP_READ, 0, d->bytes, 0, NULL, next(b),
                                  &rc);
    if (hb_cl_check(rc, "clEnqueueMapBuffer", err) || hb_cl_check(clWaitForEvents(b->n, b->ev), "clWaitForEvents(map)",
                                                                  err))
        return HB_EFAIL;
    if (to)
        memcpy(to, d->src, d->bytes);
    if (from)
        memcpy(d->dst, from, d->bytes);
    if (to && hb_cl_check(clEnqueueUnmapMemObject(env->queue, hb_cl_mem(&d->to_dev), to, 0, NULL, next(b)),
                          "clEnqueueUnmapMemObject", err))
        return HB_EFAIL;
    if (from && hb_cl_check(clEnqueueUnmapMemObject(qd, hb_cl_mem(&d->from_dev), from, 0, NULL, next(b)),
                            "clEnqueueUnmapMemObject", err))
        return HB_EFAIL;
    return HB_OK;
}

static int xfer_run_timed(hb_bench_ctx *ctx, double *seconds, hb_err *err)
{
    const hb_transfer_data *d = ctx->data;
    const cl_xfer_state *st = ctx->state;
    hb_cl_env *env = ctx->env;
    cl_command_queue qd = st->second ? st->second : env->queue;
    batch b = {.n = 0};
    int rc = d->map ? map(env, qd, d, &b, err) : rw(env, qd, d, &b, err);
    if (!rc && (hb_cl_check(clFlush(env->queue), "clFlush", err) || hb_cl_check(clFlush(qd), "clFlush", err) ||
                hb_cl_check(clFinish(env->queue), "clFinish", err) || hb_cl_check(clFinish(qd), "clFinish", err)))
        rc = HB_EFAIL;
    if (!rc)
        rc = span(&b, seconds, err);
    for (int i = 0; i < b.n; i++)
        if (b.ev[i])
            clReleaseEvent(b.ev[i]);
    return rc;
}

static void xfer_teardown(hb_bench_ctx *ctx)
{
    cl_xfer_state *st = ctx->state;
    if (st && st->second)
        clReleaseCommandQueue(st->second);
    free(st);
    ctx->state = NULL;
}

const hb_kernels hb_cl_transfer_kernels = {
    .family = "transfer", .implementation = "hbmbench", .dtypes = HB_DTYPE_BIT(HB_F32), .configs = xfer_configs,
    .prepare = xfer_prepare, .run_timed = xfer_run_timed, .teardown = xfer_teardown,
};
