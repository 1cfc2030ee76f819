/* SPDX-License-Identifier: Apache-2.0 */
/* `hbmbench merge`: the gathered file of an MPI run made afterwards from the
 * ranks' partial files (docs/cluster.md, "When a rank or the job dies"), as
 * rank 0 would have written it, each rank's state said: complete, partial
 * (stopped by a signal) or missing. In the MPI build only, beside the code
 * that writes the gathered file (cluster_write.c). */
#include "cluster.h"
#include "cluster_internal.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "options.h"

static const char usage_head[] =
    "usage: hbmbench merge [options] PARTIAL... | DIR\n"
    "\n"
    "Gathers the partial files of an MPI run (OUT.rank-R.json, one per rank, kept\n"
    "as each rank finished) into the one result file rank 0 would have written,\n"
    "when a rank or the whole job died before it could. A folder stands for every\n"
    "*.rank-N.json file in it. Each rank's entry says what of it is there: \"kept\":\n"
    "complete, partial (its run was stopped or killed) or none; a rank with no\n"
    "file is \"missing\". The partial files are left as they are.\n"
    "\n";

static const char usage_tail[] =
    "\n"
    "exit codes: 0 every rank complete and ok; 1 a rank missing, failed, stopped\n"
    "            or with an invalid result (the file is still written);\n"
    "            2 bad usage, an unreadable partial file, partial files of\n"
    "              different runs, --out exists\n";

typedef struct merge_opts {
    const char *out;
    int force, quiet, format, help;
} merge_opts;

enum { O_OUT, O_FORCE, O_FORMAT, O_QUIET };
static const char *const formats[] = {"table", "csv", "json", NULL};

static const hb_opt options[] = {
    {"out", "FILE", HB_OPT_TEXT, "the gathered file", "the run's --out, as the partial files say", .id = O_OUT},
    {"force", NULL, HB_OPT_FLAG, "overwrite --out if it exists", .id = O_FORCE},
    {"format", "FMT", HB_OPT_CHOICE, "table (the ranks, aggregates, outliers), csv or json on stdout", "table",
     .choices = formats, .id = O_FORMAT},
    {"quiet", NULL, HB_OPT_FLAG, "print nothing but errors", .id = O_QUIET},
};
#define N_OPTIONS (sizeof options / sizeof options[0])

static int one(void *ctx, const hb_opt *opt, const char *v, double num, hb_err *err)
{
    merge_opts *o = ctx;
    (void)err;
    switch (opt->id) {
    case O_OUT: o->out = v; break;
    case O_FORCE: o->force = 1; break;
    case O_FORMAT: o->format = (int)num; break;
    default: o->quiet = 1; break;
    }
    return HB_OK;
}

/* What the partial files say of the run. */
typedef struct found {
    char **paths;              /* by rank */
    int size;
    json_t *first;             /* the lowest rank's report, less its document */
    char *run_id;
} found;

/* Whether name is "<anything>.rank-<digits>.json". */
static int partial_name(const char *name)
{
    const char *r = strstr(name, ".rank-");
    if (!r)
        return 0;
    size_t d = strspn(r + 6, "0123456789");
    return d > 0 && !strcmp(r + 6 + d, ".json");
}

static int add(found *f, const char *path, hb_err *err)
{
    json_t *rep = hb_partial_read(path, err);
    if (!rep)
        return HB_EUSAGE;
    int r = (int)json_integer_value(json_object_get(rep, "rank"));
    const char *id = hb_cluster_str(rep, "run_id");
    int size = (int)hb_cluster_num(json_object_get(rep, "job"), "size"), rc = HB_OK;
    if (f->run_id && strcmp(f->run_id, id))
        rc = hb_fail(err, HB_EUSAGE, "%s is from another run (run_id \"%s\", not \"%s\")", path, id, f->run_id);
    int want = (size > r ? size : r + 1) > f->size ? (size > r ? size : r + 1) : f->size;
    char **grown = rc ? NULL : realloc(f->paths, (size_t)want * sizeof *grown);
    if (!rc && !grown)
        rc = hb_fail(err, HB_EFAIL, "out of memory");
    if (grown) {
        memset(grown + f->size, 0, (size_t)(want - f->size) * sizeof *grown);
        f->paths = grown;
        f->size = want;
        if (f->paths[r])
            rc = hb_fail(err, HB_EUSAGE, "two partial files of rank %d: %s and %s", r, f->paths[r], path);
    }
    if (!rc) {
        f->paths[r] = strdup(path);
        f->run_id = f->run_id ? f->run_id : strdup(id);
        if (!f->first || r < json_integer_value(json_object_get(f->first, "rank"))) {
            json_object_del(rep, "doc");
            json_decref(f->first);
            f->first = json_incref(rep);
        }
    }
    json_decref(rep);
    return rc;
}

static int add_dir(found *f, const char *dir, hb_err *err)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort), rc = HB_OK, any = 0;
    if (n < 0)
        return hb_fail(err, HB_EUSAGE, "%s: cannot read the folder", dir);
    for (int i = 0; i < n; i++) {
        char path[4096];
        if (!rc && partial_name(names[i]->d_name)) {
            snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
            rc = add(f, path, err);
            any = 1;
        }
        free(names[i]);
    }
    free(names);
    return rc ? rc : any ? HB_OK : hb_fail(err, HB_EUSAGE, "%s: no partial files (*.rank-N.json) in it", dir);
}

/* A rank none of the files is of. */
static json_t *report_of(void *ctx, int r, json_t *rep, const char *why)
{
    (void)ctx;
    if (rep)
        return rep;
    char msg[1200];
    snprintf(msg, sizeof msg, "%s", why[0] ? why : "no partial file of this rank: it never finished its run");
    return json_pack("{s:i, s:s, s:n, s:n, s:s, s:n, s:s, s:n, s:n, s:i, s:n, s:n, s:s, s:n}", "rank", r, "node", "",
                     "local_rank", "local_size", "status", why[0] ? "failed" : "missing", "exit_code", "message", msg,
                     "device_index", "device", "device_shared_by", 1, "cpuset", "wall_s", "test_injection", "", "doc");
}

static int code_of(const json_t *summary)
{
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(json_object_get(summary, "cluster"), "ranks"), i, e) {
        const json_t *code = json_object_get(e, "exit_code");
        if (strcmp(hb_cluster_str(e, "status"), "ok") || strcmp(hb_cluster_str(e, "kept"), "complete") ||
            !json_is_integer(code) || json_integer_value(code))
            return HB_EFAIL;
    }
    return HB_OK;
}

static int merge(const merge_opts *o, found *f, hb_err *err)
{
    const json_t *job = json_object_get(f->first, "job");
    const char *pin = hb_cluster_str(job, "pin");
    hb_cluster_opts co = {hb_cluster_num(job, "rank_timeout_s"), hb_cluster_num(job, "rank_timeout_factor"),
                          hb_cluster_num(job, "outlier_fraction"), hb_cluster_num(job, "outlier_cv"),
                          strcmp(pin, "none") != 0, 0};
    co.rank_timeout_s = isnan(co.rank_timeout_s) ? 0 : co.rank_timeout_s;
    co.rank_timeout_factor = isnan(co.rank_timeout_factor) ? 0 : co.rank_timeout_factor;
    co.outlier_fraction = isnan(co.outlier_fraction) ? 0.9 : co.outlier_fraction;
    co.noisy_cv_factor = isnan(co.noisy_cv_factor) ? 3 : co.noisy_cv_factor;
    const char *out = o->out ? o->out : hb_cluster_str(job, "out");
    if (!out[0] || !strcmp(out, "-"))
        return hb_fail(err, HB_EUSAGE, "the partial files do not say where the run's file went: give --out");
    const char *launcher = hb_cluster_str(job, "launcher");
    hb_cluster_meta m = {launcher[0] ? launcher : "unknown", f->size, hb_cluster_str(job, "command_line"), &co, NAN,
                         f->run_id, "merge"};
    json_t *summary = NULL;
    int rc = hb_cluster_write(f->paths, &m, report_of, NULL, out, o->force, &summary, err);
    if (rc)
        return rc;
    if (!o->quiet)
        hb_cluster_emit(stdout, o->format, summary, out);
    if (!o->quiet)
        fprintf(stderr, "hbmbench merge: %d ranks gathered into %s\n", f->size, out);
    rc = code_of(summary);
    json_decref(summary);
    return rc;
}

int hb_cmd_merge(int argc, char **argv)
{
    merge_opts o = {0};
    found f = {0};
    hb_err err = {0};
    const char **operands = calloc((size_t)argc + 1, sizeof *operands);
    int n = 0, rc = operands ? hb_opts_parse(options, N_OPTIONS, argc, argv, one, &o, operands, argc, &n, &o.help, &err)
                             : hb_fail(&err, HB_EFAIL, "out of memory");
    if (!rc && o.help) {
        hb_opts_usage(stdout, usage_head, options, N_OPTIONS, usage_tail);
        free(operands);
        return HB_OK;
    }
    if (!rc && n == 0)
        rc = hb_fail(&err, HB_EUSAGE, "no partial files given");
    for (int i = 0; !rc && i < n; i++) {
        struct stat st;
        rc = stat(operands[i], &st) == 0 && S_ISDIR(st.st_mode) ? add_dir(&f, operands[i], &err)
                                                                : add(&f, operands[i], &err);
    }
    if (!rc)
        rc = merge(&o, &f, &err);
    if (err.msg[0])
        fprintf(stderr, "hbmbench merge: %s%s\n", err.msg, rc == HB_EUSAGE ? "\n(see hbmbench merge --help)" : "");
    for (int r = 0; r < f.size; r++)
        free(f.paths[r]);
    free(f.paths);
    free(f.run_id);
    json_decref(f.first);
    free(operands);
    return rc;
}
