/* SPDX-License-Identifier: Apache-2.0 */
/* run_opts: the options of `hbmbench run`, parsed and checked before any
 * device is touched, so bad usage costs nothing and writes nothing. The
 * options of bench families and of models' kernels (--gemm-sizes,
 * --host-stores, ...) come from their descriptors. */
#ifndef HB_RUN_OPTS_H
#define HB_RUN_OPTS_H

#include "peak.h"
#include "run_devices.h"

enum hb_format { HB_FORMAT_TABLE, HB_FORMAT_JSON, HB_FORMAT_CSV };

typedef struct hb_run_opts {
    const char *device;          /* selector, NULL = default */
    hb_run_plan plan;            /* benches, dtypes, sizes, iterations, family options */
    hb_peak_opts peaks;
    const char *out;             /* NULL: results/<hostname>-<UTC>.json */
    int force, help;
    enum hb_format format;
    const char *impl_arg;        /* --impl as given */
    int check;                   /* --check: judge the result file once written */
    const char *rules;           /* --rules FILE for --check; NULL: the built-in rules */
    const char *model_arg;       /* --model as given */
    int progress;                /* --progress: progress lines on stderr even when it is not a terminal */
    const char *build_log;       /* --build-log FILE; NULL: beside the result file (none with --out -) */
    char command_line[1024];
    char bench_buf[256], dtype_buf[64], impl_buf[64], model_buf[64];
} hb_run_opts;

/* The --help text (built from the descriptors once). */
const char *hb_run_usage(void);

/* Fills o from argv (argv[0] is "run"); o->help set for --help. */
int hb_run_opts_parse(int argc, char **argv, hb_run_opts *o, hb_err *err);
/* Warnings about options that parse but change nothing (a family's option
 * while none of its benches is selected), on stderr; called once per run,
 * not by every parse (an MPI run parses twice). */
void hb_run_opts_warn(const hb_run_opts *o);

#endif
