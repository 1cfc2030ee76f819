/* SPDX-License-Identifier: Apache-2.0 */
/* run_devices: the loop over devices, dtypes, benches and problems. */
#include "run_devices.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "activity.h"
#include "fault.h"
#include "hb_signal.h"
#include "nvml_state.h"
#include "progress.h"
#include "sizing.h"
#include "text.h"

#define MAX_PROBLEMS 64

__attribute__((format(printf, 2, 0))) static void say(const hb_run_plan *p, const char *fmt, va_list ap)
{
    hb_progress_clear(p->progress);
    hb_stderr_lock(); /* not while another thread's build captures fd 2 (activity.h) */
    hb_text_vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    hb_stderr_unlock();
}

void hb_run_say(const hb_run_plan *p, const char *fmt, ...)
{
    if (p->quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    say(p, fmt, ap);
    va_end(ap);
}

void hb_run_warn(const hb_run_plan *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say(p, fmt, ap);
    va_end(ap);
}

/* The sizing line ("auto: 128.0 MiB per array ...") is said once per
 * device, not once per dtype: the dtypes of auto or of a byte size share
 * it; an element count, whose bytes differ per dtype, says each. */
#define SIZED_LEN 256

/* Stream problems: one array size (--size), or with --sweep geometric
 * steps (x2) from 4 KiB per array up to that size, so the caches show.
 * How the size was chosen is said when it differs from the line last said
 * (sized, SIZED_LEN bytes, then updated); sized NULL: nothing is said. */
static int stream_problems(const hb_run_plan *p, const hb_session *s, const hb_device *dev, size_t eb, char *sized,
                           hb_problem *out, int max, hb_err *err)
{
    uint64_t n;
    char why[SIZED_LEN];
    if (hb_plan_elements(dev, &s->host, &p->size, eb, &n, why, sizeof why, err))
        return -1;
    if (sized && strcmp(sized, why)) {
        hb_run_say(p, "hbmbench run: [%s] %s", dev->name, why);
        snprintf(sized, SIZED_LEN, "%s", why);
    }
    int count = 0;
    if (p->sweep)
        for (uint64_t e = 4096 / eb; e < n && count < max - 1; e *= 2)
            out[count++] = (hb_problem){.elements = e};
    out[count++] = (hb_problem){.elements = n};
    for (int i = 0; i < count; i++)
        hb_format_bytes(out[i].elements * eb, out[i].label, sizeof out[i].label);
    return count;
}

static int impl_wanted(const hb_run_plan *p, const hb_kernels *k)
{
    for (int i = 0; i < p->n_impls; i++)
        if (!strcmp(p->impls[i], k->implementation))
            return 1;
    return p->n_impls == 0;
}

/* Whether k runs bench in dtype t and was asked for (--impl); an untyped
 * bench's kernels have no dtype either. */
static int kernels_run(const hb_run_plan *p, const hb_kernels *k, const hb_bench *bench, hb_dtype t)
{
    return !strcmp(k->family, bench->family->name) && (!bench->dtypes || (k->dtypes & HB_DTYPE_BIT(t))) &&
           impl_wanted(p, k);
}

/* Whether a selected bench has dtypes at all: the transfer benches move
 * bytes and define one placeholder dtype, so a dtype they lack is no news. */
static int any_typed(const hb_run_plan *p)
{
    for (int b = 0; b < p->n_benches; b++)
        if (__builtin_popcount(p->benches[b]->dtypes) > 1)
            return 1;
    return 0;
}

/* Whether the device has what dtype needs (an OpenCL extension). */
static int device_has(const hb_device *dev, hb_dtype t)
{
    return !((t == HB_F64 && !dev->fp64) || (t == HB_F16 && !dev->fp16));
}

/* Whether bench runs in the pass of dtype t on dev: a typed bench in each
 * of its dtypes; an untyped one (a pointer chase) once, in the first pass
 * the device runs at all, whatever --dtype lists. */
static int bench_runs_in(const hb_run_plan *p, const hb_bench *bench, const hb_device *dev, hb_dtype t)
{
    if (bench->dtypes)
        return hb_bench_has_dtype(bench, t);
    for (int d = 0; d < p->n_dtypes; d++)
        if (device_has(dev, p->dtypes[d]))
            return p->dtypes[d] == t;
    return 0;
}

/* The problems of ctx's bench on ctx's device and dtype (its stream sizing
 * and the bench's own list); how many, or -1 with err set. Needs no opened
 * device, so hb_run_check() finds the same errors before anything runs. */
static int problems_of(const hb_run_plan *p, const hb_session *s, hb_bench_ctx *ctx, char *sized, hb_problem *probs,
                       hb_err *err)
{
    const hb_bench *bench = ctx->bench;
    int np = 0;
    if (!bench->problems || bench->uses_stream_size) {
        np = stream_problems(p, s, ctx->dev, ctx->elem_bytes, sized, probs, MAX_PROBLEMS, err);
        ctx->elements = np > 0 ? probs[np - 1].elements : 0; /* the main size, not the sweep */
    }
    if (np >= 0 && bench->problems)
        np = bench->problems(ctx, probs, MAX_PROBLEMS, err);
    return np;
}

/* One line per finished measurement, so a long run shows where it is. An
 * invalid one is an error the exit status reports, so its line and its
 * reason are printed under --quiet too. */
static void say_measured(const hb_run_plan *p, const hb_result *r, const hb_problem *prob)
{
    char impl[40] = "";
    if (strcmp(r->implementation, "hbmbench"))
        snprintf(impl, sizeof impl, " (%s)", r->implementation);
    const char *sep = r->dtype[0] ? " " : "";
    if (!r->valid)
        hb_run_warn(p, "hbmbench run: measured [%d] %s%s%s %s%s: INVALID: %s", r->device_index, r->bench, sep,
                    r->dtype, prob->label, impl, r->notes[0] ? r->notes : "no reason recorded");
    else
        hb_run_say(p, "hbmbench run: measured [%d] %s%s%s %s%s: %.4g %s best", r->device_index, r->bench, sep,
                   r->dtype, prob->label, impl, r->figure.best, r->figure.unit);
}

/* STREAM's rule (arrays of at least 4x the caches, which auto sizing obeys
 * as 4 x the largest cache: sizing.c): an array below it may be served by
 * a cache, whatever chose its size (--size, a sweep point, auto capped by
 * memory), and its figure is then a cache's bandwidth, not memory's. Said
 * in the result's notes (the table prints them; check reads them). */
static void note_cache_resident(const hb_session *s, const hb_bench_ctx *ctx, hb_result *r)
{
    uint64_t cache = hb_largest_cache(ctx->dev, &s->host);
    uint64_t per_array = r->elements * hb_dtype_bytes(ctx->dtype);
    if (strcmp(r->percent_basis, "bandwidth") || !cache || per_array >= 4 * cache)
        return;
    char a[32], c[32];
    hb_format_bytes(per_array, a, sizeof a);
    hb_format_bytes(cache, c, sizeof c);
    hb_result_note(r, "cache-resident: %s per array is below 4 x the device's largest cache (%s): the figure may "
                      "be a cache's bandwidth, not memory's", a, c);
}

/* A failed measurement (a runtime call failed: out of memory, a build
 * error) is recorded and the device goes on with the next one; this many
 * failures in a row mean the device itself is unusable (lost, hung, its
 * compiler broken), and its run ends. */
#define MAX_FAILURES_IN_A_ROW 2

/* What one device's run carries from one measurement to the next. */
typedef struct dev_run {
    char sized[SIZED_LEN];     /* the sizing line last said for this device */
    int announce;              /* say how stream arrays are sized (the first repetition) */
    int accounted;             /* measurements run or skipped, of those planned (progress) */
    int failures_in_a_row;
    int gave_up;               /* MAX_FAILURES_IN_A_ROW reached */
    hb_gpu_probe *probe;       /* NVML on the device (nvml_state.h), NULL: none */
} dev_run;

/* Records a failed measurement in r (invalid, with the error) and decides
 * whether the device goes on. */
static void measurement_failed(const hb_run_plan *p, const hb_bench_ctx *ctx, hb_result *r, const hb_err *err,
                               dev_run *dr)
{
    hb_progress_clear(p->progress);
    hb_stderr_lock();
    hb_text_fprintf(stderr, "hbmbench run: %s: %s\n", ctx->dev->name, err->msg);
    hb_stderr_unlock();
    if (r) {
        r->valid = 0;
        hb_result_note(r, "device failure: %s", err->msg);
    }
    if (++dr->failures_in_a_row >= MAX_FAILURES_IN_A_ROW) {
        dr->gave_up = 1;
        hb_stderr_lock();
        hb_text_fprintf(stderr, "hbmbench run: %s: %d measurements in a row failed; the rest of this device's run "
                        "is skipped\n", ctx->dev->name, dr->failures_in_a_row);
        hb_stderr_unlock();
    }
}

/* Measures every problem of one bench with one set of kernels. A failed
 * measurement is recorded invalid with the error (measurement_failed). A
 * problem list that cannot be made (hb_run_check() should have refused
 * the run before) is reported, and the run goes on without that bench. A
 * signal (hb_signal.h) abandons the measurement in progress: its result is
 * dropped, the finished ones are kept. */
static void run_bench(const hb_run_plan *p, const hb_session *s, hb_bench_ctx *ctx, dev_run *dr,
                      hb_result_list *out, int *failed)
{
    hb_err err = {0};
    hb_problem probs[MAX_PROBLEMS];
    const hb_bench *bench = ctx->bench;
    int np = problems_of(p, s, ctx, dr->announce ? dr->sized : NULL, probs, &err);
    if (np < 0) {
        hb_progress_clear(p->progress);
        hb_text_fprintf(stderr, "hbmbench run: %s\n", err.msg);
        *failed = 1;
        return;
    }
    /* Sweep points below the main size use the default configuration:
     * tuning every point would multiply the run time by the grid size. */
    hb_measure_opts mo = p->measure;
    mo.probe = dr->probe;
    for (int i = 0; i < np && !dr->gave_up && !hb_signal_stop(); i++) {
        mo.tune = i < np - 1 && !bench->problems ? 0 : p->measure.tune;
        mo.problem_index = i;
        hb_result *r = hb_result_list_push(out);
        char what[160];
        snprintf(what, sizeof what, "%s%s%s %s%s%s", bench->name, bench->dtypes ? " " : "",
                 bench->dtypes ? hb_dtype_name(ctx->dtype) : "", probs[i].label,
                 strcmp(ctx->kernels->implementation, "hbmbench") ? " with " : "",
                 strcmp(ctx->kernels->implementation, "hbmbench") ? ctx->kernels->implementation : "");
        hb_progress_begin(p->progress, what);
        if (!mo.progress) /* --concurrent's device threads: no steps, one line each */
            hb_progress_step(p->progress, 1, "measuring %s on %s, with the other devices", what, ctx->dev->name);
        int rc = r ? hb_measure(ctx, &probs[i], &mo, r, &err) : hb_fail(&err, HB_EFAIL, "out of memory");
        hb_progress_end(p->progress);
        dr->accounted++;
        if (r)
            r->repetition = p->repetition;
        /* Abandoned: only finished measurements are kept. A failure after
         * a stop signal counts as abandoned too: the signal may be its
         * cause (LLVM, inside OpenCL compilers, removes its temporary
         * files on SIGINT/SIGTERM/SIGHUP, which fails the build in progress). */
        if (rc == HB_STOPPED || (rc && hb_signal_stop())) {
            hb_result_list_pop(out);
            return;
        }
        if (rc) {
            *failed = 1;
            measurement_failed(p, ctx, r, &err, dr);
        } else {
            dr->failures_in_a_row = 0;
            note_cache_resident(s, ctx, r);
            if (!r->valid || r->tuning_failures)
                *failed = 1;
            say_measured(p, r, &probs[i]);
        }
        if (p->after_result)
            p->after_result(out, p->result_arg);
    }
}

/* Every bench asked for in one dtype, with each of the model's kernels of
 * its family (ours, then library rows). */
static void run_dtype(const hb_run_plan *p, const hb_session *s, hb_bench_ctx *ctx, dev_run *dr,
                      hb_result_list *out, int *failed)
{
    int ran = 0;
    ctx->elem_bytes = hb_dtype_bytes(ctx->dtype);
    for (int b = 0; b < p->n_benches && !dr->gave_up && !hb_signal_stop(); b++) {
        const hb_bench *bench = p->benches[b];
        if (!bench_runs_in(p, bench, ctx->dev, ctx->dtype))
            continue;
        for (const hb_kernels *const *k = ctx->model->kernels; *k && !dr->gave_up && !hb_signal_stop(); k++) {
            if (!kernels_run(p, *k, bench, ctx->dtype))
                continue;
            ctx->bench = bench;
            ctx->kernels = *k;
            char why[256];
            if ((*k)->available && !(*k)->available(ctx, why, sizeof why)) {
                hb_run_say(p, "hbmbench run: %s: %s %s %s not run: %s", ctx->dev->name, bench->name,
                    hb_dtype_name(ctx->dtype), (*k)->implementation, why);
                hb_problem probs[MAX_PROBLEMS];
                hb_err ignored = {0};
                int np = problems_of(p, s, ctx, NULL, probs, &ignored);
                hb_progress_skip(p->progress, np > 0 ? np : 0);
                dr->accounted += np > 0 ? np : 0;
                continue;
            }
            run_bench(p, s, ctx, dr, out, failed);
            ran = 1;
        }
    }
    /* a dtype that no selected bench has (transfers have none) is no news */
    if (!ran && !hb_signal_stop() && any_typed(p))
        hb_run_say(p, "hbmbench run: %s: no selected bench runs in %s on the %s model (see --bench)", ctx->dev->name,
            hb_dtype_name(ctx->dtype), ctx->model->name);
}

/* HB_FAULT=alloc:N (fault.h): benches allocate through ctx->model->alloc,
 * so the driver hands them a copy of the device's model whose alloc counts
 * every call and fails the Nth, for every bench and every model, in this
 * one place. The real alloc it calls is kept here while a device runs:
 * the only state outside the run's structs, set only when HB_FAULT asks. */
static int (*real_alloc)(hb_model_env *env, size_t bytes, hb_buf *out, hb_err *err);

static int counted_alloc(hb_model_env *env, size_t bytes, hb_buf *out, hb_err *err)
{
    if (hb_fault_hit(HB_FAULT_ALLOC))
        return hb_fail(err, HB_EFAIL, "allocation of a %zu-byte buffer failed (injected by HB_FAULT=%s)", bytes,
                       hb_fault_name(HB_FAULT_ALLOC));
    return real_alloc(env, bytes, out, err);
}

static void run_device(const hb_run_plan *p, const hb_session *s, const hb_device *dev, int announce,
                       hb_result_list *out, int *failed)
{
    hb_err err = {0};
    hb_model counted;
    hb_bench_ctx ctx = {.model = dev->model, .dev = dev, .opts = &p->bench_opts, .place = &s->place};
    if (hb_fault_armed(HB_FAULT_ALLOC)) {
        counted = *dev->model;
        counted.alloc = counted_alloc;
        real_alloc = dev->model->alloc;
        ctx.model = &counted;
    }
    int planned = p->progress ? hb_run_planned(p, s, dev) : 0;
    if (dev->model->open(dev, &p->model_opts, &ctx.env, &err)) {
        hb_progress_clear(p->progress);
        hb_text_fprintf(stderr, "hbmbench run: %s: %s\n", dev->name, err.msg);
        dev->model->close(ctx.env);
        hb_progress_skip(p->progress, planned);
        *failed = 1;
        return;
    }
    dev_run dr = {.announce = announce, .probe = hb_gpu_probe_open(dev)};
    for (int d = 0; d < p->n_dtypes && !dr.gave_up && !hb_signal_stop(); d++) {
        ctx.dtype = p->dtypes[d];
        if (!device_has(dev, ctx.dtype)) {
            if (!any_typed(p))
                continue;
            hb_run_say(p, "hbmbench run: %s has no %s (%s); %s skipped", dev->name, hb_dtype_name(ctx.dtype),
                hb_dtype_get(ctx.dtype)->needs, hb_dtype_name(ctx.dtype));
            continue;
        }
        run_dtype(p, s, &ctx, &dr, out, failed);
    }
    hb_gpu_probe_close(dr.probe);
    dev->model->close(ctx.env);
    /* given up, stopped, or a problem list that could not be made */
    hb_progress_skip(p->progress, planned - dr.accounted);
}

int hb_run_device(const hb_run_plan *p, const hb_session *s, const hb_device *dev, int announce, hb_result_list *out,
                  int *failed)
{
    run_device(p, s, dev, announce, out, failed);
    return HB_OK;
}

/* The measurements the plan makes on dev: every dtype x bench x kernels
 * entry that runs, each with its problems. With err, a problem list that
 * fails (a bad option) stops the count with -1; without, it counts 0. */
static int planned_on(const hb_run_plan *plan, const hb_session *s, const hb_device *dev, hb_err *err)
{
    hb_problem probs[MAX_PROBLEMS];
    int total = 0;
    for (int d = 0; d < plan->n_dtypes; d++) {
        hb_bench_ctx ctx = {.model = dev->model, .dev = dev, .opts = &plan->bench_opts, .dtype = plan->dtypes[d],
                            .place = &s->place};
        ctx.elem_bytes = hb_dtype_bytes(ctx.dtype);
        if (!device_has(dev, ctx.dtype))
            continue;
        for (int b = 0; b < plan->n_benches; b++) {
            ctx.bench = plan->benches[b];
            if (!bench_runs_in(plan, ctx.bench, dev, ctx.dtype))
                continue;
            for (const hb_kernels *const *k = dev->model->kernels; *k; k++) {
                if (!kernels_run(plan, *k, ctx.bench, ctx.dtype))
                    continue;
                ctx.kernels = *k;
                hb_err ignored = {0};
                int np = problems_of(plan, s, &ctx, NULL, probs, err ? err : &ignored);
                if (np < 0 && err)
                    return -1;
                total += np > 0 ? np : 0;
            }
        }
    }
    return total;
}

int hb_run_planned(const hb_run_plan *plan, const hb_session *s, const hb_device *dev)
{
    return planned_on(plan, s, dev, NULL);
}

int hb_run_check(const hb_run_plan *plan, const hb_session *s, const int *chosen, hb_err *err)
{
    int total = 0, n = 0, rc = HB_OK;
    hb_plan_unit *u = hb_plan_units(plan, s, chosen, &n);
    if (n < 0)
        return hb_fail(err, HB_EFAIL, "out of memory");
    for (int i = 0; i < n && !rc; i++) {
        int k = planned_on(plan, s, &u[i].bound, err);
        if (k < 0)
            rc = HB_EUSAGE;
        total += k > 0 ? k : 0;
    }
    free(u);
    if (!rc && total == 0)
        return hb_fail(err, HB_EUSAGE, "nothing to measure: no selected bench runs in the selected dtypes and "
                       "implementations on the selected devices and models (see --bench, --dtype, --impl, --device, "
                       "--model)");
    return rc;
}

int hb_plan_wants(const hb_run_plan *plan, const hb_device *dev, int b)
{
    if (b < 0 || b >= dev->n_bindings)
        return 0;
    for (int i = 0; i < plan->n_models; i++)
        if (!strcmp(plan->models[i], dev->bindings[b].model->name))
            return 1;
    return plan->n_models == 0;
}

hb_plan_unit *hb_plan_units(const hb_run_plan *plan, const hb_session *s, const int *chosen, int *n)
{
    hb_plan_unit *u = NULL;
    *n = 0;
    for (size_t i = 0; i < s->list.n; i++)
        for (int b = 0; chosen[i] && b < s->list.v[i].n_bindings; b++) {
            if (!hb_plan_wants(plan, &s->list.v[i], b))
                continue;
            hb_plan_unit *grown = realloc(u, (size_t)(*n + 1) * sizeof *u);
            if (!grown) {
                free(u);
                *n = -1;
                return NULL;
            }
            u = grown;
            u[*n].device = i;
            u[*n].bound = hb_device_bound(&s->list.v[i], b);
            (*n)++;
        }
    return u;
}
