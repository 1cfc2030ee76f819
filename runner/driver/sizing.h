/* SPDX-License-Identifier: Apache-2.0 */
/* sizing: how many elements each array of a stream kernel gets.
 *
 * auto follows STREAM's rule (each array at least 4x the largest cache, so
 * no level of cache can hold the working set), raised to 1 GiB per array on
 * GPUs and accelerators so a kernel runs long enough (about a millisecond
 * at 3 TB/s) to dwarf launch overhead and to fill the device, then capped by
 * the device's largest allocation and by 3 arrays fitting in 60% of its
 * global memory. Element counts are rounded down to a multiple of 4096.
 * Explicit sizes are per array; one that cannot fit is a usage error. */
#ifndef HB_SIZING_H
#define HB_SIZING_H

#include "device.h"
#include "host_info.h"
#include "parse.h"

/* *elements for one array of elem_bytes-sized elements; why gets a short
 * explanation of the choice ("auto: 4 x 32.0 MiB L3 = 128.0 MiB per array"). */
int hb_plan_elements(const hb_device *dev, const hb_host_info *host, const hb_size *req, size_t elem_bytes,
                     uint64_t *elements, char *why, size_t why_len, hb_err *err);

/* The largest cache that could hold stream data on dev, in bytes. */
uint64_t hb_largest_cache(const hb_device *dev, const hb_host_info *host);

#endif
