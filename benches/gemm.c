/* SPDX-License-Identifier: Apache-2.0 */
/* gemm: the GEMM bench descriptor and the family's option and conventions. */
#include <stdio.h>

#include "gemm.h"

static int check_sizes(const char *value, hb_err *err)
{
    hb_problem probs[64];
    int n;
    return hb_gemm_parse_sizes(value, probs, 64, &n, err);
}

static const hb_option gemm_options[] = {
    {"gemm-sizes", "LIST",
     "GEMM problems: N (N x N x N) or MxNxK items, comma-\n"
     "separated, e.g. 512,1024,2048 or 4096x4096x16,4096x1x4096.\n"
     "Default: a square sweep, a skinny and a GEMV-like shape", check_sizes},
    {NULL, NULL, NULL, NULL},
};

static void gemm_conventions(char *buf, size_t len)
{
    snprintf(buf, len, "D = alpha*A*B + beta*C, row-major, alpha %.1f, beta %.1f; FLOP = 2*M*N*K per call; "
             "bytes = the minimum, (M*K + K*N + 2*M*N) * element size (A, B read once, C read once, the result "
             "written once); percent_of_peak is of the FLOP/s peak of the dtype (f16: fp32)",
             HB_GEMM_ALPHA, HB_GEMM_BETA);
}

const hb_family hb_family_gemm = {
    .name = "gemm", .figure = &hb_figure_flops, .options = gemm_options, .conventions_key = "gemm", .conventions = gemm_conventions,
};

const hb_bench hb_bench_gemm = {
    .name = "gemm", .family = &hb_family_gemm, .formula = "D = alpha*A*B + beta*C (row-major)",
    .dtypes = HB_DTYPE_BIT(HB_F32) | HB_DTYPE_BIT(HB_F64) | HB_DTYPE_BIT(HB_F16),
    .problems = hb_gemm_problems, .tune_budget_s = 60, .tune_problem = hb_gemm_tune_problem,
    .setup = hb_gemm_setup, .poison = hb_gemm_poison, .verify = hb_gemm_verify, .teardown = hb_gemm_teardown,
};
