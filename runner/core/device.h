/* SPDX-License-Identifier: Apache-2.0 */
/* device: one compute device as hbmbench sees it: what its model's runtime
 * reports (name, memory, compute units, ...), its PCI location, its hwloc
 * locality and its theoretical peaks. Which models can measure it, and
 * each model's handle for it, are kept here too; nothing but the model
 * looks inside its handle.
 *
 * One physical GPU seen by two models (NVIDIA's OpenCL and CUDA) is one
 * device: discovery merges the devices of different models that have the
 * same PCI bus id (hb_device_list_merge), keeping the first model's
 * description and adding the other model as a binding. A run measures a
 * device once per wanted binding (runner/driver/run_devices.c); every
 * result names its model. */
#ifndef HB_DEVICE_H
#define HB_DEVICE_H

#include <stddef.h>
#include <stdint.h>

#include "peak_value.h"

struct hb_model;

/* What kind of device: OpenCL's device types (OpenCL 3.0 API spec, table
 * "OpenCL Device Queries", CL_DEVICE_TYPE), and HOST for the native baseline. */
typedef enum hb_device_kind {
    HB_KIND_CPU, HB_KIND_GPU, HB_KIND_ACCELERATOR, HB_KIND_CUSTOM, HB_KIND_HOST, HB_KIND_UNKNOWN,
} hb_device_kind;

/* "CPU", "GPU", "ACCELERATOR", "CUSTOM", "HOST", "UNKNOWN": the result files' spelling. */
const char *hb_device_kind_name(hb_device_kind kind);

#define HB_MAX_MODELS 4

/* One way to measure a device: a model, that model's handle for it, and
 * the limits that model itself reported. One GPU has different limits per
 * model: NVIDIA's OpenCL caps one allocation at a quarter of the memory
 * (CL_DEVICE_MAX_MEM_ALLOC_SIZE) and reports its own cache figure, where
 * CUDA allocates up to the whole memory (cuDeviceTotalMem) and reports the
 * L2 (CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE); each model's runs are sized by
 * its own (hb_device_bound). */
typedef struct hb_binding {
    const struct hb_model *model;
    uintptr_t handle[2];       /* the model's own (OpenCL: platform, device id; CUDA: CUdevice) */
    uint64_t global_mem_bytes, max_alloc_bytes, global_cache_bytes; /* as that model reported them */
    char library[256];         /* the runtime library the model loaded (CUDA: libcuda.so.1's file); "" if not said */
} hb_binding;

typedef struct hb_device {
    int index;                 /* position in `hbmbench list`, stable for one machine */
    hb_device_kind kind;
    char type[16];             /* hb_device_kind_name(kind) */
    const struct hb_model *model; /* the model that measures it (during a run: the binding running) */
    uintptr_t handle[2];       /* that model's handle */
    /* Every model that reaches it, in discovery order; bindings[0] is the
     * model that described it. Filled by hb_device_list_merge. */
    hb_binding bindings[HB_MAX_MODELS];
    int n_bindings;

    char platform_name[128];
    char platform_version[128];
    char name[256];
    /* CL_DEVICE_BOARD_NAME_AMD where the device offers
     * cl_amd_device_attribute_query ("AMD Instinct MI300X" where ROCm's
     * CL_DEVICE_NAME says "gfx942"); "" otherwise. Peak tables and peaks
     * files match either name (docs/peaks.md#pci-ids). */
    char board_name[128];
    char vendor[128];
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
    int fma32, fma64;          /* fused multiply-add in hardware (CL_FP_FMA), per precision */
    /* CL_DEVICE_NATIVE_VECTOR_WIDTH_FLOAT / _DOUBLE: elements per vector
     * of the device's SIMD unit (PoCL: 8 / 4 on AVX2, 16 / 8 on AVX-512);
     * 0 when not reported (CUDA, the host model) */
    unsigned native_vector_f32, native_vector_f64;
    /* CPU devices and the host: one core's L1 data and L2 caches in bytes,
     * from hwloc (the first instance); 0 when unknown */
    uint64_t core_l1d_bytes, core_l2_bytes;
    unsigned vendor_id;        /* CL_DEVICE_VENDOR_ID (PoCL says 0x8086 on AMD CPUs) */
    int cc_major, cc_minor;    /* NVIDIA compute capability, 0 when not NVIDIA */
    /* Device memory is host memory: a CPU device, the host baseline, or an
     * OpenCL device reporting CL_DEVICE_HOST_UNIFIED_MEMORY (an integrated
     * GPU). A copy between host and device then crosses no link (zero-copy,
     * docs/transfer.md). */
    int unified_memory;
    char scope[32];            /* host devices: "machine" or "numa:<P#>"; "" otherwise */

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
    /* The narrowest PCIe link between the device and its host bridge, GB/s
     * per direction, as hwloc reads the links' current state (its
     * pcidev.linkspeed); NAN when unknown, with why in pcie_link_detail. */
    double pcie_link_gbs;
    char pcie_link_detail[160];

    /* Identity, so a board can be followed across runs and RMAs
     * (docs/usage.md#device-identity): its UUID as the vendor's runtime
     * gives it, which call gave it, its serial number where NVML has one;
     * "" when unknown, with why in identity_detail ("" when nothing failed). */
    char uuid[64];             /* "GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (CUDA, NVML), 8-4-4-4-12 (OpenCL) */
    char uuid_source[32];      /* "nvmlDeviceGetUUID", "cuDeviceGetUuid_v2", "cl_khr_device_uuid" */
    char serial[64];           /* nvmlDeviceGetSerial: boards with an inforom only */
    char identity_detail[192];
    /* Read back from an MPI run's file only (runner/io/json_read.c): the
     * rank that measured the device and its node; node "" otherwise (rank
     * then 0). `check` keys devices by node, rank and index, and by UUID. */
    int rank;
    char node[256];

    hb_peaks peaks;
} hb_device;

/* 16 UUID bytes as RFC 4122's 8-4-4-4-12 lower-case hex after prefix
 * ("GPU-" for NVIDIA, the spelling of nvidia-smi and NVML; "" for OpenCL). */
void hb_device_uuid_format(const unsigned char bytes[16], const char *prefix, char *out, size_t len);

/* Records why identity is unknown: appends "; what" to identity_detail. */
void hb_device_identity_note(hb_device *dev, const char *what);

/* The host baseline and CPU devices stream through the host's caches and memory. */
int hb_device_on_host_memory(const hb_device *dev);

/* Every device the models found, in model order. */
typedef struct hb_device_list {
    hb_device *v;
    size_t n;
    /* Per model, in hb_models[] order: its name and why it found no device ("" when it did). */
    const char *model_name[HB_MAX_MODELS];
    char model_status[HB_MAX_MODELS][512];
    int n_models;
} hb_device_list;

/* A zeroed slot at the end of the list with index set and peaks unknown;
 * NULL when out of memory. */
hb_device *hb_device_list_add(hb_device_list *list);
void hb_device_list_free(hb_device_list *list);

/* Gives each device its first binding (its model, handle and limits; a
 * model may have set bindings[0].library during discovery), then folds
 * into the first device each later device of another model with the same
 * PCI bus id (the host's devices never merge), filling what the first
 * description lacks (compute capability, PCI ids) from the later one, and
 * renumbers the indices. Returns how many devices were folded. */
size_t hb_device_list_merge(hb_device_list *list);

/* A copy of dev that model b measures: model, handle and the limits
 * (memory, largest allocation, cache) from bindings[b], so sizing and the
 * model see that model's own. */
hb_device hb_device_bound(const hb_device *dev, int b);

/* The index of the binding of the model named name, -1 if none. */
int hb_device_binding(const hb_device *dev, const char *name);

/* "opencl, cuda": the names of the device's models. */
void hb_device_models(const hb_device *dev, char *buf, size_t len);

#endif
