/* gemm: the GEMM family, D = alpha*A*B + beta*C, row-major (kernels/opencl/gemm.cl
 * states the layout). Shared by our OpenCL kernels (gemm.c), the CLBlast
 * reference row (gemm_clblast.c), the problem list (gemm_problems.c), the
 * tuning grid and cache (gemm_configs.c) and the host reference
 * (gemm_verify.c).
 *
 * Conventions (printed in every result file, json_write.c):
 *  - FLOP per call: 2*M*N*K (one multiply and one add per term; the alpha
 *    and beta scaling, 3*M*N more, is not counted, as in every BLAS
 *    benchmark);
 *  - bytes per call: the minimum any GEMM must move, A and B read once, C
 *    read once and the result written once: (M*K + K*N + 2*M*N) * element
 *    size. A real kernel moves more (re-reads of A or B, write-allocate);
 *    the figure is what lets GEMM sit on the same roofline as stream;
 *  - each timed iteration starts from the same C: our kernels write a
 *    separate D (poisoned with NaN before each configuration, so an element
 *    a kernel fails to write is caught); CLBlast works in place, so C0 is
 *    copied back into C before each call, outside the timed region. */
#ifndef HB_GEMM_H
#define HB_GEMM_H

#include "bench.h"

extern const hb_bench hb_bench_gemm;
#ifdef HB_HAVE_CLBLAST
extern const hb_bench hb_bench_gemm_clblast;
#endif

#define HB_GEMM_ALPHA 1.5
#define HB_GEMM_BETA (-0.5)

/* Kernel algorithms (kernels/opencl/gemm.cl ALGO). */
enum { HB_GEMM_TILE = 1, HB_GEMM_LOCAL = 2, HB_GEMM_DOT = 3, HB_GEMM_PANEL = 4 };

/* One point of the tuning space: gemm.cl's compile-time parameters. */
typedef struct hb_gemm_cfg {
    int algo, tm, tn, vw, wgm, wgn, tk, unroll;
    int nt;              /* non-temporal stores of D (CPU; plain ones where N % vw or f16) */
} hb_gemm_cfg;

/* The host side of verification: reference rows computed once per set-up. */
typedef struct hb_gemm_ref {
    size_t *rows;        /* the rows of D that are checked (all of them when it is cheap) */
    size_t n_rows;
    double *want;        /* n_rows x N reference values */
    double norm;         /* Frobenius norm of want */
    double tol;          /* largest relative Frobenius error accepted */
} hb_gemm_ref;

typedef struct hb_gemm_state {
    int m, n, k;
    cl_mem a, b, c, d;   /* ours: D = alpha*A*B + beta*C; CLBlast: d is the in-place C, c keeps C0 */
    cl_kernel kernel;
    cl_uint dims;
    size_t global[2], local[2];
    hb_gemm_ref ref;
} hb_gemm_state;

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

/* ---- gemm_configs.c ---- */
int hb_gemm_configs(const hb_bench_ctx *ctx, hb_params *out, int max);
void hb_gemm_tuned(hb_bench_ctx *ctx, const hb_params *best);
/* Reads a configuration back; HB_EFAIL if a parameter is missing. */
int hb_gemm_cfg_of(const hb_params *p, hb_gemm_cfg *cfg, hb_err *err);
void hb_gemm_cfg_put(const hb_gemm_cfg *cfg, const char *tuning, hb_params *out);

/* ---- gemm_verify.c ---- */
/* Allocates A, B, C (and D when with_d) on the device, fills A, B and C
 * with fresh random numbers (never zero) and computes the reference rows. */
int hb_gemm_setup_data(hb_bench_ctx *ctx, hb_gemm_state *st, int with_d, hb_err *err);
/* setup/teardown of both GEMM implementations (ours and CLBlast): the same
 * inputs, byte and FLOP counts, so their results compare like for like. */
int hb_gemm_setup(hb_bench_ctx *ctx, hb_err *err);
void hb_gemm_teardown(hb_bench_ctx *ctx);
void hb_gemm_release(hb_gemm_state *st);
/* Reads `out` (M x N) back and checks it: every element finite (a NaN is
 * the poison of an element never written), and the relative Frobenius
 * error of the reference rows within ref.tol. */
int hb_gemm_check(hb_bench_ctx *ctx, hb_gemm_state *st, cl_mem out, int *valid, char *why, size_t len,
                  hb_err *err);
/* The tolerance for a K-term product in ctx->dtype (documented there). */
double hb_gemm_tolerance(const char *dtype, int k);

#endif
