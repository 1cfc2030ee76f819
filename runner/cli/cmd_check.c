/* SPDX-License-Identifier: Apache-2.0 */
/* `hbmbench check`: acceptance checks of a result file against rules
 * (runner/check/acceptance.h): the built-in rules per datasheet family, or a
 * rules file. Needs nothing but the binary. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_cli.h"
#include "commands.h"
#include "compare.h"
#include "json_io.h"
#include "options.h"
#include "peak_table.h"

static const char usage_head[] =
    "usage: hbmbench check RESULT.json [options]\n"
    "\n"
    "Judges a result file of `hbmbench run` against acceptance rules and prints a\n"
    "pass, fail or skip line per rule and device. Without --rules the built-in\n"
    "rules apply: every result valid, CV at most 5%, no stream kernel above its\n"
    "peak, no device below 0.9x the median of identical devices, and per datasheet\n"
    "family a minimum triad median as a fraction of the datasheet bandwidth\n"
    "(`hbmbench check --print-rules` shows them with their sources). A rule that\n"
    "needs a peak the result lacks is skipped (\"skipped: peak unknown\"); skips do\n"
    "not fail the check.\n"
    "\n"
    "\n";

static const char usage_tail[] =
    "\n"
    "exit codes: 0 no rule failed (some may be skipped); 1 a rule failed;\n"
    "            2 bad usage, a malformed rules file (FILE:LINE:COLUMN), a rule\n"
    "              naming a field or metric that does not exist, or a result\n"
    "              file unreadable or malformed\n";

typedef struct check_opts {
    const char *file, *rules, *out;
    int json, force, help, print_rules;
} check_opts;

enum { O_RULES, O_FORMAT, O_OUT, O_FORCE, O_PRINT_RULES };
static const char *const formats[] = {"table", "json", NULL};

static const hb_opt options[] = {
    {"rules", "FILE", HB_OPT_TEXT, "rules file (JSON; docs/compare-check.md)", "the built-in rules", .id = O_RULES},
    {"format", "FMT", HB_OPT_CHOICE, "table or json (the verdict document) on stdout", "table", .choices = formats,
     .id = O_FORMAT},
    {"out", "FILE", HB_OPT_TEXT, "also write the verdict document to FILE (atomically)", .id = O_OUT},
    {"force", NULL, HB_OPT_FLAG, "overwrite --out if it exists", .id = O_FORCE},
    {"print-rules", NULL, HB_OPT_FLAG, "print the built-in rules file and exit", .id = O_PRINT_RULES},
};
#define N_OPTIONS (sizeof options / sizeof options[0])

static int one(void *ctx, const hb_opt *opt, const char *v, double num, hb_err *err)
{
    check_opts *o = ctx;
    (void)err;
    switch (opt->id) {
    case O_RULES: o->rules = v; break;
    case O_FORMAT: o->json = num == 1; break;
    case O_OUT: o->out = v; break;
    case O_FORCE: o->force = 1; break;
    default: o->print_rules = 1; break;
    }
    return HB_OK;
}

static int parse_opts(int argc, char **argv, check_opts *o, hb_err *err)
{
    *o = (check_opts){0};
    const char *files[2];
    int n = 0;
    if (hb_opts_parse(options, N_OPTIONS, argc, argv, one, o, files, 2, &n, &o->help, err))
        return HB_EUSAGE;
    if (o->help)
        return HB_OK;
    if (n == 2)
        return hb_fail(err, HB_EUSAGE, "one result file at a time ('%s' and '%s')", files[0], files[1]);
    o->file = n ? files[0] : NULL;
    if (!o->file && !o->print_rules)
        return hb_fail(err, HB_EUSAGE, "needs a result file");
    return HB_OK;
}

#define FAMILY_LEN HB_CHECK_FAMILY_LEN

int hb_check_families(const hb_run *run, char *names, const char **ptrs, hb_err *err)
{
    hb_peak_table t;
    if (hb_peak_table_load_embedded(&t, err))
        return err->code;
    for (size_t i = 0; i < run->n_devices; i++) {
        char how[64];
        const hb_peak_row *row = hb_peak_table_lookup(&t, &run->devices[i], how, sizeof how);
        ptrs[i] = names + i * FAMILY_LEN;
        snprintf(names + i * FAMILY_LEN, FAMILY_LEN, "%s", row ? row->name : "");
    }
    hb_peak_table_free(&t);
    return HB_OK;
}

static int report(const hb_check_report *rep, const hb_check_cli *o, hb_err *err)
{
    char *doc = o->json || o->out ? hb_check_json_dumps(rep) : NULL;
    if ((o->json || o->out) && !doc)
        return hb_fail(err, HB_EFAIL, "out of memory while making the verdict document");
    if (o->table)
        hb_check_print_table(o->table, rep);
    if (o->json)
        puts(doc);
    fflush(stdout);
    int rc = o->out ? hb_write_text_atomic(doc, o->out, o->force, err) : HB_OK;
    free(doc);
    return rc;
}

int hb_check_result_file(const char *path, const hb_check_rules *rules, const hb_check_cli *o)
{
    hb_run run;
    hb_err err = {0};
    if (hb_json_read_run(path, &run, &err)) {
        hb_cmp_locate_error(path, &err);
        fprintf(stderr, "%s: %s\n", o->prog, err.msg);
        return err.code;
    }
    const char **ptrs = calloc(run.n_devices + 1, sizeof *ptrs);
    char *names = calloc(run.n_devices + 1, FAMILY_LEN);
    hb_check_report rep;
    int rc = !ptrs || !names ? hb_fail(&err, HB_EFAIL, "out of memory") : hb_check_families(&run, names, ptrs, &err);
    if (!rc)
        rc = hb_check_eval(rules, &run, path, ptrs, &rep, &err);
    if (!rc) {
        rc = report(&rep, o, &err);
        if (!rc)
            rc = hb_check_exit_code(&rep);
        hb_check_report_free(&rep);
    }
    if (err.code)
        fprintf(stderr, "%s: %s\n", o->prog, err.msg);
    free(names);
    free(ptrs);
    hb_run_free_read(&run);
    return rc;
}

int hb_cmd_check(int argc, char **argv)
{
    check_opts o;
    hb_err err = {0};
    if (parse_opts(argc, argv, &o, &err)) {
        fprintf(stderr, "hbmbench check: %s\n(see hbmbench check --help)\n", err.msg);
        return err.code;
    }
    if (o.help) {
        char opts[2048];
        hb_opts_help(options, N_OPTIONS, 1, opts, sizeof opts);
        printf("%s%s%s", usage_head, opts, usage_tail);
        return HB_OK;
    }
    if (o.print_rules) {
        const char *text = hb_check_rules_builtin_text();
        fputs(text ? text : "", stdout);
        return text ? HB_OK : HB_EFAIL;
    }
    if (o.out && !o.force && access(o.out, F_OK) == 0) {
        fprintf(stderr, "hbmbench check: --out %s exists; refusing to overwrite it (use --force)\n", o.out);
        return HB_EUSAGE;
    }
    hb_check_rules rules;
    if (hb_check_rules_load(o.rules, &rules, &err)) {
        fprintf(stderr, "hbmbench check: %s\n", err.msg);
        return err.code;
    }
    hb_check_cli cli = {.prog = "hbmbench check", .table = o.json ? NULL : stdout, .json = o.json,
                        .out = o.out, .force = o.force};
    int rc = hb_check_result_file(o.file, &rules, &cli);
    hb_check_rules_free(&rules);
    return rc;
}
