/* SPDX-License-Identifier: Apache-2.0 */
/* host_latency_kernel: the host model's pointer chase (host_latency_kernel.h). */
#include "host_latency_kernel.h"

/* Kept out of line: the loop is the whole measurement, and the end index
 * it returns is checked (benches/latency_data.c), so the compiler can
 * neither drop nor reorder the loads. */
__attribute__((noinline)) uint32_t hb_hl_chase(const uint32_t *next, uint32_t start, uint64_t loads)
{
    uint32_t i = start;
    for (uint64_t k = 0; k < loads; k++)
        i = next[i];
    return i;
}
