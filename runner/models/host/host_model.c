/* SPDX-License-Identifier: Apache-2.0 */
/* host_model: the native host baseline as a model: the host's own cores
 * stream host memory with C kernels (kernels/host/), no OpenCL in between,
 * so a CPU OpenCL device can be judged against it.
 *
 * Placement: arrays come from mmap (nothing touches a page before its
 * thread does) or, for a NUMA-node device, hwloc_alloc_membind on that
 * node; they are initialised and poisoned by the team, each thread its own
 * block (host_team.h), so Linux's first-touch policy puts every page on the
 * node of the thread that streams it (Linux
 * Documentation/admin-guide/mm/numa_memory_policy.rst).
 * Timing: the host clock around each whole task (host_team.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "host_env.h"
#include "stream_values.h"

/* Arrays start on 2 MiB, the transparent huge page size of x86-64 and
 * AArch64 with 4 KiB pages (Linux Documentation/admin-guide/mm/transhuge.rst),
 * so huge pages can back them and TLB misses stay out of the measurement. */
#define HB_HOST_ALIGN ((size_t)2 << 20)

typedef struct host_alloc {
    void *raw;
    size_t raw_len;
    int from_hwloc;
    unsigned char *p;          /* raw, aligned up to HB_HOST_ALIGN */
} host_alloc;

void *hb_host_ptr(const hb_buf *b)
{
    return b->handle ? ((host_alloc *)b->handle)->p : NULL;
}

static int host_open(const hb_device *dev, const hb_model_opts *opts, hb_model_env **out, hb_err *err)
{
    (void)opts;
    hb_host_env *env = calloc(1, sizeof *env);
    if (!env)
        return hb_fail(err, HB_EFAIL, "out of memory");
    *out = env;
    env->dev = dev;
    if (hwloc_topology_init(&env->topo) < 0 || hwloc_topology_load(env->topo) < 0)
        return hb_fail(err, HB_EFAIL, "hwloc_topology_load: %s", strerror(errno));
    env->cpuset = hwloc_bitmap_alloc();
    if (!env->cpuset || hwloc_bitmap_list_sscanf(env->cpuset, dev->cpuset) < 0 || hwloc_bitmap_iszero(env->cpuset))
        return hb_fail(err, HB_EFAIL, "host device %s: no usable cpuset (\"%s\")", dev->name, dev->cpuset);
    if (strncmp(dev->scope, "numa:", 5) == 0) {
        env->nodeset = hwloc_bitmap_alloc();
        if (!env->nodeset || hwloc_bitmap_list_sscanf(env->nodeset, dev->numa_nodes) < 0)
            return hb_fail(err, HB_EFAIL, "host device %s: bad NUMA node list \"%s\"", dev->name, dev->numa_nodes);
    }
    return hb_team_start(env->topo, env->cpuset, &env->team, err);
}

static void host_close(hb_model_env *env)
{
    if (!env)
        return;
    hb_team_stop(env->team);
    hwloc_bitmap_free(env->cpuset);
    hwloc_bitmap_free(env->nodeset);
    if (env->topo)
        hwloc_topology_destroy(env->topo);
    free(env->seconds);
    free(env);
}

static int host_alloc_buf(hb_model_env *env, size_t bytes, hb_buf *out, hb_err *err)
{
    host_alloc *a = calloc(1, sizeof *a);
    if (!a)
        return hb_fail(err, HB_EFAIL, "out of memory");
    a->raw_len = bytes + HB_HOST_ALIGN;
    if (env->nodeset) {
        const struct hwloc_topology_support *sup = hwloc_topology_get_support(env->topo);
        if (sup->membind->alloc_membind && sup->membind->bind_membind) {
            /* Not STRICT: hwloc 2.9.0 then asks Linux for MPOL_PREFERRED_MANY
             * (seen with strace), so pages go to the node while it has room
             * and spill instead of failing. */
            a->raw = hwloc_alloc_membind(env->topo, a->raw_len, env->nodeset, HWLOC_MEMBIND_BIND,
                                         HWLOC_MEMBIND_BYNODESET);
            a->from_hwloc = a->raw != NULL;
        }
    }
    if (!a->raw) {
        void *p = mmap(NULL, a->raw_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) {
            free(a);
            return hb_fail(err, HB_EFAIL, "cannot allocate %zu bytes of host memory: %s", bytes, strerror(errno));
        }
        a->raw = p;
    }
    a->p = (unsigned char *)(((uintptr_t)a->raw + HB_HOST_ALIGN - 1) & ~(uintptr_t)(HB_HOST_ALIGN - 1));
#ifdef MADV_HUGEPAGE
    /* Advice only: where THP is off or unsupported the run uses 4 KiB pages. */
    (void)madvise(a->p, (bytes + HB_HOST_ALIGN - 1) & ~(HB_HOST_ALIGN - 1), MADV_HUGEPAGE);
#endif
    *out = (hb_buf){(uintptr_t)a, bytes};
    return HB_OK;
}

static void host_release(hb_model_env *env, hb_buf *buf)
{
    host_alloc *a = (host_alloc *)buf->handle;
    if (a) {
        if (a->from_hwloc)
            hwloc_free(env->topo, a->raw, a->raw_len);
        else
            munmap(a->raw, a->raw_len);
        free(a);
    }
    *buf = (hb_buf){0, 0};
}

static int host_upload(hb_model_env *env, hb_buf *dst, size_t offset, size_t bytes, const void *src, hb_err *err)
{
    (void)env, (void)err;
    memcpy((char *)hb_host_ptr(dst) + offset, src, bytes);
    return HB_OK;
}

static int host_download(hb_model_env *env, const hb_buf *src, size_t offset, size_t bytes, void *dst, hb_err *err)
{
    (void)env, (void)err;
    memcpy(dst, (const char *)hb_host_ptr(src) + offset, bytes);
    return HB_OK;
}

/* Team tasks over a buffer: each thread its block of whole pages. */
typedef struct fill_task {
    unsigned char *p;
    size_t bytes, unit;        /* unit: the pattern's size, or the element's */
    const void *pattern;
    hb_dtype dtype;
    unsigned seed;
} fill_task;

/* Patterns of 4 and 8 bytes are stored as words (the loop vectorises),
 * others byte by byte. */
static void fill_block(void *arg, int t, int n)
{
    fill_task *f = arg;
    uint64_t lo, len;
    hb_team_block(f->bytes / f->unit, f->unit, n, t, &lo, &len);
    uint32_t w4;
    uint64_t w8;
    memcpy(&w4, f->pattern, f->unit == 4 ? 4 : 0);
    memcpy(&w8, f->pattern, f->unit == 8 ? 8 : 0);
    if (f->unit == 4)
        for (uint64_t i = lo; i < lo + len; i++)
            ((uint32_t *)f->p)[i] = w4;
    else if (f->unit == 8)
        for (uint64_t i = lo; i < lo + len; i++)
            ((uint64_t *)f->p)[i] = w8;
    else
        for (uint64_t i = lo; i < lo + len; i++)
            memcpy(f->p + i * f->unit, f->pattern, f->unit);
}

static void init_block(void *arg, int t, int n)
{
    fill_task *f = arg;
    uint64_t lo, len;
    hb_team_block(f->bytes / f->unit, f->unit, n, t, &lo, &len);
    HB_FOR_RUNS(r, r_end, lo, lo + len) {
        uint32_t key = hb_key(r, f->seed);
        if (f->dtype == HB_F64)
            for (uint64_t i = r; i < r_end; i++)
                ((double *)f->p)[i] = hb_value_f64_at(i, key);
        else
            for (uint64_t i = r; i < r_end; i++)
                ((float *)f->p)[i] = hb_value_f32_at(i, key);
    }
}

static int host_fill(hb_model_env *env, hb_buf *dst, const void *pattern, size_t pattern_bytes, size_t bytes,
                     hb_err *err)
{
    fill_task f = {.p = hb_host_ptr(dst), .bytes = bytes, .unit = pattern_bytes, .pattern = pattern};
    return hb_team_run(env->team, hb_team_size(env->team), fill_block, &f, NULL, err);
}

static int host_init_values(hb_model_env *env, hb_buf *dst, hb_dtype dtype, uint64_t n, unsigned seed, hb_err *err)
{
    if (dtype != HB_F32 && dtype != HB_F64)
        return hb_fail(err, HB_EFAIL, "the host model has no %s kernels", hb_dtype_name(dtype));
    fill_task f = {.p = hb_host_ptr(dst), .bytes = n * hb_dtype_bytes(dtype), .unit = hb_dtype_bytes(dtype),
                   .dtype = dtype, .seed = seed};
    return hb_team_run(env->team, hb_team_size(env->team), init_block, &f, NULL, err);
}

static int host_timer_begin(hb_model_env *env, int n, hb_err *err)
{
    free(env->seconds);
    env->seconds = calloc((size_t)(n > 0 ? n : 1), sizeof *env->seconds);
    env->n_seconds = env->seconds ? n : 0;
    return env->seconds ? HB_OK : hb_fail(err, HB_EFAIL, "out of memory");
}

static int host_finish(hb_model_env *env, hb_err *err)
{
    (void)env, (void)err;
    return HB_OK; /* every task has finished when hb_team_run returns */
}

static int host_timer_read(hb_model_env *env, int n, double *seconds, hb_err *err)
{
    if (n > env->n_seconds)
        return hb_fail(err, HB_EFAIL, "internal: %d timer slots read, %d begun", n, env->n_seconds);
    memcpy(seconds, env->seconds, (size_t)n * sizeof *seconds);
    return HB_OK;
}

static const hb_kernels *const host_kernels[] = {&hb_host_stream_kernels, &hb_host_latency_kernels, NULL};

const hb_model hb_model_host = {
    .name = "host", .timer = "host-clock", .discover = hb_host_discover, .open = host_open, .close = host_close,
    .alloc = host_alloc_buf, .release = host_release, .upload = host_upload, .download = host_download,
    .fill = host_fill, .init_values = host_init_values, .check_values = hb_host_check_values,
    .sum_values = hb_host_sum_values, .timer_begin = host_timer_begin, .finish = host_finish,
    .timer_read = host_timer_read, .kernels = host_kernels,
};
