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
    int json;               /* the verdict document on stdout */
    const char *out;        /* the verdict document to this file too (atomically); NULL: none */
    int force;              /* replace out if it exists */
} hb_check_cli;

#define HB_CHECK_FAMILY_LEN 128

/* The datasheet family of each device of run into names
 * (HB_CHECK_FAMILY_LEN bytes each), pointed to by ptrs (n_devices of them):
 * the name of its known_devices.json row, matched as `run` matches it (PCI
 * id, else name and memory size); "" when none. What hb_check_eval takes. */
int hb_check_families(const hb_run *run, char *names, const char **ptrs, hb_err *err);

/* Reads the result file at path, judges it by rules and reports as o says.
 * Returns the exit code: 0 nothing failed, 1 a rule failed, 2 the file is
 * unreadable or not a result file (FILE:LINE:COLUMN) or out exists. Prints
 * its own errors. */
int hb_check_result_file(const char *path, const hb_check_rules *rules, const hb_check_cli *o);

#endif
