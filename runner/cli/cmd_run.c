/* `hbmbench run`: measure, verify, print, and write the result file. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "json_io.h"
#include "output.h"
#include "run_opts.h"
#include "select.h"

static void default_out_path(const hb_session *s, char *buf, size_t len)
{
    char stamp[32];
    time_t t = time(NULL);
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", gmtime(&t));
    snprintf(buf, len, "results/%s-%s.json", s->host.hostname, stamp);
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

static int emit(const hb_run_opts *o, const hb_run *run, const char *path, hb_err *err)
{
    int quiet = o->plan.quiet;
    if (!quiet) {
        if (o->format == HB_FORMAT_TABLE)
            hb_print_table(stdout, run);
        else if (o->format == HB_FORMAT_CSV)
            hb_print_csv(stdout, run);
        else {
            char *text = hb_json_run_dumps(run);
            if (!text)
                return hb_fail(err, HB_EFAIL, "cannot format the JSON document");
            puts(text);
            free(text);
        }
        fflush(stdout);
    }
    if (hb_json_write_run(run, path, o->force, err))
        return err->code;
    if (!quiet)
        fprintf(stderr, "hbmbench run: results written to %s\n", path);
    return HB_OK;
}

int hb_cmd_run(int argc, char **argv)
{
    hb_run_opts o;
    hb_err err = {0};
    if (hb_run_opts_parse(argc, argv, &o, &err)) {
        fprintf(stderr, "hbmbench run: %s\n(see hbmbench run --help)\n", err.msg);
        return err.code;
    }
    if (o.help) {
        fputs(hb_run_usage(), stdout);
        return HB_OK;
    }
    if (o.out && !o.force && access(o.out, F_OK) == 0) {
        fprintf(stderr, "hbmbench run: --out %s exists; refusing to overwrite it (use --force)\n", o.out);
        return HB_EUSAGE;
    }
    hb_session s;
    if (hb_session_open(&s, &o.peaks, &err)) {
        fprintf(stderr, "hbmbench run: %s\n", err.msg);
        return err.code;
    }
    int *chosen = calloc(s.list.n, sizeof *chosen);
    hb_device *devs = calloc(s.list.n, sizeof *devs);
    int rc = !chosen || !devs ? hb_fail(&err, HB_EFAIL, "out of memory")
                              : hb_select_devices(&s.list, o.device, chosen, &err);
    if (!rc)
        rc = filter_models(&o, &s.list, chosen, &err);
    if (rc) {
        fprintf(stderr, "hbmbench run: %s\n", err.msg);
    } else {
        size_t n = 0;
        for (size_t i = 0; i < s.list.n; i++)
            if (chosen[i])
                devs[n++] = s.list.v[i];
        hb_run run;
        fill_run(&o, &s, devs, n, &run);
        int failed = 0;
        rc = hb_run_devices(&o.plan, &s, chosen, &run.results, &failed);
        char path[1024];
        if (o.out)
            snprintf(path, sizeof path, "%s", o.out);
        else
            default_out_path(&s, path, sizeof path);
        if (!rc && emit(&o, &run, path, &err)) {
            fprintf(stderr, "hbmbench run: %s\n", err.msg);
            rc = err.code;
        }
        if (!rc && failed)
            rc = HB_EFAIL;
        hb_result_list_free(&run.results);
    }
    free(chosen);
    free(devs);
    hb_session_close(&s);
    return rc;
}
