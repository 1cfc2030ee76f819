/* SPDX-License-Identifier: Apache-2.0 */
/* host_info: the machine a run happened on (JSON "host"): names from the
 * OS, and a topology summary from hwloc (filled by runner/discovery/host_collect.c). */
#ifndef HB_HOST_INFO_H
#define HB_HOST_INFO_H

#include <stdint.h>

#define HB_MAX_CACHE_LEVELS 5

typedef struct hb_cache_level {
    char name[8];          /* "L1d", "L2", "L3", ... */
    uint64_t size_bytes;   /* one instance */
    unsigned count;        /* instances in the machine */
    unsigned line_bytes;
} hb_cache_level;

typedef struct hb_host_info {
    char hostname[256];
    char os[128];          /* PRETTY_NAME from /etc/os-release */
    char kernel[128];      /* uname -sr */
    char cpu_model[128];   /* hwloc CPUModel info, else /proc/cpuinfo */
    unsigned packages, numa_nodes, cores, pus;
    uint64_t memory_bytes; /* hwloc total memory */
    hb_cache_level caches[HB_MAX_CACHE_LEVELS];
    int n_caches;
    char hwloc_version[16];
} hb_host_info;

#endif
