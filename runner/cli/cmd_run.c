/* SPDX-License-Identifier: Apache-2.0 */
/* `hbmbench run`: measure, verify, print, and write the result file. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_cli.h"
#include "env.h"
#include "commands.h"
#include "fault.h"
#include "hb_clock.h"
#include "hb_signal.h"
#include "json_io.h"
#include "output.h"
#include "progress.h"
#include "run_opts.h"
#include "select.h"
#include "text.h"
#include "whole_run.h"
#include "concurrent.h"

/* results/<hostname>-<UTC time>.json; -2, -3, ... when two runs start in
 * the same second, so a default name never collides with an earlier run. */
static void default_out_path(const hb_session *s, char *buf, size_t len)
{
    char stamp[32];
    time_t t = time(NULL);
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", gmtime(&t));
    snprintf(buf, len, "results/%s-%s.json", s->host.hostname, stamp);
    struct stat st;
    for (int i = 2; i < 100 && lstat(buf, &st) == 0; i++)
        snprintf(buf, len, "results/%s-%s-%d.json", s->host.hostname, stamp, i);
}

static void fill_run(const hb_run_opts *o, const hb_session *s, hb_device *chosen, size_t n_chosen, hb_run *run)
{
    memset(run, 0, sizeof *run);
    run->schema_version = HB_SCHEMA_VERSION;
    snprintf(run->tool_version, sizeof run->tool_version, "%s", HB_VERSION);
    snprintf(run->git_commit, sizeof run->git_commit, "%s", HB_GIT_COMMIT);
    time_t t = time(NULL);
    strftime(run->created, sizeof run->created, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
    run->host = s->host;
    run->scheduler = s->scheduler;
    run->devices = chosen;
    run->n_devices = n_chosen;
    snprintf(run->command_line, sizeof run->command_line, "%s", o->command_line);
    static const char *const tunes[] = {"off", "quick", "full"};
    const hb_run_plan *p = &o->plan;
    hb_params_set_num(&run->config, "iters", p->measure.iters);
    hb_params_set_num(&run->config, "warmup", p->measure.warmup);
    hb_params_set_text(&run->config, "tune", tunes[p->measure.tune]);
    hb_params_set_num(&run->config, "tune_iters", p->measure.tune_iters);
    if (p->size.is_auto)
        hb_params_set_text(&run->config, "size", "auto");
    else
        hb_params_set_num(&run->config, p->size.is_bytes ? "size_bytes" : "size_elements", (double)p->size.value);
    /* Each family or kernels option given, under its name with '_' for '-':
     * a flag as 1, a value as text. */
    for (int i = 0; i < p->bench_opts.n; i++) {
        char key[32];
        snprintf(key, sizeof key, "%s", p->bench_opts.name[i]);
        for (char *c = key; *c; c++)
            *c = *c == '-' ? '_' : *c;
        if (p->bench_opts.value[i][0])
            hb_params_set_text(&run->config, key, p->bench_opts.value[i]);
        else
            hb_params_set_num(&run->config, key, 1);
    }
    if (p->n_impls)
        hb_params_set_text(&run->config, "impl", o->impl_arg);
    if (p->measure.retune)
        hb_params_set_num(&run->config, "retune", 1);
    if (p->concurrent)
        hb_params_set_bool(&run->config, "concurrent", 1);
    if (p->solo_file) { /* the name only: a configuration's texts share HB_PARAMS_TEXT_BYTES */
        const char *slash = strrchr(p->solo_file, '/');
        hb_params_set_text(&run->config, "solo", slash ? slash + 1 : p->solo_file);
    }
    if (p->repeat > 1)
        hb_params_set_num(&run->config, "repeat", p->repeat);
    /* A file whose failures were injected says so. */
    const char *fault = hb_env("HB_FAULT");
    if (fault && *fault)
        hb_params_set_text(&run->config, "fault", fault);
    if (p->n_models)
        hb_params_set_text(&run->config, "model", o->model_arg);
}

/* --model: keeps the chosen devices that a wanted model reaches; none left
 * is "no device" (3), with what the wanted models said. */
static int filter_models(const hb_run_opts *o, const hb_device_list *list, int *chosen, hb_err *err)
{
    const hb_run_plan *p = &o->plan;
    size_t left = 0;
    for (size_t i = 0; i < list->n; i++) {
        int any = 0;
        for (int b = 0; b < list->v[i].n_bindings; b++)
            any |= hb_plan_wants(p, &list->v[i], b);
        chosen[i] = chosen[i] && any;
        left += (size_t)chosen[i];
    }
    if (left || !p->n_models)
        return HB_OK;
    char why[1024] = "";
    size_t used = 0;
    for (int m = 0; m < list->n_models && used < sizeof why; m++)
        for (int w = 0; w < p->n_models; w++)
            if (!strcmp(list->model_name[m], p->models[w]))
                used += (size_t)snprintf(why + used, sizeof why - used, "; %s: %s", p->models[w],
                                         list->model_status[m][0] ? list->model_status[m] : "its devices were not selected");
    return hb_fail(err, HB_ENODEV, "no selected device can be measured by --model %s%s", o->model_arg, why);
}

/* --device's default (select.c: every GPU or accelerator, else the CPU
 * devices) over what --model let be discovered; where that is the host's
 * devices alone, --model named the host model: its machine-wide device. */
static const char *device_arg(const hb_run_opts *o, const hb_device_list *list)
{
    if (o->device || !o->plan.n_models || !list->n || hb_discover_count_runtime(list))
        return o->device;
    return "host";
}

/* What goes to the terminal: the table, CSV or JSON on stdout; with the
 * document itself on stdout (--out -), the table or CSV on stderr. */
static void print_run(const hb_run_opts *o, const hb_run *run, int doc_on_stdout)
{
    FILE *f = doc_on_stdout ? stderr : stdout;
    if (o->plan.quiet || (doc_on_stdout && o->format == HB_FORMAT_JSON))
        return;
    if (o->format == HB_FORMAT_TABLE)
        hb_print_table(f, run);
    else if (o->format == HB_FORMAT_CSV)
        hb_print_csv(f, run);
    else {
        char *text = hb_json_run_dumps(run);
        if (text)
            fprintf(f, "%s\n", text);
        free(text);
    }
    fflush(f);
}

/* After the result file could not be written: the same document in a
 * file of its own in $TMPDIR (else /tmp), else the current directory,
 * else on stderr, so measurements are never kept only in memory. */
static void keep_elsewhere(const hb_run *run)
{
    const char *tmpdir = hb_env("TMPDIR");
    const char *dirs[] = {tmpdir && *tmpdir ? tmpdir : "/tmp", "."};
    char stamp[32], path[PATH_MAX];
    time_t t = time(NULL);
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", gmtime(&t));
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
        hb_err e = {0};
        snprintf(path, sizeof path, "%s/hbmbench-%s-%s-%ld.json", dirs[i], run->host.hostname, stamp,
                 (long)getpid());
        if (hb_json_write_run(run, path, 0, &e) == HB_OK) {
            hb_text_fprintf(stderr, "hbmbench run: the results were written to %s instead\n", path);
            return;
        }
        hb_text_fprintf(stderr, "hbmbench run: %s\n", e.msg);
    }
    char *text = hb_json_run_dumps(run);
    fprintf(stderr, "hbmbench run: no file could be written; the result document follows\n%s\n",
            text ? text : "(out of memory)");
    free(text);
}

/* Writes the result document (the file first: a closed terminal or pipe
 * must not cost the results), then prints. A failed write is exit 1, with
 * the results kept elsewhere (keep_elsewhere). */
static int finish(const hb_run_opts *o, const hb_run *run, hb_out *out)
{
    hb_err err = {0};
    int to_stdout = out->to_stdout;
    int wrote = hb_out_commit(out, run, &err) == HB_OK;
    print_run(o, run, to_stdout);
    if (!wrote) {
        hb_text_fprintf(stderr, "hbmbench run: %s\n", err.msg);
        keep_elsewhere(run);
        return HB_EFAIL;
    }
    if (!o->plan.quiet && !to_stdout)
        hb_text_fprintf(stderr, "hbmbench run: results written to %s\n", out->path);
    return HB_OK;
}

/* --check: the file just written, judged as `hbmbench check FILE` would. */
static int check_written(const hb_run_opts *o, const char *path, const hb_check_rules *rules)
{
    hb_check_cli cli = {.prog = "hbmbench run --check", .table = o->format == HB_FORMAT_TABLE ? stdout : stderr,
                        .max_lines = HB_CHECK_MAX_LINES};
    if (o->plan.quiet)
        cli.table = NULL;
    int rc = hb_check_result_file(path, rules, &cli);
    if (rc == HB_EFAIL)
        fprintf(stderr, "hbmbench run: --check: a rule failed (hbmbench check %s)\n", path);
    return rc;
}

/* Reserves the result file before anything is measured (hb_out_open). */
static int reserve_out(const hb_run_opts *o, const hb_session *s, hb_out *out, hb_err *err)
{
    char path[PATH_MAX];
    if (o->out)
        snprintf(path, sizeof path, "%s", o->out);
    else
        default_out_path(s, path, sizeof path);
    int rc = hb_out_open(out, path, o->force, err);
    if (!rc && out->stale_removed && !o->plan.quiet)
        hb_text_fprintf(stderr, "hbmbench run: removed %d temporary file%s that killed runs left beside %s\n",
                        out->stale_removed, out->stale_removed == 1 ? "" : "s", path);
    return rc;
}

/* Progress on stderr: in place on a terminal, whole lines with --progress,
 * nothing with --quiet; and the OpenCL compiler's output into --build-log,
 * by default the result file's name with .build.log for .json (none when
 * the document goes to stdout, nor with --quiet, which a cluster's ranks
 * run with in folders they remove). NULL when out of memory (then neither). */
static hb_progress *open_progress(const hb_run_opts *o, const hb_out *out)
{
    enum hb_progress_mode mode = o->plan.quiet             ? HB_PROGRESS_OFF
                                 : isatty(STDERR_FILENO) ? HB_PROGRESS_TERMINAL
                                 : o->progress           ? HB_PROGRESS_LINES
                                                         : HB_PROGRESS_OFF;
    char log[PATH_MAX + 16];
    const char *path = o->build_log;
    if (!path && !out->to_stdout && !o->plan.quiet) {
        size_t n = strlen(out->path);
        if (n > 5 && !strcmp(out->path + n - 5, ".json"))
            n -= 5;
        snprintf(log, sizeof log, "%.*s.build.log", (int)n, out->path);
        path = log;
    }
    hb_progress *pg = hb_progress_new(mode, stderr, path, o->force);
    if (!pg)
        fprintf(stderr, "hbmbench run: out of memory: no progress, and the compiler's output is not kept\n");
    return pg;
}

/* The results so far, handed to a checkpoint hook after each finished
 * measurement (hb_cmd_run_hooked) as a document marked "complete": false
 * with "stopped_by": "" (the run was still going). A dump that takes long
 * (a big sweep) is not repeated until ten times its time has passed, so
 * keeping results costs the run at most a tenth of its time. */
typedef struct checkpoint {
    hb_run *run;
    hb_checkpoint_fn fn;
    void *arg;
    double next;               /* hb_now_s() before which no dump is made */
} checkpoint;

static void after_result(const hb_result_list *kept, void *arg)
{
    checkpoint *c = arg;
    double t0 = hb_now_s();
    if (t0 < c->next)
        return;
    hb_run view = *c->run; /* read only: the run goes on with its own */
    view.results = *kept;
    view.incomplete = 1;
    view.stopped_by[0] = '\0';
    char *text = hb_json_run_dumps(&view);
    if (text)
        c->fn(text, c->arg);
    free(text);
    c->next = hb_now_s() + 10 * (hb_now_s() - t0);
}

/* Measures, then writes what was measured. A signal (hb_signal.h) stops
 * the measuring: what finished is written, marked incomplete, and the exit
 * status is 128 + the signal, as a shell reports a process it killed. */
static int measure_and_write(const hb_run_opts *o, const hb_session *s, const int *chosen, hb_device *devs,
                             hb_out *out, const hb_check_rules *rules, hb_checkpoint_fn fn, void *fn_arg)
{
    size_t n = 0;
    for (size_t i = 0; i < s->list.n; i++)
        if (chosen[i])
            devs[n++] = s->list.v[i];
    hb_run run;
    fill_run(o, s, devs, n, &run);
    int failed = 0;
    hb_run_plan plan = o->plan;
    plan.progress = plan.measure.progress = open_progress(o, out);
    checkpoint cp = {&run, fn, fn_arg, 0};
    if (fn) {
        plan.after_result = after_result;
        plan.result_arg = &cp;
    }
    hb_run_devices(&plan, s, chosen, &run.results, &failed);
    hb_progress_report_builds(plan.progress, o->plan.quiet);
    hb_progress_free(plan.progress);
    int sig = hb_signal_stop();
    if (sig) {
        run.incomplete = 1;
        snprintf(run.stopped_by, sizeof run.stopped_by, "%s", hb_signal_name(sig));
    }
    int rc = finish(o, &run, out);
    /* --check judges a complete file that was written to a file */
    int checked = !rc && !sig && o->check && !out->to_stdout ? check_written(o, out->path, rules) : HB_OK;
    if (sig)
        fprintf(stderr, "hbmbench run: stopped by %s: %zu finished measurement%s kept, marked \"complete\": false\n",
                run.stopped_by, run.results.n, run.results.n == 1 ? "" : "s");
    else if ((sig = hb_signal_stop()))
        fprintf(stderr, "hbmbench run: %s arrived while the results were written; they are complete\n",
                hb_signal_name(sig));
    hb_result_list_free(&run.results);
    if (sig)
        return 128 + sig;
    return rc ? rc : failed ? HB_EFAIL : checked;
}

int hb_cmd_run(int argc, char **argv)
{
    return hb_cmd_run_hooked(argc, argv, NULL, NULL);
}

int hb_cmd_run_hooked(int argc, char **argv, hb_checkpoint_fn fn, void *fn_arg)
{
    hb_run_opts o;
    hb_err err = {0};
    if (hb_run_opts_parse(argc, argv, &o, &err)) {
        fprintf(stderr, "hbmbench run: %s\n(see hbmbench run --help)\n", err.msg);
        return err.code;
    }
    if (o.help) {
        fputs(hb_run_usage(), stdout);
        hb_env_help(stdout);
        return HB_OK;
    }
    hb_run_opts_warn(&o);
    if (hb_env_check_all(&err) || hb_fault_init(hb_env("HB_FAULT"), &err)) {
        fprintf(stderr, "hbmbench run: %s\n", err.msg);
        return err.code;
    }
    if (hb_env("HB_FAULT"))
        fprintf(stderr, "hbmbench run: HB_FAULT=%s: injecting failures on purpose (for tests)\n", hb_env("HB_FAULT"));
    /* The rules are read first: a bad rules file costs no measurement. */
    hb_check_rules rules = {0};
    if (o.check && hb_check_rules_load(o.rules, &rules, &err)) {
        fprintf(stderr, "hbmbench run: --rules: %s\n", err.msg);
        return err.code;
    }
    hb_signal_install();
    hb_session s;
    /* --model: the other models are never discovered (a hung driver of one
     * costs nothing); the device indices are then those of their devices */
    if (hb_session_open_models(&s, &o.peaks, o.plan.models, o.plan.n_models, &err)) {
        hb_text_fprintf(stderr, "hbmbench run: %s\n", err.msg);
        hb_check_rules_free(&rules);
        return err.code;
    }
    int *chosen = calloc(s.list.n, sizeof *chosen);
    hb_device *devs = calloc(s.list.n, sizeof *devs);
    /* with --model and no device at all, filter_models says what each named model answered */
    int rc = !chosen || !devs                ? hb_fail(&err, HB_EFAIL, "out of memory")
             : o.plan.n_models && !s.list.n ? HB_OK
                                            : hb_select_devices(&s.list, device_arg(&o, &s.list), chosen, &err);
    if (!rc)
        rc = filter_models(&o, &s.list, chosen, &err);
    if (!rc)
        rc = hb_run_check(&o.plan, &s, chosen, &err);
    if (!rc)
        hb_warn_unmatched_peaks("run", o.peaks.peaks_file, &s);
    hb_run solo;
    memset(&solo, 0, sizeof solo);
    if (!rc && o.plan.solo_file && !(rc = hb_solo_load(o.plan.solo_file, &s, chosen, &solo, &err)))
        o.plan.solo = &solo;
    hb_out out;
    if (!rc)
        rc = reserve_out(&o, &s, &out, &err);
    if (rc) {
        hb_text_fprintf(stderr, "hbmbench run: %s\n", err.msg);
    } else {
        rc = measure_and_write(&o, &s, chosen, devs, &out, &rules, fn, fn_arg);
    }
    if (o.plan.solo)
        hb_run_free_read(&solo);
    free(chosen);
    free(devs);
    hb_session_close(&s);
    hb_check_rules_free(&rules);
    return rc;
}
