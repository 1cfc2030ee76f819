/* SPDX-License-Identifier: Apache-2.0 */
/* host_team: pinned worker threads that run one task at a time.
 *
 * The caller reads the clock and publishes the task by bumping a
 * generation counter; the last worker to finish reads the clock again. A
 * worker that saw a task recently waits for the next by spinning (with
 * sched_yield, so a thread that shares its core still runs) for up to
 * HB_SPIN_S, then sleeps on a condition variable: back-to-back timed
 * iterations then start without a sleeping thread's wake-up in the time
 * (about 30 us on a KVM guest, measured with pthread barriers), while an
 * idle team costs no CPU. The caller waits on a condition variable after
 * the last worker has read the clock, so its own wake-up is not timed. */
#include "host_team.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hb_clock.h"

#define HB_PAGE 4096u
#define HB_SPIN_S 0.002

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
    pthread_mutex_t mu;        /* guards the sleeps on go and fin */
    pthread_cond_t go, fin;
    int sync;                  /* 1 once mu, go and fin exist */
    atomic_uint gen;           /* bumped (under mu) to publish a task */
    atomic_int remaining;      /* workers yet to finish the current task */
    int finished;              /* under mu: the last worker has set t_end */
    double t_end;
    /* The current task, written by the caller before gen is bumped. */
    hb_team_fn fn;
    void *arg;
    int active;                /* threads that run it */
    int quit;
    int bind_failed;
    char bind_msg[256];
};

void hb_team_block(uint64_t n, size_t size, int n_threads, int t, uint64_t *lo, uint64_t *len)
{
    uint64_t unit = HB_PAGE / size, units = n / unit;
    uint64_t u0 = units * (uint64_t)t / (uint64_t)n_threads;
    uint64_t u1 = units * (uint64_t)(t + 1) / (uint64_t)n_threads;
    *lo = u0 * unit;
    *len = (t == n_threads - 1 ? n : u1 * unit) - *lo;
}

/* Waits until the generation differs from seen; returns the new one. */
static unsigned wait_task(hb_team *t, unsigned seen)
{
    double until = hb_now_s() + HB_SPIN_S;
    unsigned g;
    while ((g = atomic_load_explicit(&t->gen, memory_order_acquire)) == seen) {
        if (hb_now_s() < until) {
            sched_yield();
            continue;
        }
        pthread_mutex_lock(&t->mu);
        while ((g = atomic_load_explicit(&t->gen, memory_order_acquire)) == seen)
            pthread_cond_wait(&t->go, &t->mu);
        pthread_mutex_unlock(&t->mu);
    }
    return g;
}

static void *worker_main(void *arg)
{
    hb_worker *w = arg;
    hb_team *t = w->team;
    /* One PU, not the core's set: the thread cannot wander between hardware
     * threads (hwloc.h, hwloc_set_cpubind, @2.9.0). */
    if (hwloc_set_thread_cpubind(t->topo, pthread_self(), w->cpuset, HWLOC_CPUBIND_THREAD) < 0) {
        int e = errno;
        t->bind_failed = 1; /* read by the caller after the first task */
        snprintf(t->bind_msg, sizeof t->bind_msg, "hwloc_set_thread_cpubind(thread %d): %s", w->index,
                 e ? strerror(e) : "unknown error");
    }
    unsigned seen = 0;
    for (;;) {
        seen = wait_task(t, seen);
        if (t->quit)
            return NULL;
        if (w->index < t->active)
            t->fn(t->arg, w->index, t->active);
        if (atomic_fetch_sub_explicit(&t->remaining, 1, memory_order_acq_rel) == 1) {
            double end = hb_now_s();
            pthread_mutex_lock(&t->mu);
            t->t_end = end;
            t->finished = 1;
            pthread_cond_signal(&t->fin);
            pthread_mutex_unlock(&t->mu);
        }
    }
}

int hb_team_size(const hb_team *t)
{
    return t->n;
}

/* Publishes the task set in t (fn, arg, active or quit) to every worker. */
static void publish(hb_team *t)
{
    atomic_store_explicit(&t->remaining, t->n, memory_order_relaxed);
    pthread_mutex_lock(&t->mu);
    t->finished = 0;
    atomic_fetch_add_explicit(&t->gen, 1, memory_order_release);
    pthread_cond_broadcast(&t->go);
    pthread_mutex_unlock(&t->mu);
}

int hb_team_run(hb_team *t, int n, hb_team_fn fn, void *arg, double *seconds, hb_err *err)
{
    if (n < 1 || n > t->n)
        return hb_fail(err, HB_EFAIL, "internal: %d threads asked of a team of %d", n, t->n);
    t->fn = fn;
    t->arg = arg;
    t->active = n;
    double t0 = hb_now_s();
    publish(t);
    pthread_mutex_lock(&t->mu);
    while (!t->finished)
        pthread_cond_wait(&t->fin, &t->mu);
    double t1 = t->t_end;
    pthread_mutex_unlock(&t->mu);
    if (seconds)
        *seconds = t1 - t0;
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
    atomic_init(&t->gen, 0);
    atomic_init(&t->remaining, 0);
    *out = t;
    int rc = workers(t, cpuset, err);
    if (rc)
        return rc;
    int prc = pthread_mutex_init(&t->mu, NULL);
    if (prc == 0 && (prc = pthread_cond_init(&t->go, NULL)) != 0)
        pthread_mutex_destroy(&t->mu);
    if (prc == 0 && (prc = pthread_cond_init(&t->fin, NULL)) != 0) {
        pthread_cond_destroy(&t->go);
        pthread_mutex_destroy(&t->mu);
    }
    if (prc != 0)
        return hb_fail(err, HB_EFAIL, "pthread mutex/condition init: %s", strerror(prc));
    t->sync = 1;
    for (int i = 0; i < t->n; i++) {
        prc = pthread_create(&t->w[i].tid, NULL, worker_main, &t->w[i]);
        if (prc != 0)
            return hb_fail(err, HB_EFAIL, "pthread_create (host thread %d of %d): %s", i, t->n, strerror(prc));
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
    if (t->sync) {
        /* Every started worker sees quit at its next task and returns. */
        t->quit = 1;
        publish(t);
        for (int i = 0; i < t->n; i++)
            if (t->w[i].started)
                pthread_join(t->w[i].tid, NULL);
        pthread_cond_destroy(&t->fin);
        pthread_cond_destroy(&t->go);
        pthread_mutex_destroy(&t->mu);
    }
    for (int i = 0; i < t->n; i++)
        hwloc_bitmap_free(t->w[i].cpuset);
    free(t->w);
    free(t);
}
