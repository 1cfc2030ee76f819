/* SPDX-License-Identifier: Apache-2.0 */
/* stream_values: the start values of the stream arrays, shared by the host
 * (verification, host baseline) and, as a copy, kernels/opencl/stream.cl.
 *
 * Element i of array `seed` is 1 + k * 2^-B with k a hash of (i, seed):
 * B = 20 random bits for f32, 48 for f64. So the data are not constant, not
 * zero and not compressible to speak of (clpeak PR #159: constant data let
 * memory compression inflate bandwidth), yet copy, scale (s = 3), add and
 * triad results are exact in their precision whatever the rounding or FMA
 * contraction: the largest result, b + 3c < 8, needs B + 3 significant bits
 * (23 <= 24 for f32, 51 <= 53 for f64). Verification of those kernels is
 * therefore an exact comparison. Reductions (dot, read) round; see
 * hb_reduction_tolerance. */
#ifndef HB_STREAM_VALUES_H
#define HB_STREAM_VALUES_H

#include <stdint.h>

#include "values.h"

enum { HB_SEED_A = 1, HB_SEED_B = 2, HB_SEED_C = 3 };
#define HB_STREAM_SCALAR 3.0

/* lowbias32 (Chris Wellons, "Prospecting for Hash Functions", 2018). */
static inline uint32_t hb_hash32(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x7feb352dU;
    x ^= x >> 15;
    x *= 0x846ca68bU;
    x ^= x >> 16;
    return x;
}

/* hb_hash_index(i, seed) = hb_hash32((uint32_t)i ^ hb_key(i >> 32, seed)):
 * the key changes only every 2^32 elements, so loops over an array compute
 * it once per run of elements (HB_FOR_RUNS) and call the _at functions. */
static inline uint32_t hb_key(uint64_t i, uint32_t seed)
{
    return hb_hash32(seed * 0x9e3779b9U + (uint32_t)(i >> 32));
}

static inline uint32_t hb_hash_index(uint64_t i, uint32_t seed)
{
    return hb_hash32((uint32_t)i ^ hb_key(i, seed));
}

/* K(i): the random fraction of element i of the array whose key is `key`,
 * in units of 2^-20 (f32) or 2^-48 (f64); runner/core/values.h sums these
 * exactly. */
static inline uint64_t hb_frac_f32_at(uint64_t i, uint32_t key)
{
    return hb_hash32((uint32_t)i ^ key) >> 12;
}

static inline uint64_t hb_frac_f64_at(uint64_t i, uint32_t key)
{
    uint32_t h = hb_hash32((uint32_t)i ^ key);
    return ((uint64_t)(h >> 8) << 24) | (hb_hash32(h) >> 8); /* 48 bits */
}

/* The value 1 + K * 2^-B. The conversions go through int32_t (both halves
 * are below 2^24), which compilers vectorise where a 64-bit or unsigned
 * one is not; the f64 sum hi * 2^24 + lo is exact (48 bits). */
static inline float hb_value_f32_at(uint64_t i, uint32_t key)
{
    return 1.0f + (float)(int32_t)hb_frac_f32_at(i, key) * 0x1p-20f;
}

static inline double hb_value_f64_at(uint64_t i, uint32_t key)
{
    uint32_t h = hb_hash32((uint32_t)i ^ key);
    double k = (double)(int32_t)(h >> 8) * 0x1p24 + (double)(int32_t)(hb_hash32(h) >> 8);
    return 1.0 + k * 0x1p-48;
}

static inline float hb_value_f32(uint64_t i, uint32_t seed)
{
    return hb_value_f32_at(i, hb_key(i, seed));
}

static inline double hb_value_f64(uint64_t i, uint32_t seed)
{
    return hb_value_f64_at(i, hb_key(i, seed));
}

/* Runs [lo, hi) of [start, end) in which i >> 32 does not change. */
static inline uint64_t hb_run_end(uint64_t lo, uint64_t end)
{
    uint64_t next = ((lo >> 32) + 1) << 32;
    return next > end || next == 0 ? end : next;
}
#define HB_FOR_RUNS(lo, hi, start, end)                                                              \
    for (uint64_t lo = (start), hi = 0; lo < (end); lo = hi)                                         \
        if ((hi = hb_run_end(lo, (end))), 1)

/* The value of an hb_values_expr at element i, in the element type (as the
 * models' check kernels compute it), given each term's key. */
static inline float hb_values_expr_f32_at(const hb_values_expr *e, uint64_t i, uint32_t key0, uint32_t key1)
{
    float v = (float)e->constant;
    if (e->seed[0])
        v += (float)e->coef[0] * hb_value_f32_at(i, key0);
    if (e->seed[1])
        v += (float)e->coef[1] * hb_value_f32_at(i, key1);
    return v;
}

static inline double hb_values_expr_f64_at(const hb_values_expr *e, uint64_t i, uint32_t key0, uint32_t key1)
{
    double v = e->constant;
    if (e->seed[0])
        v += e->coef[0] * hb_value_f64_at(i, key0);
    if (e->seed[1])
        v += e->coef[1] * hb_value_f64_at(i, key1);
    return v;
}

static inline float hb_values_expr_f32(const hb_values_expr *e, uint64_t i)
{
    return hb_values_expr_f32_at(e, i, hb_key(i, e->seed[0]), hb_key(i, e->seed[1]));
}

static inline double hb_values_expr_f64(const hb_values_expr *e, uint64_t i)
{
    return hb_values_expr_f64_at(e, i, hb_key(i, e->seed[0]), hb_key(i, e->seed[1]));
}

/* Adds the exact sum over i in [lo, lo + n) of value(i, seed_a) (seed_b 0)
 * or value(i, seed_a) * value(i, seed_b) to *into, on the calling thread:
 * the host model's sum_values, the host cross-check and the tests'
 * reference (stream_values.c). */
void hb_values_sum_range(int f64, uint64_t lo, uint64_t n, unsigned seed_a, unsigned seed_b, hb_values_sum *into);
/* The sum as a number (rounded once, to long double). */
long double hb_values_sum_value(const hb_values_sum *s, int f64);

#endif
