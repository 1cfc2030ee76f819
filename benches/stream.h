/* SPDX-License-Identifier: Apache-2.0 */
/* stream: the STREAM-like kernels, described once. HB_STREAM_KERNELS is the
 * one table of what each kernel reads, writes and computes (the role of
 * BabelStream's benchmark table in src/main.cpp); the bench descriptors,
 * every model's kernel dispatch, the expected values and the printed byte
 * convention are all derived from it.
 *
 * Conventions, as in STREAM (stream.c header) and BabelStream: bytes
 * counted per iteration are the arrays a kernel reads plus the array it
 * writes, times elements times element size; the extra read a
 * write-allocate cache does for a plain store is not counted. Each kernel
 * runs alone on freshly initialised inputs (stream_values.h), so every
 * iteration computes the same values and the check after the timed
 * iterations is exact for the array kernels; reductions are checked within
 * a rounding bound (stream.c). */
#ifndef HB_STREAM_H
#define HB_STREAM_H

#include <stdint.h>

#include "bench.h"
#include "stream_values.h"

/* Arrays by index: 0 = a, 1 = b, 2 = c; READS is a bit mask of them. */
enum { HB_ARR_A = 1u << 0, HB_ARR_B = 1u << 1, HB_ARR_C = 1u << 2 };

/*        ID     name   formula          READS                WRITES  FLOP/elem  reduction */
#define HB_STREAM_KERNELS(X)                                                                  \
    X(COPY,  copy,  "c = a",       HB_ARR_A,             2,  0, 0)                        \
    X(SCALE, scale, "b = s*c",     HB_ARR_C,             1,  1, 0)                        \
    X(ADD,   add,   "c = a + b",   HB_ARR_A | HB_ARR_B,  2,  1, 0)                        \
    X(TRIAD, triad, "a = b + s*c", HB_ARR_B | HB_ARR_C,  0,  2, 0)                        \
    X(DOT,   dot,   "sum(a*b)",    HB_ARR_A | HB_ARR_B, -1,  2, 1)                        \
    X(READ,  read,  "sum(a)",      HB_ARR_A,            -1,  1, 1)                        \
    X(WRITE, write, "a = s",       0,                    0,  0, 0)

typedef enum hb_stream_kind {
#define HB_STREAM_ENUM(ID, name, formula, reads, writes, flops, reduction) HB_##ID,
    HB_STREAM_KERNELS(HB_STREAM_ENUM)
#undef HB_STREAM_ENUM
    HB_STREAM_NKINDS
} hb_stream_kind;

typedef struct hb_stream_fact {
    hb_stream_kind kind;
    const char *name;
    const char *formula;
    unsigned reads;            /* HB_ARR_* mask of arrays read */
    int writes;                /* array written, -1 for reductions */
    int flops;                 /* floating-point operations per element */
    int reduction;             /* 1: the result is one sum */
} hb_stream_fact;

extern const hb_stream_fact hb_stream_facts[HB_STREAM_NKINDS];

/* Arrays counted per element: those read plus the one written. */
int hb_stream_arrays(const hb_stream_fact *f);
/* The fact of a stream bench (NULL for a bench of another family). */
const hb_stream_fact *hb_stream_fact_of(const hb_bench *b);

/* What array kernel `kind` writes at element i, as an expression of the
 * index (runner/core/values.h), and evaluated on the host. */
hb_values_expr hb_stream_expr(hb_stream_kind kind);
float hb_stream_expected_f32(hb_stream_kind kind, uint64_t i);
double hb_stream_expected_f64(hb_stream_kind kind, uint64_t i);
/* The seeds of the arrays a reduction multiplies (seeds[1] 0: it sums one). */
void hb_stream_sum_seeds(hb_stream_kind kind, unsigned seeds[2]);
/* The exact sum a reduction computes over elements [lo, lo + n), rounded once to long double. */
long double hb_stream_expected_sum(hb_stream_kind kind, hb_dtype dtype, uint64_t lo, uint64_t n);

/* Where the output is checked (--verify): by the model's own kernels on
 * the device (the default), by the host reading every element back (the
 * cross-check the device check replaced), or both, which must agree. */
typedef enum hb_verify_mode { HB_VERIFY_DEVICE, HB_VERIFY_HOST, HB_VERIFY_BOTH } hb_verify_mode;

/* What the stream bench keeps between its steps (ctx->data); the kernels of
 * each model read the arrays and fill the reduction fields in prepare. */
typedef struct hb_stream_data {
    const hb_stream_fact *f;
    hb_buf buf[3];             /* a, b, c; handle 0 where the kernel does not use it */
    /* Reductions: the partial sums the kernel leaves (count, in a buffer the
     * kernels own) and the longest chain of roundings in any one of them,
     * added to summing the partials on the host, for the error bound. */
    const hb_buf *partial;
    size_t n_partials;
    hb_buf partial_buf;        /* what partial points at (hb_stream_partials) */
    size_t partial_cap;        /* sums it holds */
    double chain;
    long double expected_sum;  /* reductions: the exact sum, from setup */
    hb_verify_mode verify_mode;
} hb_stream_data;

extern const hb_family hb_family_stream;

/* The buffer for the n partial sums a reduction's kernels leave: grown to
 * the largest n asked for, owned by the bench (released with its data), and
 * set as d->partial with n_partials = n. NULL with err set when the
 * allocation fails. */
hb_buf *hb_stream_partials(hb_bench_ctx *ctx, size_t n, hb_err *err);

/* stream_verify.c: the family's options (--verify) and the mode they give
 * (HB_EUSAGE for a bad value); the reference sum of a reduction, computed
 * where the mode says, at setup; the check after a configuration's
 * iterations (hb_bench.verify). */
extern const hb_option hb_stream_options[];
int hb_stream_verify_mode(const hb_bench_opts *opts, hb_verify_mode *out, hb_err *err);
int hb_stream_reference_sum(hb_bench_ctx *ctx, hb_err *err);
int hb_stream_verify(hb_bench_ctx *ctx, int *valid, char *why, size_t why_len, hb_err *err);

#endif
