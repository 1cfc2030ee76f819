/* SPDX-License-Identifier: Apache-2.0 */
/* gemm.cl: D = alpha*A*B + beta*C, every matrix row-major (C order):
 *   A is M x K (element (i,k) at A[i*K + k]), B is K x N, C and D are M x N.
 * The bench passes a separate D so that each timed iteration starts from
 * the same C and D can be poisoned; every kernel reads C(i,j) and writes
 * D(i,j) from the same work-item, so D == C (in place) is also correct.
 *
 * Build options (all compile-time, the tuner's search space):
 *   HB_DT      32 float, 64 double, 16 half storage with float accumulation
 *              (vload_half/vstore_half; the runner offers f16 only where
 *              the device reports cl_khr_fp16)
 *   ALGO       1 "tile": each work-item owns a TM x TN block of D and reads
 *                A and B straight from global memory (CPU devices: the block
 *                lives in vector registers, the caches do the tiling);
 *              2 "local": a work-group of WGN x WGM work-items stages a
 *                (WGM*TM) x TK tile of A and a TK x (WGN*TN) tile of B in
 *                local memory, then each work-item accumulates its TM x TN
 *                register block (the GPU scheme of Volkov & Demmel, SC'08,
 *                and of CLBlast's xgemm);
 *              3 "dot": each work-item owns TM rows and every column of D,
 *                and vectorises along K (GEMV-like shapes, N small);
 *              4 "panel": "tile" with B packed into local memory (CPUs);
 *              5 "packed": gemm_pack_b first copies B into column panels
 *                TN wide (each panel's K rows contiguous), then gemm_packed
 *                runs "tile" over them with no barrier (CPUs);
 *              6 "blocked": A is packed too (gemm_pack_a: row blocks TM
 *                high), and a work-group of WGM x WGN blocks walks K in
 *                steps of TK with a barrier between steps, the loop order
 *                of BLIS (CPUs).
 *   TM, TN     register block: rows x columns per work-item (TN % VW == 0)
 *   VW         vector width of loads, stores and accumulators: 1,2,4,8,16
 *   WGM, WGN   work-group shape (rows, columns of work-items)
 *   TK         depth of the local-memory tile (ALGO 2 and 4), of a K step (6)
 *   UNROLL     unroll factor of the innermost k loop
 *   HB_FMA     1: multiply-add with fma(); 0: mad()
 *   HB_NT      1: non-temporal stores of D (see STV_D)
 * Edges: sizes need not be multiples of anything. Work-items whose block
 * runs past M or N take a guarded path (row indices clamped for loads,
 * columns loaded and stored one by one); interior blocks never test. */

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)

#if HB_DT == 16
#ifdef cl_khr_fp16
#pragma OPENCL EXTENSION cl_khr_fp16 : enable
#endif
#define T half /* only ever behind a pointer: legal without cl_khr_fp16 */
#define R float
#define LD1(p) vload_half(0, p)
#define ST1(x, p) vstore_half(x, 0, p)
#if VW == 1
#define LDV(p) vload_half(0, p)
#define STV(x, p) vstore_half(x, 0, p)
#else
#define LDV(p) CAT(vload_half, VW)(0, p)
#define STV(x, p) CAT(vstore_half, VW)(x, 0, p)
#endif
#else
#if HB_DT == 64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#define T double /* storage */
#define R double /* arithmetic (macros, not typedefs: CAT(R, 4) must name double4) */
#else
#define T float
#define R float
#endif
#define LD1(p) (*(p))
#define ST1(x, p) (*(p) = (x))
#if VW == 1
#define LDV(p) (*(p))
#define STV(x, p) (*(p) = (x))
#else
#define LDV(p) CAT(vload, VW)(0, p)
#define STV(x, p) CAT(vstore, VW)(x, 0, p)
#endif
#endif

#if VW == 1
#define RV R
#define PLDV(p) (*(p)) /* vector load from private or local memory */
#define PSTV(x, p) (*(p) = (x))
#else
#define RV CAT(R, VW)
#define PLDV(p) CAT(vload, VW)(0, p)
#define PSTV(x, p) CAT(vstore, VW)(x, 0, p)
#endif

#define NV (TN / VW)

/* MAC is fma, a single rounding, unless HB_FMA=0 asks for mad (which a
 * compiler may split into a multiply and an add: PoCL 3.1 does, and
 * does not define FP_FAST_FMAF on AVX-512 CPUs that have FMA units, so
 * the runner chooses: fma where the device has hardware FMA, i.e.
 * CL_FP_FMA in CL_DEVICE_SINGLE_FP_CONFIG, which OpenCL 1.2+ requires to
 * mean "fma is implemented in hardware" (OpenCL 3.0 API, 4.2). */
#if HB_FMA
#define MAC(a, b, c) fma(a, b, c)
#else
#define MAC(a, b, c) mad(a, b, c)
#endif

#define STR_(x) #x
#define STR(x) STR_(x)
#define PRAGMA(x) _Pragma(STR(x))
#if UNROLL > 1
#define UNROLL_K PRAGMA(unroll UNROLL)
#else
#define UNROLL_K /* clang warns when a requested unroll cannot be done; 1 asks for nothing */
#endif
#define UNROLL_ALL PRAGMA(unroll) /* the register block must unroll fully */

#define GEMM_ARGS                                                                        \
    const int M, const int N, const int K, const R alpha, const R beta,                 \
        __global const T *restrict A, __global const T *restrict B,                     \
        __global const T *restrict C, __global T *restrict D

/* Whole vectors of D: with HB_NT, non-temporal stores (clang's builtin,
 * as in stream.cl), which skip the read a write-allocate cache does first.
 * Such a store must be aligned to the vector, so it is used only when N is
 * a multiple of VW (D's rows then start aligned; buffers are aligned far
 * beyond a vector, CL_DEVICE_MEM_BASE_ADDR_ALIGN); otherwise, and for half
 * storage, the store is a plain one. */
#if HB_NT && HB_DT != 16
#define STV_D(x, p)                                                     \
    do {                                                                \
        if (N % VW == 0)                                                \
            __builtin_nontemporal_store((x), (__global RV *)(p));       \
        else                                                            \
            STV(x, p);                                                  \
    } while (0)
#else
#define STV_D(x, p) STV(x, p)
#endif

/* Writes rows i0.. and columns j0.. of alpha*acc + beta*C into D. */
#define EPILOGUE(acc, i0, j0)                                                           \
    for (int i = 0; i < TM; i++) {                                                      \
        const int row = (i0) + i;                                                       \
        if (row >= M)                                                                   \
            break;                                                                      \
        const size_t off = (size_t)row * N + (j0);                                      \
        if ((j0) + TN <= N) {                                                           \
            for (int v = 0; v < NV; v++)                                                \
                STV_D(alpha * acc[i][v] + beta * LDV(C + off + v * VW), D + off + v * VW); \
        } else {                                                                        \
            R lane[TN];                                                                 \
            for (int v = 0; v < NV; v++)                                                \
                PSTV(acc[i][v], lane + v * VW);                                         \
            for (int c = 0; c < TN && (j0) + c < N; c++)                                \
                ST1(alpha * lane[c] + beta * LD1(C + off + c), D + off + c);            \
        }                                                                               \
    }

/* The register block of the CPU kernels: TM x NV accumulator vectors set
 * to zero, and the row pointers of A; rows past M read row M-1 (never
 * stored), so the inner loop stays branch-free. */
#define BLOCK_START(acc, a, i0)                                             \
    RV acc[TM][NV];                                                         \
    for (int i = 0; i < TM; i++)                                            \
        for (int v = 0; v < NV; v++)                                        \
            acc[i][v] = (RV)(0);                                            \
    const __global T *a[TM];                                                \
    for (int i = 0; i < TM; i++)                                            \
        a[i] = A + (size_t)min((i0) + i, M - 1) * K;

/* One rank-1 update of the block: acc += A(rows, kk) x bv. */
#define RANK1(acc, a, kk, bv)                                               \
    UNROLL_ALL                                                              \
    for (int i = 0; i < TM; i++) {                                          \
        const RV av = (RV)(LD1(a[i] + (kk)));                               \
        UNROLL_ALL                                                          \
        for (int v = 0; v < NV; v++)                                        \
            acc[i][v] = MAC(av, bv[v], acc[i][v]);                          \
    }

#if ALGO == 1
/* Global size (ceil(N/TN), ceil(M/TM)); any local size. */
__kernel void gemm_tile(GEMM_ARGS)
{
    const int j0 = (int)get_global_id(0) * TN;
    const int i0 = (int)get_global_id(1) * TM;
    if (i0 >= M || j0 >= N)
        return;
    BLOCK_START(acc, a, i0)
    const __global T *b = B + j0;
    if (j0 + TN <= N) {
        UNROLL_K
        for (int k = 0; k < K; k++) {
            RV bv[NV];
            UNROLL_ALL
            for (int v = 0; v < NV; v++)
                bv[v] = LDV(b + (size_t)k * N + v * VW);
            RANK1(acc, a, k, bv)
        }
    } else {
        for (int k = 0; k < K; k++) {
            R lane[TN];
            RV bv[NV];
            for (int c = 0; c < TN; c++)
                lane[c] = j0 + c < N ? LD1(b + (size_t)k * N + c) : (R)0;
            for (int v = 0; v < NV; v++)
                bv[v] = PLDV(lane + v * VW);
            RANK1(acc, a, k, bv)
        }
    }
    EPILOGUE(acc, i0, j0)
}
#endif

#if ALGO == 2
#define BM (WGM * TM)
#define BN (WGN * TN)
#define NT (WGM * WGN)

/* Global size (ceil(N/BN)*WGN, ceil(M/BM)*WGM), local size (WGN, WGM). */
__kernel __attribute__((reqd_work_group_size(WGN, WGM, 1))) void gemm_local(GEMM_ARGS)
{
    /* A is stored transposed (k-major) so a work-item's TM rows of one k are
     * adjacent; B keeps its layout so its TN columns are one vector load. */
    __local R As[TK][BM];
    __local R Bs[TK][BN];
    const int tx = (int)get_local_id(0), ty = (int)get_local_id(1);
    const int tid = ty * WGN + tx;
    const int bi = (int)get_group_id(1) * BM, bj = (int)get_group_id(0) * BN;
    RV acc[TM][NV];
    for (int i = 0; i < TM; i++)
        for (int v = 0; v < NV; v++)
            acc[i][v] = (RV)(0);
    for (int k0 = 0; k0 < K; k0 += TK) {
        /* Consecutive work-items read consecutive k (A) or n (B): coalesced. */
        for (int e = tid; e < BM * TK; e += NT) {
            const int r = e / TK, c = e % TK;
            const int gr = bi + r, gc = k0 + c;
            As[c][r] = gr < M && gc < K ? (R)LD1(A + (size_t)gr * K + gc) : (R)0;
        }
        for (int e = tid; e < TK * NV * WGN; e += NT) {
            const int r = e / (NV * WGN), c = (e % (NV * WGN)) * VW;
            const int gr = k0 + r, gc = bj + c;
            const __global T *src = B + (size_t)gr * N + gc;
            if (gr < K && gc + VW <= N) {
                PSTV(LDV(src), &Bs[r][c]);
            } else {
                for (int l = 0; l < VW; l++)
                    Bs[r][c + l] = gr < K && gc + l < N ? (R)LD1(src + l) : (R)0;
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        UNROLL_K
        for (int kk = 0; kk < TK; kk++) {
            RV bv[NV];
            UNROLL_ALL
            for (int v = 0; v < NV; v++)
                bv[v] = PLDV(&Bs[kk][tx * TN + v * VW]);
            UNROLL_ALL
            for (int i = 0; i < TM; i++) {
                const RV av = (RV)(As[kk][ty * TM + i]);
                UNROLL_ALL
                for (int v = 0; v < NV; v++)
                    acc[i][v] = MAC(av, bv[v], acc[i][v]);
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    EPILOGUE(acc, bi + ty * TM, bj + tx * TN)
}
#endif

#if ALGO == 4
#define BNP (WGN * TN)
#define NTP (WGM * WGN)
/* Global size (ceil(N/(WGN*TN))*WGN, ceil(M/TM) rounded up to WGM), local
 * (WGN, WGM). The work-group's WGM x WGN work-items share one column panel
 * of B, WGN*TN wide; they copy it TK rows at a time into local memory,
 * contiguous, and each accumulates its TM x TN block from there. This is
 * the packing step of BLIS/OpenBLAS (Goto & van de Geijn, ACM TOMS 34(3),
 * 2008): B's rows are N elements apart, and for N a power of two a narrow
 * panel maps onto a handful of cache sets and is evicted before it is
 * reused. The WGN work-items of a row share its A values, which a CPU
 * then reads from L1 WGN times instead of from memory. */
__kernel __attribute__((reqd_work_group_size(WGN, WGM, 1))) void gemm_panel(GEMM_ARGS)
{
    __local R Bs[TK * BNP];
    const int tx = (int)get_local_id(0), ty = (int)get_local_id(1), tid = ty * WGN + tx;
    /* Groups in the order they are numbered (dimension 0 fastest) walk down
     * the rows of one column panel, so consecutive groups on a core share
     * its panel of B (then in that core's L2) and only A streams from L3. */
    const int ng0 = (int)get_num_groups(0), ng1 = (int)get_num_groups(1);
    const int g = (int)get_group_id(1) * ng0 + (int)get_group_id(0);
    const int jb = g / ng1 * BNP, j0 = jb + tx * TN;
    const int i0 = ((g % ng1) * WGM + ty) * TM;
    BLOCK_START(acc, a, i0)
    for (int k0 = 0; k0 < K; k0 += TK) {
        const int kn = min(TK, K - k0);
        for (int e = tid; e < kn * (BNP / VW); e += NTP) {
            const int r = e / (BNP / VW), c = e % (BNP / VW) * VW;
            const __global T *src = B + (size_t)(k0 + r) * N + jb + c;
            if (jb + c + VW <= N) {
                PSTV(LDV(src), Bs + r * BNP + c);
            } else {
                for (int l = 0; l < VW; l++)
                    Bs[r * BNP + c + l] = jb + c + l < N ? (R)LD1(src + l) : (R)0;
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        UNROLL_K
        for (int k = 0; k < kn; k++) {
            RV bv[NV];
            UNROLL_ALL
            for (int v = 0; v < NV; v++)
                bv[v] = PLDV(Bs + k * BNP + tx * TN + v * VW);
            RANK1(acc, a, k0 + k, bv)
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (i0 < M && j0 < N)
        EPILOGUE(acc, i0, j0)
}
#endif

#if ALGO == 3
#if VW == 1
R hb_hsum(RV v) { return v; }
#else
R hb_hsum2(CAT(R, 2) v) { return v.x + v.y; }
#if VW >= 4
R hb_hsum4(CAT(R, 4) v) { return hb_hsum2(v.lo + v.hi); }
#endif
#if VW >= 8
R hb_hsum8(CAT(R, 8) v) { return hb_hsum4(v.lo + v.hi); }
#endif
#if VW >= 16
R hb_hsum16(CAT(R, 16) v) { return hb_hsum8(v.lo + v.hi); }
#endif
#define hb_hsum CAT(hb_hsum, VW)
#endif

/* Global size ceil(M/TM); TN is unused (1). Each row's dot products keep
 * two accumulators so consecutive FMAs do not wait on each other. */
__kernel void gemm_dot(GEMM_ARGS)
{
    const int i0 = (int)get_global_id(0) * TM;
    if (i0 >= M)
        return;
    const __global T *a[TM];
    for (int i = 0; i < TM; i++)
        a[i] = A + (size_t)min(i0 + i, M - 1) * K;
    const int kv = K / (2 * VW) * (2 * VW);
    for (int j = 0; j < N; j++) {
        RV acc0[TM], acc1[TM];
        for (int i = 0; i < TM; i++)
            acc0[i] = acc1[i] = (RV)(0);
        UNROLL_K
        for (int k = 0; k < kv; k += 2 * VW) {
            RV b0, b1;
            if (N == 1) {
                b0 = LDV(B + k);
                b1 = LDV(B + k + VW);
            } else {
                R lane[2 * VW];
                for (int l = 0; l < 2 * VW; l++)
                    lane[l] = LD1(B + (size_t)(k + l) * N + j);
                b0 = PLDV(lane);
                b1 = PLDV(lane + VW);
            }
            for (int i = 0; i < TM; i++) {
                acc0[i] = MAC(LDV(a[i] + k), b0, acc0[i]);
                acc1[i] = MAC(LDV(a[i] + k + VW), b1, acc1[i]);
            }
        }
        for (int i = 0; i < TM; i++) {
            R s = hb_hsum(acc0[i] + acc1[i]);
            for (int k = kv; k < K; k++)
                s = MAC(LD1(a[i] + k), LD1(B + (size_t)k * N + j), s);
            const int row = i0 + i;
            if (row < M)
                ST1(alpha * s + beta * LD1(C + (size_t)row * N + j), D + (size_t)row * N + j);
        }
    }
}
#endif

#if ALGO == 5 || ALGO == 6
/* Bp holds ceil(N/TN) panels of K rows of TN values (R: the arithmetic
 * type), zero past column N: panel p's row k at Bp[(p*K + k)*TN]. A
 * panel's rows are then adjacent, where B's are N apart: N a power of two
 * maps B's rows of a narrow panel onto a few cache sets, the rows of Bp
 * stream (the packing of Goto & van de Geijn, ACM TOMS 34(3), 2008).
 * Global size (ceil(N/TN), K); any local size. */
__kernel void gemm_pack_b(const int N, const int K, __global const T *restrict B, __global R *restrict Bp)
{
    const int p = (int)get_global_id(0), k = (int)get_global_id(1);
    if (k >= K || p * TN >= N)
        return;
    const __global T *src = B + (size_t)k * N + (size_t)p * TN;
    __global R *dst = Bp + ((size_t)p * K + k) * TN;
    if ((p + 1) * TN <= N) {
        for (int v = 0; v < NV; v++)
            PSTV(LDV(src + v * VW), dst + v * VW);
    } else {
        for (int c = 0; c < TN; c++)
            dst[c] = p * TN + c < N ? (R)LD1(src + c) : (R)0;
    }
}

#endif

#if ALGO == 5
/* Global size (ceil(M/TM) rounded up to WGM, ceil(N/TN)), local (WGM, 1):
 * work-items numbered down the rows of one column panel run one after the
 * other on a CPU core (dimension 0 fastest), which then reads that panel of
 * Bp from its L2, and each keeps its TM x TN block of D in registers over
 * all of K. */
__kernel void gemm_packed(GEMM_ARGS, __global const R *restrict Bp)
{
    const int i0 = (int)get_global_id(0) * TM, p = (int)get_global_id(1), j0 = p * TN;
    if (i0 >= M || j0 >= N)
        return;
    BLOCK_START(acc, a, i0)
    const __global R *b = Bp + (size_t)p * K * TN;
    UNROLL_K
    for (int k = 0; k < K; k++) {
        RV bv[NV];
        UNROLL_ALL
        for (int v = 0; v < NV; v++)
            bv[v] = PLDV(b + (size_t)k * TN + v * VW);
        RANK1(acc, a, k, bv)
    }
    (void)B;
    EPILOGUE(acc, i0, j0)
}
#endif

#if ALGO == 6
/* Ap holds ceil(M/TM) row blocks of K columns of TM values, zero past row
 * M: block ib's column k at Ap[(ib*K + k)*TM], so the TM values a rank-1
 * update needs are adjacent and a block's columns stream (the packing of A
 * in Goto & van de Geijn, ACM TOMS 34(3), 2008; A's rows are K apart, and
 * for K a multiple of 1024 floats the TM rows of a block map onto one
 * cache set). Global size (ceil(M/TM), ceil(K/PACK_K)); any local size:
 * a work-item reads PACK_K consecutive values of each of its TM rows. */
#define PACK_K 16
__kernel void gemm_pack_a(const int M, const int K, __global const T *restrict A, __global R *restrict Ap)
{
    const int ib = (int)get_global_id(0), k0 = (int)get_global_id(1) * PACK_K;
    if (k0 >= K || ib * TM >= M)
        return;
    const int kn = min(PACK_K, K - k0);
    __global R *dst = Ap + ((size_t)ib * K + k0) * TM;
    for (int i = 0; i < TM; i++) {
        const int row = ib * TM + i;
        const __global T *src = A + (size_t)min(row, M - 1) * K + k0;
        for (int k = 0; k < kn; k++)
            dst[k * TM + i] = row < M ? (R)LD1(src + k) : (R)0;
    }
}

/* Global size (ceil(M/TM) rounded up to WGM, ceil(N/TN) rounded up to WGN),
 * local (WGM, WGN). A CPU runtime runs a work-group's work-items one after
 * the other between barriers, dimension 0 fastest (PoCL: "work-item
 * loops", docs/pocl.md), so each step of TK columns is BLIS's loop nest:
 * for each of the WGN panels of B, its TK x TN slice (in L1 while it
 * lasts) meets the WGM blocks of A's TK columns (in L2, reused by every
 * panel), and the TM x TN accumulators stay in registers within a step.
 * The barrier orders the steps; nothing is shared through local memory.
 * Work-items past M or N compute on the last block (never stored), so
 * every work-item reaches every barrier. */
__kernel __attribute__((reqd_work_group_size(WGM, WGN, 1))) void gemm_blocked(
    GEMM_ARGS, __global const R *restrict Ap, __global const R *restrict Bp)
{
    const int ib = (int)get_global_id(0), p = (int)get_global_id(1);
    const int i0 = ib * TM, j0 = p * TN;
    RV acc[TM][NV];
    for (int i = 0; i < TM; i++)
        for (int v = 0; v < NV; v++)
            acc[i][v] = (RV)(0);
    const __global R *a = Ap + (size_t)min(ib, (M - 1) / TM) * K * TM;
    const __global R *b = Bp + (size_t)min(p, (N - 1) / TN) * K * TN;
    for (int k0 = 0; k0 < K; k0 += TK) {
        const int kn = min(TK, K - k0);
        UNROLL_K
        for (int k = k0; k < k0 + kn; k++) {
            RV bv[NV];
            UNROLL_ALL
            for (int v = 0; v < NV; v++)
                bv[v] = PLDV(b + (size_t)k * TN + v * VW);
            UNROLL_ALL
            for (int i = 0; i < TM; i++) {
                const RV av = (RV)(a[(size_t)k * TM + i]);
                UNROLL_ALL
                for (int v = 0; v < NV; v++)
                    acc[i][v] = MAC(av, bv[v], acc[i][v]);
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    (void)A;
    (void)B;
    if (i0 < M && j0 < N)
        EPILOGUE(acc, i0, j0)
}
#endif
