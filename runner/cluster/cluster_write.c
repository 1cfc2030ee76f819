/* SPDX-License-Identifier: Apache-2.0 */
/* cluster_write: the gathered file written from the ranks' partial files,
 * one report in memory at a time (cluster_internal.h).
 *
 * Holding every rank's report at once (texts received, parsed, copied into
 * one document, dumped) costs rank 0 about 15x the reports' text: 1 GB for
 * 1,000 ranks with tuning. Here the first pass reads each report, keeps its
 * entry of cluster.ranks and, of each result, only what the aggregates and
 * outliers need; the second pass reads each report again and writes its
 * elements out, marked with rank and node and given their outlier flags.
 * The text is the same as hb_json_doc_dumps() of the whole document
 * (tests/test_cluster_units.c compares them). */
#include "cluster_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json_io.h"

typedef struct writer {
    char *const *paths;
    const hb_cluster_meta *m;
    hb_report_fn report;
    void *ctx;
    json_t *skel;        /* the frame's keys, arrays empty, cluster whole */
    hb_cluster_rows rows;/* what the outliers need of each result, in file order */
} writer;

/* Rank r's report: its partial file, as the caller's callback sees it. */
static json_t *load(const writer *w, int r)
{
    hb_err e = {0};
    json_t *rep = w->paths[r] ? hb_partial_read(w->paths[r], &e) : NULL;
    const char *id = hb_cluster_str(rep, "run_id");
    if (rep && json_integer_value(json_object_get(rep, "rank")) != r)
        hb_fail(&e, HB_EUSAGE, "%s is rank %lld's, not rank %d's", w->paths[r],
                (long long)json_integer_value(json_object_get(rep, "rank")), r);
    else if (rep && w->m->run_id && strcmp(id, w->m->run_id))
        hb_fail(&e, HB_EUSAGE, "%s is from another run (run_id \"%s\", not \"%s\")", w->paths[r], id,
                w->m->run_id);
    if (e.msg[0]) {
        json_decref(rep);
        rep = NULL;
    }
    return w->report(w->ctx, r, rep, e.msg);
}

/* The frame: the lowest rank's document with its arrays emptied. */
static json_t *frame_of(const json_t *doc)
{
    json_t *f = json_deep_copy(doc), *arr;
    const char *key;
    json_object_foreach(f, key, arr)
        if (json_is_array(arr))
            json_array_clear(arr);
    return f;
}

/* Pass 1: the ranks' entries, a row per result, the frame. */
static int first_pass(writer *w, json_t *ranks, json_t *nodes)
{
    for (int r = 0; r < w->m->size; r++) {
        json_t *rep = load(w, r), *v;
        const json_t *doc = hb_cluster_doc_of(rep);
        const char *node = hb_cluster_str(rep, "node");
        size_t i, n = 0;
        int bad = !rep || (doc && !w->skel && !(w->skel = frame_of(doc)));
        json_array_foreach(json_object_get(doc, "results"), i, v) {
            bad = bad || hb_cluster_rows_add(&w->rows, v, r, node);
            n++;
        }
        bad = bad || json_array_append_new(ranks, hb_cluster_rank_entry(rep, n)) ||
              json_object_set_new(nodes, node, json_true());
        json_decref(rep);
        if (bad)
            return -1;
    }
    return 0;
}

/* The summary document (what *summary gets: the frame with empty arrays
 * and the whole "cluster"), its outliers found. */
static int summarise(writer *w, hb_err *err)
{
    json_t *ranks = json_array(), *nodes = json_object(), *cluster = NULL;
    int bad = !ranks || !nodes || first_pass(w, ranks, nodes);
    if (!bad && !w->skel) {
        json_decref(ranks), json_decref(nodes);
        return hb_fail(err, HB_EFAIL, "no rank sent results");
    }
    json_t *line = json_string(w->m->command_line);   /* NULL if not UTF-8: the frame's stays */
    json_t *config = bad ? NULL : json_object_get(w->skel, "config");
    if (!bad && line && json_is_object(config))
        bad = json_object_set(config, "command_line", line);
    json_decref(line);
    cluster = bad ? NULL : hb_cluster_object(w->m, json_object_size(nodes));
    bad = bad || !cluster || json_object_set(cluster, "ranks", ranks) || json_object_set(w->skel, "cluster", cluster);
    json_decref(ranks), json_decref(nodes), json_decref(cluster);
    if (bad)
        return hb_fail(err, HB_EFAIL, "out of memory while gathering the results");
    return hb_cluster_judge(&w->rows, json_object_get(w->skel, "cluster"), w->m->opts, err);
}

/* text with pad before every line. */
static void put_padded(FILE *f, const char *text, const char *pad)
{
    fputs(pad, f);
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, "\n");
        fwrite(p, 1, n, f);
        p += n;
        if (*p == '\n') {
            fputc('\n', f);
            fputs(pad, f);
            p++;
        }
    }
}

/* One array of the gathered file: every rank's elements, in rank order. */
static int put_array(const writer *w, FILE *f, const char *key)
{
    int results = !strcmp(key, "results");
    size_t next = 0, count = 0;
    for (int r = 0; r < w->m->size; r++) {
        json_t *rep = load(w, r), *v;
        const char *node = hb_cluster_str(rep, "node");
        size_t i;
        if (!rep)
            return -1;
        json_array_foreach(json_object_get(hb_cluster_doc_of(rep), key), i, v) {
            const hb_cluster_row *row = results && next < w->rows.n ? &w->rows.v[next++] : NULL;
            char *text = NULL;
            if (hb_cluster_mark(v, r, node) ||
                (row && json_is_object(v) && json_object_set_new(v, "outlier", hb_cluster_row_flags(row))) ||
                !(text = hb_json_doc_dumps(v))) {
                json_decref(rep);
                return -1;
            }
            fputs(count++ ? ",\n" : "[\n", f);
            put_padded(f, text, "    ");
            free(text);
        }
        json_decref(rep);
    }
    fputs(count ? "\n  ]" : "[]", f);
    return 0;
}

/* Pass 2: the document, key by key in the frame's order. */
static int second_pass(const writer *w, FILE *f)
{
    const char *key;
    json_t *v;
    int first = 1;
    fputs("{\n", f);
    json_object_foreach(w->skel, key, v) {
        json_t *one = json_object();   /* {key: value}; an array's elements come later */
        char *text = one && !json_object_set_new(one, key, json_is_array(v) ? json_array() : json_incref(v))
                         ? hb_json_doc_dumps(one) : NULL;
        json_decref(one);
        if (!text)
            return -1;
        fputs(first ? "" : ",\n", f);
        first = 0;
        if (json_is_array(v)) {   /* "  \"key\": " then the elements */
            char *colon = strstr(text, "\": ");
            if (colon)
                fwrite(text + 2, 1, (size_t)(colon + 3 - text - 2), f);
            free(text);
            if (!colon || put_array(w, f, key))
                return -1;
            continue;
        }
        size_t n = strlen(text);   /* "{\n  \"key\": value\n}": the middle */
        if (n > 4)
            fwrite(text + 2, 1, n - 4, f);
        free(text);
    }
    fputs("\n}", f);
    return ferror(f) ? -1 : 0;
}

int hb_cluster_write(char *const *paths, const hb_cluster_meta *m, hb_report_fn report, void *ctx, const char *out,
                     int force, json_t **summary, hb_err *err)
{
    writer w = {paths, m, report, ctx, NULL, {0}};
    hb_out o;
    *summary = NULL;
    int rc = summarise(&w, err);
    if (!rc)
        rc = hb_out_open(&o, out, force, err);
    if (!rc) {
        FILE *f = hb_out_stream(&o, err);
        int bad = !f || second_pass(&w, f);
        if (f && bad)
            hb_fail(err, HB_EFAIL, "%s: cannot write the gathered file (out of memory or I/O error)", out);
        rc = hb_out_commit_stream(&o, f, !bad, err);
    }
    hb_cluster_rows_free(&w.rows);
    if (rc)
        json_decref(w.skel);
    else
        *summary = w.skel;
    return rc;
}
