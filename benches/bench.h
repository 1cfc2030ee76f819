/* bench: the descriptor every bench exports. A bench knows its kernels, its
 * buffers, its byte/FLOP counts and how to check its output; it knows
 * nothing of the command line, of timing or of output formats. The runner
 * walks hb_benches[] (bench_table.c) and drives each the same way:
 *
 *   setup -> for each config: prepare, warm-up, timed enqueues, verify -> teardown
 *
 * Adding a bench means adding one file and one line in bench_table.c. */
#ifndef HB_BENCH_H
#define HB_BENCH_H

#include <stddef.h>
#include <stdint.h>

#include "cl_env.h"
#include "hb_error.h"
#include "result.h"

/* prepare() returns this when a configuration cannot run on this device
 * (the compiler rejected a variant, the work-group size is too large, ...):
 * the runner records err->msg as the grid point's note and moves on. */
#define HB_BENCH_SKIP (-1)

typedef struct hb_bench hb_bench;

/* One problem a bench measures: stream kernels use elements; GEMM uses
 * m, n, k (C is m x n, A m x k, B k x n); the roofline sweep uses elements
 * and k (FMAs per element). */
typedef struct hb_problem {
    uint64_t elements;
    uint64_t m, n, k;
    unsigned dims;             /* which of m, n, k apply: HB_DIM_* bits (k = 0 is a roofline point) */
    char label[48];            /* shown in tables: "128.0 MiB", "2048x2048x2048", "k=64" */
} hb_problem;

enum { HB_DIM_M = 1, HB_DIM_N = 2, HB_DIM_K = 4 };

/* Family-specific options from the command line; zero/NULL = defaults. */
typedef struct hb_bench_opts {
    const char *gemm_sizes;    /* --gemm-sizes */
    int retune;                /* --retune: ignore the tuning cache */
    const char *cache_dir;     /* tuning cache folder; NULL: $XDG_CACHE_HOME/hbmbench or ~/.cache/hbmbench */
} hb_bench_opts;

/* What percent_of_peak of a bench's results is of. */
typedef enum hb_peak_basis {
    HB_BASIS_BANDWIDTH = 0,    /* the device's bandwidth peak (stream) */
    HB_BASIS_FLOPS,            /* the FLOP/s peak of the dtype (GEMM, roofline) */
} hb_peak_basis;

typedef struct hb_bench_ctx {
    const hb_bench *bench;
    hb_cl_env *env;
    const hb_device *dev;
    const char *dtype;         /* "f32", "f64", "f16" */
    size_t elem_bytes;         /* 4, 8 or 2 (bytes stored per element) */
    uint64_t elements;         /* elements per array (= problem.elements) */
    hb_problem problem;
    const hb_bench_opts *opts;
    int tune;                  /* 0: default config only, 1: quick grid, 2: full grid */
    double bytes_per_iter;     /* set by setup: counted bytes per iteration */
    double flops_per_iter;     /* set by setup */
    void *state;               /* the bench's own */
} hb_bench_ctx;

struct hb_bench {
    const char *name;          /* "triad" */
    const char *family;        /* "stream" */
    const char *formula;       /* "a = b + s*c", for --help and the JSON */
    double arrays_counted;     /* bytes = arrays_counted * elements * elem_bytes */
    double flops_per_element;
    const char *dtypes;        /* the dtypes it supports, e.g. "f32,f64" or "f32,f64,f16" */

    /* The problems to measure on ctx->dev in ctx->dtype; returns how many
     * (<= max), or -1 with err set (e.g. a bad --gemm-sizes: HB_EUSAGE).
     * NULL: the runner's stream sizing (--size, or the --sweep sizes). */
    int (*problems)(const hb_bench_ctx *ctx, hb_problem *out, int max, hb_err *err);

    /* Writes the tuning grid for ctx->dev and ctx->dtype into out[0..max),
     * returns how many; out[0] is the default when tuning is off. */
    int (*configs)(const hb_bench_ctx *ctx, hb_params *out, int max);
    /* Allocates and initialises buffers; sets bytes/flops per iteration. */
    int (*setup)(hb_bench_ctx *ctx, hb_err *err);
    /* Makes cfg current: kernel, arguments, launch geometry; poisons outputs. */
    int (*prepare)(hb_bench_ctx *ctx, const hb_params *cfg, hb_err *err);
    /* Enqueues one iteration; *ev is its profiling event (caller releases). */
    int (*enqueue)(hb_bench_ctx *ctx, cl_event *ev, hb_err *err);
    /* Checks the output of the iterations since prepare. *valid = 0 with a
     * reason naming the element and the error when the check fails. */
    int (*verify)(hb_bench_ctx *ctx, int *valid, char *why, size_t why_len, hb_err *err);
    void (*teardown)(hb_bench_ctx *ctx);
    /* Told the winning configuration after a tuning sweep (to cache it); may be NULL. */
    void (*tuned)(hb_bench_ctx *ctx, const hb_params *best);

    /* The members below were added after the stream family, whose
     * descriptors initialise by position: each one's zero is the old
     * behaviour. */

    /* Which code is measured: NULL means "hbmbench" (our kernels); a
     * library reference row says which library ("clblast"). Several
     * descriptors may share a name: `--bench gemm` runs each of them. */
    const char *implementation;
    hb_peak_basis basis;
    /* problems() reads ctx->elements, the runner's stream sizing (--size). */
    int uses_stream_size;
    /* Tuning stops after this many seconds (x4 for --tune full), once one
     * configuration has verified; 0: no limit. */
    double tune_budget_s;
    /* The problem to tune on when it is not the one measured (GEMM tunes
     * each shape class once, at a representative size, and caches the
     * winner). Returns 1 with *out filled, or 0 to tune on ctx->problem.
     * May be NULL. */
    int (*tune_problem)(const hb_bench_ctx *ctx, hb_problem *out);
    /* For code that cannot give one profiling event per iteration (a
     * library that launches several kernels and returns the last one's
     * event): runs one iteration, finished, and measures it with the host
     * clock. When set, enqueue is not used and the timer is "host-clock". */
    int (*run_timed)(hb_bench_ctx *ctx, double *seconds, hb_err *err);
};

/* NULL-terminated, in the order benches run by default. */
extern const hb_bench *const hb_benches[];

/* Finds a bench by exact name, NULL if none (the first of that name:
 * our implementation comes before library reference rows). */
const hb_bench *hb_bench_find(const char *name);
/* "hbmbench" unless the descriptor names a library. */
const char *hb_bench_impl(const hb_bench *b);

#endif
