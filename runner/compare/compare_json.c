/* SPDX-License-Identifier: Apache-2.0 */
/* compare_json: `hbmbench compare --format json`, built with jansson (never
 * by hand) so every string is escaped and every number valid JSON. NAN is
 * written as null, as in result files (results/README.md, "Values"). */
#include "compare.h"

#include <math.h>
#include <stdlib.h>

#include <jansson.h>

#include "json_number.h"
#include "json_num.h"

/* Number or null. */
/* json_object_set_new that remembers a failure instead of returning it, so
 * a document is built in straight lines and checked once. */
static void put(json_t *o, const char *key, json_t *v, int *bad)
{
    if (!v || json_object_set_new(o, key, v))
        *bad = 1;
}

static void append(json_t *a, json_t *v, int *bad)
{
    if (!v || json_array_append_new(a, v))
        *bad = 1;
}

/* One side of a pair (s NULL: an unmatched result); which: 0 BASE, 1 OTHER. */
static json_t *side(const hb_cmp *c, int which, const hb_result *r, const hb_cmp_side *s, int *bad)
{
    const hb_run *run = which ? c->other : c->base;
    json_t *o = json_object();
    if (!o) {
        *bad = 1;
        return NULL;
    }
    put(o, "device", json_string(r->device), bad);
    put(o, "device_index", json_integer(r->device_index), bad);
    if (r->node[0]) {   /* a gathered MPI run (docs/cluster.md) */
        put(o, "node", json_string(r->node), bad);
        put(o, "rank", json_integer(r->rank), bad);
    }
    put(o, "pci_bus_id", r->pci_bus_id[0] ? json_string(r->pci_bus_id) : json_null(), bad);
    put(o, "elements", json_integer((json_int_t)r->elements), bad);
    put(o, "implementation", json_string(r->implementation[0] ? r->implementation : "hbmbench"), bad);
    put(o, "m", r->m >= 0 ? json_integer((json_int_t)r->m) : json_null(), bad);
    put(o, "n", r->n >= 0 ? json_integer((json_int_t)r->n) : json_null(), bad);
    put(o, "k", r->k >= 0 ? json_integer((json_int_t)r->k) : json_null(), bad);
    put(o, "valid", json_boolean(r->valid), bad);
    put(o, "timer", json_string(r->timer), bad);
    put(o, "model", json_string(hb_cmp_side_model(c, which, r)), bad);
    put(o, "host", json_string(hb_cmp_host_of(run, r)), bad);
    put(o, "created", json_string(run->created), bad);
    put(o, "cv", hb_json_num(r->stats.cv), bad);
    if (s) {
        put(o, "best", hb_json_num(s->best), bad);
        put(o, "median", hb_json_num(s->median), bad);
        put(o, "percent_of_peak", hb_json_num(s->pct_peak), bad);
        put(o, "n_samples", json_integer((json_int_t)s->n), bad);
    }
    return o;
}

static json_t *row_json(const hb_cmp *c, const hb_cmp_row *r, int *bad)
{
    json_t *o = json_object();
    if (!o) {
        *bad = 1;
        return NULL;
    }
    put(o, "bench", json_string(r->base->bench), bad);
    put(o, "dtype", json_string(r->base->dtype), bad);
    put(o, "unit", json_string(r->figure->unit), bad);
    put(o, "figure", json_string(r->figure->name), bad);
    put(o, "better", json_string(r->figure->lower_is_better ? "lower" : "higher"), bad);
    put(o, "base", side(c, 0, r->base, &r->b, bad), bad);
    put(o, "other", side(c, 1, r->other, &r->o, bad), bad);
    put(o, "ratio", hb_json_num(r->verdict == HB_INVALID ? NAN : r->test.ratio), bad);
    put(o, "ci_low", hb_json_num(r->test.ci_lo), bad);
    put(o, "ci_high", hb_json_num(r->test.ci_hi), bad);
    put(o, "p_value", hb_json_num(r->test.p), bad);
    put(o, "significant", json_boolean(r->test.significant), bad);
    put(o, "verdict", json_string(hb_verdict_name(r->verdict)), bad);
    put(o, "regression", json_boolean(r->regression), bad);
    put(o, "config_differs", json_boolean(r->config_differs), bad);
    put(o, "noisy", json_boolean(r->noisy), bad);
    return o;
}

static json_t *unmatched(const hb_cmp *c, int which, const hb_result *const *v, size_t n, int *bad)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++) {
        json_t *o = side(c, which, v[i], NULL, bad);
        if (o) {
            put(o, "bench", json_string(v[i]->bench), bad);
            put(o, "dtype", json_string(v[i]->dtype), bad);
        }
        append(a, o, bad);
    }
    if (!a)
        *bad = 1;
    return a;
}

static json_t *cmp_json(const hb_cmp *c, int *bad)
{
    json_t *o = json_object(), *diffs = json_array(), *rows = json_array();
    if (!o || !diffs || !rows) {
        json_decref(o);
        json_decref(diffs);
        json_decref(rows);
        *bad = 1;
        return NULL;
    }
    put(o, "base_file", json_string(c->base_path), bad);
    put(o, "other_file", json_string(c->other_path), bad);
    /* "complete": false: an interrupted run; what it lacks is absent, not slower. */
    put(o, "base_complete", json_boolean(!c->base->incomplete), bad);
    put(o, "other_complete", json_boolean(!c->other->incomplete), bad);
    for (size_t i = 0; i < c->n_diffs; i++) {
        json_t *d = json_object();
        if (d) {
            put(d, "what", json_string(c->diffs[i].what), bad);
            put(d, "base", json_string(c->diffs[i].base), bad);
            put(d, "other", c->diffs[i].other[0] ? json_string(c->diffs[i].other) : json_null(), bad);
        }
        append(diffs, d, bad);
    }
    put(o, "environment_differences", diffs, bad);
    for (size_t i = 0; i < c->n_rows; i++)
        append(rows, row_json(c, &c->rows[i], bad), bad);
    put(o, "pairs", rows, bad);
    put(o, "only_in_base", unmatched(c, 0, c->only_base, c->n_only_base, bad), bad);
    put(o, "only_in_other", unmatched(c, 1, c->only_other, c->n_only_other, bad), bad);
    put(o, "regressions", json_integer((json_int_t)c->n_regressions), bad);
    put(o, "lost", json_integer((json_int_t)c->n_lost), bad);
    return o;
}

static json_t *method_json(const hb_cmp_method *m, hb_match_mode mode, double fail_below, int *bad)
{
    json_t *o = json_object();
    if (!o) {
        *bad = 1;
        return NULL;
    }
    put(o, "match", json_string(hb_match_mode_name(mode)), bad);
    put(o, "ratio", json_string("BASE median time per unit of work / OTHER's (for GB/s and GFLOP/s: OTHER median / "
                                         "BASE median; for ns: BASE / OTHER); > 1: OTHER faster"), bad);
    put(o, "interval", json_string("percentile bootstrap of the ratio of medians, fixed seed; "
                                           "each resample's median drawn as an order statistic (Beta)"), bad);
    put(o, "resamples", json_integer(m->resamples), bad);
    put(o, "confidence_level", json_real(m->level), bad);
    put(o, "rank_test", json_string("two-sided Mann-Whitney U, normal approximation, tie and continuity corrected"), bad);
    put(o, "alpha", json_real(m->alpha), bad);
    put(o, "significant_when", json_string("the interval excludes 1 and p < alpha"), bad);
    put(o, "min_samples", json_integer((json_int_t)m->min_samples), bad);
    put(o, "noisy_cv_above", hb_json_num(m->noisy_cv), bad);
    put(o, "fail_below_percent", fail_below >= 0 ? json_real(fail_below) : json_null(), bad);
    return o;
}

int hb_cmp_print_json(FILE *f, const hb_cmp *cmps, size_t n, const hb_cmp_method *m, double fail_below_pct,
                      hb_err *err)
{
    int bad = 0;
    json_t *doc = json_object(), *list = json_array();
    if (!doc || !list)
        bad = 1;
    for (size_t i = 0; !bad && i < n; i++)
        append(list, cmp_json(&cmps[i], &bad), &bad);
    if (!bad) {
        put(doc, "tool", json_string("hbmbench compare"), &bad);
        put(doc, "version", json_string(HB_VERSION), &bad);
        put(doc, "method", method_json(m, n ? cmps[0].mode : HB_MATCH_PCI, fail_below_pct, &bad), &bad);
        put(doc, "comparisons", list, &bad);
        list = NULL;
    }
    char *text = bad ? NULL : json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(17) | JSON_ENSURE_ASCII);
    json_decref(doc);
    json_decref(list);
    if (!text)
        return hb_fail(err, HB_EFAIL, "cannot format the JSON document (out of memory)");
    hb_json_shorten_reals(text);
    fputs(text, f);
    fputc('\n', f);
    free(text);
    return HB_OK;
}
