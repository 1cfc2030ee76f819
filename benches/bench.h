/* SPDX-License-Identifier: Apache-2.0 */
/* bench: what is measured, apart from how. Three descriptors meet here:
 *
 *  hb_bench    one benchmark (triad, gemm, roofline): its problems, its
 *              data (allocated and checked through the model's buffer
 *              calls, so the same check serves every model), its byte and
 *              FLOP counts. benches/, one file per family.
 *  hb_family   what a family of benches shares: its options, the
 *              conventions printed with its figures, derived summaries.
 *  hb_kernels  how one model runs one family's kernels: the tuning grid,
 *              compiling and launching; runner/models/<model>/.
 *
 * The driver (runner/driver/measure.c) walks hb_benches[] (bench_table.c)
 * and, for each, the hb_kernels of the device's model with the same family:
 *
 *   bench.setup -> for each config: kernels.prepare, bench.poison, warm-up,
 *   timed kernels.launch, bench.verify -> kernels.teardown, bench.teardown
 *
 * It knows no bench, family or model by name. Adding a bench family means a
 * file here, a line in bench_table.c, and an hb_kernels in each model that
 * can run it (docs/ARCHITECTURE.md). */
#ifndef HB_BENCH_H
#define HB_BENCH_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dtype.h"
#include "figure.h"
#include "hb_error.h"
#include "model.h"
#include "place.h"
#include "result.h"
#include "run.h"

/* A configuration that cannot run on this device (the compiler rejected a
 * variant, the work-group is too large, ...): kernels.prepare returns it,
 * the driver records err->msg as the grid point's note and moves on. */
#define HB_BENCH_SKIP (-1)

typedef struct hb_bench hb_bench;
typedef struct hb_kernels hb_kernels;

/* One problem: stream kernels use elements; GEMM uses m, n, k (C is m x n,
 * A m x k, B k x n); the roofline sweep uses elements and k (FMAs per element). */
typedef struct hb_problem {
    uint64_t elements;
    uint64_t m, n, k;
    unsigned dims;             /* which of m, n, k apply: HB_DIM_* bits (k = 0 is a roofline point) */
    unsigned variant;          /* the family's own dimension beyond the size (transfer: host memory and
                                * API, benches/transfer.h); 0 for the others */
    char label[48];            /* shown in tables: "128.0 MiB", "2048x2048x2048", "k=64" */
} hb_problem;

enum { HB_DIM_M = 1, HB_DIM_N = 2, HB_DIM_K = 4 };

/* The options that families and kernels declare, as given on the command
 * line (pointers into argv); the runner records each in the result file. */
#define HB_MAX_BENCH_OPTS 16
typedef struct hb_bench_opts {
    int n;
    const char *name[HB_MAX_BENCH_OPTS];   /* "gemm-sizes" */
    const char *value[HB_MAX_BENCH_OPTS];  /* "512,1024"; "" for a flag */
    const char *cache_dir;     /* tuning cache folder; NULL: $XDG_CACHE_HOME/hbmbench or ~/.cache/hbmbench */
    const char *kernel_dir;    /* --kernel-dir, NULL: the embedded kernels (the tuning cache's key hashes them) */
} hb_bench_opts;

/* The value given for option `name`, NULL when not given. */
const char *hb_bench_opt(const hb_bench_opts *o, const char *name);

/* An option of `hbmbench run` that a family or a model's kernels declare. */
typedef struct hb_option {
    const char *name;          /* long option without "--": "gemm-sizes" */
    const char *arg;           /* "LIST", or NULL for a flag */
    const char *help;          /* the --help text after the option, lines joined by '\n' */
    /* Checks a value before any device is touched; HB_EUSAGE with a message
     * naming the option. NULL: any value. */
    int (*check)(const char *value, hb_err *err);
} hb_option;

typedef struct hb_family {
    const char *name;          /* "stream" */
    /* What its results' number is (runner/core/figure.h): name, unit,
     * direction, how it is computed from the timed samples, its peak. A
     * bench may declare its own (hb_bench.figure). */
    const hb_figure *figure;
    int in_default_set;        /* its benches run when --bench is not given */
    const hb_option *options;  /* NULL-terminated by name; NULL: none */
    /* Its counting convention: the key in the result file's "conventions"
     * object, and the text (also printed above the table, as "# " lines). */
    const char *conventions_key;
    void (*conventions)(char *buf, size_t len);
    /* Derived records, written as the top-level array `summary_key` of the
     * result file and printed under the table. NULL: none. */
    const char *summary_key;
    size_t (*summarize)(const hb_run *run, hb_params *out, size_t max);
    void (*print_summary)(FILE *f, const hb_params *rec);
} hb_family;

typedef struct hb_bench_ctx {
    const hb_bench *bench;
    const hb_kernels *kernels;
    const hb_model *model;
    hb_model_env *env;
    const hb_device *dev;
    hb_dtype dtype;
    size_t elem_bytes;         /* hb_dtype_bytes(dtype) */
    uint64_t elements;         /* elements per array (= problem.elements) */
    hb_problem problem;
    const hb_bench_opts *opts;
    const hb_place *place;     /* binding threads and memory to NUMA nodes; NULL outside the driver */
    int tune;                  /* 0: default config only, 1: quick grid, 2: full grid */
    double bytes_per_iter;     /* set by bench.setup: counted bytes per iteration */
    double flops_per_iter;     /* set by bench.setup */
    double ops_per_iter;       /* set by bench.setup: the family's own counted operations (HB_COUNT_OPS) */
    /* Set by bench.setup: facts about the data the result records in its
     * config beside the configuration (the transfer family's placement),
     * and a sentence for its notes ("" for none). */
    hb_params facts;
    char note[256];
    void *data;                /* the bench's: buffers, expected values (benches/<family>.h) */
    void *state;               /* the kernels': compiled kernel, geometry (runner/models/) */
} hb_bench_ctx;

struct hb_bench {
    const char *name;          /* "triad" */
    const hb_family *family;
    const char *formula;       /* "a = b + s*c", for --help and the JSON */
    /* HB_DTYPE_BIT()s of the dtypes it defines; 0: untyped (a pointer chase
     * moves indices, not a dtype's values): measured once per device and
     * model, whatever --dtype says, with dtype "" in the result (JSON null). */
    unsigned dtypes;
    const hb_figure *figure;   /* NULL: the family's */
    int directions;            /* HB_BASIS_LINK: link directions used at once (bidir 2; 0 means 1), which the
                                * per-direction link peak is multiplied by */
    const void *facts;         /* the family's per-bench facts (stream: hb_stream_fact) */

    /* The problems to measure on ctx->dev in ctx->dtype; returns how many
     * (<= max), or -1 with err set (HB_EUSAGE for a bad option).
     * NULL: the runner's stream sizing (--size, or the --sweep sizes). */
    int (*problems)(const hb_bench_ctx *ctx, hb_problem *out, int max, hb_err *err);
    /* problems() reads ctx->elements, the runner's stream sizing (--size). */
    int uses_stream_size;
    /* Tuning stops after this many seconds (x4 for --tune full), once one
     * configuration has verified; 0: no limit. */
    double tune_budget_s;
    /* The problem to tune on when it is not the one measured (GEMM tunes
     * each shape class once, at a representative size, and caches the
     * winner); 1 with *out filled, or 0 to tune on ctx->problem. May be NULL. */
    int (*tune_problem)(const hb_bench_ctx *ctx, hb_problem *out);

    /* Allocates and initialises ctx->data through ctx->model; sets bytes
     * and FLOPs per iteration. */
    int (*setup)(hb_bench_ctx *ctx, hb_err *err);
    /* After kernels.prepare: poisons the outputs, so an element a kernel
     * failed to write is caught. */
    int (*poison)(hb_bench_ctx *ctx, hb_err *err);
    /* Checks the output of the iterations since prepare. *valid = 0 with a
     * reason naming the element and the error when the check fails. */
    int (*verify)(hb_bench_ctx *ctx, int *valid, char *why, size_t why_len, hb_err *err);
    void (*teardown)(hb_bench_ctx *ctx);
};

struct hb_kernels {
    const char *family;        /* the family it runs: "stream" */
    const char *implementation; /* "hbmbench" (our kernels) or a library's name ("clblast") */
    unsigned dtypes;           /* HB_DTYPE_BIT()s it runs */
    /* The results' "family" when not the bench's (the host model writes
     * "host-stream", as result files have since schema 1). NULL: the bench's. */
    const char *result_family;
    /* The results' "timer" when not the model's (a self-timed library). */
    const char *timer;
    const hb_option *options;  /* NULL-terminated; NULL: none */

    /* Whether they can run at all (a library loaded at run time, such as
     * cuBLAS); 0 with why: the driver does not run them, and says why.
     * NULL: always. */
    int (*available)(const hb_bench_ctx *ctx, char *why, size_t why_len);

    /* The tuning grid for ctx->dev and ctx->dtype into out[0..max); returns
     * how many; out[0] is the default when tuning is off. */
    int (*configs)(const hb_bench_ctx *ctx, hb_params *out, int max);
    /* Makes cfg current: kernel, arguments, geometry. HB_BENCH_SKIP when
     * the device cannot run it. */
    int (*prepare)(hb_bench_ctx *ctx, const hb_params *cfg, hb_err *err);
    /* Launches one iteration; slot >= 0 records its time there
     * (hb_model.timer_begin), slot < 0 is a warm-up. */
    int (*launch)(hb_bench_ctx *ctx, int slot, hb_err *err);
    /* Instead of launch, for code that cannot be timed per iteration by the
     * driver's slots (a library running several kernels per call; a copy
     * made of several commands): one whole iteration, finished, and its
     * seconds by the clock `timer` names (the model's when NULL). */
    int (*run_timed)(hb_bench_ctx *ctx, double *seconds, hb_err *err);
    /* Releases ctx->state. */
    void (*teardown)(hb_bench_ctx *ctx);
};

/* NULL-terminated, in the order benches run by default. */
extern const hb_bench *const hb_benches[];
/* Every family, NULL-terminated, in table order. */
extern const hb_family *const hb_families[];

/* Finds a bench by exact name, NULL if none. */
const hb_bench *hb_bench_find(const char *name);
/* Whether the bench defines dtype t (an untyped bench defines none). */
int hb_bench_has_dtype(const hb_bench *b, hb_dtype t);
/* The figure its results report: its own, else its family's. */
const hb_figure *hb_bench_figure(const hb_bench *b);

#endif
