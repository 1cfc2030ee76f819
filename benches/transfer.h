/* SPDX-License-Identifier: Apache-2.0 */
/* transfer: copies between host memory and device memory (docs/transfer.md).
 *
 * Three benches, one per direction: h2d (host to device), d2h (device to
 * host) and bidir (both at once, on two queues). Each runs over a size
 * sweep (--transfer-sizes; 4 KiB to 1 GiB in x4 steps by default) and over
 * the paths a program can take, which are problems of their own, not tuning
 * points, since each is a figure a user wants (hb_problem.variant):
 *   host memory  pageable (mmap'ed by the bench) or pinned (the model's
 *                pinned_alloc: page-locked, reachable by the copy engines);
 *   API          rw (OpenCL clEnqueueWriteBuffer / ReadBuffer from and to
 *                the host memory) or map (map the device buffer, memcpy,
 *                unmap).
 * The host memory and the thread that drives the copies are bound with
 * hwloc to the device's NUMA node, or with --numa remote to the nearest
 * other node; the binding and where the pages landed are recorded in each
 * result's config.
 *
 * Counting: bytes per iteration = the bytes copied (bidir: both
 * directions, 2 x size); GB/s = 1e9 B/s. percent_of_peak is of the host <->
 * device link (peaks.link_gbs, per direction; bidir against twice it).
 * Where device memory is host memory (a CPU device, an integrated GPU) no
 * link is crossed: results say zero_copy = true, carry a note, and have no
 * percent of a link peak (clpeak issue #38 and PR #68 show what happens
 * otherwise).
 *
 * Verification is exact: the host source holds a pseudo-random pattern of
 * 64-bit words (pattern A), the device source another (pattern B); after the
 * timed copies the device buffer written is read back and compared word by
 * word with A, and the host buffer written with B. Both targets are
 * poisoned before each configuration. */
#ifndef HB_TRANSFER_H
#define HB_TRANSFER_H

#include "bench.h"

typedef enum hb_xfer_dir { HB_XFER_H2D, HB_XFER_D2H, HB_XFER_BIDIR } hb_xfer_dir;

/* hb_problem.variant bits of a transfer problem. */
enum { HB_XFER_PINNED = 1u << 0, HB_XFER_MAP = 1u << 1 };

static inline int hb_xfer_pinned(const hb_problem *p)
{
    return (p->variant & HB_XFER_PINNED) != 0;
}

static inline int hb_xfer_map(const hb_problem *p)
{
    return (p->variant & HB_XFER_MAP) != 0;
}

/* What a transfer bench keeps between its steps (ctx->data). */
typedef struct hb_transfer_data {
    hb_xfer_dir dir;
    size_t bytes;              /* per direction */
    int pinned, map;
    unsigned char *src;        /* host memory copied to the device (h2d, bidir), else NULL */
    unsigned char *dst;        /* host memory the device's data is copied into (d2h, bidir), else NULL */
    hb_buf to_dev;             /* the device buffer src is copied into */
    hb_buf from_dev;           /* the device buffer copied into dst; holds pattern B */
    hb_host_buf pinned_src, pinned_dst; /* the model's pinned memory behind src and dst */
    size_t mapped_src, mapped_dst;      /* pageable: the mmap lengths behind src and dst */
    hb_numa_binding binding;
    int bound;
} hb_transfer_data;

extern const hb_family hb_family_transfer;
extern const hb_bench hb_bench_h2d, hb_bench_d2h, hb_bench_bidir;

/* The direction of a transfer bench. */
hb_xfer_dir hb_transfer_dir(const hb_bench *b);

/* transfer_data.c: the pattern, and the bench's data steps. */
int hb_transfer_setup(hb_bench_ctx *ctx, hb_err *err);
int hb_transfer_poison(hb_bench_ctx *ctx, hb_err *err);
int hb_transfer_verify(hb_bench_ctx *ctx, int *valid, char *why, size_t why_len, hb_err *err);
void hb_transfer_teardown(hb_bench_ctx *ctx);

#endif
