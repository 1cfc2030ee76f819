/* host_team: pinned worker threads that run one task at a time.
 *
 * The caller and the workers meet at two barriers per task: at the first
 * the caller has stored the task and read the clock; at the second every
 * worker has finished, and the caller reads the clock again. Workers sleep
 * in the barrier between tasks. */
#include "host_team.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HB_PAGE 4096u

typedef struct hb_worker {
    hb_team *team;
    int index;
    hwloc_cpuset_t cpuset;     /* one PU of its core */
    pthread_t tid;
    int started;
} hb_worker;

struct hb_team {
    hwloc_topology_t topo;
    int n;                     /* workers */
    hb_worker *w;
    pthread_barrier_t start, done;
    int barriers;              /* 1 once both exist */
    /* The current task, written by the caller before the start barrier. */
    hb_team_fn fn;
    void *arg;
    int active;                /* threads that run it */
    int quit;
    int bind_failed;
    char bind_msg[256];
};

static double now_s(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
        return NAN;
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void hb_team_block(uint64_t n, size_t size, int n_threads, int t, uint64_t *lo, uint64_t *len)
{
    uint64_t unit = HB_PAGE / size, units = n / unit;
    uint64_t u0 = units * (uint64_t)t / (uint64_t)n_threads;
    uint64_t u1 = units * (uint64_t)(t + 1) / (uint64_t)n_threads;
    *lo = u0 * unit;
    *len = (t == n_threads - 1 ? n : u1 * unit) - *lo;
}

static void *worker_main(void *arg)
{
    hb_worker *w = arg;
    hb_team *t = w->team;
    /* One PU, not the core's set: the thread cannot wander between hardware
     * threads (hwloc.h, hwloc_set_cpubind, @2.9.0). */
    if (hwloc_set_thread_cpubind(t->topo, pthread_self(), w->cpuset, HWLOC_CPUBIND_THREAD) < 0) {
        int e = errno;
        t->bind_failed = 1; /* read by the caller after the first barrier */
        snprintf(t->bind_msg, sizeof t->bind_msg, "hwloc_set_thread_cpubind(thread %d): %s", w->index,
                 e ? strerror(e) : "unknown error");
    }
    for (;;) {
        pthread_barrier_wait(&t->start);
        if (t->quit)
            return NULL;
        if (w->index < t->active)
            t->fn(t->arg, w->index, t->active);
        pthread_barrier_wait(&t->done);
    }
}

int hb_team_size(const hb_team *t)
{
    return t->n;
}

int hb_team_run(hb_team *t, int n, hb_team_fn fn, void *arg, double *seconds, hb_err *err)
{
    if (n < 1 || n > t->n)
        return hb_fail(err, HB_EFAIL, "internal: %d threads asked of a team of %d", n, t->n);
    t->fn = fn;
    t->arg = arg;
    t->active = n;
    double t0 = now_s();
    pthread_barrier_wait(&t->start);
    pthread_barrier_wait(&t->done);
    double t1 = now_s();
    if (seconds)
        *seconds = t1 - t0;
    if (isnan(t0) || isnan(t1))
        return hb_fail(err, HB_EFAIL, "clock_gettime(CLOCK_MONOTONIC) failed");
    return HB_OK;
}

static int workers(hb_team *t, hwloc_const_cpuset_t cpuset, hb_err *err)
{
    hwloc_obj_type_t type = HWLOC_OBJ_CORE;
    int n = hwloc_get_nbobjs_inside_cpuset_by_type(t->topo, cpuset, type);
    if (n <= 0) {
        type = HWLOC_OBJ_PU;
        n = hwloc_get_nbobjs_inside_cpuset_by_type(t->topo, cpuset, type);
    }
    if (n <= 0)
        return hb_fail(err, HB_EFAIL, "the host device's cpuset has no cores hwloc can bind to");
    t->w = calloc((size_t)n, sizeof *t->w);
    if (!t->w)
        return hb_fail(err, HB_EFAIL, "out of memory for %d host threads", n);
    t->n = n;
    for (int i = 0; i < n; i++) {
        hwloc_obj_t o = hwloc_get_obj_inside_cpuset_by_type(t->topo, cpuset, type, (unsigned)i);
        t->w[i].team = t;
        t->w[i].index = i;
        t->w[i].cpuset = o ? hwloc_bitmap_dup(o->cpuset) : NULL;
        if (!t->w[i].cpuset || hwloc_bitmap_singlify(t->w[i].cpuset) < 0)
            return hb_fail(err, HB_EFAIL, "cannot build the cpuset of host thread %d", i);
    }
    return HB_OK;
}

static void noop(void *arg, int t, int n)
{
    (void)arg, (void)t, (void)n;
}

int hb_team_start(hwloc_topology_t topo, hwloc_const_cpuset_t cpuset, hb_team **out, hb_err *err)
{
    hb_team *t = calloc(1, sizeof *t);
    if (!t)
        return hb_fail(err, HB_EFAIL, "out of memory");
    t->topo = topo;
    *out = t;
    int rc = workers(t, cpuset, err);
    if (rc)
        return rc;
    int brc = pthread_barrier_init(&t->start, NULL, (unsigned)t->n + 1);
    if (brc == 0 && (brc = pthread_barrier_init(&t->done, NULL, (unsigned)t->n + 1)) != 0)
        pthread_barrier_destroy(&t->start);
    if (brc != 0)
        return hb_fail(err, HB_EFAIL, "pthread_barrier_init: %s", strerror(brc));
    t->barriers = 1;
    for (int i = 0; i < t->n; i++) {
        int prc = pthread_create(&t->w[i].tid, NULL, worker_main, &t->w[i]);
        if (prc != 0) {
            /* The barriers count every thread: without this one they would
             * never open, so the team cannot be used or stopped cleanly. */
            return hb_fail(err, HB_EFAIL, "pthread_create (host thread %d of %d): %s", i, t->n, strerror(prc));
        }
        t->w[i].started = 1;
    }
    /* One empty task: every thread has tried its binding when it returns. */
    if (hb_team_run(t, t->n, noop, NULL, NULL, err))
        return HB_EFAIL;
    if (t->bind_failed)
        return hb_fail(err, HB_EFAIL, "%s", t->bind_msg);
    return HB_OK;
}

void hb_team_stop(hb_team *t)
{
    if (!t)
        return;
    int all = t->barriers;
    for (int i = 0; i < t->n; i++)
        all &= t->w[i].started;
    if (all) {
        t->quit = 1;
        pthread_barrier_wait(&t->start);
        for (int i = 0; i < t->n; i++)
            pthread_join(t->w[i].tid, NULL);
    } else {
        /* Started threads wait at a barrier that can no longer fill: they
         * cannot be joined, so they are left detached to end with the process. */
        for (int i = 0; i < t->n; i++)
            if (t->w[i].started)
                pthread_detach(t->w[i].tid);
    }
    if (t->barriers && all) {
        pthread_barrier_destroy(&t->start);
        pthread_barrier_destroy(&t->done);
    }
    for (int i = 0; i < t->n; i++)
        hwloc_bitmap_free(t->w[i].cpuset);
    free(t->w);
    if (all || !t->barriers)
        free(t);
}
