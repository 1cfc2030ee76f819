/* SPDX-License-Identifier: Apache-2.0 */
/* cluster_place: which device a rank measures, and the CPUs it runs on.
 *
 * Every rank of a node sees the same devices in the same order (`hbmbench
 * list` indices are stable on one machine), so each can work out its own
 * device without asking the others: the devices the selector chooses, in
 * locality order (NUMA node, then PCI bus id, then index), are dealt to the
 * node's ranks by local rank, round robin. With as many ranks as devices,
 * local rank i gets the i-th device; with more ranks, devices are shared.
 * The rank then binds itself, every thread, to the device's closest CPUs
 * (its hwloc locality, runner/discovery/topology.c), so host-side work and
 * first-touch memory stay next to the device. */
#include "cluster_internal.h"

#include <stdlib.h>
#include <string.h>

#include "select.h"
#include "session.h"

/* The first NUMA node of a locality ("0-1" -> 0), UINT_MAX when unknown. */
static unsigned first_numa(const hb_device *d)
{
    char *end;
    unsigned long n = strtoul(d->numa_nodes, &end, 10);
    return end == d->numa_nodes ? ~0u : (unsigned)n;
}

static int locality_before(const hb_device *a, const hb_device *b)
{
    unsigned na = first_numa(a), nb = first_numa(b);
    if (na != nb)
        return na < nb;
    if (!a->pci_bus_id[0] != !b->pci_bus_id[0])
        return a->pci_bus_id[0] != '\0';   /* devices with a PCI place first */
    int c = strcmp(a->pci_bus_id, b->pci_bus_id);
    return c ? c < 0 : a->index < b->index;
}

int hb_cluster_pick(const hb_device *const *cands, int n, int local_rank, int local_size, int *order, int *shared_by)
{
    for (int i = 0; i < n; i++)
        order[i] = i;
    for (int i = 1; i < n; i++)   /* insertion sort: a handful of devices */
        for (int j = i; j > 0 && locality_before(cands[order[j]], cands[order[j - 1]]); j--) {
            int t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    int slot = local_rank % n;
    *shared_by = local_size > slot ? (local_size - 1 - slot) / n + 1 : 1;
    return slot;
}

/* Binds the whole process to the device's cpuset; a failure is a note, not
 * an error: the measurement is still right, only less well placed. */
static void pin(hwloc_topology_t topo, const hb_device *d, hb_placement *p)
{
    hwloc_bitmap_t set = hwloc_bitmap_alloc();
    if (!set || hwloc_bitmap_list_sscanf(set, d->cpuset) < 0 || hwloc_bitmap_iszero(set))
        snprintf(p->note, sizeof p->note, "not bound: the device has no known CPUs");
    else if (hwloc_set_cpubind(topo, set, HWLOC_CPUBIND_PROCESS) < 0)
        snprintf(p->note, sizeof p->note, "not bound: hwloc_set_cpubind(%.200s) failed", d->cpuset);
    else
        hwloc_bitmap_list_snprintf(p->cpuset, sizeof p->cpuset, set);
    hwloc_bitmap_free(set);
}

int hb_cluster_place(const char *selector, const hb_peak_opts *peaks, const char *const *models, int n_models,
                     int local_rank, int local_size, int pin_it, hb_placement *p, hb_err *err)
{
    memset(p, 0, sizeof *p);
    p->device_index = -1;
    hb_session s;
    if (hb_session_open_models(&s, peaks, models, n_models, err))
        return err->code;
    int *chosen = calloc(s.list.n ? s.list.n : 1, sizeof *chosen);
    const hb_device **cands = calloc(s.list.n ? s.list.n : 1, sizeof *cands);
    int *order = calloc(s.list.n ? s.list.n : 1, sizeof *order);
    int rc = !chosen || !cands || !order ? hb_fail(err, HB_EFAIL, "out of memory")
                                         : hb_select_devices(&s.list, selector, chosen, err);
    int n = 0;
    for (size_t i = 0; !rc && i < s.list.n; i++)
        if (chosen[i])
            cands[n++] = &s.list.v[i];
    if (!rc && n == 0)
        rc = hb_fail(err, HB_ENODEV, "the device selector chose no device on this node");
    if (!rc) {
        int slot = hb_cluster_pick(cands, n, local_rank, local_size, order, &p->shared_by);
        const hb_device *d = cands[order[slot]];
        p->device_index = d->index;
        p->candidates = n;
        snprintf(p->device, sizeof p->device, "%s", d->name);
        snprintf(p->type, sizeof p->type, "%s", d->type);
        if (pin_it)
            pin(s.topo.topo, d, p);
    }
    free(chosen);
    free(cands);
    free(order);
    hb_session_close(&s);
    return rc;
}
