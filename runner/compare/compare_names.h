/* SPDX-License-Identifier: Apache-2.0 */
/* compare_names: device names in compare's table: "node:device" for MPI
 * runs, cleaned for a terminal, and cut to a column's width so that the
 * devices of one table stay distinct (compare_table.c prints them). */
#ifndef HB_COMPARE_NAMES_H
#define HB_COMPARE_NAMES_H

#include <stddef.h>

#include "compare.h"

#define HB_CMP_DEV_LEN 520   /* "node:device": a node and a device name, 256 bytes each */

/* The distinct device names of a comparison's rows, and how the table shows them. */
typedef struct hb_cmp_devnames {
    char (*full)[HB_CMP_DEV_LEN];    /* the distinct names, sorted */
    char (*shown)[HB_CMP_DEV_LEN];   /* what the table prints for each */
    size_t n;
    int longest;
    int cut;                  /* some name was cut */
    int numbered;             /* no cut kept them apart: they are numbered, with a legend */
} hb_cmp_devnames;

/* r's device as the table names it, cleaned, into buf[HB_CMP_DEV_LEN]. */
void hb_cmp_device_text(const hb_result *r, char *buf);
/* s cut to w bytes: its first w - 2 - tail, "..", its last tail; cut at
 * UTF-8 character boundaries (the result may be shorter). s itself when
 * it fits. */
void hb_cmp_cut(const char *s, int w, int tail, char *out, size_t cap);

/* The distinct names of c's rows (BASE's devices), shown whole. -1 when
 * out of memory (d is then empty). */
int hb_cmp_devnames_make(const hb_cmp *c, hb_cmp_devnames *d);
/* Cuts the names longer than w (>= 8) so that all stay distinct. -1 when out of memory. */
int hb_cmp_devnames_cut(hb_cmp_devnames *d, int w);
/* How the table shows name (one of d's); name itself if it is not. */
const char *hb_cmp_devnames_shown(const hb_cmp_devnames *d, const char *name);
void hb_cmp_devnames_free(hb_cmp_devnames *d);

#endif
