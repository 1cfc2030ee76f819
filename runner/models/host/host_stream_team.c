/* host_stream_team: one pinned thread per physical core of a scope, three
 * arrays placed on the scope's memory, and the timing loop.
 *
 * Placement: every thread first-touches (initialises) exactly the block of
 * each array it later streams, so Linux puts those pages on its own NUMA
 * node (first-touch policy, Linux Documentation/admin-guide/mm/numa_memory_policy.rst);
 * for a NUMA-node scope the arrays are also bound to that node with hwloc
 * where the OS supports it. Blocks start on 4 KiB page boundaries so no page
 * is shared by two threads.
 *
 * Timing (STREAM's convention, stream.c: one time per kernel per trial):
 * all threads meet at a barrier, thread 0 reads CLOCK_MONOTONIC, every
 * thread streams its block, barrier, thread 0 reads the clock again. */
#include "host_stream_team.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

/* Arrays start on 2 MiB, the transparent huge page size of x86-64 and
 * AArch64 with 4 KiB pages (Linux Documentation/admin-guide/mm/transhuge.rst),
 * so huge pages can back them and TLB misses stay out of the measurement. */
#define HB_HS_ALIGN ((size_t)2 << 20)
#define HB_HS_PAGE 4096u

typedef struct hb_hs_buf {
    void *raw;
    size_t raw_len;
    int from_hwloc;
    unsigned char *p;   /* raw, aligned up to HB_HS_ALIGN */
} hb_hs_buf;

typedef struct hb_hs_team {
    const hb_hs_plan *plan;
    hb_hs_job *jobs;
    int n_jobs, n_threads;
    hb_hs_buf buf[3];
    double *partial;        /* [job][thread]: the kernel's sum, dot and read */
    hb_hs_check *checks;    /* [job][thread] */
    pthread_barrier_t bar;
    atomic_int gate;        /* 0: wait, 1: go, -1: give up (a thread failed to start) */
    atomic_int failed;
    pthread_mutex_t mu;     /* guards msg */
    char msg[512];
} hb_hs_team;

typedef struct hb_hs_worker {
    hb_hs_team *team;
    int index;
    hwloc_cpuset_t cpuset;  /* one PU of its core */
    pthread_t tid;
} hb_hs_worker;

/* Keeps the first failure; the coordinator reports it after the join. */
__attribute__((format(printf, 2, 3))) static void hb_hs_fail(hb_hs_team *t, const char *fmt, ...)
{
    int locked = pthread_mutex_lock(&t->mu) == 0;
    if (!atomic_exchange(&t->failed, 1)) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(t->msg, sizeof t->msg, fmt, ap);
        va_end(ap);
    }
    if (locked && pthread_mutex_unlock(&t->mu) != 0)
        atomic_store(&t->failed, 1);
}

static void hb_hs_wait(hb_hs_team *t)
{
    int rc = pthread_barrier_wait(&t->bar);
    if (rc != 0 && rc != PTHREAD_BARRIER_SERIAL_THREAD)
        hb_hs_fail(t, "pthread_barrier_wait: %s", strerror(rc));
}

static double hb_hs_now(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
        return NAN;
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Thread t's block of an n-element array: whole pages, the last thread also
 * taking what does not fill one. The boundaries fall on the same bytes for
 * f32 and f64 (n*size is the byte count rounded down to 256 or 512), so the
 * pages each thread touched first stay its own for both dtypes. */
static void hb_hs_block(uint64_t n, size_t size, int n_threads, int t, uint64_t *lo,
                        uint64_t *len)
{
    uint64_t unit = HB_HS_PAGE / size, units = n / unit;
    uint64_t u0 = units * (uint64_t)t / (uint64_t)n_threads;
    uint64_t u1 = units * (uint64_t)(t + 1) / (uint64_t)n_threads;
    *lo = u0 * unit;
    *len = (t == n_threads - 1 ? n : u1 * unit) - *lo;
}

static void hb_hs_run_job(hb_hs_worker *w, int j)
{
    hb_hs_team *t = w->team;
    const hb_hs_plan *plan = t->plan;
    hb_hs_job *job = &t->jobs[j];
    size_t size = hb_hs_dtype_size[job->dtype];
    uint64_t lo, len;
    hb_hs_block(hb_hs_elements(plan->bytes_per_array, job->dtype), size, t->n_threads, w->index,
                &lo, &len);
    void *a = t->buf[0].p + lo * size, *b = t->buf[1].p + lo * size, *c = t->buf[2].p + lo * size;
    hb_hs_kernel_fn fn = plan->isa->run[job->dtype];

    /* Fresh inputs for every bench, so each iteration computes the same
     * values and the check after the last one is exact. */
    hb_hs_init(job->dtype, a, b, c, lo, len);
    double part = 0.0, t0 = 0.0, first = 0.0;
    for (int it = 0; it < plan->warmup + plan->iters; it++) {
        hb_hs_wait(t);
        if (w->index == 0)
            t0 = hb_hs_now();
        part = fn(job->bench, a, b, c, (size_t)len);
        hb_hs_wait(t);
        if (w->index == 0 && it >= plan->warmup) {
            double t1 = hb_hs_now();
            if (it == plan->warmup)
                first = t0;
            job->samples[it - plan->warmup] = t1 - t0;
            job->wall_s = t1 - first;
        }
    }
    t->partial[(size_t)j * (size_t)t->n_threads + (size_t)w->index] = part;
    hb_hs_verify(job->bench, job->dtype, a, b, c, lo, len,
                 &t->checks[(size_t)j * (size_t)t->n_threads + (size_t)w->index]);
}

static void *hb_hs_worker_main(void *arg)
{
    hb_hs_worker *w = arg;
    hb_hs_team *t = w->team;
    int gate;
    /* The coordinator opens the gate once every thread exists; spinning is
     * fine for that long, and unlike a barrier it can be called off. */
    while ((gate = atomic_load(&t->gate)) == 0)
        sched_yield();
    if (gate < 0)
        return NULL;
    if (hwloc_set_thread_cpubind(t->plan->topo, pthread_self(), w->cpuset,
                                 HWLOC_CPUBIND_THREAD) < 0) {
        int e = errno;
        char set[64];
        if (hwloc_bitmap_list_snprintf(set, sizeof set, w->cpuset) < 0)
            snprintf(set, sizeof set, "?");
        hb_hs_fail(t, "hwloc_set_thread_cpubind(thread %d to PU %s): %s", w->index, set,
                   e ? strerror(e) : "unknown error");
    }
    /* Everyone sees the same `failed` after this barrier, so all go on or
     * all stop. */
    hb_hs_wait(t);
    if (atomic_load(&t->failed))
        return NULL;
    for (int j = 0; j < t->n_jobs; j++)
        hb_hs_run_job(w, j);
    return NULL;
}

static int hb_hs_buf_alloc(hb_hs_team *t, hb_hs_buf *b, size_t len, hb_err *err)
{
    const hb_hs_plan *plan = t->plan;
    b->raw_len = len + HB_HS_ALIGN;
    b->raw = NULL;
    b->from_hwloc = 0;
    if (plan->membind) {
        const struct hwloc_topology_support *sup = hwloc_topology_get_support(plan->topo);
        if (sup->membind->alloc_membind && sup->membind->bind_membind) {
            /* Not STRICT: hwloc 2.9.0 then asks Linux for MPOL_PREFERRED_MANY
             * (seen with strace), so pages go to the node while it has room
             * and spill instead of failing; first touch by the node's own
             * cores points the same way. */
            b->raw = hwloc_alloc_membind(plan->topo, b->raw_len, plan->membind,
                                         HWLOC_MEMBIND_BIND, HWLOC_MEMBIND_BYNODESET);
            b->from_hwloc = b->raw != NULL;
        }
    }
    if (!b->raw) {
        /* mmap, not malloc: nothing touches the pages before their thread does. */
        void *p = mmap(NULL, b->raw_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            return hb_fail(err, HB_EFAIL, "cannot allocate %zu bytes for a host-stream array: %s",
                           b->raw_len, strerror(errno));
        b->raw = p;
    }
    uintptr_t u = ((uintptr_t)b->raw + HB_HS_ALIGN - 1) & ~(uintptr_t)(HB_HS_ALIGN - 1);
    b->p = (unsigned char *)u;
#ifdef MADV_HUGEPAGE
    /* Advice only: where THP is off or unsupported the run uses 4 KiB pages. */
    (void)madvise(b->p, (len + HB_HS_ALIGN - 1) & ~(HB_HS_ALIGN - 1), MADV_HUGEPAGE);
#endif
    return HB_OK;
}

static int hb_hs_buf_free(hb_hs_team *t, hb_hs_buf *b, hb_err *err, int rc)
{
    if (!b->raw)
        return rc;
    int bad = b->from_hwloc ? hwloc_free(t->plan->topo, b->raw, b->raw_len) < 0
                            : munmap(b->raw, b->raw_len) != 0;
    b->raw = NULL;
    if (bad && rc == HB_OK)
        return hb_fail(err, HB_EFAIL, "cannot free a host-stream array: %s", strerror(errno));
    return rc;
}

/* One worker per core of the scope, each bound to one PU of its core; PUs
 * when hwloc reports no cores. */
static int hb_hs_workers(hb_hs_team *t, hb_hs_worker **out, hb_err *err)
{
    hwloc_topology_t topo = t->plan->topo;
    hwloc_obj_type_t type = HWLOC_OBJ_CORE;
    int n = hwloc_get_nbobjs_inside_cpuset_by_type(topo, t->plan->cpuset, type);
    if (n <= 0) {
        type = HWLOC_OBJ_PU;
        n = hwloc_get_nbobjs_inside_cpuset_by_type(topo, t->plan->cpuset, type);
    }
    if (n <= 0)
        return hb_fail(err, HB_EFAIL, "host-stream scope has no cores hwloc can bind to");
    hb_hs_worker *w = calloc((size_t)n, sizeof *w);
    if (!w)
        return hb_fail(err, HB_EFAIL, "out of memory for %d host-stream threads", n);
    *out = w;
    t->n_threads = n;
    for (int i = 0; i < n; i++) {
        hwloc_obj_t o = hwloc_get_obj_inside_cpuset_by_type(topo, t->plan->cpuset, type, (unsigned)i);
        w[i].team = t;
        w[i].index = i;
        w[i].cpuset = o ? hwloc_bitmap_dup(o->cpuset) : NULL;
        /* One PU, not the core's set: the thread cannot wander between
         * hardware threads (hwloc.h, hwloc_set_cpubind, @2.9.0). */
        if (!w[i].cpuset || hwloc_bitmap_singlify(w[i].cpuset) < 0)
            return hb_fail(err, HB_EFAIL, "cannot build the cpuset of host-stream thread %d", i);
    }
    return HB_OK;
}

/* The jobs' sums, rounding chains and first wrong elements, over threads. */
static void hb_hs_gather(hb_hs_team *t)
{
    for (int j = 0; j < t->n_jobs; j++) {
        hb_hs_job *job = &t->jobs[j];
        uint64_t n = hb_hs_elements(t->plan->bytes_per_array, job->dtype);
        job->sum_got = job->sum_expected = 0.0L;
        job->chain = 0;
        job->bad.bad = UINT64_MAX;
        for (int i = 0; i < t->n_threads; i++) {
            size_t k = (size_t)j * (size_t)t->n_threads + (size_t)i;
            uint64_t lo, len;
            hb_hs_block(n, hb_hs_dtype_size[job->dtype], t->n_threads, i, &lo, &len);
            uint64_t chain = hb_hs_chain(t->plan->isa, job->dtype, len);
            job->chain = chain > job->chain ? chain : job->chain;
            job->sum_got += (long double)t->partial[k];  /* long double: the final sum */
            job->sum_expected += t->checks[k].sum_expected;
            if (job->bad.bad == UINT64_MAX && t->checks[k].bad != UINT64_MAX)
                job->bad = t->checks[k];  /* blocks are in index order: the first */
        }
        for (int i = 0; i < t->plan->iters; i++)
            if (isnan(job->samples[i]))
                hb_hs_fail(t, "clock_gettime(CLOCK_MONOTONIC) failed");
    }
}

/* Creates the threads (the barrier exists already); on failure the ones
 * started are told to give up, so they can be joined. */
static int hb_hs_start(hb_hs_team *t, hb_hs_worker *w, int *n_started, hb_err *err)
{
    int rc;
    for (int i = 0; i < t->n_threads; i++) {
        rc = pthread_create(&w[i].tid, NULL, hb_hs_worker_main, &w[i]);
        if (rc != 0) {
            atomic_store(&t->gate, -1);
            return hb_fail(err, HB_EFAIL, "pthread_create (host-stream thread %d of %d): %s", i,
                           t->n_threads, strerror(rc));
        }
        *n_started = i + 1;
    }
    atomic_store(&t->gate, 1);
    return HB_OK;
}

/* Frees what hb_hs_team_run made; returns rc, or the first cleanup failure. */
static int hb_hs_cleanup(hb_hs_team *t, hb_hs_worker *w, int rc, hb_err *err)
{
    for (int i = 0; i < 3; i++)
        rc = hb_hs_buf_free(t, &t->buf[i], err, rc);
    for (int i = 0; w && i < t->n_threads; i++)
        hwloc_bitmap_free(w[i].cpuset);
    free(w);
    free(t->partial);
    free(t->checks);
    int mrc = pthread_mutex_destroy(&t->mu);
    if (mrc != 0 && rc == HB_OK)
        rc = hb_fail(err, HB_EFAIL, "pthread_mutex_destroy: %s", strerror(mrc));
    return rc;
}

int hb_hs_team_run(const hb_hs_plan *plan, hb_hs_job *jobs, int n_jobs, int *n_threads,
                   hb_err *err)
{
    hb_hs_team t = {.plan = plan, .jobs = jobs, .n_jobs = n_jobs};
    hb_hs_worker *w = NULL;
    atomic_init(&t.gate, 0);
    atomic_init(&t.failed, 0);
    int rc = pthread_mutex_init(&t.mu, NULL), started = 0;
    if (rc != 0)
        return hb_fail(err, HB_EFAIL, "pthread_mutex_init: %s", strerror(rc));
    rc = hb_hs_workers(&t, &w, err);
    size_t len = (size_t)plan->bytes_per_array;
    for (int i = 0; i < 3 && rc == HB_OK; i++)
        rc = hb_hs_buf_alloc(&t, &t.buf[i], len, err);
    if (rc == HB_OK) {
        size_t cells = (size_t)n_jobs * (size_t)t.n_threads;
        t.partial = calloc(cells ? cells : 1, sizeof *t.partial);
        t.checks = calloc(cells ? cells : 1, sizeof *t.checks);
        if (!t.partial || !t.checks)
            rc = hb_fail(err, HB_EFAIL, "out of memory for %zu host-stream checks", cells);
    }
    if (rc == HB_OK) {
        int brc = pthread_barrier_init(&t.bar, NULL, (unsigned)t.n_threads);
        if (brc != 0)
            return hb_hs_cleanup(&t, w, hb_fail(err, HB_EFAIL, "pthread_barrier_init: %s",
                                                strerror(brc)), err);
        rc = hb_hs_start(&t, w, &started, err);
        for (int i = 0; i < started; i++) {
            int jrc = pthread_join(w[i].tid, NULL);
            if (jrc != 0 && rc == HB_OK)
                rc = hb_fail(err, HB_EFAIL, "pthread_join: %s", strerror(jrc));
        }
        if ((brc = pthread_barrier_destroy(&t.bar)) != 0 && rc == HB_OK)
            rc = hb_fail(err, HB_EFAIL, "pthread_barrier_destroy: %s", strerror(brc));
    }
    if (rc == HB_OK)
        hb_hs_gather(&t);
    if (rc == HB_OK && atomic_load(&t.failed))
        rc = hb_fail(err, HB_EFAIL, "%s", t.msg);
    *n_threads = t.n_threads;
    return hb_hs_cleanup(&t, w, rc, err);
}
