/* SPDX-License-Identifier: Apache-2.0 */
/* gemm: the GEMM family, D = alpha*A*B + beta*C, row-major. What is
 * measured is here and in gemm_problems.c (which shapes), gemm_verify.c
 * (the inputs and the check against a host reference) and gemm.c (the
 * descriptor and the family's conventions); how a model computes it is in
 * runner/models/<model>/ (OpenCL: our kernels and CLBlast).
 *
 * Conventions (printed in every result file):
 *  - FLOP per call: 2*M*N*K (one multiply and one add per term; the alpha
 *    and beta scaling, 3*M*N more, is not counted, as in every BLAS
 *    benchmark);
 *  - bytes per call: the minimum any GEMM must move, A and B read once, C
 *    read once and the result written once: (M*K + K*N + 2*M*N) * element
 *    size. A real kernel moves more (re-reads of A or B, write-allocate);
 *    the figure is what lets GEMM sit on the same roofline as stream;
 *  - each timed iteration starts from the same C: kernels write a separate
 *    D (poisoned with NaN before each configuration, so an element a
 *    kernel fails to write is caught); a library that works in place copies
 *    C into D before each call, outside the timed region. */
#ifndef HB_GEMM_H
#define HB_GEMM_H

#include "bench.h"

#define HB_GEMM_ALPHA 1.5
#define HB_GEMM_BETA (-0.5)

/* The host side of verification: reference rows computed once per set-up. */
typedef struct hb_gemm_ref {
    size_t *rows;        /* the rows of D that are checked (all of them when it is cheap) */
    size_t n_rows;
    double *want;        /* n_rows x N reference values */
    double norm;         /* Frobenius norm of want */
    double tol;          /* largest relative Frobenius error accepted */
} hb_gemm_ref;

/* ctx->data of a GEMM: the problem, its four matrices on the device, the reference. */
typedef struct hb_gemm_data {
    int m, n, k;
    hb_buf a, b, c, d;   /* D = alpha*A*B + beta*C; a library working in place uses d as C */
    hb_gemm_ref ref;
} hb_gemm_data;

extern const hb_family hb_family_gemm;
extern const hb_bench hb_bench_gemm;

/* ---- gemm_problems.c ---- */
/* Parses --gemm-sizes: comma-separated items "N" (N x N x N) or "MxNxK",
 * each a positive integer below 2^31. HB_EUSAGE with a message naming the
 * item on anything else (0, -3, "abc", "10x", "1x2x3x4", an empty item). */
int hb_gemm_parse_sizes(const char *text, hb_problem *out, int max, int *n, hb_err *err);
/* The problems for ctx->dev and ctx->dtype: --gemm-sizes, or the default
 * square sweep plus a skinny (M = N large, K small) and a GEMV-like (N = 1)
 * shape, keeping those that fit the device. */
int hb_gemm_problems(const hb_bench_ctx *ctx, hb_problem *out, int max, hb_err *err);
/* "square", "skinny" (K*8 <= min(M, N)) or "gemv" (N < 8). */
const char *hb_gemm_shape(const hb_problem *p);
/* The problem a shape class is tuned on (bench->tune_problem). */
int hb_gemm_tune_problem(const hb_bench_ctx *ctx, hb_problem *out);
void hb_gemm_label(hb_problem *p);

/* ---- gemm_verify.c ---- */
/* Allocates A, B, C and D through the model, fills A, B and C with fresh
 * random numbers (never zero) and computes the reference rows. */
int hb_gemm_setup(hb_bench_ctx *ctx, hb_err *err);
void hb_gemm_teardown(hb_bench_ctx *ctx);
int hb_gemm_poison(hb_bench_ctx *ctx, hb_err *err);
/* Reads D back and checks it: every element finite (a NaN is the poison of
 * an element never written), and the relative Frobenius error of the
 * reference rows within ref.tol. */
int hb_gemm_verify(hb_bench_ctx *ctx, int *valid, char *why, size_t len, hb_err *err);

#endif
