/* SPDX-License-Identifier: Apache-2.0 */
/* cuda_cublas: cuBLAS's SGEMM/DGEMM on the same GPU, problems and inputs
 * as the gemm family's, as a library reference row (implementation
 * "cublas"), verified the same way: the cuda model's counterpart of
 * CLBlast's row (runner/models/opencl/opencl_clblast.c). libcublas is
 * loaded at run time (dlopen: $HB_CUBLAS, else libcublas.so, .so.13, .so.12,
 * .so.11 where NVRTC is looked for); where it does not load, the row is not
 * run (hb_kernels.available) and the run says why.
 *
 * Prototypes from the cuBLAS documentation (docs.nvidia.com/cuda/cublas,
 * "cuBLAS Helper Function Reference", "cublas<t>gemm()"), as cublas_api.h
 * of CUDA 13.0 declares them: cublasStatus_t and cublasOperation_t are
 * enums (CUBLAS_STATUS_SUCCESS = 0, CUBLAS_OP_N = 0), cublasHandle_t an
 * opaque pointer, the exported symbols cublasCreate_v2, cublasDestroy_v2,
 * cublasSetStream_v2, cublasSgemm_v2, cublasDgemm_v2; cublasGetStatusName
 * since CUDA 11.4 (optional here). Scalars are passed by host pointer
 * (the default pointer mode). A CUstream is a cudaStream_t.
 *
 * Row-major D = alpha*A*B + beta*C (A m x k, B k x n) is, read column-major,
 * D' = alpha*B'*A' + beta*C': so gemm(N, N, n, m, k, alpha, B, n, A, k,
 * beta, D, n) with no transposition. cuBLAS computes in place, so C is
 * copied into D before each call, queued before the slot's start event
 * and so not timed; the events on the model's stream (cublasSetStream)
 * time the library's kernels without the host's launch overhead. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cuda_kernels.h"
#include "env.h"
#include "gemm.h"

typedef struct hb_cublas_st *hb_cublas_handle;

typedef struct cublas_api {
    void *lib;
    char path[512];
    int (*create)(hb_cublas_handle *h);
    int (*destroy)(hb_cublas_handle h);
    int (*set_stream)(hb_cublas_handle h, hb_cu_stream s);
    int (*sgemm)(hb_cublas_handle h, int ta, int tb, int m, int n, int k, const float *alpha, const float *a, int lda,
                 const float *b, int ldb, const float *beta, float *c, int ldc);
    int (*dgemm)(hb_cublas_handle h, int ta, int tb, int m, int n, int k, const double *alpha, const double *a,
                 int lda, const double *b, int ldb, const double *beta, double *c, int ldc);
    const char *(*status_name)(int status);   /* optional */
} cublas_api;

#define HB_CUBLAS_OP_N 0

static const char *const cublas_names[] = {"libcublas.so", "libcublas.so.13", "libcublas.so.12", "libcublas.so.11",
                                           NULL};

/* POSIX allows converting dlsym's void * to a function pointer (dlsym(3)). */
#define SYM(field, name) (a->field = (__typeof__(a->field))dlsym(a->lib, name))

static int load(cublas_api *a, char *why, size_t len)
{
    char searched[1024];
    memset(a, 0, sizeof *a);
    const char *file = hb_env("HB_CUBLAS");
    a->lib = file && file[0] ? dlopen(file, RTLD_NOW | RTLD_LOCAL)
                             : hb_cu_find_library(cublas_names, searched, sizeof searched);
    if (!a->lib) {
        if (file && file[0])
            snprintf(why, len, "HB_CUBLAS=%s does not load", file);
        else
            snprintf(why, len, "cuBLAS (libcublas.so*) not found in %s", searched);
        return 0;
    }
    hb_cu_library_path(a->lib, "libcublas.so", a->path, sizeof a->path);
    SYM(status_name, "cublasGetStatusName");
    if (!SYM(create, "cublasCreate_v2") || !SYM(destroy, "cublasDestroy_v2") ||
        !SYM(set_stream, "cublasSetStream_v2") || !SYM(sgemm, "cublasSgemm_v2") || !SYM(dgemm, "cublasDgemm_v2")) {
        snprintf(why, len, "%s lacks a cuBLAS v2 call", a->path);
        return 0;
    }
    return 1;
}

/* cublasStatus_t names (cublas_api.h) where cublasGetStatusName is missing. */
static const char *status_text(const cublas_api *a, int st, char *buf, size_t len)
{
    static const struct { int code; const char *name; } names[] = {
        {0, "CUBLAS_STATUS_SUCCESS"}, {1, "CUBLAS_STATUS_NOT_INITIALIZED"}, {3, "CUBLAS_STATUS_ALLOC_FAILED"},
        {7, "CUBLAS_STATUS_INVALID_VALUE"}, {8, "CUBLAS_STATUS_ARCH_MISMATCH"}, {11, "CUBLAS_STATUS_MAPPING_ERROR"},
        {13, "CUBLAS_STATUS_EXECUTION_FAILED"}, {14, "CUBLAS_STATUS_INTERNAL_ERROR"},
        {15, "CUBLAS_STATUS_NOT_SUPPORTED"}, {16, "CUBLAS_STATUS_LICENSE_ERROR"},
    };
    const char *s = a->status_name ? a->status_name(st) : NULL;
    if (s)
        return s;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (names[i].code == st)
            return names[i].name;
    snprintf(buf, len, "cublasStatus_t %d (unnamed)", st);
    return buf;
}

static int check(const cublas_api *a, int st, const char *call, hb_err *err)
{
    char buf[48];
    return st == 0 ? HB_OK : hb_fail(err, HB_EFAIL, "%s: %s", call, status_text(a, st, buf, sizeof buf));
}

typedef struct cublas_state {
    cublas_api api;
    hb_cublas_handle h;
} cublas_state;

static int cublas_available(const hb_bench_ctx *ctx, char *why, size_t len)
{
    (void)ctx;
    cublas_api a;
    return load(&a, why, len);
}

static int cublas_configs(const hb_bench_ctx *ctx, hb_params *out, int max)
{
    (void)max;
    hb_params_clear(&out[0]);
    hb_params_set_text(&out[0], "routine", ctx->dtype == HB_F64 ? "cublasDgemm" : "cublasSgemm");
    hb_params_set_text(&out[0], "layout", "row-major");
    return 1;
}

static int cublas_prepare(hb_bench_ctx *ctx, const hb_params *cfg, hb_err *err)
{
    (void)cfg;
    cublas_state *st = ctx->state;
    char why[1100];
    if (st)
        return HB_OK;
    if (!(st = ctx->state = calloc(1, sizeof *st)))
        return hb_fail(err, HB_EFAIL, "out of memory");
    if (!load(&st->api, why, sizeof why))
        return hb_fail(err, HB_BENCH_SKIP, "%s", why);
    /* A library that loads but cannot start (its runtime finds no usable
     * driver) is a row that cannot run, not a failed device. */
    if (check(&st->api, st->api.create(&st->h), "cublasCreate", err)) {
        st->h = NULL;
        return HB_BENCH_SKIP;
    }
    return check(&st->api, st->api.set_stream(st->h, ctx->env->stream), "cublasSetStream", err);
}

static int cublas_launch(hb_bench_ctx *ctx, int slot, hb_err *err)
{
    cublas_state *st = ctx->state;
    hb_gemm_data *g = ctx->data;
    hb_cu_env *env = ctx->env;
    size_t c_bytes = (size_t)g->m * (size_t)g->n * ctx->elem_bytes;
    if (hb_cu_check(&env->cu, env->cu.memcpy_dtod_async(hb_cu_ptr(&g->d), hb_cu_ptr(&g->c), c_bytes, env->stream),
                    "cuMemcpyDtoDAsync(C to D)", err) ||
        hb_cu_record(env, slot, 0, err))
        return HB_EFAIL;
    const void *a = (const void *)(uintptr_t)g->a.handle, *b = (const void *)(uintptr_t)g->b.handle;
    void *d = (void *)(uintptr_t)g->d.handle;
    int rc;
    if (ctx->dtype == HB_F64) {
        const double alpha = HB_GEMM_ALPHA, beta = HB_GEMM_BETA;
        rc = check(&st->api, st->api.dgemm(st->h, HB_CUBLAS_OP_N, HB_CUBLAS_OP_N, g->n, g->m, g->k, &alpha, b, g->n,
                                           a, g->k, &beta, d, g->n), "cublasDgemm", err);
    } else {
        const float alpha = (float)HB_GEMM_ALPHA, beta = (float)HB_GEMM_BETA;
        rc = check(&st->api, st->api.sgemm(st->h, HB_CUBLAS_OP_N, HB_CUBLAS_OP_N, g->n, g->m, g->k, &alpha, b, g->n,
                                           a, g->k, &beta, d, g->n), "cublasSgemm", err);
    }
    return rc || hb_cu_record(env, slot, 1, err) ? HB_EFAIL : HB_OK;
}

static void cublas_teardown(hb_bench_ctx *ctx)
{
    cublas_state *st = ctx->state;
    if (!st)
        return;
    if (st->h) {
        ctx->env->cu.stream_synchronize(ctx->env->stream);
        st->api.destroy(st->h);
    }
    free(st);
    ctx->state = NULL;
}

const hb_kernels hb_cu_cublas_kernels = {
    .family = "gemm", .implementation = "cublas", .dtypes = HB_DTYPE_BIT(HB_F32) | HB_DTYPE_BIT(HB_F64),
    .available = cublas_available, .configs = cublas_configs, .prepare = cublas_prepare,
    .launch = cublas_launch, .teardown = cublas_teardown,
};
