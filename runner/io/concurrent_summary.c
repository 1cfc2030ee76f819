/* SPDX-License-Identifier: Apache-2.0 */
/* concurrent_summary: the aggregate of a --concurrent run (concurrent_summary.h). */
#include "concurrent_summary.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dtype.h"
#include "parse.h"

const char hb_concurrent_convention[] =
    "--concurrent: each device alone first (or from a --solo file), then all at once, one pinned host thread "
    "per device; a step's devices start their timed iterations together and keep running untimed ones until "
    "the last has finished timing; aggregate_gbs = the sum of the devices' best GB/s at a step, scaling = "
    "aggregate / the sum of their solo best GB/s, slowdown = solo best / concurrent best per device";

static hb_concurrent_rec *record_for(const hb_result *r, hb_concurrent_rec *out, size_t *n, size_t max)
{
    for (size_t i = 0; i < *n; i++)
        if (out[i].step == r->concurrent_step && out[i].repetition == r->repetition)
            return &out[i];
    if (*n == max)
        return NULL;
    hb_concurrent_rec *e = &out[(*n)++];
    memset(e, 0, sizeof *e);
    e->step = r->concurrent_step;
    e->repetition = r->repetition;
    snprintf(e->bench, sizeof e->bench, "%s", r->bench);
    snprintf(e->dtype, sizeof e->dtype, "%s", r->dtype);
    snprintf(e->implementation, sizeof e->implementation, "%s", r->implementation);
    e->size_bytes = (double)r->elements * (double)hb_dtype_bytes_of(r->dtype);
    e->valid = 1;
    e->max_slowdown = NAN;
    return e;
}

static int by_step(const void *a, const void *b)
{
    const hb_concurrent_rec *x = a, *y = b;
    if (x->repetition != y->repetition)
        return (x->repetition > y->repetition) - (x->repetition < y->repetition);
    return (x->step > y->step) - (x->step < y->step);
}

size_t hb_concurrent_summarize(const hb_run *run, hb_concurrent_rec *out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < run->results.n; i++) {
        const hb_result *r = &run->results.v[i];
        hb_concurrent_rec *e = r->concurrent_devices > 0 ? record_for(r, out, &n, max) : NULL;
        if (!e)
            continue;
        if (e->devices < HB_CONCURRENT_MAX_DEVICES)
            e->device_index[e->devices] = r->device_index;
        e->devices++;
        e->valid &= r->valid;
        e->aggregate_gbs += r->bw_best_gbs;          /* NAN (invalid) makes the sum NAN */
        e->aggregate_median_gbs += r->bw_median_gbs;
        e->solo_sum_gbs += r->solo_gbs;              /* NAN (no solo figure) likewise */
        double slow = r->solo_gbs / r->bw_best_gbs;
        if (isfinite(slow) && !(slow <= e->max_slowdown))
            e->max_slowdown = slow;
    }
    for (size_t i = 0; i < n; i++)
        out[i].scaling = out[i].solo_sum_gbs > 0 ? out[i].aggregate_gbs / out[i].solo_sum_gbs : NAN;
    qsort(out, n, sizeof *out, by_step);
    return n;
}

void hb_concurrent_print(FILE *f, const hb_run *run)
{
    enum { MAX = 256 };
    hb_concurrent_rec *recs = calloc(MAX, sizeof *recs);
    size_t n = recs ? hb_concurrent_summarize(run, recs, MAX) : 0;
    for (size_t i = 0; i < n; i++) {
        const hb_concurrent_rec *e = &recs[i];
        char size[32], devs[128] = "";
        hb_format_bytes((uint64_t)e->size_bytes, size, sizeof size);
        for (int d = 0, used = 0; d < e->devices && d < HB_CONCURRENT_MAX_DEVICES && used < (int)sizeof devs; d++)
            used += snprintf(devs + used, sizeof devs - (size_t)used, "%s%d", d ? "," : "", e->device_index[d]);
        char solo[96];
        /* a device without a solo figure leaves the sum, the scaling and the slowdown unknown, not "nan" */
        if (isnan(e->solo_sum_gbs) || isnan(e->scaling))
            snprintf(solo, sizeof solo, "solo sum unknown (a device has no solo figure); scaling unknown");
        else
            snprintf(solo, sizeof solo, "solo sum %.2f GB/s; scaling %.2f; worst slowdown %.2fx", e->solo_sum_gbs,
                     e->scaling, e->max_slowdown);
        char rep[32] = "";
        if (e->repetition)
            snprintf(rep, sizeof rep, " (repetition %d)", e->repetition);
        fprintf(f, "# concurrent step %d%s: %s %s %s on [%s]: aggregate %.2f GB/s (median %.2f); %s%s\n", e->step,
                rep, e->bench, e->dtype, size, devs, e->aggregate_gbs, e->aggregate_median_gbs, solo,
                e->valid ? "" : " (INVALID)");
    }
    free(recs);
}
