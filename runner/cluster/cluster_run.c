/* SPDX-License-Identifier: Apache-2.0 */
/* cluster_run: `hbmbench run` as one rank of an MPI run (cluster.h).
 *
 * Each rank picks its device (cluster_place.c), runs the ordinary `run`
 * command on it (runner/cli/cmd_run.c, so an MPI run measures exactly as a
 * plain one does) with its result file going to a private temporary folder
 * and its stderr kept for the report, then sends rank 0 a report: its entry
 * of cluster.ranks and that result document. Rank 0 gathers the reports
 * within the time box, writes the one file and prints the summary. */
#include "cluster.h"
#include "env.h"
#include "cluster_comm.h"
#include "cluster_internal.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "json_io.h"
#include "run_opts.h"
#include "hb_clock.h"
#include "read_file.h"

#define MAX_MESSAGE 2000

static int env_int(const char *name)
{
    const char *v = getenv(name);
    char *end;
    long n = v && *v ? strtol(v, &end, 10) : -1;
    return v && *v && !*end && n >= 0 && n < INT_MAX ? (int)n : -1;
}

/* A string as JSON; bytes that are not UTF-8 (a driver's Latin-1) show as '?'. */
static json_t *jtext(const char *s)
{
    json_t *j = json_string(s);
    char *copy = j ? NULL : strdup(s);
    for (char *c = copy; c && *c; c++)
        *c = (unsigned char)*c < 0x80 ? *c : '?';
    if (copy)
        j = json_string(copy);
    free(copy);
    return j;
}

/* The file's text; "" when it cannot be read (a report then says so). */
static char *slurp(const char *path)
{
    char *text;
    size_t len;
    hb_err ignored = {0};
    return hb_read_file(path, &text, &len, &ignored) ? strdup("") : text;
}

/* --------------------------------------------------------------- faults */

/* Test-only faults (docs/cluster.md, "Testing"): the text the report
 * carries for rank r, "" when none applies. */
static void describe_injection(int r, char *buf, size_t len)
{
    const char *mode = getenv("HB_TEST_FAIL_MODE");
    buf[0] = '\0';
    if (env_int("HB_TEST_SLOW_RANK") == r)
        snprintf(buf, len, "HB_TEST_SLOW_RANK: +%s s per timed iteration",
                 getenv("HB_TEST_SLOW_S") ? getenv("HB_TEST_SLOW_S") : "0.001");
    else if (env_int("HB_TEST_FAIL_RANK") == r)
        snprintf(buf, len, "HB_TEST_FAIL_RANK: %s", mode ? mode : "error");
}

/* Applies this rank's fault. Returns 1 when the rank is to report a
 * failure instead of measuring; "exit" and "hang" do not return. */
static int apply_injection(int rank, char *msg, size_t len)
{
    if (env_int("HB_TEST_SLOW_RANK") == rank && !getenv("HB_TEST_SLOW_S"))
        setenv("HB_TEST_SLOW_S", "0.001", 1);   /* read by the driver (runner/driver/measure.c) */
    if (env_int("HB_TEST_FAIL_RANK") != rank)
        return 0;
    const char *mode = getenv("HB_TEST_FAIL_MODE") ? getenv("HB_TEST_FAIL_MODE") : "error";
    if (!strcmp(mode, "exit")) {
        fprintf(stderr, "hbmbench run: rank %d: HB_TEST_FAIL_RANK: dying before it reports\n", rank);
        fflush(stderr);
        _exit(HB_EFAIL);
    }
    if (!strcmp(mode, "hang")) {
        fprintf(stderr, "hbmbench run: rank %d: HB_TEST_FAIL_RANK: hanging before it reports\n", rank);
        fflush(stderr);
        for (;;)
            pause();
    }
    snprintf(msg, len, "HB_TEST_FAIL_RANK: rank %d failed on purpose before measuring", rank);
    return 1;
}

/* ------------------------------------------------------------- one rank */

/* The rank's stderr goes to a file while its run prints, so the report can
 * say what went wrong; it is echoed afterwards, each line marked. */
typedef struct capture {
    int saved;
    char path[600];
} capture;

static void capture_begin(capture *c, const char *dir)
{
    snprintf(c->path, sizeof c->path, "%s/stderr", dir);
    fflush(stderr);
    int fd = open(c->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    c->saved = fd >= 0 ? dup(2) : -1;
    if (c->saved >= 0)
        dup2(fd, 2);
    if (fd >= 0)
        close(fd);
}

static char *capture_end(capture *c, const hb_comm *comm)
{
    fflush(stderr);
    if (c->saved >= 0) {
        dup2(c->saved, 2);
        close(c->saved);
    }
    char *text = slurp(c->path);
    unlink(c->path);
    for (const char *line = text; text && *line;) {
        size_t n = strcspn(line, "\n");
        fprintf(stderr, "[rank %d on %s] %.*s\n", comm->rank, comm->node, (int)n, line);
        line += n + (line[n] == '\n');
    }
    return text;
}

static void set_failed(json_t *rep, int code, const char *msg)
{
    json_object_set_new(rep, "status", json_string("failed"));
    json_object_set_new(rep, "exit_code", json_integer(code));
    json_object_set_new(rep, "message", jtext(msg));
}

static json_t *new_report(const hb_comm *c)
{
    char inj[128];
    describe_injection(c->rank, inj, sizeof inj);
    return json_pack("{s:i, s:s, s:i, s:i, s:s, s:n, s:s, s:n, s:n, s:i, s:n, s:n, s:s, s:n}", "rank", c->rank,
                     "node", c->node, "local_rank", c->local_rank, "local_size", c->local_size, "status", "failed",
                     "exit_code", "message", "", "device_index", "device", "device_shared_by", 1, "cpuset", "wall_s",
                     "test_injection", inj, "doc");
}

static void set_place(json_t *rep, const hb_placement *p)
{
    json_object_set_new(rep, "device_index", json_integer(p->device_index));
    json_object_set_new(rep, "device", jtext(p->device));
    json_object_set_new(rep, "device_shared_by", json_integer(p->shared_by));
    json_object_set_new(rep, "cpuset", p->cpuset[0] ? json_string(p->cpuset) : json_null());
}

/* Runs `run` on the placed device: argv without the cluster options, and
 * the device, a private --out and --quiet appended (getopt keeps the last
 * of a repeated option). */
static int run_once(char **rest, int n, const hb_placement *p, const char *out, double *wall)
{
    char idx[16];
    snprintf(idx, sizeof idx, "%d", p->device_index);
    char **args = calloc((size_t)n + 8, sizeof *args);
    if (!args)
        return HB_EFAIL;
    memcpy(args, rest, (size_t)n * sizeof *args);
    const char *extra[] = {"--device", idx, "--out", out, "--force", "--quiet"};
    for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++)
        args[n++] = (char *)extra[i];
    double t0 = hb_now_s();
    int rc = hb_cmd_run(n, args);
    *wall = hb_now_s() - t0;
    free(args);
    return rc;
}

static void keep_tail(char *text)
{
    size_t len = strlen(text);
    while (len && (text[len - 1] == '\n' || text[len - 1] == ' '))
        text[--len] = '\0';
    if (len > MAX_MESSAGE)
        memmove(text, text + len - MAX_MESSAGE, MAX_MESSAGE + 1);
}

static void measure(const hb_comm *c, char **rest, int n, const hb_placement *p, json_t *rep)
{
    char dir[512];
    const char *tmp = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(dir, sizeof dir, "%s/hbmbench-rank-XXXXXX", tmp);
    if (!mkdtemp(dir)) {
        set_failed(rep, HB_EFAIL, "cannot create a temporary folder for its results");
        return;
    }
    char out[600];
    snprintf(out, sizeof out, "%s/result.json", dir);
    capture cap;
    capture_begin(&cap, dir);
    double wall = 0;
    int rc = run_once(rest, n, p, out, &wall);
    char *said = capture_end(&cap, c);
    json_t *doc = json_load_file(out, 0, NULL);
    unlink(out);
    rmdir(dir);
    if (said)
        keep_tail(said);
    json_object_set_new(rep, "exit_code", json_integer(rc));
    json_object_set_new(rep, "wall_s", json_real(wall));
    json_object_set_new(rep, "message", jtext(said && said[0] ? said : doc ? "" : "its run wrote no results"));
    if (doc) {
        json_object_set_new(rep, "status", json_string("ok"));
        json_object_set_new(rep, "doc", doc);
    }
    free(said);
}

/* This rank's report: its place, its own run's exit code and what it said,
 * and its result document. NULL only when out of memory. */
static json_t *run_rank(const hb_comm *c, const hb_cluster_opts *co, const hb_run_opts *o, char **rest, int n)
{
    json_t *rep = new_report(c);
    char msg[256];
    hb_placement p;
    hb_err err = {0};
    if (!rep)
        return NULL;
    if (apply_injection(c->rank, msg, sizeof msg))
        set_failed(rep, HB_EFAIL, msg);
    else if (hb_cluster_place(o->device, &o->peaks, o->plan.models, o->plan.n_models, c->local_rank, c->local_size,
                              co->pin, &p, &err))
        set_failed(rep, err.code, err.msg);
    else {
        set_place(rep, &p);
        measure(c, rest, n, &p, rep);
    }
    return rep;
}

/* ------------------------------------------------------------ gathering */

static int report_code(const json_t *rep)
{
    const json_t *code = json_object_get(rep, "exit_code");
    const char *status = json_string_value(json_object_get(rep, "status"));
    int ok = status && !strcmp(status, "ok");
    int c = json_is_integer(code) ? (int)json_integer_value(code) : HB_EFAIL;
    return ok ? c : c ? c : HB_EFAIL;
}

/* The report of a rank that sent nothing usable. */
static json_t *missing_report(const hb_comm *c, int r, const char *text, double timeout_s)
{
    char msg[256], inj[128];
    int lr, ls;
    const char *node = hb_comm_node_of(c, r, &lr, &ls);
    describe_injection(r, inj, sizeof inj);
    if (text)
        snprintf(msg, sizeof msg, "its report could not be read");
    else if (timeout_s > 0)
        snprintf(msg, sizeof msg, "no report within --rank-timeout %g s after rank 0 finished: the rank hung or died",
                 timeout_s);
    else
        snprintf(msg, sizeof msg, "no report: the rank died");
    return json_pack("{s:i, s:s, s:i, s:i, s:s, s:n, s:s, s:n, s:n, s:i, s:n, s:n, s:s, s:n}", "rank", r, "node", node,
                     "local_rank", lr, "local_size", ls, "status", text ? "failed" : "timeout", "exit_code", "message",
                     msg, "device_index", "device", "device_shared_by", 1, "cpuset", "wall_s", "test_injection", inj,
                     "doc");
}

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

static void emit(const hb_run_opts *o, const json_t *doc, const char *text)
{
    if (o->plan.quiet)
        return;
    if (o->format == HB_FORMAT_JSON)
        puts(text);
    else if (o->format == HB_FORMAT_CSV)
        hb_cluster_print_csv(stdout, doc);
    else
        hb_cluster_print(stdout, doc);
    fflush(stdout);
}

static int write_gathered(const hb_cluster_meta *m, json_t **reports, const hb_run_opts *o, const char *path)
{
    hb_err err = {0};
    json_t *doc = hb_cluster_merge(reports, m, &err);
    char *text = NULL;
    int rc = doc ? hb_cluster_outliers(doc, m->opts, &err) : err.code;
    if (!rc && !(text = hb_json_doc_dumps(doc)))
        rc = hb_fail(&err, HB_EFAIL, "out of memory while making the JSON document");
    if (!rc)
        rc = hb_write_text_atomic(text, path, o->force, &err);
    if (rc) {
        fprintf(stderr, "hbmbench run: %s; nothing written\n", err.msg);
        for (int r = 0; r < m->size; r++)
            fprintf(stderr, "hbmbench run: rank %d: %s: %s\n", r,
                    json_string_value(json_object_get(reports[r], "status")),
                    json_string_value(json_object_get(reports[r], "message")));
    } else {
        emit(o, doc, text);
        if (!o->plan.quiet)
            fprintf(stderr, "hbmbench run: results of %d ranks written to %s\n", m->size, path);
    }
    free(text);
    json_decref(doc);
    return rc;
}

/* Rank 0: its own report, everyone else's within the time box, the file. */
static int gather(hb_comm *c, const hb_launch *l, const hb_cluster_opts *co, const hb_run_opts *o, json_t *own,
                  const char *path, int argc, char **argv)
{
    json_t **reports = calloc((size_t)c->size, sizeof *reports);
    char **texts = calloc((size_t)c->size, sizeof *texts);
    char line[2048];
    if (!reports || !texts) {
        fprintf(stderr, "hbmbench run: out of memory\n");
        hb_comm_abort(c, HB_EFAIL);   /* the others must not wait for a file never written */
        return HB_EFAIL;
    }
    if (!o->plan.quiet && c->size > 1)
        fprintf(stderr, "hbmbench run: rank 0 done; waiting for %d more rank%s%s\n", c->size - 1,
                c->size > 2 ? "s" : "", co->rank_timeout_s > 0 ? " (see --rank-timeout)" : "");
    hb_comm_gather_end(c, co->rank_timeout_s, texts);
    int missing = !own, rc = HB_OK;
    reports[0] = own ? own : missing_report(c, 0, "", co->rank_timeout_s);
    for (int r = 1; r < c->size; r++) {
        reports[r] = texts[r] ? json_loads(texts[r], 0, NULL) : NULL;
        missing |= !texts[r];
        if (!json_is_object(reports[r])) {
            json_decref(reports[r]);
            reports[r] = missing_report(c, r, texts[r], co->rank_timeout_s);
        }
        free(texts[r]);
    }
    command_line(argc, argv, line, sizeof line);
    hb_cluster_meta m = {l->launcher, c->size, line, co};
    rc = write_gathered(&m, reports, o, path);
    for (int r = 0; r < c->size; r++) {
        if (!rc && report_code(reports[r]))
            rc = HB_EFAIL;
        json_decref(reports[r]);
    }
    free(reports);
    free(texts);
    /* A rank that never reported may still hang in its run: only MPI_Abort ends it. */
    hb_comm_finish(c, missing ? (rc ? rc : HB_EFAIL) : 0);
    return rc;
}

static int send_report(hb_comm *c, json_t *rep)
{
    hb_err err = {0};
    char *text = rep ? json_dumps(rep, JSON_COMPACT) : NULL;
    int rc = report_code(rep);
    if (!text)   /* rank 0 fills in the rest from what it knows of this rank */
        text = strdup("{\"status\": \"failed\", \"message\": \"out of memory while making its report\"}");
    if (!text || hb_comm_send(c, text, &err)) {
        fprintf(stderr, "hbmbench run: rank %d: %s\n", c->rank, text ? err.msg : "out of memory");
        hb_comm_abort(c, HB_EFAIL);
        return HB_EFAIL;
    }
    free(text);
    json_decref(rep);
    hb_comm_finish(c, 0);
    return rc;
}

static int cluster_main(const hb_launch *l, const hb_cluster_opts *co, const hb_run_opts *o, char **rest, int n,
                        int argc, char **argv)
{
    hb_comm c;
    hb_err err = {0};
    if (hb_comm_init(&c, &err)) {
        fprintf(stderr, "hbmbench run: %s\n", err.msg);
        return err.code;
    }
    char path[1024] = "";
    int go = HB_OK;
    if (c.rank == 0) {
        out_path(o, c.node, path, sizeof path);
        if (!o->force && access(path, F_OK) == 0) {
            fprintf(stderr, "hbmbench run: --out %s exists; refusing to overwrite it (use --force)\n", path);
            go = HB_EUSAGE;
        }
    }
    hb_comm_bcast_int(&c, &go);
    if (go) {
        hb_comm_close(&c);
        return go;
    }
    if (c.rank == 0) {
        hb_comm_gather_begin(&c, &err);
        if (!o->plan.quiet)
            fprintf(stderr, "hbmbench run: MPI run of %d rank%s (%s): each measures one device of its node\n", c.size,
                    c.size > 1 ? "s" : "", l->launcher);
    }
    json_t *rep = run_rank(&c, co, o, rest, n);
    if (c.rank != 0)
        return send_report(&c, rep);
    return gather(&c, l, co, o, rep, path, argc, argv);
}

int hb_cmd_run_cluster(int argc, char **argv)
{
    hb_launch l;
    hb_launch_detect(&l);
    int speak = l.env_rank <= 0;   /* usage errors: one rank says it, not every one */
    hb_cluster_opts co;
    hb_run_opts o;
    hb_err err = {0};
    char **rest = calloc((size_t)argc + 1, sizeof *rest), **probe = calloc((size_t)argc + 1, sizeof *probe);
    int n = 0, rc = !rest || !probe ? hb_fail(&err, HB_EFAIL, "out of memory")
                                    : hb_cluster_opts_take(argc, argv, &co, rest, &n, &err);
    int report = rc != HB_OK;   /* whether err is this function's to print */
    if (!rc) {
        /* getopt reorders what it parses: a copy, so rest stays as typed */
        memcpy(probe, rest, ((size_t)n + 1) * sizeof *rest);
        int bad = hb_run_opts_parse(n, probe, &o, &err);
        if (!bad && o.help) {
            if (speak) {
                fputs(hb_run_usage(), stdout);
                fputs(hb_cluster_usage(), stdout);
                hb_env_help(stdout);
            }
        } else if (!l.launcher) {
            if (!bad && co.given)
                fprintf(stderr, "hbmbench run: --rank-timeout, --outlier-fraction, --outlier-cv and --pin apply "
                                "to MPI runs only (docs/cluster.md); ignored\n");
            rc = hb_cmd_run(n, rest);   /* a plain run: it reports its own usage errors */
        } else {
            report = bad != HB_OK;
            rc = bad ? bad : cluster_main(&l, &co, &o, rest, n, argc, argv);
        }
    }
    if (report && speak)
        fprintf(stderr, "hbmbench run: %s\n(see hbmbench run --help)\n", err.msg);
    free(rest);
    free(probe);
    return rc;
}
