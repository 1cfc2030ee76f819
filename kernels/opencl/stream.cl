/* SPDX-License-Identifier: Apache-2.0 */
/* stream.cl: the stream family (copy, scale, add, triad, dot, read, write)
 * and the initialisation of its arrays.
 *
 * Build options: -DHB_F64=0|1 (element type float or double),
 * -DHB_NT=0|1 (non-temporal stores through clang's
 * __builtin_nontemporal_store; PoCL's clang accepts it, other compilers may
 * not, in which case the runner drops that variant: docs/pocl.md#non-temporal-stores)
 * and -DHB_STREAMS=S (1 when absent): the block pattern splits each
 * work-item's block into S equal parts and walks them side by side, so a
 * core has S independent address streams in flight
 * (docs/pocl.md#concurrent-streams).
 *
 * Every kernel exists for vector widths 1, 2, 4, 8, 16 and two access
 * patterns, named <kernel>_<pattern>_<width>:
 *   grid  - consecutive work-items touch consecutive vectors, and the grid
 *           strides over the array: the coalesced pattern GPUs need;
 *   block - each work-item streams one contiguous block: what CPU devices
 *           need (PoCL vectorises within the block, with explicit vectors).
 * Arguments: n is the element count (not the vector count); elements past
 * the last whole vector are handled by work-item 0 so any n works. Indices
 * are 64-bit (ulong): arrays of more than 2^31 elements are fine.
 *
 * Start values and the hash must stay identical to benches/stream_values.h. */

#if HB_F64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#define T double
#else
#define T float
#endif

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define TV1 T
#define TV2 CAT(T, 2)
#define TV4 CAT(T, 4)
#define TV8 CAT(T, 8)
#define TV16 CAT(T, 16)

#if HB_NT
#define STORE(p, v) __builtin_nontemporal_store((v), (p))
#else
#define STORE(p, v) (*(p) = (v))
#endif

/* ---- start values (benches/stream_values.h) ---- */
/* lowbias32 on one index (hb_hash32) and on eight (hb_hash32_8, below). */
#define HB_HASH32(name, U)           \
    U name(U x)                      \
    {                                \
        x ^= x >> 16;                \
        x *= 0x7feb352dU;            \
        x ^= x >> 15;                \
        x *= 0x846ca68bU;            \
        x ^= x >> 16;                \
        return x;                    \
    }
HB_HASH32(hb_hash32, uint)

/* hb_hash_index(i, seed) = hb_hash32((uint)i ^ hb_key(i >> 32, seed)): the
 * key changes only every 2^32 elements, so the whole-array kernels below
 * compute it once per run of elements. */
uint hb_key(uint high, uint seed)
{
    return hb_hash32(seed * 0x9e3779b9U + high);
}

uint hb_hash_index(ulong i, uint seed)
{
    return hb_hash32((uint)i ^ hb_key((uint)(i >> 32), seed));
}

/* The value of element i of the array whose key (above) is `key`:
 * 1 + K * 2^-20 (f32) or 2^-48 (f64), K the random fraction; hb_frac
 * gives K, exactly. */
ulong hb_frac_at(ulong i, uint key)
{
    uint h = hb_hash32((uint)i ^ key);
#if HB_F64
    return ((ulong)(h >> 8) << 24) | (ulong)(hb_hash32(h) >> 8);
#else
    return h >> 12;
#endif
}

T hb_value_at(ulong i, uint key)
{
#if HB_F64
    return 1.0 + (double)hb_frac_at(i, key) * 0x1p-48;
#else
    return 1.0f + (float)(uint)hb_frac_at(i, key) * 0x1p-20f;
#endif
}

T hb_value(ulong i, uint seed)
{
    return hb_value_at(i, hb_key((uint)(i >> 32), seed));
}

/* Eight consecutive elements from index i (i % 2^32 <= 2^32 - 8), the same
 * values as hb_value_at lane by lane: the whole-array kernels' inner loop on
 * a CPU, written with vectors because PoCL does not vectorise a loop inside
 * a work-item by itself. */
HB_HASH32(hb_hash32_8, uint8)

#define LANES8 ((uint8)(0, 1, 2, 3, 4, 5, 6, 7))

ulong8 hb_frac_at8(ulong i, uint key)
{
    uint8 h = hb_hash32_8(((uint8)(uint)i + LANES8) ^ key);
#if HB_F64
    return (convert_ulong8(h >> 8) << 24) | convert_ulong8(hb_hash32_8(h) >> 8);
#else
    return convert_ulong8(h >> 12);
#endif
}

TV8 hb_value_at8(ulong i, uint key)
{
#if HB_F64
    return 1.0 + convert_double8(hb_frac_at8(i, key)) * 0x1p-48;
#else
    uint8 h = hb_hash32_8(((uint8)(uint)i + LANES8) ^ key);
    return 1.0f + convert_float8(convert_int8(h >> 12)) * 0x1p-20f;
#endif
}

/* Whole vectors of 8 in [lo, hi) never cross a 2^32 boundary of i, since
 * runs do not (FOR_RUNS) and lo..hi is split at one. */
#define VEC_END(lo, hi) ((lo) + (((hi) - (lo)) & ~(ulong)7))

/* The elements of this work-item in the whole-array kernels below (init,
 * check, sum), as runs [lo, hi) in which i >> 32 does not change, so each
 * array's key is computed once per run. contiguous (CPU devices): one block
 * per work-item, in runs of many elements, so a core streams it and the
 * compiler vectorises the inner loop; 0 (GPUs): the grid stride, in runs of
 * one element, coalesced. */
#define FOR_RUNS(lo, hi, n, contiguous)                                                             \
    ulong each_ = (contiguous) ? ((n) + get_global_size(0) - 1) / get_global_size(0) : 1;           \
    ulong start_ = (contiguous) ? min(get_global_id(0) * each_, (ulong)(n)) : get_global_id(0);     \
    ulong end_ = (contiguous) ? min(start_ + each_, (ulong)(n)) : (n);                              \
    for (ulong lo = start_, hi = 0; lo < end_; lo = (contiguous) ? hi : lo + get_global_size(0))    \
        if ((hi = (contiguous) ? min(end_, ((lo >> 32) + 1) << 32) : lo + 1), 1)

__kernel void init(__global T *x, uint seed, ulong n, uint contiguous)
{
    FOR_RUNS(lo, hi, n, contiguous) {
        uint key = hb_key((uint)(lo >> 32), seed);
        ulong i = lo;
        for (; i < VEC_END(lo, hi); i += 8)
            vstore8(hb_value_at8(i, key), 0, x + i);
        for (; i < hi; i++)
            x[i] = hb_value_at(i, key);
    }
}

/* A 4- or 8-byte pattern in every word of x[0, n): the poisoning of
 * outputs (hb_model.fill), spread over the device's cores where PoCL's own
 * fill runs on one (and first-touches a fresh buffer's pages on it). */
__kernel void fill32(__global uint *x, uint v, ulong n, uint contiguous)
{
    FOR_RUNS(lo, hi, n, contiguous)
        for (ulong i = lo; i < hi; i++)
            x[i] = v;
}

__kernel void fill64(__global ulong *x, ulong v, ulong n, uint contiguous)
{
    FOR_RUNS(lo, hi, n, contiguous)
        for (ulong i = lo; i < hi; i++)
            x[i] = v;
}

/* ---- verification on the device (runner/core/values.h) ----
 * Each work-item leaves its own outcome in out[]; the host adds them. */

/* x[i] == addend + coef0 * value(i, seed0) + coef1 * value(i, seed1)
 * (seed 0: no term) for every i < n: out[2g] = elements that differ (NaN
 * included), out[2g + 1] = the lowest such index (ULONG_MAX if none). */
__kernel void check(__global const T *x, ulong n, uint seed0, uint seed1, T coef0, T coef1, T addend,
                    uint contiguous, __global ulong *out)
{
    ulong wrong = 0, first = ULONG_MAX;
    FOR_RUNS(lo, hi, n, contiguous) {
        uint key0 = hb_key((uint)(lo >> 32), seed0), key1 = hb_key((uint)(lo >> 32), seed1);
        ulong i = lo;
        for (; i < VEC_END(lo, hi); i += 8) {
            TV8 want = (TV8)addend;
            if (seed0)
                want += coef0 * hb_value_at8(i, key0);
            if (seed1)
                want += coef1 * hb_value_at8(i, key1);
            /* a lane that differs (or is NaN) is -1: counted, and the
             * first one found by the scalar loop below */
            TV8 got = vload8(0, x + i);
#if HB_F64
            long8 bad = !(got == want);
            long8 none = 0;
#else
            int8 bad = !(got == want);
            int8 none = 0;
#endif
            if (any(bad != none))
                for (uint l = 0; l < 8; l++)
                    if (!(x[i + l] == ((T *)&want)[l])) {
                        wrong++;
                        first = min(first, i + l);
                    }
        }
        for (; i < hi; i++) {
            T want = addend;
            if (seed0)
                want += coef0 * hb_value_at(i, key0);
            if (seed1)
                want += coef1 * hb_value_at(i, key1);
            int bad = !(x[i] == want);
            wrong += bad;
            first = min(first, bad ? i : ULONG_MAX);
        }
    }
    out[2 * get_global_id(0)] = wrong;
    out[2 * get_global_id(0) + 1] = first;
}

/* lo + hi * 2^64 += x_lo + x_hi * 2^64 */
void add128(ulong *lo, ulong *hi, ulong x_lo, ulong x_hi)
{
    ulong t = *lo + x_lo;
    *hi += x_hi + (t < x_lo);
    *lo = t;
}

/* The exact sum of value(i, seed_a) (seed_b 0) or value(i, seed_a) *
 * value(i, seed_b), as integers: out[4g..4g+1] = S1, out[4g+2..4g+3] = S2
 * (128 bits each, low word first). */
__kernel void sum(ulong n, uint seed_a, uint seed_b, uint contiguous, __global ulong *out)
{
    ulong s1_lo = 0, s1_hi = 0, s2_lo = 0, s2_hi = 0;
    FOR_RUNS(lo, hi, n, contiguous) {
        uint key_a = hb_key((uint)(lo >> 32), seed_a), key_b = hb_key((uint)(lo >> 32), seed_b);
        ulong i = lo;
        /* per lane: S1 in 64 bits (8 lanes of at most 2^48 + 2^48 each,
         * flushed to 128 bits every vector), S2 with its carry */
        for (; i < VEC_END(lo, hi); i += 8) {
            ulong8 ka = hb_frac_at8(i, key_a), kb = seed_b ? hb_frac_at8(i, key_b) : (ulong8)0;
            ulong8 s1 = ka + kb, p_lo = ka * kb, p_hi = mul_hi(ka, kb);
            ulong t = s1.s0 + s1.s1 + s1.s2 + s1.s3 + s1.s4 + s1.s5 + s1.s6 + s1.s7;
            add128(&s1_lo, &s1_hi, t, 0);
            for (uint l = 0; l < 8 && seed_b; l++)
                add128(&s2_lo, &s2_hi, ((ulong *)&p_lo)[l], ((ulong *)&p_hi)[l]);
        }
        for (; i < hi; i++) {
            ulong ka = hb_frac_at(i, key_a);
            if (seed_b) {
                ulong kb = hb_frac_at(i, key_b);
                add128(&s1_lo, &s1_hi, ka + kb, 0);
                add128(&s2_lo, &s2_hi, ka * kb, mul_hi(ka, kb));
            } else {
                add128(&s1_lo, &s1_hi, ka, 0);
            }
        }
    }
    ulong g = get_global_id(0);
    out[4 * g] = s1_lo;
    out[4 * g + 1] = s1_hi;
    out[4 * g + 2] = s2_lo;
    out[4 * g + 3] = s2_hi;
}

/* ---- index loops ---- */
#define FOR_grid(i, nvec) \
    for (ulong i = get_global_id(0), st_ = get_global_size(0); i < (nvec); i += st_)

/* [lo, hi) of this work-item; empty (lo == hi) past the end of the array,
 * so hi - lo never wraps. */
#define BLOCK_RANGE(lo, hi, nvec)                                            \
    ulong chunk_ = ((nvec) + get_global_size(0) - 1) / get_global_size(0);   \
    ulong lo = min(get_global_id(0) * chunk_, (ulong)(nvec));                \
    ulong hi = min(lo + chunk_, (ulong)(nvec));

#ifndef HB_STREAMS
#define HB_STREAMS 1
#endif

/* EACH_<pattern>(nvec, i, stmt): stmt for every vector index i of this
 * work-item. With S streams, index j of each of the S parts of the block
 * comes together (parts of sub_ vectors; what is left past S * sub_ follows
 * one by one). */
#define EACH_grid(nvec, i, stmt) FOR_grid(i, nvec) { stmt; }

#if HB_STREAMS > 1
#define EACH_block(nvec, i, stmt)                                              \
    {                                                                          \
        BLOCK_RANGE(lo_, hi_, nvec)                                            \
        ulong sub_ = (hi_ - lo_) / HB_STREAMS;                                 \
        for (ulong j_ = 0; j_ < sub_; j_++)                                    \
            _Pragma("unroll") for (uint s_ = 0; s_ < HB_STREAMS; s_++) {       \
                ulong i = lo_ + s_ * sub_ + j_;                                \
                stmt;                                                          \
            }                                                                  \
        for (ulong i = lo_ + sub_ * HB_STREAMS; i < hi_; i++) { stmt; }        \
    }
#else
#define EACH_block(nvec, i, stmt)                                              \
    {                                                                          \
        BLOCK_RANGE(lo_, hi_, nvec)                                            \
        for (ulong i = lo_; i < hi_; i++) { stmt; }                            \
    }
#endif

/* Scalar tail past the last whole vector, done by one work-item. */
#define TAIL(V, n, stmt)                                      \
    if (get_global_id(0) == 0)                                \
        for (ulong j = ((n) / (V)) * (V); j < (n); j++) { stmt; }

#define ARGS3(V) __global TV##V *restrict a, __global TV##V *restrict b, \
                 __global TV##V *restrict c, const T s, const ulong n
#define SA ((__global T *)a)
#define SB ((__global T *)b)
#define SC ((__global T *)c)

#define ARRAY_KERNELS(P, V)                                                        \
    __kernel void copy_##P##_##V(ARGS3(V))                                         \
    {                                                                              \
        EACH_##P(n / V, i, STORE(&c[i], a[i]))                                      \
        TAIL(V, n, SC[j] = SA[j])                                                  \
    }                                                                              \
    __kernel void scale_##P##_##V(ARGS3(V))                                        \
    {                                                                              \
        EACH_##P(n / V, i, STORE(&b[i], s * c[i]))                                  \
        TAIL(V, n, SB[j] = s * SC[j])                                              \
    }                                                                              \
    __kernel void add_##P##_##V(ARGS3(V))                                          \
    {                                                                              \
        EACH_##P(n / V, i, STORE(&c[i], a[i] + b[i]))                               \
        TAIL(V, n, SC[j] = SA[j] + SB[j])                                          \
    }                                                                              \
    __kernel void triad_##P##_##V(ARGS3(V))                                        \
    {                                                                              \
        EACH_##P(n / V, i, STORE(&a[i], b[i] + s * c[i]))                           \
        TAIL(V, n, SA[j] = SB[j] + s * SC[j])                                      \
    }                                                                              \
    __kernel void write_##P##_##V(ARGS3(V))                                        \
    {                                                                              \
        const TV##V v = (TV##V)(s);                                                \
        EACH_##P(n / V, i, STORE(&a[i], v))                                         \
        TAIL(V, n, SA[j] = s)                                                      \
    }

/* ---- reductions: each work-item keeps two independent vector
 * accumulators (so a CPU can overlap the adds), sums its lanes, then the
 * work-group reduces in local memory (the work-group size is a power of two)
 * and writes one partial sum; the host adds the partials. ---- */
T hsum1(TV1 v) { return v; }
T hsum2(TV2 v) { return v.x + v.y; }
T hsum4(TV4 v) { return hsum2(v.lo + v.hi); }
T hsum8(TV8 v) { return hsum4(v.lo + v.hi); }
T hsum16(TV16 v) { return hsum8(v.lo + v.hi); }

void group_sum(T mine, __local T *scratch, __global T *partial)
{
    uint lid = get_local_id(0);
    scratch[lid] = mine;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (uint width = get_local_size(0) / 2; width > 0; width /= 2) {
        if (lid < width)
            scratch[lid] += scratch[lid + width];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0)
        partial[get_group_id(0)] = scratch[0];
}

/* Term selectors are upper case: "dot" is a builtin that PoCL defines as a
 * macro, so it must not pass through a macro argument unpasted. */
#define TERM_DOT(i) (a[i] * b[i])
#define TERM_READ(i) (a[i])
#define STERM_DOT(j) (SA[j] * SB[j])
#define STERM_READ(j) (SA[j])

#define RARGS(V) __global TV##V *restrict a, __global TV##V *restrict b, \
                 __global T *restrict partial, __local T *scratch, const ulong n

#define REDUCE_grid(K, V)                                                   \
    ulong i = get_global_id(0), st = get_global_size(0), nv = n / V;        \
    for (; i + st < nv; i += 2 * st) {                                      \
        acc0 += TERM_##K(i);                                                \
        acc1 += TERM_##K(i + st);                                           \
    }                                                                       \
    if (i < nv)                                                             \
        acc0 += TERM_##K(i);

#if HB_STREAMS > 1
/* One accumulator per stream; the left-over vectors go to acc1, and the
 * stream accumulators are added into acc0 at the end. */
#define REDUCE_block(K, V)                                                  \
    BLOCK_RANGE(lo, hi, n / V)                                              \
    ulong sub = (hi - lo) / HB_STREAMS;                                     \
    TV##V accs[HB_STREAMS];                                                 \
    for (uint s = 0; s < HB_STREAMS; s++)                                   \
        accs[s] = (TV##V)(0);                                               \
    for (ulong j = 0; j < sub; j++)                                         \
        _Pragma("unroll") for (uint s = 0; s < HB_STREAMS; s++)             \
            accs[s] += TERM_##K(lo + s * sub + j);                          \
    for (ulong i = lo + sub * HB_STREAMS; i < hi; i++)                      \
        acc1 += TERM_##K(i);                                                \
    for (uint s = 0; s < HB_STREAMS; s++)                                   \
        acc0 += accs[s];
#else
#define REDUCE_block(K, V)                                                  \
    BLOCK_RANGE(lo, hi, n / V)                                              \
    ulong i = lo;                                                           \
    for (; i + 1 < hi; i += 2) {                                            \
        acc0 += TERM_##K(i);                                                \
        acc1 += TERM_##K(i + 1);                                            \
    }                                                                       \
    if (i < hi)                                                             \
        acc0 += TERM_##K(i);
#endif

#define REDUCTION_KERNEL(NAME, K, P, V)                                     \
    __kernel void NAME##_##P##_##V(RARGS(V))                                \
    {                                                                       \
        TV##V acc0 = (TV##V)(0), acc1 = (TV##V)(0);                         \
        REDUCE_##P(K, V)                                                    \
        T mine = hsum##V(acc0 + acc1);                                      \
        TAIL(V, n, mine += STERM_##K(j))                                    \
        group_sum(mine, scratch, partial);                                  \
    }

#define ALL_KERNELS(P, V)          \
    ARRAY_KERNELS(P, V)            \
    REDUCTION_KERNEL(dot, DOT, P, V)    \
    REDUCTION_KERNEL(read, READ, P, V)

ALL_KERNELS(grid, 1)
ALL_KERNELS(grid, 2)
ALL_KERNELS(grid, 4)
ALL_KERNELS(grid, 8)
ALL_KERNELS(grid, 16)
ALL_KERNELS(block, 1)
ALL_KERNELS(block, 2)
ALL_KERNELS(block, 4)
ALL_KERNELS(block, 8)
ALL_KERNELS(block, 16)
