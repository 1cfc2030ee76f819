/* SPDX-License-Identifier: Apache-2.0 */
/* The start values of kernels/cuda/stream.cu, the CUDA model's copy of
 * benches/stream_values.h, equal the one definition, value by value: its
 * host-and-device functions run on the host (compiled by nvcc; no GPU is
 * needed) at indices in the first 2^32, around 2^32 and far beyond, where
 * the hash's high half changes. Built and run by tests/cuda_values.sh with
 * -DHB_F64=0 and 1. */
#include <stdint.h>
#include <stdio.h>

namespace ref {
#include "stream_values.h"
}

#define HB_VEC 1 /* the kernels need a configuration to compile; the values do not depend on it */
#define HB_ILP 1
#define HB_LOOP 1
#define HB_ATOMIC 0
#include "stream.cu"

int main()
{
    const unsigned long long starts[] = {0, (1ull << 32) - 4096, 1ull << 33, (1ull << 40) + 12345};
    unsigned long long wrong = 0, n = 0;
    for (unsigned seed = 1; seed <= 3; seed++)
        for (int s = 0; s < 4; s++)
            for (unsigned long long i = starts[s]; i < starts[s] + 8192; i++, n++) {
                uint32_t key = ref::hb_key(i, seed);
#if HB_F64
                wrong += hb_value(i, seed) != ref::hb_value_f64(i, seed) || hb_frac(i, seed) != ref::hb_frac_f64_at(i, key);
#else
                wrong += hb_value(i, seed) != ref::hb_value_f32(i, seed) || hb_frac(i, seed) != ref::hb_frac_f32_at(i, key);
#endif
            }
    printf("%s stream.cu start values (HB_F64=%d): %llu of %llu differ from stream_values.h\n", wrong ? "FAIL" : "PASS",
           HB_F64, wrong, n);
    return wrong != 0;
}
