/* SPDX-License-Identifier: Apache-2.0 */
/* cuda_kernels: how the cuda model runs each bench family (one hb_kernels
 * per file), and its discovery. Private to the model. */
#ifndef HB_CUDA_KERNELS_H
#define HB_CUDA_KERNELS_H

#include "bench.h"
#include "cuda_env.h"

extern const hb_kernels hb_cu_stream_kernels;   /* cuda_stream.c */
extern const hb_kernels hb_cu_cublas_kernels;   /* cuda_cublas.c */
extern const hb_kernels hb_cu_latency_kernels;  /* cuda_latency.c */

/* cuda_discover.c */
int hb_cu_discover(hb_device_list *list, char *status, size_t status_len, hb_err *err);

/* "0000:65:00.0" from cuDeviceGetPCIBusId's text ("[domain]:[bus]:[device].[function]",
 * hexadecimal; CUDA Driver API, "Device Management"): the spelling the
 * OpenCL model writes, so both find one device. 0 on a malformed id. */
int hb_cu_parse_pci(const char *text, hb_device *dev);

#endif
