/* SPDX-License-Identifier: Apache-2.0 */
/* `hbmbench compare`: result files side by side, with significance from
 * the raw samples, the environment differences first, and an optional
 * regression gate for CI (--fail-below). Needs nothing but the binary. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "compare.h"
#include "json_io.h"
#include "noisy.h"
#include "options.h"
#include "parse.h"

static const char usage_head[] =
    "usage: hbmbench compare BASE.json OTHER.json [OTHER.json ...] [options]\n"
    "       hbmbench compare RUN.json [RUN.json ...] --models BASE,OTHER [options]\n"
    "\n"
    "Compares result files of `hbmbench run`, BASE against each OTHER, pair by pair:\n"
    "each result's figure in its own unit (GB/s, GFLOP/s, ns per load), best and\n"
    "median, % of peak, the ratio of medians (oriented so > 1 is faster), and\n"
    "whether the difference is significant in the raw per-iteration samples (a 95%\n"
    "bootstrap interval of the ratio of medians and a Mann-Whitney U test must both\n"
    "say so), after the environment differences that make a comparison unfair.\n"
    "\n";

static const char usage_tail[] =
    "\n"
    "exit codes: 0 compared, no regression; 1 --fail-below found a regression (or a\n"
    "              result lost);\n"
    "            2 bad usage, or a file unreadable, malformed, truncated, of a newer\n"
    "              schema or not an hbmbench result (FILE:LINE:COLUMN: why);\n"
    "            3 nothing matched between BASE and an OTHER file\n";

typedef struct cmp_opts {
    const char *files[64];
    int n_files;
    char models_buf[64];
    const char *models[2];     /* --models BASE,OTHER; NULL: files against BASE */
    hb_match_mode mode;
    hb_cmp_format format;
    double fail_below;   /* < 0: no gate */
    int wide;            /* --wide: every column of the table */
    int help;
} cmp_opts;

/* --fail-below: a percentage from 0 to below 100. */
static int check_pct(const char *v, hb_err *err)
{
    char *end;
    errno = 0;
    double d = strtod(v, &end);
    if (end == v || *end || errno || !(d >= 0 && d < 100))
        return hb_fail(err, HB_EUSAGE, "--fail-below: '%s' is not a percentage from 0 to below 100", v);
    return HB_OK;
}

/* "cuda,opencl": two different model names (any name: files may come from
 * builds with other models). */
static int parse_models(const char *v, cmp_opts *o, hb_err *err)
{
    snprintf(o->models_buf, sizeof o->models_buf, "%s", v);
    char *comma = strchr(o->models_buf, ',');
    if (!comma || comma == o->models_buf || !comma[1] || strchr(comma + 1, ','))
        return hb_fail(err, HB_EUSAGE, "--models: '%s' is not two model names, BASE,OTHER", v);
    *comma = '\0';
    if (!strcmp(o->models_buf, comma + 1))
        return hb_fail(err, HB_EUSAGE, "--models: '%s' names one model twice", v);
    o->models[0] = o->models_buf;
    o->models[1] = comma + 1;
    return HB_OK;
}

enum { O_MATCH, O_MODELS, O_FORMAT, O_WIDE, O_FAIL_BELOW };
static const char *const modes[] = {"pci", "name", "order", NULL};
static const char *const formats[] = {"table", "markdown", "csv", "json", NULL};

static const hb_opt options[] = {
    {"match", "MODE", HB_OPT_CHOICE,
     "how results pair up:\n"
     "  pci   device name and PCI bus id, bench, dtype, size\n"
     "  name  device name, bench, dtype, size: the PCI slot is ignored\n"
     "  order the n-th device of BASE with the n-th of OTHER, bench and\n"
     "        dtype, each bench's largest size: for different machines", "pci", .choices = modes, .id = O_MATCH},
    {"models", "A,B", HB_OPT_TEXT,
     "within each file, the results of model A (BASE) against\n"
     "those of model B (OTHER) on the same device: with\n"
     "--models cuda,opencl the ratio is OpenCL's over CUDA's", .id = O_MODELS},
    {"format", "FMT", HB_OPT_CHOICE, "table, markdown, csv or json on stdout", "table", .choices = formats,
     .id = O_FORMAT},
    {"wide", NULL, HB_OPT_FLAG,
     "every column of the table (best, median, % of peak, CV,\n"
     "model, timer, host and creation time of each side, p) with\n"
     "whole device names; by default it fits 120 columns", .id = O_WIDE},
    {"fail-below", "PCT", HB_OPT_TEXT,
     "exit 1 if a pair is significantly slower than BASE by more\n"
     "than PCT percent (0 <= PCT < 100), or a result valid in BASE\n"
     "is invalid or missing in OTHER: a regression gate for CI", .id = O_FAIL_BELOW, .check = check_pct},
};
#define N_OPTIONS (sizeof options / sizeof options[0])

static int one(void *ctx, const hb_opt *opt, const char *v, double num, hb_err *err)
{
    cmp_opts *o = ctx;
    switch (opt->id) {
    case O_MATCH: o->mode = (hb_match_mode)(int)num; return HB_OK;
    case O_MODELS: return parse_models(v, o, err);
    case O_FORMAT: o->format = (hb_cmp_format)(int)num; return HB_OK;
    case O_WIDE: o->wide = 1; return HB_OK;
    default: o->fail_below = strtod(v, NULL); return HB_OK;
    }
}

static void print_usage(FILE *f)
{
    hb_opts_usage(f, usage_head, options, N_OPTIONS, usage_tail);
}

static int parse_opts(int argc, char **argv, cmp_opts *o, hb_err *err)
{
    *o = (cmp_opts){.mode = HB_MATCH_PCI, .format = HB_CMP_TABLE, .fail_below = -1};
    int max = (int)(sizeof o->files / sizeof o->files[0]);
    if (hb_opts_parse(options, N_OPTIONS, argc, argv, one, o, o->files, max, &o->n_files, &o->help, err))
        return HB_EUSAGE;
    if (o->help)
        return HB_OK;
    if (o->models[0] && o->n_files < 1)
        return hb_fail(err, HB_EUSAGE, "--models needs at least one result file");
    if (!o->models[0] && o->n_files < 2)
        return hb_fail(err, HB_EUSAGE, "needs BASE and at least one OTHER result file");
    return HB_OK;
}

static int emit(const cmp_opts *o, const hb_cmp *cmps, size_t n, const hb_cmp_method *m, hb_err *err)
{
    switch (o->format) {
    case HB_CMP_JSON:
        return hb_cmp_print_json(stdout, cmps, n, m, o->fail_below, err);
    case HB_CMP_CSV:
        hb_cmp_print_csv(stdout, stderr, cmps, n);
        return HB_OK;
    default:
        return hb_cmp_print_text(stdout, cmps, n, m, o->fail_below, o->format == HB_CMP_MARKDOWN, o->wide, err);
    }
}

/* The exit code once everything is printed: a regression (1) is the finding
 * a gate exists for, so it wins over an empty comparison (3). */
static int verdict(const cmp_opts *o, const hb_cmp *cmps, size_t n)
{
    size_t regressions = 0, empty = 0;
    for (size_t i = 0; i < n; i++) {
        regressions += cmps[i].n_regressions + cmps[i].n_lost;
        if (cmps[i].n_rows == 0) {
            empty++;
            char advice[128];
            hb_cmp_empty_advice(&cmps[i], advice, sizeof advice);
            fprintf(stderr, "hbmbench compare: nothing matched between %s and %s (%s)\n", cmps[i].base_path,
                    cmps[i].other_path, advice);
        } else {
            if (cmps[i].n_regressions)
                fprintf(stderr, "hbmbench compare: %s: %zu pair(s) significantly slower than %s by more than %g%%\n",
                        cmps[i].other_path, cmps[i].n_regressions, cmps[i].base_path, o->fail_below);
            if (cmps[i].n_lost)
                fprintf(stderr, "hbmbench compare: %s: %zu result(s) valid in %s are invalid or missing\n",
                        cmps[i].other_path, cmps[i].n_lost, cmps[i].base_path);
        }
    }
    return regressions ? HB_EFAIL : empty ? HB_ENODEV : HB_OK;
}

/* --models: each file's BASE-model rows against its OTHER-model rows;
 * views[2i], views[2i+1] and their labels are the caller's to free. */
static int build_model_pairs(const cmp_opts *o, const hb_run *runs, hb_run *views, char (*labels)[1100],
                             hb_cmp *cmps, const hb_cmp_method *m, hb_err *err)
{
    int rc = HB_OK;
    for (int i = 0; i < o->n_files && !rc; i++) {
        for (int side = 0; side < 2; side++)
            snprintf(labels[2 * i + side], sizeof labels[0], "%s [%s]", o->files[i], o->models[side]);
        rc = hb_cmp_model_view(&runs[i], o->models[0], &views[2 * i], err);
        if (!rc)
            rc = hb_cmp_model_view(&runs[i], o->models[1], &views[2 * i + 1], err);
        if (!rc)
            rc = hb_cmp_build(&cmps[i], labels[2 * i], &views[2 * i], labels[2 * i + 1], &views[2 * i + 1], o->mode,
                              m, o->fail_below, err);
        cmps[i].side_model[0] = o->models[0];
        cmps[i].side_model[1] = o->models[1];
    }
    return rc;
}


static int compare_runs(const cmp_opts *o, hb_run *runs)
{
    hb_err err = {0};
    hb_cmp_method m = hb_cmp_method_default();
    size_t n = o->models[0] ? (size_t)o->n_files : (size_t)o->n_files - 1;
    hb_cmp *cmps = calloc(n, sizeof *cmps);
    hb_run *views = o->models[0] ? calloc(2 * n, sizeof *views) : NULL;
    char(*labels)[1100] = o->models[0] ? calloc(2 * n, sizeof *labels) : NULL;
    int rc = cmps && (!o->models[0] || (views && labels)) ? HB_OK : hb_fail(&err, HB_EFAIL, "out of memory");
    /* the limit of check's built-in "cv" rule (runner/io/noisy.c), so the two commands never disagree */
    m.noisy_cv = hb_noisy_cv();
    if (!rc && o->models[0])
        rc = build_model_pairs(o, runs, views, labels, cmps, &m, &err);
    for (size_t i = 0; i < n && !rc && !o->models[0]; i++)
        rc = hb_cmp_build(&cmps[i], o->files[0], &runs[0], o->files[i + 1], &runs[i + 1], o->mode, &m,
                          o->fail_below, &err);
    if (!rc)
        rc = emit(o, cmps, n, &m, &err);
    fflush(stdout);
    if (rc)
        fprintf(stderr, "hbmbench compare: %s\n", err.msg);
    else
        rc = verdict(o, cmps, n);
    for (size_t i = 0; cmps && i < n; i++)
        hb_cmp_free(&cmps[i]);
    for (size_t i = 0; views && i < 2 * n; i++)
        hb_cmp_view_free(&views[i]);
    free(views);
    free(labels);
    free(cmps);
    return rc;
}

int hb_cmd_compare(int argc, char **argv)
{
    cmp_opts o;
    hb_err err = {0};
    if (parse_opts(argc, argv, &o, &err)) {
        fprintf(stderr, "hbmbench compare: %s\n(see hbmbench compare --help)\n", err.msg);
        return err.code;
    }
    if (o.help) {
        print_usage(stdout);
        return HB_OK;
    }
    hb_run *runs = calloc((size_t)o.n_files, sizeof *runs);
    if (!runs) {
        fputs("hbmbench compare: out of memory\n", stderr);
        return HB_EFAIL;
    }
    int rc = HB_OK, n_read = 0;
    for (; n_read < o.n_files && !rc; n_read++) {
        rc = hb_json_read_run(o.files[n_read], &runs[n_read], &err);
        if (rc) {
            /* The parser quotes the file's text ("near '...'") and the
             * reader its keys: cleaned like every string from a file. */
            char msg[sizeof err.msg];
            hb_cmp_locate_error(o.files[n_read], &err);
            fprintf(stderr, "hbmbench compare: %s\n", hb_text_line(err.msg, msg, sizeof msg));
        }
    }
    if (!rc)
        rc = compare_runs(&o, runs);
    for (int i = 0; i < n_read; i++)
        hb_run_free_read(&runs[i]);
    free(runs);
    return rc;
}
