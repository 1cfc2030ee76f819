/* SPDX-License-Identifier: Apache-2.0 */
/* json_read_result: the "results" array of a result file back into
 * hb_result records (layout: results/README.md). */
#include "json_get.h"

#include "bench.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* *has_n: stats.n is given (not missing or null). */
static int read_stats(hb_jreader *c, const json_t *r, const char *at, hb_stats *s, int *has_n)
{
    const json_t *o;
    char here[64];
    uint64_t n = 0;
    snprintf(here, sizeof here, "%s.stats", at);
    int rc = HB_JR_OBJ(c, r, at, "stats", &o);
    const json_t *jn = o ? json_object_get(o, "n") : NULL;
    *has_n = jn && !json_is_null(jn);
    if (!rc) rc = hb_jr_uint(c, o, here, "n", SIZE_MAX, &n);
    s->n = (size_t)n;
    if (!rc) rc = hb_jr_num(c, o, here, "min_s", &s->min);
    if (!rc) rc = hb_jr_num(c, o, here, "median_s", &s->median);
    if (!rc) rc = hb_jr_num(c, o, here, "mean_s", &s->mean);
    if (!rc) rc = hb_jr_num(c, o, here, "max_s", &s->max);
    if (!rc) rc = hb_jr_num(c, o, here, "stddev_s", &s->stddev);
    if (!rc) rc = hb_jr_num(c, o, here, "cv", &s->cv);
    return rc;
}

/* The raw per-iteration times. compare tests these and nothing else, so
 * here the reader is strict: a sample that is null, zero, negative (or
 * not a number) cannot be a time the runner measured (it fails the run on
 * a clock error rather than write one, runner/driver/measure.c), and read
 * leniently it would silently shrink the sample until a pair read as
 * "untested", which a regression gate takes for a pass. JSON numbers are
 * always finite (RFC 8259, section 6; jansson rejects 1e999). */
static int read_samples(hb_jreader *c, const json_t *r, const char *at, hb_result *res)
{
    const json_t *a;
    int rc = HB_JR_ARR(c, r, at, "samples_s", &a);
    if (rc)
        return rc;
    if (!a)
        return hb_fail(c->err, HB_EUSAGE, "%s: %s.samples_s: missing; expected an array of the "
                       "per-iteration times (positive numbers of seconds)", c->file, at);
    size_t n = json_array_size(a);
    if (n == 0)
        return HB_OK;
    res->samples_s = malloc(n * sizeof *res->samples_s);
    if (!res->samples_s)
        return hb_fail(c->err, HB_EFAIL, "%s: out of memory", c->file);
    res->n_samples = n;
    for (size_t i = 0; i < n; i++) {
        const json_t *v = json_array_get(a, i);
        double d = json_is_number(v) ? json_number_value(v) : NAN;
        if (!(d > 0)) {
            char got[48];
            if (json_is_number(v))
                snprintf(got, sizeof got, "%.17g", d);
            else
                snprintf(got, sizeof got, "%s", json_is_null(v) ? "null" : "not a number");
            return hb_fail(c->err, HB_EUSAGE, "%s: %s.samples_s[%zu]: expected a positive number of "
                           "seconds, got %s", c->file, at, i, got);
        }
        res->samples_s[i] = d;
    }
    return HB_OK;
}

/* What compare relies on beyond each sample: as many samples as stats.n
 * says were timed (a cut array is a damaged file, not a short run), at
 * least one for a valid result, and a positive byte count to turn them
 * into GB/s. */
static int check_result(hb_jreader *c, const char *at, const hb_result *r, int has_n)
{
    if (has_n && r->stats.n != r->n_samples)
        return hb_fail(c->err, HB_EUSAGE, "%s: %s.samples_s: %zu samples, but stats.n says %zu were timed",
                       c->file, at, r->n_samples, r->stats.n);
    if (r->valid && r->n_samples == 0)
        return hb_fail(c->err, HB_EUSAGE, "%s: %s.samples_s: empty, but the result is valid "
                       "(a valid result has every timed iteration)", c->file, at);
    if (r->valid && !(r->bytes_per_iter > 0))
        return hb_fail(c->err, HB_EUSAGE, "%s: %s.bytes_per_iter: expected a positive number for a "
                       "valid result", c->file, at);
    if (r->flops_per_iter < 0)
        return hb_fail(c->err, HB_EUSAGE, "%s: %s.flops_per_iter: expected a number >= 0 or null",
                       c->file, at);
    if (r->ops_per_iter < 0)
        return hb_fail(c->err, HB_EUSAGE, "%s: %s.ops_per_iter: expected a number >= 0 or null", c->file, at);
    return HB_OK;
}

static int read_grid(hb_jreader *c, const json_t *r, const char *at, hb_result *res)
{
    const json_t *a;
    int rc = HB_JR_ARR(c, r, at, "grid", &a);
    size_t n = a ? json_array_size(a) : 0;
    if (rc || n == 0)
        return rc;
    res->grid = calloc(n, sizeof *res->grid);
    if (!res->grid)
        return hb_fail(c->err, HB_EFAIL, "%s: out of memory", c->file);
    res->n_grid = n;
    for (size_t i = 0; i < n && !rc; i++) {
        const json_t *o = json_array_get(a, i);
        hb_grid_point *g = &res->grid[i];
        char here[64];
        snprintf(here, sizeof here, "%s.grid[%zu]", at, i);
        if (!json_is_object(o))
            return hb_fail(c->err, HB_EUSAGE, "%s: %s: expected an object", c->file, here);
        rc = hb_jr_config(c, o, here, &g->config);
        if (!rc) rc = hb_jr_num(c, o, here, "best_gbs", &g->best_gbs);
        if (!rc) rc = hb_jr_num(c, o, here, "median_gbs", &g->median_gbs);
        if (!rc) rc = hb_jr_num(c, o, here, "best_gflops", &g->best_gflops);
        if (!rc) rc = hb_jr_num(c, o, here, "confirm_gbs", &g->confirm_gbs);
        if (!rc) rc = hb_jr_bool(c, o, here, "valid", &g->valid);
        if (!rc) rc = HB_JR_STR(c, o, here, "note", g->note);
    }
    return rc;
}

/* A {"best", "median"} pair such as bandwidth_gbs. */
static int read_pair(hb_jreader *c, const json_t *r, const char *at, const char *key,
                     double *best, double *median)
{
    const json_t *o;
    char here[64];
    snprintf(here, sizeof here, "%s.%s", at, key);
    int rc = HB_JR_OBJ(c, r, at, key, &o);
    if (!rc) rc = hb_jr_num(c, o, here, "best", best);
    if (!rc) rc = hb_jr_num(c, o, here, "median", median);
    return rc;
}

/* A GEMM dimension: a non-negative integer, or null/missing (-1). */
static int read_dim(hb_jreader *c, const json_t *o, const char *at, const char *key, int64_t *out)
{
    const json_t *v = json_object_get(o, key);
    uint64_t u = 0;
    *out = -1;
    if (!v || json_is_null(v))
        return HB_OK;
    int rc = hb_jr_uint(c, o, at, key, INT64_MAX, &u);
    if (!rc)
        *out = (int64_t)u;
    return rc;
}

/* The members added for GEMM and the roofline. In files written before
 * them only our own stream kernels existed, so implementation reads as
 * "hbmbench"; the rest reads as unknown (-1, NAN, ""), and a missing
 * basis means the bandwidth peak, the only one there was. */
static int read_compute(hb_jreader *c, const json_t *o, const char *at, hb_result *r)
{
    int rc = HB_JR_STR(c, o, at, "implementation", r->implementation);
    if (!rc && !r->implementation[0])
        snprintf(r->implementation, sizeof r->implementation, "hbmbench");
    if (!rc) rc = HB_JR_STR(c, o, at, "model", r->model);
    /* Files before models name none: there the host-stream family was the
     * host model and everything else OpenCL. Said here once, so compare and
     * check read a model from every result. */
    if (!rc && !r->model[0])
        snprintf(r->model, sizeof r->model, "%s", !strcmp(r->family, "host-stream") ? "host" : "opencl");
    if (!rc) rc = read_dim(c, o, at, "m", &r->m);
    if (!rc) rc = read_dim(c, o, at, "n", &r->n);
    if (!rc) rc = read_dim(c, o, at, "k", &r->k);
    if (!rc) rc = hb_jr_num(c, o, at, "arithmetic_intensity", &r->intensity);
    if (!rc) rc = HB_JR_STR(c, o, at, "percent_of_peak_basis", r->percent_basis);
    if (!rc) rc = hb_jr_num(c, o, at, "peak_gflops", &r->peak_gflops);
    if (!rc) rc = HB_JR_STR(c, o, at, "peak_gflops_source", r->peak_gflops_source);
    return rc;
}

/* A version 1 file has no "figure": it is worked out here, and only here,
 * from what such files held. A FLOP/s basis (fp32, fp64) or a bench that
 * declares FLOP/s (files older than the basis) made GFLOP/s the figure,
 * except at a point without arithmetic (the roofline's k = 0); "link" made
 * the link's bandwidth; everything else was memory bandwidth. */
static void legacy_figure(hb_result *r)
{
    const hb_bench *b = hb_bench_find(r->bench);
    int flops_basis = !strcmp(r->percent_basis, "fp32") || !strcmp(r->percent_basis, "fp64") ||
                      (!r->percent_basis[0] && b && hb_bench_figure(b)->peak == HB_BASIS_FLOPS);
    const hb_figure *f = flops_basis && r->flops_per_iter > 0    ? &hb_figure_flops
                         : !strcmp(r->percent_basis, "link") ? &hb_figure_link
                                                             : &hb_figure_bandwidth;
    hb_result_figure *g = &r->figure;
    hb_figure_describe(g, f);
    int flops = f == &hb_figure_flops;
    g->best = flops ? r->gflops_best : r->bw_best_gbs;
    g->median = flops ? r->gflops_median : r->bw_median_gbs;
    g->peak = flops ? r->peak_gflops : r->peak_bw_gbs;
    snprintf(g->peak_source, sizeof g->peak_source, "%s", flops ? r->peak_gflops_source : r->peak_source);
}

/* "figure" (schema 2): what the result's number is. */
static int read_figure(hb_jreader *c, const json_t *o, const char *at, hb_result *r)
{
    const json_t *f = NULL;
    int rc = HB_JR_OBJ(c, o, at, "figure", &f);
    if (rc || !f) {
        if (!rc)
            legacy_figure(r);
        return rc;
    }
    char here[48], better[8] = "";
    snprintf(here, sizeof here, "%s.figure", at);
    hb_result_figure *g = &r->figure;
    rc = HB_JR_STR(c, f, here, "name", g->name);
    if (!rc) rc = HB_JR_STR(c, f, here, "unit", g->unit);
    if (!rc) rc = HB_JR_STR(c, f, here, "better", better);
    if (!rc) rc = HB_JR_STR(c, f, here, "count", g->count);
    if (!rc) rc = hb_jr_num(c, f, here, "best", &g->best);
    if (!rc) rc = hb_jr_num(c, f, here, "median", &g->median);
    if (!rc) rc = hb_jr_num(c, f, here, "peak", &g->peak);
    if (!rc) rc = HB_JR_STR(c, f, here, "peak_source", g->peak_source);
    if (rc)
        return rc;
    if (!g->name[0] || !g->unit[0])
        return hb_jr_bad(c, here, "name", "a figure with a name and a unit");
    if (strcmp(better, "higher") && strcmp(better, "lower"))
        return hb_jr_bad(c, here, "better", "\"higher\" or \"lower\"");
    if (strcmp(g->count, "bytes") && strcmp(g->count, "flops") && strcmp(g->count, "ops"))
        return hb_jr_bad(c, here, "count", "\"bytes\", \"flops\" or \"ops\"");
    g->lower_is_better = !strcmp(better, "lower");
    return HB_OK;
}

/* The node and rank of a gathered MPI run (docs/cluster.md); absent, and
 * read as "" and 0, in a plain run. */
static int read_rank(hb_jreader *c, const json_t *o, const char *at, hb_result *r)
{
    int rc = HB_JR_STR(c, o, at, "node", r->node);
    return rc ? rc : hb_jr_int(c, o, at, "rank", &r->rank);
}

/* --concurrent's group (its "concurrent" object), --repeat's repetition
 * and when the timed iterations ran ("timed_window"); absent, and read as 0 (measured alone, not repeated), in
 * other runs and older files. Readers that judge results (check) must not
 * take a device's solo and concurrent rows, or two repetitions, for two
 * devices. */
static int read_grouping(hb_jreader *c, const json_t *o, const char *at, hb_result *r)
{
    const json_t *g;
    char here[64];
    snprintf(here, sizeof here, "%s.concurrent", at);
    int rc = hb_jr_int(c, o, at, "repetition", &r->repetition);
    if (!rc) rc = HB_JR_OBJ(c, o, at, "timed_window", &g);
    if (!rc && g) {
        snprintf(here, sizeof here, "%s.timed_window", at);
        rc = hb_jr_num(c, g, here, "from_unix_s", &r->timed_from_unix_s);
        if (!rc) rc = hb_jr_num(c, g, here, "until_unix_s", &r->timed_until_unix_s);
        snprintf(here, sizeof here, "%s.concurrent", at);
    }
    if (!rc) rc = HB_JR_OBJ(c, o, at, "concurrent", &g);
    if (rc || !g)
        return rc;
    rc = hb_jr_int(c, g, here, "devices", &r->concurrent_devices);
    if (!rc) rc = hb_jr_int(c, g, here, "step", &r->concurrent_step);
    if (!rc) rc = hb_jr_num(c, g, here, "solo_gbs", &r->solo_gbs);
    return rc;
}

static int read_gpu_state(hb_jreader *c, const json_t *t, const char *at, const char *key, hb_gpu_state *g)
{
    const json_t *o, *ecc;
    char here[96];
    uint64_t mask = 0;
    snprintf(here, sizeof here, "%s.%s", at, key);
    int rc = HB_JR_OBJ(c, t, at, key, &o);
    if (!rc) rc = hb_jr_num(c, o, here, "sm_clock_mhz", &g->sm_mhz);
    if (!rc) rc = hb_jr_num(c, o, here, "mem_clock_mhz", &g->mem_mhz);
    if (!rc) rc = hb_jr_num(c, o, here, "temperature_c", &g->temp_c);
    if (!rc) rc = hb_jr_num(c, o, here, "power_w", &g->power_w);
    ecc = o ? json_object_get(o, "ecc") : NULL;
    g->ecc = ecc && json_is_boolean(ecc) ? json_is_true(ecc) : -1;
    g->have_reasons = o && json_is_integer(json_object_get(o, "throttle_mask"));
    if (!rc) rc = hb_jr_uint(c, o, here, "throttle_mask", UINT64_MAX, &mask);
    g->reasons = mask;
    return rc;
}

static int read_range(hb_jreader *c, const json_t *w, const char *at, const char *key, hb_gpu_range *r)
{
    const json_t *o;
    char here[128];
    snprintf(here, sizeof here, "%s.%s", at, key);
    int rc = HB_JR_OBJ(c, w, at, key, &o);
    if (!rc) rc = hb_jr_num(c, o, here, "min", &r->min);
    if (!rc) rc = hb_jr_num(c, o, here, "median", &r->median);
    if (!rc) rc = hb_jr_num(c, o, here, "max", &r->max);
    return rc;
}

/* The window's samples; absent (samples 0) in older files. */
static int read_window(hb_jreader *c, const json_t *t, const char *at, hb_gpu_window *w)
{
    const json_t *o;
    char here[96];
    uint64_t mask = 0;
    snprintf(here, sizeof here, "%s.window", at);
    int rc = HB_JR_OBJ(c, t, at, "window", &o);
    if (rc || !o)
        return rc;
    rc = hb_jr_int(c, o, here, "samples", &w->samples);
    if (!rc) rc = hb_jr_num(c, o, here, "period_s", &w->period_s);
    if (!rc) rc = hb_jr_num(c, o, here, "duration_s", &w->duration_s);
    if (!rc) rc = read_range(c, o, here, "sm_clock_mhz", &w->sm_mhz);
    if (!rc) rc = read_range(c, o, here, "mem_clock_mhz", &w->mem_mhz);
    if (!rc) rc = read_range(c, o, here, "temperature_c", &w->temp_c);
    if (!rc) rc = read_range(c, o, here, "power_w", &w->power_w);
    w->have_reasons = json_is_integer(json_object_get(o, "throttle_mask"));
    if (!rc) rc = hb_jr_uint(c, o, here, "throttle_mask", UINT64_MAX, &mask);
    w->reasons = mask;
    return rc;
}

/* NVML's samples around the timed iterations; absent for other devices
 * and in older files. */
static int read_telemetry(hb_jreader *c, const json_t *o, const char *at, hb_result *r)
{
    const json_t *t;
    char here[64];
    snprintf(here, sizeof here, "%s.telemetry", at);
    int rc = HB_JR_OBJ(c, o, at, "telemetry", &t);
    if (rc || !t)
        return rc;
    hb_telemetry *tel = &r->telemetry;
    tel->present = 1;
    rc = read_gpu_state(c, t, here, "before", &tel->before);
    if (!rc) rc = read_gpu_state(c, t, here, "after", &tel->after);
    if (!rc) rc = hb_jr_bool(c, t, here, "clocks_dropped", &tel->clocks_dropped);
    if (!rc) rc = hb_jr_bool(c, t, here, "throttled", &tel->throttled);
    if (!rc) rc = read_window(c, t, here, &tel->window);
    if (!rc) rc = HB_JR_STR(c, t, here, "library", tel->library);
    return rc;
}

/* Where the measurement's wall time went; absent in older files (NAN). */
static int read_time_split(hb_jreader *c, const json_t *o, const char *at, hb_time_split *t)
{
    static const char *const keys[] = {"total_s", "kernels_s", "batches_s", "builds_s", "verify_s", "setup_s",
                                       "tuning_s"};
    double *v[] = {&t->total_s, &t->kernels_s, &t->batches_s, &t->builds_s, &t->verify_s, &t->setup_s,
                   &t->tuning_s};
    const json_t *s;
    char here[64];
    snprintf(here, sizeof here, "%s.time_split", at);
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        *v[i] = NAN;
    int rc = HB_JR_OBJ(c, o, at, "time_split", &s);
    for (size_t i = 0; !rc && s && i < sizeof v / sizeof v[0]; i++)
        rc = hb_jr_num(c, s, here, keys[i], v[i]);
    return rc;
}

static int read_result(hb_jreader *c, const json_t *o, const char *at, hb_result *r)
{
    int has_n = 0;
    int rc = HB_JR_STR(c, o, at, "device", r->device);
    if (!rc) rc = hb_jr_int(c, o, at, "device_index", &r->device_index);
    if (!rc) rc = HB_JR_STR(c, o, at, "pci_bus_id", r->pci_bus_id);
    if (!rc) rc = HB_JR_STR(c, o, at, "bench", r->bench);
    if (!rc) rc = HB_JR_STR(c, o, at, "family", r->family);
    if (!rc) rc = HB_JR_STR(c, o, at, "dtype", r->dtype);
    if (!rc) rc = hb_jr_uint(c, o, at, "elements", UINT64_MAX, &r->elements);
    if (!rc) rc = hb_jr_num(c, o, at, "bytes_per_iter", &r->bytes_per_iter);
    if (!rc) rc = hb_jr_num(c, o, at, "flops_per_iter", &r->flops_per_iter);
    if (!rc) rc = hb_jr_num(c, o, at, "ops_per_iter", &r->ops_per_iter);
    if (!rc) rc = HB_JR_STR(c, o, at, "problem", r->problem);
    if (!rc && isnan(r->ops_per_iter))
        r->ops_per_iter = 0; /* absent before schema 2 */
    if (!rc) rc = hb_jr_config(c, o, at, &r->config);
    if (!rc) rc = HB_JR_STR(c, o, at, "timer", r->timer);
    if (!rc) rc = read_stats(c, o, at, &r->stats, &has_n);
    if (!rc) rc = read_samples(c, o, at, r);
    if (!rc) rc = hb_jr_num(c, o, at, "wall_s_per_iter", &r->wall_s_per_iter);
    if (!rc) rc = read_pair(c, o, at, "bandwidth_gbs", &r->bw_best_gbs, &r->bw_median_gbs);
    if (!rc) rc = read_pair(c, o, at, "gflops", &r->gflops_best, &r->gflops_median);
    if (!rc) rc = hb_jr_num(c, o, at, "peak_bandwidth_gbs", &r->peak_bw_gbs);
    if (!rc) rc = HB_JR_STR(c, o, at, "peak_source", r->peak_source);
    if (!rc) rc = hb_jr_num(c, o, at, "percent_of_peak", &r->percent_of_peak);
    if (!rc) rc = hb_jr_bool(c, o, at, "valid", &r->valid);
    if (!rc) rc = HB_JR_STR(c, o, at, "notes", r->notes);
    if (!rc) rc = read_grid(c, o, at, r);
    if (!rc) rc = read_compute(c, o, at, r);
    if (!rc) rc = read_figure(c, o, at, r);
    if (!rc) rc = read_rank(c, o, at, r);
    if (!rc) rc = read_grouping(c, o, at, r);
    if (!rc) rc = read_telemetry(c, o, at, r);
    if (!rc) rc = read_time_split(c, o, at, &r->time);
    if (!rc) rc = check_result(c, at, r, has_n);
    return rc;
}

int hb_jr_result(hb_jreader *c, const json_t *o, size_t i, hb_result_list *l)
{
    char at[32];
    snprintf(at, sizeof at, "results[%zu]", i);
    if (!json_is_object(o))
        return hb_fail(c->err, HB_EUSAGE, "%s: %s: expected an object", c->file, at);
    hb_result *r = hb_result_list_push(l);
    if (!r)
        return hb_fail(c->err, HB_EFAIL, "%s: out of memory", c->file);
    return read_result(c, o, at, r);
}

int hb_jr_results(hb_jreader *c, json_t *a, hb_result_list *l)
{
    for (size_t i = 0; i < json_array_size(a); i++) {
        int rc = hb_jr_result(c, json_array_get(a, i), i, l);
        if (rc)
            return rc;
        /* The parsed tree of a result is several times its text (jansson
         * allocates every value and object member); dropping each once it
         * is read keeps the peak near one tree, not a tree plus the model. */
        json_array_set_new(a, i, json_null());
    }
    return HB_OK;
}
