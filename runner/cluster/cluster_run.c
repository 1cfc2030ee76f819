/* SPDX-License-Identifier: Apache-2.0 */
/* cluster_run: `hbmbench run` as one rank of an MPI run (cluster.h).
 *
 * Every rank calls MPI_Init first, then checks its own command line, so a
 * bad option on any rank is reported by that rank and ends the whole job
 * at once (docs/cluster.md, "Usage errors"). Each rank then measures its
 * device (cluster_rank.c), keeps its report in its partial file beside the
 * gathered file at once (cluster_partial.c), and sends it to rank 0, which
 * gathers within the time box and writes the one file (cluster_gather.c). */
#include "cluster.h"
#include "env.h"
#include "cluster_gather.h"
#include "cluster_rank.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "hb_clock.h"
#include "hb_signal.h"

/* The command as typed, the cluster options included ("hbmbench run ..."). */
static void command_line(int argc, char **argv, char *buf, size_t len)
{
    size_t used = (size_t)snprintf(buf, len, "hbmbench");
    for (int i = 0; i < argc && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, " %s", argv[i]);
}

/* As a plain run names its file (runner/cli/cmd_run.c). */
static void out_path(const hb_run_opts *o, const char *node, char *buf, size_t len)
{
    char stamp[32];
    time_t t = time(NULL);
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", gmtime(&t));
    if (o->out)
        snprintf(buf, len, "%s", o->out);
    else
        snprintf(buf, len, "results/%s-%s.json", node, stamp);
}

/* What rank 0 decides before anyone measures, sent to every rank. */
typedef struct start_msg {
    int go;                    /* HB_OK, or the exit code of a refusal */
    char run_id[96];
    char out[1024];
} start_msg;

/* Rank 0: the file's path, and whether it (or an earlier run's partial
 * files beside it) may be written. */
static void decide(const hb_comm *c, const hb_run_opts *o, start_msg *s)
{
    char partial[1100];
    out_path(o, c->node, s->out, sizeof s->out);
    snprintf(s->run_id, sizeof s->run_id, "%.60s-%ld-%lld", c->node, (long)getpid(), (long long)time(NULL));
    hb_partial_path(strcmp(s->out, "-") ? s->out : "hbmbench-stdout.json", 0, partial, sizeof partial);
    if (!o->force && strcmp(s->out, "-") && access(s->out, F_OK) == 0) {
        fprintf(stderr, "hbmbench run: --out %s exists; refusing to overwrite it (use --force)\n", s->out);
        s->go = HB_EUSAGE;
    } else if (!o->force && access(partial, F_OK) == 0) {
        fprintf(stderr, "hbmbench run: %s exists: an earlier run's results; gather them with `hbmbench merge`, or "
                        "use --force to replace them\n", partial);
        s->go = HB_EUSAGE;
    }
}

/* Every rank's verdict on its own command line, after MPI_Init: a rank
 * whose options are bad says why (rank 0's message stands for all when it
 * has one too), rank 0 names the ranks, and all end with HB_EUSAGE. */
static int agree_usage(hb_comm *c, int bad, const hb_err *err)
{
    int *all = calloc((size_t)c->size, sizeof *all), n_bad = 0;
    if (!all) {
        fprintf(stderr, "hbmbench run: out of memory\n");
        hb_comm_abort(c, HB_EFAIL);
        return HB_EFAIL;
    }
    hb_comm_allgather_int(c, bad, all);
    for (int r = 0; r < c->size; r++)
        n_bad += all[r] != 0;
    if (bad && (c->rank == 0 || !all[0]))
        fprintf(stderr, "hbmbench run: rank %d on %s: %s\n(see hbmbench run --help)\n", c->rank, c->node, err->msg);
    if (n_bad && c->rank == 0) {
        /* one write: the launcher interleaves the ranks' stderr between writes */
        char ranks[256];
        size_t used = 0;
        ranks[0] = '\0';
        for (int r = 0, shown = 0; r < c->size && used < sizeof ranks; r++)
            if (all[r] && shown++ < 16)
                used += (size_t)snprintf(ranks + used, sizeof ranks - used, "%s%d", shown > 1 ? ", " : "", r);
        fprintf(stderr, "hbmbench run: bad usage on %d of %d ranks (%s%s); nothing measured\n", n_bad, c->size, ranks,
                n_bad > 16 ? ", ..." : "");
    }
    free(all);
    return n_bad ? HB_EUSAGE : HB_OK;
}

static char *report_text(const hb_cluster_job *j, json_t *rep);

/* A checkpoint of the rank's report, kept in its partial file. */
static void keep(json_t *rep, void *arg)
{
    const hb_cluster_job *j = arg;
    hb_err ignored = {0};
    char *text = report_text(j, json_incref(rep));
    hb_partial_write(j->partials, j->comm->rank, text, &ignored);
    free(text);
}

/* The report, with what a later `hbmbench merge` needs of the job. Takes rep. */
static char *report_text(const hb_cluster_job *j, json_t *rep)
{
    const hb_cluster_opts *co = j->co;
    json_t *job = json_pack("{s:s, s:i, s:s, s:s, s:f, s:f, s:f, s:f, s:s}", "launcher", j->launch->launcher, "size",
                            j->comm->size, "command_line", j->command_line, "out", j->out, "rank_timeout_s",
                            co->rank_timeout_s, "rank_timeout_factor", co->rank_timeout_factor, "outlier_fraction",
                            co->outlier_fraction, "outlier_cv", co->noisy_cv_factor, "pin", co->pin ? "device" : "none");
    char *text = NULL;
    if (rep && job && !json_object_set_new(rep, "run_id", json_string(j->run_id)) &&
        !json_object_set_new(rep, "job", job))
        text = json_dumps(rep, JSON_COMPACT);
    else
        json_decref(job);
    json_decref(rep);
    if (!text)   /* rank 0 fills in the rest from what it knows of this rank */
        text = strdup("{\"status\": \"failed\", \"message\": \"out of memory while making its report\"}");
    return text;
}

/* Any rank but 0: its report to rank 0, then rank 0's verdict, within a
 * bound: twice its own time box (rank 0 may be as late as this rank may,
 * then waits its box) and 10 s for rank 0 to write the file. */
#define VERDICT_MARGIN_S 10.0
static int send_report(const hb_cluster_job *j, char *text, int rc, double wall_s)
{
    hb_comm *c = j->comm;
    hb_err err = {0};
    char partial[1100];
    hb_partial_path(j->partials, c->rank, partial, sizeof partial);
    double wait_s = 2 * hb_cluster_time_box(j->co, wall_s) + VERDICT_MARGIN_S;
    int verdict = hb_comm_send(c, text, wait_s, &err);   /* takes text */
    if (verdict >= 0 && (verdict & HB_VERDICT_WRITTEN))
        unlink(partial);   /* in the gathered file now */
    if (verdict >= 0 && (verdict & HB_VERDICT_ABORT))
        hb_comm_await_abort(c);
    if (verdict >= 0) {
        hb_comm_close(c);
        return rc;
    }
    if (verdict == HB_COMM_STOPPED) {
        fprintf(stderr, "hbmbench run: rank %d: stopped by %s; its results are in %s\n", c->rank,
                hb_signal_name(hb_signal_stop()), partial);
        fflush(stderr);
        return 128 + hb_signal_stop();   /* no MPI_Finalize: it would wait for the others */
    }
    if (verdict == HB_COMM_NO_VERDICT)
        fprintf(stderr, "hbmbench run: rank %d: no word from rank 0 within %.0f s of sending its report (rank 0 died "
                        "or hangs); ending the job; this rank's results are in %s (`hbmbench merge`)\n",
                c->rank, wait_s, partial);
    else
        fprintf(stderr, "hbmbench run: rank %d: %s; its results are in %s\n", c->rank, err.msg, partial);
    hb_comm_abort(c, HB_EFAIL);
    return HB_EFAIL;
}

static int cluster_main(hb_cluster_job *j, char **rest, int n, int bad, const hb_err *usage_err)
{
    hb_comm *c = j->comm;
    hb_err err = {0};
    if (hb_comm_init(c, &err)) {
        fprintf(stderr, "hbmbench run: %s\n", err.msg);
        return err.code;
    }
    hb_signal_install();   /* from here a SIGTERM keeps what was measured */
    int rc = agree_usage(c, bad, usage_err);
    start_msg s = {0};
    if (!rc && c->rank == 0)
        decide(c, j->o, &s);
    if (!rc)
        hb_comm_bcast(c, &s, (int)sizeof s);
    if (rc || s.go) {
        hb_comm_close(c);
        return rc ? rc : s.go;
    }
    snprintf(j->out, sizeof j->out, "%s", s.out);
    snprintf(j->partials, sizeof j->partials, "%s", strcmp(s.out, "-") ? s.out : "hbmbench-stdout.json");
    snprintf(j->run_id, sizeof j->run_id, "%s", s.run_id);
    if (c->rank == 0) {
        hb_comm_gather_begin(c, &err);
        if (!j->o->plan.quiet)
            fprintf(stderr, "hbmbench run: MPI run of %d rank%s (%s): each measures one device of its node\n", c->size,
                    c->size > 1 ? "s" : "", j->launch->launcher);
    }
    double t0 = hb_now_s();
    json_t *rep = hb_cluster_run_rank(c, j->co, j->o, rest, n, keep, j);
    double wall = hb_now_s() - t0;
    rc = hb_cluster_report_code(rep);
    char *text = report_text(j, rep);
    /* kept on disk before anything else can go wrong */
    int kept = text && hb_partial_write(j->partials, c->rank, text, &err) == HB_OK;
    if (!kept)
        fprintf(stderr, "hbmbench run: rank %d: its partial file: %s\n", c->rank, text ? err.msg : "out of memory");
    hb_cluster_fault_at(c->rank, "report");
    if (!text) {
        hb_comm_abort(c, HB_EFAIL);
        return HB_EFAIL;
    }
    if (c->rank != 0)
        return send_report(j, text, rc, wall);
    int grc = hb_cluster_gather(j, text, kept, wall);
    return grc ? grc : rc;
}

int hb_cmd_run_cluster(int argc, char **argv)
{
    hb_launch l;
    hb_launch_detect(&l);
    int speak = l.env_rank <= 0;   /* --help: one rank prints it, not every one */
    hb_cluster_opts co;
    hb_run_opts o;
    hb_err err = {0};
    char **rest = calloc((size_t)argc + 1, sizeof *rest), **probe = calloc((size_t)argc + 1, sizeof *probe);
    if (!rest || !probe) {
        free(rest);
        free(probe);
        fprintf(stderr, "hbmbench run: out of memory\n");
        return HB_EFAIL;
    }
    int n = 0, rc = hb_cluster_opts_take(argc, argv, &co, rest, &n, &err), taken = rc == HB_OK;
    if (!rc) {
        /* getopt reorders what it parses: a copy, so rest stays as typed */
        memcpy(probe, rest, ((size_t)n + 1) * sizeof *rest);
        rc = hb_run_opts_parse(n, probe, &o, &err);
    }
    if (!rc && o.help) {
        if (speak) {
            fputs(hb_run_usage(), stdout);
            fputs(hb_cluster_usage(), stdout);
            hb_env_help(stdout);
        }
    } else if (!l.launcher) {
        if (!taken)
            fprintf(stderr, "hbmbench run: %s\n(see hbmbench run --help)\n", err.msg);
        else {
            if (!rc && co.given)
                fprintf(stderr, "hbmbench run: --rank-timeout, --rank-timeout-factor, --outlier-fraction, "
                                "--outlier-cv and --pin apply to MPI runs only (docs/cluster.md); ignored\n");
            rc = hb_cmd_run(n, rest);   /* a plain run: it reports its own usage errors */
        }
    } else {
        hb_comm c;
        hb_cluster_job j = {&c, &l, &co, &o, "", "", "", ""};
        command_line(argc, argv, j.command_line, sizeof j.command_line);
        rc = cluster_main(&j, rest, n, rc, &err);
    }
    free(rest);
    free(probe);
    return rc;
}
