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

/* The whole-array kernels of stream.cl (init, check, sum), from the program
 * the default stream configuration of dtype uses (so no other build), with
 * their last argument but one: contiguous blocks on a CPU device, the grid
 * stride elsewhere (stream.cl, FOR_RUNS). */
static int values_kernel(hb_cl_env *env, hb_dtype dtype, const char *name, cl_uint contiguous_arg, cl_kernel *k,
                         hb_err *err)
{
    cl_program p;
    char opts[64];
    cl_uint contiguous = env->dev->kind == HB_KIND_CPU;
    snprintf(opts, sizeof opts, "-DHB_F64=%d -DHB_NT=0", dtype == HB_F64);
    if (hb_cl_program(env, "stream.cl", opts, &p, err) || hb_cl_kernel(p, name, k, err))
        return HB_EFAIL;
    cl_int rc = clSetKernelArg(*k, contiguous_arg, sizeof contiguous, &contiguous);
    if (rc == CL_SUCCESS)
        return HB_OK;
    clReleaseKernel(*k);
    return hb_fail(err, HB_EFAIL, "clSetKernelArg(%s, %u): %s", name, contiguous_arg, hb_cl_error_name(rc));
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

/* Sets the kernel's arguments from (size, pointer) pairs, naming the kernel on failure. */
static int set_args(cl_kernel k, const char *what, int n, const size_t *sizes, const void *const *values, hb_err *err)
{
    for (int i = 0; i < n; i++) {
        cl_int rc = clSetKernelArg(k, (cl_uint)i, sizes[i], values[i]);
        if (rc != CL_SUCCESS)
            return hb_fail(err, HB_EFAIL, "clSetKernelArg(%s, %d): %s", what, i, hb_cl_error_name(rc));
    }
    return HB_OK;
}

/* Runs kernel k over `global` work-items whose outcomes (words each)
 * land in a buffer made here, and reads them back into out. */
static int run_values(hb_cl_env *env, cl_kernel k, const char *what, size_t global, cl_uint out_arg, int words,
                      cl_ulong *out, hb_err *err)
{
    size_t bytes = global * (size_t)words * sizeof(cl_ulong);
    cl_int rc;
    cl_mem m = clCreateBuffer(env->context, CL_MEM_WRITE_ONLY, bytes, NULL, &rc);
    if (rc != CL_SUCCESS)
        return hb_fail(err, HB_EFAIL, "clCreateBuffer(%s outcomes, %zu bytes): %s", what, bytes, hb_cl_error_name(rc));
    int fail = hb_cl_check(clSetKernelArg(k, out_arg, sizeof m, &m), "clSetKernelArg(outcomes)", err) ||
               hb_cl_launch(env, k, 1, &global, NULL, -1, what, err) ||
               hb_cl_check(clEnqueueReadBuffer(env->queue, m, CL_TRUE, 0, bytes, out, 0, NULL, NULL),
                           "clEnqueueReadBuffer(outcomes)", err);
    clReleaseMemObject(m);
    return fail ? HB_EFAIL : HB_OK;
}

/* On a CPU device a 4- or 8-byte pattern is written by stream.cl's fill
 * kernels, in parallel; otherwise (and for other patterns) by the driver's
 * clEnqueueFillBuffer. */
static int cl_fill(hb_model_env *env, hb_buf *dst, const void *pattern, size_t pattern_bytes, size_t bytes,
                   hb_err *err)
{
    int rc;
    if (env->dev->kind != HB_KIND_CPU || (pattern_bytes != 4 && pattern_bytes != 8) || bytes % pattern_bytes) {
        rc = hb_cl_check(clEnqueueFillBuffer(env->queue, hb_cl_mem(dst), pattern, pattern_bytes, 0, bytes, 0, NULL,
                                             NULL), "clEnqueueFillBuffer", err);
    } else {
        cl_kernel k;
        cl_mem m = hb_cl_mem(dst);
        cl_ulong words = bytes / pattern_bytes;
        size_t global = values_items(words);
        const size_t sizes[] = {sizeof m, pattern_bytes, sizeof words};
        const void *const values[] = {&m, pattern, &words};
        const char *name = pattern_bytes == 4 ? "fill32" : "fill64";
        if (values_kernel(env, HB_F32, name, 3, &k, err))
            return HB_EFAIL;
        rc = set_args(k, name, 3, sizes, values, err) || hb_cl_launch(env, k, 1, &global, NULL, -1, name, err);
        clReleaseKernel(k);
    }
    return rc || hb_cl_check(clFinish(env->queue), "clFinish(fill)", err) ? HB_EFAIL : HB_OK;
}

/* The start values come from stream.cl's init kernel, a copy of
 * benches/stream_values.h, so gigabytes need not cross the bus. */
static int cl_init_values(hb_model_env *env, hb_buf *dst, hb_dtype dtype, uint64_t n, unsigned seed, hb_err *err)
{
    cl_kernel k;
    if (values_kernel(env, dtype, "init", 3, &k, err))
        return HB_EFAIL;
    cl_mem m = hb_cl_mem(dst);
    cl_ulong count = n;
    cl_uint s = seed;
    size_t global = values_items(n);
    const size_t sizes[] = {sizeof m, sizeof s, sizeof count};
    const void *const values[] = {&m, &s, &count};
    int rc = set_args(k, "init", 3, sizes, values, err) || hb_cl_launch(env, k, 1, &global, NULL, -1, "init", err) ||
             hb_cl_check(clFinish(env->queue), "clFinish(init)", err);
    clReleaseKernel(k);
    return rc ? HB_EFAIL : HB_OK;
}

static int cl_check_values(hb_model_env *env, const hb_buf *src, hb_dtype dtype, uint64_t n,
                           const hb_values_expr *e, hb_values_check *out, hb_err *err)
{
    cl_kernel k;
    cl_ulong *words = malloc(VALUES_ITEMS * 2 * sizeof *words);
    if (!words)
        return hb_fail(err, HB_EFAIL, "out of memory for the check's outcomes");
    if (values_kernel(env, dtype, "check", 7, &k, err)) {
        free(words);
        return HB_EFAIL;
    }
    cl_mem m = hb_cl_mem(src);
    cl_ulong count = n;
    cl_uint seeds[2] = {e->seed[0], e->seed[1]};
    double d[3] = {e->coef[0], e->coef[1], e->constant};
    float f[3] = {(float)d[0], (float)d[1], (float)d[2]};
    const void *c = dtype == HB_F64 ? (const void *)d : (const void *)f;
    size_t cb = hb_dtype_bytes(dtype);
    const size_t sizes[] = {sizeof m, sizeof count, sizeof seeds[0], sizeof seeds[1], cb, cb, cb};
    const void *const values[] = {&m, &count, &seeds[0], &seeds[1], c, (const char *)c + cb, (const char *)c + 2 * cb};
    int rc = set_args(k, "check", 7, sizes, values, err) ||
             run_values(env, k, "check", values_items(n), 8, 2, words, err);
    clReleaseKernel(k);
    for (size_t g = 0; !rc && g < values_items(n); g++)
        hb_values_check_add(out, words[2 * g], words[2 * g + 1]);
    free(words);
    return rc ? HB_EFAIL : HB_OK;
}

static int cl_sum_values(hb_model_env *env, hb_dtype dtype, uint64_t n, unsigned seed_a, unsigned seed_b,
                         hb_values_sum *out, hb_err *err)
{
    cl_kernel k;
    cl_ulong *words = malloc(VALUES_ITEMS * 4 * sizeof *words);
    if (!words)
        return hb_fail(err, HB_EFAIL, "out of memory for the sum's outcomes");
    if (values_kernel(env, dtype, "sum", 3, &k, err)) {
        free(words);
        return HB_EFAIL;
    }
    cl_ulong count = n;
    cl_uint sa = seed_a, sb = seed_b;
    const size_t sizes[] = {sizeof count, sizeof sa, sizeof sb};
    const void *const values[] = {&count, &sa, &sb};
    int rc = set_args(k, "sum", 3, sizes, values, err) ||
             run_values(env, k, "sum", values_items(n), 4, 4, words, err);
    clReleaseKernel(k);
    *out = (hb_values_sum){.n = n};
    for (size_t g = 0; !rc && g < values_items(n); g++) {
        hb_values_words_add(out->s1, 2, words[4 * g], words[4 * g + 1]);
        hb_values_words_add(out->s2, 3, words[4 * g + 2], words[4 * g + 3]);
    }
    free(words);
    return rc ? HB_EFAIL : HB_OK;
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
    &hb_cl_roofline_kernels, &hb_cl_transfer_kernels, NULL,
};

const hb_model hb_model_opencl = {
    .name = "opencl", .timer = "opencl-events", .discover = hb_cl_discover, .open = hb_cl_env_open,
    .close = hb_cl_env_close, .alloc = cl_alloc, .release = cl_release, .upload = cl_upload,
    .download = cl_download, .fill = cl_fill, .init_values = cl_init_values,
    .check_values = cl_check_values, .sum_values = cl_sum_values, .pinned_alloc = cl_pinned_alloc,
    .pinned_release = cl_pinned_release, .timer_begin = hb_cl_timer_begin,
    .finish = cl_finish, .timer_read = hb_cl_timer_read, .kernels = opencl_kernels,
};
