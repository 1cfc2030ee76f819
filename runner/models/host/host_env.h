/* SPDX-License-Identifier: Apache-2.0 */
/* host_env: the host model's opened device (its struct hb_model_env): the
 * hwloc topology, the pinned team, where the arrays live, and the timer
 * slots. Shared by the model's files only. */
#ifndef HB_HOST_ENV_H
#define HB_HOST_ENV_H

#include <hwloc.h>

#include "bench.h"
#include "host_team.h"

struct hb_model_env {
    const hb_device *dev;
    hwloc_topology_t topo;
    hwloc_bitmap_t cpuset;     /* the device's PUs */
    hwloc_bitmap_t nodeset;    /* a NUMA-node device binds its arrays there; NULL: first touch only */
    hb_team *team;
    double *seconds;           /* timer slots */
    int n_seconds;
};
typedef struct hb_model_env hb_host_env;

extern const hb_model hb_model_host;
extern const hb_kernels hb_host_stream_kernels;
extern const hb_kernels hb_host_latency_kernels; /* host_latency.c */

/* The data of a host buffer (hb_buf.handle is a host_alloc record). */
void *hb_host_ptr(const hb_buf *b);

/* host_values.c: the model's check_values and sum_values. */
int hb_host_check_values(hb_model_env *env, const hb_buf *src, hb_dtype dtype, uint64_t n,
                         const hb_values_expr *e, hb_values_check *out, hb_err *err);
int hb_host_sum_values(hb_model_env *env, hb_dtype dtype, uint64_t n, unsigned seed_a, unsigned seed_b,
                       hb_values_sum *out, hb_err *err);

/* host_discover.c */
int hb_host_discover(hb_device_list *list, char *status, size_t status_len, hb_err *err);

#endif
