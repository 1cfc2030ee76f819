/* SPDX-License-Identifier: Apache-2.0 */
/* peaks_file: read --peaks FILE (format in peaks_file.h).
 *
 * The whole file is checked before any entry is used, so a typo in an entry
 * for another machine is reported here too rather than on the day that
 * machine runs. Unknown keys are errors for the same reason ("bw_gbps"). */
#include "peaks_file.h"
#include "peak.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { F_BW, F_FP32, F_FP64, F_N };

static const char *const fig_keys[F_N] = {"bw_gbs", "fp32_gflops", "fp64_gflops"};

typedef struct pf_entry {
    const char *match, *source;
    double v[F_N];          /* NAN where the entry has no figure */
    int is_bus;             /* match is a PCI bus id */
    unsigned dom, bus, dev, fn;
} pf_entry;

/* "DDDD:BB:DD.F" or "BB:DD.F", hex digits only: a device name never looks
 * like this, and sscanf alone would also take signs, spaces and "0x". */
static int parse_bus_id(const char *s, pf_entry *e)
{
    int used = 0;
    if (s[strspn(s, "0123456789abcdefABCDEF:.")] != '\0')
        return 0;
    if (sscanf(s, "%x:%x:%x.%x%n", &e->dom, &e->bus, &e->dev, &e->fn, &used) == 4 && !s[used])
        return 1;
    used = 0;
    e->dom = 0;
    return sscanf(s, "%x:%x.%x%n", &e->bus, &e->dev, &e->fn, &used) == 3 && !s[used];
}

static int parse_entry(json_t *o, size_t i, pf_entry *e, const char *path, hb_err *err)
{
    static const char *const allowed[] = {"match", "bw_gbs", "fp32_gflops", "fp64_gflops",
                                          "source", "comment", NULL};
    const char *key;
    json_t *v;

    if (!json_is_object(o))
        return hb_fail(err, HB_EUSAGE, "%s: devices[%zu] must be an object", path, i);
    json_object_foreach(o, key, v) {
        const char *const *a = allowed;
        while (*a && strcmp(*a, key) != 0)
            a++;
        if (!*a)
            return hb_fail(err, HB_EUSAGE, "%s: devices[%zu]: unknown key \"%s\" (expected match, "
                           "bw_gbs, fp32_gflops, fp64_gflops, source)", path, i, key);
    }
    v = json_object_get(o, "match");
    if (!json_is_string(v) || json_string_length(v) == 0)
        return hb_fail(err, HB_EUSAGE, "%s: devices[%zu]: \"match\" must be a non-empty string "
                       "(a device name or a PCI bus id)", path, i);
    e->match = json_string_value(v);
    e->is_bus = parse_bus_id(e->match, e);
    v = json_object_get(o, "source");
    if (v && !json_is_string(v))
        return hb_fail(err, HB_EUSAGE, "%s: devices[%zu] (\"%s\"): \"source\" must be a string",
                       path, i, e->match);
    e->source = v ? json_string_value(v) : NULL;
    for (int f = 0; f < F_N; f++) {
        v = json_object_get(o, fig_keys[f]);
        e->v[f] = NAN;
        if (!v)
            continue;
        double max = f == F_BW ? HB_PEAK_BW_MAX_GBS : HB_PEAK_FLOPS_MAX_GFLOPS;
        if (!json_is_number(v) || !(json_number_value(v) >= HB_PEAK_MIN && json_number_value(v) <= max))
            return hb_fail(err, HB_EUSAGE, "%s: devices[%zu] (\"%s\"): \"%s\" must be a number from %g "
                           "to %g", path, i, e->match, fig_keys[f], HB_PEAK_MIN, max);
        e->v[f] = json_number_value(v);
    }
    return HB_OK;
}

static int entry_matches(const pf_entry *e, const hb_device *dev, int by_bus)
{
    if (by_bus)
        return e->is_bus && dev->has_pci && e->dom == dev->pci_domain && e->bus == dev->pci_bus &&
               e->dev == dev->pci_dev && e->fn == dev->pci_func;
    return !e->is_bus && (strcasestr(dev->name, e->match) != NULL ||
                          (dev->board_name[0] && strcasestr(dev->board_name, e->match) != NULL));
}

static void apply(const pf_entry *es, size_t n, const char *path, hb_device *dev)
{
    hb_peak_value *vals[F_N] = {&dev->peaks.bw_gbs, &dev->peaks.fp32_gflops,
                                &dev->peaks.fp64_gflops};
    for (int f = 0; f < F_N; f++) {
        if (vals[f]->src != HB_PEAK_UNKNOWN)
            continue;
        for (int by_bus = 1; by_bus >= 0 && vals[f]->src == HB_PEAK_UNKNOWN; by_bus--) {
            for (size_t i = 0; i < n; i++) {
                const pf_entry *e = &es[i];
                if (isnan(e->v[f]) || !entry_matches(e, dev, by_bus))
                    continue;
                vals[f]->value = e->v[f];
                vals[f]->src = HB_PEAK_FILE;
                if (e->source && e->source[0])
                    snprintf(vals[f]->detail, sizeof vals[f]->detail, "peaks file %s: %s",
                             path, e->source);
                else
                    snprintf(vals[f]->detail, sizeof vals[f]->detail,
                             "peaks file %s: entry \"%s\" (no source given)", path, e->match);
                break;
            }
        }
    }
}

/* Parses the whole file into *es (*n entries); *root owns their strings. */
static int load(const char *path, json_t **root, pf_entry **es, size_t *n, hb_err *err)
{
    json_error_t je;
    *es = NULL;
    *n = 0;
    *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!*root) {
        /* jansson reports line -1 when the file could not be opened at all. */
        if (je.line < 1)
            return hb_fail(err, HB_EUSAGE, "%s: %s", path, je.text);
        return hb_fail(err, HB_EUSAGE, "%s:%d:%d: %s", path, je.line, je.column, je.text);
    }
    json_t *devs = json_object_get(*root, "devices");
    if (!json_is_array(devs))
        return hb_fail(err, HB_EUSAGE, "%s: expected {\"devices\": [{\"match\": NAME-OR-PCI-BUS-ID, "
                       "\"bw_gbs\": N, ...}]}", path);
    *es = calloc(json_array_size(devs) + 1, sizeof **es);
    if (!*es)
        return hb_fail(err, HB_EFAIL, "%s: out of memory", path);
    *n = json_array_size(devs);
    for (size_t i = 0; i < *n; i++)
        if (parse_entry(json_array_get(devs, i), i, &(*es)[i], path, err))
            return HB_EUSAGE;
    return HB_OK;
}

int hb_peaks_file_apply(const char *path, hb_device *dev, hb_err *err)
{
    json_t *root;
    pf_entry *es;
    size_t n;
    int rc = load(path, &root, &es, &n, err);
    if (rc == HB_OK)
        apply(es, n, path, dev);
    free(es);
    json_decref(root);
    return rc;
}

int hb_peaks_file_unmatched(const char *path, const hb_device *devs, size_t n_devs, char *out, size_t len,
                            int *count, hb_err *err)
{
    json_t *root;
    pf_entry *es;
    size_t n;
    *count = 0;
    if (len)
        out[0] = '\0';
    int rc = load(path, &root, &es, &n, err);
    for (size_t i = 0, used = 0; rc == HB_OK && i < n; i++) {
        int hit = 0;
        for (size_t d = 0; d < n_devs && !hit; d++)
            hit = entry_matches(&es[i], &devs[d], 1) || entry_matches(&es[i], &devs[d], 0);
        if (hit)
            continue;
        (*count)++;
        if (used < len)
            used += (size_t)snprintf(out + used, len - used, "%s\"%s\"", used ? ", " : "", es[i].match);
    }
    free(es);
    json_decref(root);
    return rc;
}
