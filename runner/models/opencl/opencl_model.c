/* SPDX-License-Identifier: Apache-2.0 */
/* opencl_model: the OpenCL model: any vendor's driver through the ICD
 * loader (PoCL on CPUs). Buffers are cl_mem objects in the device's global
 * memory; each timed launch carries a profiling event whose START..END is
 * its time (cl_env.c). */
#include <stdio.h>
#include <stdlib.h>

#include "cl_env.h"
#include "cl_util.h"
#include "opencl_kernels.h"

static int cl_alloc(hb_model_env *env, size_t bytes, hb_buf *out, hb_err *err)
{
    cl_int rc;
    cl_mem m = clCreateBuffer(env->context, CL_MEM_READ_WRITE, bytes ? bytes : 1, NULL, &rc);
    if (rc != CL_SUCCESS)
        return hb_fail(err, HB_EFAIL, "clCreateBuffer(%zu bytes) on %s: %s", bytes, env->dev->name,
                       hb_cl_error_name(rc));
    *out = (hb_buf){(uintptr_t)m, bytes};
    return HB_OK;
}

static void cl_release(hb_model_env *env, hb_buf *buf)
{
    (void)env;
    if (buf->handle)
        clReleaseMemObject(hb_cl_mem(buf));
    *buf = (hb_buf){0, 0};
}

static int cl_upload(hb_model_env *env, hb_buf *dst, size_t offset, size_t bytes, const void *src, hb_err *err)
{
    return hb_cl_check(clEnqueueWriteBuffer(env->queue, hb_cl_mem(dst), CL_TRUE, offset, bytes, src, 0, NULL, NULL),
                       "clEnqueueWriteBuffer", err);
}

static int cl_download(hb_model_env *env, const hb_buf *src, size_t offset, size_t bytes, void *dst, hb_err *err)
{
    return hb_cl_check(clEnqueueReadBuffer(env->queue, hb_cl_mem(src), CL_TRUE, offset, bytes, dst, 0, NULL, NULL),
                       "clEnqueueReadBuffer", err);
}

/* Work-items of the whole-array kernels for n elements: at most 2^16,
 * enough to fill any device and few enough that their outcomes (16 or 32
 * bytes each) read back in microseconds; at least 16 elements each, so a
 * small array (a simulator's) is not spread over idle work-items. */
#define VALUES_ITEMS ((size_t)1 << 16)
static size_t values_items(uint64_t n)
{
    return n / 16 >= VALUES_ITEMS ? VALUES_ITEMS : n / 16 ? (size_t)(n / 16) : 1;
}

/* One call of a whole-array kernel of stream.cl (init, fill32/64, check,
 * sum) over n elements, built in the program the default stream
 * configuration of dtype uses (so no other build): its arguments
 * args[0..n_args), then `contiguous` (blocks on a CPU device, the grid
 * stride elsewhere: stream.cl, FOR_RUNS), then, with words > 0, a buffer
 * of `words` outcomes per work-item, read back into env->outcomes_host
 * (values_items(n) work-items); with words 0 the call is waited for. */
typedef struct values_call {
    const char *name;
    hb_dtype dtype;
    uint64_t n;
    int n_args;
    size_t sizes[8];
    const void *args[8];
    int words;
} values_call;

static int set_arg(cl_kernel k, const char *name, cl_uint i, size_t size, const void *value, hb_err *err)
{
    cl_int rc = clSetKernelArg(k, i, size, value);
    return rc == CL_SUCCESS ? HB_OK
                            : hb_fail(err, HB_EFAIL, "clSetKernelArg(%s, %u): %s", name, i, hb_cl_error_name(rc));
}

/* The outcome buffers, made once at their largest size (4 words for each
 * of VALUES_ITEMS work-items: 2 MiB) and kept with the env, so a check per
 * configuration allocates nothing. */
#define OUTCOME_BYTES (VALUES_ITEMS * 4 * sizeof(cl_ulong))
static int outcome_buffers(hb_cl_env *env, hb_err *err)
{
    cl_int rc = CL_SUCCESS;
    if (!env->outcomes)
        env->outcomes = clCreateBuffer(env->context, CL_MEM_WRITE_ONLY, OUTCOME_BYTES, NULL, &rc);
    if (rc != CL_SUCCESS)
        return hb_fail(err, HB_EFAIL, "clCreateBuffer(outcomes, %zu bytes): %s", OUTCOME_BYTES,
                       hb_cl_error_name(rc));
    if (!env->outcomes_host && !(env->outcomes_host = malloc(OUTCOME_BYTES)))
        return hb_fail(err, HB_EFAIL, "out of memory for the outcomes");
    return HB_OK;
}

static int launch_values(hb_cl_env *env, cl_kernel k, const values_call *c, hb_err *err)
{
    size_t global = values_items(c->n), bytes = global * (size_t)c->words * sizeof(cl_ulong);
    cl_uint contiguous = env->dev->kind == HB_KIND_CPU;
    for (int i = 0; i < c->n_args; i++)
        if (set_arg(k, c->name, (cl_uint)i, c->sizes[i], c->args[i], err))
            return HB_EFAIL;
    if (set_arg(k, c->name, (cl_uint)c->n_args, sizeof contiguous, &contiguous, err))
        return HB_EFAIL;
    if (!c->words)
        return hb_cl_launch(env, k, 1, &global, NULL, -1, c->name, err) ||
               hb_cl_check(clFinish(env->queue), "clFinish", err) ? HB_EFAIL : HB_OK;
    return outcome_buffers(env, err) ||
           set_arg(k, c->name, (cl_uint)c->n_args + 1, sizeof env->outcomes, &env->outcomes, err) ||
           hb_cl_launch(env, k, 1, &global, NULL, -1, c->name, err) ||
           hb_cl_check(clEnqueueReadBuffer(env->queue, env->outcomes, CL_TRUE, 0, bytes, env->outcomes_host, 0,
                                           NULL, NULL), "clEnqueueReadBuffer(outcomes)", err) ? HB_EFAIL : HB_OK;
}

static int run_values(hb_cl_env *env, const values_call *c, hb_err *err)
{
    cl_program p;
    cl_kernel k;
    char opts[64];
    snprintf(opts, sizeof opts, "-DHB_F64=%d -DHB_NT=0", c->dtype == HB_F64);
    if (hb_cl_program(env, "stream.cl", opts, &p, err) || hb_cl_kernel(p, c->name, &k, err))
        return HB_EFAIL;
    int rc = launch_values(env, k, c, err);
    clReleaseKernel(k);
    return rc;
}

/* On a CPU device a 4- or 8-byte pattern is written by stream.cl's fill
 * kernels, in parallel (PoCL's clEnqueueFillBuffer runs on one thread,
 * which also first-touches a fresh buffer's pages); otherwise, and for
 * other patterns, by clEnqueueFillBuffer. */
static int cl_fill(hb_model_env *env, hb_buf *dst, const void *pattern, size_t pattern_bytes, size_t bytes,
                   hb_err *err)
{
    if (env->dev->kind == HB_KIND_CPU && (pattern_bytes == 4 || pattern_bytes == 8) && bytes % pattern_bytes == 0) {
        cl_mem m = hb_cl_mem(dst);
        cl_ulong words = bytes / pattern_bytes;
        values_call c = {pattern_bytes == 4 ? "fill32" : "fill64", HB_F32, words, 3,
                         {sizeof m, pattern_bytes, sizeof words}, {&m, pattern, &words}, 0};
        return run_values(env, &c, err);
    }
    return hb_cl_check(clEnqueueFillBuffer(env->queue, hb_cl_mem(dst), pattern, pattern_bytes, 0, bytes, 0, NULL,
                                           NULL), "clEnqueueFillBuffer", err) ||
           hb_cl_check(clFinish(env->queue), "clFinish(fill)", err) ? HB_EFAIL : HB_OK;
}

/* The start values come from stream.cl's init kernel, a copy of
 * benches/stream_values.h, so gigabytes need not cross the bus. */
static int cl_init_values(hb_model_env *env, hb_buf *dst, hb_dtype dtype, uint64_t n, unsigned seed, hb_err *err)
{
    cl_mem m = hb_cl_mem(dst);
    cl_ulong count = n;
    cl_uint s = seed;
    values_call c = {"init", dtype, n, 3, {sizeof m, sizeof s, sizeof count}, {&m, &s, &count}, 0};
    return run_values(env, &c, err);
}

static int cl_check_values(hb_model_env *env, const hb_buf *src, hb_dtype dtype, uint64_t n,
                           const hb_values_expr *e, hb_values_check *out, hb_err *err)
{
    cl_mem m = hb_cl_mem(src);
    cl_ulong count = n;
    cl_uint seeds[2] = {e->seed[0], e->seed[1]};
    double d[3] = {e->coef[0], e->coef[1], e->constant};
    float f[3] = {(float)d[0], (float)d[1], (float)d[2]};
    const char *k = dtype == HB_F64 ? (const char *)d : (const char *)f; /* coef0, coef1, addend */
    size_t kb = hb_dtype_bytes(dtype);
    values_call c = {"check", dtype, n, 7, {sizeof m, sizeof count, sizeof seeds[0], sizeof seeds[1], kb, kb, kb},
                     {&m, &count, &seeds[0], &seeds[1], k, k + kb, k + 2 * kb}, 2};
    if (run_values(env, &c, err))
        return HB_EFAIL;
    const cl_ulong *words = env->outcomes_host;
    for (size_t g = 0; g < values_items(n); g++)
        hb_values_check_add(out, words[2 * g], words[2 * g + 1]);
    return HB_OK;
}

static int cl_sum_values(hb_model_env *env, hb_dtype dtype, uint64_t n, unsigned seed_a, unsigned seed_b,
                         hb_values_sum *out, hb_err *err)
{
    cl_ulong count = n;
    cl_uint sa = seed_a, sb = seed_b;
    values_call c = {"sum", dtype, n, 3, {sizeof count, sizeof sa, sizeof sb}, {&count, &sa, &sb}, 4};
    if (run_values(env, &c, err))
        return HB_EFAIL;
    const cl_ulong *words = env->outcomes_host;
    *out = (hb_values_sum){.n = n};
    for (size_t g = 0; g < values_items(n); g++)
        hb_values_sum_add_item(out, &words[4 * g]);
    return HB_OK;
}

/* Pinned host memory the way the vendors document it: a buffer created with
 * CL_MEM_ALLOC_HOST_PTR, which the driver allocates as page-locked host
 * memory its DMA engines reach ("pinned host memory" in AMD's OpenCL
 * optimisation guide, quoted in clpeak issue #38; NVIDIA's OpenCL best
 * practices guide, "Pinned Memory"), mapped once so its host pointer can
 * be the host side of clEnqueueWrite/ReadBuffer on another buffer. On a CPU
 * device it is ordinary host memory. */
static int cl_pinned_alloc(hb_model_env *env, size_t bytes, hb_host_buf *out, hb_err *err)
{
    cl_int rc;
    cl_mem m = clCreateBuffer(env->context, CL_MEM_READ_WRITE | CL_MEM_ALLOC_HOST_PTR, bytes ? bytes : 1, NULL, &rc);
    if (rc != CL_SUCCESS)
        return hb_fail(err, HB_EFAIL, "clCreateBuffer(CL_MEM_ALLOC_HOST_PTR, %zu bytes) on %s: %s", bytes,
                       env->dev->name, hb_cl_error_name(rc));
    void *p = clEnqueueMapBuffer(env->queue, m, CL_TRUE, CL_MAP_READ | CL_MAP_WRITE, 0, bytes, 0, NULL, NULL, &rc);
    if (rc != CL_SUCCESS) {
        clReleaseMemObject(m);
        return hb_fail(err, HB_EFAIL, "clEnqueueMapBuffer(pinned, %zu bytes): %s", bytes, hb_cl_error_name(rc));
    }
    *out = (hb_host_buf){p, bytes, (uintptr_t)m};
    return HB_OK;
}

static void cl_pinned_release(hb_model_env *env, hb_host_buf *buf)
{
    cl_mem m = (cl_mem)buf->handle;
    if (m) {
        clEnqueueUnmapMemObject(env->queue, m, buf->ptr, 0, NULL, NULL);
        clFinish(env->queue);
        clReleaseMemObject(m);
    }
    *buf = (hb_host_buf){NULL, 0, 0};
}

static int cl_finish(hb_model_env *env, hb_err *err)
{
    return hb_cl_check(clFinish(env->queue), "clFinish", err);
}

static const hb_kernels *const opencl_kernels[] = {
    &hb_cl_stream_kernels, &hb_cl_gemm_kernels,
#ifdef HB_HAVE_CLBLAST
    &hb_cl_clblast_kernels,
#endif
    &hb_cl_roofline_kernels, &hb_cl_transfer_kernels, &hb_cl_latency_kernels, NULL,
};

const hb_model hb_model_opencl = {
    .name = "opencl", .timer = "opencl-events", .discover = hb_cl_discover, .open = hb_cl_env_open,
    .close = hb_cl_env_close, .alloc = cl_alloc, .release = cl_release, .upload = cl_upload,
    .download = cl_download, .fill = cl_fill, .init_values = cl_init_values,
    .check_values = cl_check_values, .sum_values = cl_sum_values, .pinned_alloc = cl_pinned_alloc,
    .pinned_release = cl_pinned_release, .timer_begin = hb_cl_timer_begin,
    .finish = cl_finish, .timer_read = hb_cl_timer_read, .kernels = opencl_kernels,
};
