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

/* The value kernel `kind` writes at element i (array kernels only). */
float hb_stream_expected_f32(hb_stream_kind kind, uint64_t i);
double hb_stream_expected_f64(hb_stream_kind kind, uint64_t i);
/* The exact sum a reduction computes over elements [lo, lo + n), in long double. */
long double hb_stream_expected_sum(hb_stream_kind kind, hb_dtype dtype, uint64_t lo, uint64_t n);

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
    void *expected;            /* array kernels: expected output, NULL if it did not fit */
    long double expected_sum;  /* reductions */
} hb_stream_data;

extern const hb_family hb_family_stream;

/* The buffer for the n partial sums a reduction's kernels leave: grown to
 * the largest n asked for, owned by the bench (released with its data), and
 * set as d->partial with n_partials = n. NULL with err set when the
 * allocation fails. */
hb_buf *hb_stream_partials(hb_bench_ctx *ctx, size_t n, hb_err *err);

/* stream_verify.c: the check after a configuration's iterations (hb_bench.verify). */
int hb_stream_verify(hb_bench_ctx *ctx, int *valid, char *why, size_t why_len, hb_err *err);

#endif
