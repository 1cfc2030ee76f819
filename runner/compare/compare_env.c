/* SPDX-License-Identifier: Apache-2.0 */
/* compare_env: what differs between the two environments, beyond what was
 * measured, so a reader sees before the numbers why they may not be
 * comparable: hbmbench version, host, run options (iterations, size, tuning,
 * host stores), the paired devices' drivers, OpenCL platforms, clocks and
 * peaks, and per pair the tuned configuration, timer and size. */
#include "compare.h"

#include "dtype.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

static int hb_cmp_add_diff(hb_cmp *cmp, const char *what, const char *base, const char *other, hb_err *err)
{
    if (cmp->n_diffs == cmp->cap_diffs) {
        size_t cap = cmp->cap_diffs ? 2 * cmp->cap_diffs : 16;
        hb_cmp_diff *d = realloc(cmp->diffs, cap * sizeof *d);
        if (!d)
            return hb_fail(err, HB_EFAIL, "out of memory");
        cmp->diffs = d;
        cmp->cap_diffs = cap;
    }
    hb_cmp_diff *d = &cmp->diffs[cmp->n_diffs++];
    snprintf(d->what, sizeof d->what, "%s", what);
    /* a longer text (a device name of up to 255 bytes) is cut to the field */
    snprintf(d->base, sizeof d->base, "%.191s", base);
    snprintf(d->other, sizeof d->other, "%.191s", other);
    return HB_OK;
}

/* Adds {what, base, other} when the two strings differ. */
static int differ(hb_cmp *cmp, const char *what, const char *b, const char *o, hb_err *err)
{
    return strcmp(b, o) ? hb_cmp_add_diff(cmp, what, b, o, err) : HB_OK;
}

/* Formats into buf, which holds 192 bytes (hb_cmp_diff's fields), and returns it. */
__attribute__((format(printf, 2, 3))) static const char *fmt(char *buf, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    vsnprintf(buf, 192, f, ap);
    va_end(ap);
    return buf;
}

static void caches_text(const hb_host_info *h, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < h->n_caches && used < len; i++) {
        char size[32];
        hb_format_bytes(h->caches[i].size_bytes, size, sizeof size);
        used += (size_t)snprintf(buf + used, len - used, "%s%s %s x%u", i ? ", " : "", h->caches[i].name, size,
                                 h->caches[i].count);
    }
}

static int host_diffs(hb_cmp *cmp, hb_err *err)
{
    const hb_run *b = cmp->base, *o = cmp->other;
    const hb_host_info *hb = &b->host, *ho = &o->host;
    char x[192], y[192];
    int rc = differ(cmp, "hbmbench version", fmt(x, "%s (commit %s)", b->tool_version, b->git_commit),
                    fmt(y, "%s (commit %s)", o->tool_version, o->git_commit), err);
    if (!rc) rc = differ(cmp, "schema_version", fmt(x, "%d", b->schema_version), fmt(y, "%d", o->schema_version), err);
    if (!rc) rc = differ(cmp, "host", hb->hostname, ho->hostname, err);
    if (!rc) rc = differ(cmp, "host CPU", hb->cpu_model, ho->cpu_model, err);
    if (!rc) rc = differ(cmp, "host cores/PUs/NUMA nodes/packages",
                         fmt(x, "%u/%u/%u/%u", hb->cores, hb->pus, hb->numa_nodes, hb->packages),
                         fmt(y, "%u/%u/%u/%u", ho->cores, ho->pus, ho->numa_nodes, ho->packages), err);
    if (!rc) {
        char mb[32], mo[32];
        hb_format_bytes(hb->memory_bytes, mb, sizeof mb);
        hb_format_bytes(ho->memory_bytes, mo, sizeof mo);
        rc = differ(cmp, "host memory", mb, mo, err);
    }
    if (!rc) {
        caches_text(hb, x, sizeof x);
        caches_text(ho, y, sizeof y);
        rc = differ(cmp, "host caches", x, y, err);
    }
    if (!rc) rc = differ(cmp, "host OS", hb->os, ho->os, err);
    if (!rc) rc = differ(cmp, "host kernel", hb->kernel, ho->kernel, err);
    if (!rc) rc = differ(cmp, "hwloc version", hb->hwloc_version, ho->hwloc_version, err);
    return rc;
}

static void param_text(const hb_params *ps, const char *key, char *buf, size_t len)
{
    const hb_param *p = hb_params_get(ps, key);
    if (!p)
        snprintf(buf, len, "(not set)");
    else if (p->is_text)
        snprintf(buf, len, "%s", hb_param_text(ps, p));
    else if (isnan(p->num))
        snprintf(buf, len, "null");
    else
        snprintf(buf, len, "%.17g", p->num);
}

/* The run options (`config`), every key of either side. */
static int config_diffs(hb_cmp *cmp, hb_err *err)
{
    const hb_params *pb = &cmp->base->config, *po = &cmp->other->config;
    int rc = HB_OK;
    for (int side = 0; side < 2 && !rc; side++) {
        const hb_params *ps = side ? po : pb;
        for (int i = 0; i < ps->n && !rc; i++) {
            const char *key = ps->p[i].key;
            if (side && hb_params_get(pb, key))
                continue; /* already compared from BASE's side */
            char what[96], x[192], y[192];
            snprintf(what, sizeof what, "option %s", key);
            param_text(pb, key, x, sizeof x);
            param_text(po, key, y, sizeof y);
            rc = differ(cmp, what, x, y, err);
        }
    }
    return rc;
}

static void peak_text(const hb_peak_value *p, char *buf)
{
    if (isnan(p->value))
        fmt(buf, "unknown");
    else
        fmt(buf, "%.1f GB/s (%s)", p->value, hb_peak_src_name(p->src));
}

static int device_pair_diffs(hb_cmp *cmp, const hb_device *b, const hb_device *o, hb_err *err)
{
    char tag[48], what[96], x[192], y[192];
    if (b->index == o->index)
        snprintf(tag, sizeof tag, "device %d", b->index);
    else
        snprintf(tag, sizeof tag, "device %d vs %d", b->index, o->index);
#define DIFF_S(label, field) \
    (snprintf(what, sizeof what, "%s (%s)", label, tag), differ(cmp, what, b->field, o->field, err))
#define DIFF_U(label, f, field) \
    (snprintf(what, sizeof what, "%s (%s)", label, tag), differ(cmp, what, fmt(x, f, b->field), fmt(y, f, o->field), err))
    int rc = DIFF_S("device name", name);
    if (!rc) rc = DIFF_S("PCI bus id", pci_bus_id);
    if (!rc) rc = DIFF_S("driver version", driver_version);
    if (!rc) rc = DIFF_S("OpenCL platform", platform_name);
    if (!rc) rc = DIFF_S("OpenCL platform version", platform_version);
    if (!rc) rc = DIFF_S("OpenCL device version", cl_version);
    if (!rc) rc = DIFF_U("compute units", "%u", compute_units);
    if (!rc) rc = DIFF_U("max clock MHz", "%u", max_clock_mhz);
    if (!rc) rc = DIFF_U("global memory bytes", "%" PRIu64, global_mem_bytes);
    if (!rc) rc = DIFF_U("global cache bytes", "%" PRIu64, global_cache_bytes);
    /* another board in the same slot (a replacement, an RMA): said only
     * when both files know it, as an older file or a driver without the
     * query knows none (docs/usage.md#device-identity) */
    if (!rc && b->uuid[0] && o->uuid[0]) rc = DIFF_S("board UUID", uuid);
    if (!rc && b->serial[0] && o->serial[0]) rc = DIFF_S("board serial", serial);
#undef DIFF_S
#undef DIFF_U
    if (!rc) {
        snprintf(what, sizeof what, "peak bandwidth (%s)", tag);
        peak_text(&b->peaks.bw_gbs, x);
        peak_text(&o->peaks.bw_gbs, y);
        rc = differ(cmp, what, x, y, err);
    }
    return rc;
}

typedef struct dev_pair {
    const hb_device *b, *o;
    size_t row;            /* the first row that joins them */
} dev_pair;

static int cmp_dev_pair(const void *x, const void *y)
{
    const dev_pair *p = x, *q = y;
    if (p->b != q->b)
        return p->b < q->b ? -1 : 1;
    if (p->o != q->o)
        return p->o < q->o ? -1 : 1;
    return (p->row > q->row) - (p->row < q->row);
}

static int cmp_row(const void *x, const void *y)
{
    const dev_pair *p = x, *q = y;
    return (p->row > q->row) - (p->row < q->row);
}

/* Every distinct pair of devices that some pair of results joins, in the
 * order of the rows: sorted to find the distinct ones, as a file may hold
 * tens of thousands of rows. */
static int device_diffs(hb_cmp *cmp, hb_err *err)
{
    dev_pair *v = malloc((cmp->n_rows ? cmp->n_rows : 1) * sizeof *v);
    size_t n = 0, distinct = 0;
    if (!v)
        return hb_fail(err, HB_EFAIL, "out of memory");
    for (size_t i = 0; i < cmp->n_rows; i++) {
        const hb_device *b = hb_cmp_device_of(cmp->base, cmp->rows[i].base);
        const hb_device *o = hb_cmp_device_of(cmp->other, cmp->rows[i].other);
        if (b && o)
            v[n++] = (dev_pair){b, o, i};
    }
    qsort(v, n, sizeof *v, cmp_dev_pair);
    for (size_t i = 0; i < n; i++)
        if (i == 0 || v[i].b != v[i - 1].b || v[i].o != v[i - 1].o)
            v[distinct++] = v[i];
    qsort(v, distinct, sizeof *v, cmp_row);
    int rc = HB_OK;
    for (size_t i = 0; i < distinct && !rc; i++)
        rc = device_pair_diffs(cmp, v[i].b, v[i].o, err);
    free(v);
    return rc;
}

/* "f32, f64" and "4.0 KiB .. 128.0 MiB (16 sizes)": what a file measured. */
static void dtypes_text(const hb_run *run, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int k = 0; k < HB_NDTYPES; k++)
        for (size_t i = 0; i < run->results.n; i++)
            if (!strcmp(run->results.v[i].dtype, hb_dtype_name((hb_dtype)k))) {
                used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "", hb_dtype_name((hb_dtype)k));
                break;
            }
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

/* -1 when out of memory. */
static int sizes_text(const hb_run *run, char *buf, size_t len)
{
    size_t n = run->results.n, distinct = 0;
    uint64_t *bytes = malloc((n ? n : 1) * sizeof *bytes);
    if (!bytes)
        return -1;
    for (size_t i = 0; i < n; i++)
        bytes[i] = run->results.v[i].elements * hb_dtype_bytes_of(run->results.v[i].dtype);
    qsort(bytes, n, sizeof *bytes, cmp_u64);
    for (size_t i = 0; i < n; i++)
        distinct += i == 0 || bytes[i] != bytes[i - 1];
    char a[32], b[32];
    hb_format_bytes(n ? bytes[0] : 0, a, sizeof a);
    hb_format_bytes(n ? bytes[n - 1] : 0, b, sizeof b);
    free(bytes);
    if (distinct <= 1)
        snprintf(buf, len, "%s", distinct ? a : "none");
    else
        snprintf(buf, len, "%s .. %s (%zu sizes)", a, b, distinct);
    return 0;
}

/* Differences inside the pairs: summarised, the table marks each pair. */
static int row_diffs(hb_cmp *cmp, hb_err *err)
{
    size_t ncfg = 0, nsize = 0, ntimer = 0;
    const hb_cmp_row *first_size = NULL, *first_timer = NULL;
    for (size_t i = 0; i < cmp->n_rows; i++) {
        const hb_cmp_row *r = &cmp->rows[i];
        ncfg += r->config_differs;
        if (r->size_differs && !nsize++)
            first_size = r;
        if (strcmp(r->base->timer, r->other->timer) && !ntimer++)
            first_timer = r;
    }
    char what[96], x[192], y[192];
    int rc = HB_OK;
    if (ncfg) {
        snprintf(what, sizeof what, "tuned configuration");
        rc = hb_cmp_add_diff(cmp, what, fmt(x, "differs in %zu of %zu pairs (marked * in the table)", ncfg,
                                            cmp->n_rows), "", err);
    }
    if (!rc && nsize) {
        snprintf(what, sizeof what, "array size (%zu of %zu pairs, e.g. %s %s)", nsize, cmp->n_rows,
                 first_size->base->bench, first_size->base->dtype);
        hb_cmp_size_label(first_size->base, x, sizeof x);
        hb_cmp_size_label(first_size->other, y, sizeof y);
        rc = hb_cmp_add_diff(cmp, what, x, y, err);
    }
    if (!rc && ntimer) {
        snprintf(what, sizeof what, "timer (%zu of %zu pairs)", ntimer, cmp->n_rows);
        rc = hb_cmp_add_diff(cmp, what, first_timer->base->timer, first_timer->other->timer, err);
    }
    if (!rc) {
        dtypes_text(cmp->base, x, sizeof x);
        dtypes_text(cmp->other, y, sizeof y);
        rc = differ(cmp, "data types measured", x, y, err);
    }
    if (!rc && (sizes_text(cmp->base, x, sizeof x) || sizes_text(cmp->other, y, sizeof y)))
        rc = hb_fail(err, HB_EFAIL, "out of memory");
    if (!rc)
        rc = differ(cmp, "array sizes measured", x, y, err);
    return rc;
}

int hb_cmp_env_diffs(hb_cmp *cmp, hb_err *err)
{
    int rc = host_diffs(cmp, err);
    if (!rc) rc = config_diffs(cmp, err);
    if (!rc) rc = device_diffs(cmp, err);
    if (!rc) rc = row_diffs(cmp, err);
    return rc;
}
