/* SPDX-License-Identifier: Apache-2.0 */
/* place: binding the calling thread, and the memory it allocates, to NUMA
 * nodes, for benches that place host memory themselves (the transfer
 * family: its host buffers and the thread that drives the copies) and for
 * the concurrent driver's device threads. The driver hands benches this
 * interface (hb_bench_ctx.place); hwloc is behind it
 * (runner/discovery/place_hwloc.c), so benches stay free of hwloc. */
#ifndef HB_PLACE_H
#define HB_PLACE_H

#include <stddef.h>

#include "device.h"
#include "hb_error.h"

/* Where a bind put the thread, and what it replaced (restored by unbind). */
typedef struct hb_numa_binding {
    int remote;                /* bound to a node that is not the device's */
    char nodes[64];            /* NUMA nodes bound to, hwloc list syntax ("0") */
    char cpus[256];            /* PUs the thread may run on ("0-15") */
    char how[160];             /* "cpu and memory bound", or what could not be bound and why */
    void *saved_cpus;          /* the thread's previous binding (hwloc bitmaps), owned */
    void *saved_nodes;
    int saved_policy;
    int active;                /* unbind has something to restore */
} hb_numa_binding;

typedef struct hb_place hb_place;
struct hb_place {
    void *topology;            /* hwloc_topology_t, loaded */
    /* Binds the calling thread to the PUs and NUMA nodes local to dev
     * (remote = 0), or to the nearest node with PUs that is not one of
     * dev's (remote = 1): CPU binding, and memory policy, so pages the
     * thread touches first come from that node (Linux
     * Documentation/admin-guide/mm/numa_memory_policy.rst). A binding the
     * OS refuses is noted in b->how, not an error. HB_EUSAGE when remote is
     * impossible (one NUMA node, or dev local to every node). */
    int (*bind)(const hb_place *p, const hb_device *dev, int remote, hb_numa_binding *b, hb_err *err);
    /* Restores the thread's binding from before bind. */
    void (*unbind)(const hb_place *p, hb_numa_binding *b);
    /* The NUMA nodes holding the touched pages of [ptr, ptr + bytes), hwloc
     * list syntax; "" when the OS cannot say. */
    void (*where)(const hb_place *p, const void *ptr, size_t bytes, char *nodes, size_t len);
    /* Binds the calling thread to dev's PUs only (the concurrent driver's
     * device threads); HB_OK or HB_EFAIL with why. */
    int (*pin)(const hb_place *p, const hb_device *dev, hb_err *err);
};

#endif
