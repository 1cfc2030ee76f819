/* SPDX-License-Identifier: Apache-2.0 */
/* roofline.cl: the arithmetic-intensity sweep of the roofline bench.
 *
 * y[i] = f^k(x[i]) with f(v) = fma(v, a, b): each element is read once,
 * goes through k fused multiply-adds (2k FLOP) and is written once, so the
 * intensity is 2k FLOP per (2 * element size) bytes. k = 0 is a copy (the
 * bandwidth end); large k is bound by FMA throughput (the compute end).
 *
 * Each work-item carries CH independent chains, each a vector of VW
 * elements: the FMAs of one element depend on each other, but CH x VW
 * elements are in flight at once, enough to cover the FMA latency of a CPU
 * (4 cycles x 2 pipes on Zen 4/5 needs 8 independent vector chains) or
 * the warps of a GPU. Explicit vector types let CPU compilers (PoCL)
 * emit full-width SIMD (docs/pocl.md#explicit-vectors).
 *
 * fma() is correctly rounded (OpenCL C 6.15.2), as is C's fma(), so the
 * host recomputes every element exactly in the same order (roofline.c).
 *
 * Build options: HB_F64 0|1; VW 1,2,4,8,16; CH chains per work-item;
 * BLOCK 1 (each work-item a contiguous range: CPUs) or 0 (grid-strided,
 * consecutive work-items on consecutive vectors: GPUs); HB_NT 1 for
 * non-temporal stores (clang's builtin, as in stream.cl). */
#if HB_F64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#define T double
#else
#define T float
#endif

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#if VW == 1
#define TV T
#define LOADV(p) (*(p))
#else
#define TV CAT(T, VW)
#define LOADV(p) CAT(vload, VW)(0, p)
#endif

#if HB_NT
#define STOREV(v, p) __builtin_nontemporal_store((v), (__global TV *)(p))
#else
#define STOREV(v, p) (*(__global TV *)(p) = (v))
#endif

#define STR_(x) #x
#define STR(x) STR_(x)
#define UNROLL_ALL _Pragma("unroll")

/* Chunks of CH*VW elements: chunk c covers elements [c*CH*VW, (c+1)*CH*VW).
 * GPUs: vector h of a chunk is taken from a stride of the whole grid so a
 * warp's loads are adjacent; CPUs: a chunk's vectors are adjacent. */
__kernel void roofline(__global const T *restrict x, __global T *restrict y, const ulong n, const int k,
                       const T a, const T b)
{
    const ulong per = (ulong)CH * VW, chunks = n / per;
    const ulong gid = get_global_id(0), gsz = get_global_size(0);
#if BLOCK
    const ulong span = (chunks + gsz - 1) / gsz, lo = gid * span, hi = min(lo + span, chunks);
    for (ulong c = lo; c < hi; c++) {
#define AT(h) (c * per + (ulong)(h) * VW)
#else
    for (ulong c0 = 0; c0 + gid < chunks; c0 += gsz) {
        /* a group of gsz chunks is gsz*CH vectors; vector h of chunk c0+gid
         * sits at (c0*CH + h*gsz + gid) vectors */
#define AT(h) ((c0 * CH + (ulong)(h) * min(gsz, chunks - c0) + gid) * VW)
#endif
        TV v[CH];
        UNROLL_ALL
        for (int h = 0; h < CH; h++)
            v[h] = LOADV(x + AT(h));
        const TV va = (TV)(a), vb = (TV)(b);
        for (int i = 0; i < k; i++) {
            UNROLL_ALL
            for (int h = 0; h < CH; h++)
                v[h] = fma(v[h], va, vb);
        }
        UNROLL_ALL
        for (int h = 0; h < CH; h++)
            STOREV(v[h], y + AT(h));
    }
    /* Elements past the last whole chunk: one work-item, scalar. */
    if (gid == 0)
        for (ulong j = chunks * per; j < n; j++) {
            T v = x[j];
            for (int i = 0; i < k; i++)
                v = fma(v, a, b);
            y[j] = v;
        }
}
