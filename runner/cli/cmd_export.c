/* SPDX-License-Identifier: Apache-2.0 */
/* `hbmbench export`: a result file in a monitoring system's format; for
 * now OpenMetrics text for node_exporter's textfile collector
 * (runner/io/openmetrics.h, docs/export.md), with the verdicts of the
 * acceptance rules when asked (runner/check/acceptance.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_cli.h"
#include "commands.h"
#include "compare.h"
#include "json_io.h"
#include "openmetrics.h"
#include "options.h"

static const char usage_head[] =
    "usage: hbmbench export --format openmetrics [options] RESULT.json\n"
    "\n"
    "Writes a result file of `hbmbench run` as OpenMetrics text: each result's\n"
    "figure (bandwidth in bytes/s, FLOP/s, latency in s), its peak, fraction of\n"
    "peak, CV and whether it verified, labelled by node, rank, device, UUID, model,\n"
    "bench, dtype and size; the devices' identity; the run's tool and batch job.\n"
    "With --check or --rules, the acceptance verdicts too (as `hbmbench check`).\n"
    "Every family is a gauge and no sample has a timestamp, so node_exporter's\n"
    "textfile collector reads it; --out writes the file atomically (a temporary\n"
    "file renamed into place), so the collector never reads half of one.\n"
    "Metric names and labels: docs/export.md.\n"
    "\n";

static const char usage_tail[] =
    "\n"
    "exit codes: 0 written (whatever the verdicts); 1 the text could not be written;\n"
    "            2 bad usage, --out exists (without --force), a result file\n"
    "              unreadable or malformed, a malformed rules file\n";

typedef struct export_opts {
    const char *file, *rules, *out;
    int check, force, help;
} export_opts;

enum { O_FORMAT, O_OUT, O_FORCE, O_CHECK, O_RULES };
static const char *const formats[] = {"openmetrics", NULL};

static const hb_opt options[] = {
    {"format", "FMT", HB_OPT_CHOICE, "openmetrics (the only format yet)", "openmetrics", .choices = formats,
     .id = O_FORMAT},
    {"out", "FILE", HB_OPT_TEXT, "write to FILE (atomically) instead of stdout;\n"
     "name it *.prom in the textfile collector's folder", .id = O_OUT},
    {"force", NULL, HB_OPT_FLAG, "replace --out if it exists", .id = O_FORCE},
    {"check", NULL, HB_OPT_FLAG, "add the verdicts of the built-in acceptance rules", .id = O_CHECK},
    {"rules", "FILE", HB_OPT_TEXT, "add the verdicts of the rules in FILE (implies --check)", .id = O_RULES},
};
#define N_OPTIONS (sizeof options / sizeof options[0])

static int one(void *ctx, const hb_opt *opt, const char *v, double num, hb_err *err)
{
    export_opts *o = ctx;
    (void)num, (void)err;
    switch (opt->id) {
    case O_FORMAT: break;
    case O_OUT: o->out = v; break;
    case O_FORCE: o->force = 1; break;
    case O_CHECK: o->check = 1; break;
    default: o->rules = v, o->check = 1; break;
    }
    return HB_OK;
}

static int parse_opts(int argc, char **argv, export_opts *o, hb_err *err)
{
    *o = (export_opts){0};
    const char *files[2];
    int n = 0;
    if (hb_opts_parse(options, N_OPTIONS, argc, argv, one, o, files, 2, &n, &o->help, err))
        return HB_EUSAGE;
    if (o->help)
        return HB_OK;
    if (n == 2)
        return hb_fail(err, HB_EUSAGE, "one result file at a time ('%s' and '%s')", files[0], files[1]);
    if (n == 0)
        return hb_fail(err, HB_EUSAGE, "needs a result file");
    o->file = files[0];
    return HB_OK;
}

/* The check's verdicts as the writer takes them (into *out, the caller frees). */
static int verdicts_of(const hb_check_report *rep, hb_om_verdicts *vs, hb_om_verdict **out, hb_err *err)
{
    hb_om_verdict *v = calloc(rep->n + 1, sizeof *v);
    if (!v)
        return hb_fail(err, HB_EFAIL, "out of memory");
    for (size_t i = 0; i < rep->n; i++) {
        const hb_check_verdict *x = &rep->v[i];
        const hb_check_device *d = x->device >= 0 ? &rep->devices[x->device] : NULL;
        v[i] = (hb_om_verdict){d ? d->dev : NULL, d ? d->index : -1, x->rule->id, hb_check_outcome_name(x->verdict)};
    }
    *vs = (hb_om_verdicts){v, rep->n, 1, hb_check_exit_code(rep) == HB_OK, rep->rules->origin};
    *out = v;
    return HB_OK;
}

/* The text of run, with the verdicts of rules when given. */
static int render(const hb_run *run, const char *path, const hb_check_rules *rules, char **text, hb_err *err)
{
    if (!rules)
        return hb_openmetrics_dumps(run, NULL, text, err);
    hb_check_device_info *info = calloc(run->n_devices + 1, sizeof *info);
    hb_om_verdict *v = NULL;
    hb_om_verdicts vs;
    hb_check_report rep;
    int rc = !info ? hb_fail(err, HB_EFAIL, "out of memory") : hb_check_device_infos(run, info, err);
    if (!rc && !(rc = hb_check_eval(rules, run, path, info, &rep, err))) {
        if (!(rc = verdicts_of(&rep, &vs, &v, err)))
            rc = hb_openmetrics_dumps(run, &vs, text, err);
        hb_check_report_free(&rep);
    }
    free(v);
    hb_check_device_infos_free(info, run->n_devices);
    return rc;
}

static int export_file(const export_opts *o, const hb_check_rules *rules, hb_err *err)
{
    hb_run run;
    char *text = NULL;
    if (hb_json_read_run(o->file, &run, err)) {
        hb_cmp_locate_error(o->file, err);
        return err->code;
    }
    int rc = render(&run, o->file, rules, &text, err);
    if (!rc && o->out) {
        /* the writer ends the document with its own line feed: "# EOF" must stay the last line */
        size_t len = strlen(text);
        if (len && text[len - 1] == '\n')
            text[len - 1] = '\0';
        rc = hb_write_text_atomic(text, o->out, o->force, err);
    }
    else if (!rc && (fputs(text, stdout) == EOF || fflush(stdout) == EOF))
        rc = hb_fail(err, HB_EFAIL, "standard output: write failed");
    free(text);
    hb_run_free_read(&run);
    return rc;
}

int hb_cmd_export(int argc, char **argv)
{
    export_opts o;
    hb_err err = {0};
    if (parse_opts(argc, argv, &o, &err)) {
        fprintf(stderr, "hbmbench export: %s\n(see hbmbench export --help)\n", err.msg);
        return err.code;
    }
    if (o.help) {
        hb_opts_usage(stdout, usage_head, options, N_OPTIONS, usage_tail);
        return HB_OK;
    }
    if (o.out && !o.force && access(o.out, F_OK) == 0) {
        fprintf(stderr, "hbmbench export: --out %s exists; refusing to overwrite it (use --force)\n", o.out);
        return HB_EUSAGE;
    }
    hb_check_rules rules;
    if (o.check && hb_check_rules_load(o.rules, &rules, &err)) {
        fprintf(stderr, "hbmbench export: --rules: %s\n", err.msg);
        return err.code;
    }
    int rc = export_file(&o, o.check ? &rules : NULL, &err);
    if (rc)
        fprintf(stderr, "hbmbench export: %s\n", err.msg);
    if (o.check)
        hb_check_rules_free(&rules);
    return rc;
}
