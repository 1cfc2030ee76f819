/* concurrent: every selected device at once (concurrent.h): the solo
 * reference, one pinned thread per device, and the step sync. */
#include "concurrent.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json_io.h"
#include "model_table.h"

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

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

double hb_sync_clock(const hb_sync *s)
{
    return mono_s() - s->origin;
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
static void sync_leave(hb_sync *s, int self)
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

/* The solo results of this device, bench, dtype and implementation are in
 * the loop's problem order: the problem_index-th, if it is the same
 * problem, else the first of the same size. Devices match by name and PCI
 * bus id, so a --solo file from another run matches too. */
const hb_result *hb_sync_solo(const hb_sync *s, const hb_bench_ctx *ctx, int problem_index)
{
    const hb_result *first_same = NULL;
    int nth = 0;
    for (size_t i = 0; s->solo && i < s->solo->n; i++) {
        const hb_result *r = &s->solo->v[i];
        if (r->concurrent_devices || strcmp(r->device, ctx->dev->name) || strcmp(r->pci_bus_id, ctx->dev->pci_bus_id) ||
            strcmp(r->bench, ctx->bench->name) || strcmp(r->dtype, hb_dtype_name(ctx->dtype)) ||
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

typedef struct worker {
    hb_run_plan plan;          /* the caller's, with this device's sync */
    const hb_session *s;
    const hb_device *dev;
    hb_sync *sync;
    int self;
    hb_result_list results;
    int failed, rc;
    pthread_t tid;
} worker;

static void *worker_main(void *arg)
{
    worker *w = arg;
    hb_err err = {0};
    /* The thread that drives the device runs on the device's local cores
     * (its hwloc locality), as a program driving it would. */
    if (w->s->place.pin(&w->s->place, w->dev, &err) && !w->plan.quiet)
        fprintf(stderr, "hbmbench run: %s: not pinned: %s\n", w->dev->name, err.msg);
    w->rc = hb_run_device(&w->plan, w->s, w->dev, &w->results, &w->failed);
    sync_leave(w->sync, w->self);
    return NULL;
}

/* Moves every result of from to the end of to (their samples and grids go with them). */
static int move_results(hb_result_list *from, hb_result_list *to)
{
    int rc = HB_OK;
    for (size_t i = 0; i < from->n; i++) {
        hb_result *r = hb_result_list_push(to);
        if (r) {
            *r = from->v[i];
        } else {
            hb_result_free(&from->v[i]);
            rc = HB_EFAIL;
        }
    }
    free(from->v);
    memset(from, 0, sizeof *from);
    return rc;
}

/* The solo reference: a --solo file, or each device alone now. */
static int solo_reference(const hb_run_plan *plan, const hb_session *s, const int *chosen, hb_result_list *out,
                          hb_run *file, int *failed)
{
    if (plan->solo_file) {
        hb_err err = {0};
        if (hb_json_read_run(plan->solo_file, file, &err)) {
            fprintf(stderr, "hbmbench run: --solo: %s\n", err.msg);
            return err.code;
        }
        return HB_OK;
    }
    int rc = HB_OK;
    for (size_t i = 0; i < s->list.n && !rc; i++)
        if (chosen[i])
            rc = hb_run_device(plan, s, &s->list.v[i], out, failed);
    return rc;
}

static int run_together(const hb_run_plan *plan, const hb_session *s, const int *chosen, int n,
                        const hb_result_list *solo, hb_result_list *out, int *failed)
{
    hb_sync sync = {.plan = plan, .solo = solo, .n = n, .origin = mono_s()};
    worker *w = calloc((size_t)n, sizeof *w);
    sync.dev = calloc((size_t)n, sizeof *sync.dev);
    if (!w || !sync.dev) {
        free(w), free(sync.dev);
        fprintf(stderr, "hbmbench run: out of memory\n");
        return HB_EFAIL;
    }
    pthread_mutex_init(&sync.mu, NULL);
    pthread_cond_init(&sync.cv, NULL);
    int k = 0, started = 0;
    for (size_t i = 0; i < s->list.n; i++)
        if (chosen[i]) {
            w[k] = (worker){.plan = *plan, .s = s, .dev = &s->list.v[i], .sync = &sync, .self = k};
            w[k].plan.measure.sync = &sync;
            w[k].plan.measure.sync_self = k;
            w[k].plan.measure.progress = 0;
            k++;
        }
    for (; started < n; started++)
        if (pthread_create(&w[started].tid, NULL, worker_main, &w[started]))
            break;
    for (int i = started; i < n; i++) /* never started: the others must not wait for them */
        sync_leave(&sync, i);
    int rc = started < n ? HB_EFAIL : HB_OK;
    if (started < n)
        fprintf(stderr, "hbmbench run: --concurrent: could not start a thread for every device\n");
    for (int i = 0; i < started; i++) {
        pthread_join(w[i].tid, NULL);
        *failed |= w[i].failed;
        rc = rc ? rc : w[i].rc;
        if (move_results(&w[i].results, out))
            rc = rc ? rc : HB_EFAIL;
    }
    pthread_cond_destroy(&sync.cv);
    pthread_mutex_destroy(&sync.mu);
    free(sync.dev);
    free(w);
    return rc;
}

int hb_run_concurrent(const hb_run_plan *plan, const hb_session *s, const int *chosen, hb_result_list *out,
                      int *failed)
{
    int n = 0;
    for (size_t i = 0; i < s->list.n; i++)
        n += chosen[i] != 0;
    if (n < 2 && !plan->quiet)
        fprintf(stderr, "hbmbench run: --concurrent with one device: it is measured alone, then alone again\n");
    hb_run file;
    memset(&file, 0, sizeof file);
    int rc = solo_reference(plan, s, chosen, out, &file, failed);
    if (!rc) {
        /* the solo results are read, never moved, while the threads run */
        hb_result_list solo = plan->solo_file ? file.results : *out;
        if (!plan->quiet)
            fprintf(stderr, "hbmbench run: --concurrent: %d devices at once%s\n", n,
                    plan->solo_file ? "" : " (after each alone)");
        hb_result_list together = {0};
        rc = run_together(plan, s, chosen, n, &solo, &together, failed);
        if (move_results(&together, out) && !rc)
            rc = HB_EFAIL;
    }
    if (plan->solo_file)
        hb_run_free_read(&file);
    return rc;
}
