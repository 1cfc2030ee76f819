/* run_devices: the loop over devices, dtypes, benches and problems. */
#include "run_devices.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "nvml_state.h"
#include "sizing.h"

#define MAX_PROBLEMS 64

__attribute__((format(printf, 2, 3))) static void say(const hb_run_plan *p, const char *fmt, ...)
{
    if (p->quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* Stream problems: one array size (--size), or with --sweep geometric
 * steps (x2) from 4 KiB per array up to that size, so the caches show. */
static int stream_problems(const hb_run_plan *p, const hb_session *s, const hb_device *dev, size_t eb, int announce,
                           hb_problem *out, int max, hb_err *err)
{
    uint64_t n;
    char why[256];
    if (hb_plan_elements(dev, &s->host, &p->size, eb, &n, why, sizeof why, err))
        return -1;
    if (announce)
        say(p, "hbmbench run: [%s] %s", dev->name, why);
    int count = 0;
    if (p->sweep)
        for (uint64_t e = 4096 / eb; e < n && count < max - 1; e *= 2)
            out[count++] = (hb_problem){.elements = e};
    out[count++] = (hb_problem){.elements = n};
    for (int i = 0; i < count; i++)
        hb_format_bytes(out[i].elements * eb, out[i].label, sizeof out[i].label);
    return count;
}

static int impl_wanted(const hb_run_plan *p, const hb_kernels *k)
{
    for (int i = 0; i < p->n_impls; i++)
        if (!strcmp(p->impls[i], k->implementation))
            return 1;
    return p->n_impls == 0;
}

/* Whether the device has what dtype needs (an OpenCL extension). */
static int device_has(const hb_device *dev, hb_dtype t)
{
    return !((t == HB_F64 && !dev->fp64) || (t == HB_F16 && !dev->fp16));
}

/* Measures every problem of one bench with one set of kernels. A device
 * failure ends that device's run: the result that hit it is recorded
 * invalid with the error, and *stop is set. */
static int run_bench(const hb_run_plan *p, const hb_session *s, hb_bench_ctx *ctx, hb_gpu_probe *probe, int *first,
                     hb_result_list *out, int *failed, int *stop)
{
    hb_err err = {0};
    hb_problem probs[MAX_PROBLEMS];
    const hb_bench *bench = ctx->bench;
    int np = 0;
    if (!bench->problems || bench->uses_stream_size) {
        np = stream_problems(p, s, ctx->dev, ctx->elem_bytes, *first, probs, MAX_PROBLEMS, &err);
        *first = 0;
        ctx->elements = np > 0 ? probs[np - 1].elements : 0; /* the main size, not the sweep */
    }
    if (np >= 0 && bench->problems)
        np = bench->problems(ctx, probs, MAX_PROBLEMS, &err);
    if (np < 0) {
        fprintf(stderr, "hbmbench run: %s\n", err.msg);
        return err.code;
    }
    /* Sweep points below the main size use the default configuration:
     * tuning every point would multiply the run time by the grid size. */
    hb_measure_opts mo = p->measure;
    mo.probe = probe;
    for (int i = 0; i < np; i++) {
        mo.tune = i < np - 1 && !bench->problems ? 0 : p->measure.tune;
        hb_result *r = hb_result_list_push(out);
        if (!r || hb_measure(ctx, &probs[i], &mo, r, &err)) {
            fprintf(stderr, "hbmbench run: %s: %s\n", ctx->dev->name, r ? err.msg : "out of memory");
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

/* Every bench asked for in one dtype, with each of the model's kernels of
 * its family (ours, then library rows). */
static int run_dtype(const hb_run_plan *p, const hb_session *s, hb_bench_ctx *ctx, hb_gpu_probe *probe,
                     hb_result_list *out, int *failed, int *stop)
{
    int rc = HB_OK, ran = 0, first = 1;
    ctx->elem_bytes = hb_dtype_bytes(ctx->dtype);
    for (int b = 0; b < p->n_benches && !rc && !*stop; b++) {
        const hb_bench *bench = p->benches[b];
        if (!hb_bench_has_dtype(bench, ctx->dtype))
            continue;
        for (const hb_kernels *const *k = ctx->model->kernels; *k && !rc && !*stop; k++) {
            if (strcmp((*k)->family, bench->family->name) || !((*k)->dtypes & HB_DTYPE_BIT(ctx->dtype)) ||
                !impl_wanted(p, *k))
                continue;
            ctx->bench = bench;
            ctx->kernels = *k;
            char why[256];
            if ((*k)->available && !(*k)->available(ctx, why, sizeof why)) {
                say(p, "hbmbench run: %s: %s %s %s not run: %s", ctx->dev->name, bench->name,
                    hb_dtype_name(ctx->dtype), (*k)->implementation, why);
                continue;
            }
            rc = run_bench(p, s, ctx, probe, &first, out, failed, stop);
            ran = 1;
        }
    }
    if (!ran)
        say(p, "hbmbench run: %s: no selected bench runs in %s on the %s model (see --bench)", ctx->dev->name,
            hb_dtype_name(ctx->dtype), ctx->model->name);
    return rc;
}

static int run_device(const hb_run_plan *p, const hb_session *s, const hb_device *dev, hb_result_list *out,
                      int *failed)
{
    hb_err err = {0};
    hb_bench_ctx ctx = {.model = dev->model, .dev = dev, .opts = &p->bench_opts};
    if (dev->model->open(dev, &p->model_opts, &ctx.env, &err)) {
        fprintf(stderr, "hbmbench run: %s: %s\n", dev->name, err.msg);
        dev->model->close(ctx.env);
        *failed = 1;
        return HB_OK;
    }
    int rc = HB_OK, stop = 0;
    hb_gpu_probe *probe = hb_gpu_probe_open(dev);
    for (int d = 0; d < p->n_dtypes && !rc && !stop; d++) {
        ctx.dtype = p->dtypes[d];
        if (!device_has(dev, ctx.dtype)) {
            say(p, "hbmbench run: %s has no %s (%s); %s skipped", dev->name, hb_dtype_name(ctx.dtype),
                hb_dtype_get(ctx.dtype)->needs, hb_dtype_name(ctx.dtype));
            continue;
        }
        rc = run_dtype(p, s, &ctx, probe, out, failed, &stop);
    }
    hb_gpu_probe_close(probe);
    dev->model->close(ctx.env);
    return rc;
}

int hb_plan_wants(const hb_run_plan *plan, const hb_device *dev, int b)
{
    if (b < 0 || b >= dev->n_bindings)
        return 0;
    for (int i = 0; i < plan->n_models; i++)
        if (!strcmp(plan->models[i], dev->bindings[b].model->name))
            return 1;
    return plan->n_models == 0;
}

int hb_run_devices(const hb_run_plan *plan, const hb_session *s, const int *chosen, hb_result_list *out,
                   int *failed)
{
    int rc = HB_OK;
    for (size_t i = 0; i < s->list.n && !rc; i++) {
        const hb_device *dev = &s->list.v[i];
        for (int b = 0; chosen[i] && b < dev->n_bindings && !rc; b++) {
            if (!hb_plan_wants(plan, dev, b))
                continue;
            hb_device bound = hb_device_bound(dev, b);
            if (dev->n_bindings > 1)
                say(plan, "hbmbench run: [%d] %s through the %s model", dev->index, dev->name, bound.model->name);
            rc = run_device(plan, s, &bound, out, failed);
        }
    }
    return rc;
}
