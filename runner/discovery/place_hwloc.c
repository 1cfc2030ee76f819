/* SPDX-License-Identifier: Apache-2.0 */
/* place_hwloc: hb_place over hwloc (runner/core/place.h): binding the calling
 * thread's CPUs and memory policy to a device's NUMA nodes, or to the
 * nearest other node, and asking where pages are. */
#include "place_hwloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hwloc.h>

static hwloc_topology_t topo_of(const hb_place *p)
{
    return (hwloc_topology_t)p->topology;
}

static const char *errno_str(void)
{
    return errno ? strerror(errno) : "unknown error";
}

/* The device's NUMA nodes; the whole machine's when its locality is empty. */
static hwloc_nodeset_t device_nodes(hwloc_topology_t t, const hb_device *dev)
{
    hwloc_nodeset_t ns = hwloc_bitmap_alloc();
    if (ns && (!dev->numa_nodes[0] || hwloc_bitmap_list_sscanf(ns, dev->numa_nodes) < 0 || hwloc_bitmap_iszero(ns)))
        hwloc_bitmap_copy(ns, hwloc_get_root_obj(t)->nodeset);
    return ns;
}

static hwloc_cpuset_t device_cpus(hwloc_topology_t t, const hb_device *dev)
{
    hwloc_cpuset_t cs = hwloc_bitmap_alloc();
    if (cs && (!dev->cpuset[0] || hwloc_bitmap_list_sscanf(cs, dev->cpuset) < 0 || hwloc_bitmap_iszero(cs)))
        hwloc_bitmap_copy(cs, hwloc_get_root_obj(t)->cpuset);
    return cs;
}

/* hwloc's distance from node a to node b (latency when the firmware gives
 * it, SLIT through Linux), or the difference of their logical indexes when
 * hwloc has no distance matrix. */
static double node_distance(hwloc_topology_t t, hwloc_obj_t a, hwloc_obj_t b)
{
    struct hwloc_distances_s *d[1];
    unsigned nr = 1;
    double v = (double)(a->logical_index > b->logical_index ? a->logical_index - b->logical_index
                                                            : b->logical_index - a->logical_index);
    if (hwloc_distances_get_by_type(t, HWLOC_OBJ_NUMANODE, &nr, d, HWLOC_DISTANCES_KIND_MEANS_LATENCY, 0) == 0 &&
        nr == 1) {
        hwloc_uint64_t ab, ba;
        if (hwloc_distances_obj_pair_values(d[0], a, b, &ab, &ba) == 0)
            v = (double)ab;
        hwloc_distances_release(t, d[0]);
    }
    return v;
}

/* The nearest NUMA node with PUs outside dev's nodes, or NULL with why. */
static hwloc_obj_t remote_node(hwloc_topology_t t, const hb_device *dev, hwloc_const_nodeset_t local, hb_err *err)
{
    int n = hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_NUMANODE);
    hwloc_obj_t first = NULL;
    for (int i = 0; i < n; i++) {
        hwloc_obj_t o = hwloc_get_obj_by_type(t, HWLOC_OBJ_NUMANODE, (unsigned)i);
        if (o && hwloc_bitmap_isset(local, o->os_index)) {
            first = o;
            break;
        }
    }
    hwloc_obj_t best = NULL;
    double best_d = 0;
    for (int i = 0; i < n; i++) {
        hwloc_obj_t o = hwloc_get_obj_by_type(t, HWLOC_OBJ_NUMANODE, (unsigned)i);
        if (!o || hwloc_bitmap_isset(local, o->os_index) || !o->cpuset || hwloc_bitmap_iszero(o->cpuset))
            continue;
        double d = first ? node_distance(t, first, o) : 0;
        if (!best || d < best_d)
            best = o, best_d = d;
    }
    if (best)
        return best;
    char all[64] = "";
    hwloc_bitmap_list_snprintf(all, sizeof all, hwloc_get_root_obj(t)->nodeset);
    if (n <= 1)
        hb_fail(err, HB_EUSAGE, "--numa remote: this machine has one NUMA node (%s), so no node is remote from %s "
                "and the remote penalty cannot be measured here", all, dev->name);
    else
        hb_fail(err, HB_EUSAGE, "--numa remote: %s is local to NUMA node(s) %s, and no other node of %s has CPUs "
                "to bind the thread to", dev->name, dev->numa_nodes[0] ? dev->numa_nodes : all, all);
    return NULL;
}

static void note(hb_numa_binding *b, const char *what)
{
    size_t used = strlen(b->how);
    snprintf(b->how + used, sizeof b->how - used, "%s%s", used ? "; " : "", what);
}

static int place_bind(const hb_place *p, const hb_device *dev, int remote, hb_numa_binding *b, hb_err *err)
{
    hwloc_topology_t t = topo_of(p);
    memset(b, 0, sizeof *b);
    b->remote = remote;
    hwloc_nodeset_t nodes = device_nodes(t, dev);
    hwloc_cpuset_t cpus = device_cpus(t, dev);
    int rc = nodes && cpus ? HB_OK : hb_fail(err, HB_EFAIL, "out of memory");
    if (!rc && remote) {
        hwloc_obj_t o = remote_node(t, dev, nodes, err);
        if (!o)
            rc = HB_EUSAGE;
        else
            hwloc_bitmap_copy(nodes, o->nodeset), hwloc_bitmap_copy(cpus, o->cpuset);
    }
    if (!rc) {
        hwloc_bitmap_list_snprintf(b->nodes, sizeof b->nodes, nodes);
        hwloc_bitmap_list_snprintf(b->cpus, sizeof b->cpus, cpus);
        hwloc_cpuset_t old_cpus = hwloc_bitmap_alloc();
        hwloc_nodeset_t old_nodes = hwloc_bitmap_alloc();
        hwloc_membind_policy_t pol = HWLOC_MEMBIND_DEFAULT;
        if (old_cpus && old_nodes && hwloc_get_cpubind(t, old_cpus, HWLOC_CPUBIND_THREAD) == 0 &&
            hwloc_get_membind(t, old_nodes, &pol, HWLOC_MEMBIND_THREAD | HWLOC_MEMBIND_BYNODESET) == 0) {
            b->saved_cpus = old_cpus, b->saved_nodes = old_nodes, b->saved_policy = (int)pol, b->active = 1;
        } else {
            hwloc_bitmap_free(old_cpus), hwloc_bitmap_free(old_nodes);
            note(b, "previous binding unknown, not restored");
        }
        char why[96];
        errno = 0;
        if (hwloc_set_cpubind(t, cpus, HWLOC_CPUBIND_THREAD) < 0) {
            snprintf(why, sizeof why, "CPU binding refused: %s", errno_str());
            note(b, why);
        }
        errno = 0;
        if (hwloc_set_membind(t, nodes, HWLOC_MEMBIND_BIND, HWLOC_MEMBIND_THREAD | HWLOC_MEMBIND_BYNODESET) < 0) {
            snprintf(why, sizeof why, "memory binding refused: %s", errno_str());
            note(b, why);
        }
        if (!b->how[0])
            note(b, "thread and memory bound");
    }
    hwloc_bitmap_free(nodes);
    hwloc_bitmap_free(cpus);
    return rc;
}

static void place_unbind(const hb_place *p, hb_numa_binding *b)
{
    hwloc_topology_t t = topo_of(p);
    if (b->active) {
        (void)hwloc_set_cpubind(t, b->saved_cpus, HWLOC_CPUBIND_THREAD);
        (void)hwloc_set_membind(t, b->saved_nodes, (hwloc_membind_policy_t)b->saved_policy,
                                HWLOC_MEMBIND_THREAD | HWLOC_MEMBIND_BYNODESET);
    }
    hwloc_bitmap_free(b->saved_cpus);
    hwloc_bitmap_free(b->saved_nodes);
    b->saved_cpus = b->saved_nodes = NULL;
    b->active = 0;
}

/* Linux answers with move_pages(2) page by page (hwloc.h
 * hwloc_get_area_memlocation @2.9.0); only touched pages have a node. */
static void place_where(const hb_place *p, const void *ptr, size_t bytes, char *nodes, size_t len)
{
    hwloc_nodeset_t ns = hwloc_bitmap_alloc();
    nodes[0] = '\0';
    if (ns && bytes && hwloc_get_area_memlocation(topo_of(p), ptr, bytes, ns, HWLOC_MEMBIND_BYNODESET) == 0 &&
        !hwloc_bitmap_iszero(ns))
        hwloc_bitmap_list_snprintf(nodes, len, ns);
    hwloc_bitmap_free(ns);
}

static int place_pin(const hb_place *p, const hb_device *dev, hb_err *err)
{
    hwloc_topology_t t = topo_of(p);
    hwloc_cpuset_t cpus = device_cpus(t, dev);
    if (!cpus)
        return hb_fail(err, HB_EFAIL, "out of memory");
    errno = 0;
    int rc = hwloc_set_cpubind(t, cpus, HWLOC_CPUBIND_THREAD) < 0
                 ? hb_fail(err, HB_EFAIL, "hwloc_set_cpubind(%s, CPUs %s): %s", dev->name, dev->cpuset, errno_str())
                 : HB_OK;
    hwloc_bitmap_free(cpus);
    return rc;
}

void hb_place_init(hb_place *p, void *topology)
{
    *p = (hb_place){.topology = topology, .bind = place_bind, .unbind = place_unbind, .where = place_where,
                    .pin = place_pin};
}
