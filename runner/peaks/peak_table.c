/* SPDX-License-Identifier: Apache-2.0 */
/* peak_table: parse and look up runner/peaks/known_devices.json.
 *
 * The table is data, not code, so each figure can carry its citation beside
 * it (STYLE.md: cite a source for each external fact). The parser is strict:
 * an unknown key or a figure without a source is an error, so a typo in the
 * data file fails the tests instead of silently dropping a row. */
#include "peak_table.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "embedded.h"

#define GIB (1024.0 * 1024.0 * 1024.0)

static int key_allowed(const char *key, const char *const *allowed)
{
    for (; *allowed; allowed++)
        if (strcmp(key, *allowed) == 0)
            return 1;
    return 0;
}

/* Rejects keys outside allowed: a misspelt "bw_gbps" must not pass unseen. */
static int check_keys(json_t *obj, const char *const *allowed, const char *what,
                      const char *where, hb_err *err)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        (void)v;
        if (!key_allowed(key, allowed))
            return hb_fail(err, HB_EFAIL, "%s: %s: unknown key \"%s\"", what, where, key);
    }
    return HB_OK;
}

/* Optional positive number: *out stays at dflt when the key is absent. */
static int get_num(json_t *obj, const char *key, double dflt, double *out,
                   const char *what, const char *where, hb_err *err)
{
    json_t *v = json_object_get(obj, key);
    *out = dflt;
    if (!v)
        return HB_OK;
    if (!json_is_number(v) || !(json_number_value(v) > 0))
        return hb_fail(err, HB_EFAIL, "%s: %s: \"%s\" must be a positive number", what, where, key);
    *out = json_number_value(v);
    return HB_OK;
}

static int get_str(json_t *obj, const char *key, int required, const char **out,
                   const char *what, const char *where, hb_err *err)
{
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (!v && !required)
        return HB_OK;
    if (!json_is_string(v) || json_string_length(v) == 0)
        return hb_fail(err, HB_EFAIL, "%s: %s: \"%s\" must be a non-empty string", what, where, key);
    *out = json_string_value(v);
    return HB_OK;
}

/* An array of at most max strings; absent means none. */
static int get_strs(json_t *obj, const char *key, const char **out, unsigned max,
                    unsigned *n, const char *what, const char *where, hb_err *err)
{
    json_t *arr = json_object_get(obj, key), *v;
    size_t i;
    *n = 0;
    if (!arr)
        return HB_OK;
    if (!json_is_array(arr) || json_array_size(arr) > max)
        return hb_fail(err, HB_EFAIL, "%s: %s: \"%s\" must be an array of at most %u strings",
                       what, where, key, max);
    json_array_foreach(arr, i, v) {
        if (!json_is_string(v) || json_string_length(v) == 0)
            return hb_fail(err, HB_EFAIL, "%s: %s: \"%s\"[%zu] must be a non-empty string",
                           what, where, key, i);
        out[(*n)++] = json_string_value(v);
    }
    return HB_OK;
}

static int parse_match(json_t *m, hb_peak_row *r, const char *what, const char *where, hb_err *err)
{
    static const char *const keys[] = {"pci_ids", "name_contains", "name_excludes",
                                       "min_mem_gib", "max_mem_gib", NULL};
    const char *ids[HB_PEAK_TABLE_MAX_IDS];
    int rc;
    if (!json_is_object(m))
        return hb_fail(err, HB_EFAIL, "%s: %s: \"match\" must be an object", what, where);
    if ((rc = check_keys(m, keys, what, where, err)) ||
        (rc = get_strs(m, "pci_ids", ids, HB_PEAK_TABLE_MAX_IDS, &r->n_pci, what, where, err)) ||
        (rc = get_strs(m, "name_contains", r->name_contains, HB_PEAK_TABLE_MAX_NAMES,
                       &r->n_names, what, where, err)) ||
        (rc = get_strs(m, "name_excludes", r->name_excludes, HB_PEAK_TABLE_MAX_NAMES,
                       &r->n_excludes, what, where, err)) ||
        (rc = get_num(m, "min_mem_gib", 0, &r->min_mem_gib, what, where, err)) ||
        (rc = get_num(m, "max_mem_gib", INFINITY, &r->max_mem_gib, what, where, err)))
        return rc;
    for (unsigned i = 0; i < r->n_pci; i++) {
        int used = 0;
        if (sscanf(ids[i], "%4x:%4x%n", &r->pci_vendor[i], &r->pci_device[i], &used) != 2 ||
            ids[i][used] != '\0')
            return hb_fail(err, HB_EFAIL, "%s: %s: PCI id \"%s\" is not vendor:device in hex",
                           what, where, ids[i]);
    }
    if (r->n_pci == 0 && r->n_names == 0)
        return hb_fail(err, HB_EFAIL, "%s: %s: \"match\" needs pci_ids or name_contains", what, where);
    return HB_OK;
}

/* A figure and its citation: present together or not at all. */
static int parse_figure(json_t *row, json_t *srcs, const char *key, const char *src_key,
                        double *val, const char **src, const char *what, const char *where,
                        hb_err *err)
{
    int rc = get_num(row, key, NAN, val, what, where, err);
    if (rc)
        return rc;
    if ((rc = get_str(srcs, src_key, !isnan(*val), src, what, where, err)))
        return rc;
    if (*src && isnan(*val))
        return hb_fail(err, HB_EFAIL, "%s: %s: source for %s but no figure", what, where, key);
    return HB_OK;
}

static int parse_row(json_t *row, size_t idx, hb_peak_row *r, const char *what, hb_err *err)
{
    static const char *const keys[] = {"name", "memory_type", "bus_bits", "bw_gbs", "fp32_gflops",
                                       "fp64_gflops", "compute_units", "boost_mhz", "match",
                                       "sources", "note", NULL};
    static const char *const src_keys[] = {"bw", "fp32", "fp64", NULL};
    char where[160];
    double bus = 0, cus = 0, mhz = 0;
    json_t *srcs;
    int rc;

    snprintf(where, sizeof where, "devices[%zu]", idx);
    if (!json_is_object(row))
        return hb_fail(err, HB_EFAIL, "%s: %s must be an object", what, where);
    if ((rc = get_str(row, "name", 1, &r->name, what, where, err)))
        return rc;
    snprintf(where, sizeof where, "devices[%zu] (%.100s)", idx, r->name);
    srcs = json_object_get(row, "sources");
    if (!json_is_object(srcs))
        return hb_fail(err, HB_EFAIL, "%s: %s: \"sources\" must be an object", what, where);
    if ((rc = check_keys(row, keys, what, where, err)) ||
        (rc = check_keys(srcs, src_keys, what, where, err)) ||
        (rc = get_str(row, "memory_type", 0, &r->memory_type, what, where, err)) ||
        (rc = get_num(row, "bus_bits", 0, &bus, what, where, err)) ||
        (rc = get_num(row, "compute_units", 0, &cus, what, where, err)) ||
        (rc = get_num(row, "boost_mhz", 0, &mhz, what, where, err)) ||
        (rc = parse_figure(row, srcs, "bw_gbs", "bw", &r->bw_gbs, &r->src_bw, what, where, err)) ||
        (rc = parse_figure(row, srcs, "fp32_gflops", "fp32", &r->fp32_gflops, &r->src_fp32,
                           what, where, err)) ||
        (rc = parse_figure(row, srcs, "fp64_gflops", "fp64", &r->fp64_gflops, &r->src_fp64,
                           what, where, err)) ||
        (rc = parse_match(json_object_get(row, "match"), r, what, where, err)))
        return rc;
    r->bus_bits = (unsigned)bus;
    r->compute_units = (unsigned)cus;
    r->boost_mhz = (unsigned)mhz;
    return HB_OK;
}

int hb_peak_table_parse(const char *text, size_t len, const char *what,
                        hb_peak_table *out, hb_err *err)
{
    json_error_t je;
    json_t *root, *devs;
    int rc = HB_OK;

    memset(out, 0, sizeof *out);
    root = json_loadb(text, len, 0, &je);
    if (!root)
        return hb_fail(err, HB_EFAIL, "%s:%d:%d: %s", what, je.line, je.column, je.text);
    devs = json_object_get(root, "devices");
    if (!json_is_object(root) || !json_is_array(devs) || json_array_size(devs) == 0) {
        json_decref(root);
        return hb_fail(err, HB_EFAIL, "%s: expected {\"devices\": [ ... ]}", what);
    }
    out->rows = calloc(json_array_size(devs), sizeof *out->rows);
    if (!out->rows) {
        json_decref(root);
        return hb_fail(err, HB_EFAIL, "%s: out of memory", what);
    }
    out->json = root;
    for (size_t i = 0; i < json_array_size(devs) && rc == HB_OK; i++, out->n++)
        rc = parse_row(json_array_get(devs, i), i, &out->rows[i], what, err);
    if (rc)
        hb_peak_table_free(out);
    return rc;
}

int hb_peak_table_load_embedded(hb_peak_table *out, hb_err *err)
{
    size_t len = 0;
    const char *text = hb_embedded_find("known_devices.json", &len);
    memset(out, 0, sizeof *out);
    if (!text)
        return hb_fail(err, HB_EFAIL, "known_devices.json is not embedded in this build");
    return hb_peak_table_parse(text, len, "known_devices.json", out, err);
}

void hb_peak_table_free(hb_peak_table *t)
{
    if (!t)
        return;
    json_decref((json_t *)t->json);
    free(t->rows);
    memset(t, 0, sizeof *t);
}

/* Either of the device's names holds s: CL_DEVICE_NAME, or AMD's board
 * name where ROCm's CL_DEVICE_NAME is the architecture ("gfx942"). */
static int names_hold(const hb_device *dev, const char *s)
{
    return strcasestr(dev->name, s) || (dev->board_name[0] && strcasestr(dev->board_name, s));
}

/* A name the row refuses (H200 SXM refuses "NVL" and "GH200"). */
static int name_excluded(const hb_peak_row *r, const hb_device *dev)
{
    for (unsigned i = 0; i < r->n_excludes; i++)
        if (names_hold(dev, r->name_excludes[i]))
            return 1;
    return 0;
}

/* A PCI id names a chip, and boards of one chip may share it (NVIDIA's
 * DCGM lists two ids for "H200" without saying which is the NVL board):
 * a row's name_excludes hold against its PCI ids too. */
static int match_pci(const hb_peak_row *r, const hb_device *dev)
{
    if ((!dev->pci_vendor_id && !dev->pci_device_id) || name_excluded(r, dev))
        return 0;
    for (unsigned i = 0; i < r->n_pci; i++)
        if (r->pci_vendor[i] == dev->pci_vendor_id && r->pci_device[i] == dev->pci_device_id)
            return 1;
    return 0;
}

/* Names alone are ambiguous (both A100 PCIe parts say "NVIDIA A100"), so a
 * row with a memory range needs a known memory size inside it. */
static int match_name(const hb_peak_row *r, const hb_device *dev)
{
    double gib = (double)dev->global_mem_bytes / GIB;
    int hit = 0;
    for (unsigned i = 0; i < r->n_names && !hit; i++)
        hit = names_hold(dev, r->name_contains[i]);
    if (!hit || name_excluded(r, dev))
        return 0;
    if (r->min_mem_gib > 0 || isfinite(r->max_mem_gib))
        return dev->global_mem_bytes > 0 && gib >= r->min_mem_gib && gib <= r->max_mem_gib;
    return 1;
}

static const hb_peak_row *pick(const hb_peak_table *t, const hb_device *dev, int by_pci)
{
    const hb_peak_row *first = NULL;
    for (size_t i = 0; i < t->n; i++) {
        const hb_peak_row *r = &t->rows[i];
        if (!(by_pci ? match_pci(r, dev) : match_name(r, dev)))
            continue;
        if (dev->compute_units && r->compute_units == dev->compute_units)
            return r;
        if (!first)
            first = r;
    }
    return first;
}

const hb_peak_row *hb_peak_table_lookup(const hb_peak_table *t, const hb_device *dev,
                                        char *how, size_t howlen)
{
    const hb_peak_row *r = pick(t, dev, 1);
    if (r) {
        snprintf(how, howlen, "PCI id %04x:%04x", dev->pci_vendor_id, dev->pci_device_id);
        return r;
    }
    r = pick(t, dev, 0);
    if (r)
        snprintf(how, howlen, "name and %.1f GiB memory",
                 (double)dev->global_mem_bytes / GIB);
    return r;
}
