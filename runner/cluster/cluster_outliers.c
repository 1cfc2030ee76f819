/* SPDX-License-Identifier: Apache-2.0 */
/* cluster_outliers: aggregates over identical devices, and the devices that
 * stand out among them (docs/cluster.md, "Outliers").
 *
 * A group is the valid results of one problem (bench, dtype,
 * implementation, elements, m, n, k) measured on devices of one name, in
 * one phase (alone, or together in --concurrent's steps), across every
 * rank and repetition: devices that should perform alike. Each result's
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

typedef hb_cluster_row member;

typedef struct finding {
    member *m;
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

/* --concurrent's together phase, or alone (a plain run, --concurrent's solo phase). */
static const char *phase(const json_t *r)
{
    return json_object_get(r, "concurrent") ? "together" : "alone";
}

static void make_key(const json_t *r, char *key, size_t len)
{
    const char *impl = hb_cluster_str(r, "implementation");
    snprintf(key, len, "%s|%s|%s|%s|%s|%.0f|%.0f|%.0f|%.0f", phase(r), hb_cluster_str(r, "device"), hb_cluster_str(r, "bench"), hb_cluster_str(r, "dtype"),
             impl[0] ? impl : "hbmbench", hb_cluster_num(r, "elements"), isnan(hb_cluster_num(r, "m")) ? -1 : hb_cluster_num(r, "m"),
             isnan(hb_cluster_num(r, "n")) ? -1 : hb_cluster_num(r, "n"), isnan(hb_cluster_num(r, "k")) ? -1 : hb_cluster_num(r, "k"));
}

/* Members in group order: by key, then rank. */
static int by_key(const void *a, const void *b)
{
    const member *x = *(member *const *)a, *y = *(member *const *)b;
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
    return json_pack("{s:s, s:s, s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:s}", "device", hb_cluster_str(r, "device"),
                     "bench", hb_cluster_str(r, "bench"), "dtype", copy_or_null(r, "dtype"), "implementation",
                     impl[0] ? impl : "hbmbench", "elements", copy_or_null(r, "elements"), "problem",
                     copy_or_null(r, "problem"), "m", copy_or_null(r, "m"), "n", copy_or_null(r, "n"), "k",
                     copy_or_null(r, "k"), "phase", phase(r));
}

/* By device (node, then its index there: interned node names compare
 * as pointers), then rank. */
static int by_device(const void *a, const void *b)
{
    const member *x = *(member *const *)a, *y = *(member *const *)b;
    if (x->node != y->node)
        return x->node < y->node ? -1 : 1;
    if (x->device_index != y->device_index)
        return (x->device_index > y->device_index) - (x->device_index < y->device_index);
    return (x->rank > y->rank) - (x->rank < y->rank);
}

static int by_repetition(const void *a, const void *b)
{
    const member *x = *(member *const *)a, *y = *(member *const *)b;
    return (x->repetition > y->repetition) - (x->repetition < y->repetition);
}

/* What the devices of group g[0..n) delivered together (docs/cluster.md,
 * "Aggregates"): a device is a node's device index, whichever ranks
 * measured it. Its figure is the median of its results (its repetitions);
 * the total sums those, and is unknown when a device was measured by
 * several ranks (each saw a share of it, or all of it in turn: neither
 * adds up) or the figure is a time. Whether the devices were timed at the
 * same moment is a question of the results' timed windows: in each
 * repetition, one instant in all of them (overlap_s > 0). s: scratch of n. */
typedef struct together {
    size_t ranks, nodes, devices, shared;
    double total, best_total, overlap;   /* overlap NAN: a window unknown */
} together;

static together devices_of(member *const *g, size_t n, member **s, double *tmp)
{
    together t = {.total = g[0]->lower ? NAN : 0, .best_total = g[0]->lower ? NAN : 0, .overlap = INFINITY};
    memcpy(s, g, n * sizeof *s);
    qsort(s, n, sizeof *s, by_device);
    for (size_t i = 0; i < n;) {
        size_t j = i, k = 0, ranks = 0;
        double best = -INFINITY;
        for (; j < n && s[j]->node == s[i]->node && s[j]->device_index == s[i]->device_index; j++) {
            ranks += j == i || s[j]->rank != s[j - 1]->rank;
            tmp[k++] = s[j]->fig;
            best = fmax(best, s[j]->best);
        }
        t.devices++;
        t.shared += ranks > 1;
        t.ranks += ranks;
        t.nodes += i == 0 || s[i]->node != s[i - 1]->node;
        t.total += median(tmp, k);
        t.best_total += isfinite(best) ? best : 0;
        i = j;
    }
    if (t.shared)
        t.total = t.best_total = NAN;
    qsort(s, n, sizeof *s, by_repetition);
    for (size_t i = 0; i < n;) {
        double from = -INFINITY, until = INFINITY;
        size_t j = i;
        for (; j < n && s[j]->repetition == s[i]->repetition; j++) {
            from = fmax(from, s[j]->from);   /* fmax and fmin skip a NAN: checked below */
            until = fmin(until, s[j]->until);
            if (isnan(s[j]->from) || isnan(s[j]->until))
                t.overlap = NAN;
        }
        if (!isnan(t.overlap))
            t.overlap = fmin(t.overlap, until - from);
        i = j;
    }
    return t;
}

/* The aggregate of group g[0..n), and its members' findings appended to f. */
static json_t *judge_group(member *const *g, size_t n, const hb_cluster_opts *o, finding *f, size_t *nf, double *tmp,
                           member **scratch)
{
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        lo = fmin(lo, g[i]->fig);
        hi = fmax(hi, g[i]->fig);
        tmp[i] = g[i]->fig;
    }
    double med = median(tmp, n);
    for (size_t i = 0; i < n; i++)
        tmp[i] = g[i]->cv;
    double med_cv = median(tmp, n);
    for (size_t i = 0; i < n; i++) {
        double speed = g[i]->lower ? med / g[i]->fig : g[i]->fig / med;
        if (n >= HB_SLOW_MIN_DEVICES && med > 0 && speed < o->outlier_fraction)
            f[(*nf)++] = (finding){g[i], 1, g[i]->fig, med, speed, o->outlier_fraction, n};
        double cv = g[i]->cv;
        if (n >= HB_NOISY_MIN_DEVICES && isfinite(cv) && isfinite(med_cv) && cv > o->noisy_cv_factor * med_cv &&
            cv > HB_NOISY_CV_MIN)
            f[(*nf)++] = (finding){g[i], 0, cv, med_cv, med_cv > 0 ? cv / med_cv : NAN, o->noisy_cv_factor, n};
    }
    together t = devices_of(g, n, scratch, tmp);
    json_t *a = json_deep_copy(g[0]->problem);
    if (a && json_object_update_new(a, json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o, "
                                                  "s:o, s:o}", "unit", g[0]->unit, "better",
                                                  g[0]->lower ? "lower" : "higher", "results", (json_int_t)n, "ranks",
                                                  (json_int_t)t.ranks, "nodes", (json_int_t)t.nodes, "devices",
                                                  (json_int_t)t.devices, "shared_devices", (json_int_t)t.shared,
                                                  "simultaneous", isnan(t.overlap) ? json_null()
                                                                                   : json_boolean(t.overlap > 0),
                                                  "overlap_s", hb_json_num(t.overlap), "total", hb_json_num(t.total),
                                                  "min", hb_json_num(lo), "median", hb_json_num(med), "max",
                                                  hb_json_num(hi), "best_total", hb_json_num(t.best_total),
                                                  "median_cv", hb_json_num(med_cv)))) {
        json_decref(a);
        return NULL;
    }
    return a;
}

static json_t *finding_json(const finding *f)
{
    const member *m = f->m;
    json_t *o = json_pack("{s:I, s:s, s:o}", "rank", m->rank, "node", m->node, "device_index",
                          m->device_index >= 0 ? json_integer(m->device_index) : json_null());
    if (o && json_object_update_new(o, json_deep_copy(m->problem))) {
        json_decref(o);
        return NULL;
    }
    if (o && json_object_update_new(o, json_pack("{s:s, s:s, s:s, s:f, s:f, s:o, s:f, s:I}", "kind",
                                                 f->slow ? "slow" : "noisy", "unit", m->unit, "better",
                                                 m->lower ? "lower" : "higher",
                                                 "value", f->value, "group_median", f->group_median, "ratio",
                                                 hb_json_num(f->ratio), "threshold", f->threshold, "group_size",
                                                 (json_int_t)f->group_size))) {
        json_decref(o);
        return NULL;
    }
    /* The result says it too, so a reader of results alone sees it. */
    f->m->flags |= f->slow ? HB_ROW_SLOW : HB_ROW_NOISY;
    return o;
}

/* A string kept once in rows->intern, however many rows use it. */
static const char *intern(hb_cluster_rows *rows, char kind, const char *s)
{
    char key[700];
    snprintf(key, sizeof key, "%c%s", kind, s);
    json_t *v = json_object_get(rows->intern, key);
    if (!v && json_object_set_new(rows->intern, key, json_string(s)))
        return NULL;
    return json_string_value(v ? v : json_object_get(rows->intern, key));
}

int hb_cluster_rows_add(hb_cluster_rows *rows, const json_t *r, json_int_t rank, const char *node)
{
    if (!rows->intern && !(rows->intern = json_object()))
        return -1;
    if (rows->n == rows->cap) {
        size_t cap = rows->cap ? 2 * rows->cap : 256;
        member *v = realloc(rows->v, cap * sizeof *v);
        if (!v)
            return -1;
        rows->v = v;
        rows->cap = cap;
    }
    member *m = &rows->v[rows->n];
    char key[640], pkey[700];
    memset(m, 0, sizeof *m);
    const json_t *pair = json_object_get(r, "figure"); /* a gathered run is this build's schema */
    m->fig = hb_cluster_num(pair, "median");
    m->member = json_is_object(r) && json_is_true(json_object_get(r, "valid")) && m->fig > 0;
    rows->n++;
    if (!m->member)
        return 0;   /* in no group: nothing more is needed of it */
    make_key(r, key, sizeof key);
    snprintf(pkey, sizeof pkey, "p%s", key);
    json_t *prob = json_object_get(rows->intern, pkey);
    if (!prob && json_object_set_new(rows->intern, pkey, problem(r)))
        return -1;
    m->problem = json_object_get(rows->intern, pkey);
    m->key = intern(rows, 'k', key);
    m->node = intern(rows, 'n', node);
    m->unit = intern(rows, 'u', hb_cluster_unit(r));
    const json_t *di = json_object_get(r, "device_index");
    m->device_index = json_is_integer(di) ? json_integer_value(di) : -1;
    m->rank = rank;
    m->best = hb_cluster_num(pair, "best");
    m->lower = hb_cluster_lower_is_better(r);
    m->cv = hb_cluster_num(json_object_get(r, "stats"), "cv");
    const json_t *w = json_object_get(r, "timed_window"), *rep = json_object_get(r, "repetition");
    m->from = hb_cluster_num(w, "from_unix_s");
    m->until = hb_cluster_num(w, "until_unix_s");
    m->repetition = json_is_integer(rep) ? json_integer_value(rep) : 0;
    return m->problem && m->key && m->node && m->unit ? 0 : -1;
}

void hb_cluster_rows_free(hb_cluster_rows *rows)
{
    free(rows->v);
    json_decref(rows->intern);
    memset(rows, 0, sizeof *rows);
}

json_t *hb_cluster_row_flags(const hb_cluster_row *m)
{
    json_t *a = json_array();
    if (a && (m->flags & HB_ROW_SLOW) && json_array_append_new(a, json_string("slow")))
        goto fail;
    if (a && (m->flags & HB_ROW_NOISY) && json_array_append_new(a, json_string("noisy")))
        goto fail;
    return a;
fail:
    json_decref(a);
    return NULL;
}

int hb_cluster_judge(hb_cluster_rows *rows, json_t *cluster, const hb_cluster_opts *o, hb_err *err)
{
    json_t *aggs = json_object_get(cluster, "aggregates"), *outs = json_object_get(cluster, "outliers");
    size_t n = rows->n, nm = 0;
    member **v = calloc(n ? n : 1, sizeof *v);
    member **scratch = calloc(n ? n : 1, sizeof *scratch);
    finding *f = calloc(2 * n + 1, sizeof *f);
    double *tmp = calloc(n ? n : 1, sizeof *tmp);
    int bad = !v || !scratch || !f || !tmp || !json_is_array(aggs) || !json_is_array(outs);
    for (size_t i = 0; !bad && i < n; i++)
        if (rows->v[i].member)
            v[nm++] = &rows->v[i];
    qsort(v, nm, sizeof *v, by_key);
    size_t nf = 0;
    for (size_t i = 0; i < nm && !bad;) {
        size_t j = i + 1;
        while (j < nm && !strcmp(v[j]->key, v[i]->key))
            j++;
        bad = json_array_append_new(aggs, judge_group(&v[i], j - i, o, f, &nf, tmp, scratch)) != 0;
        i = j;
    }
    qsort(f, nf, sizeof *f, by_finding);
    for (size_t i = 0; i < nf && !bad; i++)
        bad = json_array_append_new(outs, finding_json(&f[i])) != 0;
    free(v);
    free(scratch);
    free(f);
    free(tmp);
    return bad ? hb_fail(err, HB_EFAIL, "out of memory while finding the outliers") : HB_OK;
}

int hb_cluster_outliers(json_t *doc, const hb_cluster_opts *o, hb_err *err)
{
    json_t *results = json_object_get(doc, "results"), *r;
    hb_cluster_rows rows = {0};
    size_t i;
    int bad = 0;
    json_array_foreach(results, i, r)
        bad = bad || hb_cluster_rows_add(&rows, r, json_integer_value(json_object_get(r, "rank")),
                                         hb_cluster_str(r, "node"));
    if (!bad)
        bad = hb_cluster_judge(&rows, json_object_get(doc, "cluster"), o, err) != HB_OK;
    json_array_foreach(results, i, r)
        if (!bad && json_is_object(r))
            bad = json_object_set_new(r, "outlier", hb_cluster_row_flags(&rows.v[i]));
    hb_cluster_rows_free(&rows);
    return bad ? hb_fail(err, HB_EFAIL, "out of memory while finding the outliers") : HB_OK;
}
