/* SPDX-License-Identifier: Apache-2.0 */
/* check_index: the devices and result groups of a check (check_index.h).
 *
 * Conventions, stated where they are implemented:
 * - A device is a node, rank and device index: a gathered MPI file holds
 *   every rank's devices, each numbered from 0 on its node, marked with
 *   "node" and "rank" (docs/cluster.md). A plain run has node "" and rank 0.
 *   Devices with the same UUID are one physical device (two ranks sharing
 *   a GPU): they never count as each other's identical siblings.
 * - "largest" (the default sizes) keeps, per device, bench, dtype,
 *   implementation, model and variant (hb_check_variant: concurrent or
 *   solo, repetition, transfer API and host memory), the results with the
 *   most elements: the size beyond the caches that acceptance is about.
 *   Ties are all kept (the roofline's k sweep shares one size).
 * - Identical devices: same name, type, compute units and memory size;
 *   compared at the same bench, dtype, implementation, model, size and
 *   variant, so a device's solo and concurrent rows, or two repetitions,
 *   are never taken for two devices. */
#include "check_index.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void hb_check_variant(const hb_result *r, char *buf, size_t len)
{
    static const char *const keys[] = {"api", "host"};   /* transfer paths (docs/transfer.md) */
    size_t used = 0;
    buf[0] = '\0';
    if (r->concurrent_devices > 0)
        used += (size_t)snprintf(buf + used, len - used, "concurrent x%d", r->concurrent_devices);
    if (r->repetition > 0 && used < len)
        used += (size_t)snprintf(buf + used, len - used, "%srepetition %d", used ? ", " : "", r->repetition);
    for (size_t i = 0; i < sizeof keys / sizeof keys[0] && used < len; i++) {
        const hb_param *p = hb_params_get(&r->config, keys[i]);
        if (p && p->is_text)
            used += (size_t)snprintf(buf + used, len - used, "%s%s=%s", used ? ", " : "", keys[i], hb_param_text(&r->config, p));
    }
}

/* One device record or result, sorted by where it was measured. */
typedef struct place {
    const char *node;
    int rank, index;
    int is_result;
    size_t i;
} place;

static int cmp_place(const void *a, const void *b)
{
    const place *x = a, *y = b;
    int c = strcmp(x->node, y->node);
    if (c)
        return c;
    if (x->rank != y->rank)
        return (x->rank > y->rank) - (x->rank < y->rank);
    if (x->index != y->index)
        return (x->index > y->index) - (x->index < y->index);
    if (x->is_result != y->is_result)
        return x->is_result - y->is_result;
    return (x->i > y->i) - (x->i < y->i);
}

static void device_from(hb_check_device *d, const hb_device *dev, const hb_check_device_info *info)
{
    d->dev = dev;
    d->name = dev->name;
    d->type = dev->type;
    d->uuid = dev->uuid;
    d->datasheet_bw_gbs = d->datasheet_fp32_gflops = d->datasheet_fp64_gflops = NAN;
    if (!info)
        return;
    snprintf(d->family, sizeof d->family, "%s", info->family ? info->family : "");
    d->datasheet_bw_gbs = info->datasheet_bw_gbs;
    d->datasheet_fp32_gflops = info->datasheet_fp32_gflops;
    d->datasheet_fp64_gflops = info->datasheet_fp64_gflops;
    d->cache_bytes = info->largest_cache_bytes;
}

/* Every device of the file and every one a result names that the file
 * lacks, in node, rank, index order; each result's device. */
static int build_devices(hb_check_report *rep, const hb_check_device_info *info, hb_check_index *ix, hb_err *err)
{
    const hb_run *run = rep->run;
    size_t nd = run->n_devices, nr = run->results.n, n = nd + nr;
    place *p = malloc((n + 1) * sizeof *p);
    rep->devices = calloc(n + 1, sizeof *rep->devices);
    rep->order = malloc((nr + 1) * sizeof *rep->order);
    if (!p || !rep->devices || !rep->order) {
        free(p);
        return hb_fail(err, HB_EFAIL, "out of memory");
    }
    for (size_t i = 0; i < nd; i++)
        p[i] = (place){run->devices[i].node, run->devices[i].rank, run->devices[i].index, 0, i};
    for (size_t i = 0; i < nr; i++) {
        const hb_result *r = &run->results.v[i];
        p[nd + i] = (place){r->node, r->rank, r->device_index, 1, i};
    }
    qsort(p, n, sizeof *p, cmp_place);
    size_t used = 0;
    for (size_t j = 0; j < n; j++) {
        int same = j > 0 && !strcmp(p[j].node, p[j - 1].node) && p[j].rank == p[j - 1].rank &&
                   p[j].index == p[j - 1].index;
        hb_check_device *d = &rep->devices[rep->n_devices - (same ? 1 : 0)];
        if (!same) {
            *d = (hb_check_device){.index = p[j].index, .node = p[j].node, .rank = p[j].rank, .uuid = "",
                                   .first = used, .datasheet_bw_gbs = NAN, .datasheet_fp32_gflops = NAN,
                                   .datasheet_fp64_gflops = NAN};
            if (p[j].is_result) {   /* a result naming a device the file does not list */
                d->name = run->results.v[p[j].i].device;
                d->type = "";
            } else {
                device_from(d, &run->devices[p[j].i], info ? &info[p[j].i] : NULL);
            }
            rep->n_devices++;
        }
        if (p[j].is_result) {
            rep->order[used++] = p[j].i;
            d->n_results++;
            ix->dev_of[p[j].i] = (int)(d - rep->devices);
        }
    }
    free(p);
    for (size_t k = 1; k < rep->n_devices; k++)
        rep->gathered |= strcmp(rep->devices[k].node, rep->devices[0].node) ||
                         rep->devices[k].rank != rep->devices[0].rank;
    if (rep->n_devices == 1)
        rep->gathered = rep->devices[0].node[0] != '\0';
    return HB_OK;
}

/* A result, with what its groups compare. */
typedef struct keyed {
    const hb_result *r;
    const hb_check_device *d;
    const char *variant;
    int dev, identity;
    size_t i;
} keyed;

static int cmp_int(int a, int b)
{
    return (a > b) - (a < b);
}

static int cmp_u64(uint64_t a, uint64_t b)
{
    return (a > b) - (a < b);
}

/* What was measured, apart from the device: bench, dtype, implementation, model, variant. */
static int cmp_kind(const keyed *x, const keyed *y)
{
    int c = strcmp(x->r->bench, y->r->bench);
    if (!c) c = strcmp(x->r->dtype, y->r->dtype);
    if (!c) c = strcmp(x->r->implementation, y->r->implementation);
    if (!c) c = strcmp(x->r->model, y->r->model);
    if (!c) c = strcmp(x->variant, y->variant);
    return c;
}

/* Largest sizes: by device and kind, then the most elements first. */
static int cmp_group(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    int c = cmp_int(x->dev, y->dev);
    if (!c) c = cmp_kind(x, y);
    if (!c) c = -cmp_u64(x->r->elements, y->r->elements);
    return c;
}

static int cmp_device_kind(const hb_check_device *a, const hb_check_device *b)
{
    int c = strcmp(a->name, b->name);
    if (!c) c = strcmp(a->type, b->type);
    if (!c) c = cmp_int(!a->dev, !b->dev);
    if (!c && a->dev) c = cmp_u64(a->dev->compute_units, b->dev->compute_units);
    if (!c && a->dev) c = cmp_u64(a->dev->global_mem_bytes, b->dev->global_mem_bytes);
    return c;
}

/* Identical measurements: kind, size, then the kind of device. */
static int cmp_measurement(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    int c = cmp_kind(x, y);
    if (!c) c = cmp_u64(x->r->elements, y->r->elements);
    if (!c) c = (x->r->m > y->r->m) - (x->r->m < y->r->m);
    if (!c) c = (x->r->n > y->r->n) - (x->r->n < y->r->n);
    if (!c) c = (x->r->k > y->r->k) - (x->r->k < y->r->k);
    if (!c) c = cmp_device_kind(x->d, y->d);
    return c;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int cmp_int_p(const void *a, const void *b)
{
    return cmp_int(*(const int *)a, *(const int *)b);
}

static double median_of(double *x, size_t n)
{
    qsort(x, n, sizeof *x, cmp_double);
    return n == 0 ? NAN : n % 2 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
}

/* The medians and identical-device counts of one group k[0..n). */
static void group_medians(hb_check_index *ix, const keyed *k, size_t n, double *scratch, int *ids)
{
    for (int of = HB_OF_BEST; of <= HB_OF_MEDIAN; of++) {
        size_t m = 0;
        int distinct = 0;
        for (size_t j = 0; j < n; j++) {
            double f = of == HB_OF_MEDIAN ? k[j].r->figure.median : k[j].r->figure.best;
            if (k[j].r->valid && isfinite(f)) {
                ids[m] = k[j].identity;
                scratch[m++] = f;
            }
        }
        qsort(ids, m, sizeof *ids, cmp_int_p);
        for (size_t j = 0; j < m; j++)
            distinct += j == 0 || ids[j] != ids[j - 1];
        double med = median_of(scratch, m);
        for (size_t j = 0; j < n; j++) {
            ix->median[of][k[j].i] = med;
            ix->n_identical[k[j].i] = distinct;
        }
    }
}

static int cmp_uuid(const void *a, const void *b)
{
    const hb_check_device *x = *(const hb_check_device *const *)a, *y = *(const hb_check_device *const *)b;
    int c = strcmp(x->uuid, y->uuid);
    return c ? c : (x > y) - (x < y);
}

/* identity[k]: the first device with device k's UUID, else k. */
static int identities(const hb_check_report *rep, int *identity, hb_err *err)
{
    const hb_check_device **by = malloc((rep->n_devices + 1) * sizeof *by);
    if (!by)
        return hb_fail(err, HB_EFAIL, "out of memory");
    for (size_t k = 0; k < rep->n_devices; k++) {
        identity[k] = (int)k;
        by[k] = &rep->devices[k];
    }
    qsort(by, rep->n_devices, sizeof *by, cmp_uuid);
    for (size_t j = 1; j < rep->n_devices; j++)
        if (by[j]->uuid[0] && !strcmp(by[j]->uuid, by[j - 1]->uuid))
            identity[by[j] - rep->devices] = identity[by[j - 1] - rep->devices];
    free(by);
    return HB_OK;
}

static int build_groups(hb_check_report *rep, hb_check_index *ix, hb_err *err)
{
    size_t n = rep->run->results.n;
    keyed *k = malloc((n + 1) * sizeof *k);
    double *scratch = malloc((n + 1) * sizeof *scratch);
    int *ids = malloc((n + 1) * sizeof *ids), *identity = malloc((rep->n_devices + 1) * sizeof *identity);
    int rc = !k || !scratch || !ids || !identity ? hb_fail(err, HB_EFAIL, "out of memory")
                                                 : identities(rep, identity, err);
    for (size_t i = 0; !rc && i < n; i++)
        k[i] = (keyed){&rep->run->results.v[i], &rep->devices[ix->dev_of[i]], ix->variant[i], ix->dev_of[i],
                       identity[ix->dev_of[i]], i};
    if (!rc) {
        qsort(k, n, sizeof *k, cmp_group);
        uint64_t max = 0;   /* each group's head has its most elements */
        for (size_t j = 0; j < n; j++) {
            if (j == 0 || cmp_int(k[j].dev, k[j - 1].dev) || cmp_kind(&k[j], &k[j - 1]))
                max = k[j].r->elements;
            ix->largest[k[j].i] = k[j].r->elements == max;
        }
        qsort(k, n, sizeof *k, cmp_measurement);
        for (size_t j = 0, end; j < n; j = end) {
            for (end = j + 1; end < n && cmp_measurement(&k[j], &k[end]) == 0; end++)
                ;
            group_medians(ix, &k[j], end - j, scratch, ids);
        }
    }
    free(k);
    free(scratch);
    free(ids);
    free(identity);
    return rc;
}

int hb_check_index_build(hb_check_report *rep, const hb_check_device_info *info, hb_check_index *ix,
                         hb_err *err)
{
    size_t n = rep->run->results.n + 1;
    *ix = (hb_check_index){0};
    ix->dev_of = calloc(n, sizeof *ix->dev_of);
    ix->largest = calloc(n, 1);
    ix->median[0] = calloc(n, sizeof *ix->median[0]);
    ix->median[1] = calloc(n, sizeof *ix->median[1]);
    ix->n_identical = calloc(n, sizeof *ix->n_identical);
    ix->variant = calloc(n, sizeof *ix->variant);
    if (!ix->dev_of || !ix->largest || !ix->median[0] || !ix->median[1] || !ix->n_identical || !ix->variant)
        return hb_fail(err, HB_EFAIL, "out of memory");
    for (size_t i = 0; i + 1 < n; i++)
        hb_check_variant(&rep->run->results.v[i], ix->variant[i], sizeof ix->variant[i]);
    int rc = build_devices(rep, info, ix, err);
    return rc ? rc : build_groups(rep, ix, err);
}

void hb_check_index_free(hb_check_index *ix)
{
    free(ix->dev_of);
    free(ix->largest);
    free(ix->median[0]);
    free(ix->median[1]);
    free(ix->n_identical);
    free(ix->variant);
    *ix = (hb_check_index){0};
}
