/* SPDX-License-Identifier: Apache-2.0 */
/* concurrent_summary: the aggregate of a --concurrent run, one record per
 * step (a group of devices that ran the same bench, dtype and problem at
 * the same time), derived from the results whenever a run is written or
 * printed, as the roofline summary is (results/README.md, "concurrent"). */
#ifndef HB_CONCURRENT_SUMMARY_H
#define HB_CONCURRENT_SUMMARY_H

#include <stddef.h>
#include <stdio.h>

#include "run.h"

#define HB_CONCURRENT_MAX_DEVICES 32

typedef struct hb_concurrent_rec {
    int repetition;            /* the repetition it ran in (--repeat): 1, 2, ...; 0 when not repeated */
    int step;                  /* the group's serial number in its repetition (results' concurrent.step) */
    char bench[32], dtype[8], implementation[16];
    double size_bytes;         /* elements x element size of the first member */
    int devices;               /* results in the group */
    int device_index[HB_CONCURRENT_MAX_DEVICES];
    int valid;                 /* every member verified */
    double aggregate_gbs;      /* sum of the members' best GB/s; NAN when one is invalid */
    double aggregate_median_gbs; /* sum of their median GB/s */
    double solo_sum_gbs;       /* sum of their solo best GB/s; NAN when one is unknown */
    double scaling;            /* aggregate_gbs / solo_sum_gbs */
    double max_slowdown;       /* the largest solo_gbs / best GB/s among the members */
} hb_concurrent_rec;

/* The records of run's concurrent results, one per repetition and step
 * (steps are numbered again in each repetition, and each repetition has
 * its own solo phase), in that order; returns how many
 * (<= max); 0 when the run was not concurrent. */
size_t hb_concurrent_summarize(const hb_run *run, hb_concurrent_rec *out, size_t max);

/* One "# concurrent ..." line per record, under the table. */
void hb_concurrent_print(FILE *f, const hb_run *run);

/* The convention, as written into the file and printed above the table. */
extern const char hb_concurrent_convention[];

#endif
