/* SPDX-License-Identifier: Apache-2.0 */
/* cluster_rank: one rank's measurement (cluster_rank.h). It picks its device
 * (cluster_place.c), runs the ordinary `run` command on it
 * (runner/cli/cmd_run.c, so an MPI run measures exactly as a plain one does)
 * with its result file going to a private temporary folder and its stderr
 * kept, and makes the rank's report: its entry of cluster.ranks and that
 * result document. The test-only faults are here too. */
#include "env.h"
#include "cluster_rank.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "hb_clock.h"
#include "read_file.h"

#define MAX_MESSAGE 2000

static int env_int(const char *name)
{
    const char *v = hb_env(name);
    char *end;
    long n = v && *v ? strtol(v, &end, 10) : -1;
    return v && *v && !*end && n >= 0 && n < INT_MAX ? (int)n : -1;
}

/* A string as JSON; bytes that are not UTF-8 (a driver's Latin-1) show as '?'. */
json_t *hb_cluster_jtext(const char *s)
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
void hb_cluster_injection(int r, char *buf, size_t len)
{
    const char *mode = hb_env("HB_TEST_FAIL_MODE");
    buf[0] = '\0';
    if (env_int("HB_TEST_SLOW_RANK") == r)
        snprintf(buf, len, "HB_TEST_SLOW_RANK: +%s s per timed iteration",
                 hb_env("HB_TEST_SLOW_S") ? hb_env("HB_TEST_SLOW_S") : "0.001");
    else if (env_int("HB_TEST_FAIL_RANK") == r)
        snprintf(buf, len, "HB_TEST_FAIL_RANK: %s", mode ? mode : "error");
}

/* Applies this rank's fault. Returns 1 when the rank is to report a
 * failure instead of measuring; "exit" and "hang" do not return. */
static int apply_injection(int rank, char *msg, size_t len)
{
    if (env_int("HB_TEST_SLOW_RANK") == rank && !hb_env("HB_TEST_SLOW_S"))
        setenv("HB_TEST_SLOW_S", "0.001", 1);   /* read by the driver (runner/driver/measure.c) */
    if (env_int("HB_TEST_FAIL_RANK") != rank)
        return 0;
    const char *mode = hb_env("HB_TEST_FAIL_MODE") ? hb_env("HB_TEST_FAIL_MODE") : "error";
    if (!strcmp(mode, "exit")) {
        fprintf(stderr, "hbmbench run: rank %d: HB_TEST_FAIL_RANK: dying before it reports\n", rank);
        fflush(stderr);
        _exit(HB_EFAIL);
    }
    if (!strcmp(mode, "hang") || !strcmp(mode, "stop") || !strcmp(mode, "exit-after-gather"))
        return 0;   /* these come later: hb_cluster_fault_at() */
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
    json_object_set_new(rep, "message", hb_cluster_jtext(msg));
}

static json_t *new_report(const hb_comm *c)
{
    char inj[128];
    hb_cluster_injection(c->rank, inj, sizeof inj);
    return json_pack("{s:i, s:s, s:i, s:i, s:s, s:n, s:s, s:n, s:n, s:i, s:n, s:n, s:s, s:n}", "rank", c->rank,
                     "node", c->node, "local_rank", c->local_rank, "local_size", c->local_size, "status", "failed",
                     "exit_code", "message", "", "device_index", "device", "device_shared_by", 1, "cpuset", "wall_s",
                     "test_injection", inj, "doc");
}

static void set_place(json_t *rep, const hb_placement *p)
{
    json_object_set_new(rep, "device_index", json_integer(p->device_index));
    json_object_set_new(rep, "device", hb_cluster_jtext(p->device));
    json_object_set_new(rep, "device_shared_by", json_integer(p->shared_by));
    json_object_set_new(rep, "cpuset", p->cpuset[0] ? json_string(p->cpuset) : json_null());
}

/* Runs `run` on the placed device: argv without the cluster options, and
 * the device, a private --out and --quiet appended (getopt keeps the last
 * of a repeated option). */
/* The rank's checkpoint: its report so far with the results so far. */
typedef struct keeper {
    const json_t *rep;
    hb_cluster_keep_fn keep;
    void *arg;
    double t0;
} keeper;

static void on_doc(const char *text, void *arg)
{
    keeper *k = arg;
    json_t *copy = json_deep_copy(k->rep), *doc = json_loads(text, 0, NULL);
    if (copy && doc && !json_object_set_new(copy, "status", json_string("ok")) &&
        !json_object_set_new(copy, "wall_s", json_real(hb_now_s() - k->t0)) &&
        !json_object_set_new(copy, "message", json_string("its run had not ended when this was kept")) &&
        !json_object_set(copy, "doc", doc))
        k->keep(copy, k->arg);
    json_decref(copy);
    json_decref(doc);
}

static int run_once(char **rest, int n, const hb_placement *p, const char *out, double *wall, keeper *k)
{
    char idx[280];
    /* an index never names the host's devices (select.c); their names are unique */
    if (!strcmp(p->type, "HOST"))
        snprintf(idx, sizeof idx, "name:%s", p->device);
    else
        snprintf(idx, sizeof idx, "%d", p->device_index);
    char **args = calloc((size_t)n + 8, sizeof *args);
    if (!args)
        return HB_EFAIL;
    memcpy(args, rest, (size_t)n * sizeof *args);
    const char *extra[] = {"--device", idx, "--out", out, "--force", "--quiet"};
    for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++)
        args[n++] = (char *)extra[i];
    double t0 = k->t0 = hb_now_s();
    int rc = k->keep ? hb_cmd_run_hooked(n, args, on_doc, k) : hb_cmd_run(n, args);
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

/* Private folders of ranks killed on this node before they could remove
 * theirs ("hbmbench-rank-NODE-PID-XXXXXX", PID no longer running). */
static void remove_stale(const char *tmp, const char *node)
{
    char prefix[300];
    snprintf(prefix, sizeof prefix, "hbmbench-rank-%s-", node);
    DIR *d = opendir(tmp);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        char *end;
        long pid = strncmp(e->d_name, prefix, strlen(prefix)) ? 0 : strtol(e->d_name + strlen(prefix), &end, 10);
        if (pid <= 0 || *end != '-' || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        char dir[1200];
        snprintf(dir, sizeof dir, "%s/%s", tmp, e->d_name);
        DIR *in = opendir(dir);
        struct dirent *f;
        while (in && (f = readdir(in))) {
            char path[1600];
            snprintf(path, sizeof path, "%s/%s", dir, f->d_name);
            if (f->d_name[0] != '.')
                unlink(path);
        }
        if (in)
            closedir(in);
        rmdir(dir);
    }
    if (d)
        closedir(d);
}

static void measure(const hb_comm *c, char **rest, int n, const hb_placement *p, json_t *rep, keeper *k)
{
    char dir[512];
    const char *tmp = hb_env("TMPDIR") ? hb_env("TMPDIR") : "/tmp";
    remove_stale(tmp, c->node);
    snprintf(dir, sizeof dir, "%s/hbmbench-rank-%.200s-%ld-XXXXXX", tmp, c->node, (long)getpid());
    if (!mkdtemp(dir)) {
        set_failed(rep, HB_EFAIL, "cannot create a temporary folder for its results");
        return;
    }
    char out[600];
    snprintf(out, sizeof out, "%s/result.json", dir);
    capture cap;
    capture_begin(&cap, dir);
    double wall = 0;
    k->rep = rep;
    int rc = run_once(rest, n, p, out, &wall, k);
    char *said = capture_end(&cap, c);
    json_t *doc = json_load_file(out, 0, NULL);
    unlink(out);
    rmdir(dir);
    if (said)
        keep_tail(said);
    json_object_set_new(rep, "exit_code", json_integer(rc));
    json_object_set_new(rep, "wall_s", json_real(wall));
    json_object_set_new(rep, "message", hb_cluster_jtext(said && said[0] ? said : doc ? "" : "its run wrote no results"));
    if (doc) {
        json_object_set_new(rep, "status", json_string("ok"));
        json_object_set_new(rep, "doc", doc);
    }
    free(said);
}

json_t *hb_cluster_run_rank(const hb_comm *c, const hb_cluster_opts *co, const hb_run_opts *o, char **rest, int n,
                            hb_cluster_keep_fn keep, void *arg)
{
    keeper k = {NULL, keep, arg, 0};
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
        measure(c, rest, n, &p, rep, &k);
    }
    return rep;
}

int hb_cluster_report_code(const json_t *rep)
{
    const json_t *code = json_object_get(rep, "exit_code");
    const char *status = json_string_value(json_object_get(rep, "status"));
    int ok = status && !strcmp(status, "ok");
    int c = json_is_integer(code) ? (int)json_integer_value(code) : HB_EFAIL;
    return ok ? c : c ? c : HB_EFAIL;
}

void hb_cluster_fault_at(int rank, const char *point)
{
    const char *mode = hb_env("HB_TEST_FAIL_MODE") ? hb_env("HB_TEST_FAIL_MODE") : "error";
    if (env_int("HB_TEST_FAIL_RANK") != rank)
        return;
    fflush(stdout);
    if (!strcmp(point, "report") && !strcmp(mode, "hang")) {
        fprintf(stderr, "hbmbench run: rank %d: HB_TEST_FAIL_RANK: hanging before it reports\n", rank);
        fflush(stderr);
        for (;;)
            pause();
    }
    if (!strcmp(point, "report") && !strcmp(mode, "stop")) {
        fprintf(stderr, "hbmbench run: rank %d: HB_TEST_FAIL_RANK: stopping itself (SIGSTOP) before it reports\n",
                rank);
        fflush(stderr);
        raise(SIGSTOP);
    }
    if (!strcmp(point, "gathered") && !strcmp(mode, "exit-after-gather")) {
        fprintf(stderr, "hbmbench run: rank %d: HB_TEST_FAIL_RANK: dying after the others reported\n", rank);
        fflush(stderr);
        _exit(HB_EFAIL);
    }
}
