/* cuda_model: the cuda model: NVIDIA GPUs through the CUDA driver API,
 * loaded at run time (cuda_api.h), kernels compiled at run time by NVRTC
 * from kernels/cuda/ (cuda_nvrtc.h). Buffers come from cuMemAlloc
 * (plain device memory: no managed or host-mapped memory, which would
 * measure another path). All work goes to one stream; each timed launch is
 * bracketed by a pair of CUDA events (cuda_env.c), the CUDA counterpart of
 * OpenCL's profiling events. */
#include <stdio.h>
#include <string.h>

#include "cuda_kernels.h"

#define CHECK(call, what) hb_cu_check(&env->cu, (call), (what), err)

static int cu_alloc(hb_model_env *env, size_t bytes, hb_buf *out, hb_err *err)
{
    hb_cu_dptr p = 0;
    int st = env->cu.mem_alloc(&p, bytes ? bytes : 1);
    if (st != HB_CUDA_SUCCESS) {
        char num[64];
        return hb_fail(err, HB_EFAIL, "cuMemAlloc(%zu bytes) on %s: %s", bytes, env->dev->name,
                       hb_cu_error_name(&env->cu, st, num, sizeof num));
    }
    *out = (hb_buf){(uintptr_t)p, bytes};
    return HB_OK;
}

static void cu_release(hb_model_env *env, hb_buf *buf)
{
    if (buf->handle) {
        env->cu.stream_synchronize(env->stream); /* no kernel may still use it */
        env->cu.mem_free(hb_cu_ptr(buf));
    }
    *buf = (hb_buf){0, 0};
}

static int cu_upload(hb_model_env *env, hb_buf *dst, size_t offset, size_t bytes, const void *src, hb_err *err)
{
    return CHECK(env->cu.memcpy_htod_async(hb_cu_ptr(dst) + offset, src, bytes, env->stream), "cuMemcpyHtoDAsync") ||
           hb_cu_sync(env, "upload", err) ? HB_EFAIL : HB_OK;
}

static int cu_download(hb_model_env *env, const hb_buf *src, size_t offset, size_t bytes, void *dst, hb_err *err)
{
    return CHECK(env->cu.memcpy_dtoh_async(dst, hb_cu_ptr(src) + offset, bytes, env->stream), "cuMemcpyDtoHAsync") ||
           hb_cu_sync(env, "download", err) ? HB_EFAIL : HB_OK;
}

/* A grid that strides over any n: a few blocks per SM. */
static uint64_t strided_blocks(const hb_cu_env *env)
{
    return (uint64_t)env->limits.sms * 4;
}

/* The -D options of the default stream configuration: the module that
 * init, fill64 and the default kernels share. */
static void default_defines(int f64, char *buf, size_t len)
{
    hb_cu_stream_cfg def;
    hb_cu_stream_grid(0, f64, 0, &def, 1);
    hb_cu_cfg_defines(&def, f64, buf, len);
}

/* Patterns of 1, 2 and 4 bytes go to the driver's memsets; 8-byte ones
 * (a double) to stream.cu's fill64. */
static int cu_fill(hb_model_env *env, hb_buf *dst, const void *pattern, size_t pattern_bytes, size_t bytes,
                   hb_err *err)
{
    hb_cu_dptr p = hb_cu_ptr(dst);
    size_t n = bytes / pattern_bytes;
    int rc;
    if (pattern_bytes == 1) {
        rc = CHECK(env->cu.memset_d8_async(p, *(const unsigned char *)pattern, n, env->stream), "cuMemsetD8Async");
    } else if (pattern_bytes == 2) {
        unsigned short v;
        memcpy(&v, pattern, 2);
        rc = CHECK(env->cu.memset_d16_async(p, v, n, env->stream), "cuMemsetD16Async");
    } else if (pattern_bytes == 4) {
        unsigned v;
        memcpy(&v, pattern, 4);
        rc = CHECK(env->cu.memset_d32_async(p, v, n, env->stream), "cuMemsetD32Async");
    } else if (pattern_bytes == 8) {
        hb_cu_function f;
        uint64_t v, count = n;
        char defines[128];
        memcpy(&v, pattern, 8);
        void *params[] = {&p, &v, &count};
        default_defines(1, defines, sizeof defines);
        rc = hb_cu_function_of(env, "stream.cu", defines, "fill64", &f, err) ||
             hb_cu_launch(env, f, strided_blocks(env), 256, params, -1, "fill64", err);
    } else {
        return hb_fail(err, HB_EFAIL, "internal: cuda fill with a %zu-byte pattern", pattern_bytes);
    }
    return rc || hb_cu_sync(env, "fill", err) ? HB_EFAIL : HB_OK;
}

/* The start values come from stream.cu's init kernel, a copy of
 * benches/stream_values.h, so gigabytes need not cross the bus. The module
 * is the default configuration's, which the stream kernels reuse. */
static int cu_init_values(hb_model_env *env, hb_buf *dst, hb_dtype dtype, uint64_t n, unsigned seed, hb_err *err)
{
    if (dtype != HB_F32 && dtype != HB_F64)
        return hb_fail(err, HB_EFAIL, "the cuda model has no %s kernels", hb_dtype_name(dtype));
    char defines[128];
    default_defines(dtype == HB_F64, defines, sizeof defines);
    hb_cu_function f;
    hb_cu_dptr p = hb_cu_ptr(dst);
    unsigned s = seed;
    uint64_t count = n;
    void *params[] = {&p, &s, &count};
    return hb_cu_function_of(env, "stream.cu", defines, "init", &f, err) ||
           hb_cu_launch(env, f, strided_blocks(env), 256, params, -1, "init", err) ||
           hb_cu_sync(env, "init", err) ? HB_EFAIL : HB_OK;
}

static int cu_finish(hb_model_env *env, hb_err *err)
{
    return hb_cu_sync(env, "finish", err);
}

static const hb_kernels *const cuda_kernels[] = {&hb_cu_stream_kernels, &hb_cu_cublas_kernels, NULL};

const hb_model hb_model_cuda = {
    .name = "cuda", .timer = "cuda-events", .discover = hb_cu_discover, .open = hb_cu_env_open,
    .close = hb_cu_env_close, .alloc = cu_alloc, .release = cu_release, .upload = cu_upload,
    .download = cu_download, .fill = cu_fill, .init_values = cu_init_values, .timer_begin = hb_cu_timer_begin,
    .finish = cu_finish, .timer_read = hb_cu_timer_read, .kernels = cuda_kernels,
};
