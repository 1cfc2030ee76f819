/* SPDX-License-Identifier: Apache-2.0 */
/* cuda_model: the cuda model: NVIDIA GPUs through the CUDA driver API,
 * loaded at run time (cuda_api.h), kernels compiled at run time by NVRTC
 * from kernels/cuda/ (cuda_nvrtc.h). Buffers come from cuMemAlloc
 * (plain device memory: no managed or host-mapped memory, which would
 * measure another path). All work goes to one stream; each timed launch is
 * bracketed by a pair of CUDA events (cuda_env.c), the CUDA counterpart of
 * OpenCL's profiling events. */
#include <stdio.h>
#include <stdlib.h>
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

/* Threads of the check and sum kernels for n elements: at most 256 blocks
 * of 256, enough to fill an H100's 132 SMs several blocks deep and few
 * enough that their outcomes (16 or 32 bytes each, 1 or 2 MiB) read back in
 * well under a millisecond; fewer blocks for a small array. */
#define VALUES_THREADS 256
#define VALUES_ITEMS ((size_t)256 * VALUES_THREADS)
static size_t values_blocks(uint64_t n)
{
    uint64_t b = (n / 16 + VALUES_THREADS - 1) / VALUES_THREADS;
    return b >= 256 ? 256 : b ? (size_t)b : 1;
}

/* The outcome buffers, made once at their largest size (4 words for each
 * of VALUES_ITEMS threads: 2 MiB) and kept with the env, so a check per
 * configuration allocates nothing. */
#define OUTCOME_BYTES (VALUES_ITEMS * 4 * sizeof(uint64_t))
static int outcome_buffers(hb_model_env *env, hb_err *err)
{
    hb_buf buf = {0, 0};
    if (!env->outcomes) {
        if (cu_alloc(env, OUTCOME_BYTES, &buf, err))
            return HB_EFAIL;
        env->outcomes = hb_cu_ptr(&buf);
    }
    if (!env->outcomes_host && !(env->outcomes_host = malloc(OUTCOME_BYTES)))
        return hb_fail(err, HB_EFAIL, "out of memory for the outcomes");
    return HB_OK;
}

/* Runs stream.cu's entry `name` (the default module of dtype) over n
 * elements, whose last argument is the outcome buffer of `words` per thread,
 * and reads the outcomes back into env->outcomes_host. params holds the
 * other arguments, with room for the buffer's pointer at params[n_params]. */
static int run_values(hb_model_env *env, hb_dtype dtype, uint64_t n, const char *name, void **params, int n_params,
                      int words, hb_err *err)
{
    char defines[128];
    hb_cu_function f;
    size_t blocks = values_blocks(n), bytes = blocks * VALUES_THREADS * (size_t)words * sizeof(uint64_t);
    default_defines(dtype == HB_F64, defines, sizeof defines);
    if (hb_cu_function_of(env, "stream.cu", defines, name, &f, err) || outcome_buffers(env, err))
        return HB_EFAIL;
    hb_buf buf = {(uintptr_t)env->outcomes, OUTCOME_BYTES};
    params[n_params] = &env->outcomes;
    return hb_cu_launch(env, f, blocks, VALUES_THREADS, params, -1, name, err) ||
           cu_download(env, &buf, 0, bytes, env->outcomes_host, err) ? HB_EFAIL : HB_OK;
}

static int cu_check_values(hb_model_env *env, const hb_buf *src, hb_dtype dtype, uint64_t n,
                           const hb_values_expr *e, hb_values_check *out, hb_err *err)
{
    if (dtype != HB_F32 && dtype != HB_F64)
        return hb_fail(err, HB_EFAIL, "the cuda model has no %s kernels", hb_dtype_name(dtype));
    hb_cu_dptr x = hb_cu_ptr(src);
    uint64_t count = n;
    unsigned s0 = e->seed[0], s1 = e->seed[1];
    double d[3] = {e->coef[0], e->coef[1], e->constant};
    float f[3] = {(float)d[0], (float)d[1], (float)d[2]};
    int f64 = dtype == HB_F64;
    void *params[] = {&x, &count, &s0, &s1, f64 ? (void *)&d[0] : (void *)&f[0], f64 ? (void *)&d[1] : (void *)&f[1],
                      f64 ? (void *)&d[2] : (void *)&f[2], NULL};
    if (run_values(env, dtype, n, "check", params, 7, 2, err))
        return HB_EFAIL;
    const uint64_t *words = env->outcomes_host;
    for (size_t g = 0; g < values_blocks(n) * VALUES_THREADS; g++)
        hb_values_check_add(out, words[2 * g], words[2 * g + 1]);
    return HB_OK;
}

static int cu_sum_values(hb_model_env *env, hb_dtype dtype, uint64_t n, unsigned seed_a, unsigned seed_b,
                         hb_values_sum *out, hb_err *err)
{
    if (dtype != HB_F32 && dtype != HB_F64)
        return hb_fail(err, HB_EFAIL, "the cuda model has no %s kernels", hb_dtype_name(dtype));
    uint64_t count = n;
    unsigned sa = seed_a, sb = seed_b;
    void *params[] = {&count, &sa, &sb, NULL};
    if (run_values(env, dtype, n, "sum", params, 3, 4, err))
        return HB_EFAIL;
    const uint64_t *words = env->outcomes_host;
    *out = (hb_values_sum){.n = n};
    for (size_t g = 0; g < values_blocks(n) * VALUES_THREADS; g++)
        hb_values_sum_add_item(out, &words[4 * g]);
    return HB_OK;
}

static int cu_finish(hb_model_env *env, hb_err *err)
{
    return hb_cu_sync(env, "finish", err);
}

static const hb_kernels *const cuda_kernels[] = {&hb_cu_stream_kernels, &hb_cu_cublas_kernels, &hb_cu_latency_kernels,
                                                 NULL};

const hb_model hb_model_cuda = {
    .name = "cuda", .timer = "cuda-events", .discover = hb_cu_discover, .open = hb_cu_env_open,
    .close = hb_cu_env_close, .alloc = cu_alloc, .release = cu_release, .upload = cu_upload,
    .download = cu_download, .fill = cu_fill, .init_values = cu_init_values,
    .check_values = cu_check_values, .sum_values = cu_sum_values, .timer_begin = hb_cu_timer_begin,
    .finish = cu_finish, .timer_read = hb_cu_timer_read, .kernels = cuda_kernels,
};
