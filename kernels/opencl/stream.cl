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
uint hb_hash32(uint x)
{
    x ^= x >> 16;
    x *= 0x7feb352dU;
    x ^= x >> 15;
    x *= 0x846ca68bU;
    x ^= x >> 16;
    return x;
}

uint hb_hash_index(ulong i, uint seed)
{
    return hb_hash32((uint)i ^ hb_hash32(seed * 0x9e3779b9U + (uint)(i >> 32)));
}

T hb_value(ulong i, uint seed)
{
    uint h = hb_hash_index(i, seed);
#if HB_F64
    ulong k = ((ulong)(h >> 8) << 24) | (ulong)(hb_hash32(h) >> 8);
    return 1.0 + (double)k * 0x1p-48;
#else
    return 1.0f + (float)(h >> 12) * 0x1p-20f;
#endif
}

__kernel void init(__global T *x, uint seed, ulong n)
{
    for (ulong i = get_global_id(0); i < n; i += get_global_size(0))
        x[i] = hb_value(i, seed);
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
