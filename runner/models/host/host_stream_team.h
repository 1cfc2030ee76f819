/* host_stream_team: the threads, memory and timing of the host baseline for
 * one scope (a NUMA node or the machine). Private to host_stream.c. */
#ifndef HB_HOST_STREAM_TEAM_H
#define HB_HOST_STREAM_TEAM_H

#include <stdint.h>

#include <hwloc.h>

#include "hb_error.h"
#include "host_stream_kernels.h"

/* Elements per array: the bytes asked for, rounded down to a multiple of 64
 * elements so every block is whole vectors and 256-byte aligned. */
static inline uint64_t hb_hs_elements(uint64_t bytes_per_array, int dtype)
{
    return bytes_per_array / hb_hs_dtype_size[dtype] / 64 * 64;
}

/* One bench x dtype to run; the team fills everything after `samples`. */
typedef struct hb_hs_job {
    int bench, dtype;
    double *samples;                   /* plan->iters entries, owned by the caller */
    double wall_s;                     /* the whole timed batch, s */
    long double sum_got, sum_expected; /* dot and read */
    uint64_t chain;                    /* longest rounding chain of that sum */
    hb_hs_check bad;                   /* first wrong element; bad.bad == UINT64_MAX: none */
} hb_hs_job;

typedef struct hb_hs_plan {
    hwloc_topology_t topo;           /* the live machine */
    hwloc_const_cpuset_t cpuset;     /* one thread per core of this set */
    hwloc_const_nodeset_t membind;   /* bind the arrays to these nodes; NULL: first touch only */
    uint64_t bytes_per_array;
    const hb_hs_isa *isa;
    int warmup, iters;
} hb_hs_plan;

/* Runs every job in order on one team of pinned threads sharing three
 * arrays; sets *n_threads. HB_EFAIL when memory, a thread, a binding or the
 * clock fails. A wrong result is not an error: it is in the job. */
int hb_hs_team_run(const hb_hs_plan *plan, hb_hs_job *jobs, int n_jobs, int *n_threads,
                   hb_err *err);

#endif
