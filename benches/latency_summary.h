/* SPDX-License-Identifier: Apache-2.0 */
/* latency_summary: the plateaus of each device's latency sweep
 * (docs/latency.md#plateaus). For each cache level the device reports (one
 * core's L1d and L2 from hwloc; the global cache, the last level, from its
 * model: a GPU's L2) and for device memory, the median over the working
 * sets well inside that level, ws <= level / 2 and ws > 2 x the level
 * below (for the first level reported on a GPU, whose L1 is not reported:
 * ws > level / 8); memory: ws > 2 x the last level. Each working set gives
 * its best ns per load (the fastest iteration).
 *
 * Record keys: device_index, device, model, level ("L1", "L2", "L3",
 * "memory"), level_bytes (0 for memory), source (where the size came
 * from), lo_bytes and hi_bytes (the working sets used: lo < ws <= hi; hi
 * 0: no bound), points, ns_per_load (NAN when no working set lies there).
 * Derived data, computed whenever a run is written or printed. */
#ifndef HB_LATENCY_SUMMARY_H
#define HB_LATENCY_SUMMARY_H

#include <stddef.h>
#include <stdio.h>

#include "bench.h"

/* The family's hooks (hb_family.summarize, print_summary). */
size_t hb_latency_summarize(const hb_run *run, hb_params *out, size_t max);
void hb_latency_print(FILE *f, const hb_params *rec);

#endif
