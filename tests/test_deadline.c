/* SPDX-License-Identifier: Apache-2.0 */
/* test_deadline: runner/core/deadline.c: a job that answers in time is
 * read; one that does not is abandoned at the deadline, keeps running
 * with what it owns, and frees it itself when it ends; the limit's
 * parsing (HB_DISCOVERY_TIMEOUT). */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "deadline.h"
#include "check.h"


static atomic_int freed;

typedef struct job {
    unsigned sleep_ms;
    int answer;
} job;

static void run(void *p)
{
    job *j = p;
    usleep(j->sleep_ms * 1000);
    j->answer = 42;
}

static void drop(void *p)
{
    free(p);
    atomic_fetch_add(&freed, 1);
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void in_time(void)
{
    hb_err err = {0};
    job *j = calloc(1, sizeof *j);
    j->sleep_ms = 10;
    hb_deadline until = hb_deadline_in(5);
    hb_deadline_job *dj = hb_deadline_start(run, j, drop, &err);
    CHECK(dj, "%s", err.msg);
    CHECK(hb_deadline_wait(dj, &until) == 1, "a 10 ms job within 5 s");
    CHECK(j->answer == 42, "its answer is readable");
    CHECK(atomic_load(&freed) == 0, "not freed before release");
    hb_deadline_release(dj);
    CHECK(atomic_load(&freed) == 1, "freed at release, the job being done");
}

static void too_late(void)
{
    hb_err err = {0};
    job *j = calloc(1, sizeof *j);
    j->sleep_ms = 600;
    double t0 = now();
    hb_deadline until = hb_deadline_in(0.1);
    hb_deadline_job *dj = hb_deadline_start(run, j, drop, &err);
    CHECK(hb_deadline_wait(dj, &until) == 0, "a 600 ms job is not done within 100 ms");
    double waited = now() - t0;
    CHECK(waited >= 0.09 && waited < 0.5, "waited %.3f s for a 0.1 s deadline", waited);
    hb_deadline_release(dj); /* the job still runs: it frees its arg itself */
    CHECK(atomic_load(&freed) == 1, "not freed while it runs");
    for (int i = 0; i < 300 && atomic_load(&freed) < 2; i++)
        usleep(10000);
    CHECK(atomic_load(&freed) == 2, "freed by the job once it ended");
}

static void no_limit(void)
{
    hb_err err = {0};
    job *j = calloc(1, sizeof *j);
    j->sleep_ms = 50;
    hb_deadline none = hb_deadline_in(0);
    CHECK(none.none, "0 s is no deadline");
    hb_deadline_job *dj = hb_deadline_start(run, j, drop, &err);
    CHECK(hb_deadline_wait(dj, &none) == 1 && j->answer == 42, "waited to the end");
    hb_deadline_release(dj);
}

static void limit_parsing(void)
{
    static const struct { const char *v; int ok; double s; } cases[] = {
        {NULL, 1, HB_DISCOVERY_TIMEOUT_DEFAULT}, {"", 1, HB_DISCOVERY_TIMEOUT_DEFAULT}, {"0", 1, 0}, {"2.5", 1, 2.5},
        {"86400", 1, 86400}, {"86401", 0, 0}, {"-1", 0, 0}, {"+5", 0, 0}, {" 5", 0, 0}, {"5s", 0, 0},
        {"inf", 0, 0}, {"nan", 0, 0}, {"1e999", 0, 0}, {"0x10", 0, 0}, {"1e3", 0, 0}, {".", 0, 0}, {"abc", 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        if (cases[i].v)
            setenv("HB_DISCOVERY_TIMEOUT", cases[i].v, 1);
        else
            unsetenv("HB_DISCOVERY_TIMEOUT");
        hb_err err = {0};
        double s = -1;
        int rc = hb_discovery_timeout(&s, &err);
        if (cases[i].ok)
            CHECK(rc == HB_OK && s == cases[i].s, "'%s': rc %d, %g s", cases[i].v ? cases[i].v : "(unset)", rc, s);
        else
            CHECK(rc == HB_EUSAGE && strstr(err.msg, "HB_DISCOVERY_TIMEOUT"), "'%s': rc %d, %s", cases[i].v, rc,
                  err.msg);
    }
}

int main(void)
{
    in_time();
    too_late();
    no_limit();
    limit_parsing();
    return hb_check_failures() != 0;
}
