/* SPDX-License-Identifier: Apache-2.0 */
/* env: the one place hbmbench reads its environment. Every variable it
 * reads is a row of one table (name, what it takes, what it does, how it is
 * checked); `run --help` and `list --help` print the table, README's
 * "Environment variables" lists the same names (tests/options_doc.py), and
 * run and list check every variable that is set before anything is
 * touched, as they check options: a bad value is exit 2 naming the
 * variable. A variable set to "" is taken as unset (as a shell's
 * `VAR= cmd` means). */
#ifndef HB_ENV_H
#define HB_ENV_H

#include <stdio.h>

#include "hb_error.h"

typedef struct hb_env_var {
    const char *name;
    const char *arg;           /* what it takes: "N", "SECONDS", "FILE", "DIR", "SPEC" */
    const char *help;          /* one line */
    /* Checks a value (set, not empty); HB_EUSAGE naming the variable.
     * NULL: any value (a path, checked where it is used, which says why it
     * could not be used). */
    int (*check)(const char *name, const char *value, hb_err *err);
} hb_env_var;

/* The table, ended by a row whose name is NULL. */
extern const hb_env_var hb_env_vars[];

/* The value of a variable of the table; NULL when it is unset or "". A
 * name that is not in the table is never read: NULL. */
const char *hb_env(const char *name);

/* Checks every variable of the table that is set; one variable. */
int hb_env_check_all(hb_err *err);
int hb_env_check(const char *name, hb_err *err);

/* A variable's value as a whole number or a number of seconds, checked as
 * its row says; `unset` when it is unset or (a check not yet run) bad. */
long hb_env_int(const char *name, long unset);
double hb_env_seconds(const char *name, double unset);

/* The table for --help: "Environment variables:" and a line per row. */
void hb_env_help(FILE *f);

#endif
