/* SPDX-License-Identifier: Apache-2.0 */
/* place_hwloc: the hb_place of runner/core/place.h over a loaded hwloc
 * topology (place_hwloc.c), so benches bind threads and memory to NUMA
 * nodes without knowing hwloc. */
#ifndef HB_PLACE_HWLOC_H
#define HB_PLACE_HWLOC_H

#include "place.h"

/* p's calls over topology (an hwloc_topology_t, loaded and kept by the caller). */
void hb_place_init(hb_place *p, void *topology);

#endif
