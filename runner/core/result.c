/* SPDX-License-Identifier: Apache-2.0 */
/* result: the result model: notes, statistics and percentages of peak. */
#include "result.h"

#include "dtype.h"
#include "parse.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void hb_result_note(hb_result *r, const char *fmt, ...)
{
    size_t used = strlen(r->notes);
    if (used && used + 2 < sizeof r->notes) {
        memcpy(r->notes + used, "; ", 3);
        used += 2;
    }
    if (used + 1 >= sizeof r->notes)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->notes + used, sizeof r->notes - used, fmt, ap);
    va_end(ap);
}

void hb_result_finish(hb_result *r, const hb_peak_value *peak_bw)
{
    r->stats = hb_stats_of(r->samples_s, r->n_samples);
    r->bw_best_gbs = r->bytes_per_iter / r->stats.min / 1e9;
    r->bw_median_gbs = r->bytes_per_iter / r->stats.median / 1e9;
    if (r->flops_per_iter > 0) {
        r->gflops_best = r->flops_per_iter / r->stats.min / 1e9;
        r->gflops_median = r->flops_per_iter / r->stats.median / 1e9;
    }
    r->peak_bw_gbs = peak_bw ? peak_bw->value : NAN;
    snprintf(r->peak_source, sizeof r->peak_source, "%s",
             hb_peak_src_name(peak_bw ? peak_bw->src : HB_PEAK_UNKNOWN));
    r->intensity = r->bytes_per_iter > 0 ? r->flops_per_iter / r->bytes_per_iter : NAN;
    snprintf(r->percent_basis, sizeof r->percent_basis, "bandwidth");
    r->percent_of_peak = isnan(r->peak_bw_gbs) || r->peak_bw_gbs <= 0
                             ? NAN : 100.0 * r->bw_best_gbs / r->peak_bw_gbs;
    /* An invalid result keeps its raw samples but shows no figure that could
     * be read as a good measurement. */
    if (!r->valid) {
        r->bw_best_gbs = r->bw_median_gbs = r->gflops_best = r->gflops_median = NAN;
        r->percent_of_peak = NAN;
        return;
    }
    /* A figure above the theoretical peak cannot be DRAM/HBM traffic:
     * caches or compression served part of it (clpeak #159, transformers-benchmarks #4). */
    if (r->valid && r->percent_of_peak > 100.0)
        hb_result_note(r, "above 100%% of peak (%.1f%%): probably a cache or compression effect, "
                          "not memory bandwidth", r->percent_of_peak);
}

void hb_result_finish_link(hb_result *r, const hb_peak_value *link)
{
    char notes[sizeof r->notes];
    snprintf(notes, sizeof notes, "%s", r->notes);
    hb_result_finish(r, link);
    /* hb_result_finish's note speaks of caches and memory: not this peak's. */
    snprintf(r->notes, sizeof r->notes, "%s", notes);
    snprintf(r->percent_basis, sizeof r->percent_basis, "link");
    if (r->valid && r->percent_of_peak > 100.0)
        hb_result_note(r, "above 100%% of the link peak (%.1f%%): the link figure is below the link's trained "
                          "speed (it was read idle, or in a VM), or the copy did not cross the link",
                       r->percent_of_peak);
}

static int is_f64(const char *dtype)
{
    hb_dtype t;
    return hb_dtype_parse(dtype, &t) == 0 && t == HB_F64;
}

const char *hb_flops_basis(const char *dtype)
{
    return is_f64(dtype) ? "fp64" : "fp32";
}

const hb_peak_value *hb_flops_peak(const hb_peaks *peaks, const char *dtype)
{
    return is_f64(dtype) ? &peaks->fp64_gflops : &peaks->fp32_gflops;
}

void hb_result_finish_compute(hb_result *r, const hb_peaks *peaks)
{
    r->stats = hb_stats_of(r->samples_s, r->n_samples);
    r->bw_best_gbs = r->bytes_per_iter / r->stats.min / 1e9;
    r->bw_median_gbs = r->bytes_per_iter / r->stats.median / 1e9;
    r->gflops_best = r->flops_per_iter / r->stats.min / 1e9;
    r->gflops_median = r->flops_per_iter / r->stats.median / 1e9;
    r->intensity = r->bytes_per_iter > 0 ? r->flops_per_iter / r->bytes_per_iter : NAN;
    r->peak_bw_gbs = peaks ? peaks->bw_gbs.value : NAN;
    snprintf(r->peak_source, sizeof r->peak_source, "%s",
             hb_peak_src_name(peaks ? peaks->bw_gbs.src : HB_PEAK_UNKNOWN));
    const char *basis = hb_flops_basis(r->dtype);
    const hb_peak_value *pf = peaks ? hb_flops_peak(peaks, r->dtype) : NULL;
    r->peak_gflops = pf ? pf->value : NAN;
    snprintf(r->peak_gflops_source, sizeof r->peak_gflops_source, "%s",
             hb_peak_src_name(pf ? pf->src : HB_PEAK_UNKNOWN));
    snprintf(r->percent_basis, sizeof r->percent_basis, "%s", basis);
    r->percent_of_peak = isnan(r->peak_gflops) || r->peak_gflops <= 0
                             ? NAN : 100.0 * r->gflops_best / r->peak_gflops;
    if (!r->valid) {
        r->bw_best_gbs = r->bw_median_gbs = r->gflops_best = r->gflops_median = NAN;
        r->percent_of_peak = NAN;
        return;
    }
    /* A derived FLOP/s peak uses the clock the driver reports, which on CPUs
     * is the base or current clock, not the boost clock the cores run at
     * under load (docs/peaks.md#cpu-clock-under-load). */
    if (r->percent_of_peak > 100.0)
        hb_result_note(r, "above 100%% of the %s peak: the peak (%s, %.1f GFLOP/s) is too low, "
                          "probably computed from a clock below the one the device ran at",
                       basis, r->peak_gflops_source, r->peak_gflops);
}

static const char *const count_names[] = {[HB_COUNT_BYTES] = "bytes", [HB_COUNT_FLOPS] = "flops",
                                          [HB_COUNT_OPS] = "ops"};

static double count_of(const hb_result *r, hb_count c)
{
    return c == HB_COUNT_FLOPS ? r->flops_per_iter : c == HB_COUNT_OPS ? r->ops_per_iter : r->bytes_per_iter;
}

void hb_result_size_label(const hb_result *r, char *buf, size_t len)
{
    size_t eb = hb_dtype_bytes_of(r->dtype);
    if (!eb && r->problem[0])
        snprintf(buf, len, "%s", r->problem);
    else
        hb_format_bytes(r->elements * eb, buf, len);
}

double hb_result_count_for(const hb_result *r, const hb_figure *f)
{
    return count_of(r, f->count);
}

double hb_result_count(const hb_result *r)
{
    for (size_t c = 0; c < sizeof count_names / sizeof *count_names; c++)
        if (!strcmp(r->figure.count, count_names[c]))
            return count_of(r, (hb_count)c);
    return 0;
}

const hb_figure *hb_figure_of(const hb_figure *f, const hb_result *r)
{
    if (f->count != HB_COUNT_BYTES && !(count_of(r, f->count) > 0) && r->bytes_per_iter > 0)
        return &hb_figure_bandwidth;
    return f;
}

void hb_figure_describe(hb_result_figure *g, const hb_figure *f)
{
    memset(g, 0, sizeof *g);
    snprintf(g->name, sizeof g->name, "%s", f->name);
    snprintf(g->unit, sizeof g->unit, "%s", f->unit);
    snprintf(g->count, sizeof g->count, "%s", count_names[f->count]);
    g->lower_is_better = f->lower_is_better;
    g->best = g->median = g->peak = NAN;
}

void hb_result_set_figure(hb_result *r, const hb_figure *decl)
{
    const hb_figure *f = hb_figure_of(decl, r);
    hb_result_figure *g = &r->figure;
    hb_figure_describe(g, f);
    double count = count_of(r, f->count);
    g->best = r->valid && r->n_samples ? hb_figure_value(f, count, r->stats.min) : NAN;
    g->median = r->valid && r->n_samples ? hb_figure_value(f, count, r->stats.median) : NAN;
    if (f != decl) { /* a FLOP/s bench's point without arithmetic: judged as bandwidth */
        snprintf(r->percent_basis, sizeof r->percent_basis, "bandwidth");
        r->percent_of_peak = r->peak_bw_gbs > 0 ? 100 * g->best / r->peak_bw_gbs : NAN;
    }
    switch (f->peak) {
    case HB_BASIS_BANDWIDTH:
    case HB_BASIS_LINK:
        g->peak = r->peak_bw_gbs;
        snprintf(g->peak_source, sizeof g->peak_source, "%s", r->peak_source);
        break;
    case HB_BASIS_FLOPS:
        g->peak = r->peak_gflops;
        snprintf(g->peak_source, sizeof g->peak_source, "%s", r->peak_gflops_source);
        break;
    case HB_BASIS_NONE:
        snprintf(r->percent_basis, sizeof r->percent_basis, "none");
        r->percent_of_peak = NAN;
        break;
    }
}

void hb_result_free(hb_result *r)
{
    free(r->samples_s);
    free(r->grid);
    r->samples_s = NULL;
    r->grid = NULL;
}

hb_result *hb_result_list_push(hb_result_list *l)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        hb_result *v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return NULL;
        l->v = v;
        l->cap = cap;
    }
    hb_result *r = &l->v[l->n++];
    memset(r, 0, sizeof *r);
    r->stats = hb_stats_of(NULL, 0);
    r->wall_s_per_iter = r->bw_best_gbs = r->bw_median_gbs = NAN;
    r->gflops_best = r->gflops_median = r->peak_bw_gbs = r->percent_of_peak = NAN;
    r->intensity = r->peak_gflops = r->solo_gbs = NAN;
    r->figure.best = r->figure.median = r->figure.peak = NAN;
    r->conc_load_s = r->conc_start_s = r->conc_end_s = r->conc_held_s = NAN;
    r->timed_from_unix_s = r->timed_until_unix_s = NAN;
    r->m = r->n = r->k = -1;
    snprintf(r->implementation, sizeof r->implementation, "hbmbench");
    r->valid = 1;
    return r;
}

void hb_result_list_pop(hb_result_list *l)
{
    if (l->n)
        hb_result_free(&l->v[--l->n]);
}

void hb_result_list_free(hb_result_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        hb_result_free(&l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

/* nvmlClocksEventReason* of the NVML API Reference, bit by bit from 0x1. */
static const struct { const char *name; int slowdown; } gpu_reasons[] = {
    {"gpu_idle", 0}, {"applications_clocks_setting", 0}, {"sw_power_cap", 1}, {"hw_slowdown", 1},
    {"sync_boost", 0}, {"sw_thermal_slowdown", 1}, {"hw_thermal_slowdown", 1}, {"hw_power_brake_slowdown", 1},
    {"display_clock_setting", 0},
};

const char *hb_gpu_reason_name(unsigned bit, int *slowdown)
{
    if (bit >= sizeof gpu_reasons / sizeof *gpu_reasons)
        return NULL;
    if (slowdown)
        *slowdown = gpu_reasons[bit].slowdown;
    return gpu_reasons[bit].name;
}
