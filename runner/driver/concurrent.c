/* SPDX-License-Identifier: Apache-2.0 */
/* concurrent: every selected device at once (concurrent.h): the solo
 * reference and one pinned thread per device; the step sync they share is
 * concurrent_sync.c. */
#include "concurrent.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hb_signal.h"
#include "json_io.h"
#include "progress.h"
#include "run_devices.h"

/* --concurrent's checkpoints (hb_run_plan.after_result): each finished
 * measurement of a device thread joins one list of finished ones; when its
 * step is whole (every device of the step has finished it), the step joins
 * the kept list (the results before this group, then every whole step) and
 * the caller's hook sees that, one thread at a time. A step cut short is
 * never kept, as at the end (drop_partial_steps). */
typedef struct checkpoints {
    pthread_mutex_t lock;
    const hb_run_plan *plan;   /* the caller's: its after_result */
    hb_result *done;           /* copies of the threads' finished results (their arrays stay the threads') */
    size_t n_done, cap_done;
    hb_result_list kept;       /* copies too: the results before this group, then the whole steps */
} checkpoints;

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

/* Whether every device of r's step has a result of it among v[0..n). */
static int step_whole(const hb_result *v, size_t n, const hb_result *r)
{
    int members = 0;
    for (size_t j = 0; j < n; j++)
        members += v[j].concurrent_step == r->concurrent_step;
    return members >= r->concurrent_devices;
}

/* Appends r's copy to v[0..*n) (capacity *cap); -1: out of memory. */
static int append_copy(hb_result **v, size_t *n, size_t *cap, const hb_result *r)
{
    if (*n == *cap) {
        size_t grown_cap = *cap ? 2 * *cap : 16;
        hb_result *grown = realloc(*v, grown_cap * sizeof *grown);
        if (!grown)
            return -1;
        *v = grown;
        *cap = grown_cap;
    }
    (*v)[(*n)++] = *r;
    return 0;
}

/* A device thread's after_result: its newest result is finished. */
static void finished(const hb_result_list *mine, void *arg)
{
    checkpoints *cp = arg;
    const hb_result *r = &mine->v[mine->n - 1];
    pthread_mutex_lock(&cp->lock);
    hb_result_list *k = &cp->kept;
    if (!append_copy(&cp->done, &cp->n_done, &cp->cap_done, r) && step_whole(cp->done, cp->n_done, r)) {
        int whole = 1;
        for (size_t i = 0; i < cp->n_done && whole; i++)
            if (cp->done[i].concurrent_step == r->concurrent_step)
                whole = !append_copy(&k->v, &k->n, &k->cap, &cp->done[i]);
        if (whole) /* out of memory: the next whole step keeps this one too */
            cp->plan->after_result(k, cp->plan->result_arg);
    }
    pthread_mutex_unlock(&cp->lock);
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    hb_err err = {0};
    hb_progress_listen(w->plan.progress); /* this thread's builds (activity.h) */
    /* The thread that drives the device runs on the device's local cores
     * (its hwloc locality), as a program driving it would. */
    if (w->s->place.pin(&w->s->place, w->dev, &err) && !w->plan.quiet)
        hb_run_say(&w->plan, "hbmbench run: %s: not pinned: %s", w->dev->name, err.msg);
    w->rc = hb_run_device(&w->plan, w->s, w->dev, 1, &w->results, &w->failed);
    hb_sync_leave(w->sync, w->self);
    hb_progress_listen(NULL);
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

/* The solo reference: a --solo file, or each unit alone now. */
static int solo_reference(const hb_run_plan *plan, const hb_session *s, const hb_plan_unit *const *u, int n,
                          hb_result_list *out, int *failed)
{
    if (plan->solo)
        return HB_OK;
    int rc = HB_OK;
    for (int i = 0; i < n && !rc; i++)
        rc = hb_run_device(plan, s, &u[i]->bound, 1, out, failed);
    return rc;
}

/* Every unit at once, one thread each, their results into out; the
 * checkpoints show the caller's hook before (the results so far) too. */
static int run_together(const hb_run_plan *plan, const hb_session *s, const hb_plan_unit *const *u, int n,
                        const hb_result_list *solo, hb_result_list *before, hb_result_list *out, int *failed)
{
    hb_sync *sync = hb_sync_new(plan, solo, n);
    worker *w = calloc((size_t)n, sizeof *w);
    if (!w || !sync) {
        free(w);
        hb_sync_free(sync);
        fprintf(stderr, "hbmbench run: out of memory\n");
        return HB_EFAIL;
    }
    checkpoints cp = {.plan = plan};
    cp.kept.v = plan->after_result ? malloc((before->n ? before->n : 1) * sizeof *cp.kept.v) : NULL;
    if (cp.kept.v && before->n) { /* out of memory: no checkpoints (the final file is written as ever) */
        memcpy(cp.kept.v, before->v, before->n * sizeof *cp.kept.v);
        cp.kept.n = cp.kept.cap = before->n;
    }
    pthread_mutex_init(&cp.lock, NULL);
    int started = 0;
    for (int k = 0; k < n; k++) {
        w[k] = (worker){.plan = *plan, .s = s, .dev = &u[k]->bound, .sync = sync, .self = k};
        w[k].plan.measure.sync = sync;
        w[k].plan.measure.sync_self = k;
        w[k].plan.measure.progress = NULL; /* the count goes on; the steps of several devices would mix */
        w[k].plan.after_result = plan->after_result && cp.kept.v ? finished : NULL;
        w[k].plan.result_arg = &cp;
    }
    for (; started < n; started++)
        if (pthread_create(&w[started].tid, NULL, worker_main, &w[started]))
            break;
    for (int i = started; i < n; i++) /* never started: the others must not wait for them */
        hb_sync_leave(sync, i);
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
    hb_sync_free(sync);
    pthread_mutex_destroy(&cp.lock);
    free(cp.done);
    free(cp.kept.v);
    free(w);
    return rc;
}

/* After a stop signal: a step whose partners did not all finish was
 * measured beside a device that was abandoned, so its figures and its
 * scaling are not those of the step; its results are dropped, as an
 * abandoned measurement is, and the file's results and summary agree. */
static void drop_partial_steps(hb_result_list *together)
{
    size_t kept = 0;
    for (size_t i = 0; i < together->n; i++) {
        if (!step_whole(together->v, together->n, &together->v[i]))
            hb_result_free(&together->v[i]);
        else
            together->v[kept++] = together->v[i];
    }
    together->n = kept;
}

/* One model's units: alone (or from --solo), then together. */
static int run_group(const hb_run_plan *plan, const hb_session *s, const hb_plan_unit *const *g, int n,
                     hb_result_list *out, int *failed)
{
    if (n < 2)
        hb_run_say(plan, "hbmbench run: --concurrent with one device: %s", plan->solo ? "its solo figures are "
                   "from --solo, and it is measured alone again" : "it is measured alone, then alone again");
    size_t from = out->n;
    int rc = solo_reference(plan, s, g, n, out, failed);
    if (!rc && !hb_signal_stop()) { /* stopped in the solo phase: no concurrent phase to announce */
        /* the solo results are read, never moved, while the threads run */
        hb_result_list solo = plan->solo ? plan->solo->results : (hb_result_list){out->v + from, out->n - from, 0};
        hb_run_say(plan, "hbmbench run: --concurrent: %d devices at once through the %s model%s", n,
                   g[0]->bound.model->name, plan->solo ? "" : " (after each alone)");
        hb_result_list together = {0};
        rc = run_together(plan, s, g, n, &solo, out, &together, failed);
        if (hb_signal_stop())
            drop_partial_steps(&together);
        if (move_results(&together, out) && !rc)
            rc = HB_EFAIL;
    }
    return rc;
}

int hb_run_concurrent(const hb_run_plan *plan, const hb_session *s, const hb_plan_unit *u, int n,
                      hb_result_list *out, int *failed)
{
    /* The units of one model run together: a GPU that OpenCL and CUDA both
     * reach is in the OpenCL group and in the CUDA group, never twice at
     * once. Groups in the order their model first appears. */
    const hb_plan_unit **g = calloc(n > 0 ? (size_t)n : 1, sizeof *g);
    if (!g) {
        fprintf(stderr, "hbmbench run: out of memory\n");
        return HB_EFAIL;
    }
    int rc = HB_OK;
    for (int i = 0; i < n && !rc && !hb_signal_stop(); i++) {
        int first = 1, k = 0;
        for (int j = 0; j < i; j++)
            first &= u[j].bound.model != u[i].bound.model;
        if (!first)
            continue;
        for (int j = i; j < n; j++)
            if (u[j].bound.model == u[i].bound.model)
                g[k++] = &u[j];
        rc = run_group(plan, s, g, k, out, failed);
    }
    free(g);
    return rc;
}
