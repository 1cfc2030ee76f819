/* SPDX-License-Identifier: Apache-2.0 */
/* check_index: what the evaluation looks up, built once by sorting so that
 * a gathered file of 1,000 ranks costs O(n log n), not a loop over every
 * pair: the report's devices (by node, rank and device index), each
 * result's device, the largest size of each result group, and the median
 * figure over identical devices. Private to runner/check/. */
#ifndef HB_CHECK_INDEX_H
#define HB_CHECK_INDEX_H

#include <stddef.h>

#include "acceptance.h"

#define HB_CHECK_VARIANT_LEN 96

typedef struct hb_check_index {
    int *dev_of;          /* per result: index into report->devices */
    char *largest;        /* per result: the largest size of its group */
    double *median[2];    /* per result, by hb_check_of: the median figure over identical
                           * devices that measured the same, valid ones only; NAN: none */
    int *n_identical;     /* per result: distinct identical devices in that median */
    char (*variant)[HB_CHECK_VARIANT_LEN];   /* per result: hb_check_variant() */
} hb_check_index;

/* Fills rep->devices (sorted by node, rank, index), rep->order and
 * rep->gathered, and ix. Fails only when out of memory. */
int hb_check_index_build(hb_check_report *rep, const hb_check_device_info *info, hb_check_index *ix,
                         hb_err *err);
void hb_check_index_free(hb_check_index *ix);

/* What tells apart results of one bench, dtype and size on one device:
 * "concurrent x4, repetition 2, api=map, host=pinned"; "" for none. */
void hb_check_variant(const hb_result *r, char *buf, size_t len);

#endif
