/* SPDX-License-Identifier: Apache-2.0 */
/* check_cli: `hbmbench check` on one result file, shared by the check
 * command, `hbmbench run --check` and `hbmbench export --check`. */
#ifndef HB_CHECK_CLI_H
#define HB_CHECK_CLI_H

#include <stdio.h>

#include "acceptance.h"

typedef struct hb_check_cli {
    const char *prog;       /* prefix of error messages: "hbmbench check" */
    FILE *table;            /* where the table goes; NULL: no table */
    size_t max_lines;       /* the table's verdict lines before it summarises (0: all) */
    int json;               /* the verdict document on stdout */
    int junit;              /* the verdicts as JUnit XML on stdout */
    const char *out;        /* the verdict document to this file too (atomically); NULL: none; "-":
                             * standard output, once, whatever the format */
    int force;              /* replace out if it exists */
} hb_check_cli;

/* What hb_check_eval needs of each device of run beyond the file (info:
 * run->n_devices entries): its datasheet family and figures, matched as
 * `run` matches them, and its largest cache. Free with
 * hb_check_device_infos_free. */
int hb_check_device_infos(const hb_run *run, hb_check_device_info *info, hb_err *err);
void hb_check_device_infos_free(hb_check_device_info *info, size_t n);

/* The table's default verdict lines: a screen; above it, a summary. */
#define HB_CHECK_MAX_LINES 40

/* Reads the result file at path, judges it by rules and reports as o says.
 * Returns the exit code: 0 nothing failed, 1 a rule failed, 2 the file is
 * unreadable or not a result file (FILE:LINE:COLUMN) or out exists. Prints
 * its own errors. */
int hb_check_result_file(const char *path, const hb_check_rules *rules, const hb_check_cli *o);

#endif
