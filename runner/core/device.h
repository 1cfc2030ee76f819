/* device: one compute device as hbmbench sees it: OpenCL properties, PCI
 * location, hwloc locality and theoretical peaks. The pseudo-device "host"
 * (native STREAM, no OpenCL) has is_host set and no OpenCL handles. */
#ifndef HB_DEVICE_H
#define HB_DEVICE_H

#include <stddef.h>
#include <stdint.h>

#define CL_TARGET_OPENCL_VERSION 300
#include <CL/cl.h>

#include "peak.h"

typedef struct hb_device {
    int index;                 /* position in `hbmbench list`, stable for one machine */
    int is_host;               /* the native host baseline, not an OpenCL device */
    cl_platform_id platform;
    cl_device_id id;

    char platform_name[128];
    char platform_version[128];
    char name[256];
    char vendor[128];
    char type[16];             /* "GPU", "CPU", "ACCELERATOR", "CUSTOM", "HOST" */
    char driver_version[128];
    char cl_version[128];      /* CL_DEVICE_VERSION */
    char clc_version[128];     /* CL_DEVICE_OPENCL_C_VERSION */
    unsigned compute_units;
    unsigned max_clock_mhz;    /* as the driver reports it */
    uint64_t global_mem_bytes;
    uint64_t max_alloc_bytes;
    uint64_t global_cache_bytes;
    unsigned cache_line_bytes;
    uint64_t local_mem_bytes;
    size_t max_work_group_size;
    int fp64, fp16;
    unsigned vendor_id;        /* CL_DEVICE_VENDOR_ID (PoCL says 0x8086 on AMD CPUs) */

    /* PCI location: cl_khr_pci_bus_info, then AMD and NVIDIA queries */
    int has_pci;
    unsigned pci_domain, pci_bus, pci_dev, pci_func;
    char pci_bus_id[16];       /* "0000:65:00.0", or "" */
    unsigned pci_vendor_id, pci_device_id; /* from hwloc/sysfs, 0 if unknown */

    /* hwloc locality */
    char numa_nodes[64];       /* hwloc list syntax, e.g. "0" or "0-1" */
    char cpuset[256];          /* hwloc list syntax of the closest PUs, e.g. "0-15" */
    unsigned n_cores;          /* physical cores in that cpuset */
    unsigned n_pus;            /* hardware threads in that cpuset */
    char locality_source[64];  /* "hwloc pci", "whole machine (CPU device)", ... */

    hb_peaks peaks;
} hb_device;

#endif
