/* SPDX-License-Identifier: Apache-2.0 */
/* host_collect: the machine a run happened on. Names (hostname, OS, kernel) come
 * from the OS; the topology summary comes only from hwloc, so that it is also
 * right for an XML topology loaded with --topology. */
#include "host_collect.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "topology.h"

/* Copies s without surrounding quotes and trailing newline. */
static void hb_copy_value(char *dst, size_t len, const char *s)
{
    size_t n = strcspn(s, "\r\n");
    if (n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0]) {
        s++;
        n -= 2;
    }
    if (n >= len)
        n = len - 1;
    memcpy(dst, s, n);
    dst[n] = '\0';
}

/* PRETTY_NAME from os-release; /usr/lib/os-release is the fallback the
 * os-release(5) man page names for when /etc/os-release is absent. */
static void hb_read_os(char *dst, size_t len)
{
    static const char *const paths[] = {"/etc/os-release", "/usr/lib/os-release"};
    snprintf(dst, len, "unknown");
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        FILE *f = fopen(paths[i], "r");
        if (!f)
            continue;
        char line[512];
        while (fgets(line, sizeof line, f)) {
            if (strncmp(line, "PRETTY_NAME=", 12) == 0) {
                hb_copy_value(dst, len, line + 12);
                fclose(f);
                return;
            }
        }
        fclose(f);
    }
}

/* "model name : ..." is x86's /proc/cpuinfo field; other architectures lack
 * it and stay "unknown". */
static void hb_read_cpuinfo_model(char *dst, size_t len)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "model name", 10) == 0) {
            const char *colon = strchr(line, ':');
            if (colon) {
                colon++;
                while (*colon == ' ' || *colon == '\t')
                    colon++;
                hb_copy_value(dst, len, colon);
                break;
            }
        }
    }
    fclose(f);
}

static int hb_count(hwloc_topology_t topo, hwloc_obj_type_t type, const char *what,
                    unsigned *out, hb_err *err)
{
    /* -1 means objects of that type at several depths (hwloc.h @2.9.0). */
    int n = hwloc_get_nbobjs_by_type(topo, type);
    if (n < 0)
        return hb_fail(err, HB_EFAIL, "hwloc_get_nbobjs_by_type(%s): several depths", what);
    *out = (unsigned)n;
    return HB_OK;
}

/* One entry per data or unified cache level: hwloc's L<n>Cache types are data
 * or unified, instruction caches are the separate L<n>ICache types
 * (hwloc.h L213-221 @2.9.0). The size is that of the
 * first instance: hybrid CPUs can differ per instance, which is not shown. */
static void hb_collect_caches(hwloc_topology_t topo, hb_host_info *info)
{
    static const hwloc_obj_type_t types[] = {HWLOC_OBJ_L1CACHE, HWLOC_OBJ_L2CACHE,
                                             HWLOC_OBJ_L3CACHE, HWLOC_OBJ_L4CACHE,
                                             HWLOC_OBJ_L5CACHE};
    info->n_caches = 0;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        hwloc_obj_type_t type = types[i];
        hwloc_obj_t first = hwloc_get_next_obj_by_type(topo, type, NULL);
        unsigned count = 0;
        /* Walks every depth holding this type, so a type at several depths
         * (hwloc_get_nbobjs_by_type returns -1 there) is still counted. */
        int depth_n = hwloc_topology_get_depth(topo);
        for (int d = 0; d < depth_n; d++) {
            if (hwloc_get_depth_type(topo, d) != type)
                continue;
            if (!first)
                first = hwloc_get_obj_by_depth(topo, d, 0);
            count += hwloc_get_nbobjs_by_depth(topo, d);
        }
        if (!first || count == 0 || info->n_caches >= HB_MAX_CACHE_LEVELS)
            continue;
        hb_cache_level *c = &info->caches[info->n_caches++];
        unsigned level = first->attr->cache.depth;
        /* L1 is split into data and instruction caches on every current CPU;
         * a unified L1 is named plainly. */
        if (first->attr->cache.type == HWLOC_OBJ_CACHE_DATA)
            snprintf(c->name, sizeof c->name, "L%ud", level % 10);
        else
            snprintf(c->name, sizeof c->name, "L%u", level % 10);
        c->size_bytes = first->attr->cache.size;
        c->count = count;
        c->line_bytes = first->attr->cache.linesize;
    }
}

/* hwloc_get_api_version() is the API version (0x00020800 for the 2.9.0
 * release, hwloc.h L92-96 @2.9.0), not the release; the release string is
 * only known at build time (hwloc/autogen/config.h HWLOC_VERSION). When the
 * runtime API differs from the build's, the runtime API is reported. */
static void hb_hwloc_version(char *dst, size_t len)
{
    unsigned api = hwloc_get_api_version();
    if (api == HWLOC_API_VERSION)
        snprintf(dst, len, "%s", HWLOC_VERSION);
    else
        snprintf(dst, len, "API %u.%u.%u", (api >> 16) & 0xff, (api >> 8) & 0xff, api & 0xff);
}

/* Without /sys (gVisor) hwloc's Linux backend gives up: the topology has
 * no memory and may have no cores (runner/models/host/host_discover.c).
 * This machine's own figures then come from sysconf(3): physical pages
 * times the page size, and the online processors for cores and PUs. An
 * XML topology describes another machine, so it is left as it is. */
static void hb_sysconf_fallback(hb_host_info *info)
{
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE), cpus = sysconf(_SC_NPROCESSORS_ONLN);
    if (!info->memory_bytes && pages > 0 && page > 0)
        info->memory_bytes = (uint64_t)pages * (uint64_t)page;
    if (!info->cores && cpus > 0)
        info->cores = (unsigned)cpus;
    if (!info->pus && cpus > 0)
        info->pus = (unsigned)cpus;
}

int hb_host_info_collect(struct hb_topology *topo, hb_host_info *info, hb_err *err)
{
    memset(info, 0, sizeof *info);
    if (!topo || !topo->topo)
        return hb_fail(err, HB_EFAIL, "hb_host_info_collect: topology not loaded");
    hwloc_topology_t t = topo->topo;

    if (gethostname(info->hostname, sizeof info->hostname - 1) < 0)
        return hb_fail(err, HB_EFAIL, "gethostname: %s", strerror(errno));
    hb_read_os(info->os, sizeof info->os);
    struct utsname u;
    if (uname(&u) < 0)
        return hb_fail(err, HB_EFAIL, "uname: %s", strerror(errno));
    snprintf(info->kernel, sizeof info->kernel, "%.40s %.60s %.20s", u.sysname, u.release,
             u.machine);

    /* hwloc's x86 and Linux backends set CPUModel on each Package
     * (doc/hwloc.doxy "CPUModel" @2.9.0). /proc/cpuinfo describes this
     * machine, so it is not read for an XML topology. */
    snprintf(info->cpu_model, sizeof info->cpu_model, "unknown");
    hwloc_obj_t pkg = hwloc_get_obj_by_type(t, HWLOC_OBJ_PACKAGE, 0);
    const char *model = pkg ? hwloc_obj_get_info_by_name(pkg, "CPUModel") : NULL;
    if (model && *model)
        snprintf(info->cpu_model, sizeof info->cpu_model, "%s", model);
    else if (!topo->from_xml)
        hb_read_cpuinfo_model(info->cpu_model, sizeof info->cpu_model);

    int rc = hb_count(t, HWLOC_OBJ_PACKAGE, "Package", &info->packages, err);
    if (!rc)
        rc = hb_count(t, HWLOC_OBJ_NUMANODE, "NUMANode", &info->numa_nodes, err);
    if (!rc)
        rc = hb_count(t, HWLOC_OBJ_CORE, "Core", &info->cores, err);
    if (!rc)
        rc = hb_count(t, HWLOC_OBJ_PU, "PU", &info->pus, err);
    if (rc)
        return rc;
    /* total_memory sums the local memory of every NUMA node below the root
     * (hwloc.h struct hwloc_obj @2.9.0). */
    info->memory_bytes = hwloc_get_root_obj(t)->total_memory;
    if (!topo->from_xml)
        hb_sysconf_fallback(info);
    hb_collect_caches(t, info);
    hb_hwloc_version(info->hwloc_version, sizeof info->hwloc_version);
    return HB_OK;
}
