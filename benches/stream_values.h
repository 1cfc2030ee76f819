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

static inline uint32_t hb_hash_index(uint64_t i, uint32_t seed)
{
    return hb_hash32((uint32_t)i ^ hb_hash32(seed * 0x9e3779b9U + (uint32_t)(i >> 32)));
}

static inline float hb_value_f32(uint64_t i, uint32_t seed)
{
    return 1.0f + (float)(hb_hash_index(i, seed) >> 12) * 0x1p-20f;
}

static inline double hb_value_f64(uint64_t i, uint32_t seed)
{
    uint32_t h = hb_hash_index(i, seed);
    uint64_t k = ((uint64_t)(h >> 8) << 24) | (hb_hash32(h) >> 8); /* 48 bits */
    return 1.0 + (double)k * 0x1p-48;
}

#endif
