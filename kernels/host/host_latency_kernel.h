/* SPDX-License-Identifier: Apache-2.0 */
/* host_latency_kernel: the host model's pointer chase (benches/latency.h),
 * plain C: a chain of dependent loads has nothing to vectorise, so one
 * variant serves every instruction set. */
#ifndef HB_HOST_LATENCY_KERNEL_H
#define HB_HOST_LATENCY_KERNEL_H

#include <stdint.h>

/* Follows i = next[i] `loads` times from start; returns where it ended. */
uint32_t hb_hl_chase(const uint32_t *next, uint32_t start, uint64_t loads);

#endif
