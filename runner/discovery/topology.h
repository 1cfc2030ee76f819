/* SPDX-License-Identifier: Apache-2.0 */
/* topology: hwloc, loaded once per command, and the locality of devices.
 *
 * hwloc's OpenCL backend skips CPU-only devices such as PoCL
 * (hwloc/topology-opencl.c L115-117 @2.9.0, docs/topology.md),
 * so devices are located by PCI bus id through the PCI objects instead, and a
 * CPU device is mapped to the whole machine (all NUMA nodes, all cores). */
#ifndef HB_TOPOLOGY_H
#define HB_TOPOLOGY_H

#include <hwloc.h>

#include "device.h"
#include "hb_error.h"

typedef struct hb_topology {
    hwloc_topology_t topo;
    int from_xml;
} hb_topology;

/* Loads the live machine (xml_path NULL) or an XML topology file. */
int hb_topology_load(hb_topology *t, const char *xml_path, hb_err *err);
void hb_topology_free(hb_topology *t);

/* Fills dev->numa_nodes, cpuset, n_cores, n_pus, locality_source and, where
 * hwloc knows the PCI device, pci_vendor_id/pci_device_id. A GPU whose PCI id
 * hwloc does not know gets the whole machine and a locality_source saying so. */
int hb_topology_locate(hb_topology *t, hb_device *dev, hb_err *err);

#endif
