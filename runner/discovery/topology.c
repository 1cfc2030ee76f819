/* SPDX-License-Identifier: Apache-2.0 */
/* topology: load hwloc once and map each device to the CPUs and NUMA nodes
 * closest to it.
 *
 * Devices are found by PCI bus id through hwloc's PCI objects, not through its
 * OpenCL backend: that backend skips CPU-only devices such as PoCL
 * (hwloc/topology-opencl.c L115-117 @2.9.0) and costs a second ICD
 * initialisation, so it is blacklisted here
 * (docs/topology.md#why-the-opencl-component-is-blacklisted). */
#include "topology.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* hwloc reports failures through errno (hwloc.h @2.9.0, "return -1 with
 * errno set"); some paths leave it 0, which would print "Success". */
static const char *hb_errno_str(void)
{
    return errno ? strerror(errno) : "unknown error";
}

int hb_topology_load(hb_topology *t, const char *xml_path, hb_err *err)
{
    int rc;
    memset(t, 0, sizeof *t);
    if (xml_path) {
        /* Checked first so that a bad path is reported as bad usage naming the
         * file, rather than as whatever hwloc's XML backend makes of it. */
        FILE *f = fopen(xml_path, "r");
        if (!f)
            return hb_fail(err, HB_EUSAGE, "cannot read topology XML %s: %s",
                           xml_path, strerror(errno));
        fclose(f);
    }
    errno = 0;
    if (hwloc_topology_init(&t->topo) < 0) {
        t->topo = NULL;
        return hb_fail(err, HB_EFAIL, "hwloc_topology_init: %s", hb_errno_str());
    }
    /* PCI objects are needed to locate GPUs by bus id; KEEP_IMPORTANT keeps
     * GPUs (PCI class 0x03), NICs and storage, and the bridges above them
     * (hwloc.h hwloc_type_filter_e @2.9.0). */
    errno = 0;
    if (hwloc_topology_set_io_types_filter(t->topo, HWLOC_TYPE_FILTER_KEEP_IMPORTANT) < 0) {
        rc = hb_fail(err, HB_EFAIL, "hwloc_topology_set_io_types_filter: %s", hb_errno_str());
        goto fail;
    }
    /* EINVAL here means no "opencl" component is registered (flags are valid
     * and the topology is not loaded: hwloc/components.c
     * hwloc_disc_component_blacklist_one @2.9.0), which is the case when the
     * libhwloc-plugins package is not installed: nothing to blacklist. */
    errno = 0;
    if (hwloc_topology_set_components(t->topo, HWLOC_TOPOLOGY_COMPONENTS_FLAG_BLACKLIST,
                                      "opencl") < 0 && errno != EINVAL) {
        rc = hb_fail(err, HB_EFAIL, "hwloc_topology_set_components(blacklist opencl): %s",
                     hb_errno_str());
        goto fail;
    }
    if (xml_path) {
        errno = 0;
        if (hwloc_topology_set_xml(t->topo, xml_path) < 0) {
            rc = hb_fail(err, HB_EUSAGE, "hwloc_topology_set_xml %s: %s", xml_path,
                         hb_errno_str());
            goto fail;
        }
        t->from_xml = 1;
    }
    errno = 0;
    if (hwloc_topology_load(t->topo) < 0) {
        /* With XML the input file is what failed to load; live, the system. */
        if (xml_path)
            rc = hb_fail(err, HB_EUSAGE, "hwloc_topology_load %s: not a valid hwloc XML "
                         "topology (%s)", xml_path, hb_errno_str());
        else
            rc = hb_fail(err, HB_EFAIL, "hwloc_topology_load: %s", hb_errno_str());
        goto fail;
    }
    return HB_OK;
fail:
    hwloc_topology_destroy(t->topo);
    t->topo = NULL;
    t->from_xml = 0;
    return rc;
}

void hb_topology_free(hb_topology *t)
{
    if (t && t->topo)
        hwloc_topology_destroy(t->topo);
    if (t) {
        t->topo = NULL;
        t->from_xml = 0;
    }
}

/* Writes a bitmap in hwloc list syntax ("0-3,8"). A truncated list would be
 * wrong data for anyone binding to it, so it is an error, not a shortened string. */
static int hb_list_str(char *buf, size_t len, hwloc_const_bitmap_t set, const char *what,
                       hb_err *err)
{
    int n = hwloc_bitmap_list_snprintf(buf, len, set);
    if (n < 0)
        return hb_fail(err, HB_EFAIL, "hwloc_bitmap_list_snprintf(%s): %s", what,
                       hb_errno_str());
    if ((size_t)n >= len)
        return hb_fail(err, HB_EFAIL, "%s list needs %d characters, more than %zu", what, n,
                       len - 1);
    return HB_OK;
}

/* Fills the locality fields of dev from a cpuset (PU OS indexes) and a
 * nodeset (NUMA node OS indexes): hwloc indexes both bitmaps by OS index
 * (hwloc.h struct hwloc_obj cpuset/nodeset @2.9.0). */
static int hb_fill_locality(hwloc_topology_t topo, hb_device *dev, hwloc_const_cpuset_t cpuset,
                            hwloc_const_nodeset_t nodeset, hb_err *err)
{
    int rc = hb_list_str(dev->cpuset, sizeof dev->cpuset, cpuset, "cpuset", err);
    if (rc)
        return rc;
    rc = hb_list_str(dev->numa_nodes, sizeof dev->numa_nodes, nodeset, "NUMA node", err);
    if (rc)
        return rc;
    int cores = hwloc_get_nbobjs_inside_cpuset_by_type(topo, cpuset, HWLOC_OBJ_CORE);
    int pus = hwloc_get_nbobjs_inside_cpuset_by_type(topo, cpuset, HWLOC_OBJ_PU);
    /* -1 only when a type sits at several depths (hwloc/helper.h L200-226 @2.9.0). */
    if (cores < 0 || pus < 0)
        return hb_fail(err, HB_EFAIL,
                       "hwloc_get_nbobjs_inside_cpuset_by_type: cores or PUs at several depths");
    dev->n_cores = (unsigned)cores;
    dev->n_pus = (unsigned)pus;
    return HB_OK;
}

static int hb_locate_whole(hwloc_topology_t topo, hb_device *dev, const char *source,
                           hb_err *err)
{
    hwloc_obj_t root = hwloc_get_root_obj(topo);
    int rc = hb_fill_locality(topo, dev, root->cpuset, root->nodeset, err);
    if (rc)
        return rc;
    snprintf(dev->locality_source, sizeof dev->locality_source, "%s", source);
    return HB_OK;
}

/* NUMA nodes local to cpuset. LARGER|SMALLER selects the nodes of the
 * ancestor object, including sub-NUMA clusters inside a package and the
 * enclosing node when the ancestor is smaller than one
 * (hwloc/memattrs.h L210-260 @2.9.0, docs/topology.md#from-pci-device-to-cpus-and-numa-nodes). */
static int hb_local_nodeset(hwloc_topology_t topo, hwloc_cpuset_t cpuset,
                            hwloc_nodeset_t out, hb_err *err)
{
    hwloc_obj_t root = hwloc_get_root_obj(topo);
    /* Sized by the root nodeset weight (hwloc/memattrs.h L250-252 @2.9.0). */
    int total = hwloc_bitmap_weight(root->nodeset);
    unsigned cap = total > 0 ? (unsigned)total : 1;
    unsigned nr = cap;
    hwloc_obj_t *nodes = calloc(cap, sizeof *nodes);
    if (!nodes)
        return hb_fail(err, HB_EFAIL, "hb_local_nodeset: out of memory");
    struct hwloc_location loc = {.type = HWLOC_LOCATION_TYPE_CPUSET,
                                 .location.cpuset = cpuset};
    errno = 0;
    if (hwloc_get_local_numanode_objs(topo, &loc, &nr, nodes,
                                      HWLOC_LOCAL_NUMANODE_FLAG_LARGER_LOCALITY |
                                          HWLOC_LOCAL_NUMANODE_FLAG_SMALLER_LOCALITY) < 0) {
        free(nodes);
        return hb_fail(err, HB_EFAIL, "hwloc_get_local_numanode_objs: %s", hb_errno_str());
    }
    hwloc_bitmap_zero(out);
    /* On return nr may exceed cap (the count that would have been stored). */
    for (unsigned i = 0; i < nr && i < cap; i++) {
        if (hwloc_bitmap_set(out, nodes[i]->os_index) < 0) {
            free(nodes);
            return hb_fail(err, HB_EFAIL, "hwloc_bitmap_set: %s", hb_errno_str());
        }
    }
    free(nodes);
    return HB_OK;
}

/* The narrowest PCIe link from the device up to its host bridge. hwloc
 * reads each link's Link Status register (or Linux's current_link_speed and
 * current_link_width) and turns generation x width into GB/s per direction,
 * after the line encoding (hwloc/pci-common.c hwloc_pcidisc_find_linkspeed,
 * hwloc/topology-pci.c @2.9.0); 0 means unknown. A PCI bridge above the
 * device carries its upstream link in attr->bridge.upstream.pci; a host
 * bridge has none. It is the link's state now: a GPU at idle may have
 * trained its link down to save power (docs/transfer.md#the-link-peak). */
static void hb_pcie_link(hwloc_obj_t pci, const char *busid, hb_device *dev)
{
    float best = pci->attr->pcidev.linkspeed;
    int links = best > 0, unknown = best <= 0;
    for (hwloc_obj_t o = pci->parent; o && o->type == HWLOC_OBJ_BRIDGE; o = o->parent) {
        if (o->attr->bridge.upstream_type != HWLOC_OBJ_BRIDGE_PCI)
            break;
        float s = o->attr->bridge.upstream.pci.linkspeed;
        if (s > 0 && (best <= 0 || s < best))
            best = s;
        links += s > 0;
        unknown += s <= 0;
    }
    if (best <= 0) {
        snprintf(dev->pcie_link_detail, sizeof dev->pcie_link_detail,
                 "hwloc reports no link speed for PCI %.16s", busid);
        return;
    }
    dev->pcie_link_gbs = best;
    snprintf(dev->pcie_link_detail, sizeof dev->pcie_link_detail,
             "hwloc: current PCIe link state, the narrowest of %d from %.16s up to its host bridge%s", links, busid,
             unknown ? " (some links of unknown speed)" : "");
}

static int hb_locate_pci(hwloc_topology_t topo, hb_device *dev, hb_err *err)
{
    char busid[40]; /* four 32-bit fields in hex: never truncated */
    snprintf(busid, sizeof busid, "%04x:%02x:%02x.%x", dev->pci_domain, dev->pci_bus,
             dev->pci_dev, dev->pci_func);
    hwloc_obj_t pci = hwloc_get_pcidev_by_busid(topo, dev->pci_domain, dev->pci_bus,
                                                dev->pci_dev, dev->pci_func);
    if (!pci) {
        /* Not fatal: hwloc may have filtered the device or lack PCI discovery
         * (no hwloc_pci plugin, XML from another machine). */
        /* 14 characters cover 5-digit domains (Intel VMD uses 10000+) and keep
         * the note within locality_source[64]. */
        char why[sizeof dev->locality_source];
        snprintf(why, sizeof why, "PCI %.14s not in hwloc topology: whole machine assumed",
                 busid);
        return hb_locate_whole(topo, dev, why, err);
    }
    dev->pci_vendor_id = pci->attr->pcidev.vendor_id;
    dev->pci_device_id = pci->attr->pcidev.device_id;
    hb_pcie_link(pci, busid, dev);

    /* The smallest CPU-side object above the PCI device has the device's
     * locality (hwloc/helper.h L1120-1137 @2.9.0). */
    hwloc_obj_t anc = hwloc_get_non_io_ancestor_obj(topo, pci);
    if (!anc || !anc->cpuset)
        return hb_fail(err, HB_EFAIL, "hwloc_get_non_io_ancestor_obj: no CPU-side parent for %s",
                       busid);
    hwloc_nodeset_t nodeset = hwloc_bitmap_alloc();
    if (!nodeset)
        return hb_fail(err, HB_EFAIL, "hwloc_bitmap_alloc: out of memory");
    int rc = hb_local_nodeset(topo, anc->cpuset, nodeset, err);
    if (!rc)
        rc = hb_fill_locality(topo, dev, anc->cpuset, nodeset, err);
    hwloc_bitmap_free(nodeset);
    if (rc)
        return rc;
    snprintf(dev->locality_source, sizeof dev->locality_source, "hwloc PCI %.40s", busid);
    return HB_OK;
}

/* A host device of one NUMA node: that node's memory and the cores of the
 * object it hangs from. */
static int hb_locate_node(hwloc_topology_t topo, hb_device *dev, unsigned os_index, hb_err *err)
{
    hwloc_obj_t n = hwloc_get_numanode_obj_by_os_index(topo, os_index);
    if (!n || !n->cpuset || !n->nodeset)
        return hb_fail(err, HB_EFAIL, "NUMA node %u is not in the hwloc topology", os_index);
    int rc = hb_fill_locality(topo, dev, n->cpuset, n->nodeset, err);
    if (!rc)
        snprintf(dev->locality_source, sizeof dev->locality_source, "NUMA node %u (host)", os_index);
    return rc;
}

/* One core's data caches, for sizing a CPU kernel's blocks (the GEMM grid,
 * runner/models/opencl/opencl_gemm_configs.c): the first L1 data (or
 * unified) cache and the first L2 object; hybrid CPUs differ per core
 * type, and the first instance is what is reported. */
static void hb_core_caches(hwloc_topology_t topo, hb_device *dev)
{
    hwloc_obj_t l1 = hwloc_get_next_obj_by_type(topo, HWLOC_OBJ_L1CACHE, NULL);
    hwloc_obj_t l2 = hwloc_get_next_obj_by_type(topo, HWLOC_OBJ_L2CACHE, NULL);
    dev->core_l1d_bytes = l1 && l1->attr ? l1->attr->cache.size : 0;
    dev->core_l2_bytes = l2 && l2->attr ? l2->attr->cache.size : 0;
}

int hb_topology_locate(hb_topology *t, hb_device *dev, hb_err *err)
{
    if (!t || !t->topo)
        return hb_fail(err, HB_EFAIL, "hb_topology_locate: topology not loaded");
    dev->pcie_link_gbs = NAN;
    snprintf(dev->pcie_link_detail, sizeof dev->pcie_link_detail, "%s",
             dev->unified_memory ? "none: device memory is host memory" :
             dev->has_pci ? "PCI device not in the hwloc topology" : "no PCI bus id");
    if (dev->kind == HB_KIND_HOST || dev->kind == HB_KIND_CPU)
        hb_core_caches(t->topo, dev);
    unsigned node;
    if (dev->kind == HB_KIND_HOST && sscanf(dev->scope, "numa:%u", &node) == 1)
        return hb_locate_node(t->topo, dev, node, err);
    if (dev->kind == HB_KIND_HOST) {
        /* the host model's own note on its figures (host_discover.c: memory from sysconf) is kept */
        char source[sizeof dev->locality_source];
        snprintf(source, sizeof source, "whole machine (host)%s%.40s", dev->locality_source[0] ? "; " : "",
                 dev->locality_source);
        return hb_locate_whole(t->topo, dev, source, err);
    }
    if (dev->has_pci)
        return hb_locate_pci(t->topo, dev, err);
    /* A CPU device (PoCL) runs on every core and allocates from every node;
     * any other device without a bus id has no locality we can find. */
    if (dev->kind == HB_KIND_CPU)
        return hb_locate_whole(t->topo, dev, "whole machine (CPU device)", err);
    return hb_locate_whole(t->topo, dev, "no PCI bus id: whole machine assumed", err);
}
