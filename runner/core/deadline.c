/* SPDX-License-Identifier: Apache-2.0 */
/* deadline: calls that may never return, waited for until a point in time (deadline.h). */
#include "deadline.h"
#include "env.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

struct hb_deadline_job {
    pthread_mutex_t lock;
    pthread_cond_t finished;   /* on the monotonic clock */
    int done, released;        /* under lock: whoever sets the second frees the job */
    void (*fn)(void *);
    void *arg;
    void (*free_arg)(void *);
};

int hb_discovery_timeout(double *seconds, hb_err *err)
{
    if (hb_env_check("HB_DISCOVERY_TIMEOUT", err))
        return HB_EUSAGE;
    *seconds = hb_env_seconds("HB_DISCOVERY_TIMEOUT", HB_DISCOVERY_TIMEOUT_DEFAULT);
    return HB_OK;
}

hb_deadline hb_deadline_in(double seconds)
{
    hb_deadline d = {.none = !(seconds > 0)};
    if (d.none)
        return d;
    clock_gettime(CLOCK_MONOTONIC, &d.at);
    double whole = floor(seconds);
    d.at.tv_sec += (time_t)whole;
    d.at.tv_nsec += (long)((seconds - whole) * 1e9);
    if (d.at.tv_nsec >= 1000000000L) {
        d.at.tv_sec++;
        d.at.tv_nsec -= 1000000000L;
    }
    return d;
}

static void job_free(hb_deadline_job *j)
{
    if (j->free_arg)
        j->free_arg(j->arg);
    pthread_cond_destroy(&j->finished);
    pthread_mutex_destroy(&j->lock);
    free(j);
}

static void *job_main(void *p)
{
    hb_deadline_job *j = p;
    j->fn(j->arg);
    pthread_mutex_lock(&j->lock);
    j->done = 1;
    int last = j->released;
    pthread_cond_signal(&j->finished);
    pthread_mutex_unlock(&j->lock);
    if (last) /* the caller gave up on it: nobody else will touch it */
        job_free(j);
    return NULL;
}

/* The mutex and a condition variable timed on the monotonic clock, so that
 * a change of the wall clock neither shortens nor stretches the wait. */
static int job_init(hb_deadline_job *j)
{
    pthread_condattr_t ca;
    if (pthread_mutex_init(&j->lock, NULL))
        return -1;
    if (pthread_condattr_init(&ca)) {
        pthread_mutex_destroy(&j->lock);
        return -1;
    }
    int rc = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) || pthread_cond_init(&j->finished, &ca);
    pthread_condattr_destroy(&ca);
    if (rc)
        pthread_mutex_destroy(&j->lock);
    return rc ? -1 : 0;
}

hb_deadline_job *hb_deadline_start(void (*fn)(void *), void *arg, void (*free_arg)(void *), hb_err *err)
{
    hb_deadline_job *j = calloc(1, sizeof *j);
    if (!j || job_init(j)) {
        free(j);
        if (free_arg)
            free_arg(arg);
        hb_fail(err, HB_EFAIL, "out of memory starting a discovery thread");
        return NULL;
    }
    j->fn = fn, j->arg = arg, j->free_arg = free_arg;
    pthread_attr_t attr;
    pthread_t t;
    int rc = pthread_attr_init(&attr);
    if (!rc) {
        rc = pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        if (!rc)
            rc = pthread_create(&t, &attr, job_main, j);
        pthread_attr_destroy(&attr);
    }
    if (rc) {
        job_free(j);
        hb_fail(err, HB_EFAIL, "pthread_create: %s", strerror(rc));
        return NULL;
    }
    return j;
}

int hb_deadline_wait(hb_deadline_job *j, const hb_deadline *until)
{
    pthread_mutex_lock(&j->lock);
    int rc = 0;
    while (!j->done && rc != ETIMEDOUT)
        rc = until->none ? pthread_cond_wait(&j->finished, &j->lock)
                         : pthread_cond_timedwait(&j->finished, &j->lock, &until->at);
    int done = j->done;
    pthread_mutex_unlock(&j->lock);
    return done;
}

void hb_deadline_release(hb_deadline_job *j)
{
    if (!j)
        return;
    pthread_mutex_lock(&j->lock);
    j->released = 1;
    int last = j->done;
    pthread_mutex_unlock(&j->lock);
    if (last)
        job_free(j);
}

void hb_deadline_warn(const char *model, const char *what, double seconds)
{
    hb_text_fprintf(stderr, "hbmbench: %s: %s did not answer within %g s; skipped (HB_DISCOVERY_TIMEOUT)\n", model,
                    what, seconds);
}
