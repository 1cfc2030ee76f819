/* SPDX-License-Identifier: Apache-2.0 */
/* cluster_gather: rank 0's end of an MPI run (cluster_gather.h). */
#include "cluster_gather.h"
#include "cluster_rank.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hb_signal.h"
#include "json_io.h"

typedef struct gather_ctx {
    const hb_cluster_job *j;
    char **texts;              /* reports that could not be kept on disk, held here instead */
    char **paths;              /* partial files to read, NULL where none */
    double box_s;
    int stopped;               /* the stop signal that ended the wait, 0 if none */
} gather_ctx;

/* A report arrived: kept on disk at once, so rank 0 holds one at a time. */
static void got(void *vctx, int r, char *text)
{
    gather_ctx *g = vctx;
    hb_err err = {0};
    if (hb_partial_write(g->j->partials, r, text, &err) == HB_OK) {
        free(text);
        return;
    }
    fprintf(stderr, "hbmbench run: rank %d's report cannot be kept on disk (%s); held in memory\n", r, err.msg);
    g->texts[r] = text;
}

/* The report of a rank whose results are not all here. */
static json_t *missing_report(const gather_ctx *g, int r, const char *why)
{
    const hb_comm *c = g->j->comm;
    char msg[1200], inj[128];
    int lr, ls;
    const char *node = hb_comm_node_of(c, r, &lr, &ls);
    hb_cluster_injection(r, inj, sizeof inj);
    if (why[0])
        snprintf(msg, sizeof msg, "its report could not be read: %s", why);
    else if (g->stopped)
        snprintf(msg, sizeof msg, "no report before rank 0 was stopped by %s", hb_signal_name(g->stopped));
    else if (isfinite(g->box_s))
        snprintf(msg, sizeof msg, "no report within the time box (%.0f s after rank 0's run ended): the rank hung or died",
                 g->box_s);
    else
        snprintf(msg, sizeof msg, "no report: the rank died");
    return json_pack("{s:i, s:s, s:i, s:i, s:s, s:n, s:s, s:n, s:n, s:i, s:n, s:n, s:s, s:n}", "rank", r, "node", node,
                     "local_rank", lr, "local_size", ls, "status", why[0] ? "failed" : "timeout", "exit_code", "message",
                     msg, "device_index", "device", "device_shared_by", 1, "cpuset", "wall_s", "test_injection", inj,
                     "doc");
}

/* What the file says of rank r (hb_report_fn). */
static json_t *report_of(void *vctx, int r, json_t *rep, const char *why)
{
    gather_ctx *g = vctx;
    if (!rep && g->texts[r])
        rep = json_loads(g->texts[r], 0, NULL);
    if (rep && !hb_comm_reported(g->j->comm, r)) {
        /* it never reported, but its partial file is here: a rank that hung
         * or was stopped after its run, or whose report was still travelling */
        char msg[300];
        snprintf(msg, sizeof msg, "no report %s; its results are those of its partial file",
                 g->stopped ? "before rank 0 was stopped" : "within the time box");
        json_object_set_new(rep, "status", json_string("timeout"));
        json_object_set_new(rep, "message", json_string(msg));
    }
    return rep ? rep : missing_report(g, r, why);
}

static void emit(const hb_cluster_job *j, const json_t *summary)
{
    const hb_run_opts *o = j->o;
    if (o->plan.quiet || (o->format == HB_FORMAT_JSON && !strcmp(j->out, "-")))
        return;   /* to "-" the document went to standard output already */
    hb_cluster_emit(stdout, o->format == HB_FORMAT_JSON ? 2 : o->format == HB_FORMAT_CSV ? 1 : 0, summary, j->out);
    fflush(stdout);
}

/* The exit code the ranks' entries stand for. */
static int ranks_code(const json_t *summary)
{
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(json_object_get(summary, "cluster"), "ranks"), i, e) {
        const char *status = hb_cluster_str(e, "status");
        json_t *code = json_object_get(e, "exit_code");
        if (strcmp(status, "ok") || !json_is_integer(code) || json_integer_value(code) != 0 ||
            strcmp(hb_cluster_str(e, "kept"), "complete"))
            return HB_EFAIL;
    }
    return HB_OK;
}

/* Writes the file; HB_OK or the write's error, *code what the ranks stand for. */
static int write_gathered(gather_ctx *g, int missing, int *code)
{
    const hb_cluster_job *j = g->j;
    hb_cluster_meta m = {j->launch->launcher, j->comm->size, j->command_line, j->co, g->box_s, j->run_id, "run"};
    hb_err err = {0};
    json_t *summary = NULL;
    int rc = hb_cluster_write(g->paths, &m, report_of, g, j->out, j->o->force, &summary, &err);
    if (rc) {
        fprintf(stderr, "hbmbench run: %s; nothing gathered\n", err.msg);
    } else {
        emit(j, summary);
        *code = ranks_code(summary);
        if (!j->o->plan.quiet && strcmp(j->out, "-"))
            fprintf(stderr, "hbmbench run: results of %d ranks written to %s\n", j->comm->size, j->out);
    }
    json_decref(summary);
    if (rc || missing || g->stopped) {
        char pattern[1100];
        hb_partial_path(j->partials, 0, pattern, sizeof pattern);
        char *dot = strstr(pattern, ".rank-0.json");
        if (dot)
            snprintf(dot, pattern + sizeof pattern - dot, ".rank-*.json");
        fprintf(stderr, "hbmbench run: each rank's results stay in %s (on its node's disk when --out is not on a "
                        "shared file system); `hbmbench merge` gathers them\n", pattern);
    }
    return rc;
}

int hb_cluster_gather(const hb_cluster_job *j, char *own_text, int own_kept, double own_wall_s)
{
    hb_comm *c = j->comm;
    int n = c->size;
    gather_ctx g = {j, calloc((size_t)n, sizeof(char *)), calloc((size_t)n, sizeof(char *)),
                    hb_cluster_time_box(j->co, own_wall_s), 0};
    if (!g.texts || !g.paths) {
        fprintf(stderr, "hbmbench run: out of memory\n");
        hb_comm_abort(c, HB_EFAIL);   /* the others must not wait for a file never written */
        return HB_EFAIL;
    }
    if (!own_kept)
        g.texts[0] = own_text;
    else
        free(own_text);
    if (!j->o->plan.quiet && n > 1 && isfinite(g.box_s))
        fprintf(stderr, "hbmbench run: rank 0 done; waiting for %d more rank%s (at most %.0f s: --rank-timeout)\n",
                n - 1, n > 2 ? "s" : "", g.box_s);
    else if (!j->o->plan.quiet && n > 1)
        fprintf(stderr, "hbmbench run: rank 0 done; waiting for %d more rank%s (without limit: --rank-timeout 0)\n",
                n - 1, n > 2 ? "s" : "");
    int missing = hb_comm_gather_end(c, g.box_s, got, &g);
    g.stopped = hb_signal_stop();
    hb_cluster_fault_at(0, "gathered");
    for (int r = 0; r < n; r++) {
        char path[1100];
        hb_partial_path(j->partials, r, path, sizeof path);
        /* a rank that did not report may still have kept its results on a
         * file system rank 0 sees */
        if (!g.texts[r] && (hb_comm_reported(c, r) || access(path, R_OK) == 0))
            g.paths[r] = strdup(path);
    }
    int code = HB_OK, rc = write_gathered(&g, missing, &code);
    int done = !rc && !missing && !g.stopped;
    rc = rc ? rc : code;
    for (int r = 0; r < n; r++) {
        if (done && g.paths[r])
            unlink(g.paths[r]);   /* every rank is in the gathered file: its partial has served */
        free(g.paths[r]);
        free(g.texts[r]);
    }
    free(g.paths);
    free(g.texts);
    if (g.stopped)
        rc = 128 + g.stopped;
    else if (missing && !rc)
        rc = HB_EFAIL;
    /* A rank that never reported may still hang in its run: only MPI_Abort ends it. */
    hb_comm_finish(c, done ? HB_VERDICT_WRITTEN : 0, missing || g.stopped ? rc : 0);
    return rc;
}
