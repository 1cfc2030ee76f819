/* SPDX-License-Identifier: Apache-2.0 */
/* host_stream_kernels: the host baseline's kernels, one variant per
 * instruction set and store kind, chosen at run time so the binary runs on
 * any x86-64 (and builds elsewhere with the generic variant only); plus the
 * rounding chain of its sums, which verification needs.
 *
 * Non-temporal stores (MOVNTPS/MOVNTPD) write around the caches and skip the
 * write-allocate read a plain store pays, so copy/scale/add/triad move only
 * the counted bytes (Intel SDM vol. 1, 10.4.6 "Cacheability Control, Prefetch,
 * and Memory Ordering Instructions"; docs/pocl.md has the figures on the
 * reference VM). They are weakly ordered, so those variants end with SFENCE (same
 * section), before the closing barrier of the timed iteration. */
#include "host_stream_kernels.h"

#include <float.h>

#include "stream.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define HB_HS_X86 1
#else
#define HB_HS_X86 0
#endif

#define HB_CAT_(x, y) x##y
#define HB_CAT(x, y) HB_CAT_(x, y)

/* Generic: 16-byte vectors (SSE2 is part of x86-64; NEON on AArch64), plain
 * stores. */
#define HB_ATTR
#define HB_VB 16
#define HB_PUT(p, v) (*(p) = (v))
#define HB_FENCE() ((void)0)
#define HB_T float
#define HB_FN hb_hs_generic_f32
#include "host_stream_kernels.inc"
#undef HB_T
#undef HB_FN
#define HB_T double
#define HB_FN hb_hs_generic_f64
#include "host_stream_kernels.inc"
#undef HB_T
#undef HB_FN
#undef HB_ATTR
#undef HB_VB

#if HB_HS_X86
/* AVX and AVX-512F, plain stores. */
#define HB_ATTR __attribute__((target("avx")))
#define HB_VB 32
#define HB_T float
#define HB_FN hb_hs_avx_f32
#include "host_stream_kernels.inc"
#undef HB_T
#undef HB_FN
#define HB_T double
#define HB_FN hb_hs_avx_f64
#include "host_stream_kernels.inc"
#undef HB_T
#undef HB_FN
#undef HB_ATTR
#undef HB_VB

#define HB_ATTR __attribute__((target("avx512f")))
#define HB_VB 64
#define HB_T float
#define HB_FN hb_hs_avx512_f32
#include "host_stream_kernels.inc"
#undef HB_T
#undef HB_FN
#define HB_T double
#define HB_FN hb_hs_avx512_f64
#include "host_stream_kernels.inc"
#undef HB_T
#undef HB_FN
#undef HB_PUT
#undef HB_FENCE

/* AVX-512F, streaming stores (VMOVNTPS/VMOVNTPD zmm need 64-byte alignment:
 * blocks start on 4 KiB boundaries, see host_stream.c). */
#define HB_FENCE() _mm_sfence()
#define HB_T float
#define HB_FN hb_hs_avx512nt_f32
#define HB_PUT(p, v) _mm512_stream_ps((float *)(p), (__m512)(v))
#include "host_stream_kernels.inc"
#undef HB_T
#undef HB_FN
#undef HB_PUT
#define HB_T double
#define HB_FN hb_hs_avx512nt_f64
#define HB_PUT(p, v) _mm512_stream_pd((double *)(p), (__m512d)(v))
#include "host_stream_kernels.inc"
#undef HB_T
#undef HB_FN
#undef HB_PUT
#undef HB_ATTR
#undef HB_VB

/* AVX, streaming stores. */
#define HB_ATTR __attribute__((target("avx")))
#define HB_VB 32
#define HB_T float
#define HB_FN hb_hs_avxnt_f32
#define HB_PUT(p, v) _mm256_stream_ps((float *)(p), (__m256)(v))
#include "host_stream_kernels.inc"
#undef HB_T
#undef HB_FN
#undef HB_PUT
#define HB_T double
#define HB_FN hb_hs_avxnt_f64
#define HB_PUT(p, v) _mm256_stream_pd((double *)(p), (__m256d)(v))
#include "host_stream_kernels.inc"
#undef HB_T
#undef HB_FN
#undef HB_PUT
#undef HB_ATTR
#undef HB_VB
#undef HB_FENCE
#endif /* HB_HS_X86 */

/* Best first: hb_hs_isa_pick takes the first that matches and runs here. */
static const hb_hs_isa hb_hs_isas[] = {
#if HB_HS_X86
    {"avx512f", HB_HS_NEEDS_AVX512F, 1, {hb_hs_avx512nt_f32, hb_hs_avx512nt_f64}, {16, 8}},
    {"avx", HB_HS_NEEDS_AVX, 1, {hb_hs_avxnt_f32, hb_hs_avxnt_f64}, {8, 4}},
    {"avx512f", HB_HS_NEEDS_AVX512F, 0, {hb_hs_avx512_f32, hb_hs_avx512_f64}, {16, 8}},
    {"avx", HB_HS_NEEDS_AVX, 0, {hb_hs_avx_f32, hb_hs_avx_f64}, {8, 4}},
#endif
    {"generic", HB_HS_NEEDS_NOTHING, 0, {hb_hs_generic_f32, hb_hs_generic_f64}, {4, 2}},
};

int hb_hs_isa_count(void)
{
    return (int)(sizeof hb_hs_isas / sizeof hb_hs_isas[0]);
}

const hb_hs_isa *hb_hs_isa_get(int i)
{
    return i >= 0 && i < hb_hs_isa_count() ? &hb_hs_isas[i] : NULL;
}

int hb_hs_isa_ok(const hb_hs_isa *isa)
{
#if HB_HS_X86
    /* Besides the CPUID bit, libgcc checks with XGETBV that the OS saves
     * the YMM/ZMM state (gcc/common/config/i386/cpuinfo.h,
     * get_available_features); so does compiler-rt's cpu_model.c. */
    __builtin_cpu_init();
    if (isa->needs == HB_HS_NEEDS_AVX512F)
        return __builtin_cpu_supports("avx512f") != 0;
    if (isa->needs == HB_HS_NEEDS_AVX)
        return __builtin_cpu_supports("avx") != 0;
#endif
    return isa->needs == HB_HS_NEEDS_NOTHING;
}

const hb_hs_isa *hb_hs_isa_pick(int nontemporal)
{
    for (int i = 0; i < hb_hs_isa_count(); i++)
        if (hb_hs_isas[i].nontemporal == (nontemporal != 0) && hb_hs_isa_ok(&hb_hs_isas[i]))
            return &hb_hs_isas[i];
    /* No streaming stores here: the best plain variant (generic always runs). */
    return nontemporal ? hb_hs_isa_pick(0) : &hb_hs_isas[hb_hs_isa_count() - 1];
}

const unsigned hb_hs_streams[HB_HS_NSTREAMS] = {1, 4, 16};

/* 16 and 64 cache lines of 64 B ahead. */
const unsigned hb_hs_prefetches[HB_HS_NPREFETCH] = {0, 1024, 4096};

uint64_t hb_hs_chain(const hb_hs_isa *isa, int dtype, uint64_t n, unsigned streams)
{
    uint64_t lanes = isa->lanes[dtype], nv = n / lanes;
    uint64_t acc = streams == 4 || streams == 16 ? streams : HB_HS_NACC;
    return nv / acc + nv % acc + acc * lanes;
}

