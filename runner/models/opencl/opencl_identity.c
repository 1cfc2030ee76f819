/* SPDX-License-Identifier: Apache-2.0 */
/* opencl_identity: which board an OpenCL device is (opencl_identity.h):
 * its PCI location, AMD's board name, NVIDIA's compute capability and the
 * cl_khr_device_uuid UUID, each from an optional query; a query a driver
 * does not answer leaves its fact unknown. */
#include "opencl_identity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cl_util.h"

/* Vendor queries for the PCI location (ids from the vendors' headers:
 * cl_ext.h CL_DEVICE_PCI_BUS_INFO_KHR, cl_ext_amd.h CL_DEVICE_TOPOLOGY_AMD,
 * NVIDIA's undocumented 0x4008/0x4009/0x400A; docs/topology.md). */
#define HB_CL_DEVICE_PCI_BUS_INFO_KHR 0x410F
#define HB_CL_DEVICE_TOPOLOGY_AMD 0x4037
#define HB_CL_DEVICE_PCI_BUS_ID_NV 0x4008
#define HB_CL_DEVICE_PCI_SLOT_ID_NV 0x4009
#define HB_CL_DEVICE_PCI_DOMAIN_ID_NV 0x400A

typedef struct { cl_uint domain, bus, device, function; } pci_bus_info_khr;

int hb_cl_has_extension(cl_device_id d, const char *ext)
{
    size_t n = 0;
    if (clGetDeviceInfo(d, CL_DEVICE_EXTENSIONS, 0, NULL, &n) != CL_SUCCESS || n == 0)
        return 0;
    char *s = malloc(n + 1);
    int found = 0;
    if (s && clGetDeviceInfo(d, CL_DEVICE_EXTENSIONS, n, s, NULL) == CL_SUCCESS) {
        s[n] = '\0';
        size_t el = strlen(ext);
        for (char *p = strstr(s, ext); p && !found; p = strstr(p + 1, ext))
            found = (p == s || p[-1] == ' ') && (p[el] == ' ' || p[el] == '\0');
    }
    free(s);
    return found;
}

/* The vendor queries fail with CL_INVALID_VALUE on other vendors' devices;
 * that means "not this vendor", so their status is not an error here. */
static void find_pci(cl_device_id d, hb_device *dev)
{
    pci_bus_info_khr khr;
    cl_uint bus, slot, domain;
    struct { cl_uint type; cl_char unused[17]; cl_char bus, device, function; } amd;
    if (hb_cl_has_extension(d, "cl_khr_pci_bus_info") &&
        clGetDeviceInfo(d, HB_CL_DEVICE_PCI_BUS_INFO_KHR, sizeof khr, &khr, NULL) == CL_SUCCESS) {
        dev->pci_domain = khr.domain, dev->pci_bus = khr.bus;
        dev->pci_dev = khr.device, dev->pci_func = khr.function;
        dev->has_pci = 1;
    } else if (hb_cl_has_extension(d, "cl_amd_device_attribute_query") &&
               clGetDeviceInfo(d, HB_CL_DEVICE_TOPOLOGY_AMD, sizeof amd, &amd, NULL) == CL_SUCCESS &&
               amd.type == 1 /* CL_DEVICE_TOPOLOGY_TYPE_PCIE_AMD */) {
        /* AMD's query has no domain (hwloc opencl.h L84: "can't do anything better") */
        dev->pci_domain = 0, dev->pci_bus = (unsigned char)amd.bus;
        dev->pci_dev = (unsigned char)amd.device, dev->pci_func = (unsigned char)amd.function;
        dev->has_pci = 1;
    } else if (hb_cl_has_extension(d, "cl_nv_device_attribute_query") &&
               clGetDeviceInfo(d, HB_CL_DEVICE_PCI_BUS_ID_NV, sizeof bus, &bus, NULL) == CL_SUCCESS &&
               clGetDeviceInfo(d, HB_CL_DEVICE_PCI_SLOT_ID_NV, sizeof slot, &slot, NULL) == CL_SUCCESS) {
        if (clGetDeviceInfo(d, HB_CL_DEVICE_PCI_DOMAIN_ID_NV, sizeof domain, &domain, NULL) != CL_SUCCESS)
            domain = 0; /* the domain query exists since CUDA 10.2 */
        dev->pci_domain = domain, dev->pci_bus = bus;
        dev->pci_dev = slot >> 3, dev->pci_func = slot & 7;
        dev->has_pci = 1;
    }
    if (dev->has_pci)
        snprintf(dev->pci_bus_id, sizeof dev->pci_bus_id, "%04x:%02x:%02x.%x",
                 dev->pci_domain & 0xffff, dev->pci_bus & 0xff, dev->pci_dev & 0x1f, dev->pci_func & 7);
}

/* cl_khr_device_uuid (OpenCL 3.0 Extension Specification, "Unique Device
 * Identifiers"; values from Khronos' cl_ext.h): 16 bytes, asked only
 * where the device lists the extension. */
#define HB_CL_DEVICE_UUID_KHR 0x106A
static void find_uuid(cl_device_id d, hb_device *dev)
{
    unsigned char bytes[16];
    char why[128];
    if (!hb_cl_has_extension(d, "cl_khr_device_uuid")) {
        hb_device_identity_note(dev, "OpenCL: the device does not offer cl_khr_device_uuid");
        return;
    }
    cl_int rc = clGetDeviceInfo(d, HB_CL_DEVICE_UUID_KHR, sizeof bytes, bytes, NULL);
    if (rc != CL_SUCCESS) {
        snprintf(why, sizeof why, "clGetDeviceInfo(CL_DEVICE_UUID_KHR): %s", hb_cl_error_name(rc));
        hb_device_identity_note(dev, why);
        return;
    }
    hb_device_uuid_format(bytes, "", dev->uuid, sizeof dev->uuid);
    snprintf(dev->uuid_source, sizeof dev->uuid_source, "cl_khr_device_uuid");
}

/* AMD's marketing name (cl_amd_device_attribute_query; Khronos
 * OpenCL-Headers cl_ext.h: CL_DEVICE_BOARD_NAME_AMD 0x4038). ROCm names its
 * devices by architecture in CL_DEVICE_NAME ("gfx942" for MI300A, MI300X
 * and MI325X alike; clpeak issue #103 shows "gfx906"), so the board name is
 * what tells the SKU apart. Asked only where the device lists the
 * extension; a query that fails leaves it "" (and says so in the device's
 * identity notes) and the device is matched by CL_DEVICE_NAME and PCI id alone. */
#define HB_CL_DEVICE_BOARD_NAME_AMD 0x4038
static void find_board_name(cl_device_id d, hb_device *dev)
{
    dev->board_name[0] = '\0';
    if (!hb_cl_has_extension(d, "cl_amd_device_attribute_query"))
        return;
    cl_int rc = clGetDeviceInfo(d, HB_CL_DEVICE_BOARD_NAME_AMD, sizeof dev->board_name, dev->board_name, NULL);
    dev->board_name[sizeof dev->board_name - 1] = '\0';
    if (rc != CL_SUCCESS) {
        char why[128];
        dev->board_name[0] = '\0';
        snprintf(why, sizeof why, "clGetDeviceInfo(CL_DEVICE_BOARD_NAME_AMD): %s; matched by name and PCI id only",
                 hb_cl_error_name(rc));
        hb_device_identity_note(dev, why);
    }
}

/* NVIDIA's compute capability (cl_nv_device_attribute_query, values from
 * NVIDIA's cl_ext_nv.h); 0.0 elsewhere. */
#define HB_CL_DEVICE_CC_MAJOR_NV 0x4000
#define HB_CL_DEVICE_CC_MINOR_NV 0x4001
static void find_cc(cl_device_id d, hb_device *dev)
{
    cl_uint major = 0, minor = 0;
    if (!hb_cl_has_extension(d, "cl_nv_device_attribute_query") ||
        clGetDeviceInfo(d, HB_CL_DEVICE_CC_MAJOR_NV, sizeof major, &major, NULL) != CL_SUCCESS ||
        clGetDeviceInfo(d, HB_CL_DEVICE_CC_MINOR_NV, sizeof minor, &minor, NULL) != CL_SUCCESS)
        major = minor = 0;
    dev->cc_major = (int)major;
    dev->cc_minor = (int)minor;
}

/* CL_FP_FMA: fma is done in hardware for this precision (OpenCL 3.0 API
 * spec, table of device queries). */

void hb_cl_identify(cl_device_id d, hb_device *dev)
{
    find_pci(d, dev);
    find_board_name(d, dev);
    find_cc(d, dev);
    find_uuid(d, dev);
}
