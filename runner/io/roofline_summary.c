#include "roofline_summary.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const hb_device *device_of(const hb_run *run, const hb_result *r)
{
    for (size_t i = 0; run->devices && i < run->n_devices; i++)
        if (run->devices[i].index == r->device_index && !strcmp(run->devices[i].name, r->device))
            return &run->devices[i];
    return NULL;
}

static hb_roofline *entry_for(const hb_run *run, const hb_result *r, hb_roofline *out, size_t *n, size_t max)
{
    for (size_t i = 0; i < *n; i++)
        if (out[i].device_index == r->device_index && !strcmp(out[i].device, r->device) &&
            !strcmp(out[i].dtype, r->dtype))
            return &out[i];
    if (*n == max)
        return NULL;
    hb_roofline *e = &out[(*n)++];
    memset(e, 0, sizeof *e);
    e->device_index = r->device_index;
    snprintf(e->device, sizeof e->device, "%s", r->device);
    snprintf(e->dtype, sizeof e->dtype, "%s", r->dtype);
    e->measured_bandwidth_gbs = e->measured_gflops = e->ridge_flop_per_byte = NAN;
    e->bandwidth_at_k = e->gflops_at_k = NAN;
    const hb_device *d = device_of(run, r);
    hb_peak_value unknown = {NAN, HB_PEAK_UNKNOWN, "device not in the run"};
    e->theoretical_bandwidth_gbs = d ? d->peaks.bw_gbs : unknown;
    e->theoretical_gflops = !d ? unknown : !strcmp(r->dtype, "f64") ? d->peaks.fp64_gflops : d->peaks.fp32_gflops;
    double tb = e->theoretical_bandwidth_gbs.value, tf = e->theoretical_gflops.value;
    e->theoretical_ridge_flop_per_byte = tb > 0 && tf > 0 ? tf / tb : NAN;
    return e;
}

size_t hb_roofline_summarize(const hb_run *run, hb_roofline *out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < run->results.n; i++) {
        const hb_result *r = &run->results.v[i];
        if (strcmp(r->family, "roofline") != 0)
            continue;
        hb_roofline *e = entry_for(run, r, out, &n, max);
        if (!e || !r->valid)
            continue;
        e->points++;
        /* !(x <= y) also takes the first value over a NAN. */
        if (isfinite(r->bw_best_gbs) && !(r->bw_best_gbs <= e->measured_bandwidth_gbs)) {
            e->measured_bandwidth_gbs = r->bw_best_gbs;
            e->bandwidth_at_k = (double)r->k;
        }
        if (isfinite(r->gflops_best) && !(r->gflops_best <= e->measured_gflops)) {
            e->measured_gflops = r->gflops_best;
            e->gflops_at_k = (double)r->k;
        }
    }
    for (size_t i = 0; i < n; i++)
        out[i].ridge_flop_per_byte = out[i].measured_bandwidth_gbs > 0 && out[i].measured_gflops > 0
                                         ? out[i].measured_gflops / out[i].measured_bandwidth_gbs : NAN;
    return n;
}
