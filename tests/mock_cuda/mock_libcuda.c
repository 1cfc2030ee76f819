/* SPDX-License-Identifier: Apache-2.0 */
/* mock_libcuda: a stand-in for the CUDA driver (libcuda.so.1) that runs
 * the stream and latency kernels' semantics on the host, so the cuda
 * model's host side (loading, discovery, context, buffers, copies,
 * memsets, module loading, argument packing, launches, events,
 * verification) runs end to end on a machine without a GPU. Tests load
 * it with HB_LIBCUDA=<this file>.
 *
 * It reports one "Mock GPU" of compute capability 9.9, which NVRTC does not
 * list, so the model hands it PTX for compute_90 (runner/models/cuda/cuda_nvrtc.c);
 * the mock reads from that text what it must know: whether an entry
 * computes in double (".f64" in its body) and whether a reduction adds
 * atomically ("atom.global" or "red.global" in its body). Device pointers are host
 * pointers. Events carry the host clock. Only what hbmbench calls exists;
 * the prototypes are those of runner/models/cuda/cuda_api.h. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "stream_values.h"

typedef unsigned long long dptr;
enum { OK = 0, INVALID_VALUE = 1, OUT_OF_MEMORY = 2, NOT_FOUND = 500 };

#define EXPORT __attribute__((visibility("default")))

static const char *const names[] = {[0] = "CUDA_SUCCESS", [1] = "CUDA_ERROR_INVALID_VALUE",
                                    [2] = "CUDA_ERROR_OUT_OF_MEMORY"};

EXPORT int cuGetErrorName(int e, const char **s)
{
    if (e < 0 || e > 2) {
        *s = e == NOT_FOUND ? "CUDA_ERROR_NOT_FOUND" : "CUDA_ERROR_UNKNOWN";
        return OK;
    }
    *s = names[e];
    return OK;
}
EXPORT int cuInit(unsigned f) { (void)f; return OK; }
EXPORT int cuDriverGetVersion(int *v) { *v = 13000; return OK; }
EXPORT int cuDeviceGetCount(int *n) { *n = 1; return OK; }
EXPORT int cuDeviceGet(int *d, int i) { *d = i; return i == 0 ? OK : INVALID_VALUE; }
EXPORT int cuDeviceGetName(char *s, int len, int d) { (void)d; snprintf(s, (size_t)len, "Mock GPU"); return OK; }
EXPORT int cuDeviceTotalMem_v2(size_t *b, int d) { (void)d; *b = 1ULL << 30; return OK; }
EXPORT int cuDeviceGetPCIBusId(char *s, int len, int d) { (void)d; snprintf(s, (size_t)len, "0000:C1:00.0"); return OK; }
/* The UUID the result must show as GPU-6d6f636b-..., the bytes of mock_nvml.c's
 * nvmlDeviceGetUUID; HB_MOCK_NO_UUID=1 makes the call fail. */
EXPORT int cuDeviceGetUuid_v2(unsigned char *u, int d)
{
    static const unsigned char bytes[16] = {0x6d, 0x6f, 0x63, 0x6b, 0x00, 0x01, 0x02, 0x03,
                                            0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b};
    (void)d;
    if (getenv("HB_MOCK_NO_UUID"))
        return INVALID_VALUE;
    memcpy(u, bytes, sizeof bytes);
    return OK;
}

EXPORT int cuDeviceGetAttribute(int *v, int attr, int d)
{
    (void)d;
    switch (attr) {
    case 1: *v = 1024; break;            /* threads per block */
    case 5: *v = 2147483647; break;      /* grid x */
    case 8: *v = 49152; break;           /* shared per block */
    case 10: *v = 32; break;
    case 13: *v = 1500000; break;        /* kHz */
    case 16: *v = 4; break;              /* SMs */
    case 38: *v = 1 << 20; break;        /* L2 */
    case 39: *v = 2048; break;
    case 75: case 76: *v = 9; break;     /* compute capability 9.9 */
    case 81: *v = 233472; break;
    case 82: *v = 65536; break;
    case 106: *v = 32; break;
    default: *v = 0; return INVALID_VALUE;
    }
    return OK;
}

static int ctx_token;
EXPORT int cuDevicePrimaryCtxRetain(void **c, int d) { (void)d; *c = &ctx_token; return OK; }
EXPORT int cuDevicePrimaryCtxRelease_v2(int d) { (void)d; return OK; }
EXPORT int cuCtxSetCurrent(void *c) { return c == &ctx_token ? OK : INVALID_VALUE; }

EXPORT int cuMemAlloc_v2(dptr *p, size_t n)
{
    void *m = malloc(n);
    *p = (dptr)(uintptr_t)m;
    return m ? OK : OUT_OF_MEMORY;
}
EXPORT int cuMemFree_v2(dptr p) { free((void *)(uintptr_t)p); return OK; }
EXPORT int cuMemcpyHtoDAsync_v2(dptr d, const void *s, size_t n, void *st) { (void)st; memcpy((void *)(uintptr_t)d, s, n); return OK; }
EXPORT int cuMemcpyDtoHAsync_v2(void *d, dptr s, size_t n, void *st) { (void)st; memcpy(d, (void *)(uintptr_t)s, n); return OK; }
EXPORT int cuMemcpyDtoDAsync_v2(dptr d, dptr s, size_t n, void *st) { (void)st; memmove((void *)(uintptr_t)d, (void *)(uintptr_t)s, n); return OK; }
EXPORT int cuMemsetD8Async(dptr p, unsigned char v, size_t n, void *st) { (void)st; memset((void *)(uintptr_t)p, v, n); return OK; }
EXPORT int cuMemsetD16Async(dptr p, unsigned short v, size_t n, void *st)
{
    (void)st;
    for (size_t i = 0; i < n; i++)
        ((unsigned short *)(uintptr_t)p)[i] = v;
    return OK;
}
EXPORT int cuMemsetD32Async(dptr p, unsigned v, size_t n, void *st)
{
    (void)st;
    for (size_t i = 0; i < n; i++)
        ((unsigned *)(uintptr_t)p)[i] = v;
    return OK;
}

/* A module is its PTX text; a function, the text of one entry. */
typedef struct fn { char name[32]; int f64, atomic; struct fn *next; } fn;
/* Functions belong to their module and go with it, as the driver API's do
 * (cuModuleUnload). */
typedef struct mod { char *ptx; fn *fns; } mod;

EXPORT int cuModuleLoadDataEx(mod **m, const void *image, unsigned n, int *opts, void **vals)
{
    (void)n, (void)opts, (void)vals;
    if (strncmp(image, "//", 2) != 0) /* PTX starts with a comment; a CUBIN would be ELF */
        return INVALID_VALUE;
    *m = calloc(1, sizeof **m);
    (*m)->ptx = strdup(image);
    return OK;
}
EXPORT int cuModuleUnload(mod *m)
{
    for (fn *f = m->fns, *next; f; f = next) {
        next = f->next;
        free(f);
    }
    free(m->ptx);
    free(m);
    return OK;
}

/* The text of entry `name` in the module (NULL if absent); the caller frees it. */
static char *entry_body(const mod *m, const char *name)
{
    char entry[64];
    snprintf(entry, sizeof entry, ".entry %s(", name);
    const char *at = strstr(m->ptx, entry);
    if (!at)
        return NULL;
    const char *end = strstr(at, "\n}");
    return strndup(at, end ? (size_t)(end - at) : strlen(at));
}

EXPORT int cuModuleGetFunction(fn **f, mod *m, const char *name)
{
    char *body = entry_body(m, name);
    if (!body)
        return NOT_FOUND;
    *f = calloc(1, sizeof **f);
    snprintf((*f)->name, sizeof (*f)->name, "%s", name);
    (*f)->f64 = strstr(body, ".f64") != NULL;
    if (!strcmp(name, "sum")) { /* integers only: the module's element type is init's */
        char *init = entry_body(m, "init");
        (*f)->f64 = init && strstr(init, ".f64");
        free(init);
    }
    (*f)->atomic = strstr(body, "atom.global") != NULL || strstr(body, "red.global") != NULL;
    free(body);
    (*f)->next = m->fns;
    m->fns = *f;
    return OK;
}
EXPORT int cuFuncGetAttribute(int *v, int attr, fn *f) { (void)f; *v = attr == 0 ? 1024 : 32; return OK; }
EXPORT int cuOccupancyMaxActiveBlocksPerMultiprocessor(int *n, fn *f, int block, size_t smem)
{
    (void)f, (void)smem;
    *n = 2048 / block;
    return OK;
}

/* ---- the kernels ---- */
#define ARG(i, T) (*(T *)params[i])
#define AT(T, p, i) (((T *)(uintptr_t)(p))[i])

/* HB_MOCK_CORRUPT=N: the array kernels write a wrong value at element N, a
 * device fault for the verification to find. */
static uint64_t corrupt_at(void)
{
    const char *v = getenv("HB_MOCK_CORRUPT");
    return v ? strtoull(v, NULL, 10) : UINT64_MAX;
}

static void array_kernel(const char *k, int f64, void **params)
{
    dptr a = ARG(0, dptr), b = ARG(1, dptr), c = ARG(2, dptr);
    double s = f64 ? ARG(3, double) : ARG(3, float);
    uint64_t n = ARG(4, uint64_t), bad = corrupt_at();
    for (uint64_t i = 0; i < n; i++) {
#define V(p) (f64 ? AT(double, p, i) : AT(float, p, i))
#define SET(p, x) (f64 ? (void)(AT(double, p, i) = (x)) : (void)(AT(float, p, i) = (float)(x)))
        if (!strcmp(k, "copy")) SET(c, V(a));
        else if (!strcmp(k, "scale")) SET(b, s * V(c));
        else if (!strcmp(k, "add")) SET(c, V(a) + V(b));
        else if (!strcmp(k, "triad")) SET(a, V(b) + s * V(c));
        else SET(a, s);
    }
    if (bad < n) {
        dptr out = !strcmp(k, "copy") || !strcmp(k, "add") ? c : !strcmp(k, "scale") ? b : a;
        uint64_t i = bad;
        SET(out, V(out) + 1);
    }
}

static void reduce(const fn *f, unsigned blocks, void **params)
{
    dptr a = ARG(0, dptr), b = ARG(1, dptr), part = ARG(2, dptr);
    uint64_t n = ARG(3, uint64_t);
    /* in long double: one long chain of additions, where the GPU's tree is
     * short, must not eat the tolerance that the short chain earns */
    long double sum = 0;
    for (uint64_t i = 0; i < n; i++) {
        long double x = f->f64 ? AT(double, a, i) : AT(float, a, i);
        sum += !strcmp(f->name, "dot") ? x * (f->f64 ? AT(double, b, i) : AT(float, b, i)) : x;
    }
    unsigned parts = f->atomic ? 1 : blocks;
    for (unsigned g = 0; g < parts; g++) {
        long double v = g == 0 ? sum + (f->atomic ? (f->f64 ? AT(double, part, 0) : AT(float, part, 0)) : 0) : 0;
        if (f->f64)
            AT(double, part, g) = (double)v;
        else
            AT(float, part, g) = (float)v;
    }
}

/* latency.cu: one thread follows i = next[i] `loads` times from start and
 * writes where it ended; HB_MOCK_CORRUPT (any value) writes one past it,
 * a wrong end for the verification to find. */
static void latency_kernel(void **params)
{
    const uint32_t *next = (const uint32_t *)(uintptr_t)ARG(0, dptr);
    uint32_t i = ARG(2, uint32_t);
    for (uint64_t k = 0, loads = ARG(3, uint64_t); k < loads; k++)
        i = next[i];
    AT(uint32_t, ARG(1, dptr), 0) = getenv("HB_MOCK_CORRUPT") ? i + 1 : i;
}

/* check and sum: the whole outcome in thread 0's words, zeros in the others'. */
static void values_kernel(const fn *f, unsigned threads, void **params)
{
    if (!strcmp(f->name, "check")) {
        dptr x = ARG(0, dptr);
        uint64_t n = ARG(1, uint64_t), *out = (uint64_t *)(uintptr_t)ARG(7, dptr), wrong = 0, first = UINT64_MAX;
        hb_values_expr e = {{ARG(2, unsigned), ARG(3, unsigned)}, {0, 0}, 0};
        e.coef[0] = f->f64 ? ARG(4, double) : ARG(4, float);
        e.coef[1] = f->f64 ? ARG(5, double) : ARG(5, float);
        e.constant = f->f64 ? ARG(6, double) : ARG(6, float);
        for (uint64_t i = 0; i < n; i++)
            if (f->f64 ? AT(double, x, i) != hb_values_expr_f64(&e, i) : AT(float, x, i) != hb_values_expr_f32(&e, i))
                first = wrong++ ? first : i;
        memset(out, 0, 2 * sizeof *out * threads);
        out[0] = wrong;
        for (unsigned g = 0; g < threads; g++)
            out[2 * g + 1] = g ? UINT64_MAX : first;
    } else {
        uint64_t *out = (uint64_t *)(uintptr_t)ARG(3, dptr);
        hb_values_sum sum = {0};
        hb_values_sum_range(f->f64, 0, ARG(0, uint64_t), ARG(1, unsigned), ARG(2, unsigned), &sum);
        memset(out, 0, 4 * sizeof *out * threads);
        memcpy(out, sum.s1, sizeof sum.s1);
        memcpy(out + 2, sum.s2, 2 * sizeof *out); /* a thread's S2 has 128 bits */
    }
}

EXPORT int cuLaunchKernel(fn *f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
                          unsigned smem, void *stream, void **params, void **extra)
{
    (void)gy, (void)gz, (void)by, (void)bz, (void)smem, (void)stream, (void)extra;
    if (!strcmp(f->name, "latency")) { /* <<<1, 1>>>: one thread, not a warp's multiple */
        if (gx != 1 || bx != 1)
            return INVALID_VALUE;
        latency_kernel(params);
        return OK;
    }
    if (gx == 0 || bx == 0 || bx > 1024 || bx % 32)
        return INVALID_VALUE;
    if (!strcmp(f->name, "init")) {
        dptr x = ARG(0, dptr);
        unsigned seed = ARG(1, unsigned);
        uint64_t n = ARG(2, uint64_t);
        for (uint64_t i = 0; i < n; i++)
            if (f->f64)
                AT(double, x, i) = hb_value_f64(i, seed);
            else
                AT(float, x, i) = hb_value_f32(i, seed);
    } else if (!strcmp(f->name, "fill64")) {
        for (uint64_t i = 0; i < ARG(2, uint64_t); i++)
            AT(uint64_t, ARG(0, dptr), i) = ARG(1, uint64_t);
    } else if (!strcmp(f->name, "check") || !strcmp(f->name, "sum")) {
        values_kernel(f, gx * bx, params);
    } else if (!strcmp(f->name, "dot") || !strcmp(f->name, "read")) {
        reduce(f, gx, params);
    } else {
        array_kernel(f->name, f->f64, params);
    }
    return OK;
}

EXPORT int cuStreamCreate(void **s, unsigned flags) { (void)flags; *s = malloc(1); return OK; }
EXPORT int cuStreamDestroy_v2(void *s) { free(s); return OK; }
EXPORT int cuStreamSynchronize(void *s) { (void)s; return OK; }

typedef struct ev { double t; int recorded; } ev;
EXPORT int cuEventCreate(ev **e, unsigned flags) { (void)flags; *e = calloc(1, sizeof **e); return OK; }
EXPORT int cuEventDestroy_v2(ev *e) { free(e); return OK; }
EXPORT int cuEventRecord(ev *e, void *s)
{
    (void)s;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    e->t = (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
    e->recorded = 1;
    return OK;
}
EXPORT int cuEventElapsedTime_v2(float *ms, ev *a, ev *b)
{
    if (!a->recorded || !b->recorded)
        return INVALID_VALUE;
    *ms = (float)((b->t - a->t) * 1e3);
    if (*ms <= 0)
        *ms = 1e-3f;
    return OK;
}
