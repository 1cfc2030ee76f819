/* SPDX-License-Identifier: Apache-2.0 */
/* openmetrics: a result file as OpenMetrics text (openmetrics.h).
 *
 * The rules of the OpenMetrics 1.0 specification kept here
 * (https://github.com/OpenObservability/OpenMetrics/blob/main/specification/OpenMetrics.md):
 *   - a family's samples are contiguous, after its # TYPE, # UNIT and # HELP;
 *   - a family with a unit ends its name with "_" and the unit, in base
 *     units (seconds, bytes; a ratio is "ratio", 0 to 1);
 *   - label values escape backslash, double quote and line feed
 *     ("\\", "\"", "\n"); no two samples of a family share a label set;
 *   - the text ends with "# EOF".
 * A label whose value is unknown (a plain run's rank, a device without a
 * UUID) is left out, which Prometheus reads as the empty value. Unknown
 * numbers (NAN) are left out, not written as NaN: a gauge at NaN would
 * chart as a gap anyway and tells an alert nothing. */
#include "openmetrics.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum om_kind { OM_FIGURE, OM_PEAK, OM_FRACTION, OM_CV, OM_VALID };

/* One family per result. A figure family holds the results whose figure
 * has figure_unit, scaled to the family's base unit. */
typedef struct om_family {
    const char *name, *unit, *help;
    const char *figure_unit;   /* OM_FIGURE, OM_PEAK: the figures it holds; NULL: every result */
    double scale;              /* figure unit -> base unit */
    enum om_kind kind;
} om_family;

static const om_family result_families[] = {
    {"hbmbench_bandwidth_bytes_per_second", "bytes_per_second",
     "Measured bandwidth (the figure GB/s x 1e9), from the fastest (stat best) or the median iteration",
     "GB/s", 1e9, OM_FIGURE},
    {"hbmbench_flops_per_second", "flops_per_second",
     "Measured floating-point rate (the figure GFLOP/s x 1e9), from the fastest (stat best) or the median iteration",
     "GFLOP/s", 1e9, OM_FIGURE},
    {"hbmbench_latency_seconds", "seconds",
     "Measured time per dependent load (the figure ns x 1e-9), from the fastest (stat best) or the median iteration",
     "ns", 1e-9, OM_FIGURE},
    {"hbmbench_peak_bytes_per_second", "bytes_per_second",
     "The theoretical bandwidth the result is held against, with where it came from (source)", "GB/s", 1e9, OM_PEAK},
    {"hbmbench_peak_flops_per_second", "flops_per_second",
     "The theoretical FLOP rate the result is held against, with where it came from (source)", "GFLOP/s", 1e9,
     OM_PEAK},
    {"hbmbench_fraction_of_peak_ratio", "ratio",
     "The best figure over its peak (the result file's percent_of_peak / 100)", NULL, 1, OM_FRACTION},
    {"hbmbench_cv_ratio", "ratio",
     "Coefficient of variation of the per-iteration times (stddev / mean)", NULL, 1, OM_CV},
    {"hbmbench_valid", NULL, "1 when the result verified (every element checked), else 0", NULL, 1, OM_VALID},
};
#define N_RESULT_FAMILIES (sizeof result_families / sizeof result_families[0])

/* A label value, escaped. */
static void esc(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '\\' || *s == '"')
            fputc('\\', f), fputc(*s, f);
        else if (*s == '\n')
            fputs("\\n", f);
        else
            fputc(*s, f);
    }
}

/* name="value" after a comma unless first; nothing when value is "". */
static void label(FILE *f, int *n, const char *name, const char *value)
{
    if (!value || !value[0])
        return;
    fprintf(f, "%s%s=\"", (*n)++ ? "," : "", name);
    esc(f, value);
    fputc('"', f);
}

static void label_int(FILE *f, int *n, const char *name, long v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%ld", v);
    label(f, n, name, buf);
}

/* The shortest of %.15g, %.16g, %.17g that reads back to v. */
static void number(FILE *f, double v)
{
    char buf[40];
    for (int p = 15; p <= 17; p++) {
        snprintf(buf, sizeof buf, "%.*g", p, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    fputs(buf, f);
}

static void family(FILE *f, const char *name, const char *unit, const char *help)
{
    fprintf(f, "# TYPE %s gauge\n", name);
    if (unit)
        fprintf(f, "# UNIT %s %s\n", name, unit);
    fprintf(f, "# HELP %s %s\n", name, help);
}

/* name{labels[,xname="xvalue"]} v; xvalue "" adds nothing. */
static void sample(FILE *f, const char *name, const char *labels, const char *xname, const char *xvalue, double v)
{
    int n = labels[0] != '\0';
    fprintf(f, "%s{%s", name, labels);
    label(f, &n, xname, xvalue);
    fputs("} ", f);
    number(f, v);
    fputc('\n', f);
}

/* The device record of r: same index and, in an MPI run, same node. */
static const hb_device *device_of(const hb_run *run, const hb_result *r)
{
    for (size_t i = 0; run->devices && i < run->n_devices; i++) {
        const hb_device *d = &run->devices[i];
        if (d->index == r->device_index && !strcmp(d->node, r->node))
            return d;
    }
    return NULL;
}

/* node, rank, device and uuid: the labels that say which board. */
static void where_labels(FILE *f, int *n, const hb_run *run, const char *node, int rank, int index,
                         const hb_device *d)
{
    label(f, n, "node", node[0] ? node : run->host.hostname);
    if (node[0])
        label_int(f, n, "rank", rank);
    label_int(f, n, "device", index);
    label(f, n, "uuid", d ? d->uuid : "");
}

/* The labels that tell r from every other result of the file. */
static char *result_labels(const hb_run *run, const hb_result *r)
{
    char *text = NULL, size[64];
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    int n = 0;
    if (!f)
        return NULL;
    where_labels(f, &n, run, r->node, r->rank, r->device_index, device_of(run, r));
    /* the problem's label ("1.00 MiB", "2048x2048x2048"); files before it: the array size */
    if (r->problem[0])
        snprintf(size, sizeof size, "%s", r->problem);
    else
        hb_result_size_label(r, size, sizeof size);
    label(f, &n, "model", r->model);
    label(f, &n, "bench", r->bench);
    label(f, &n, "dtype", r->dtype);
    label(f, &n, "implementation", r->implementation);
    label(f, &n, "size", size);
    if (r->repetition > 0)
        label_int(f, &n, "repetition", r->repetition);
    if (r->concurrent_devices > 0)
        label_int(f, &n, "concurrent_step", r->concurrent_step);
    return fclose(f) ? (free(text), NULL) : text;
}

typedef struct om_slot {
    const char *text;
    size_t i;
} om_slot;

static int cmp_slot(const void *x, const void *y)
{
    const om_slot *a = x, *b = y;
    int c = strcmp(a->text, b->text);
    return c ? c : (a->i > b->i) - (a->i < b->i);
}

/* Each result's labels; a label set that repeats in the file (a device
 * selected twice, a problem no other label tells apart) gets
 * occurrence="2", "3", ... on its repeats, in file order. */
static char **all_labels(const hb_run *run)
{
    size_t n = run->results.n;
    char **labels = calloc(n + 1, sizeof *labels);
    om_slot *s = calloc(n + 1, sizeof *s);
    int ok = labels && s;
    for (size_t i = 0; ok && i < n; i++) {
        labels[i] = result_labels(run, &run->results.v[i]);
        s[i] = (om_slot){labels[i], i};
        ok = labels[i] != NULL;
    }
    if (ok)
        qsort(s, n, sizeof *s, cmp_slot);
    /* s[k] is the (k - g + 1)th of its group, g the group's first slot */
    size_t *occ = ok ? calloc(n + 1, sizeof *occ) : NULL;
    ok = ok && occ;
    for (size_t k = 0, g = 0; ok && k < n; k++) {
        if (k > 0 && strcmp(s[k - 1].text, s[k].text))
            g = k;
        occ[s[k].i] = k - g + 1;
    }
    for (size_t i = 0; ok && i < n; i++) {
        char *more = NULL;
        if (occ[i] < 2)
            continue;
        ok = asprintf(&more, "%s,occurrence=\"%zu\"", labels[i], occ[i]) >= 0;
        if (ok)
            free(labels[i]), labels[i] = more;
    }
    free(occ);
    free(s);
    if (!ok && labels) {
        for (size_t i = 0; i < n; i++)
            free(labels[i]);
        free(labels);
        labels = NULL;
    }
    return labels;
}

/* The sample of fam for r (stat 0: best, 1: median); 0 when it has none. */
static int value_of(const om_family *fam, const hb_result *r, int stat, double *v)
{
    const hb_result_figure *g = &r->figure;
    int figure = fam->figure_unit && !strcmp(g->unit, fam->figure_unit);
    switch (fam->kind) {
    case OM_FIGURE: *v = figure ? (stat ? g->median : g->best) * fam->scale : NAN; break;
    case OM_PEAK: *v = figure && !stat ? g->peak * fam->scale : NAN; break;
    case OM_FRACTION: *v = !stat && !g->lower_is_better && g->peak > 0 ? g->best / g->peak : NAN; break;
    case OM_CV: *v = stat ? NAN : r->stats.cv; break;
    default: *v = stat ? NAN : r->valid != 0; break;
    }
    return isfinite(*v);
}

static void result_family(FILE *f, const hb_run *run, char **labels, const om_family *fam)
{
    int any = 0, n_stats = fam->kind == OM_FIGURE ? 2 : 1;
    double v;
    for (size_t i = 0; i < run->results.n && !any; i++)
        any = value_of(fam, &run->results.v[i], 0, &v);
    if (!any)
        return;
    family(f, fam->name, fam->unit, fam->help);
    for (size_t i = 0; i < run->results.n; i++) {
        const hb_result *r = &run->results.v[i];
        for (int s = 0; s < n_stats; s++) {
            if (!value_of(fam, r, s, &v))
                continue;
            if (fam->kind == OM_FIGURE)
                sample(f, fam->name, labels[i], "stat", s ? "median" : "best", v);
            else
                sample(f, fam->name, labels[i], "source", fam->kind == OM_PEAK ? r->figure.peak_source : "", v);
        }
    }
}

static void run_families(FILE *f, const hb_run *run)
{
    const hb_scheduler *s = &run->scheduler;
    struct tm tm = {0};
    int n = 0;
    family(f, "hbmbench_run_info", NULL, "1, labelled with the tool and the batch job of the run");
    fputs("hbmbench_run_info{", f);
    label(f, &n, "node", run->host.hostname);
    label(f, &n, "tool_version", run->tool_version);
    label(f, &n, "git_commit", run->git_commit);
    label(f, &n, "scheduler", s->name);
    label(f, &n, "job_id", s->job_id);
    label(f, &n, "job_name", s->job_name);
    label(f, &n, "step_id", s->step_id);
    label(f, &n, "array_job_id", s->array_job_id);
    label(f, &n, "array_task_id", s->array_task_id);
    fputs("} 1\n", f);
    const char *end = strptime(run->created, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (end && !*end) {
        family(f, "hbmbench_run_timestamp_seconds", "seconds", "When the run was recorded, seconds since the Unix epoch");
        sample(f, "hbmbench_run_timestamp_seconds", "", "node", run->host.hostname, (double)timegm(&tm));
    }
    family(f, "hbmbench_run_complete", NULL, "1 when every planned measurement ran, 0 when a signal stopped the run");
    sample(f, "hbmbench_run_complete", "", "node", run->host.hostname, !run->incomplete);
}

static void device_family(FILE *f, const hb_run *run)
{
    if (!run->devices || run->n_devices == 0)
        return;
    family(f, "hbmbench_device_info", NULL, "1, labelled with what identifies the device: name, UUID, serial, PCI bus id");
    for (size_t i = 0; i < run->n_devices; i++) {
        const hb_device *d = &run->devices[i];
        int n = 0;
        fputs("hbmbench_device_info{", f);
        where_labels(f, &n, run, d->node, d->rank, d->index, d);
        label(f, &n, "name", d->name);
        label(f, &n, "type", d->type);
        label(f, &n, "uuid_source", d->uuid_source);
        label(f, &n, "serial", d->serial);
        label(f, &n, "pci_bus_id", d->pci_bus_id);
        fputs("} 1\n", f);
    }
}

static void verdict_families(FILE *f, const hb_run *run, const hb_om_verdicts *vs)
{
    static const char *const outcomes[] = {"pass", "fail", "skip"};
    int n = 0, any = 0;
    for (size_t i = 0; i < vs->n && !any; i++)
        any = vs->v[i].dev != NULL;
    if (any) {
        family(f, "hbmbench_check_verdict", NULL,
               "1 for the outcome (state pass, fail or skip) of an acceptance rule on a device, 0 for the others");
        for (size_t i = 0; i < vs->n; i++) {
            const hb_om_verdict *v = &vs->v[i];
            if (!v->dev)
                continue;
            for (int o = 0; o < 3; o++) {
                n = 0;
                fputs("hbmbench_check_verdict{", f);
                where_labels(f, &n, run, v->dev->node, v->dev->rank, v->device_index, v->dev);
                label(f, &n, "rule", v->rule);
                label(f, &n, "state", outcomes[o]);
                fprintf(f, "} %d\n", !strcmp(v->outcome, outcomes[o]));
            }
        }
    }
    n = 0;
    family(f, "hbmbench_check_ok", NULL, "1 when no acceptance rule failed, else 0");
    fputs("hbmbench_check_ok{", f);
    label(f, &n, "node", run->host.hostname);
    label(f, &n, "rules", vs->rules);
    fprintf(f, "} %d\n", vs->ok != 0);
}

int hb_openmetrics_dumps(const hb_run *run, const hb_om_verdicts *verdicts, char **text, hb_err *err)
{
    size_t len = 0;
    char **labels = all_labels(run);
    FILE *f = labels ? open_memstream(text, &len) : NULL;
    *text = NULL;
    if (f) {
        run_families(f, run);
        device_family(f, run);
        for (size_t k = 0; k < N_RESULT_FAMILIES; k++)
            result_family(f, run, labels, &result_families[k]);
        if (verdicts && verdicts->checked)
            verdict_families(f, run, verdicts);
        fputs("# EOF\n", f);
    }
    int failed = !f || fclose(f) != 0;
    for (size_t i = 0; labels && i < run->results.n; i++)
        free(labels[i]);
    free(labels);
    if (failed) {
        free(*text);
        *text = NULL;
        return hb_fail(err, HB_EFAIL, "out of memory while writing OpenMetrics text");
    }
    return HB_OK;
}
