/* SPDX-License-Identifier: Apache-2.0 */
/* check_eval: judge a result file by rules (acceptance.h).
 *
 * Conventions, stated where they are implemented (the devices, sizes and
 * identical devices are check_index.c's):
 * - A rule's device select (device_type, device_name, device_family) picks
 *   devices; its other fields pick results on each. A rule is judged per
 *   device it picks: fail if any result fails, else pass if any passes,
 *   else skip. A device it picks with no result it selects is "missing"
 *   (an H100 without a triad result cannot pass the H100 triad rule); so is
 *   a result the rule cannot judge: a missing field, no peak, no identical
 *   device, fewer samples than min_samples, an unknown cache size. Missing
 *   fails unless the rule or the file says "on_missing": "skip". A rule
 *   that picks no device is one "skip" line, except in a file with no
 *   device and no result at all, where it is missing.
 * - Not missing, never judged (skip): a figure the metric does not apply to
 *   (percent_of_peak of a latency, figure_best in another unit).
 * - A result that did not verify fails every rule but "valid": an invalid
 *   result proves no bandwidth.
 * - A result's figure is the one its bench declared (the file's "figure"),
 *   best or median; percent_of_peak holds it against the figure's own peak
 *   as the run recorded it, or with "peak": "datasheet" against the
 *   datasheet table's figure, which a run-time --peak-bw cannot replace.
 *   ratio_to_median_of_identical is oriented so that < 1 is always slower.
 * - A memory-bandwidth figure (bytes, not over the host link) is judged only
 *   at arrays of at least beyond_cache (4) times the device's largest cache
 *   (STREAM's rule, www.cs.virginia.edu/stream/ref.html): a smaller one
 *   fails, and an unknown cache is missing. STREAM says "at least 4x", and
 *   `run` sizes its arrays to exactly 4x (runner/driver/sizing.c), so
 *   equality passes.
 * - An interrupted run ("complete": false) fails the pseudo-rule "complete",
 *   and a gathered MPI file with ranks that sent nothing (cluster.ranks
 *   status "failed" or "timeout") the pseudo-rule "ranks", unless the rules
 *   file says "on_incomplete": "skip". */
#include "acceptance.h"
#include "check_index.h"
#include "check_text.h"

#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dtype.h"

const hb_check_rule hb_check_rule_complete = {
    .id = "complete",
    .description = "the run finished (its file was not cut short by a signal)",
    .source = "An interrupted run's file holds only what finished before the signal (results/README.md, "
              "\"complete\"): accepting it would accept the benches and devices it never measured.",
    .metric = HB_METRIC_VALID, .op = HB_OP_EQ, .threshold = 1, .unit = "",
};

const hb_check_rule hb_check_rule_ranks = {
    .id = "ranks",
    .description = "every rank of the MPI run sent its results",
    .source = "A gathered file lists every rank in cluster.ranks (docs/cluster.md); a rank that failed or timed "
              "out measured nothing there, and accepting the file would accept its node's devices unmeasured.",
    .metric = HB_METRIC_VALID, .op = HB_OP_EQ, .threshold = 1, .unit = "",
};

typedef struct eval_ctx {
    const hb_check_rules *rules;
    const hb_run *run;
    hb_check_report *rep;
    hb_check_index ix;
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

/* device_name: the device's name, or AMD's board name where the file has
 * one (ROCm names the device by its architecture, "gfx942"). */
static int name_selects(const hb_check_patterns *p, const hb_check_device *d)
{
    return matches(p, d->name) || (p->n && d->dev && d->dev->board_name[0] && matches(p, d->dev->board_name));
}

static int device_selects(const hb_check_rule *rule, const hb_check_device *d)
{
    const hb_check_patterns *s = rule->sel;
    return matches(&s[HB_SEL_DEVICE_TYPE], d->type) && name_selects(&s[HB_SEL_DEVICE_NAME], d) &&
           (s[HB_SEL_DEVICE_FAMILY].n == 0 || (d->family[0] && matches(&s[HB_SEL_DEVICE_FAMILY], d->family)));
}

static int result_selects(const hb_check_rule *rule, const hb_result *r, int largest)
{
    const hb_check_patterns *s = rule->sel;
    return (rule->all_sizes || largest) && matches(&s[HB_SEL_BENCH], r->bench) &&
           matches(&s[HB_SEL_DTYPE], r->dtype) && matches(&s[HB_SEL_MODEL], r->model) &&
           matches(&s[HB_SEL_IMPLEMENTATION], r->implementation);
}

static double figure(const hb_result *r, hb_check_of of)
{
    return of == HB_OF_MEDIAN ? r->figure.median : r->figure.best;
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

static void set_why(hb_check_item *it, hb_check_outcome verdict, const char *why)
{
    it->verdict = verdict;
    snprintf(it->why, sizeof it->why, "%s", why);
}

/* Cannot be judged: the rule's on_missing decides. */
static void missing(const hb_check_rule *rule, hb_check_item *it, const char *why)
{
    it->missing = 1;
    set_why(it, rule->on_missing_skip ? HB_CHECK_SKIP : HB_CHECK_FAIL, why);
}

/* The datasheet figure of the device for r's figure, and its name. */
static double datasheet_peak(const hb_check_device *d, const hb_result *r)
{
    if (!strcmp(r->percent_basis, "bandwidth"))
        return d->datasheet_bw_gbs;
    if (!strcmp(r->percent_basis, "fp32"))
        return d->datasheet_fp32_gflops;
    if (!strcmp(r->percent_basis, "fp64"))
        return d->datasheet_fp64_gflops;
    return NAN;
}

/* percent_of_peak's reference; returns 0 when it set the item's verdict. */
static int percent(const hb_check_rule *rule, const hb_check_device *d, const hb_result *r, hb_check_item *it)
{
    char why[200];
    if (r->figure.lower_is_better || !strcmp(r->percent_basis, "none")) {
        snprintf(why, sizeof why, "no peak bounds a %s figure", r->figure.name);
        set_why(it, HB_CHECK_SKIP, why);
        return 0;
    }
    it->reference = rule->datasheet ? datasheet_peak(d, r) : r->figure.peak;
    it->reference_source = rule->datasheet ? "datasheet" : r->figure.peak_source;
    if (!(it->reference > 0)) {
        if (rule->datasheet)
            snprintf(why, sizeof why, "no datasheet %s figure for this device (%s)", r->percent_basis,
                     d->family[0] ? d->family : "not in runner/peaks/known_devices.json");
        else
            snprintf(why, sizeof why, "peak unknown");
        missing(rule, it, why);
        return 0;
    }
    return 1;
}

/* STREAM's array-size rule for a memory-bandwidth figure; returns 0 when
 * it set the item's verdict. */
static int beyond_cache(const hb_check_rule *rule, const hb_check_device *d, const hb_result *r,
                        hb_check_item *it)
{
    size_t elem = r->dtype[0] ? hb_dtype_bytes_of(r->dtype) : 0;
    if (rule->beyond_cache <= 0 || strcmp(r->figure.count, "bytes") || !strcmp(r->percent_basis, "link") ||
        elem == 0)
        return 1;
    double bytes = (double)r->elements * (double)elem, need = rule->beyond_cache * (double)d->cache_bytes;
    char why[200];
    if (d->cache_bytes == 0) {
        snprintf(why, sizeof why, "the device's largest cache is unknown, so %.4g MiB per array may be "
                 "the cache's bandwidth", bytes / 1048576);
        missing(rule, it, why);
        return 0;
    }
    if (bytes < need) {
        snprintf(why, sizeof why, "%.4g MiB per array is under %gx the device's largest cache (%.4g MiB): "
                 "the figure is the cache's, not memory's", bytes / 1048576, rule->beyond_cache,
                 (double)d->cache_bytes / 1048576);
        set_why(it, HB_CHECK_FAIL, why);
        return 0;
    }
    return 1;
}

/* The metric's value, or the item's verdict when it has none (returns 0). */
static int metric_value(eval_ctx *c, const hb_check_rule *rule, const hb_check_device *d, size_t i,
                        hb_check_item *it)
{
    const hb_result *r = &c->run->results.v[i];
    char why[200];
    switch (rule->metric) {
    case HB_METRIC_BW_BEST: it->value = r->bw_best_gbs; break;
    case HB_METRIC_BW_MEDIAN: it->value = r->bw_median_gbs; break;
    case HB_METRIC_CV: it->value = r->stats.cv; break;
    case HB_METRIC_FIGURE_BEST:
    case HB_METRIC_FIGURE_MEDIAN:
        if (strcmp(r->figure.unit, rule->unit)) {
            snprintf(why, sizeof why, "its %s figure is in %s, the rule's in %s", r->figure.name, r->figure.unit,
                     rule->unit);
            set_why(it, HB_CHECK_SKIP, why);
            return 0;
        }
        it->value = figure(r, rule->metric == HB_METRIC_FIGURE_MEDIAN ? HB_OF_MEDIAN : HB_OF_BEST);
        break;
    case HB_METRIC_PERCENT:
        if (!percent(rule, d, r, it))
            return 0;
        it->value = 100 * figure(r, rule->of) / it->reference;
        break;
    case HB_METRIC_RATIO_IDENTICAL:
        it->reference = c->ix.median[rule->of][i];
        it->n_identical = c->ix.n_identical[i];
        if (it->n_identical < 2) {
            missing(rule, it, "no identical device measured the same");
            return 0;
        }
        it->value = r->figure.lower_is_better ? it->reference / figure(r, rule->of)
                                              : figure(r, rule->of) / it->reference;
        break;
    default: break;
    }
    return 1;
}

/* The metric of result i on device d and its verdict. */
static void judge(eval_ctx *c, const hb_check_rule *rule, const hb_check_device *d, size_t i, hb_check_item *it)
{
    const hb_result *r = &c->run->results.v[i];
    size_t n = r->stats.n ? r->stats.n : r->n_samples;
    char why[200];
    *it = (hb_check_item){.result = i, .value = NAN, .reference = NAN, .reference_source = ""};
    if (rule->metric == HB_METRIC_VALID) {
        it->value = r->valid ? 1 : 0;
        it->verdict = compare(rule->op, it->value, rule->threshold) ? HB_CHECK_PASS : HB_CHECK_FAIL;
        return;
    }
    if (!metric_value(c, rule, d, i, it) && it->verdict == HB_CHECK_SKIP && !it->missing)
        return;   /* the metric does not apply to this figure */
    if (!r->valid) {
        snprintf(why, sizeof why, "result invalid: %.160s", r->notes[0] ? r->notes : "did not verify");
        it->missing = 0;
        set_why(it, HB_CHECK_FAIL, why);
        return;
    }
    if (it->why[0] || !beyond_cache(rule, d, r, it))
        return;
    if (rule->min_samples > 0 && n < (size_t)rule->min_samples) {
        snprintf(why, sizeof why, "%zu timed iteration%s; the rule needs at least %d to judge %s", n,
                 n == 1 ? "" : "s", rule->min_samples, hb_check_metric_name(rule->metric));
        missing(rule, it, why);
    } else if (isnan(it->value)) {
        snprintf(why, sizeof why, "no %s in the file", rule->metric == HB_METRIC_CV ? "stats.cv"
                 : rule->metric == HB_METRIC_BW_BEST || rule->metric == HB_METRIC_BW_MEDIAN ? "bandwidth_gbs"
                 : "figure");
        missing(rule, it, why);
    } else {
        it->verdict = compare(rule->op, it->value, rule->threshold) ? HB_CHECK_PASS : HB_CHECK_FAIL;
    }
}

static hb_check_verdict *push(hb_check_report *rep, hb_err *err)
{
    if (rep->n == rep->cap) {
        size_t cap = rep->cap ? 2 * rep->cap : 64;
        hb_check_verdict *v = realloc(rep->v, cap * sizeof *rep->v);
        if (!v) {
            hb_fail(err, HB_EFAIL, "out of memory");
            return NULL;
        }
        rep->v = v;
        rep->cap = cap;
    }
    memset(&rep->v[rep->n], 0, sizeof rep->v[rep->n]);
    return &rep->v[rep->n++];
}

/* How far past its threshold a failing item is; INFINITY without a value. */
static double margin(const hb_check_rule *rule, const hb_check_item *it)
{
    if (it->verdict != HB_CHECK_FAIL || isnan(it->value))
        return INFINITY;
    double t = fabs(rule->threshold) > 1e-300 ? fabs(rule->threshold) : 1;
    return fabs(it->value - rule->threshold) / t;
}

static void aggregate(hb_check_verdict *v)
{
    v->verdict = HB_CHECK_SKIP;
    v->margin = 0;
    for (size_t j = 0; j < v->n_items; j++) {
        const hb_check_item *it = &v->items[j];
        if (it->verdict == HB_CHECK_FAIL) {
            double m = margin(v->rule, it);
            v->verdict = HB_CHECK_FAIL;
            v->margin = m > v->margin ? m : v->margin;
        } else if (it->verdict == HB_CHECK_PASS && v->verdict == HB_CHECK_SKIP) {
            v->verdict = HB_CHECK_PASS;
        }
    }
}

/* One rule on device k, which its device select picks. */
static int judge_device(eval_ctx *c, const hb_check_rule *rule, size_t k, hb_err *err)
{
    hb_check_report *rep = c->rep;
    const hb_check_device *d = &rep->devices[k];
    const size_t *res = rep->order + d->first;
    size_t n = 0;
    for (size_t j = 0; j < d->n_results; j++)
        n += result_selects(rule, &c->run->results.v[res[j]], c->ix.largest[res[j]]);
    hb_check_item *items = n ? malloc(n * sizeof *items) : NULL;
    if (n && !items)
        return hb_fail(err, HB_EFAIL, "out of memory");
    n = 0;
    for (size_t j = 0; j < d->n_results; j++)
        if (result_selects(rule, &c->run->results.v[res[j]], c->ix.largest[res[j]]))
            judge(c, rule, d, res[j], &items[n++]);
    hb_check_verdict *v = push(rep, err);
    if (!v) {
        free(items);
        return HB_EFAIL;
    }
    *v = (hb_check_verdict){.rule = rule, .device = (int)k, .items = items, .n_items = n};
    aggregate(v);
    if (n == 0) {
        v->missing = 1;
        v->verdict = rule->on_missing_skip ? HB_CHECK_SKIP : HB_CHECK_FAIL;
        v->margin = INFINITY;
    }
    hb_check_describe(rep, v);
    return HB_OK;
}

/* A verdict on no device: the rule picked none, or the file has none. */
static int no_device(eval_ctx *c, const hb_check_rule *rule, int empty_file, hb_err *err)
{
    hb_check_verdict *v = push(c->rep, err);
    if (!v)
        return HB_EFAIL;
    int fail = empty_file && !rule->on_missing_skip;
    *v = (hb_check_verdict){.rule = rule, .device = -1, .missing = empty_file,
                            .verdict = fail ? HB_CHECK_FAIL : HB_CHECK_SKIP, .margin = fail ? INFINITY : 0};
    hb_check_describe(c->rep, v);
    return HB_OK;
}

static int judge_rule(eval_ctx *c, size_t ri, hb_err *err)
{
    const hb_check_rule *rule = &c->rules->v[ri];
    hb_check_report *rep = c->rep;
    int any = 0, rc = HB_OK, floor = rule->metric == HB_METRIC_PERCENT && (rule->op == HB_OP_GE || rule->op == HB_OP_GT);
    size_t before = rep->n;
    for (size_t k = 0; k < rep->n_devices && !rc; k++) {
        if (!device_selects(rule, &rep->devices[k]))
            continue;
        any = 1;
        rep->devices[k].peak_floors += floor;
        rc = judge_device(c, rule, k, err);
    }
    if (!rc && !any)
        rc = no_device(c, rule, rep->n_devices == 0, err);
    for (size_t i = before; !rc && i < rep->n; i++) {
        hb_check_rule_count *n = &rep->per_rule[ri];
        n->pass += rep->v[i].verdict == HB_CHECK_PASS;
        n->fail += rep->v[i].verdict == HB_CHECK_FAIL;
        n->skip += rep->v[i].verdict == HB_CHECK_SKIP;
    }
    return rc;
}

/* The pseudo-rule "ranks", for a gathered file with ranks that sent nothing. */
static int judge_ranks(eval_ctx *c, hb_err *err)
{
    const hb_run *run = c->run;
    if (!run->cluster_ranks_lost)
        return HB_OK;
    hb_check_verdict *v = push(c->rep, err);
    if (!v)
        return HB_EFAIL;
    *v = (hb_check_verdict){.rule = &hb_check_rule_ranks, .device = -1, .missing = 1, .margin = INFINITY,
                            .verdict = c->rules->on_incomplete_skip ? HB_CHECK_SKIP : HB_CHECK_FAIL};
    snprintf(v->detail, sizeof v->detail, "%zu of %zu ranks sent no results%s: %.400s", run->cluster_ranks_lost,
             run->cluster_ranks, c->rules->on_incomplete_skip ? " (the rules file allows it)" : "",
             run->cluster_lost);
    return HB_OK;
}

/* The pseudo-rule "complete", for an interrupted run only. */
static int judge_complete(eval_ctx *c, hb_err *err)
{
    if (!c->run->incomplete)
        return judge_ranks(c, err);
    hb_check_verdict *v = push(c->rep, err);
    if (!v)
        return HB_EFAIL;
    *v = (hb_check_verdict){.rule = &hb_check_rule_complete, .device = -1, .missing = 1, .margin = INFINITY,
                            .verdict = c->rules->on_incomplete_skip ? HB_CHECK_SKIP : HB_CHECK_FAIL};
    snprintf(v->detail, sizeof v->detail, "the run was stopped by %s: its file holds %zu result%s, only what "
             "finished%s", c->run->stopped_by[0] ? c->run->stopped_by : "a signal", c->run->results.n,
             c->run->results.n == 1 ? "" : "s", c->rules->on_incomplete_skip ? " (the rules file allows it)" : "");
    return judge_ranks(c, err);
}

int hb_check_eval(const hb_check_rules *rules, const hb_run *run, const char *result_path,
                  const hb_check_device_info *info, hb_check_report *out, hb_err *err)
{
    *out = (hb_check_report){.run = run, .result_path = result_path, .rules = rules};
    eval_ctx c = {.rules = rules, .run = run, .rep = out};
    out->per_rule = calloc(rules->n + 1, sizeof *out->per_rule);
    out->labels = malloc((run->results.n + 1) * sizeof *out->labels);
    for (size_t i = 0; out->labels && i < run->results.n; i++)
        hb_check_label(&run->results.v[i], out->labels[i], sizeof out->labels[i]);
    int rc = out->per_rule && out->labels ? hb_check_index_build(out, info, &c.ix, err)
                                          : hb_fail(err, HB_EFAIL, "out of memory");
    if (!rc)
        rc = judge_complete(&c, err);
    for (size_t r = 0; r < rules->n && !rc; r++)
        rc = judge_rule(&c, r, err);
    for (size_t i = 0; i < out->n && !rc; i++) {
        out->n_pass += out->v[i].verdict == HB_CHECK_PASS;
        out->n_fail += out->v[i].verdict == HB_CHECK_FAIL;
        out->n_skip += out->v[i].verdict == HB_CHECK_SKIP;
    }
    hb_check_index_free(&c.ix);
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
    free(rep->order);
    free(rep->per_rule);
    free(rep->labels);
    memset(rep, 0, sizeof *rep);
}

int hb_check_exit_code(const hb_check_report *rep)
{
    return rep->n_fail ? HB_EFAIL : HB_OK;
}
