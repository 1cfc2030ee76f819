/* SPDX-License-Identifier: Apache-2.0 */
/* compare_match: which result of OTHER measures the same thing as which
 * result of BASE, and what the pair's samples say.
 *
 * A result's key is its device, bench, dtype and size (elements, and m, n,
 * k where the result has them), built as a string; equal keys pair. When
 * both files come from MPI runs (results carry a node, docs/cluster.md) the
 * node is part of the key too, so each node's device pairs with the same
 * node's. A key that repeats inside one file (the same device selected
 * twice, say) gets its occurrence number appended, so the n-th repeat pairs
 * with the n-th. */
#include "compare.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

#define KEY_LEN 768   /* node (200), device (256), PCI, bench, dtype, size, problem */

/* What identifies a problem beyond elements: the model (r->model),
 * the implementation ("" counts as hbmbench's own kernels, the only ones
 * before that field) and the GEMM
 * dimensions or roofline k where the result has them (-1 where not). */
static void problem_key(const hb_result *r, char *buf, size_t len)
{
    snprintf(buf, len, "%s|%s|%lld|%lld|%lld", r->model, r->implementation[0] ? r->implementation : "hbmbench",
             (long long)(r->m >= 0 ? r->m : -1), (long long)(r->n >= 0 ? r->n : -1),
             (long long)(r->k >= 0 ? r->k : -1));
}

/* Two strings and an index, ordered by the strings, then the index: sorting
 * these groups equal keys in file order, so every pass below is O(n log n)
 * (a 100 MB file holds some 50,000 results; comparing each with each took
 * minutes). */
typedef struct slot {
    const char *a, *b;
    size_t i;
} slot;

static int cmp_slot(const void *x, const void *y)
{
    const slot *p = x, *q = y;
    int c = strcmp(p->a, q->a);
    if (!c)
        c = strcmp(p->b, q->b);
    return c ? c : (p->i > q->i) - (p->i < q->i);
}

/* The end of the group of equal strings that starts at s[start]. */
static size_t group_end(const slot *s, size_t n, size_t start)
{
    size_t e = start + 1;
    while (e < n && !strcmp(s[e].a, s[start].a) && !strcmp(s[e].b, s[start].b))
        e++;
    return e;
}

/* ord[i]: the order in which result i's device (name and PCI bus id) first
 * appears among the results. -1 when out of memory. */
static int device_ordinals(const hb_run *run, size_t *ord)
{
    size_t n = run->results.n;
    slot *s = malloc((n ? n : 1) * sizeof *s);
    size_t *first = malloc((n ? n : 1) * sizeof *first);
    if (!s || !first) {
        free(s);
        free(first);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        s[i] = (slot){run->results.v[i].device, run->results.v[i].pci_bus_id, i};
    qsort(s, n, sizeof *s, cmp_slot);
    for (size_t g = 0, e; g < n; g = e) {
        e = group_end(s, n, g);
        for (size_t k = g; k < e; k++)
            first[s[k].i] = s[g].i;
    }
    size_t next = 0;
    for (size_t i = 0; i < n; i++)
        ord[i] = first[i] == i ? next++ : ord[first[i]];
    free(s);
    free(first);
    return 0;
}

/* Whether a file is a gathered MPI run: its results name their node. */
static int has_nodes(const hb_run *run)
{
    for (size_t i = 0; i < run->results.n; i++)
        if (run->results.v[i].node[0])
            return 1;
    return 0;
}

static void make_key(const hb_result *r, size_t ordinal, hb_match_mode mode, int by_node, char *key)
{
    char prob[96];
    problem_key(r, prob, sizeof prob);
    if (mode == HB_MATCH_ORDER)
        snprintf(key, KEY_LEN, "#%zu|%s|%s|%s", ordinal, r->bench, r->dtype, prob);
    else
        snprintf(key, KEY_LEN, "%.200s|%s|%s|%s|%s|%llu|%s", by_node ? r->node : "", r->device,
                 mode == HB_MATCH_PCI ? r->pci_bus_id : "",
                 r->bench, r->dtype, (unsigned long long)r->elements, prob);
}

/* Whether a key of a result's config says where the configuration came
 * from rather than what it is: two configurations that differ only there
 * are the same kernel, and comparing them must not cry wolf (issue 20).
 * results/README.md ("GEMM results also carry..."), runner/driver/measure.c
 * and winners.c: "tuning" says whether this run's search, the tuning cache
 * or --tune off chose the configuration, "tuned_at" the size the search
 * ran at. */
static int is_provenance(const char *key)
{
    static const char *const keys[] = {"tuning", "tuned_at", NULL};
    for (int i = 0; keys[i]; i++)
        if (!strcmp(key, keys[i]))
            return 1;
    return 0;
}

/* Whether every configuration key of a (provenance aside) is in b, equal. */
static int params_within(const hb_params *a, const hb_params *b)
{
    for (int i = 0; i < a->n; i++) {
        const hb_param *x = &a->p[i], *y = hb_params_get(b, x->key);
        if (is_provenance(x->key))
            continue;
        if (!y || x->is_text != y->is_text)
            return 0;
        if (x->is_text ? strcmp(hb_param_text(a, x), hb_param_text(b, y)) != 0
                       : !(x->num == y->num || (isnan(x->num) && isnan(y->num))))
            return 0;
    }
    return 1;
}

/* Order-independent equality of two configurations, provenance left out. */
static int params_equal(const hb_params *a, const hb_params *b)
{
    return params_within(a, b) && params_within(b, a);
}

/* A side is noisy when its CV is above the threshold (NAN: never). */
static int noisy(const hb_result *r, double above)
{
    return !isnan(above) && isfinite(r->stats.cv) && r->stats.cv > above;
}

/* Sorted slots of the non-empty keys; *m of them. NULL when out of memory. */
static slot *sorted_keys(char (*keys)[KEY_LEN], size_t n, size_t *m)
{
    slot *s = malloc((n ? n : 1) * sizeof *s);
    *m = 0;
    if (!s)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (keys[i][0])
            s[(*m)++] = (slot){keys[i], "", i};
    qsort(s, *m, sizeof *s, cmp_slot);
    return s;
}

/* --match order keeps each key's largest size only: smaller sizes are sweep
 * points, cache rather than memory measurements. Of equal sizes the first
 * stays. The others' keys are emptied. */
static int drop_dominated(const hb_run *run, char (*keys)[KEY_LEN])
{
    size_t n = run->results.n, m;
    slot *s = sorted_keys(keys, n, &m);
    if (!s)
        return -1;
    char *drop = calloc(n ? n : 1, 1);
    if (!drop) {
        free(s);
        return -1;
    }
    for (size_t g = 0, e; g < m; g = e) {
        e = group_end(s, m, g);
        size_t best = s[g].i;
        for (size_t k = g + 1; k < e; k++)
            if (run->results.v[s[k].i].elements > run->results.v[best].elements)
                best = s[k].i;
        for (size_t k = g; k < e; k++)
            drop[s[k].i] = s[k].i != best;
    }
    for (size_t i = 0; i < n; i++)
        if (drop[i])
            keys[i][0] = '\0';
    free(drop);
    free(s);
    return 0;
}

/* A key that repeats in the file gets REPEAT_MARK and 2, 3, ... on its
 * repeats: a byte no key field holds, so a repeat's key is told from a
 * first occurrence's and its first occurrence found again. */
#define REPEAT_MARK '\x1f'

static int number_repeats(char (*keys)[KEY_LEN], size_t n, size_t *dups)
{
    size_t m;
    slot *s = sorted_keys(keys, n, &m);
    if (!s)
        return -1;
    for (size_t g = 0, e; g < m; g = e) {
        e = group_end(s, m, g);
        for (size_t k = g + 1; k < e; k++) {
            char *key = keys[s[k].i];
            size_t l = strlen(key);
            snprintf(key + l, KEY_LEN - l, "%c%zu", REPEAT_MARK, k - g + 1);
            (*dups)++;
        }
    }
    free(s);
    return 0;
}

/* Keys of every result of run, NULL when out of memory. A dropped result
 * (dominated under --match order) gets an empty key. */
static char (*run_keys(const hb_run *run, hb_match_mode mode, int by_node, size_t *dups))[KEY_LEN]
{
    size_t n = run->results.n;
    char(*keys)[KEY_LEN] = calloc(n ? n : 1, KEY_LEN);
    size_t *ord = calloc(n ? n : 1, sizeof *ord);
    int rc = !keys || !ord || device_ordinals(run, ord);
    for (size_t i = 0; i < n && !rc; i++)
        make_key(&run->results.v[i], ord[i], mode, by_node, keys[i]);
    free(ord);
    if (!rc && mode == HB_MATCH_ORDER)
        rc = drop_dominated(run, keys);
    if (!rc)
        rc = number_repeats(keys, n, dups);
    if (rc) {
        free(keys);
        return NULL;
    }
    return keys;
}

/* Per-iteration cost, seconds per 1e9 units of what the figure counts
 * (bytes, FLOP, loads), of the usable samples: a cost ratio is a speed
 * ratio whichever way the figure reads (GB/s up, ns down). */
static double *costs_of(const hb_result *r, size_t *n)
{
    double work = hb_result_count(r) / 1e9;
    double *c = malloc((r->n_samples ? r->n_samples : 1) * sizeof *c);
    *n = 0;
    if (!c)
        return NULL;
    for (size_t i = 0; i < r->n_samples; i++)
        if (isfinite(r->samples_s[i]) && r->samples_s[i] > 0 && work > 0)
            c[(*n)++] = r->samples_s[i] / work;
    return c;
}

/* One side's figures, with the percentage of the figure's own peak; a
 * GEMM file older than peak_gflops is held against the device's FLOP/s
 * peak of the dtype. A figure where lower is better has no peak. */
static hb_cmp_side side_of(const hb_run *run, const hb_result *r)
{
    hb_cmp_side s = {r->figure.best, r->figure.median, NAN, 0};
    double peak = r->figure.peak;
    if (!(peak > 0) && !strcmp(r->figure.name, "flops")) {
        const hb_device *d = hb_cmp_device_of(run, r);
        peak = d ? hb_flops_peak(&d->peaks, r->dtype)->value : NAN;
    }
    if (peak > 0 && !r->figure.lower_is_better)
        s.pct_peak = 100 * s.best / peak;
    return s;
}

static int test_pair(const hb_cmp *cmp, hb_cmp_row *row, const hb_cmp_method *m, hb_boot *boot,
                     double fail_below_pct, hb_err *err)
{
    const hb_result *b = row->base, *o = row->other;
    row->figure = &b->figure;
    row->b = side_of(cmp->base, b);
    row->o = side_of(cmp->other, o);
    row->test = (hb_cmp_test){NAN, NAN, NAN, NAN, 0};
    row->config_differs = !params_equal(&b->config, &o->config);
    row->noisy = noisy(b, m->noisy_cv) || noisy(o, m->noisy_cv);
    row->size_differs = b->elements != o->elements;
    if (!b->valid || !o->valid) {
        row->verdict = HB_INVALID;
        return HB_OK;
    }
    double *cb = costs_of(b, &row->b.n), *co = costs_of(o, &row->o.n);
    int rc = !cb || !co ? hb_fail(err, HB_EFAIL, "out of memory")
                        : hb_cmp_test_costs(m, boot, cb, row->b.n, co, row->o.n, &row->test, err);
    free(cb);
    free(co);
    if (rc)
        return rc;
    if (isnan(row->test.p))
        row->verdict = HB_UNTESTED;
    else
        row->verdict = !row->test.significant ? HB_SAME : row->test.ratio < 1 ? HB_SLOWER : HB_FASTER;
    row->regression = fail_below_pct >= 0 && row->verdict == HB_SLOWER
                      && row->test.ratio < 1 - fail_below_pct / 100;
    return HB_OK;
}

/* The slot of s (m sorted slots) whose key is key; m when none. */
static size_t find_key(const slot *s, size_t m, const char *key)
{
    size_t lo = 0, hi = m;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(s[mid].a, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < m && !strcmp(s[lo].a, key) ? lo : m;
}

/* A repeat's first occurrence in the other file, when that file measured
 * it once only (a single run against `run --repeat N`): its index, else -1.
 * Each repetition is then compared with it, so a gate sees a slowdown in
 * any repetition, not only in the first. */
static long single_counterpart(const char *key, const slot *s, size_t m)
{
    const char *mark = strchr(key, REPEAT_MARK);
    if (!mark)
        return -1;
    char first[KEY_LEN], second[KEY_LEN + 8];
    snprintf(first, sizeof first, "%.*s", (int)(mark - key), key);
    snprintf(second, sizeof second, "%s%c2", first, REPEAT_MARK);
    size_t at = find_key(s, m, first);
    return at < m && find_key(s, m, second) == m ? (long)s[at].i : -1;
}

/* Fills rows and the unmatched lists from the keys: each BASE key is
 * looked up among OTHER's sorted keys (unique, repeats being numbered);
 * then the repeats of a key the other file measured once are paired with
 * that one result. */
static int pair_up(hb_cmp *cmp, char (*kb)[KEY_LEN], char (*ko)[KEY_LEN], hb_err *err)
{
    size_t nb = cmp->base->results.n, no = cmp->other->results.n, m = 0, mb = 0;
    cmp->rows = calloc(nb + no ? nb + no : 1, sizeof *cmp->rows);
    cmp->only_base = calloc(nb ? nb : 1, sizeof *cmp->only_base);
    cmp->only_other = calloc(no ? no : 1, sizeof *cmp->only_other);
    char *used = calloc(no ? no : 1, 1), *paired = calloc(nb ? nb : 1, 1);
    slot *so = sorted_keys(ko, no, &m), *sb = sorted_keys(kb, nb, &mb);
    if (!cmp->rows || !cmp->only_base || !cmp->only_other || !used || !paired || !so || !sb) {
        free(used);
        free(paired);
        free(so);
        free(sb);
        return hb_fail(err, HB_EFAIL, "out of memory");
    }
    for (size_t i = 0; i < nb; i++) {
        if (!kb[i][0])
            continue;
        size_t at = find_key(so, m, kb[i]);
        long single = at < m ? -1 : single_counterpart(kb[i], so, m);
        if (at == m && single < 0)
            continue;
        size_t j = at < m ? so[at].i : (size_t)single;
        used[j] = paired[i] = 1;
        cmp->rows[cmp->n_rows++] = (hb_cmp_row){.base = &cmp->base->results.v[i],
                                                .other = &cmp->other->results.v[j]};
    }
    for (size_t j = 0; j < no; j++) {
        long single = used[j] || !ko[j][0] ? -1 : single_counterpart(ko[j], sb, mb);
        if (single >= 0) {
            used[j] = paired[single] = 1;
            cmp->rows[cmp->n_rows++] = (hb_cmp_row){.base = &cmp->base->results.v[single],
                                                    .other = &cmp->other->results.v[j]};
        }
    }
    for (size_t i = 0; i < nb; i++)
        if (!paired[i] && kb[i][0])
            cmp->only_base[cmp->n_only_base++] = &cmp->base->results.v[i];
    for (size_t j = 0; j < no; j++)
        if (!used[j] && ko[j][0])
            cmp->only_other[cmp->n_only_other++] = &cmp->other->results.v[j];
    free(used);
    free(paired);
    free(so);
    free(sb);
    return HB_OK;
}

int hb_cmp_build(hb_cmp *cmp, const char *base_path, const hb_run *base, const char *other_path,
                 const hb_run *other, hb_match_mode mode, const hb_cmp_method *m,
                 double fail_below_pct, hb_err *err)
{
    memset(cmp, 0, sizeof *cmp);
    *cmp = (hb_cmp){.base_path = base_path, .other_path = other_path, .base = base, .other = other,
                    .mode = mode};
    int by_node = has_nodes(base) && has_nodes(other);
    char(*kb)[KEY_LEN] = run_keys(base, mode, by_node, &cmp->n_duplicates);
    char(*ko)[KEY_LEN] = run_keys(other, mode, by_node, &cmp->n_duplicates);
    int rc = !kb || !ko ? hb_fail(err, HB_EFAIL, "out of memory") : pair_up(cmp, kb, ko, err);
    free(kb);
    free(ko);
    hb_boot boot = {0};
    for (size_t i = 0; i < cmp->n_rows && !rc; i++) {
        rc = test_pair(cmp, &cmp->rows[i], m, &boot, fail_below_pct, err);
        cmp->n_regressions += cmp->rows[i].regression;
        cmp->n_lost += fail_below_pct >= 0 && cmp->rows[i].base->valid && !cmp->rows[i].other->valid;
    }
    for (size_t i = 0; i < cmp->n_only_base && fail_below_pct >= 0; i++)
        cmp->n_lost += cmp->only_base[i]->valid != 0;
    hb_boot_free(&boot);
    if (!rc)
        rc = hb_cmp_env_diffs(cmp, err);
    return rc;
}

void hb_cmp_free(hb_cmp *cmp)
{
    free(cmp->rows);
    free(cmp->only_base);
    free(cmp->only_other);
    free(cmp->diffs);
    memset(cmp, 0, sizeof *cmp);
}

int hb_cmp_model_view(const hb_run *run, const char *model, hb_run *view, hb_err *err)
{
    *view = *run;
    view->results = (hb_result_list){0};
    size_t n = run->results.n;
    view->results.v = calloc(n ? n : 1, sizeof *view->results.v);
    if (!view->results.v)
        return hb_fail(err, HB_EFAIL, "out of memory");
    view->results.cap = n;
    for (size_t i = 0; i < n; i++) {
        const hb_result *r = &run->results.v[i];
        if (strcmp(r->model, model))
            continue;
        hb_result *c = &view->results.v[view->results.n++];
        *c = *r;
        c->model[0] = '\0';
    }
    return HB_OK;
}

void hb_cmp_view_free(hb_run *view)
{
    free(view->results.v);
    view->results = (hb_result_list){0};
}
