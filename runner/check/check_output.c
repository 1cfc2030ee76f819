/* SPDX-License-Identifier: Apache-2.0 */
/* check_output: the verdicts as the verdict document
 * (results/README.md, "Check verdicts"), built with jansson so every string
 * is escaped; NAN is written as null, as in result files. */
#include "acceptance.h"
#include "check_text.h"
#include "json_number.h"
#include "text.h"
#include "json_num.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifndef HB_VERSION
#define HB_VERSION "unknown"
#endif
#ifndef HB_GIT_COMMIT
#define HB_GIT_COMMIT "unknown"
#endif

/* The verdict document's layout version; its own, not the result file's. */
#define HB_CHECK_DOC_VERSION 3

static json_t *jint_or_null(int64_t v)
{
    return v >= 0 ? json_integer((json_int_t)v) : json_null();
}

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

static json_t *rule_json(const hb_check_rule *r, int *bad)
{
    static const char *const sel[HB_SEL_N] = {"bench", "dtype", "device_type", "device_name",
                                              "device_family", "model", "implementation"};
    json_t *o = json_object(), *s = json_object();
    put(o, "id", json_string(r->id), bad);
    put(o, "description", json_string(r->description), bad);
    put(o, "source", json_string(r->source), bad);
    for (int f = 0; f < HB_SEL_N && s; f++) {
        json_t *a = r->sel[f].n ? json_array() : NULL;
        for (int i = 0; a && i < r->sel[f].n; i++)
            append(a, json_string(r->sel[f].v[i]), bad);
        if (a)
            put(s, sel[f], a, bad);
    }
    put(s, "sizes", json_string(r->all_sizes ? "all" : "largest"), bad);
    put(o, "select", s, bad);
    put(o, "metric", json_string(hb_check_metric_name(r->metric)), bad);
    if (r->metric == HB_METRIC_PERCENT || r->metric == HB_METRIC_RATIO_IDENTICAL)
        put(o, "of", json_string(r->of == HB_OF_MEDIAN ? "median" : "best"), bad);
    put(o, "comparison", json_string(hb_check_op_name(r->op)), bad);
    put(o, "threshold", r->metric == HB_METRIC_VALID ? json_boolean(r->threshold != 0) : json_real(r->threshold),
        bad);
    if (r->metric == HB_METRIC_FIGURE_BEST || r->metric == HB_METRIC_FIGURE_MEDIAN)
        put(o, "unit", json_string(r->unit), bad);
    if (r->metric == HB_METRIC_PERCENT)
        put(o, "peak", json_string(r->datasheet ? "datasheet" : "result"), bad);
    put(o, "on_missing", json_string(r->on_missing_skip ? "skip" : "fail"), bad);
    put(o, "beyond_cache", json_real(r->beyond_cache), bad);
    put(o, "min_samples", json_integer(r->min_samples), bad);
    return o;
}

/* A judged result, described once (the top level's "results"), which the
 * verdicts' items name by result_index: 100,000 rules over one file's
 * results repeat no description. */
static json_t *result_json(const hb_check_report *rep, size_t index, int *bad)
{
    const hb_result *r = &rep->run->results.v[index];
    json_t *o = json_object();
    char label[160];
    hb_check_label(r, label, sizeof label);
    put(o, "result_index", json_integer((json_int_t)index), bad);
    put(o, "label", json_string(label), bad);
    put(o, "bench", json_string(r->bench), bad);
    put(o, "dtype", r->dtype[0] ? json_string(r->dtype) : json_null(), bad);
    put(o, "elements", json_integer((json_int_t)r->elements), bad);
    put(o, "m", jint_or_null(r->m), bad);
    put(o, "n", jint_or_null(r->n), bad);
    put(o, "k", jint_or_null(r->k), bad);
    put(o, "implementation", json_string(r->implementation[0] ? r->implementation : "hbmbench"), bad);
    put(o, "model", json_string(r->model), bad);
    /* what the verdicts' values and references are a figure of, so a reader needs no guess */
    put(o, "figure", json_pack("{s:s, s:s, s:s}", "name", r->figure.name, "unit", r->figure.unit, "better",
                               r->figure.lower_is_better ? "lower" : "higher"), bad);
    return o;
}

/* Every result some verdict judged, in the file's order. */
static json_t *results_json(const hb_check_report *rep, int *bad)
{
    size_t n = rep->run->results.n;
    unsigned char *judged = calloc(n ? n : 1, 1);
    json_t *a = json_array();
    if (!judged || !a) {
        free(judged);
        json_decref(a);
        *bad = 1;
        return NULL;
    }
    for (size_t i = 0; i < rep->n; i++)
        for (size_t j = 0; j < rep->v[i].n_items; j++)
            judged[rep->v[i].items[j].result] = 1;
    for (size_t i = 0; i < n; i++)
        if (judged[i])
            append(a, result_json(rep, i, bad), bad);
    free(judged);
    return a;
}

static json_t *item_json(const hb_check_report *rep, const hb_check_verdict *v, const hb_check_item *it,
                         int *bad)
{
    const hb_result *r = &rep->run->results.v[it->result];
    json_t *o = json_object();
    char label[160];
    hb_check_label(r, label, sizeof label);
    put(o, "result_index", json_integer((json_int_t)it->result), bad);
    put(o, "label", json_string(label), bad);
    put(o, "value", v->rule->metric == HB_METRIC_VALID ? json_boolean(r->valid) : hb_json_num(it->value), bad);
    put(o, "reference", hb_json_num(it->reference), bad);
    put(o, "reference_source", json_string(it->reference_source), bad);
    if (v->rule->metric == HB_METRIC_RATIO_IDENTICAL)
        put(o, "identical_devices", json_integer(it->n_identical), bad);
    put(o, "verdict", json_string(hb_check_outcome_name(it->verdict)), bad);
    put(o, "missing", json_boolean(it->missing), bad);
    put(o, "why", json_string(it->why), bad);
    return o;
}

static json_t *verdict_json(const hb_check_report *rep, const hb_check_verdict *v, int *bad)
{
    json_t *o = json_object(), *items = json_array();
    const hb_check_device *d = v->device >= 0 ? &rep->devices[v->device] : NULL;
    char test[96];
    hb_check_threshold_text(v->rule, test, sizeof test);
    put(o, "rule", json_string(v->rule->id), bad);
    put(o, "device_index", d ? json_integer(d->index) : json_null(), bad);
    put(o, "node", d && rep->gathered ? json_string(d->node) : json_null(), bad);
    put(o, "rank", d && rep->gathered ? json_integer(d->rank) : json_null(), bad);
    put(o, "uuid", d && d->uuid[0] ? json_string(d->uuid) : json_null(), bad);
    put(o, "device", d ? json_string(d->name) : json_null(), bad);
    put(o, "verdict", json_string(hb_check_outcome_name(v->verdict)), bad);
    put(o, "missing", json_boolean(v->missing), bad);
    put(o, "threshold", json_string(test), bad);
    put(o, "detail", json_string(v->detail), bad);
    for (size_t i = 0; items && i < v->n_items; i++)
        append(items, item_json(rep, v, &v->items[i], bad), bad);
    put(o, "results", items, bad);
    return o;
}

static json_t *device_json(const hb_check_report *rep, const hb_check_device *d, int *bad)
{
    json_t *o = json_object();
    char note[320];
    hb_check_floor_note(rep, d, note, sizeof note);
    put(o, "index", json_integer(d->index), bad);
    put(o, "node", rep->gathered ? json_string(d->node) : json_null(), bad);
    put(o, "rank", rep->gathered ? json_integer(d->rank) : json_null(), bad);
    put(o, "uuid", d->uuid[0] ? json_string(d->uuid) : json_null(), bad);
    put(o, "name", json_string(d->name), bad);
    put(o, "type", json_string(d->type), bad);
    put(o, "device_family", d->family[0] ? json_string(d->family) : json_null(), bad);
    put(o, "datasheet_bandwidth_gbs", hb_json_num(d->datasheet_bw_gbs), bad);
    put(o, "largest_cache_bytes", d->cache_bytes ? json_integer((json_int_t)d->cache_bytes) : json_null(), bad);
    put(o, "results", json_integer((json_int_t)d->n_results), bad);
    put(o, "note", json_string(note), bad);
    return o;
}

/* Indented for a reader up to this many verdicts; beyond, one line (100,000
 * rules make 70 MB so, twice that indented), its arrays made an element at
 * a time and dumped straight into the text (json_dumpb): a tree of every
 * rule and verdict cost most of the time in allocating and freeing it. */
#define ONE_LINE_ABOVE 10000
#define COMPACT (JSON_COMPACT | JSON_REAL_PRECISION(17))

typedef struct text_buf {
    char *s;
    size_t n, cap;
    int bad;
} text_buf;

/* Room for len more bytes and a NUL; the one allocation grows by halves. */
static int reserve(text_buf *b, size_t len)
{
    if (b->bad)
        return -1;
    if (b->n + len + 1 > b->cap) {
        size_t cap = (b->n + len + 1) * 3 / 2 + 4096;
        char *grown = realloc(b->s, cap);
        if (!grown) {
            b->bad = 1;
            return -1;
        }
        b->s = grown, b->cap = cap;
    }
    return 0;
}

static void add(text_buf *b, const char *piece, size_t len)
{
    if (reserve(b, len))
        return;
    memcpy(b->s + b->n, piece, len);
    b->n += len;
    b->s[b->n] = '\0';
}

/* o as one line with its reals shortest, appended to b; o is freed. */
static void add_json(text_buf *b, json_t *o)
{
    size_t room = b->cap > b->n + 1 ? b->cap - b->n - 1 : 0;
    size_t len = o && !b->bad ? json_dumpb(o, b->s ? b->s + b->n : NULL, room, COMPACT) : 0;
    if (len > room && !reserve(b, len)) /* did not fit: once more, with room */
        len = json_dumpb(o, b->s + b->n, len, COMPACT);
    json_decref(o);
    if (!len || b->bad) {
        b->bad = 1;
        return;
    }
    b->s[b->n + len] = '\0';
    b->n += hb_json_shorten_reals(b->s + b->n);
}

/* ,"key":[each(0), each(1), ...], an element at a time. */
static void add_array(text_buf *b, const char *key, size_t n, json_t *(*each)(const hb_check_report *, size_t, int *),
                      const hb_check_report *rep)
{
    add(b, ",\"", 2);
    add(b, key, strlen(key));
    add(b, "\":[", 3);
    for (size_t i = 0; i < n && !b->bad; i++) {
        int bad = 0;
        json_t *o = each(rep, i, &bad);
        if (bad) {
            json_decref(o);
            b->bad = 1;
            break;
        }
        if (i)
            add(b, ",", 1);
        add_json(b, o);
    }
    add(b, "]", 1);
}

/* The document's parts, each the i-th element of its array. */
static json_t *rule_at(const hb_check_report *rep, size_t i, int *bad)
{
    return rule_json(&rep->rules->v[i], bad);
}

static json_t *device_at(const hb_check_report *rep, size_t i, int *bad)
{
    return device_json(rep, &rep->devices[i], bad);
}

static json_t *verdict_at(const hb_check_report *rep, size_t i, int *bad)
{
    return verdict_json(rep, &rep->v[i], bad);
}

static json_t *per_rule_at(const hb_check_report *rep, size_t i, int *bad)
{
    json_t *o = json_pack("{s:s, s:I, s:I, s:I}", "rule", rep->rules->v[i].id, "pass",
                          (json_int_t)rep->per_rule[i].pass, "fail", (json_int_t)rep->per_rule[i].fail, "skip",
                          (json_int_t)rep->per_rule[i].skip);
    *bad |= !o;
    return o;
}

/* The document's first members, up to its arrays. */
static json_t *head_json(const hb_check_report *rep, int *bad)
{
    json_t *doc = json_object();
    put(doc, "check_version", json_integer(HB_CHECK_DOC_VERSION), bad);
    put(doc, "tool", json_pack("{s:s, s:s, s:s}", "name", "hbmbench", "version", HB_VERSION, "git_commit",
                               HB_GIT_COMMIT), bad);
    put(doc, "result_file", json_string(rep->result_path), bad);
    put(doc, "result_created", json_string(rep->run->created), bad);
    put(doc, "result_complete", json_boolean(!rep->run->incomplete), bad);
    put(doc, "rules_file", rep->rules->builtin ? json_null() : json_string(rep->rules->origin), bad);
    put(doc, "on_incomplete", json_string(rep->rules->on_incomplete_skip ? "skip" : "fail"), bad);
    return doc;
}

/* The summary's counts, before its per_rule array. */
static json_t *counts_json(const hb_check_report *rep, int *bad)
{
    json_t *o = json_pack("{s:I, s:I, s:I, s:b, s:i}", "pass", (json_int_t)rep->n_pass, "fail",
                          (json_int_t)rep->n_fail, "skip", (json_int_t)rep->n_skip, "passed", rep->n_fail == 0,
                          "exit_code", hb_check_exit_code(rep));
    *bad |= !o;
    return o;
}

/* An object's text reopened for more members: its closing brace dropped. */
static void reopen(text_buf *b)
{
    if (!b->bad && b->n && b->s[b->n - 1] == '}')
        b->s[--b->n] = '\0';
}

/* The document on one line, every array streamed: the same document one
 * json_dumps of the whole tree would write. */
static char *streamed_dumps(const hb_check_report *rep)
{
    text_buf b = {0};
    int bad = 0;
    add_json(&b, head_json(rep, &bad));
    reopen(&b);
    add_array(&b, "rules", rep->rules->n, rule_at, rep);
    add_array(&b, "devices", rep->n_devices, device_at, rep);
    add(&b, ",\"results\":", 11);
    add_json(&b, results_json(rep, &bad));
    add_array(&b, "verdicts", rep->n, verdict_at, rep);
    add(&b, ",\"summary\":", 11);
    add_json(&b, counts_json(rep, &bad));
    reopen(&b);
    add_array(&b, "per_rule", rep->rules->n, per_rule_at, rep);
    add(&b, "}}", 2);
    if (b.bad || bad) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

/* An array of each(0..n) as a tree. */
static json_t *array_of(size_t n, json_t *(*each)(const hb_check_report *, size_t, int *),
                        const hb_check_report *rep, int *bad)
{
    json_t *a = json_array();
    *bad |= !a;
    for (size_t i = 0; a && i < n; i++)
        append(a, each(rep, i, bad), bad);
    return a;
}

char *hb_check_json_dumps(const hb_check_report *rep)
{
    if (rep->n > ONE_LINE_ABOVE)
        return streamed_dumps(rep);
    int bad = 0;
    json_t *doc = head_json(rep, &bad), *sum = counts_json(rep, &bad);
    put(doc, "rules", array_of(rep->rules->n, rule_at, rep, &bad), &bad);
    put(doc, "devices", array_of(rep->n_devices, device_at, rep, &bad), &bad);
    put(doc, "results", results_json(rep, &bad), &bad);
    put(doc, "verdicts", array_of(rep->n, verdict_at, rep, &bad), &bad);
    put(sum, "per_rule", array_of(rep->rules->n, per_rule_at, rep, &bad), &bad);
    put(doc, "summary", sum, &bad);
    char *text = bad ? NULL : json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
    if (text)
        hb_json_shorten_reals(text);
    json_decref(doc);
    return text;
}
