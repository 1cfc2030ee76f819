/* SPDX-License-Identifier: Apache-2.0 */
/* opencl_kernels: how the OpenCL model runs each bench family (one
 * hb_kernels per file), and its discovery. Private to the model. */
#ifndef HB_OPENCL_KERNELS_H
#define HB_OPENCL_KERNELS_H

#include "bench.h"
#include "cl_env.h"

extern const hb_kernels hb_cl_stream_kernels;   /* opencl_stream.c */
extern const hb_kernels hb_cl_gemm_kernels;     /* opencl_gemm.c */
#ifdef HB_HAVE_CLBLAST
extern const hb_kernels hb_cl_clblast_kernels;  /* opencl_clblast.c */
#endif
extern const hb_kernels hb_cl_roofline_kernels; /* opencl_roofline.c */
extern const hb_kernels hb_cl_transfer_kernels; /* opencl_transfer.c */
extern const hb_kernels hb_cl_latency_kernels;  /* opencl_latency.c */

/* opencl_discover.c */
int hb_cl_discover(hb_device_list *list, char *status, size_t status_len, hb_err *err);

/* opencl_stream_configs.c: the stream tuning grid of an OpenCL device. */
int hb_cl_stream_configs(const hb_bench_ctx *ctx, hb_params *out, int max);

#endif
