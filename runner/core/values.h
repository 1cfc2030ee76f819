/* SPDX-License-Identifier: Apache-2.0 */
/* values: what a model's own kernels check and sum on the device, so that
 * verifying gigabytes needs no host pass over them (the values are those
 * of benches/stream_values.h: element i of array `seed` is
 * 1 + K(i, seed) * 2^-B, with B = 20 for f32 and 48 for f64).
 *
 * check: every element is compared exactly with the value an expression of
 * the index gives; the device reports how many differ and the lowest such
 * index, and the host reads back only that one element to name it.
 * sum: the exact sum of a or of a*b over every index, in integers:
 *   sum a   = n + S1 * 2^-B                     (S1 = sum K_a)
 *   sum a*b = n + S1 * 2^-B + S2 * 2^-2B        (S1 = sum K_a + K_b, S2 = sum K_a K_b)
 * so the reference of a reduction has no rounding of its own. */
#ifndef HB_VALUES_H
#define HB_VALUES_H

#include <stdint.h>

/* The value element i must hold:
 * coef[0] * value(i, seed[0]) + coef[1] * value(i, seed[1]) + constant,
 * in the element type; seed 0 leaves its term out. Every product and sum
 * is exact in the element type for the stream kernels (stream_values.h),
 * so the order of evaluation does not matter. */
typedef struct hb_values_expr {
    unsigned seed[2];
    double coef[2];
    double constant;
} hb_values_expr;

/* The outcome of a check: elements that differ (NaN included) and the
 * lowest index among them (UINT64_MAX when none). */
typedef struct hb_values_check {
    uint64_t wrong;
    uint64_t first;
} hb_values_check;

/* An exact sum: S1 and S2 above as little-endian 64-bit words. */
typedef struct hb_values_sum {
    uint64_t n;
    uint64_t s1[2];
    uint64_t s2[3];
} hb_values_sum;

/* Adds one check's partial outcome (a work-item's, a thread's) to *into. */
static inline void hb_values_check_add(hb_values_check *into, uint64_t wrong, uint64_t first)
{
    into->wrong += wrong;
    if (wrong && first < into->first)
        into->first = first;
}

/* Adds the 128-bit number lo + hi * 2^64 to the words w[0..words). */
static inline void hb_values_words_add(uint64_t *w, int words, uint64_t lo, uint64_t hi)
{
    uint64_t t = w[0] + lo;
    uint64_t carry = t < lo;
    w[0] = t;
    t = w[1] + hi;
    uint64_t carry2 = t < hi;
    w[1] = t + carry;
    carry2 += w[1] < t;
    if (words > 2)
        w[2] += carry2;
}

/* Adds one work-item's or thread's sum, laid out as the sum kernels
 * leave it (S1 low, S1 high, S2 low, S2 high), to *into. */
static inline void hb_values_sum_add_item(hb_values_sum *into, const uint64_t w[4])
{
    hb_values_words_add(into->s1, 2, w[0], w[1]);
    hb_values_words_add(into->s2, 3, w[2], w[3]);
}

#endif
