/* host_stream: the native host baseline (device "host"): STREAM without
 * OpenCL. One thread per core, pinned with hwloc; each thread first-touches
 * the part of every array it later streams, so pages live on its NUMA node.
 * Measured for each NUMA node on its own (threads and memory of that node)
 * and for the whole machine. It is the ceiling the CPU OpenCL device is
 * judged against. Kernels and byte counts are those of the stream family. */
#ifndef HB_HOST_STREAM_H
#define HB_HOST_STREAM_H

#include <stdint.h>

#include "hb_error.h"
#include "result.h"
#include "topology.h"

typedef struct hb_host_stream_opts {
    const char *const *benches;  /* NULL-terminated names: copy scale add triad dot read write */
    const char *const *dtypes;   /* NULL-terminated: "f32", "f64" */
    uint64_t bytes_per_array;    /* 0: auto (4x the largest cache, at least 256 MiB) */
    int iters;                   /* timed iterations (warm-up excluded) */
    int warmup;
    int nontemporal;             /* 1: streaming stores where the CPU has them (recorded in config) */
} hb_host_stream_opts;

/* Appends one hb_result per (scope, bench, dtype) to out, scopes being
 * "numa:<P#>" for each NUMA node (only when there are 2 or more) and
 * "machine". Results carry device "host", family "host-stream", timer
 * "host-clock", config {scope, threads, stores}, and are verified. */
int hb_host_stream_run(hb_topology *topo, const hb_device *host_dev,
                       const hb_host_stream_opts *opts, hb_result_list *out, hb_err *err);

#endif
