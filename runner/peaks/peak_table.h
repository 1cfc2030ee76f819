/* SPDX-License-Identifier: Apache-2.0 */
/* peak_table: the built-in datasheet table, runner/peaks/known_devices.json
 * (embedded in the binary), parsed with jansson and looked up by PCI id or
 * by name and memory size. Figures and their sources come from
 * docs/peaks.md#datasheet-table (tags: docs/peaks.md#source-tags). */
#ifndef HB_PEAK_TABLE_H
#define HB_PEAK_TABLE_H

#include <stddef.h>

#include "device.h"
#include "hb_error.h"

#define HB_PEAK_TABLE_MAX_IDS 4
#define HB_PEAK_TABLE_MAX_NAMES 4

/* One row. The strings point into the parsed JSON, which the table owns. */
typedef struct hb_peak_row {
    const char *name;
    const char *memory_type;
    unsigned bus_bits;
    double bw_gbs, fp32_gflops, fp64_gflops;   /* NAN where the row has none */
    const char *src_bw, *src_fp32, *src_fp64;  /* citation for each figure */
    unsigned compute_units;                    /* of the whole part */
    unsigned boost_mhz;
    unsigned n_pci;
    unsigned pci_vendor[HB_PEAK_TABLE_MAX_IDS], pci_device[HB_PEAK_TABLE_MAX_IDS];
    unsigned n_names, n_excludes;
    const char *name_contains[HB_PEAK_TABLE_MAX_NAMES];
    const char *name_excludes[HB_PEAK_TABLE_MAX_NAMES];
    double min_mem_gib, max_mem_gib;           /* 0 and INFINITY when not given */
} hb_peak_row;

typedef struct hb_peak_table {
    void *json;          /* json_t root, owns the strings */
    hb_peak_row *rows;
    size_t n;
} hb_peak_table;

/* Parses the table's text. what names it in messages ("known_devices.json").
 * Every figure present must have its source. Fails with HB_EFAIL on any
 * malformed row; *out is then empty. */
int hb_peak_table_parse(const char *text, size_t len, const char *what,
                        hb_peak_table *out, hb_err *err);

/* Parses the embedded known_devices.json (runner/core/embedded.h). */
int hb_peak_table_load_embedded(hb_peak_table *out, hb_err *err);

void hb_peak_table_free(hb_peak_table *t);

/* The row for dev, or NULL. PCI vendor:device wins over the name; among rows
 * that match the same way, the one whose compute_units equals the device's is
 * preferred (MI250X board vs one GCD), else the first in the file. how gets a
 * few words on how it matched ("PCI id 10de:2330"). */
const hb_peak_row *hb_peak_table_lookup(const hb_peak_table *t, const hb_device *dev,
                                        char *how, size_t howlen);

#endif
