/* SPDX-License-Identifier: Apache-2.0 */
/* check_eval: judge a result file by rules (acceptance.h).
 *
 * Conventions, stated where they are implemented:
 * - A rule is judged per device over the results it selects there: fail if
 *   any result fails, else pass if any passes, else skip. A rule that
 *   selects no result at all is one "skip" line, so a rule whose select
 *   matches nothing never passes unseen.
 * - "largest" (the default sizes) keeps, per device, bench, dtype,
 *   implementation and model, the results with the most elements: the size
 *   beyond the caches that acceptance is about. Ties are all kept (the
 *   roofline's k sweep shares one size).
 * - A result's figure is the one its bench declared (the file's "figure":
 *   GB/s, GFLOP/s, ns per load...), best or median; percent_of_peak holds
 *   it against the figure's own peak, and a figure with no peak (latency)
 *   is a skip. ratio_to_median_of_identical is oriented so that < 1 is
 *   always slower: figure / median for a rate, median / figure for a time.
 * - figure_best and figure_median compare in the rule's "unit"; a result
 *   whose figure has another unit is a skip naming both.
 * - A metric with no value is a skip when nothing is wrong with the result
 *   (no peak: "skipped: peak unknown"; no identical device) and a fail when
 *   the result is invalid: an invalid result proves no bandwidth.
 * - Identical devices: same name, type, compute units and memory size;
 *   compared at the same bench, dtype, implementation, model and size. */
#include "acceptance.h"
#include "check_text.h"

#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct eval_ctx {
    const hb_check_rules *rules;
    const hb_run *run;
    hb_check_report *rep;
    int *dev_of;        /* per result: index into rep->devices */
    char *largest;      /* per result: largest size of its group */
} eval_ctx;

static int matches(const hb_check_patterns *p, const char *value)
{
    if (p->n == 0)
        return 1;
    for (int i = 0; i < p->n; i++)
        if (fnmatch(p->v[i], value, FNM_CASEFOLD) == 0)
            return 1;
    return 0;
}

static int same_group(const hb_result *a, const hb_result *b)
{
    return a->device_index == b->device_index && !strcmp(a->bench, b->bench) &&
           !strcmp(a->dtype, b->dtype) && !strcmp(a->implementation, b->implementation) &&
           !strcmp(a->model, b->model);
}

static void mark_largest(eval_ctx *c)
{
    const hb_result_list *l = &c->run->results;
    for (size_t i = 0; i < l->n; i++) {
        c->largest[i] = 1;
        for (size_t j = 0; j < l->n && c->largest[i]; j++)
            if (same_group(&l->v[i], &l->v[j]) && l->v[j].elements > l->v[i].elements)
                c->largest[i] = 0;
    }
}

/* The report's devices: the file's, then any a result names that the file lacks. */
static int add_devices(eval_ctx *c, const char *const *families, hb_err *err)
{
    const hb_run *run = c->run;
    hb_check_report *rep = c->rep;
    rep->devices = calloc(run->n_devices + run->results.n + 1, sizeof *rep->devices);
    if (!rep->devices)
        return hb_fail(err, HB_EFAIL, "out of memory");
    for (size_t i = 0; i < run->n_devices; i++) {
        hb_check_device *d = &rep->devices[rep->n_devices++];
        d->index = run->devices[i].index;
        d->dev = &run->devices[i];
        snprintf(d->name, sizeof d->name, "%s", d->dev->name);
        snprintf(d->type, sizeof d->type, "%s", d->dev->type);
        snprintf(d->family, sizeof d->family, "%s", families && families[i] ? families[i] : "");
    }
    for (size_t i = 0; i < run->results.n; i++) {
        const hb_result *r = &run->results.v[i];
        size_t k = 0;
        while (k < rep->n_devices && rep->devices[k].index != r->device_index)
            k++;
        if (k == rep->n_devices) {
            hb_check_device *d = &rep->devices[rep->n_devices++];
            d->index = r->device_index;
            snprintf(d->name, sizeof d->name, "%s", r->device);
        }
        c->dev_of[i] = (int)k;
    }
    return HB_OK;
}

static int selects(const hb_check_rule *rule, const hb_check_device *d, const hb_result *r, int largest)
{
    const hb_check_patterns *s = rule->sel;
    return (rule->all_sizes || largest) && matches(&s[HB_SEL_BENCH], r->bench) &&
           matches(&s[HB_SEL_DTYPE], r->dtype) && matches(&s[HB_SEL_DEVICE_TYPE], d->type) &&
           matches(&s[HB_SEL_DEVICE_NAME], d->name) &&
           (s[HB_SEL_DEVICE_FAMILY].n == 0 || (d->family[0] && matches(&s[HB_SEL_DEVICE_FAMILY], d->family))) &&
           matches(&s[HB_SEL_MODEL], r->model) &&
           matches(&s[HB_SEL_IMPLEMENTATION], r->implementation);
}

static double figure(const hb_result *r, hb_check_of of)
{
    return of == HB_OF_MEDIAN ? r->figure.median : r->figure.best;
}

static int same_device_kind(const hb_check_device *a, const hb_check_device *b)
{
    if (strcmp(a->name, b->name) || strcmp(a->type, b->type))
        return 0;
    if (!a->dev || !b->dev)
        return !a->dev && !b->dev;
    return a->dev->compute_units == b->dev->compute_units &&
           a->dev->global_mem_bytes == b->dev->global_mem_bytes;
}

static int same_measurement(const hb_result *a, const hb_result *b)
{
    return !strcmp(a->bench, b->bench) && !strcmp(a->dtype, b->dtype) &&
           !strcmp(a->implementation, b->implementation) && !strcmp(a->model, b->model) &&
           a->elements == b->elements && a->m == b->m && a->n == b->n && a->k == b->k;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median of the figure over the identical devices that measured the same
 * thing validly (one figure per result) into *med; *n how many. */
static int identical_median(eval_ctx *c, size_t i, hb_check_of of, double *med, int *n, hb_err *err)
{
    const hb_result_list *l = &c->run->results;
    const hb_check_device *d = &c->rep->devices[c->dev_of[i]];
    double *x = malloc(l->n * sizeof *x);
    *n = 0;
    *med = NAN;
    if (!x)
        return hb_fail(err, HB_EFAIL, "out of memory");
    for (size_t j = 0; j < l->n; j++) {
        double f = figure(&l->v[j], of);
        if (l->v[j].valid && isfinite(f) && same_measurement(&l->v[i], &l->v[j]) &&
            same_device_kind(d, &c->rep->devices[c->dev_of[j]]))
            x[(*n)++] = f;
    }
    qsort(x, (size_t)*n, sizeof *x, cmp_double);
    if (*n)
        *med = *n % 2 ? x[*n / 2] : (x[*n / 2 - 1] + x[*n / 2]) / 2;
    free(x);
    return HB_OK;
}

static int compare(hb_check_op op, double v, double t)
{
    switch (op) {
    case HB_OP_GE: return v >= t;
    case HB_OP_GT: return v > t;
    case HB_OP_LE: return v <= t;
    case HB_OP_LT: return v < t;
    default: return v == t;
    }
}

static void skip(hb_check_item *it, const char *why)
{
    it->verdict = HB_CHECK_SKIP;
    snprintf(it->why, sizeof it->why, "%s", why);
}

/* The metric of result i and its verdict. */
static int judge(eval_ctx *c, const hb_check_rule *rule, size_t i, hb_check_item *it, hb_err *err)
{
    const hb_result *r = &c->run->results.v[i];
    *it = (hb_check_item){.result = i, .value = NAN, .reference = NAN, .reference_source = ""};
    switch (rule->metric) {
    case HB_METRIC_BW_BEST: it->value = r->bw_best_gbs; break;
    case HB_METRIC_BW_MEDIAN: it->value = r->bw_median_gbs; break;
    case HB_METRIC_CV: it->value = r->stats.cv; break;
    case HB_METRIC_VALID: it->value = r->valid ? 1 : 0; break;
    case HB_METRIC_FIGURE_BEST:
    case HB_METRIC_FIGURE_MEDIAN:
        if (strcmp(r->figure.unit, rule->unit)) {
            snprintf(it->why, sizeof it->why, "its %s figure is in %s, the rule's in %s", r->figure.name,
                     r->figure.unit, rule->unit);
            it->verdict = HB_CHECK_SKIP;
            return HB_OK;
        }
        it->value = figure(r, rule->metric == HB_METRIC_FIGURE_MEDIAN ? HB_OF_MEDIAN : HB_OF_BEST);
        break;
    case HB_METRIC_PERCENT:
        it->reference = r->figure.peak;
        it->reference_source = r->figure.peak_source;
        if (r->figure.lower_is_better || !strcmp(r->percent_basis, "none")) {
            snprintf(it->why, sizeof it->why, "no peak bounds a %s figure", r->figure.name);
            it->verdict = HB_CHECK_SKIP;
            return HB_OK;
        }
        if (!(it->reference > 0)) {
            skip(it, "peak unknown");
            return HB_OK;
        }
        it->value = 100 * figure(r, rule->of) / it->reference;
        break;
    case HB_METRIC_RATIO_IDENTICAL:
        if (identical_median(c, i, rule->of, &it->reference, &it->n_identical, err))
            return HB_EFAIL;
        if (r->valid && it->n_identical < 2) {
            skip(it, "no identical device measured the same");
            return HB_OK;
        }
        it->value = r->figure.lower_is_better ? it->reference / figure(r, rule->of)
                                              : figure(r, rule->of) / it->reference;
        break;
    default: break;
    }
    if (isnan(it->value) && !r->valid) {
        it->verdict = HB_CHECK_FAIL;
        snprintf(it->why, sizeof it->why, "result invalid: %.140s", r->notes[0] ? r->notes : "did not verify");
    } else if (isnan(it->value)) {
        skip(it, "no value in the file");
    } else {
        it->verdict = compare(rule->op, it->value, rule->threshold) ? HB_CHECK_PASS : HB_CHECK_FAIL;
    }
    return HB_OK;
}

static hb_check_verdict *push(hb_check_report *rep, hb_err *err)
{
    hb_check_verdict *v = realloc(rep->v, (rep->n + 1) * sizeof *rep->v);
    if (!v) {
        hb_fail(err, HB_EFAIL, "out of memory");
        return NULL;
    }
    rep->v = v;
    memset(&v[rep->n], 0, sizeof v[rep->n]);
    return &v[rep->n++];
}

/* One rule on device k; no verdict when it selects none of its results. */
static int judge_device(eval_ctx *c, const hb_check_rule *rule, size_t k, int *any, hb_err *err)
{
    const hb_result_list *l = &c->run->results;
    hb_check_item *items = NULL;
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++) {
        if ((size_t)c->dev_of[i] != k || !selects(rule, &c->rep->devices[k], &l->v[i], c->largest[i]))
            continue;
        hb_check_item *grown = realloc(items, (n + 1) * sizeof *items);
        if (!grown) {
            free(items);
            return hb_fail(err, HB_EFAIL, "out of memory");
        }
        items = grown;
        if (judge(c, rule, i, &items[n++], err)) {
            free(items);
            return HB_EFAIL;
        }
    }
    if (n == 0)
        return HB_OK;
    hb_check_verdict *v = push(c->rep, err);
    if (!v) {
        free(items);
        return HB_EFAIL;
    }
    *v = (hb_check_verdict){.rule = rule, .device = (int)k, .items = items, .n_items = n,
                            .verdict = HB_CHECK_SKIP};
    for (size_t j = 0; j < n; j++) {
        if (items[j].verdict == HB_CHECK_FAIL)
            v->verdict = HB_CHECK_FAIL;
        else if (items[j].verdict == HB_CHECK_PASS && v->verdict == HB_CHECK_SKIP)
            v->verdict = HB_CHECK_PASS;
    }
    hb_check_describe(c->rep, v);
    if (rule->metric == HB_METRIC_PERCENT && (rule->op == HB_OP_GE || rule->op == HB_OP_GT))
        c->rep->devices[k].peak_floors++;
    *any = 1;
    return HB_OK;
}

int hb_check_eval(const hb_check_rules *rules, const hb_run *run, const char *result_path,
                  const char *const *families, hb_check_report *out, hb_err *err)
{
    *out = (hb_check_report){.run = run, .result_path = result_path, .rules = rules};
    eval_ctx c = {.rules = rules, .run = run, .rep = out};
    size_t nr = run->results.n;
    c.dev_of = calloc(nr + 1, sizeof *c.dev_of);
    c.largest = calloc(nr + 1, 1);
    int rc = !c.dev_of || !c.largest ? hb_fail(err, HB_EFAIL, "out of memory") : add_devices(&c, families, err);
    if (!rc)
        mark_largest(&c);
    for (size_t r = 0; r < rules->n && !rc; r++) {
        int any = 0;
        for (size_t k = 0; k < out->n_devices && !rc; k++)
            rc = judge_device(&c, &rules->v[r], k, &any, err);
        hb_check_verdict *v = !rc && !any ? push(out, err) : NULL;
        if (v) {
            *v = (hb_check_verdict){.rule = &rules->v[r], .device = -1, .verdict = HB_CHECK_SKIP};
            hb_check_describe(out, v);
        }
        else if (!rc && !any)
            rc = HB_EFAIL;
    }
    for (size_t i = 0; i < out->n && !rc; i++) {
        out->n_pass += out->v[i].verdict == HB_CHECK_PASS;
        out->n_fail += out->v[i].verdict == HB_CHECK_FAIL;
        out->n_skip += out->v[i].verdict == HB_CHECK_SKIP;
    }
    free(c.dev_of);
    free(c.largest);
    if (rc)
        hb_check_report_free(out);
    return rc;
}

void hb_check_report_free(hb_check_report *rep)
{
    for (size_t i = 0; i < rep->n; i++)
        free(rep->v[i].items);
    free(rep->v);
    free(rep->devices);
    memset(rep, 0, sizeof *rep);
}

int hb_check_exit_code(const hb_check_report *rep)
{
    return rep->n_fail ? HB_EFAIL : HB_OK;
}
