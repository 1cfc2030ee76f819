/* SPDX-License-Identifier: Apache-2.0 */
/* host_discover: the host model's devices: "host", the whole machine, and
 * on a machine with two or more NUMA nodes one device per node that has
 * cores ("host numa:<P#>": its cores, its memory). A CPU-less memory node
 * (HBM, CXL) hangs from a package and takes that package's cores (hwloc.h,
 * struct hwloc_obj cpuset, @2.9.0); one with no cores at all is skipped. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "host_env.h"

static hb_device *add(hb_device_list *list, const char *name, const char *scope, hb_err *err)
{
    hb_device *d = hb_device_list_add(list);
    if (!d) {
        hb_fail(err, HB_EFAIL, "out of memory listing devices");
        return NULL;
    }
    d->model = &hb_model_host;
    d->kind = HB_KIND_HOST;
    snprintf(d->type, sizeof d->type, "%s", hb_device_kind_name(d->kind));
    snprintf(d->name, sizeof d->name, "%s", name);
    snprintf(d->scope, sizeof d->scope, "%s", scope);
    snprintf(d->vendor, sizeof d->vendor, "native (no OpenCL)");
    snprintf(d->platform_name, sizeof d->platform_name, "hbmbench native STREAM");
    d->fp64 = 1;
    d->unified_memory = 1;
    return d;
}

/* Without /sys (gVisor, a container that hides it) hwloc's Linux backend
 * gives up ("failed to find sysfs cpu topology directory, aborting linux
 * discovery") and the topology holds no memory (total_memory 0, hwloc.h
 * struct hwloc_obj @2.9.0): every size would be refused. The machine's
 * memory is then sysconf's physical pages times the page size (sysconf(3):
 * _SC_PHYS_PAGES, a glibc extension read from sysinfo(2)), and the device
 * says so (its locality note, which hb_topology_locate keeps). */
static void memory_fallback(hwloc_topology_t topo, hb_device *d)
{
    if (topo && hwloc_get_root_obj(topo)->total_memory)
        return; /* the session's host description has it (runner/driver/sizing.c) */
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    if (pages <= 0 || page <= 0)
        return;
    d->global_mem_bytes = d->max_alloc_bytes = (uint64_t)pages * (uint64_t)page;
    snprintf(d->locality_source, sizeof d->locality_source, "memory from sysconf: hwloc found none");
}

/* The last-level cache one core reaches, as the device's global cache (a
 * CPU OpenCL device reports the same through
 * CL_DEVICE_GLOBAL_MEM_CACHE_SIZE): the largest data or unified cache
 * object hwloc finds, the first instance (one package's L3). Stream
 * sizing already takes the host's caches; the latency family's sweep and
 * plateaus (benches/latency.c) read it from the device. 0 when none. */
static uint64_t largest_cache(hwloc_topology_t topo)
{
    uint64_t c = 0;
    for (hwloc_obj_type_t t = HWLOC_OBJ_L1CACHE; t <= HWLOC_OBJ_L5CACHE; t++) {
        hwloc_obj_t o = hwloc_get_next_obj_by_type(topo, t, NULL);
        if (o && o->attr && o->attr->cache.type != HWLOC_OBJ_CACHE_INSTRUCTION && o->attr->cache.size > c)
            c = o->attr->cache.size;
    }
    return c;
}

int hb_host_discover(hb_device_list *list, char *status, size_t status_len, hb_err *err)
{
    hb_device *host = add(list, "host", "machine", err);
    if (!host)
        return HB_EFAIL;
    hwloc_topology_t topo;
    errno = 0;
    if (hwloc_topology_init(&topo) < 0) {
        snprintf(status, status_len, "hwloc_topology_init: %s: the whole machine only", strerror(errno));
        memory_fallback(NULL, host);
        return HB_OK;
    }
    errno = 0;
    if (hwloc_topology_load(topo) < 0) {
        /* no per-node devices; the machine-wide one still runs (open loads it again) */
        snprintf(status, status_len, "hwloc_topology_load: %s: the whole machine only", strerror(errno));
        hwloc_topology_destroy(topo);
        memory_fallback(NULL, host);
        return HB_OK;
    }
    memory_fallback(topo, host);
    host->global_cache_bytes = largest_cache(topo);
    int n = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_NUMANODE), rc = HB_OK;
    for (int i = 0; n >= 2 && i < n && !rc; i++) {
        hwloc_obj_t node = hwloc_get_obj_by_type(topo, HWLOC_OBJ_NUMANODE, (unsigned)i);
        if (!node || !node->cpuset || hwloc_bitmap_iszero(node->cpuset))
            continue;
        char name[48], scope[32];
        snprintf(scope, sizeof scope, "numa:%u", node->os_index);
        snprintf(name, sizeof name, "host %s", scope);
        hb_device *d = add(list, name, scope, err);
        if (!d)
            rc = HB_EFAIL;
        else { /* the node's own memory (hwloc.h, struct hwloc_obj total_memory) */
            d->global_mem_bytes = d->max_alloc_bytes = node->total_memory;
            d->global_cache_bytes = largest_cache(topo);
        }
    }
    hwloc_topology_destroy(topo);
    return rc;
}
