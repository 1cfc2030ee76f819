/* SPDX-License-Identifier: Apache-2.0 */
/* concurrent_sync: the step sync that the device threads of a concurrent
 * run share (concurrent.h): who waits for whom, the shared clock, the solo
 * figures. */
#include "concurrent.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json_io.h"
#include "model_table.h"
#include "hb_clock.h"

/* A step's place in the loop's order (run_devices.c): dtype, bench,
 * implementation, problem; compared in that order. */
typedef struct step_key {
    int k[4];
} step_key;

typedef struct sync_dev {
    int waiting, released, done;
    step_key key;
    int group, step;
} sync_dev;

struct hb_sync {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    const hb_run_plan *plan;
    const hb_result_list *solo;
    int n;
    sync_dev *dev;
    double origin;             /* CLOCK_MONOTONIC when made, s */
    int steps;                 /* groups released so far */
    int timing;                /* devices of the current group still timing */
    int loading;               /* devices of the current group that have begun loading */
    int group;                 /* the current group's size */
};

double hb_sync_clock(const hb_sync *s)
{
    return hb_now_s() - s->origin;
}

static int key_cmp(const step_key *a, const step_key *b)
{
    for (int i = 0; i < 4; i++)
        if (a->k[i] != b->k[i])
            return a->k[i] < b->k[i] ? -1 : 1;
    return 0;
}

/* The implementation's rank among every model's kernels of its family, by
 * first appearance (ours first): the same name ranks the same on every
 * model, so the host's stream kernels pair with OpenCL's. */
static int impl_rank(const hb_kernels *k)
{
    const char *seen[16];
    int n = 0;
    for (const hb_model *const *m = hb_models; *m; m++)
        for (const hb_kernels *const *q = (*m)->kernels; *q && n < 16; q++) {
            if (strcmp((*q)->family, k->family))
                continue;
            int i = 0;
            while (i < n && strcmp(seen[i], (*q)->implementation))
                i++;
            if (i == n)
                seen[n++] = (*q)->implementation;
            if (!strcmp((*q)->implementation, k->implementation))
                return i;
        }
    return n;
}

static step_key key_of(const hb_sync *s, const hb_bench_ctx *ctx, int problem_index)
{
    step_key key = {{0, 0, impl_rank(ctx->kernels), problem_index}};
    for (int i = 0; i < s->plan->n_dtypes; i++)
        if (s->plan->dtypes[i] == ctx->dtype)
            key.k[0] = i;
    for (int i = 0; i < s->plan->n_benches; i++)
        if (s->plan->benches[i] == ctx->bench)
            key.k[1] = i;
    return key;
}

/* When every device still running waits, the ones at the earliest step go.
 * Called with the mutex held. */
static void try_release(hb_sync *s)
{
    const step_key *first = NULL;
    for (int i = 0; i < s->n; i++) {
        if (s->dev[i].done)
            continue;
        if (!s->dev[i].waiting)
            return;
        if (!first || key_cmp(&s->dev[i].key, first) < 0)
            first = &s->dev[i].key;
    }
    if (!first)
        return;
    step_key k = *first;
    int group = 0;
    for (int i = 0; i < s->n; i++)
        group += !s->dev[i].done && !key_cmp(&s->dev[i].key, &k);
    s->steps++;
    for (int i = 0; i < s->n; i++)
        if (!s->dev[i].done && !key_cmp(&s->dev[i].key, &k)) {
            s->dev[i].waiting = 0;
            s->dev[i].released = 1;
            s->dev[i].group = group;
            s->dev[i].step = s->steps;
        }
    s->timing = s->group = group;
    s->loading = 0;
    pthread_cond_broadcast(&s->cv);
}

void hb_sync_start(hb_sync *s, int self, const hb_bench_ctx *ctx, int problem_index, int *group, int *step)
{
    step_key key = key_of(s, ctx, problem_index);
    pthread_mutex_lock(&s->mu);
    sync_dev *d = &s->dev[self];
    d->key = key;
    d->waiting = 1;
    d->released = 0;
    try_release(s);
    while (!d->released)
        pthread_cond_wait(&s->cv, &s->mu);
    d->released = 0;
    *group = d->group;
    *step = d->step;
    pthread_mutex_unlock(&s->mu);
}

void hb_sync_loading(hb_sync *s)
{
    pthread_mutex_lock(&s->mu);
    s->loading++;
    pthread_mutex_unlock(&s->mu);
}

int hb_sync_all_loading(hb_sync *s)
{
    pthread_mutex_lock(&s->mu);
    int all = s->loading >= s->group;
    pthread_mutex_unlock(&s->mu);
    return all;
}

void hb_sync_timed(hb_sync *s)
{
    pthread_mutex_lock(&s->mu);
    if (s->timing > 0)
        s->timing--;
    pthread_mutex_unlock(&s->mu);
}

int hb_sync_busy(hb_sync *s)
{
    pthread_mutex_lock(&s->mu);
    int busy = s->timing > 0;
    pthread_mutex_unlock(&s->mu);
    return busy;
}

/* A device thread is done: the others no longer wait for it. */
void hb_sync_leave(hb_sync *s, int self)
{
    pthread_mutex_lock(&s->mu);
    s->dev[self].done = 1;
    s->dev[self].waiting = 0;
    try_release(s);
    pthread_mutex_unlock(&s->mu);
}

static int same_problem(const hb_result *r, const hb_bench_ctx *ctx)
{
    const hb_problem *p = &ctx->problem;
    return r->elements == p->elements && r->m == (p->dims & HB_DIM_M ? (int64_t)p->m : -1) &&
           r->n == (p->dims & HB_DIM_N ? (int64_t)p->n : -1) && r->k == (p->dims & HB_DIM_K ? (int64_t)p->k : -1);
}

int hb_solo_of(const hb_result *r, const hb_device *dev)
{
    return !r->concurrent_devices && !strcmp(r->device, dev->name) && !strcmp(r->pci_bus_id, dev->pci_bus_id);
}

/* The solo results of this device, bench, dtype and implementation are in
 * the loop's problem order: the problem_index-th, if it is the same
 * problem, else the first of the same size. */
const hb_result *hb_sync_solo(const hb_sync *s, const hb_bench_ctx *ctx, int problem_index)
{
    const hb_result *first_same = NULL;
    int nth = 0;
    for (size_t i = 0; s->solo && i < s->solo->n; i++) {
        const hb_result *r = &s->solo->v[i];
        if (!hb_solo_of(r, ctx->dev) || strcmp(r->bench, ctx->bench->name) || strcmp(r->dtype, hb_dtype_name(ctx->dtype)) ||
            strcmp(r->implementation, ctx->kernels->implementation))
            continue;
        if (nth++ == problem_index && same_problem(r, ctx))
            return r;
        if (!first_same && same_problem(r, ctx))
            first_same = r;
    }
    return first_same;
}

/* ---- the run ---- */


hb_sync *hb_sync_new(const hb_run_plan *plan, const hb_result_list *solo, int n)
{
    hb_sync *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    *s = (hb_sync){.plan = plan, .solo = solo, .n = n, .origin = hb_now_s()};
    s->dev = calloc((size_t)n, sizeof *s->dev);
    if (!s->dev) {
        free(s);
        return NULL;
    }
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    return s;
}

void hb_sync_free(hb_sync *s)
{
    if (!s)
        return;
    pthread_cond_destroy(&s->cv);
    pthread_mutex_destroy(&s->mu);
    free(s->dev);
    free(s);
}
