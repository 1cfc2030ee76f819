/* SPDX-License-Identifier: Apache-2.0 */
/* latency_summary: the plateaus of each device's latency sweep (latency_summary.h). */
#include "latency_summary.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "latency.h"
#include "parse.h"

#define MAX_LEVELS 4
#define MAX_POINTS 64

typedef struct level {
    const char *name;
    uint64_t bytes;            /* 0: memory */
    char source[96];
} level;

static const hb_device *device_of(const hb_run *run, const hb_result *r)
{
    for (size_t i = 0; run->devices && i < run->n_devices; i++)
        if (run->devices[i].index == r->device_index && !strcmp(run->devices[i].name, r->device))
            return &run->devices[i];
    return NULL;
}

/* Where the model's global cache figure comes from (each model's discovery). */
static const char *global_source(const char *model)
{
    if (!strcmp(model, "opencl"))
        return "OpenCL CL_DEVICE_GLOBAL_MEM_CACHE_SIZE";
    if (!strcmp(model, "cuda"))
        return "CUDA CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE";
    if (!strcmp(model, "host"))
        return "hwloc, the largest cache";
    return "the device's global cache";
}

/* The device's cache levels, smallest first, each size once; then memory. */
static int levels_of(const hb_device *dev, const char *model, level *out)
{
    uint64_t global = dev->global_cache_bytes;
    int b = hb_device_binding(dev, model);
    if (b >= 0 && dev->bindings[b].global_cache_bytes)
        global = dev->bindings[b].global_cache_bytes; /* that model's own figure */
    int n = 0;
    if (dev->core_l1d_bytes)
        out[n++] = (level){.name = "L1", .bytes = dev->core_l1d_bytes, .source = "hwloc, one core's L1d"};
    if (dev->core_l2_bytes && dev->core_l2_bytes > (n ? out[n - 1].bytes : 0))
        out[n++] = (level){.name = "L2", .bytes = dev->core_l2_bytes, .source = "hwloc, one core's L2"};
    if (global && global > (n ? out[n - 1].bytes : 0)) {
        /* a GPU reports its L2 as its global cache (docs/latency.md#plateaus) */
        out[n] = (level){.name = n == 2 ? "L3" : "L2", .bytes = global};
        snprintf(out[n].source, sizeof out[n].source, "%s", global_source(model));
        n++;
    }
    out[n++] = (level){.name = "memory", .bytes = 0, .source = "beyond the last cache"};
    return n;
}

/* The result's own figure: ns per load from its fastest iteration. */
static double ns_of(const hb_result *r)
{
    return r->valid && !strcmp(r->figure.unit, "ns") ? r->figure.best : NAN;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median ns per load of the group's results with lo < ws <= hi (hi 0: no bound). */
static double median_in(const hb_run *run, const hb_result *first, uint64_t lo, uint64_t hi, int *points)
{
    double v[MAX_POINTS];
    int n = 0;
    for (size_t i = 0; i < run->results.n && n < MAX_POINTS; i++) {
        const hb_result *r = &run->results.v[i];
        uint64_t ws = r->elements * 4;
        if (strcmp(r->family, first->family) || r->device_index != first->device_index ||
            strcmp(r->device, first->device) || strcmp(r->model, first->model) || r->repetition != first->repetition ||
            ws <= lo || (hi && ws > hi) || isnan(ns_of(r)))
            continue;
        v[n++] = ns_of(r);
    }
    *points = n;
    if (!n)
        return NAN;
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Whether an earlier result already opened r's group (device, model, repetition). */
static int seen(const hb_run *run, size_t upto, const hb_result *r)
{
    for (size_t i = 0; i < upto; i++) {
        const hb_result *q = &run->results.v[i];
        if (!strcmp(q->family, r->family) && q->device_index == r->device_index && !strcmp(q->device, r->device) &&
            !strcmp(q->model, r->model) && q->repetition == r->repetition)
            return 1;
    }
    return 0;
}

static void put(hb_params *rec, const hb_result *r, const level *lv, uint64_t lo, uint64_t hi, int points, double ns)
{
    memset(rec, 0, sizeof *rec);
    hb_params_set_num(rec, "device_index", (double)r->device_index);
    hb_params_set_text(rec, "device", r->device);
    hb_params_set_text(rec, "model", r->model);
    if (r->repetition)
        hb_params_set_num(rec, "repetition", (double)r->repetition);
    hb_params_set_text(rec, "level", lv->name);
    hb_params_set_num(rec, "level_bytes", (double)lv->bytes);
    hb_params_set_text(rec, "source", lv->source);
    hb_params_set_num(rec, "lo_bytes", (double)lo);
    hb_params_set_num(rec, "hi_bytes", (double)hi);
    hb_params_set_num(rec, "points", (double)points);
    hb_params_set_num(rec, "ns_per_load", ns);
}

size_t hb_latency_summarize(const hb_run *run, hb_params *out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < run->results.n; i++) {
        const hb_result *r = &run->results.v[i];
        if (strcmp(r->family, hb_family_latency.name) || seen(run, i, r))
            continue;
        const hb_device *dev = device_of(run, r);
        if (!dev)
            continue;
        level lv[MAX_LEVELS];
        int nl = levels_of(dev, r->model, lv);
        for (int l = 0; l < nl && n < max; l++) {
            uint64_t prev = l ? lv[l - 1].bytes : 0;
            /* a GPU's first level reported is its L2, above an L1 not reported */
            uint64_t lo = lv[l].bytes == 0 ? 2 * prev : prev ? 2 * prev : dev->core_l1d_bytes ? 0 : lv[l].bytes / 8;
            uint64_t hi = lv[l].bytes / 2;
            int points;
            double ns = median_in(run, r, lo, hi, &points);
            put(&out[n++], r, &lv[l], lo, hi, points, ns);
        }
    }
    return n;
}

void hb_latency_print(FILE *f, const hb_params *rec)
{
    char size[32] = "", lo[32], hi[32], range[112];
    double lb = hb_params_num(rec, "level_bytes"), l = hb_params_num(rec, "lo_bytes"),
           h = hb_params_num(rec, "hi_bytes"), ns = hb_params_num(rec, "ns_per_load");
    if (lb > 0) {
        hb_format_bytes((uint64_t)lb, size, sizeof size);
        snprintf(size + strlen(size), sizeof size - strlen(size), " ");
    }
    hb_format_bytes((uint64_t)l, lo, sizeof lo);
    hb_format_bytes((uint64_t)h, hi, sizeof hi);
    if (h > 0)
        snprintf(range, sizeof range, "working sets > %s and <= %s", lo, hi);
    else
        snprintf(range, sizeof range, "working sets > %s", lo);
    char fig[48];
    if (isnan(ns))
        snprintf(fig, sizeof fig, "- (no working set there)");
    else
        snprintf(fig, sizeof fig, "%.2f ns/load", ns);
    fprintf(f, "# latency [%.0f] %s (%s) %s %s(%s): %s, median of %.0f %s\n", hb_params_num(rec, "device_index"),
            hb_params_text(rec, "device"), hb_params_text(rec, "model"), hb_params_text(rec, "level"), size,
            hb_params_text(rec, "source"), fig, hb_params_num(rec, "points"), range);
}
