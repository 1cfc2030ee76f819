/* SPDX-License-Identifier: Apache-2.0 */
/* output: the table and CSV printed on stdout (output.h). */
#include "output.h"

#include <math.h>
#include <string.h>

#include <stdlib.h>

#include "bench.h"
#include "concurrent_summary.h"
#include "model.h"
#include "noisy.h"
#include "parse.h"
#include "text.h"

/* A driver's string made safe for the terminal (text.h), into a local
 * buffer of the field's size. */
#define CLEAN(field, buf) hb_text_clean((field), HB_TEXT_LINE, (buf), sizeof(buf))

/* Each figure (the result's own declaration, figure.h) gets a table: rows
 * in FLOP/s (GEMM, roofline) one with their problem shape and intensity;
 * bandwidth (stream, transfers) and every other figure (latency) one each
 * of the same columns, in the figure's unit. */
static int is_compute(const hb_result *r)
{
    return !strcmp(r->figure.name, "flops");
}

static int any_compute(const hb_run *run)
{
    for (size_t i = 0; i < run->results.n; i++)
        if (is_compute(&run->results.v[i]))
            return 1;
    return 0;
}

void hb_csv_text(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f); /* RFC 4180: a quote inside a field is doubled */
        fputc(*s, f);
    }
    fputc('"', f);
}

/* text as "# " lines of at most about 100 characters, broken at spaces. */
static void print_wrapped(FILE *f, const char *text)
{
    const char *p = text;
    int first = 1;
    while (*p) {
        size_t n = strlen(p);
        if (n > 96) {
            n = 96;
            while (n > 40 && p[n] != ' ')
                n--;
        }
        fprintf(f, "#%s %.*s\n", first ? "" : "  ", (int)n, p);
        p += n;
        while (*p == ' ')
            p++;
        first = 0;
    }
}

/* Which families have results in the run: their conventions are printed. */
static int family_in_run(const hb_run *run, const hb_family *fam)
{
    for (size_t i = 0; i < run->results.n; i++) {
        const hb_bench *b = hb_bench_find(run->results.v[i].bench);
        if (b && b->family == fam)
            return 1;
    }
    return 0;
}

static int any_concurrent(const hb_run *run)
{
    for (size_t i = 0; run && i < run->results.n; i++)
        if (run->results.v[i].concurrent_devices)
            return 1;
    return 0;
}

/* The conventions every human-readable output starts with: the general ones,
 * and the counting of each family with results in run (every family when
 * run is NULL). */
static void hb_print_conventions(FILE *f, const hb_run *run)
{
    fputs("# GB/s = 1e9 bytes/s.\n", f);
    if (any_concurrent(run))
        print_wrapped(f, hb_concurrent_convention);
    for (const hb_family *const *fam = hb_families; *fam; fam++)
        if ((*fam)->conventions && (!run || family_in_run(run, *fam))) {
            char text[1024];
            (*fam)->conventions(text, sizeof text);
            print_wrapped(f, text);
        }
    fputs("# best = from the minimum time, median = from the median time of the timed iterations\n"
          "#   (the timer of each result: device events, or the host clock; warm-up excluded).\n"
          "#   CV = stddev/mean of the times.\n"
          "# %peak = best / theoretical peak; its source is listed per device. size = bytes per array.\n", f);
}

static void print_peak(FILE *f, const hb_device *d, const char *what, const char *unit, const hb_peak_value *p)
{
    char name[sizeof d->name], detail[sizeof p->detail];
    CLEAN(d->name, name);
    CLEAN(p->detail, detail);
    if (isnan(p->value))
        fprintf(f, "# [%d] %s: peak %s unknown (%s)\n", d->index, name, what, detail);
    else
        fprintf(f, "# [%d] %s: peak %s %.1f %s, source %s: %s\n", d->index, name, what, p->value, unit,
                hb_peak_src_name(p->src), detail);
}

static int any_link(const hb_run *run)
{
    for (size_t i = 0; i < run->results.n; i++)
        if (!strcmp(run->results.v[i].percent_basis, "link"))
            return 1;
    return 0;
}

static void print_peaks(FILE *f, const hb_run *run)
{
    int compute = any_compute(run), link = any_link(run);
    for (size_t i = 0; i < run->n_devices; i++) {
        const hb_device *d = &run->devices[i];
        print_peak(f, d, "bandwidth", "GB/s", &d->peaks.bw_gbs);
        if (link && d->kind != HB_KIND_HOST)
            print_peak(f, d, "link (per direction)", "GB/s", &d->peaks.link_gbs);
        if (compute && d->kind != HB_KIND_HOST) {
            print_peak(f, d, "fp32", "GFLOP/s", &d->peaks.fp32_gflops);
            print_peak(f, d, "fp64", "GFLOP/s", &d->peaks.fp64_gflops);
        }
    }
}

/* --repeat runs get a first column saying each result's repetition. */
static int repeated(const hb_run *run)
{
    for (size_t i = 0; i < run->results.n; i++)
        if (run->results.v[i].repetition > 0)
            return 1;
    return 0;
}

static void rep_column(FILE *f, const hb_run *run, const hb_result *r)
{
    if (!repeated(run))
        return;
    if (r)
        fprintf(f, "%-4d ", r->repetition);
    else
        fprintf(f, "%-4s ", "rep");
}

static void fmt_num(char *buf, size_t len, double v, int decimals, const char *suffix)
{
    if (isnan(v))
        snprintf(buf, len, "-");
    else
        snprintf(buf, len, "%.*f%s", decimals, v, suffix);
}

/* A table's rows name their configuration by a label (c1, c2, ...) listed
 * under the table: inline, 40-90 characters of configuration made rows
 * 174-193 characters wide. Rows that share a configuration share a label. */
enum { CFG_LEN = 240, MAX_LABELS = 4096 };
typedef struct cfg_labels {
    char (*text)[CFG_LEN];
    int n;
} cfg_labels;

/* The label of cfg ("c3"), or the configuration itself when out of memory. */
static void cfg_label(cfg_labels *l, const char *cfg, char *out, size_t len)
{
    for (int i = 0; i < l->n; i++)
        if (!strcmp(l->text[i], cfg)) {
            snprintf(out, len, "c%d", i + 1);
            return;
        }
    if (!l->text)
        l->text = calloc(MAX_LABELS, sizeof *l->text);
    if (!l->text || l->n >= MAX_LABELS) {
        snprintf(out, len, "%s", cfg);
        return;
    }
    snprintf(l->text[l->n++], CFG_LEN, "%s", cfg);
    snprintf(out, len, "c%d", l->n);
}

static void print_cfg_legend(FILE *f, cfg_labels *l, int noisy)
{
    if (noisy)
        fprintf(f, "# yes~: CV above %.0f%% (check's built-in cv rule): the machine was not quiet; trust the figure "
                   "less\n", 100 * hb_noisy_cv());
    for (int i = 0; i < l->n; i++)
        fprintf(f, "# c%d: %s\n", i + 1, l->text[i]);
    free(l->text);
    l->text = NULL;
    l->n = 0;
}

/* The widest device name among the rows of one table (compute or not),
 * from 6 to 40 characters: names are no longer cut at 22. */
static int name_width(const hb_run *run, int compute)
{
    int w = 6;
    for (size_t i = 0; i < run->results.n; i++) {
        const hb_result *r = &run->results.v[i];
        char name[sizeof r->device];
        CLEAN(r->device, name);
        if (is_compute(r) == compute && (int)strlen(name) > w)
            w = (int)strlen(name);
    }
    return w < 40 ? w : 40;
}

static const char *valid_text(const hb_result *r, int *noisy)
{
    if (!r->valid)
        return "INVALID";
    if (!hb_is_noisy(r->stats.cv))
        return "yes";
    *noisy = 1;
    return "yes~";
}

static void print_compute_table(FILE *f, const hb_run *run)
{
    int w = name_width(run, 1), noisy = 0;
    cfg_labels labels = {0};
    rep_column(f, run, NULL);
    fprintf(f, "%-4s %-*s %-6s %-8s %-8s %-5s %14s %9s %9s %8s %7s %6s %6s  %-7s %s\n", "dev", w, "device",
            "model", "bench", "impl", "dtype", "problem", "best GF/s", "med GF/s", "GB/s", "FLOP/B", "%peak", "CV",
            "valid", "config");
    for (size_t i = 0; i < run->results.n; i++) {
        const hb_result *r = &run->results.v[i];
        if (!is_compute(r))
            continue;
        char prob[48], best[24], med[24], bw[24], ai[24], pct[24], cv[24], cfg[CFG_LEN], label[CFG_LEN];
        char name[sizeof r->device];
        CLEAN(r->device, name);
        if (r->m >= 0)
            snprintf(prob, sizeof prob, "%lldx%lldx%lld", (long long)r->m, (long long)r->n, (long long)r->k);
        else
            snprintf(prob, sizeof prob, "k=%lld", (long long)r->k);
        fmt_num(best, sizeof best, r->gflops_best, 1, "");
        fmt_num(med, sizeof med, r->gflops_median, 1, "");
        fmt_num(bw, sizeof bw, r->bw_best_gbs, 2, "");
        fmt_num(ai, sizeof ai, r->intensity, r->intensity < 10 ? 3 : 1, "");
        fmt_num(pct, sizeof pct, r->percent_of_peak, 1, "");
        fmt_num(cv, sizeof cv, r->stats.cv * 100, 1, "%");
        hb_params_format(&r->config, cfg, sizeof cfg);
        cfg_label(&labels, cfg, label, sizeof label);
        rep_column(f, run, r);
        fprintf(f, "%-4d %-*.*s %-6s %-8s %-8s %-5s %14s %9s %9s %8s %7s %6s %6s  %-7s %s\n", r->device_index, w, w,
                name, r->model, r->bench, r->implementation, r->dtype, prob, best, med, bw, ai, pct, cv,
                valid_text(r, &noisy), label);
    }
    fputs("# %peak of these rows: of the FLOP/s peak of their dtype (fp64 for f64, else fp32)\n", f);
    print_cfg_legend(f, &labels, noisy);
}

/* Each family's derived records (the roofline's ceilings, the latency
 * plateaus), one line each. */
static void print_summaries(FILE *f, const hb_run *run)
{
    enum { MAX = 64 };
    hb_params *recs = calloc(MAX, sizeof *recs);
    for (const hb_family *const *fam = hb_families; recs && *fam; fam++) {
        if (!(*fam)->summarize || !(*fam)->print_summary)
            continue;
        size_t n = (*fam)->summarize(run, recs, MAX);
        for (size_t i = 0; i < n; i++)
            (*fam)->print_summary(f, &recs[i]);
    }
    free(recs);
}

/* Two results of one device, bench, dtype, problem and implementation
 * measured by different models (a GPU through OpenCL and CUDA). */
static int model_pair(const hb_result *a, const hb_result *b)
{
    return a->device_index == b->device_index && strcmp(a->model, b->model) != 0 && !strcmp(a->bench, b->bench) &&
           !strcmp(a->dtype, b->dtype) && a->elements == b->elements && a->m == b->m && a->n == b->n &&
           a->k == b->k && !strcmp(a->implementation, b->implementation);
}

/* Per kernel, the first model's speed over each later model's
 * ("opencl/cuda = 0.962": OpenCL reaches 96.2% of CUDA's figure); for a
 * figure where lower is better (latency) that is the other's over the first's. */
void hb_print_model_ratios(FILE *f, const hb_run *run)
{
    int header = 0;
    for (size_t i = 0; i < run->results.n; i++)
        for (size_t j = i + 1; j < run->results.n; j++) {
            const hb_result *a = &run->results.v[i], *b = &run->results.v[j];
            if (!model_pair(a, b))
                continue;
            double x = a->figure.best, y = b->figure.best;
            double speed = a->figure.lower_is_better ? y / x : x / y;
            char size[48], ratio[32];
            if (a->m >= 0)
                snprintf(size, sizeof size, "%lldx%lldx%lld", (long long)a->m, (long long)a->n, (long long)a->k);
            else
                hb_result_size_label(a, size, sizeof size);
            if (a->valid && b->valid && x > 0 && y > 0)
                snprintf(ratio, sizeof ratio, "%.3f", speed);
            else
                snprintf(ratio, sizeof ratio, "- (%s)", a->valid && b->valid ? "no figure" : "INVALID");
            char xs[24] = "-", ys[24] = "-"; /* an invalid side has no figure */
            if (isfinite(x))
                snprintf(xs, sizeof xs, "%.2f", x);
            if (isfinite(y))
                snprintf(ys, sizeof ys, "%.2f", y);
            if (!header++)
                fputs("# model ratios, per kernel: the first model's speed over the other's, from their best figures (> 1: the "
                      "first is faster; for a time such as ns per load, the other's time over the first's)\n", f);
            fprintf(f, "# [%d] %-8s %-5s %-10s %s/%s = %s (%s vs %s %s)\n", a->device_index, a->bench,
                    a->dtype, size, a->model, b->model, ratio, xs, ys, a->figure.unit);
        }
}

static int same_note(const hb_result *a, const hb_result *b)
{
    return a->device_index == b->device_index && !strcmp(a->bench, b->bench) && !strcmp(a->dtype, b->dtype) &&
           !strcmp(a->implementation, b->implementation) && !strcmp(a->notes, b->notes);
}

static int repeats_earlier(const hb_run *run, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (same_note(&run->results.v[j], &run->results.v[i]))
            return 1;
    return 0;
}

/* The table of the rows whose figure is named `figure`, in its unit (a run
 * with no result at all gets the bandwidth table's header). */
static void print_figure_table(FILE *f, const hb_run *run, const char *figure, const char *unit)
{
    int w = name_width(run, 0), bw = 6, noisy = 0;
    cfg_labels labels = {0};
    for (size_t i = 0; i < run->results.n; i++)
        if (!strcmp(run->results.v[i].figure.name, figure) && (int)strlen(run->results.v[i].bench) > bw)
            bw = (int)strlen(run->results.v[i].bench);
    char hbest[32], hmed[32];
    snprintf(hbest, sizeof hbest, "best %s", unit);
    snprintf(hmed, sizeof hmed, "med %s", unit);
    rep_column(f, run, NULL);
    fprintf(f, "%-4s %-*s %-6s %-*s %-5s %10s %10s %10s %7s %6s  %-7s %s\n", "dev", w, "device", "model", bw,
            "bench", "dtype", "size", hbest, hmed, "%peak", "CV", "valid", "config");
    for (size_t i = 0; i < run->results.n; i++) {
        const hb_result *r = &run->results.v[i];
        if (strcmp(r->figure.name, figure))
            continue;
        char size[48], best[24], med[24], pct[24], cv[24], cfg[CFG_LEN], label[CFG_LEN], name[sizeof r->device];
        CLEAN(r->device, name);
        hb_result_size_label(r, size, sizeof size);
        fmt_num(best, sizeof best, r->figure.best, 2, "");
        fmt_num(med, sizeof med, r->figure.median, 2, "");
        fmt_num(pct, sizeof pct, r->percent_of_peak, 1, "");
        fmt_num(cv, sizeof cv, r->stats.cv * 100, 1, "%");
        hb_params_format(&r->config, cfg, sizeof cfg);
        if (r->concurrent_devices) { /* which rows ran with other devices */
            size_t used = strlen(cfg);
            snprintf(cfg + used, sizeof cfg - used, " [concurrent step %d]", r->concurrent_step);
        }
        cfg_label(&labels, cfg, label, sizeof label);
        rep_column(f, run, r);
        fprintf(f, "%-4d %-*.*s %-6s %-*s %-5s %10s %10s %10s %7s %6s  %-7s %s\n", r->device_index, w, w, name,
                r->model, bw, r->bench, r->dtype[0] ? r->dtype : "-", size, best, med, pct, cv,
                valid_text(r, &noisy), label);
    }
    print_cfg_legend(f, &labels, noisy);
}

/* Whether an earlier row than i has row i's figure. */
static int figure_seen(const hb_run *run, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (!strcmp(run->results.v[j].figure.name, run->results.v[i].figure.name))
            return 1;
    return 0;
}

void hb_print_table(FILE *f, const hb_run *run)
{
    hb_print_conventions(f, run);
    int compute = any_compute(run), other = 0;
    print_peaks(f, run);
    for (size_t i = 0; i < run->results.n; i++) {
        const hb_result *r = &run->results.v[i];
        if (is_compute(r) || figure_seen(run, i))
            continue;
        print_figure_table(f, run, r->figure.name, r->figure.unit);
        other = 1;
    }
    if (!other && !compute)
        print_figure_table(f, run, hb_figure_bandwidth.name, hb_figure_bandwidth.unit);
    if (compute)
        print_compute_table(f, run);
    print_summaries(f, run); /* a family with nothing in this run has no record */
    hb_concurrent_print(f, run);
    hb_print_model_ratios(f, run);
    /* A note that several results of one bench share (a FLOP/s peak that
     * every roofline point exceeds) is printed once, with its count. */
    for (size_t i = 0; i < run->results.n; i++) {
        const hb_result *r = &run->results.v[i];
        if (!r->notes[0] || repeats_earlier(run, i))
            continue;
        size_t same = 0;
        for (size_t j = i; j < run->results.n; j++)
            same += same_note(r, &run->results.v[j]);
        char notes[sizeof r->notes];
        CLEAN(r->notes, notes);
        if (same > 1)
            fprintf(f, "# note: [%d] %s %s (%zu results): %s\n", r->device_index, r->bench, r->dtype, same,
                    notes);
        else
            fprintf(f, "# note: [%d] %s %s: %s\n", r->device_index, r->bench, r->dtype, notes);
    }
    if (run->incomplete)
        fprintf(f, "# INCOMPLETE: the run was stopped by %s; only the %zu measurement%s that finished before it "
                "%s shown and kept (the result file says \"complete\": false)\n", run->stopped_by, run->results.n,
                run->results.n == 1 ? "" : "s", run->results.n == 1 ? "is" : "are");
}

static void csv_num(FILE *f, double v)
{
    if (!isnan(v))
        fprintf(f, "%.9g", v);
}

void hb_print_csv(FILE *f, const hb_run *run)
{
    fputs("device_index,device,pci_bus_id,bench,dtype,elements,bytes_per_iter,best_gbs,median_gbs,"
          "min_s,median_s,mean_s,max_s,stddev_s,cv,peak_bandwidth_gbs,peak_source,percent_of_peak,valid,"
          "config,notes,implementation,m,n,k,gflops_best,gflops_median,arithmetic_intensity,"
          "percent_of_peak_basis,peak_gflops,peak_gflops_source,concurrent_step,solo_gbs,repetition,"
          /* last, so earlier columns keep their places: what tells rows of many files apart */
          "model,timer,host,created,"
          /* schema 2: what the row's number is, in its own unit */
          "figure,figure_unit,figure_better,figure_best,figure_median,figure_peak,figure_peak_source\n", f);
    for (size_t i = 0; i < run->results.n; i++) {
        const hb_result *r = &run->results.v[i];
        char cfg[256];
        hb_params_format(&r->config, cfg, sizeof cfg);
        fprintf(f, "%d,", r->device_index);
        hb_csv_text(f, r->device);
        fprintf(f, ",%s,%s,%s,%llu,%.0f,", r->pci_bus_id, r->bench, r->dtype, (unsigned long long)r->elements,
                r->bytes_per_iter);
        const double nums[] = {r->bw_best_gbs, r->bw_median_gbs, r->stats.min, r->stats.median, r->stats.mean,
                               r->stats.max, r->stats.stddev, r->stats.cv, r->peak_bw_gbs};
        for (size_t k = 0; k < sizeof nums / sizeof nums[0]; k++) {
            csv_num(f, nums[k]);
            fputc(',', f);
        }
        fprintf(f, "%s,", r->peak_source);
        csv_num(f, r->percent_of_peak);
        fprintf(f, ",%s,", r->valid ? "true" : "false");
        hb_csv_text(f, cfg);
        fputc(',', f);
        hb_csv_text(f, r->notes);
        fprintf(f, ",%s,", r->implementation);
        const int64_t dims[] = {r->m, r->n, r->k};
        for (int d = 0; d < 3; d++)
            if (dims[d] >= 0)
                fprintf(f, "%lld,", (long long)dims[d]);
            else
                fputc(',', f);
        const double more[] = {r->gflops_best, r->gflops_median, r->intensity};
        for (size_t k = 0; k < 3; k++) {
            csv_num(f, more[k]);
            fputc(',', f);
        }
        fprintf(f, "%s,", r->percent_basis);
        csv_num(f, r->peak_gflops);
        fprintf(f, ",%s,", r->peak_gflops_source);
        if (r->concurrent_devices) /* empty for a result measured alone */
            fprintf(f, "%d", r->concurrent_step);
        fputc(',', f);
        csv_num(f, r->solo_gbs);
        fputc(',', f);
        if (r->repetition > 0)
            fprintf(f, "%d", r->repetition);
        fprintf(f, ",%s,%s,", r->model, r->timer);
        hb_csv_text(f, run->host.hostname);
        fprintf(f, ",%s,%s,%s,%s,", run->created, r->figure.name, r->figure.unit,
                r->figure.lower_is_better ? "lower" : "higher");
        const double fig[] = {r->figure.best, r->figure.median, r->figure.peak};
        for (size_t k = 0; k < 3; k++) {
            csv_num(f, fig[k]);
            fputc(',', f);
        }
        fprintf(f, "%s\n", r->figure.peak_source);
    }
}

static void print_device_peak(FILE *f, const char *what, const char *unit, const hb_peak_value *p)
{
    char detail[sizeof p->detail];
    CLEAN(p->detail, detail);
    if (isnan(p->value)) {
        fprintf(f, "    %-15s unknown (%s)\n", what, detail);
        return;
    }
    /* A detail that opens with its source's name ("derived: 2 cores x ...")
     * would print it twice after the bracketed source. */
    const char *src = hb_peak_src_name(p->src), *rest = detail;
    size_t n = strlen(src);
    if (!strncmp(rest, src, n) && rest[n] == ':')
        rest += n + 1 + (rest[n + 1] == ' ');
    fprintf(f, "    %-15s %.1f %s [%s] %s\n", what, p->value, unit, src, rest);
}

/* A model's own limits where a device has several (they differ: NVIDIA's
 * OpenCL caps one allocation at a quarter of the memory, CUDA does not),
 * and the runtime library it loaded. */
static void print_binding(FILE *f, const hb_binding *b)
{
    char gm[32], ma[32], gc[32], lib[sizeof b->library];
    hb_format_bytes(b->global_mem_bytes, gm, sizeof gm);
    hb_format_bytes(b->max_alloc_bytes, ma, sizeof ma);
    hb_format_bytes(b->global_cache_bytes, gc, sizeof gc);
    fprintf(f, "    model %s: global memory %s, max allocation %s, global cache %s%s%s\n", b->model->name, gm, ma, gc,
            b->library[0] ? "; library " : "", b->library[0] ? CLEAN(b->library, lib) : "");
}

void hb_print_device(FILE *f, const hb_device *d)
{
    char gm[32], ma[32], gc[32], lm[32];
    char name[sizeof d->name], type[sizeof d->type], vendor[sizeof d->vendor], platform[sizeof d->platform_name];
    char driver[sizeof d->driver_version], clv[sizeof d->cl_version], clc[sizeof d->clc_version];
    char bus[sizeof d->pci_bus_id], numa[sizeof d->numa_nodes], cpus[sizeof d->cpuset];
    char where[sizeof d->locality_source], scope[sizeof d->scope], board[sizeof d->board_name];
    fprintf(f, "[%d] %s%s%s%s\n", d->index, CLEAN(d->name, name), d->board_name[0] ? " (board name: " : "",
            d->board_name[0] ? CLEAN(d->board_name, board) : "", d->board_name[0] ? ")" : "");
    if (d->kind == HB_KIND_HOST) {
        fprintf(f, "    native STREAM on the host CPUs (no OpenCL), model %s, scope %s; select with --device host\n",
                d->model->name, CLEAN(d->scope, scope));
    } else {
        hb_format_bytes(d->global_mem_bytes, gm, sizeof gm);
        hb_format_bytes(d->max_alloc_bytes, ma, sizeof ma);
        hb_format_bytes(d->global_cache_bytes, gc, sizeof gc);
        hb_format_bytes(d->local_mem_bytes, lm, sizeof lm);
        char models[64], cc[32] = "";
        hb_device_models(d, models, sizeof models);
        if (d->cc_major)
            snprintf(cc, sizeof cc, "; compute capability %d.%d", d->cc_major, d->cc_minor);
        fprintf(f, "    type %s, vendor %s, platform %s, model%s %s\n", CLEAN(d->type, type), CLEAN(d->vendor, vendor),
                CLEAN(d->platform_name, platform), d->n_bindings > 1 ? "s" : "", models);
        if (d->cl_version[0])
            fprintf(f, "    driver %s; %s; %s%s\n", CLEAN(d->driver_version, driver), CLEAN(d->cl_version, clv),
                    CLEAN(d->clc_version, clc), cc);
        else
            fprintf(f, "    driver %s; %s%s\n", CLEAN(d->driver_version, driver), CLEAN(d->clc_version, clc), cc);
        fprintf(f, "    %u compute units, max clock %u MHz, fp64 %s, fp16 %s, max work-group %zu\n",
                d->compute_units, d->max_clock_mhz, d->fp64 ? "yes" : "no", d->fp16 ? "yes" : "no",
                d->max_work_group_size);
        fprintf(f, "    global memory %s, max allocation %s, global cache %s (line %u B), local memory %s\n", gm, ma,
                gc, d->cache_line_bytes, lm);
        for (int b = 0; b < d->n_bindings; b++)
            if (d->n_bindings > 1 || d->bindings[b].library[0])
                print_binding(f, &d->bindings[b]);
    }
    fprintf(f, "    PCI %s; NUMA node(s) %s; CPUs %s (%u cores, %u PUs); locality: %s\n",
            d->has_pci ? CLEAN(d->pci_bus_id, bus) : "none", CLEAN(d->numa_nodes, numa), CLEAN(d->cpuset, cpus),
            d->n_cores, d->n_pus, CLEAN(d->locality_source, where));
    if (d->uuid[0] || d->serial[0]) {
        char uuid[sizeof d->uuid], src[sizeof d->uuid_source], serial[sizeof d->serial];
        fprintf(f, "    UUID %s (%s); serial %s\n", d->uuid[0] ? CLEAN(d->uuid, uuid) : "unknown",
                d->uuid[0] ? CLEAN(d->uuid_source, src) : "-", d->serial[0] ? CLEAN(d->serial, serial) : "unknown");
    }
    print_device_peak(f, "peak bandwidth", "GB/s", &d->peaks.bw_gbs);
    print_device_peak(f, "peak fp32", "GFLOP/s", &d->peaks.fp32_gflops);
    print_device_peak(f, "peak fp64", "GFLOP/s", &d->peaks.fp64_gflops);
    if (d->kind != HB_KIND_HOST)
        print_device_peak(f, "link", "GB/s", &d->peaks.link_gbs);
}
