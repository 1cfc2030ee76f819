/* SPDX-License-Identifier: Apache-2.0 */
/* stream_values: exact sums of the stream start values on the host
 * (runner/core/values.h gives the arithmetic). */
#include <math.h>

#include "stream_values.h"

void hb_values_sum_range(int f64, uint64_t lo, uint64_t n, unsigned seed_a, unsigned seed_b, hb_values_sum *into)
{
    HB_FOR_RUNS(r, r_end, lo, lo + n) {
        uint32_t key_a = hb_key(r, seed_a), key_b = hb_key(r, seed_b);
        uint64_t s1 = 0; /* flushed every 2^14 elements: (2^48 + 2^48) * 2^14 < 2^64 */
        for (uint64_t i = r; i < r_end; i++) {
            uint64_t ka = f64 ? hb_frac_f64_at(i, key_a) : hb_frac_f32_at(i, key_a);
            uint64_t kb = !seed_b ? 0 : f64 ? hb_frac_f64_at(i, key_b) : hb_frac_f32_at(i, key_b);
            s1 += ka + kb;
            if (seed_b) {
                unsigned __int128 p = (unsigned __int128)ka * kb;
                hb_values_words_add(into->s2, 3, (uint64_t)p, (uint64_t)(p >> 64));
            }
            if (((i - r) & 0x3fff) == 0x3fff) {
                hb_values_words_add(into->s1, 2, s1, 0);
                s1 = 0;
            }
        }
        hb_values_words_add(into->s1, 2, s1, 0);
    }
    into->n += n;
}

long double hb_values_sum_value(const hb_values_sum *s, int f64)
{
    int b = f64 ? 48 : 20;
    long double s1 = ldexpl((long double)s->s1[1], 64) + (long double)s->s1[0];
    long double s2 = ldexpl((long double)s->s2[2], 128) + ldexpl((long double)s->s2[1], 64) + (long double)s->s2[0];
    return (long double)s->n + ldexpl(s1, -b) + ldexpl(s2, -2 * b);
}
