/* SPDX-License-Identifier: Apache-2.0 */
/* host_stream_kernels: the host model's stream kernels, compiled for several
 * instruction sets and chosen at run time (host_stream_kernels.c). The
 * kernels are those of benches/stream.h, indexed by hb_stream_kind; element
 * types by hb_dtype (f32 and f64). Tests use this header to exercise every
 * variant the CPU has, not just the one picked. */
#ifndef HB_HOST_STREAM_KERNELS_H
#define HB_HOST_STREAM_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/* The element types the host kernels exist for: HB_F32 and HB_F64. */
#define HB_HS_NDTYPE 2

/* Independent vector accumulators of the reductions: 8 covers an FP add
 * latency of 4 cycles at 2 adds per cycle (Zen 3/4, Golden Cove; Agner Fog,
 * "Instruction tables", vaddpd). */
#define HB_HS_NACC 8

/* Address streams a kernel may walk side by side (its vectors split into
 * that many equal parts, docs/pocl.md#concurrent-streams); each count is
 * compiled on its own. HB_HS_MAX_STREAMS bounds the list. */
#define HB_HS_MAX_STREAMS 16
#define HB_HS_NSTREAMS 3
extern const unsigned hb_hs_streams[HB_HS_NSTREAMS];

/* Software prefetch distances, in bytes ahead of the vector being read (0:
 * none, the hardware prefetchers alone): a prefetch of each arriving vector
 * of the arrays a kernel reads, with the non-temporal hint (data used once:
 * Intel 64 and IA-32 Architectures Optimization Reference Manual, "Software
 * Prefetch"). */
#define HB_HS_NPREFETCH 3
extern const unsigned hb_hs_prefetches[HB_HS_NPREFETCH];

/* Runs stream kernel `kind` (hb_stream_kind) over n elements of the blocks
 * a, b, c (64-byte aligned): copy c=a, scale b=s*c, add c=a+b, triad
 * a=b+s*c, dot sum(a*b), read sum(a), write a=s, in `streams` parts walked
 * side by side (one of hb_hs_streams; any other count runs as 1), reads
 * prefetched `prefetch` bytes ahead (rounded down to whole vectors; 0 none;
 * never past the block's end). Only
 * whole vectors are processed (n rounded down to the vector length; the
 * caller does the tail). Returns the sum for dot and read (its accumulators
 * combined in double), 0 otherwise. Non-temporal variants end with a store
 * fence so the data are in memory when the call returns. */
typedef double (*hb_hs_kernel_fn)(int kind, void *a, void *b, void *c, size_t n, unsigned streams,
                                  size_t prefetch);

/* What a variant needs from the CPU. */
enum { HB_HS_NEEDS_NOTHING, HB_HS_NEEDS_AVX, HB_HS_NEEDS_AVX512F };

typedef struct hb_hs_isa {
    const char *name;             /* "avx512f", "avx", "generic" */
    int needs;                    /* HB_HS_NEEDS_* */
    int nontemporal;              /* 1: streaming stores */
    hb_hs_kernel_fn run[HB_HS_NDTYPE];
    unsigned lanes[HB_HS_NDTYPE]; /* elements per vector register */
} hb_hs_isa;

/* The variants compiled in, best first; hb_hs_isa_ok says whether this CPU
 * (and OS) can run one. */
int hb_hs_isa_count(void);
const hb_hs_isa *hb_hs_isa_get(int i);
int hb_hs_isa_ok(const hb_hs_isa *isa);
/* The best variant this CPU runs with the store kind asked for; plain stores
 * when non-temporal ones are asked for but not available. Never NULL. */
const hb_hs_isa *hb_hs_isa_pick(int nontemporal);

/* Longest sequential rounding chain of a reduction over n elements in
 * `streams` parts: the per-accumulator chain, the tail added to accumulator
 * 0 and the sequential combination of all accumulator lanes. */
uint64_t hb_hs_chain(const hb_hs_isa *isa, int dtype, uint64_t n, unsigned streams);

#endif
