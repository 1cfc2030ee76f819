/* run_opts: the options of `hbmbench run`, parsed and checked before any
 * device is touched, so bad usage costs nothing and writes nothing. */
#ifndef HB_RUN_OPTS_H
#define HB_RUN_OPTS_H

#include "bench.h"
#include "parse.h"
#include "peak.h"

enum hb_format { HB_FORMAT_TABLE, HB_FORMAT_JSON, HB_FORMAT_CSV };

typedef struct hb_run_opts {
    const char *device;          /* selector, NULL = default */
    const char *benches[16];
    int n_benches;
    const char *dtypes[4];
    int n_dtypes;
    hb_size size;
    int iters, warmup, tune_iters, tune;
    hb_peak_opts peaks;
    const char *out;             /* NULL: results/<hostname>-<UTC>.json */
    int force, quiet, help;
    enum hb_format format;
    const char *kernel_dir;
    int host_plain_stores;       /* host baseline with ordinary stores */
    int sweep;                   /* --sweep: stream kernels over array sizes */
    hb_bench_opts bench_opts;
    const char *impls[4];        /* --gemm-impl; none: every implementation built in */
    int n_impls;
    const char *impl_arg;
    char command_line[1024];
    char bench_buf[256], dtype_buf[64], impl_buf[64];
} hb_run_opts;

extern const char hb_run_usage[];

/* Fills o from argv (argv[0] is "run"); o->help set for --help. */
int hb_run_opts_parse(int argc, char **argv, hb_run_opts *o, hb_err *err);

#endif
