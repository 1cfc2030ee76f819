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

static int cl_fill(hb_model_env *env, hb_buf *dst, const void *pattern, size_t pattern_bytes, size_t bytes,
                   hb_err *err)
{
    return hb_cl_check(clEnqueueFillBuffer(env->queue, hb_cl_mem(dst), pattern, pattern_bytes, 0, bytes, 0, NULL,
                                           NULL), "clEnqueueFillBuffer", err) ||
           hb_cl_check(clFinish(env->queue), "clFinish(fill)", err) ? HB_EFAIL : HB_OK;
}

/* The start values come from stream.cl's init kernel, a copy of
 * benches/stream_values.h, so gigabytes need not cross the bus. */
static int cl_init_values(hb_model_env *env, hb_buf *dst, hb_dtype dtype, uint64_t n, unsigned seed, hb_err *err)
{
    cl_program p;
    cl_kernel k;
    char opts[64];
    snprintf(opts, sizeof opts, "-DHB_F64=%d -DHB_NT=0", dtype == HB_F64);
    if (hb_cl_program(env, "stream.cl", opts, &p, err) || hb_cl_kernel(p, "init", &k, err))
        return HB_EFAIL;
    cl_mem m = hb_cl_mem(dst);
    cl_ulong count = n;
    cl_uint s = seed;
    size_t global = (size_t)1 << 20;
    int rc = hb_cl_check(clSetKernelArg(k, 0, sizeof m, &m), "clSetKernelArg(init)", err) ||
             hb_cl_check(clSetKernelArg(k, 1, sizeof s, &s), "clSetKernelArg(init)", err) ||
             hb_cl_check(clSetKernelArg(k, 2, sizeof count, &count), "clSetKernelArg(init)", err) ||
             hb_cl_launch(env, k, 1, &global, NULL, -1, "init", err) ||
             hb_cl_check(clFinish(env->queue), "clFinish(init)", err);
    clReleaseKernel(k);
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
    .download = cl_download, .fill = cl_fill, .init_values = cl_init_values, .pinned_alloc = cl_pinned_alloc,
    .pinned_release = cl_pinned_release, .timer_begin = hb_cl_timer_begin,
    .finish = cl_finish, .timer_read = hb_cl_timer_read, .kernels = opencl_kernels,
};
