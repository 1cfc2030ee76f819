/* SPDX-License-Identifier: Apache-2.0 */
/* check_rules: read a rules file (acceptance.h; format in
 * docs/compare-check.md, "Acceptance checks").
 *
 * Strict, like the datasheet table: a rule naming a field, metric, bench,
 * dtype or device type that does not exist is an error naming it, never a
 * rule that quietly selects nothing and so passes. Malformed JSON gets
 * FILE:LINE:COLUMN from jansson's error position. */
#include "acceptance.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "bench.h"
#include "dtype.h"
#include "embedded.h"
#include "read_file.h"

static const char *const metric_names[HB_METRIC_N] = {
    "bandwidth_best", "bandwidth_median", "percent_of_peak", "cv", "valid",
    "ratio_to_median_of_identical", "figure_best", "figure_median",
};
static const char *const op_names[HB_OP_N] = {">=", ">", "<=", "<", "=="};
static const char *const sel_names[HB_SEL_N] = {
    "bench", "dtype", "device_type", "device_name", "device_family", "model", "implementation",
};
static const char *const device_types[] = {"GPU", "CPU", "ACCELERATOR", "CUSTOM", "HOST", NULL};

const char *hb_check_metric_name(hb_check_metric m)
{
    return m < HB_METRIC_N ? metric_names[m] : "?";
}

const char *hb_check_op_name(hb_check_op op)
{
    return op < HB_OP_N ? op_names[op] : "?";
}

const char *hb_check_outcome_name(hb_check_outcome v)
{
    return v == HB_CHECK_PASS ? "pass" : v == HB_CHECK_FAIL ? "fail" : "skip";
}

typedef struct parser {
    const char *what;   /* the file, in every message */
    hb_err *err;
    long rule;          /* the rule being read, or -1: the top level */
    const char *id;     /* its id once read, else NULL */
} parser;

/* Where in the rule (or the top level) a message points, put into words
 * only by an error: the hot path of a rules file of 100,000 rules formats
 * nothing. */
typedef struct where {
    const char *key;    /* the rule's member, or NULL: the rule itself */
    const char *sub;    /* the member's member (select's "bench"), or NULL */
    long index;         /* the element of sub's array, or -1 */
} where;

static const where whole = {NULL, NULL, -1};

/* "rules[3] (triad-floor).select.bench[1]", "top level.on_missing". */
static void where_text(const parser *p, const where *w, char *buf, size_t len)
{
    int used = p->rule < 0 ? snprintf(buf, len, "top level")
               : p->id    ? snprintf(buf, len, "rules[%ld] (%.40s)", p->rule, p->id)
                          : snprintf(buf, len, "rules[%ld]", p->rule);
    if (w->key && used >= 0 && (size_t)used < len)
        used += snprintf(buf + used, len - (size_t)used, ".%s", w->key);
    if (w->sub && used >= 0 && (size_t)used < len)
        used += snprintf(buf + used, len - (size_t)used, ".%s", w->sub);
    if (w->index >= 0 && used >= 0 && (size_t)used < len)
        snprintf(buf + used, len - (size_t)used, "[%ld]", w->index);
}

/* Fills p->err with "FILE: at: message (known: ...)"; returns HB_EUSAGE. */
static int bad(parser *p, const where *at, const char *known, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int bad(parser *p, const where *at, const char *known, const char *fmt, ...)
{
    char msg[400], here[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    where_text(p, at, here, sizeof here);
    return hb_fail(p->err, HB_EUSAGE, "%s: %s: %s%s%s%s", p->what, here, msg,
                   known ? " (known: " : "", known ? known : "", known ? ")" : "");
}

/* "a, b, c" of a NULL-terminated list or the first n of an array. */
static void join(const char *const *names, int n, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; (n < 0 ? names[i] != NULL : i < n) && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", names[i]);
}

/* The position of v in names (n of them, or NULL-terminated when n < 0), or -1. */
static int find(const char *const *names, int n, const char *v)
{
    for (int i = 0; n < 0 ? names[i] != NULL : i < n; i++)
        if (!strcmp(names[i], v))
            return i;
    return -1;
}

static int is_glob(const char *s)
{
    return strpbrk(s, "*?[") != NULL;
}

/* A literal bench, dtype or device type must exist; a glob may match none. */
static int check_value(parser *p, const where *at, hb_check_sel sel, const char *v)
{
    char known[512];
    if (is_glob(v))
        return HB_OK;
    if (sel == HB_SEL_BENCH && !hb_bench_find(v)) {
        const char *names[64];
        int n = 0;
        for (const hb_bench *const *b = hb_benches; *b && n < 63; b++)
            names[n++] = (*b)->name;
        join(names, n, known, sizeof known);
        return bad(p, at, known, "unknown bench \"%s\"", v);
    }
    hb_dtype t;
    if (sel == HB_SEL_DTYPE && hb_dtype_parse(v, &t) != 0) {
        const char *names[HB_NDTYPES];
        for (int i = 0; i < HB_NDTYPES; i++)
            names[i] = hb_dtype_name((hb_dtype)i);
        join(names, HB_NDTYPES, known, sizeof known);
        return bad(p, at, known, "unknown dtype \"%s\"", v);
    }
    if (sel == HB_SEL_DEVICE_TYPE) {
        int ok = 0;
        for (int i = 0; device_types[i]; i++)
            ok |= !strcasecmp(device_types[i], v);
        join(device_types, -1, known, sizeof known);
        if (!ok)
            return bad(p, at, known, "unknown device type \"%s\"", v);
    }
    return HB_OK;
}

/* A select field: one string or an array of strings. */
static int parse_patterns(parser *p, json_t *v, const where *at, hb_check_sel sel, hb_check_patterns *out)
{
    json_t *one = v;
    size_t n = json_is_array(v) ? json_array_size(v) : 1;
    if (!json_is_array(v) && !json_is_string(v))
        return bad(p, at, NULL, "expected a string or an array of strings");
    if (n == 0 || n > HB_CHECK_MAX_PATTERNS) {
        char msg[64];
        snprintf(msg, sizeof msg, "expected 1 to %d names or patterns", HB_CHECK_MAX_PATTERNS);
        return bad(p, at, NULL, "%s", msg);
    }
    for (size_t i = 0; i < n; i++) {
        where here = *at;
        if (json_is_array(v)) {
            one = json_array_get(v, i);
            here.index = (long)i;
        }
        if (!json_is_string(one) || json_string_length(one) == 0)
            return bad(p, &here, NULL, "expected a non-empty string");
        int rc = check_value(p, &here, sel, json_string_value(one));
        if (rc)
            return rc;
        out->v[out->n++] = json_string_value(one);
    }
    return HB_OK;
}

static int parse_select(parser *p, json_t *s, const where *at, hb_check_rule *r)
{
    const char *key;
    json_t *v;
    char known[256];
    if (!s)
        return HB_OK;
    if (!json_is_object(s))
        return bad(p, at, NULL, "expected an object");
    json_object_foreach(s, key, v) {
        int f = find(sel_names, HB_SEL_N, key);
        where here = {at->key, key, -1};
        if (!strcmp(key, "sizes")) {
            const char *sz = json_string_value(v);
            if (!sz || (strcmp(sz, "largest") && strcmp(sz, "all")))
                return bad(p, &here, NULL, "expected \"largest\" or \"all\"");
            r->all_sizes = !strcmp(sz, "all");
            continue;
        }
        if (f < 0) {
            join(sel_names, HB_SEL_N, known, sizeof known);
            size_t used = strlen(known);
            snprintf(known + used, sizeof known - used, ", sizes");
            return bad(p, at, known, "unknown field \"%s\"", key);
        }
        int rc = parse_patterns(p, v, &here, (hb_check_sel)f, &r->sel[f]);
        if (rc)
            return rc;
    }
    return HB_OK;
}

/* As bad(), at the rule's (or the top level's) member key, with the known
 * values joined from names (n of them, or NULL-terminated when n < 0;
 * names NULL: none). */
static int bad_key(parser *p, const char *key, const char *const *names, int n, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static int bad_key(parser *p, const char *key, const char *const *names, int n, const char *fmt, ...)
{
    char msg[400], known[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (names)
        join(names, n, known, sizeof known);
    where here = {key, NULL, -1};
    return bad(p, &here, names ? known : NULL, "%s", msg);
}

static int get_text(parser *p, json_t *o, const char *key, int required, const char **out)
{
    json_t *v = json_object_get(o, key);
    *out = "";
    if (!v && !required)
        return HB_OK;
    if (!json_is_string(v) || json_string_length(v) == 0)
        return bad_key(p, key, NULL, 0, "%s", v ? "expected a non-empty string" : "missing");
    *out = json_string_value(v);
    return HB_OK;
}

/* "skip" or "fail" into *skip; absent: *skip unchanged. */
static int parse_on(parser *p, json_t *o, const char *key, int *skip)
{
    static const char *const values[] = {"fail", "skip", NULL};
    const char *v;
    int rc = get_text(p, o, key, 0, &v);
    if (rc || !*v)
        return rc;
    if (find(values, -1, v) < 0)
        return bad_key(p, key, values, -1, "unknown value \"%s\"", v);
    *skip = !strcmp(v, "skip");
    return HB_OK;
}

/* A non-negative number of key into *out; absent: *out unchanged. */
static int parse_count(parser *p, json_t *o, const char *key, int integer, double *out)
{
    json_t *v = json_object_get(o, key);
    if (!v)
        return HB_OK;
    if (integer ? !json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 1000000000
                : !json_is_number(v) || json_number_value(v) < 0)
        return bad_key(p, key, NULL, 0, "expected a non-negative %s", integer ? "integer" : "number");
    *out = json_number_value(v);
    return HB_OK;
}

/* on_missing, peak, beyond_cache and min_samples: how strict the rule is. */
static int parse_limits(parser *p, json_t *o, hb_check_rule *r)
{
    static const char *const peaks[] = {"datasheet", "result", NULL};
    const char *peak;
    int m = r->metric, value = m != HB_METRIC_VALID && m != HB_METRIC_CV;
    /* STREAM's rule: each array at least 4x the largest cache, or the
     * figure is the cache's (www.cs.virginia.edu/stream/ref.html, "How big
     * should the arrays be"); off for metrics that are no figure */
    double cache = value ? 4 : 0;
    /* the CV of n samples is itself uncertain by about CV / sqrt(2n)
     * (McKay's approximation, Vangel 1996, The American Statistician
     * 50(1):21-26): from 10 samples a 5% CV is known to about +-1.1 points */
    double min_n = m == HB_METRIC_CV ? 10 : 0;
    int rc = parse_on(p, o, "on_missing", &r->on_missing_skip);
    if (!rc) rc = get_text(p, o, "peak", 0, &peak);
    if (!rc) rc = parse_count(p, o, "beyond_cache", 0, &cache);
    if (!rc) rc = parse_count(p, o, "min_samples", 1, &min_n);
    if (rc)
        return rc;
    if (*peak && m != HB_METRIC_PERCENT)
        return bad_key(p, "peak", NULL, 0, "\"peak\" applies only to percent_of_peak");
    if (*peak && find(peaks, -1, peak) < 0)
        return bad_key(p, "peak", peaks, -1, "unknown value \"%s\"", peak);
    r->datasheet = !strcmp(peak, "datasheet");
    if (!value && json_object_get(o, "beyond_cache"))
        return bad_key(p, "beyond_cache", NULL, 0, "\"beyond_cache\" applies only to metrics of a figure, "
                       "not to %s", hb_check_metric_name(r->metric));
    r->beyond_cache = cache;
    r->min_samples = (int)min_n;
    return HB_OK;
}

/* comparison and threshold, and how they fit the metric m. */
static int parse_threshold(parser *p, json_t *o, const char *cmp, hb_check_rule *r)
{
    int m = r->metric;
    int op = *cmp ? find(op_names, HB_OP_N, cmp) : (m == HB_METRIC_VALID ? HB_OP_EQ : -2);
    if (op == -2)
        return bad_key(p, "comparison", op_names, HB_OP_N, "missing");
    if (op < 0)
        return bad_key(p, "comparison", op_names, HB_OP_N, "unknown comparison \"%s\"", cmp);
    if ((m == HB_METRIC_VALID) != (op == HB_OP_EQ))
        return bad_key(p, "comparison", NULL, 0, "%s", m == HB_METRIC_VALID ? "valid takes only \"==\""
                                                                            : "\"==\" applies only to valid");
    r->op = (hb_check_op)op;
    json_t *t = json_object_get(o, "threshold");
    if (m == HB_METRIC_VALID) {
        if (t && !json_is_boolean(t))
            return bad_key(p, "threshold", NULL, 0, "expected true or false");
        r->threshold = !t || json_is_true(t);
    } else {
        if (!json_is_number(t))
            return bad_key(p, "threshold", NULL, 0, "%s", t ? "expected a number" : "missing");
        r->threshold = json_number_value(t);
    }
    /* stats.cv is a fraction; "5" for 5% would let every result through */
    if (m == HB_METRIC_CV && !(r->threshold >= 0 && r->threshold <= 1))
        return bad_key(p, "threshold", NULL, 0, "cv is a fraction of the mean (0.05 = 5%%), not %g",
                       r->threshold);
    return HB_OK;
}

/* metric, of, comparison and threshold, and how they fit together. */
static int parse_test(parser *p, json_t *o, hb_check_rule *r)
{
    static const char *const ofs[] = {"best", "median", NULL};
    const char *metric, *of = "", *cmp = "";
    int rc = get_text(p, o, "metric", 1, &metric);
    if (!rc) rc = get_text(p, o, "of", 0, &of);
    if (!rc) rc = get_text(p, o, "comparison", 0, &cmp);
    if (!rc) rc = get_text(p, o, "unit", 0, &r->unit);
    if (rc)
        return rc;
    int m = find(metric_names, HB_METRIC_N, metric);
    if (m < 0)
        return bad_key(p, "metric", metric_names, HB_METRIC_N, "unknown metric \"%s\"", metric);
    r->metric = (hb_check_metric)m;
    if (*of && m != HB_METRIC_PERCENT && m != HB_METRIC_RATIO_IDENTICAL)
        return bad_key(p, "of", NULL, 0, "\"of\" applies only to percent_of_peak and "
                       "ratio_to_median_of_identical, not to %s", metric);
    if (*of && find(ofs, -1, of) < 0)
        return bad_key(p, "of", ofs, -1, "unknown value \"%s\"", of);
    r->of = !strcmp(of, "median") ? HB_OF_MEDIAN : HB_OF_BEST;
    /* a threshold in a figure's unit says which unit: a rule over stream
     * and latency results must not hold 120 GB/s and 120 ns to one number */
    int figure = m == HB_METRIC_FIGURE_BEST || m == HB_METRIC_FIGURE_MEDIAN;
    if (figure != (*r->unit != '\0'))
        return bad_key(p, "unit", NULL, 0, "%s", figure ? "missing: figure_best and figure_median name the "
                       "figure's unit (\"GB/s\", \"GFLOP/s\", \"ns\")"
                       : "\"unit\" applies only to figure_best and figure_median");
    rc = parse_threshold(p, o, cmp, r);
    return rc ? rc : parse_limits(p, o, r);
}

static int parse_rule(parser *p, json_t *o, size_t i, int skip_missing, hb_check_rule *r)
{
    static const char *const keys[] = {"id", "description", "source", "select", "metric", "of",
                                       "comparison", "threshold", "unit", "on_missing", "peak",
                                       "beyond_cache", "min_samples", NULL};
    char known[256];
    const char *key;
    json_t *v;
    p->rule = (long)i, p->id = NULL;
    if (!json_is_object(o))
        return bad(p, &whole, NULL, "expected an object");
    json_object_foreach(o, key, v) {
        (void)v;
        if (find(keys, -1, key) < 0) {
            join(keys, -1, known, sizeof known);
            return bad(p, &whole, known, "unknown field \"%s\"", key);
        }
    }
    int rc = get_text(p, o, "id", 1, &r->id);
    if (!rc) {
        /* the id names the rule on the command line and in the verdicts */
        p->id = r->id;
        if (strspn(r->id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != strlen(r->id))
            return bad(p, &whole, NULL, "id \"%s\": use letters, digits, '.', '_' and '-' only", r->id);
    }
    if (!rc) rc = get_text(p, o, "description", 1, &r->description);
    if (!rc) rc = get_text(p, o, "source", 0, &r->source);
    static const where select = {"select", NULL, -1};
    if (!rc) rc = parse_select(p, json_object_get(o, "select"), &select, r);
    r->on_missing_skip = skip_missing;
    if (!rc) rc = parse_test(p, o, r);
    return rc;
}

/* The rules array: the document itself, or its "rules" member; the
 * file-level settings into rules. */
static int rules_array(parser *p, json_t *root, json_t **out, hb_check_rules *rules)
{
    static const char *const keys[] = {"about", "rules", "on_missing", "on_incomplete", NULL};
    const char *key;
    json_t *v;
    *out = root;
    if (json_is_object(root)) {
        json_object_foreach(root, key, v) {
            (void)v;
            if (find(keys, -1, key) < 0)
                return bad(p, &whole, "about, rules, on_missing, on_incomplete", "unknown field \"%s\"", key);
        }
        int rc = parse_on(p, root, "on_missing", &rules->on_missing_skip);
        if (!rc) rc = parse_on(p, root, "on_incomplete", &rules->on_incomplete_skip);
        if (rc)
            return rc;
        *out = json_object_get(root, "rules");
    }
    if (!json_is_array(*out) || json_array_size(*out) == 0)
        return hb_fail(p->err, HB_EUSAGE, "%s: expected a non-empty list of rules, or "
                       "{\"rules\": [ ... ]}", p->what);
    return HB_OK;
}

static int cmp_rule_id(const void *a, const void *b)
{
    const hb_check_rule *x = *(const hb_check_rule *const *)a, *y = *(const hb_check_rule *const *)b;
    int c = strcmp(x->id, y->id);
    return c ? c : (x > y) - (x < y);
}

/* An id used twice, found by sorting (a rules file may hold 100,000 rules). */
static int unique_ids(parser *p, const hb_check_rules *rules)
{
    const hb_check_rule **by_id = malloc((rules->n + 1) * sizeof *by_id);
    int rc = HB_OK;
    if (!by_id)
        return hb_fail(p->err, HB_EFAIL, "%s: out of memory", p->what);
    for (size_t i = 0; i < rules->n; i++)
        by_id[i] = &rules->v[i];
    qsort(by_id, rules->n, sizeof *by_id, cmp_rule_id);
    for (size_t i = 1; i < rules->n && !rc; i++)
        if (!strcmp(by_id[i - 1]->id, by_id[i]->id)) {
            p->rule = (long)(by_id[i] - rules->v), p->id = NULL;
            rc = bad(p, &whole, NULL, "id \"%s\" is used twice (also rules[%zu])", by_id[i]->id,
                     (size_t)(by_id[i - 1] - rules->v));
        }
    free(by_id);
    return rc;
}

/* Takes root (owned by out from here on, even on failure). */
static int parse_root(json_t *root, const char *what, hb_check_rules *out, hb_err *err)
{
    parser p = {.what = what, .err = err, .rule = -1};
    json_t *arr;
    out->json = root;
    int rc = rules_array(&p, root, &arr, out);
    size_t n = rc ? 0 : json_array_size(arr);
    if (!rc && !(out->v = calloc(n, sizeof *out->v)))
        rc = hb_fail(err, HB_EFAIL, "%s: out of memory", what);
    for (size_t i = 0; i < n && !rc; i++, out->n++)
        rc = parse_rule(&p, json_array_get(arr, i), i, out->on_missing_skip, &out->v[i]);
    if (!rc)
        rc = unique_ids(&p, out);
    snprintf(out->origin, sizeof out->origin, "%s", what);
    if (rc)
        hb_check_rules_free(out);
    return rc;
}

int hb_check_rules_parse(const char *text, size_t len, const char *what, hb_check_rules *out, hb_err *err)
{
    json_error_t je;
    memset(out, 0, sizeof *out);
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        return hb_fail(err, HB_EUSAGE, "%s:%d:%d: %s", what, je.line, je.column, je.text);
    return parse_root(root, what, out, err);
}

const char *hb_check_rules_builtin_text(void)
{
    return hb_embedded_find("default_rules.json", NULL);
}

static int load_builtin(hb_check_rules *out, hb_err *err)
{
    size_t len = 0;
    const char *text = hb_embedded_find("default_rules.json", &len);
    if (!text)
        return hb_fail(err, HB_EFAIL, "default_rules.json is not embedded in this build");
    int rc = hb_check_rules_parse(text, len, "default_rules.json", out, err);
    if (!rc) {
        out->builtin = 1;
        snprintf(out->origin, sizeof out->origin, "built-in (runner/check/default_rules.json)");
    }
    return rc;
}

int hb_check_rules_load(const char *path, hb_check_rules *out, hb_err *err)
{
    memset(out, 0, sizeof *out);
    if (!path)
        return load_builtin(out, err);
    /* stat(2) first: fopen(3) opens a directory for reading on Linux, and
     * the parser would report a position in it (EISDIR on the first read) */
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return hb_fail(err, HB_EUSAGE, "%s: is a directory, not a rules file", path);
    char *text;
    size_t len;
    int rc = hb_read_file(path, &text, &len, err);
    if (rc)
        return rc;
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    free(text);
    if (!root)
        return hb_fail(err, HB_EUSAGE, "%s:%d:%d: %s", path, je.line, je.column, je.text);
    return parse_root(root, path, out, err);
}

void hb_check_rules_free(hb_check_rules *rules)
{
    json_decref((json_t *)rules->json);
    free(rules->v);
    memset(rules, 0, sizeof *rules);
}
