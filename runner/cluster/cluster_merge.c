/* SPDX-License-Identifier: Apache-2.0 */
/* cluster_merge: every rank's report into the one gathered result file.
 *
 * A report (made by each rank in cluster_run.c) is the rank's entry of
 * cluster.ranks plus "doc", the result document its own `run` wrote. The
 * gathered file is the lowest rank's document (host, tool, config, ...) with
 * every top-level array (devices, results, and family summaries such as
 * roofline) replaced by the concatenation of every rank's, each element
 * marked with "rank" and "node" (results/README.md). */
#include "cluster_internal.h"

#include <math.h>
#include <string.h>

/* The rank entry fields, in the order of results/schema.json. */
static const char *const rank_keys[] = {"rank", "node", "local_rank", "local_size", "status", "exit_code", "message",
                                        "device_index", "device", "device_shared_by", "cpuset", "wall_s", "results",
                                        "kept", "test_injection", "host", NULL};

int hb_cluster_mark(json_t *o, json_int_t rank, const char *node)
{
    int bad = json_is_object(o) &&
              (json_object_set_new(o, "rank", json_integer(rank)) || json_object_set_new(o, "node", json_string(node)));
    return bad ? -1 : 0;
}

/* Appends every element of the rank's array key to the gathered one. */
static int append_marked(json_t *into, const json_t *from, json_int_t rank, const char *node, size_t *count)
{
    size_t i;
    json_t *v;
    json_array_foreach(from, i, v) {
        json_t *copy = json_deep_copy(v);
        if (!copy || hb_cluster_mark(copy, rank, node) || json_array_append_new(into, copy))
            return -1;
        (*count)++;
    }
    return 0;
}

const json_t *hb_cluster_doc_of(const json_t *report)
{
    const json_t *d = json_object_get(report, "doc");
    return json_is_object(d) ? d : NULL;
}

/* The rank's entry of cluster.ranks: its report without the document,
 * with how many results it gave, what it kept and its host. */
json_t *hb_cluster_rank_entry(const json_t *report, size_t results)
{
    json_t *e = json_object();
    const json_t *d = hb_cluster_doc_of(report);
    for (int i = 0; e && rank_keys[i]; i++) {
        const char *k = rank_keys[i];
        json_t *v = !strcmp(k, "results") ? json_integer((json_int_t)results)
                    : !strcmp(k, "kept") ? json_string(hb_partial_kept(report))
                    : !strcmp(k, "host") ? (d && json_object_get(d, "host") ? json_deep_copy(json_object_get(d, "host"))
                                                                           : json_null())
                    : json_object_get(report, k) ? json_deep_copy(json_object_get(report, k)) : json_null();
        if (json_object_set_new(e, k, v)) {
            json_decref(e);
            return NULL;
        }
    }
    return e;
}

static size_t count_nodes(json_t *const *reports, int n)
{
    size_t distinct = 0;
    for (int r = 0; r < n; r++) {
        const char *node = json_string_value(json_object_get(reports[r], "node"));
        int seen = 0;
        for (int q = 0; q < r && !seen; q++)
            seen = node && !strcmp(node, json_string_value(json_object_get(reports[q], "node")));
        distinct += !seen;
    }
    return distinct;
}

json_t *hb_cluster_object(const hb_cluster_meta *m, size_t nodes)
{
    const hb_cluster_opts *o = m->opts;
    json_t *rules = json_pack("{s:s, s:f, s:i, s:f, s:f, s:i}", "figure", "median",
                              "slow_below_fraction", o->outlier_fraction, "slow_min_devices", HB_SLOW_MIN_DEVICES,
                              "noisy_cv_factor", o->noisy_cv_factor, "noisy_cv_min", HB_NOISY_CV_MIN,
                              "noisy_min_devices", HB_NOISY_MIN_DEVICES);
    return json_pack("{s:s, s:i, s:I, s:o, s:f, s:o, s:s, s:s, s:o, s:[], s:[], s:[]}", "launcher", m->launcher,
                     "size", m->size, "nodes", (json_int_t)nodes, "rank_timeout_s",
                     o->rank_timeout_s > 0 ? json_real(o->rank_timeout_s) : json_null(), "rank_timeout_factor",
                     o->rank_timeout_factor, "rank_wait_s", isfinite(m->wait_s) ? json_real(m->wait_s) : json_null(),
                     "gathered_by", m->gathered_by ? m->gathered_by : "run", "pin", o->pin ? "device" : "none", "outlier_rules", rules, "ranks", "aggregates", "outliers");
}

/* Concatenates each rank's arrays under every top-level array key of the
 * frame, and fills cluster.ranks. */
static int gather(json_t *doc, json_t *const *reports, int n, json_t *ranks)
{
    const char *key;
    json_t *arr;
    json_object_foreach(doc, key, arr)
        if (json_is_array(arr))
            json_array_clear(arr);
    for (int r = 0; r < n; r++) {
        const json_t *d = hb_cluster_doc_of(reports[r]);
        const char *node = json_string_value(json_object_get(reports[r], "node"));
        size_t results = 0, ignored = 0;
        json_object_foreach(doc, key, arr) {
            const json_t *from = d ? json_object_get(d, key) : NULL;
            if (json_is_array(arr) && json_is_array(from) &&
                append_marked(arr, from, r, node ? node : "", strcmp(key, "results") ? &ignored : &results))
                return -1;
        }
        if (json_array_append_new(ranks, hb_cluster_rank_entry(reports[r], results)))
            return -1;
    }
    return 0;
}

json_t *hb_cluster_merge(json_t *const *reports, const hb_cluster_meta *m, hb_err *err)
{
    const json_t *frame = NULL;
    for (int r = 0; r < m->size && !frame; r++)
        frame = hb_cluster_doc_of(reports[r]);
    if (!frame)
        return hb_fail(err, HB_EFAIL, "no rank sent results"), NULL;
    json_t *doc = json_deep_copy(frame);
    json_t *cluster = hb_cluster_object(m, count_nodes(reports, m->size));
    json_t *config = doc ? json_object_get(doc, "config") : NULL;
    json_t *line = json_string(m->command_line);   /* NULL if not UTF-8: the frame's stays */
    int bad = !doc || !cluster || gather(doc, reports, m->size, json_object_get(cluster, "ranks"));
    if (!bad && line && json_is_object(config))
        bad = json_object_set(config, "command_line", line);
    json_decref(line);
    if (bad || json_object_set(doc, "cluster", cluster)) {
        json_decref(doc);
        json_decref(cluster);
        return hb_fail(err, HB_EFAIL, "out of memory while gathering the results"), NULL;
    }
    json_decref(cluster);
    return doc;
}
