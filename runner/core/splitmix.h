/* SPDX-License-Identifier: Apache-2.0 */
/* splitmix: the pseudo-random numbers hbmbench draws (GEMM inputs, compare's
 * bootstrap): splitmix64 (Steele, Lea & Flood, "Fast splittable
 * pseudorandom number generators", OOPSLA 2014): small, fast, well mixed,
 * and the same sequence from the same seed on every machine. */
#ifndef HB_SPLITMIX_H
#define HB_SPLITMIX_H

#include <stdint.h>

static inline uint64_t hb_splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

#endif
