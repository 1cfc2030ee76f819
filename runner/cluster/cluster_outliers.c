/* SPDX-License-Identifier: Apache-2.0 */
/* cluster_outliers: aggregates over identical devices, and the devices that
 * stand out among them (docs/cluster.md, "Outliers").
 *
 * A group is the valid results of one problem (bench, dtype,
 * implementation, elements, m, n, k) measured on devices of one name,
 * across every rank: devices that should perform alike. Each result's
 * figure is the median of the figure its bench declared (the result's
 * "figure": GB/s, GFLOP/s, ns per load): the median time is what a device
 * typically delivers, where the best time rewards one lucky iteration.
 * Speed is figure / the group's median for a rate and median / figure for
 * a time (lower is better), so a speed below 1 is always slower.
 *   slow:  speed < fraction (--outlier-fraction, default 0.9), in groups
 *          of at least HB_SLOW_MIN_DEVICES;
 *   noisy: CV > factor x the group's median CV (--outlier-cv, default 3) and
 *          CV > HB_NOISY_CV_MIN, in groups of at least HB_NOISY_MIN_DEVICES.
 * The median, not the mean, is the reference: one slow device barely moves
 * it, so it cannot hide itself. The noise rule needs three devices, since
 * with two the median CV is their mean and no device can be 3x it; the
 * absolute floor keeps very steady groups (CV 0.1 % against 0.4 %) from
 * flagging timer granularity. */
#include "cluster_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "json_num.h"

typedef struct member {
    json_t *result;
    char key[640];
    double fig, best, cv;
    int lower;                 /* the figure is a time: lower is better */
    json_int_t rank;
} member;

typedef struct finding {
    const member *m;
    int slow;                  /* else noisy */
    double value, group_median, ratio, threshold;
    size_t group_size;
} finding;

double hb_cluster_num(const json_t *o, const char *k)
{
    const json_t *v = json_object_get(o, k);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

const char *hb_cluster_str(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

const char *hb_cluster_unit(const json_t *result)
{
    return hb_cluster_str(json_object_get(result, "figure"), "unit");
}

/* Whether the result's figure is a time: lower is better. */
static int hb_cluster_lower_is_better(const json_t *result)
{
    return !strcmp(hb_cluster_str(json_object_get(result, "figure"), "better"), "lower");
}

void hb_cluster_size_label(const json_t *o, char *buf, size_t len)
{
    double m = hb_cluster_num(o, "m"), n = hb_cluster_num(o, "n"), k = hb_cluster_num(o, "k"), e = hb_cluster_num(o, "elements");
    const char *dt = hb_cluster_str(o, "dtype"), *problem = hb_cluster_str(o, "problem");
    if (m > 0 && n > 0 && k >= 0) {
        snprintf(buf, len, "%.0fx%.0fx%.0f", m, n, k);
        return;
    }
    if (!*dt && *problem) { /* an untyped bench: its problem's own label */
        snprintf(buf, len, "%s", problem);
        return;
    }
    size_t eb = !strcmp(dt, "f64") ? 8 : !strcmp(dt, "f16") ? 2 : 4;
    hb_format_bytes(isfinite(e) ? (uint64_t)e * eb : 0, buf, len);
    if (k >= 0) {
        size_t used = strlen(buf);
        snprintf(buf + used, len - used, " k=%.0f", k);
    }
}

static void make_key(const json_t *r, char *key, size_t len)
{
    const char *impl = hb_cluster_str(r, "implementation");
    snprintf(key, len, "%s|%s|%s|%s|%.0f|%.0f|%.0f|%.0f", hb_cluster_str(r, "device"), hb_cluster_str(r, "bench"), hb_cluster_str(r, "dtype"),
             impl[0] ? impl : "hbmbench", hb_cluster_num(r, "elements"), isnan(hb_cluster_num(r, "m")) ? -1 : hb_cluster_num(r, "m"),
             isnan(hb_cluster_num(r, "n")) ? -1 : hb_cluster_num(r, "n"), isnan(hb_cluster_num(r, "k")) ? -1 : hb_cluster_num(r, "k"));
}

static int by_key(const void *a, const void *b)
{
    const member *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->rank > y->rank) - (x->rank < y->rank);
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median of the finite values of v[0..n) (reorders v); NAN if none. */
static double median(double *v, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i]))
            v[k++] = v[i];
    if (k == 0)
        return NAN;
    qsort(v, k, sizeof *v, by_value);
    return k % 2 ? v[k / 2] : 0.5 * (v[k / 2 - 1] + v[k / 2]);
}

static int by_finding(const void *a, const void *b)
{
    const finding *x = a, *y = b;
    if (x->slow != y->slow)
        return y->slow - x->slow;   /* slow ones first */
    double rx = isnan(x->ratio) ? INFINITY : x->ratio, ry = isnan(y->ratio) ? INFINITY : y->ratio;
    int c = x->slow ? (rx > ry) - (rx < ry) : (rx < ry) - (rx > ry);   /* the worst first */
    return c ? c : (x->m->rank > y->m->rank) - (x->m->rank < y->m->rank);
}

static json_t *copy_or_null(const json_t *o, const char *k)
{
    const json_t *v = json_object_get(o, k);
    return v ? json_deep_copy(v) : json_null();
}

/* The problem's identity, as the aggregates and outliers carry it. */
static json_t *problem(const json_t *r)
{
    const char *impl = hb_cluster_str(r, "implementation");
    return json_pack("{s:s, s:s, s:o, s:s, s:o, s:o, s:o, s:o, s:o}", "device", hb_cluster_str(r, "device"), "bench",
                     hb_cluster_str(r, "bench"), "dtype", copy_or_null(r, "dtype"), "implementation",
                     impl[0] ? impl : "hbmbench", "elements", copy_or_null(r, "elements"), "problem",
                     copy_or_null(r, "problem"), "m", copy_or_null(r, "m"), "n", copy_or_null(r, "n"), "k",
                     copy_or_null(r, "k"));
}

static size_t distinct_nodes(const member *g, size_t n)
{
    size_t d = 0;
    for (size_t i = 0; i < n; i++) {
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = !strcmp(hb_cluster_str(g[i].result, "node"), hb_cluster_str(g[j].result, "node"));
        d += !seen;
    }
    return d;
}

/* The aggregate of group g[0..n), and its members' findings appended to f. */
static json_t *judge_group(const member *g, size_t n, const hb_cluster_opts *o, finding *f, size_t *nf, double *tmp)
{
    /* a sum of rates is the group's throughput; a sum of times means nothing */
    double total = g[0].lower ? NAN : 0, best_total = g[0].lower ? NAN : 0, lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        total += g[i].fig;
        best_total += isfinite(g[i].best) ? g[i].best : 0;
        lo = fmin(lo, g[i].fig);
        hi = fmax(hi, g[i].fig);
        tmp[i] = g[i].fig;
    }
    double med = median(tmp, n);
    for (size_t i = 0; i < n; i++)
        tmp[i] = g[i].cv;
    double med_cv = median(tmp, n);
    for (size_t i = 0; i < n; i++) {
        double speed = g[i].lower ? med / g[i].fig : g[i].fig / med;
        if (n >= HB_SLOW_MIN_DEVICES && med > 0 && speed < o->outlier_fraction)
            f[(*nf)++] = (finding){&g[i], 1, g[i].fig, med, speed, o->outlier_fraction, n};
        double cv = g[i].cv;
        if (n >= HB_NOISY_MIN_DEVICES && isfinite(cv) && isfinite(med_cv) && cv > o->noisy_cv_factor * med_cv &&
            cv > HB_NOISY_CV_MIN)
            f[(*nf)++] = (finding){&g[i], 0, cv, med_cv, med_cv > 0 ? cv / med_cv : NAN, o->noisy_cv_factor, n};
    }
    json_t *a = problem(g[0].result);
    if (a && json_object_update_new(a, json_pack("{s:s, s:s, s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o}", "unit",
                                                  hb_cluster_unit(g[0].result), "better",
                                                  g[0].lower ? "lower" : "higher", "ranks", (json_int_t)n, "nodes",
                                                  (json_int_t)distinct_nodes(g, n), "total", hb_json_num(total), "min",
                                                  hb_json_num(lo), "median", hb_json_num(med), "max", hb_json_num(hi), "best_total",
                                                  hb_json_num(best_total), "median_cv", hb_json_num(med_cv)))) {
        json_decref(a);
        return NULL;
    }
    return a;
}

static json_t *finding_json(const finding *f)
{
    const json_t *r = f->m->result;
    json_t *o = json_pack("{s:I, s:s, s:o}", "rank", f->m->rank, "node", hb_cluster_str(r, "node"), "device_index",
                          copy_or_null(r, "device_index"));
    if (o && json_object_update_new(o, problem(r))) {
        json_decref(o);
        return NULL;
    }
    if (o && json_object_update_new(o, json_pack("{s:s, s:s, s:s, s:f, s:f, s:o, s:f, s:I}", "kind",
                                                 f->slow ? "slow" : "noisy", "unit", hb_cluster_unit(r), "better",
                                                 f->m->lower ? "lower" : "higher",
                                                 "value", f->value, "group_median", f->group_median, "ratio",
                                                 hb_json_num(f->ratio), "threshold", f->threshold, "group_size",
                                                 (json_int_t)f->group_size))) {
        json_decref(o);
        return NULL;
    }
    /* The result says it too, so a reader of results alone sees it. */
    if (o && json_array_append_new(json_object_get(r, "outlier"), json_string(f->slow ? "slow" : "noisy"))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* Every valid result with a figure, keyed and sorted into groups. */
static size_t members_of(json_t *results, member *v)
{
    size_t i, n = 0;
    json_t *r;
    json_array_foreach(results, i, r) {
        if (!json_is_object(r) || json_object_set_new(r, "outlier", json_array()))
            continue;
        const json_t *pair = json_object_get(r, "figure"); /* a gathered run is this build's schema */
        double fig = hb_cluster_num(pair, "median");
        if (!json_is_true(json_object_get(r, "valid")) || !(fig > 0))
            continue;
        member *m = &v[n++];
        m->result = r;
        m->fig = fig;
        m->best = hb_cluster_num(pair, "best");
        m->lower = hb_cluster_lower_is_better(r);
        m->cv = hb_cluster_num(json_object_get(r, "stats"), "cv");
        m->rank = json_integer_value(json_object_get(r, "rank"));
        make_key(r, m->key, sizeof m->key);
    }
    qsort(v, n, sizeof *v, by_key);
    return n;
}

int hb_cluster_outliers(json_t *doc, const hb_cluster_opts *o, hb_err *err)
{
    json_t *results = json_object_get(doc, "results");
    json_t *cluster = json_object_get(doc, "cluster");
    json_t *aggs = json_object_get(cluster, "aggregates"), *outs = json_object_get(cluster, "outliers");
    size_t n = json_array_size(results);
    member *v = calloc(n ? n : 1, sizeof *v);
    finding *f = calloc(2 * n + 1, sizeof *f);
    double *tmp = calloc(n ? n : 1, sizeof *tmp);
    int bad = !v || !f || !tmp || !json_is_array(aggs) || !json_is_array(outs);
    size_t nm = bad ? 0 : members_of(results, v), nf = 0;
    for (size_t i = 0; i < nm && !bad;) {
        size_t j = i + 1;
        while (j < nm && !strcmp(v[j].key, v[i].key))
            j++;
        bad = json_array_append_new(aggs, judge_group(&v[i], j - i, o, f, &nf, tmp)) != 0;
        i = j;
    }
    qsort(f, nf, sizeof *f, by_finding);
    for (size_t i = 0; i < nf && !bad; i++)
        bad = json_array_append_new(outs, finding_json(&f[i])) != 0;
    free(v);
    free(f);
    free(tmp);
    return bad ? hb_fail(err, HB_EFAIL, "out of memory while finding the outliers") : HB_OK;
}
