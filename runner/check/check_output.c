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

/* Members are set, not added: jansson keeps a replaced member in its place,
 * so one object filled again for each of 100,000 verdicts writes what a
 * fresh object per verdict would, without allocating and freeing a tree
 * each time (that cost most of the document's time). A fresh object is
 * filled by the same code. */
static void put(json_t *o, const char *key, json_t *v, int *bad)
{
    if (!v || json_object_set_new(o, key, v))
        *bad = 1;
}

static void set_str(json_t *o, const char *key, const char *s, int *bad)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_string(v))
        put(o, key, json_string(s), bad);
    else if (strcmp(json_string_value(v), s) && json_string_set(v, s))
        *bad = 1;
}

static void set_int(json_t *o, const char *key, json_int_t i, int *bad)
{
    json_t *v = json_object_get(o, key);
    if (json_is_integer(v))
        json_integer_set(v, i);
    else
        put(o, key, json_integer(i), bad);
}

/* A number as hb_json_num writes it (null, integer or real). */
static void set_num(json_t *o, const char *key, double x, int *bad)
{
    json_t *v = json_object_get(o, key), *n = hb_json_num_reuse(v, x);
    if (n != v)
        put(o, key, n, bad);
}

/* Always a real ("threshold": 1000.0): a rule's figures are reals. */
static void set_real(json_t *o, const char *key, double x, int *bad)
{
    json_t *v = json_object_get(o, key);
    if (json_is_real(v))
        json_real_set(v, x);
    else
        put(o, key, json_real(x), bad);
}

static void set_int_or_null(json_t *o, const char *key, int64_t i, int *bad)
{
    if (i >= 0)
        set_int(o, key, (json_int_t)i, bad);
    else
        put(o, key, json_null(), bad);
}

static void set_str_or_null(json_t *o, const char *key, const char *s, int *bad)
{
    if (s)
        set_str(o, key, s, bad);
    else
        put(o, key, json_null(), bad);
}

static void append(json_t *a, json_t *v, int *bad)
{
    if (!v || json_array_append_new(a, v))
        *bad = 1;
}

/* o's member key, an array of the n strings s: its elements set in place. */
static void set_strings(json_t *o, const char *key, const char *const *s, size_t n, int *bad)
{
    json_t *a = json_object_get(o, key);
    if (!json_is_array(a)) {
        a = json_array();
        put(o, key, a, bad);
        if (!a)
            return;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(a, i);
        if (!e)
            append(a, json_string(s[i]), bad);
        else if (strcmp(json_string_value(e), s[i]) && json_string_set(e, s[i]))
            *bad = 1;
    }
    while (json_array_size(a) > n)
        json_array_remove(a, json_array_size(a) - 1);
}

static const char *const sel_names[HB_SEL_N] = {"bench", "dtype", "device_type", "device_name",
                                                "device_family", "model", "implementation"};

/* Which of a rule's members are there: its select fields and the members of
 * some metrics only. An object filled for another shape is not reused. */
static unsigned rule_shape(const hb_check_report *rep, size_t i)
{
    const hb_check_rule *r = &rep->rules->v[i];
    unsigned shape = 0;
    for (int f = 0; f < HB_SEL_N; f++)
        shape |= (r->sel[f].n ? 1u : 0u) << f;
    return shape | (unsigned)r->metric << HB_SEL_N;
}

static void rule_fill(json_t *o, const hb_check_report *rep, size_t i, int *bad)
{
    const hb_check_rule *r = &rep->rules->v[i];
    json_t *s = json_object_get(o, "select");
    int fresh = !s;
    set_str(o, "id", r->id, bad);
    set_str(o, "description", r->description, bad);
    set_str(o, "source", r->source, bad);
    if (fresh)
        s = json_object();
    for (int f = 0; f < HB_SEL_N && s; f++)
        if (r->sel[f].n)
            set_strings(s, sel_names[f], r->sel[f].v, (size_t)r->sel[f].n, bad);
    if (s)
        set_str(s, "sizes", r->all_sizes ? "all" : "largest", bad);
    if (fresh)   /* after source, before metric, as the document orders them */
        put(o, "select", s, bad);
    set_str(o, "metric", hb_check_metric_name(r->metric), bad);
    if (r->metric == HB_METRIC_PERCENT || r->metric == HB_METRIC_RATIO_IDENTICAL)
        set_str(o, "of", r->of == HB_OF_MEDIAN ? "median" : "best", bad);
    set_str(o, "comparison", hb_check_op_name(r->op), bad);
    if (r->metric == HB_METRIC_VALID)
        put(o, "threshold", json_boolean(r->threshold != 0), bad);
    else
        set_real(o, "threshold", r->threshold, bad);
    if (r->metric == HB_METRIC_FIGURE_BEST || r->metric == HB_METRIC_FIGURE_MEDIAN)
        set_str(o, "unit", r->unit, bad);
    if (r->metric == HB_METRIC_PERCENT)
        set_str(o, "peak", r->datasheet ? "datasheet" : "result", bad);
    set_str(o, "on_missing", r->on_missing_skip ? "skip" : "fail", bad);
    set_real(o, "beyond_cache", r->beyond_cache, bad);
    set_int(o, "min_samples", r->min_samples, bad);
}

/* A judged result, described once (the top level's "results"), which the
 * verdicts' items name by result_index: 100,000 rules over one file's
 * results repeat no description. */
static json_t *result_json(const hb_check_report *rep, size_t index, int *bad)
{
    const hb_result *r = &rep->run->results.v[index];
    json_t *o = json_object();
    if (!o) {
        *bad = 1;
        return NULL;
    }
    set_int(o, "result_index", (json_int_t)index, bad);
    set_str(o, "label", rep->labels[index], bad);
    set_str(o, "bench", r->bench, bad);
    set_str_or_null(o, "dtype", r->dtype[0] ? r->dtype : NULL, bad);
    set_int(o, "elements", (json_int_t)r->elements, bad);
    set_int_or_null(o, "m", r->m, bad);
    set_int_or_null(o, "n", r->n, bad);
    set_int_or_null(o, "k", r->k, bad);
    set_str(o, "implementation", r->implementation[0] ? r->implementation : "hbmbench", bad);
    set_str(o, "model", r->model, bad);
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

static void item_fill(json_t *o, const hb_check_report *rep, const hb_check_verdict *v,
                      const hb_check_item *it, int *bad)
{
    const hb_result *r = &rep->run->results.v[it->result];
    set_int(o, "result_index", (json_int_t)it->result, bad);
    set_str(o, "label", rep->labels[it->result], bad);
    if (v->rule->metric == HB_METRIC_VALID)
        put(o, "value", json_boolean(r->valid), bad);
    else
        set_num(o, "value", it->value, bad);
    set_num(o, "reference", it->reference, bad);
    set_str(o, "reference_source", it->reference_source, bad);
    if (v->rule->metric == HB_METRIC_RATIO_IDENTICAL)
        set_int(o, "identical_devices", it->n_identical, bad);
    set_str(o, "verdict", hb_check_outcome_name(it->verdict), bad);
    put(o, "missing", json_boolean(it->missing), bad);
    set_str(o, "why", it->why, bad);
}

/* The verdict's items into the array a, its elements reused where they
 * have the members this rule's items have. */
static void items_fill(json_t *a, const hb_check_report *rep, const hb_check_verdict *v, int *bad)
{
    int identical = v->rule->metric == HB_METRIC_RATIO_IDENTICAL;
    for (size_t i = 0; i < v->n_items && !*bad; i++) {
        json_t *o = json_array_get(a, i);
        if (!o || (json_object_get(o, "identical_devices") != NULL) != identical) {
            json_t *fresh = json_object();
            if (!fresh || (o ? json_array_set_new(a, i, fresh) : json_array_append_new(a, fresh))) {
                *bad = 1;
                return;
            }
            o = fresh;
        }
        item_fill(o, rep, v, &v->items[i], bad);
    }
    while (json_array_size(a) > v->n_items)
        json_array_remove(a, json_array_size(a) - 1);
}

static void verdict_fill(json_t *o, const hb_check_report *rep, size_t i, int *bad)
{
    const hb_check_verdict *v = &rep->v[i];
    const hb_check_device *d = v->device >= 0 ? &rep->devices[v->device] : NULL;
    json_t *items = json_object_get(o, "results");
    char test[96];
    hb_check_threshold_text(v->rule, test, sizeof test);
    set_str(o, "rule", v->rule->id, bad);
    set_int_or_null(o, "device_index", d ? d->index : -1, bad);
    set_str_or_null(o, "node", d && rep->gathered ? d->node : NULL, bad);
    set_int_or_null(o, "rank", d && rep->gathered ? d->rank : -1, bad);
    set_str_or_null(o, "uuid", d && d->uuid[0] ? d->uuid : NULL, bad);
    set_str_or_null(o, "device", d ? d->name : NULL, bad);
    set_str(o, "verdict", hb_check_outcome_name(v->verdict), bad);
    put(o, "missing", json_boolean(v->missing), bad);
    set_str(o, "threshold", test, bad);
    set_str(o, "detail", v->detail, bad);
    if (!items) {
        items = json_array();
        put(o, "results", items, bad);
    }
    if (items)
        items_fill(items, rep, v, bad);
}

static void device_fill(json_t *o, const hb_check_report *rep, size_t i, int *bad)
{
    const hb_check_device *d = &rep->devices[i];
    char note[320];
    hb_check_floor_note(rep, d, note, sizeof note);
    set_int(o, "index", d->index, bad);
    set_str_or_null(o, "node", rep->gathered ? d->node : NULL, bad);
    set_int_or_null(o, "rank", rep->gathered ? d->rank : -1, bad);
    set_str_or_null(o, "uuid", d->uuid[0] ? d->uuid : NULL, bad);
    set_str(o, "name", d->name, bad);
    set_str(o, "type", d->type, bad);
    set_str_or_null(o, "device_family", d->family[0] ? d->family : NULL, bad);
    set_num(o, "datasheet_bandwidth_gbs", d->datasheet_bw_gbs, bad);
    set_int_or_null(o, "largest_cache_bytes", d->cache_bytes ? (int64_t)d->cache_bytes : -1, bad);
    set_int(o, "results", (json_int_t)d->n_results, bad);
    set_str(o, "note", note, bad);
}

static void per_rule_fill(json_t *o, const hb_check_report *rep, size_t i, int *bad)
{
    set_str(o, "rule", rep->rules->v[i].id, bad);
    set_int(o, "pass", (json_int_t)rep->per_rule[i].pass, bad);
    set_int(o, "fail", (json_int_t)rep->per_rule[i].fail, bad);
    set_int(o, "skip", (json_int_t)rep->per_rule[i].skip, bad);
}

/* An array of the document: n elements, each filled by fill; an object
 * filled for one element is filled again for the next of the same shape. */
typedef struct doc_array {
    const char *key;
    size_t n;
    void (*fill)(json_t *o, const hb_check_report *rep, size_t i, int *bad);
    unsigned (*shape)(const hb_check_report *rep, size_t i);   /* NULL: every element has one shape */
} doc_array;

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

/* o as one line with its reals shortest, appended to b. */
static void add_json(text_buf *b, const json_t *o)
{
    size_t room = b->cap > b->n + 1 ? b->cap - b->n - 1 : 0;
    size_t len = o && !b->bad ? json_dumpb(o, b->s ? b->s + b->n : NULL, room, COMPACT) : 0;
    if (len > room && !reserve(b, len)) /* did not fit: once more, with room */
        len = json_dumpb(o, b->s + b->n, len, COMPACT);
    if (!len || b->bad) {
        b->bad = 1;
        return;
    }
    b->s[b->n + len] = '\0';
    b->n += hb_json_shorten_reals(b->s + b->n);
}

/* As add_json, and o is freed. */
static void add_json_new(text_buf *b, json_t *o)
{
    add_json(b, o);
    json_decref(o);
}

/* ,"key":[fill(0), fill(1), ...], an element at a time into one object,
 * replaced only where the shape changes. */
static void add_array(text_buf *b, const doc_array *arr, const hb_check_report *rep)
{
    json_t *o = NULL;
    unsigned shape = 0;
    add(b, ",\"", 2);
    add(b, arr->key, strlen(arr->key));
    add(b, "\":[", 3);
    for (size_t i = 0; i < arr->n && !b->bad; i++) {
        int bad = 0;
        unsigned now = arr->shape ? arr->shape(rep, i) : 0;
        if (!o || now != shape) {
            json_decref(o);
            o = json_object();
            shape = now;
        }
        if (o)
            arr->fill(o, rep, i, &bad);
        if (bad || !o) {
            b->bad = 1;
            break;
        }
        if (i)
            add(b, ",", 1);
        add_json(b, o);
    }
    json_decref(o);
    add(b, "]", 1);
}

/* An array of the document as a tree, a fresh object per element. */
static json_t *array_of(const doc_array *arr, const hb_check_report *rep, int *bad)
{
    json_t *a = json_array();
    *bad |= !a;
    for (size_t i = 0; a && i < arr->n && !*bad; i++) {
        json_t *o = json_object();
        if (o)
            arr->fill(o, rep, i, bad);
        append(a, o, bad);
    }
    return a;
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

/* The document's arrays, in its order (per_rule is the summary's). */
enum { RULES, DEVICES, VERDICTS, PER_RULE, N_ARRAYS };

static void doc_arrays(const hb_check_report *rep, doc_array out[N_ARRAYS])
{
    out[RULES] = (doc_array){"rules", rep->rules->n, rule_fill, rule_shape};
    out[DEVICES] = (doc_array){"devices", rep->n_devices, device_fill, NULL};
    out[VERDICTS] = (doc_array){"verdicts", rep->n, verdict_fill, NULL};
    out[PER_RULE] = (doc_array){"per_rule", rep->rules->n, per_rule_fill, NULL};
}

/* The document on one line, every array streamed: the same document one
 * json_dumps of the whole tree would write. */
static char *streamed_dumps(const hb_check_report *rep)
{
    text_buf b = {0};
    int bad = 0;
    doc_array arr[N_ARRAYS];
    doc_arrays(rep, arr);
    add_json_new(&b, head_json(rep, &bad));
    reopen(&b);
    add_array(&b, &arr[RULES], rep);
    add_array(&b, &arr[DEVICES], rep);
    add(&b, ",\"results\":", 11);
    add_json_new(&b, results_json(rep, &bad));
    add_array(&b, &arr[VERDICTS], rep);
    add(&b, ",\"summary\":", 11);
    add_json_new(&b, counts_json(rep, &bad));
    reopen(&b);
    add_array(&b, &arr[PER_RULE], rep);
    add(&b, "}}", 2);
    if (b.bad || bad) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

char *hb_check_json_dumps(const hb_check_report *rep)
{
    if (rep->n > ONE_LINE_ABOVE)
        return streamed_dumps(rep);
    int bad = 0;
    doc_array arr[N_ARRAYS];
    doc_arrays(rep, arr);
    json_t *doc = head_json(rep, &bad), *sum = counts_json(rep, &bad);
    put(doc, "rules", array_of(&arr[RULES], rep, &bad), &bad);
    put(doc, "devices", array_of(&arr[DEVICES], rep, &bad), &bad);
    put(doc, "results", results_json(rep, &bad), &bad);
    put(doc, "verdicts", array_of(&arr[VERDICTS], rep, &bad), &bad);
    put(sum, "per_rule", array_of(&arr[PER_RULE], rep, &bad), &bad);
    put(doc, "summary", sum, &bad);
    char *text = bad ? NULL : json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
    if (text)
        hb_json_shorten_reals(text);
    json_decref(doc);
    return text;
}
