/* SPDX-License-Identifier: Apache-2.0 */
/* roofline_summary: the measured roofline of each device and dtype (roofline_summary.h). */
#include "roofline_summary.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "roofline.h"

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
    e->theoretical_gflops = d ? *hb_flops_peak(&d->peaks, r->dtype) : unknown;
    double tb = e->theoretical_bandwidth_gbs.value, tf = e->theoretical_gflops.value;
    e->theoretical_ridge_flop_per_byte = tb > 0 && tf > 0 ? tf / tb : NAN;
    return e;
}

/* Fills out[0..max) with one entry per device and dtype that has roofline
 * results, in the order they first appear; returns how many. */
static size_t hb_roofline_summarize(const hb_run *run, hb_roofline *out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < run->results.n; i++) {
        const hb_result *r = &run->results.v[i];
        if (strcmp(r->family, hb_family_roofline.name) != 0)
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

size_t hb_roofline_fields(const hb_run *run, hb_params *out, size_t max)
{
    hb_roofline *rl = calloc(max ? max : 1, sizeof *rl);
    size_t n = rl ? hb_roofline_summarize(run, rl, max) : 0;
    for (size_t i = 0; i < n; i++) {
        const hb_roofline *e = &rl[i];
        hb_params *r = &out[i];
        hb_params_clear(r);
        hb_params_set_num(r, "device_index", (double)e->device_index);
        hb_params_set_text(r, "device", e->device);
        hb_params_set_text(r, "dtype", e->dtype);
        hb_params_set_num(r, "points", (double)e->points);
        hb_params_set_num(r, "measured_bandwidth_gbs", e->measured_bandwidth_gbs);
        hb_params_set_num(r, "measured_gflops", e->measured_gflops);
        hb_params_set_num(r, "ridge_flop_per_byte", e->ridge_flop_per_byte);
        hb_params_set_num(r, "bandwidth_at_k", e->bandwidth_at_k);
        hb_params_set_num(r, "gflops_at_k", e->gflops_at_k);
        hb_params_set_num(r, "theoretical_bandwidth_gbs", e->theoretical_bandwidth_gbs.value);
        hb_params_set_text(r, "theoretical_bandwidth_source", hb_peak_src_name(e->theoretical_bandwidth_gbs.src));
        hb_params_set_num(r, "theoretical_gflops", e->theoretical_gflops.value);
        hb_params_set_text(r, "theoretical_gflops_source", hb_peak_src_name(e->theoretical_gflops.src));
        hb_params_set_num(r, "theoretical_ridge_flop_per_byte", e->theoretical_ridge_flop_per_byte);
    }
    free(rl);
    return n;
}

static void fmt_num(char *buf, size_t len, double v, int decimals, const char *suffix)
{
    if (isnan(v))
        snprintf(buf, len, "-");
    else
        snprintf(buf, len, "%.*f%s", decimals, v, suffix);
}

void hb_roofline_print(FILE *f, const hb_params *rec)
{
    char tb[32], tg[32], tr[32];
    fmt_num(tb, sizeof tb, hb_params_num(rec, "theoretical_bandwidth_gbs"), 1, " GB/s");
    fmt_num(tg, sizeof tg, hb_params_num(rec, "theoretical_gflops"), 1, " GFLOP/s");
    fmt_num(tr, sizeof tr, hb_params_num(rec, "theoretical_ridge_flop_per_byte"), 2, " FLOP/B");
    fprintf(f, "# roofline [%.0f] %s %s: measured %.2f GB/s (k=%.0f), %.1f GFLOP/s (k=%.0f), ridge %.2f FLOP/B; "
               "theoretical %s (%s), %s (%s), ridge %s\n",
            hb_params_num(rec, "device_index"), hb_params_text(rec, "device"), hb_params_text(rec, "dtype"),
            hb_params_num(rec, "measured_bandwidth_gbs"), hb_params_num(rec, "bandwidth_at_k"),
            hb_params_num(rec, "measured_gflops"), hb_params_num(rec, "gflops_at_k"),
            hb_params_num(rec, "ridge_flop_per_byte"), tb, hb_params_text(rec, "theoretical_bandwidth_source"), tg,
            hb_params_text(rec, "theoretical_gflops_source"), tr);
}
