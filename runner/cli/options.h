/* SPDX-License-Identifier: Apache-2.0 */
/* options: a command's options, each declared once (fio's option table is
 * the model: name, argument, help, default, range), parsed by one parser
 * and shown by one --help writer. Every command has its table: run
 * (run_opts.c, with the families' and kernels' hb_option rows appended),
 * list (cmd_list.c), compare (cmd_compare.c), check (cmd_check.c) and the
 * MPI build's run options (runner/cluster/cluster_opts.c). The docs'
 * option tables are held to these by tests/options_doc.py. */
#ifndef HB_OPTIONS_H
#define HB_OPTIONS_H

#include <stddef.h>
#include <stdio.h>

#include "hb_error.h"

typedef enum hb_opt_kind {
    HB_OPT_FLAG,               /* no value */
    HB_OPT_TEXT,               /* any non-empty value (check, when set, judges it) */
    HB_OPT_INT,                /* a whole number from lo to hi */
    HB_OPT_NUM,                /* a number from lo (above it when lo_open) to hi */
    HB_OPT_CHOICE,             /* one of choices; the handler gets its index */
} hb_opt_kind;

typedef struct hb_opt {
    const char *name;          /* without "--" */
    const char *arg;           /* the placeholder ("N", "FILE"); NULL for a flag */
    hb_opt_kind kind;
    /* The --help text: lines after the first are indented to the first's
     * column. One "%s" is replaced by what fill writes (a list that comes
     * from the tables: benches, implementations, models). */
    const char *help;
    const char *def;           /* the default as --help shows it; NULL: none */
    double lo, hi;             /* HB_OPT_INT, HB_OPT_NUM */
    int lo_open;               /* HB_OPT_NUM: lo itself is refused */
    const char *const *choices; /* HB_OPT_CHOICE, NULL-ended */
    int id;                    /* the command's code for it, given to the handler */
    int (*check)(const char *value, hb_err *err);   /* HB_OPT_TEXT: optional */
    void (*fill)(char *buf, size_t len);            /* help's "%s"; NULL: none */
} hb_opt;

/* Called for each option given, in order: value is its text (NULL for a
 * flag), number the parsed number (HB_OPT_INT, HB_OPT_NUM) or the choice's
 * index (HB_OPT_CHOICE). A non-zero return stops the parse with it. */
typedef int (*hb_opt_handler)(void *ctx, const hb_opt *opt, const char *value, double number, hb_err *err);

/* Parses argv[1..argc) by opts[0..n) (argv[0] is the command's name).
 * Options and operands may mix, "--" ends the options, "--name=VALUE"
 * works, -h and --help set *help and stop. The operands (file names) go
 * to operands[0..max) and their count to *n_operands; NULL operands: none
 * allowed. Bad usage (an unknown option, a missing or bad value, too many
 * operands) is HB_EUSAGE with a message naming it. */
int hb_opts_parse(const hb_opt *opts, size_t n, int argc, char **argv, hb_opt_handler handler, void *ctx,
                  const char **operands, int max_operands, int *n_operands, int *help, hb_err *err);

/* Whether v is a good value of o, by its kind (and its check); *number
 * gets the number or the choice's index. HB_EUSAGE with a message naming
 * the option. For callers that find the option themselves (the MPI
 * options, taken out of run's command line). */
int hb_opt_value(const hb_opt *o, const char *v, double *number, hb_err *err);

/* The option lines of --help, one entry per option: "  --name ARG" then
 * its help from column 21, its range and default appended ("(1 to 100000;
 * default 20)"), then, with_help, "  -h, --help        this text".
 * Returns the length written (truncated to len). */
size_t hb_opts_help(const hb_opt *opts, size_t n, int with_help, char *buf, size_t len);
/* A command's --help text to f: head, the option lines (with -h, --help), tail. */
void hb_opts_usage(FILE *f, const char *head, const hb_opt *opts, size_t n, const char *tail);

#endif
