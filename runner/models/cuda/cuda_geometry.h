/* SPDX-License-Identifier: Apache-2.0 */
/* cuda_geometry: the arithmetic of the cuda model's stream kernels, apart
 * from any GPU so the tests check it on machines without one: the tuning
 * grid, the grid size from the SM count and the occupancy, an occupancy
 * estimate, the rounding chain of a reduction, and the packing of kernel
 * arguments for cuLaunchKernel. */
#ifndef HB_CUDA_GEOMETRY_H
#define HB_CUDA_GEOMETRY_H

#include <stddef.h>
#include <stdint.h>

#include "result.h"

/* What the kernels' geometry depends on (cuDeviceGetAttribute). */
typedef struct hb_cu_limits {
    int sms;                   /* CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT */
    int max_threads_per_block;
    int max_threads_per_sm;
    int max_blocks_per_sm;     /* 0: unknown (the attribute exists since CUDA 11.0) */
    int regs_per_sm;           /* 32-bit registers */
    size_t smem_per_sm;        /* bytes */
    unsigned max_grid_x;       /* blocks in x */
    int cc_major, cc_minor;
} hb_cu_limits;

/* One configuration of a stream kernel (kernels/cuda/stream.cu's options
 * and the block size). */
typedef struct hb_cu_stream_cfg {
    int block;                 /* threads per block, a multiple of 32 */
    int vec;                   /* elements per access: 1, 2, 4 (f64: 1, 2) */
    int ilp;                   /* vectors in flight per thread per step: 1, 2, 4 */
    int loop;                  /* 1: grid-stride loop, 0: one pass */
    int atomic;                /* reductions: 1 atomicAdd into one sum, 0 a partial sum per block */
} hb_cu_stream_cfg;

/* The tuning grid into out[0..max): tune 0 the default only, 1 a quick
 * list, 2 every combination; returns how many. out[0] is the default. */
int hb_cu_stream_grid(int reduction, int f64, int tune, hb_cu_stream_cfg *out, int max);

/* The configuration as result parameters (block, vec, ilp, loop, and for
 * reductions reduce), and back; HB_EFAIL when one is missing or unknown. */
void hb_cu_cfg_put(const hb_cu_stream_cfg *c, int reduction, hb_params *out);
int hb_cu_cfg_get(const hb_params *p, int reduction, hb_cu_stream_cfg *c);

/* NVRTC's -D options for stream.cu, space-separated ("-DHB_F64=0 -DHB_VEC=4 ..."). */
void hb_cu_cfg_defines(const hb_cu_stream_cfg *c, int f64, char *buf, size_t len);

/* Blocks of `block` threads that one SM holds at once, from the device's
 * limits on threads, blocks, registers and shared memory: the arithmetic
 * of NVIDIA's occupancy calculator (CUDA C++ Best Practices Guide,
 * "Calculating Occupancy"), with registers allocated per warp in units of
 * 256 (the granularity of every architecture from sm_50 through sm_90:
 * CUDA C++ Programming Guide, "Compute Capabilities", technical
 * specifications table). The model asks the driver
 * (cuOccupancyMaxActiveBlocksPerMultiprocessor) and uses this only where
 * that call fails. 0 when the block cannot run at all. */
int hb_cu_occupancy_estimate(const hb_cu_limits *l, int block, int regs_per_thread, size_t smem_per_block);

/* The fraction of the SM's thread slots that blocks_per_sm blocks fill. */
double hb_cu_occupancy(const hb_cu_limits *l, int block, int blocks_per_sm);

/* Blocks to launch for n elements: grid-stride, every SM full once
 * (sms x blocks_per_sm) but never more blocks than there is work for;
 * one pass, enough blocks to cover the array. 0 when that exceeds the
 * device's grid (the configuration is skipped then). */
uint64_t hb_cu_grid_blocks(const hb_cu_limits *l, const hb_cu_stream_cfg *c, int blocks_per_sm, uint64_t n);

/* The longest chain of roundings in the sum a reduction leaves (see
 * benches/stream_verify.c): per accumulator, the ILP accumulators and
 * vector lanes added in turn, the tail, the product of dot, the warp and
 * block trees, and with atomics one addition per block into one sum. */
double hb_cu_chain(const hb_cu_stream_cfg *c, uint64_t n, uint64_t blocks, int dot);

/* The values of a stream kernel's arguments (kernels/cuda/stream.cu). */
typedef struct hb_cu_stream_args {
    uint64_t a, b, c;          /* device pointers; reductions: a, b and the partial sums in c */
    float s32;                 /* the scalar, for f32 */
    double s64;                /* for f64 */
    uint64_t n;                /* elements */
} hb_cu_stream_args;

/* cuLaunchKernel's kernelParams (CUDA Driver API, "Execution Control":
 * one pointer per kernel parameter, to a value of that parameter's size,
 * in order): array kernels (a, b, c, s, n), reductions (a, b, partial, n).
 * Fills params[0..5) and returns how many. */
int hb_cu_pack_args(hb_cu_stream_args *args, int reduction, int f64, void **params);

#endif
