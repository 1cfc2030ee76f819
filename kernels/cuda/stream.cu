/* SPDX-License-Identifier: Apache-2.0 */
/* stream.cu: the stream family (copy, scale, add, triad, write, dot, read)
 * and the initialisation of its arrays, in CUDA C++ for the cuda model,
 * compiled at run time by NVRTC (runner/models/cuda/cuda_nvrtc.c).
 *
 * Compile-time options (-D), one module per combination:
 *   HB_F64    0|1      element type float or double
 *   HB_VEC    1|2|4    vector width of each access: float, float2, float4;
 *                      double, double2 (HB_F64 with HB_VEC 4 is rejected)
 *   HB_ILP    1|2|4    vectors in flight per thread per step (loads issued
 *                      before any store or add, for memory-level parallelism)
 *   HB_LOOP   1|0      1: grid-stride loop over a grid sized to fill the
 *                      device once; 0: one pass, each thread HB_ILP vectors
 *                      and a grid that covers the array
 *   HB_ATOMIC 0|1      reductions: 0 writes one partial sum per block (the
 *                      host adds them, benches/stream_verify.c); 1 adds each
 *                      block's sum into partial[0] with atomicAdd
 * Kernel names are the bench names (extern "C", unmangled), plus init,
 * fill64, check and sum (verification on the device). Arguments: n is
 * the element count; elements past the last whole vector are done by
 * thread 0 of block 0, so any n works. Every index is
 * 64-bit (unsigned long long): arrays of more than 2^31 elements are fine.
 * Blocks are multiples of 32 threads (the warp size of every NVIDIA GPU so
 * far: CUDA C++ Programming Guide, "SIMT Architecture"), as the block
 * reduction below needs.
 *
 * The start values and the hash must stay identical to benches/stream_values.h. */

typedef unsigned long long u64;
typedef unsigned int u32;

#if HB_F64
typedef double T;
#if HB_VEC == 1
typedef double TV;
#elif HB_VEC == 2
typedef double2 TV;
#else
#error "f64 runs with HB_VEC 1 or 2"
#endif
#else
typedef float T;
#if HB_VEC == 1
typedef float TV;
#elif HB_VEC == 2
typedef float2 TV;
#elif HB_VEC == 4
typedef float4 TV;
#else
#error "f32 runs with HB_VEC 1, 2 or 4"
#endif
#endif

/* ---- start values (benches/stream_values.h) ----
 * Host and device functions, so tests/cuda_values.sh can compare them on
 * the host with stream_values.h (nvcc, no GPU needed). */
#define HB_HD __host__ __device__ __forceinline__
HB_HD u32 hb_hash32(u32 x)
{
    x ^= x >> 16;
    x *= 0x7feb352dU;
    x ^= x >> 15;
    x *= 0x846ca68bU;
    x ^= x >> 16;
    return x;
}

HB_HD u32 hb_hash_index(u64 i, u32 seed)
{
    return hb_hash32((u32)i ^ hb_hash32(seed * 0x9e3779b9U + (u32)(i >> 32)));
}

/* K(i, seed): the random fraction of element i, in units of 2^-20 (f32)
 * or 2^-48 (f64). */
HB_HD u64 hb_frac(u64 i, u32 seed)
{
    u32 h = hb_hash_index(i, seed);
#if HB_F64
    return ((u64)(h >> 8) << 24) | (u64)(hb_hash32(h) >> 8);
#else
    return h >> 12;
#endif
}

HB_HD T hb_value(u64 i, u32 seed)
{
#if HB_F64
    return 1.0 + (double)hb_frac(i, seed) * 0x1p-48;
#else
    return 1.0f + (float)hb_frac(i, seed) * 0x1p-20f;
#endif
}

#define FOR_GRID(i, n) \
    for (u64 i = (u64)blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += (u64)gridDim.x * blockDim.x)

extern "C" __global__ void init(T *__restrict__ x, u32 seed, u64 n)
{
    FOR_GRID(i, n)
        x[i] = hb_value(i, seed);
}

/* ---- verification on the device (runner/core/values.h) ----
 * Each thread leaves its own outcome in out[] (thread g = its index in the
 * grid); the host adds them. */

/* x[i] == constant + coef0 * value(i, seed0) + coef1 * value(i, seed1)
 * (seed 0: no term) for every i < n: out[2g] = elements that differ (NaN
 * included), out[2g + 1] = the lowest such index (all ones if none). */
extern "C" __global__ void check(const T *__restrict__ x, u64 n, u32 seed0, u32 seed1, T coef0, T coef1,
                                 T constant, u64 *__restrict__ out)
{
    u64 wrong = 0, first = ~0ull;
    FOR_GRID(i, n) {
        T want = constant;
        if (seed0)
            want += coef0 * hb_value(i, seed0);
        if (seed1)
            want += coef1 * hb_value(i, seed1);
        bool bad = !(x[i] == want);
        wrong += bad;
        first = bad && i < first ? i : first;
    }
    u64 g = (u64)blockIdx.x * blockDim.x + threadIdx.x;
    out[2 * g] = wrong;
    out[2 * g + 1] = first;
}

/* lo + hi * 2^64 += x_lo + x_hi * 2^64 */
__device__ __forceinline__ void add128(u64 &lo, u64 &hi, u64 x_lo, u64 x_hi)
{
    u64 t = lo + x_lo;
    hi += x_hi + (t < x_lo);
    lo = t;
}

/* The exact sum of value(i, seed_a) (seed_b 0) or value(i, seed_a) *
 * value(i, seed_b), as integers: out[4g..4g+1] = S1, out[4g+2..4g+3] = S2
 * (128 bits each, low word first). */
extern "C" __global__ void sum(u64 n, u32 seed_a, u32 seed_b, u64 *__restrict__ out)
{
    u64 s1_lo = 0, s1_hi = 0, s2_lo = 0, s2_hi = 0;
    FOR_GRID(i, n) {
        u64 ka = hb_frac(i, seed_a);
        if (seed_b) {
            u64 kb = hb_frac(i, seed_b);
            add128(s1_lo, s1_hi, ka + kb, 0);
            add128(s2_lo, s2_hi, ka * kb, __umul64hi(ka, kb));
        } else {
            add128(s1_lo, s1_hi, ka, 0);
        }
    }
    u64 g = (u64)blockIdx.x * blockDim.x + threadIdx.x;
    out[4 * g] = s1_lo;
    out[4 * g + 1] = s1_hi;
    out[4 * g + 2] = s2_lo;
    out[4 * g + 3] = s2_hi;
}

/* A 64-bit pattern (the driver's memsets stop at 32 bits). */
extern "C" __global__ void fill64(u64 *__restrict__ x, u64 v, u64 n)
{
    FOR_GRID(i, n)
        x[i] = v;
}

/* ---- lane-wise arithmetic on the vector types ---- */
__device__ __forceinline__ T lane_sum(T v) { return v; }
__device__ __forceinline__ T splat(T s, T) { return s; }
__device__ __forceinline__ T vadd(T a, T b) { return a + b; }
__device__ __forceinline__ T vmul(T s, T v) { return s * v; }
#if HB_VEC >= 2
#if HB_F64
#define V2 double2
#else
#define V2 float2
#endif
__device__ __forceinline__ T lane_sum(V2 v) { return v.x + v.y; }
__device__ __forceinline__ V2 splat(T s, V2) { V2 r; r.x = r.y = s; return r; }
__device__ __forceinline__ V2 vadd(V2 a, V2 b) { V2 r; r.x = a.x + b.x; r.y = a.y + b.y; return r; }
__device__ __forceinline__ V2 vmul(T s, V2 v) { V2 r; r.x = s * v.x; r.y = s * v.y; return r; }
#endif
#if HB_VEC == 4
__device__ __forceinline__ T lane_sum(float4 v) { return v.x + v.y + v.z + v.w; }
__device__ __forceinline__ float4 splat(T s, float4) { float4 r; r.x = r.y = r.z = r.w = s; return r; }
__device__ __forceinline__ float4 vadd(float4 a, float4 b)
{
    float4 r; r.x = a.x + b.x; r.y = a.y + b.y; r.z = a.z + b.z; r.w = a.w + b.w; return r;
}
__device__ __forceinline__ float4 vmul(T s, float4 v)
{
    float4 r; r.x = s * v.x; r.y = s * v.y; r.z = s * v.z; r.w = s * v.w; return r;
}
#endif

/* ---- array kernels: an operation is what it loads (vector i, or scalar
 * element j for the tail) and where it stores. ---- */
struct Arrays {
    T *a, *b, *c;
    T s;
    __device__ TV *va() const { return (TV *)a; }
    __device__ TV *vb() const { return (TV *)b; }
    __device__ TV *vc() const { return (TV *)c; }
};

struct Copy : Arrays {
    __device__ TV load(u64 i) const { return va()[i]; }
    __device__ void store(u64 i, TV v) const { vc()[i] = v; }
    __device__ void scalar(u64 j) const { c[j] = a[j]; }
};
struct Scale : Arrays {
    __device__ TV load(u64 i) const { return vmul(s, vc()[i]); }
    __device__ void store(u64 i, TV v) const { vb()[i] = v; }
    __device__ void scalar(u64 j) const { b[j] = s * c[j]; }
};
struct Add : Arrays {
    __device__ TV load(u64 i) const { return vadd(va()[i], vb()[i]); }
    __device__ void store(u64 i, TV v) const { vc()[i] = v; }
    __device__ void scalar(u64 j) const { c[j] = a[j] + b[j]; }
};
struct Triad : Arrays {
    __device__ TV load(u64 i) const { return vadd(vb()[i], vmul(s, vc()[i])); }
    __device__ void store(u64 i, TV v) const { va()[i] = v; }
    __device__ void scalar(u64 j) const { a[j] = b[j] + s * c[j]; }
};
struct Write : Arrays {
    __device__ TV load(u64) const { return splat(s, TV()); }
    __device__ void store(u64 i, TV v) const { va()[i] = v; }
    __device__ void scalar(u64 j) const { a[j] = s; }
};

template <class Op> __device__ __forceinline__ void stream_array(const Op &op, u64 n)
{
    const u64 nv = n / HB_VEC;
    TV r[HB_ILP];
#if HB_LOOP
    const u64 stride = (u64)gridDim.x * blockDim.x;
    u64 i = (u64)blockIdx.x * blockDim.x + threadIdx.x;
    for (; i + (HB_ILP - 1) * stride < nv; i += HB_ILP * stride) {
#pragma unroll
        for (int u = 0; u < HB_ILP; u++)
            r[u] = op.load(i + u * stride);
#pragma unroll
        for (int u = 0; u < HB_ILP; u++)
            op.store(i + u * stride, r[u]);
    }
    for (; i < nv; i += stride)
        op.store(i, op.load(i));
#else
    const u64 base = (u64)blockIdx.x * blockDim.x * HB_ILP + threadIdx.x;
#pragma unroll
    for (int u = 0; u < HB_ILP; u++)
        if (base + (u64)u * blockDim.x < nv)
            r[u] = op.load(base + (u64)u * blockDim.x);
#pragma unroll
    for (int u = 0; u < HB_ILP; u++)
        if (base + (u64)u * blockDim.x < nv)
            op.store(base + (u64)u * blockDim.x, r[u]);
#endif
    if (blockIdx.x == 0 && threadIdx.x == 0)
        for (u64 j = nv * HB_VEC; j < n; j++)
            op.scalar(j);
}

#define ARRAY_KERNEL(name, Op)                                                                     \
    extern "C" __global__ void name(T *__restrict__ a, T *__restrict__ b, T *__restrict__ c, T s, \
                                    u64 n)                                                         \
    {                                                                                              \
        Op op;                                                                                     \
        op.a = a, op.b = b, op.c = c, op.s = s;                                                    \
        stream_array(op, n);                                                                       \
    }
ARRAY_KERNEL(copy, Copy)
ARRAY_KERNEL(scale, Scale)
ARRAY_KERNEL(add, Add)
ARRAY_KERNEL(triad, Triad)
ARRAY_KERNEL(write, Write)

/* ---- reductions: each thread keeps HB_ILP vector accumulators, adds
 * them and their lanes, then the block reduces: within each warp by
 * shuffles, across warps through shared memory (CUDA C++ Programming
 * Guide, "Warp Shuffle Functions"). ---- */
struct Dot {
    const T *a, *b;
    __device__ TV term(u64 i) const
    {
        TV x = ((const TV *)a)[i], y = ((const TV *)b)[i];
#if HB_VEC == 1
        return x * y;
#elif HB_VEC == 2
        TV r; r.x = x.x * y.x; r.y = x.y * y.y; return r;
#else
        TV r; r.x = x.x * y.x; r.y = x.y * y.y; r.z = x.z * y.z; r.w = x.w * y.w; return r;
#endif
    }
    __device__ T scalar(u64 j) const { return a[j] * b[j]; }
};
struct Read {
    const T *a, *b;
    __device__ TV term(u64 i) const { return ((const TV *)a)[i]; }
    __device__ T scalar(u64 j) const { return a[j]; }
};

__device__ __forceinline__ T block_sum(T v)
{
    __shared__ T warp_sums[32];
    const unsigned lane = threadIdx.x & 31u, warp = threadIdx.x >> 5;
    for (int off = 16; off > 0; off >>= 1)
        v += __shfl_down_sync(0xffffffffu, v, off);
    if (lane == 0)
        warp_sums[warp] = v;
    __syncthreads();
    const unsigned warps = blockDim.x >> 5;
    v = threadIdx.x < warps ? warp_sums[threadIdx.x] : (T)0;
    if (warp == 0)
        for (int off = 16; off > 0; off >>= 1)
            v += __shfl_down_sync(0xffffffffu, v, off);
    return v;
}

template <class Term> __device__ __forceinline__ void stream_reduce(const Term &t, T *__restrict__ partial, u64 n)
{
    const u64 nv = n / HB_VEC;
    TV acc[HB_ILP];
#pragma unroll
    for (int u = 0; u < HB_ILP; u++)
        acc[u] = splat((T)0, TV());
#if HB_LOOP
    const u64 stride = (u64)gridDim.x * blockDim.x;
    u64 i = (u64)blockIdx.x * blockDim.x + threadIdx.x;
    for (; i + (HB_ILP - 1) * stride < nv; i += HB_ILP * stride) {
        TV x[HB_ILP];
#pragma unroll
        for (int u = 0; u < HB_ILP; u++)
            x[u] = t.term(i + u * stride);
#pragma unroll
        for (int u = 0; u < HB_ILP; u++)
            acc[u] = vadd(acc[u], x[u]);
    }
    for (; i < nv; i += stride)
        acc[0] = vadd(acc[0], t.term(i));
#else
    const u64 base = (u64)blockIdx.x * blockDim.x * HB_ILP + threadIdx.x;
#pragma unroll
    for (int u = 0; u < HB_ILP; u++)
        if (base + (u64)u * blockDim.x < nv)
            acc[u] = t.term(base + (u64)u * blockDim.x);
#endif
    T mine = 0;
#pragma unroll
    for (int u = 0; u < HB_ILP; u++)
        mine += lane_sum(acc[u]);
    if (blockIdx.x == 0 && threadIdx.x == 0)
        for (u64 j = nv * HB_VEC; j < n; j++)
            mine += t.scalar(j);
    T sum = block_sum(mine);
    if (threadIdx.x == 0) {
#if HB_ATOMIC
        atomicAdd(&partial[0], sum);
#else
        partial[blockIdx.x] = sum;
#endif
    }
}

#define REDUCTION_KERNEL(name, Term)                                                                    \
    extern "C" __global__ void name(const T *__restrict__ a, const T *__restrict__ b, T *__restrict__ partial, \
                                    u64 n)                                                              \
    {                                                                                                   \
        Term t;                                                                                         \
        t.a = a, t.b = b;                                                                               \
        stream_reduce(t, partial, n);                                                                   \
    }
REDUCTION_KERNEL(dot, Dot)
REDUCTION_KERNEL(read, Read)
