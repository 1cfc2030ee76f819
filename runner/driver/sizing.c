/* SPDX-License-Identifier: Apache-2.0 */
/* sizing: how many elements each stream array gets (sizing.h). */
#include "sizing.h"

#include <stdio.h>
#include <string.h>

#define ARRAYS 3            /* the most arrays one stream kernel touches */
#define GPU_MIN_BYTES (1ULL << 30)
#define MEM_SHARE 0.6

uint64_t hb_largest_cache(const hb_device *dev, const hb_host_info *host)
{
    uint64_t c = dev->global_cache_bytes;
    /* A CPU device (or the host) streams through the host's caches; the
     * OpenCL figure may be a single level, so take hwloc's largest too. */
    if (hb_device_on_host_memory(dev))
        for (int i = 0; host && i < host->n_caches; i++)
            c = host->caches[i].size_bytes > c ? host->caches[i].size_bytes : c;
    return c;
}

static uint64_t capacity(const hb_device *dev, const hb_host_info *host, uint64_t *per_alloc)
{
    /* A host device without its own figure has the machine's memory. */
    int whole = dev->kind == HB_KIND_HOST && !dev->global_mem_bytes;
    uint64_t mem = whole ? (host ? host->memory_bytes : 0) : dev->global_mem_bytes;
    *per_alloc = whole || !dev->max_alloc_bytes ? mem : dev->max_alloc_bytes;
    return (uint64_t)((double)mem * MEM_SHARE / ARRAYS);
}

int hb_plan_elements(const hb_device *dev, const hb_host_info *host, const hb_size *req, size_t elem_bytes,
                     uint64_t *elements, char *why, size_t why_len, hb_err *err)
{
    char a[32], b[32], c[32];
    uint64_t per_alloc, share = capacity(dev, host, &per_alloc);
    uint64_t limit = per_alloc < share ? per_alloc : share;
    if (!req->is_auto) {
        uint64_t bytes = req->value;
        /* An element count so large that its bytes do not fit 64 bits would
         * wrap to a small size and measure something else entirely. */
        if (!req->is_bytes && __builtin_mul_overflow(req->value, (uint64_t)elem_bytes, &bytes))
            return hb_fail(err, HB_EUSAGE, "--size: %llu elements of %zu bytes is more than 2^64 bytes per array",
                           (unsigned long long)req->value, elem_bytes);
        *elements = bytes / elem_bytes;
        hb_format_bytes(bytes, a, sizeof a);
        hb_format_bytes(limit, b, sizeof b);
        if (*elements == 0)
            return hb_fail(err, HB_EUSAGE, "--size: %s is less than one element", a);
        if (bytes > limit)
            return hb_fail(err, HB_EUSAGE, "--size: %s per array does not fit %s: at most %s per array "
                           "(largest allocation, and 3 arrays in %.0f%% of its memory)",
                           a, dev->name, b, 100 * MEM_SHARE);
        snprintf(why, why_len, "--size: %s per array", a);
        return HB_OK;
    }
    uint64_t cache = hb_largest_cache(dev, host);
    uint64_t want = 4 * cache;
    int gpu = !hb_device_on_host_memory(dev);
    if (gpu && want < GPU_MIN_BYTES)
        want = GPU_MIN_BYTES;
    if (want == 0)
        want = 256ULL << 20; /* no cache reported at all: BabelStream's 2^25 doubles */
    uint64_t bytes = want < limit ? want : limit;
    *elements = bytes / elem_bytes / 4096 * 4096;
    if (*elements == 0)
        return hb_fail(err, HB_EUSAGE, "%s: too little memory for the stream arrays", dev->name);
    hb_format_bytes(*elements * elem_bytes, a, sizeof a);
    hb_format_bytes(cache, b, sizeof b);
    hb_format_bytes(limit, c, sizeof c);
    snprintf(why, why_len, "auto: %s per array (4 x %s largest cache%s%s)", a, b, gpu ? ", at least 1 GiB" : "",
             bytes < want ? ", capped by memory" : "");
    if (bytes < 4 * cache)
        snprintf(why, why_len, "auto: %s per array, capped by memory (%s) below 4 x the %s cache: "
                 "caches may inflate the figures", a, c, b);
    return HB_OK;
}
