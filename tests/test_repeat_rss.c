/* SPDX-License-Identifier: Apache-2.0 */
/* A long run does not grow: `run --repeat N` on the PoCL CPU device, through
 * the driver's own repetition loop (hb_run_devices with plan.repeat), the
 * seven stream kernels tuned (quick grid) on 4 MiB arrays each time. After
 * each repetition the driver calls back here; the process's resident memory
 * (VmRSS, /proc/self/status) is read, and so is what the results kept so
 * far hold (they are the run's output, so they grow by design: about 90 kB
 * per repetition here, mostly tuning grids).
 *
 * What it shows: every repetition verifies and is marked with its number,
 * and from the second repetition to the last the resident memory grows by
 * less than 1 MiB beyond what the results hold. One leaked stream array per
 * measurement would add 28 MiB per repetition; one leaked 64 KiB buffer per
 * measurement (a partial-sum buffer, say) about 2.6 MiB over the run. Smaller
 * leaks are valgrind's to find (tests/cli_faults.sh).
 *
 * glibc's malloc raises its mmap threshold when a large block is freed, and
 * then keeps freed 4 MiB blocks in the heap for reuse: the resident size
 * wanders by tens of MiB from one repetition to the next (measured here:
 * 100 to 154 MiB) whether or not anything leaks. The test fixes the
 * threshold (mallopt) so that a freed buffer leaves resident memory at once
 * and only what is kept stays. */
#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "run_devices.h"
#include "whole_run.h"

#define REPS 8
#define ARRAY_BYTES (4u << 20)
#define GROWTH_LIMIT_KB 1024

static long vm_rss_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "VmRSS:", 6))
            kb = atol(line + 6);
    if (f)
        fclose(f);
    return kb;
}

typedef struct watch {
    long rss_kb[REPS + 1];
    long held_kb[REPS + 1];    /* what the results kept so far hold */
} watch;

/* The heap the result list holds: its array and each result's samples and grid. */
static long results_kb(const hb_result_list *l)
{
    size_t bytes = l->cap * sizeof *l->v;
    for (size_t i = 0; i < l->n; i++)
        bytes += l->v[i].n_samples * sizeof(double) + l->v[i].n_grid * sizeof(hb_grid_point);
    return (long)(bytes / 1024);
}

static void after_repetition(int rep, const hb_result_list *results, void *arg)
{
    watch *w = arg;
    if (rep >= 1 && rep <= REPS) {
        w->rss_kb[rep] = vm_rss_kb();
        w->held_kb[rep] = results_kb(results);
        printf("repetition %d: %zu results holding %ld kB, VmRSS %ld kB\n", rep, results->n, w->held_kb[rep],
               w->rss_kb[rep]);
    }
}

/* The first OpenCL CPU device, chosen; -1 when there is none. */
static int choose_cpu(const hb_session *s, int *chosen)
{
    for (size_t i = 0; i < s->list.n; i++)
        if (s->list.v[i].kind == HB_KIND_CPU) {
            chosen[i] = 1;
            return (int)i;
        }
    return -1;
}

int main(void)
{
    mallopt(M_MMAP_THRESHOLD, 256 * 1024);
    mallopt(M_TRIM_THRESHOLD, 256 * 1024);
    hb_session s;
    hb_err err = {0};
    hb_peak_opts peaks = {NAN, NAN, NAN, NULL};
    if (hb_session_open(&s, &peaks, &err)) {
        printf("SKIP: no devices (%s)\n", err.msg);
        return 77;
    }
    int *chosen = calloc(s.list.n, sizeof *chosen);
    if (!chosen || choose_cpu(&s, chosen) < 0) {
        printf("SKIP: no OpenCL CPU device\n");
        free(chosen);
        hb_session_close(&s);
        return 77;
    }
    watch w;
    memset(&w, 0, sizeof w);
    hb_run_plan plan;
    memset(&plan, 0, sizeof plan);
    for (const hb_bench *const *b = hb_benches; *b; b++)
        if ((*b)->family->in_default_set)
            plan.benches[plan.n_benches++] = *b;
    plan.dtypes[0] = HB_F32;
    plan.n_dtypes = 1;
    plan.size = (hb_size){.is_bytes = 1, .value = ARRAY_BYTES};
    plan.measure = (hb_measure_opts){.iters = 5, .warmup = 1, .tune_iters = 2, .tune = 1};
    plan.quiet = 1;
    plan.repeat = REPS;
    plan.after_repetition = after_repetition;
    plan.after_arg = &w;

    hb_result_list results = {0};
    int failed = 0;
    CHECK(hb_run_check(&plan, &s, chosen, &err) == HB_OK, "the plan is valid (%s)", err.msg);
    hb_run_devices(&plan, &s, chosen, &results, &failed);

    size_t per_rep = (size_t)plan.n_benches;
    CHECK(results.n == REPS * per_rep, "%d repetitions of %zu results: %zu", REPS, per_rep, results.n);
    int all_valid = !failed, marked = 1;
    for (size_t i = 0; i < results.n; i++) {
        all_valid &= results.v[i].valid;
        marked &= results.v[i].repetition == (int)(i / per_rep) + 1;
    }
    CHECK(all_valid, "every repetition verifies");
    CHECK(marked, "each result carries its repetition, 1 to %d, in order", REPS);
    long growth = w.rss_kb[REPS] - w.rss_kb[2], kept = w.held_kb[REPS] - w.held_kb[2];
    CHECK(w.rss_kb[2] > 0 && growth - kept < GROWTH_LIMIT_KB,
          "resident memory from repetition 2 to %d grows %+ld kB, of which the results hold %+ld kB: "
          "%+ld kB beyond them (limit %d kB)", REPS, growth, kept, growth - kept, GROWTH_LIMIT_KB);

    hb_result_list_free(&results);
    free(chosen);
    hb_session_close(&s);
    return hb_check_failures() != 0;
}
