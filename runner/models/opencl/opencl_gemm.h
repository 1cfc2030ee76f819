/* SPDX-License-Identifier: Apache-2.0 */
/* opencl_gemm: our OpenCL GEMM kernels' tuning space (opencl_gemm_configs.c)
 * shared with their launcher (opencl_gemm.c) and the tests. */
#ifndef HB_OPENCL_GEMM_H
#define HB_OPENCL_GEMM_H

#include "gemm.h"
#include "opencl_kernels.h"

/* Kernel algorithms (kernels/opencl/gemm.cl ALGO). */
enum { HB_GEMM_TILE = 1, HB_GEMM_LOCAL = 2, HB_GEMM_DOT = 3, HB_GEMM_PANEL = 4, HB_GEMM_PACKED = 5, HB_GEMM_BLOCKED = 6 };

/* One point of the tuning space: gemm.cl's compile-time parameters. */
typedef struct hb_gemm_cfg {
    int algo, tm, tn, vw, wgm, wgn, tk, unroll;
    int nt;              /* non-temporal stores of D (CPU; plain ones where N % vw or f16) */
} hb_gemm_cfg;

int hb_gemm_configs(const hb_bench_ctx *ctx, hb_params *out, int max);
/* Reads a configuration back; HB_EFAIL if a parameter is missing. */
int hb_gemm_cfg_of(const hb_params *p, hb_gemm_cfg *cfg, hb_err *err);
void hb_gemm_cfg_put(const hb_gemm_cfg *cfg, const char *tuning, hb_params *out);

#endif
