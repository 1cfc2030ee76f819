/* SPDX-License-Identifier: Apache-2.0 */
/* `hbmbench check`: acceptance checks of a result file against rules
 * (runner/check/acceptance.h): the built-in rules per datasheet family, or a
 * rules file. Needs nothing but the binary. */
#include <math.h>
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
#include "sizing.h"

static const char usage_head[] =
    "usage: hbmbench check RESULT.json [options]\n"
    "\n"
    "Judges a result file of `hbmbench run` against acceptance rules and prints a\n"
    "pass, fail or skip line per rule and device. Without --rules the built-in\n"
    "rules apply: every result valid, CV at most 5%, no stream kernel above its\n"
    "peak, no device below 0.9x the median of identical devices, and per datasheet\n"
    "family a minimum triad median as a fraction of the datasheet bandwidth\n"
    "(`hbmbench check --print-rules` shows them with their sources). Devices are\n"
    "told apart by node, rank and index (a gathered MPI file). A rule that cannot\n"
    "judge what it selects (no such result on a device, a missing field or peak,\n"
    "too few samples, an unknown cache size, an empty file) fails unless the rules\n"
    "file says \"on_missing\": \"skip\"; an interrupted run fails \"complete\". Skips\n"
    "do not fail the check. Above 40 verdicts the table is a summary (counts per\n"
    "rule, the worst failures); --all lists every one.\n"
    "\n"
    "\n";

static const char usage_tail[] =
    "\n"
    "exit codes: 0 no rule failed (some may be skipped); 1 a rule failed;\n"
    "            2 bad usage, a malformed rules file (FILE:LINE:COLUMN), a rule\n"
    "              naming a field or metric that does not exist, a rules file\n"
    "              that is a directory, or a result file unreadable or malformed\n";

typedef struct check_opts {
    const char *file, *rules, *out;
    int format, force, help, print_rules, all;
} check_opts;

enum { O_RULES, O_FORMAT, O_OUT, O_FORCE, O_PRINT_RULES, O_ALL };
enum { F_TABLE, F_JSON, F_JUNIT };
static const char *const formats[] = {"table", "json", "junit", NULL};

static const hb_opt options[] = {
    {"rules", "FILE", HB_OPT_TEXT, "rules file (JSON; docs/compare-check.md)", "the built-in rules", .id = O_RULES},
    {"format", "FMT", HB_OPT_CHOICE, "table, json (the verdict document) or junit (JUnit XML) on stdout", "table",
     .choices = formats, .id = O_FORMAT},
    {"all", NULL, HB_OPT_FLAG, "the table lists every verdict, not a summary above 40", .id = O_ALL},
    {"out", "FILE", HB_OPT_TEXT, "also write the verdict document to FILE (atomically; - for stdout, the table "
     "then on stderr)", .id = O_OUT},
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
    case O_FORMAT: o->format = (int)num; break;
    case O_ALL: o->all = 1; break;
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
    if (o->out && hb_out_is_stdout(o->out) && o->format == F_JUNIT)
        return hb_fail(err, HB_EUSAGE, "--out %s and --format junit both want standard output", o->out);
    return HB_OK;
}

/* (check_cli.h) What the check needs of each device beyond the file: its datasheet
 * family and figures, matched as `run` matches them (PCI id, else name and
 * memory size, runner/peaks/known_devices.json), and its largest cache,
 * as `run` sizes its arrays by it (runner/driver/sizing.c). */
int hb_check_device_infos(const hb_run *run, hb_check_device_info *info, hb_err *err)
{
    hb_peak_table t;
    if (hb_peak_table_load_embedded(&t, err))
        return err->code;
    for (size_t i = 0; i < run->n_devices; i++) {
        char how[64];
        const hb_peak_row *row = hb_peak_table_lookup(&t, &run->devices[i], how, sizeof how);
        /* the row's name lives in the table's JSON, freed below */
        info[i] = (hb_check_device_info){.family = row ? strdup(row->name) : "",
                                         .datasheet_bw_gbs = row ? row->bw_gbs : NAN,
                                         .datasheet_fp32_gflops = row ? row->fp32_gflops : NAN,
                                         .datasheet_fp64_gflops = row ? row->fp64_gflops : NAN,
                                         .largest_cache_bytes = hb_largest_cache(&run->devices[i], &run->host)};
        if (!info[i].family) {
            hb_peak_table_free(&t);
            return hb_fail(err, HB_EFAIL, "out of memory");
        }
    }
    hb_peak_table_free(&t);
    return HB_OK;
}

void hb_check_device_infos_free(hb_check_device_info *info, size_t n)
{
    for (size_t i = 0; info && i < n; i++)
        if (info[i].family && info[i].family[0])
            free((char *)info[i].family);
    free(info);
}

/* The table, the JSON or JUnit document on stdout, and --out: standard
 * output gets one document, never two (--out - with --format json writes
 * it once; with the table, the table goes to stderr). */
static int report(const hb_check_report *rep, const hb_check_cli *o, hb_err *err)
{
    int out_stdout = o->out && hb_out_is_stdout(o->out);
    char *doc = o->json || o->out ? hb_check_json_dumps(rep) : NULL;
    char *xml = o->junit ? hb_check_junit_dumps(rep) : NULL;
    if (((o->json || o->out) && !doc) || (o->junit && !xml)) {
        free(doc);
        return hb_fail(err, HB_EFAIL, "out of memory while making the verdict document");
    }
    FILE *table = out_stdout && o->table == stdout ? stderr : o->table;
    if (table)
        hb_check_print_table(table, rep, o->max_lines);
    if (o->json && !out_stdout)
        puts(doc);
    if (xml)
        fputs(xml, stdout);
    fflush(stdout);
    int rc = o->out ? hb_write_text_atomic(doc, o->out, o->force, err) : HB_OK;
    free(doc);
    free(xml);
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
    hb_check_device_info *info = calloc(run.n_devices + 1, sizeof *info);
    hb_check_report rep;
    int rc = !info ? hb_fail(&err, HB_EFAIL, "out of memory") : hb_check_device_infos(&run, info, &err);
    if (!rc)
        rc = hb_check_eval(rules, &run, path, info, &rep, &err);
    if (!rc) {
        rc = report(&rep, o, &err);
        if (!rc)
            rc = hb_check_exit_code(&rep);
        hb_check_report_free(&rep);
    }
    if (err.code)
        fprintf(stderr, "%s: %s\n", o->prog, err.msg);
    hb_check_device_infos_free(info, run.n_devices);
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
        hb_opts_usage(stdout, usage_head, options, N_OPTIONS, usage_tail);
        return HB_OK;
    }
    if (o.print_rules) {
        const char *text = hb_check_rules_builtin_text();
        fputs(text ? text : "", stdout);
        return text ? HB_OK : HB_EFAIL;
    }
    if (o.out && !o.force && !hb_out_is_stdout(o.out) && access(o.out, F_OK) == 0) {
        fprintf(stderr, "hbmbench check: --out %s exists; refusing to overwrite it (use --force)\n", o.out);
        return HB_EUSAGE;
    }
    hb_check_rules rules;
    if (hb_check_rules_load(o.rules, &rules, &err)) {
        fprintf(stderr, "hbmbench check: %s\n", err.msg);
        return err.code;
    }
    hb_check_cli cli = {.prog = "hbmbench check", .table = o.format == F_TABLE ? stdout : NULL,
                        .json = o.format == F_JSON, .junit = o.format == F_JUNIT, .out = o.out, .force = o.force,
                        .max_lines = o.all ? 0 : HB_CHECK_MAX_LINES};
    int rc = hb_check_result_file(o.file, &rules, &cli);
    hb_check_rules_free(&rules);
    return rc;
}
