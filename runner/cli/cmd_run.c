/* `hbmbench run`: measure, verify, print, and write the result file. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "cl_env.h"
#include "commands.h"
#include "host_stream.h"
#include "json_io.h"
#include "measure.h"
#include "output.h"
#include "run_opts.h"
#include "select.h"
#include "session.h"
#include "sizing.h"

__attribute__((format(printf, 2, 3))) static void say(const hb_run_opts *o, const char *fmt, ...)
{
    if (o->quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

#define MAX_PROBLEMS 64

/* Stream problems: one array size (--size), or with --sweep geometric
 * steps (x2) from 4 KiB per array up to that size, so the caches show. */
static int stream_problems(const hb_run_opts *o, const hb_session *s, const hb_device *dev, size_t eb,
                           int announce, hb_problem *out, int max, hb_err *err)
{
    uint64_t n;
    char why[256];
    if (hb_plan_elements(dev, &s->host, &o->size, eb, &n, why, sizeof why, err))
        return -1;
    if (announce)
        say(o, "hbmbench run: [%s] %s", dev->name, why);
    int count = 0;
    if (o->sweep)
        for (uint64_t e = 4096 / eb; e < n && count < max - 1; e *= 2)
            out[count++] = (hb_problem){.elements = e};
    out[count++] = (hb_problem){.elements = n};
    for (int i = 0; i < count; i++)
        hb_format_bytes(out[i].elements * eb, out[i].label, sizeof out[i].label);
    return count;
}

static size_t dtype_bytes(const char *dtype)
{
    return strcmp(dtype, "f64") == 0 ? 8 : strcmp(dtype, "f16") == 0 ? 2 : 4;
}

static int listed(const char *list, const char *item)
{
    size_t n = strlen(item);
    for (const char *p = list; (p = strstr(p, item)) != NULL; p += n)
        if ((p == list || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
            return 1;
    return 0;
}

static int device_has(const hb_device *dev, const char *dtype)
{
    return !((!strcmp(dtype, "f64") && !dev->fp64) || (!strcmp(dtype, "f16") && !dev->fp16));
}

static int supports(const hb_bench *b, const hb_device *dev, const char *dtype)
{
    return device_has(dev, dtype) && listed(b->dtypes, dtype);
}

/* Measures every problem of one bench and dtype. A device failure ends
 * that device's run: the result that hit it is recorded invalid with the
 * error, and *stop is set. */
static int run_bench(const hb_run_opts *o, const hb_session *s, hb_cl_env *env, const hb_bench *bench,
                     const char *dtype, int *first, hb_result_list *out, int *failed, int *stop)
{
    hb_err err = {0};
    hb_problem probs[MAX_PROBLEMS];
    hb_bench_ctx ctx = {.bench = bench, .env = env, .dev = env->dev, .dtype = dtype,
                        .elem_bytes = dtype_bytes(dtype), .opts = &o->bench_opts, .tune = o->tune};
    int np = 0;
    if (!bench->problems || bench->uses_stream_size) {
        np = stream_problems(o, s, env->dev, ctx.elem_bytes, *first, probs, MAX_PROBLEMS, &err);
        *first = 0;
        ctx.elements = np > 0 ? probs[np - 1].elements : 0; /* the main size, not the sweep */
    }
    if (np >= 0 && bench->problems)
        np = bench->problems(&ctx, probs, MAX_PROBLEMS, &err);
    if (np < 0) {
        fprintf(stderr, "hbmbench run: %s\n", err.msg);
        return err.code;
    }
    /* Sweep points below the main size use the default configuration:
     * tuning every point would multiply the run time by the grid size. */
    hb_measure_opts mo = {o->iters, o->warmup, o->tune_iters, o->tune, !o->quiet && isatty(2)};
    for (int p = 0; p < np; p++) {
        mo.tune = p < np - 1 && !bench->problems ? 0 : o->tune;
        hb_result *r = hb_result_list_push(out);
        if (!r || hb_measure(env, bench, dtype, &probs[p], &o->bench_opts, &mo, r, &err)) {
            fprintf(stderr, "hbmbench run: %s: %s\n", env->dev->name, r ? err.msg : "out of memory");
            if (r) {
                r->valid = 0;
                hb_result_note(r, "device failure: %s", err.msg);
            }
            *failed = *stop = 1;
            return HB_OK;
        }
        if (!r->valid)
            *failed = 1;
    }
    return HB_OK;
}

/* Whether the user's --gemm-impl (or its default, every one built in)
 * includes b. */
static int impl_wanted(const hb_run_opts *o, const hb_bench *b)
{
    for (int i = 0; i < o->n_impls; i++)
        if (!strcmp(o->impls[i], hb_bench_impl(b)))
            return 1;
    return o->n_impls == 0;
}

static int run_opencl_device(const hb_run_opts *o, const hb_session *s, const hb_device *dev, hb_result_list *out,
                             int *failed)
{
    hb_err err = {0};
    hb_cl_env env;
    if (hb_cl_env_open(&env, dev, o->kernel_dir, &err)) {
        fprintf(stderr, "hbmbench run: %s: %s\n", dev->name, err.msg);
        *failed = 1;
        return HB_OK;
    }
    int rc = HB_OK, stop = 0;
    for (int d = 0; d < o->n_dtypes && !rc && !stop; d++) {
        int first = 1;
        if (!strcmp(o->dtypes[d], "f64") && !dev->fp64)
            say(o, "hbmbench run: %s has no fp64 (cl_khr_fp64); f64 skipped", dev->name);
        if (!strcmp(o->dtypes[d], "f16") && !dev->fp16)
            say(o, "hbmbench run: %s has no fp16 (cl_khr_fp16); f16 skipped", dev->name);
        /* Every descriptor of each bench asked for: ours, then library rows. */
        int ran = 0;
        for (int b = 0; b < o->n_benches && !rc && !stop; b++)
            for (const hb_bench *const *bp = hb_benches; *bp && !rc && !stop; bp++)
                if (!strcmp((*bp)->name, o->benches[b]) && impl_wanted(o, *bp) && supports(*bp, dev, o->dtypes[d])) {
                    rc = run_bench(o, s, &env, *bp, o->dtypes[d], &first, out, failed, &stop);
                    ran = 1;
                }
        if (!ran && device_has(dev, o->dtypes[d]))
            say(o, "hbmbench run: no selected bench offers %s (see --bench)", o->dtypes[d]);
    }
    hb_cl_env_close(&env);
    return rc;
}

static int run_host(const hb_run_opts *o, hb_session *s, const hb_device *dev, hb_result_list *out, int *failed)
{
    hb_err err = {0};
    size_t first = out->n;
    /* The native baseline has the stream kernels only, in f32 and f64. */
    const char *benches[17];
    int nb = 0;
    for (int b = 0; b < o->n_benches; b++) {
        const hb_bench *bench = hb_bench_find(o->benches[b]);
        if (bench && !strcmp(bench->family, "stream"))
            benches[nb++] = o->benches[b];
    }
    benches[nb] = NULL;
    for (int d = 0; d < o->n_dtypes && nb > 0; d++) {
        if (strcmp(o->dtypes[d], "f32") && strcmp(o->dtypes[d], "f64"))
            continue;
        size_t eb = strcmp(o->dtypes[d], "f64") == 0 ? 8 : 4;
        uint64_t n;
        char why[256];
        if (hb_plan_elements(dev, &s->host, &o->size, eb, &n, why, sizeof why, &err))
            return err.code;
        say(o, "hbmbench run: [host] %s", why);
        const char *dtypes[2] = {o->dtypes[d], NULL};
        hb_host_stream_opts ho = {benches, dtypes, n * eb, o->iters, o->warmup, !o->host_plain_stores};
        if (hb_host_stream_run(&s->topo, dev, &ho, out, &err)) {
            fprintf(stderr, "hbmbench run: host: %s\n", err.msg);
            *failed = 1;
            return err.code == HB_EUSAGE ? HB_EUSAGE : HB_OK;
        }
    }
    for (size_t i = first; i < out->n; i++)
        if (!out->v[i].valid)
            *failed = 1;
    return HB_OK;
}

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
    hb_params_set_num(&run->config, "iters", o->iters);
    hb_params_set_num(&run->config, "warmup", o->warmup);
    hb_params_set_text(&run->config, "tune", tunes[o->tune]);
    hb_params_set_num(&run->config, "tune_iters", o->tune_iters);
    if (o->size.is_auto)
        hb_params_set_text(&run->config, "size", "auto");
    else
        hb_params_set_num(&run->config, o->size.is_bytes ? "size_bytes" : "size_elements", (double)o->size.value);
    hb_params_set_text(&run->config, "host_stores", o->host_plain_stores ? "plain" : "nontemporal");
    if (o->bench_opts.gemm_sizes)
        hb_params_set_text(&run->config, "gemm_sizes", o->bench_opts.gemm_sizes);
    if (o->bench_opts.retune)
        hb_params_set_num(&run->config, "retune", 1);
    if (o->n_impls)
        hb_params_set_text(&run->config, "gemm_impl", o->impl_arg);
}

static int emit(const hb_run_opts *o, const hb_run *run, const char *path, hb_err *err)
{
    if (!o->quiet) {
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
    if (!o->quiet)
        fprintf(stderr, "hbmbench run: results written to %s\n", path);
    return HB_OK;
}

static int run_all(const hb_run_opts *o, hb_session *s, const int *chosen, hb_run *run, int *failed)
{
    int rc = HB_OK;
    for (size_t i = 0; i < s->list.n && !rc; i++) {
        if (!chosen[i])
            continue;
        const hb_device *dev = &s->list.v[i];
        rc = dev->is_host ? run_host(o, s, dev, &run->results, failed)
                          : run_opencl_device(o, s, dev, &run->results, failed);
    }
    return rc;
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
        fputs(hb_run_usage, stdout);
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
        rc = run_all(&o, &s, chosen, &run, &failed);
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
