/* SPDX-License-Identifier: Apache-2.0 */
/* test_topology_xml: device locality and host info on a known topology.
 *
 * argv[1] is tests/fixtures/two_socket_two_gpu.xml, written by hand in the
 * format `lstopo --of xml` produces with hwloc 2.9.0: two packages, one NUMA
 * node and four cores each (PUs 0-3 and 4-7), and one NVIDIA H100 (PCI
 * 10de:2330, class 0302) behind each package's host bridge, at 0000:17:00.0
 * and 0000:b1:00.0. The live machine is loaded too, for what any machine has. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "host_info.h"
#include "peak.h"
#include "topology.h"
#include "host_collect.h"
#include "place_hwloc.h"

static int failures;

static void check(int ok, const char *name, const char *why)
{
    if (ok)
        printf("PASS %s\n", name);
    else {
        printf("FAIL %s: %s\n", name, why);
        failures++;
    }
}

static void check_str(const char *name, const char *got, const char *want)
{
    char why[512];
    snprintf(why, sizeof why, "got \"%s\", want \"%s\"", got, want);
    check(strcmp(got, want) == 0, name, why);
}

static void check_uint(const char *name, unsigned long long got, unsigned long long want)
{
    char why[128];
    snprintf(why, sizeof why, "got %llu (0x%llx), want %llu (0x%llx)", got, got, want, want);
    check(got == want, name, why);
}

static void gpu(hb_device *d, unsigned bus)
{
    memset(d, 0, sizeof *d);
    d->kind = HB_KIND_GPU;
    snprintf(d->type, sizeof d->type, "GPU");
    d->has_pci = 1;
    d->pci_bus = bus;
}

static int locate(hb_topology *t, hb_device *d, const char *name)
{
    hb_err err = {0};
    int rc = hb_topology_locate(t, d, &err);
    check(rc == HB_OK, name, err.msg);
    return rc;
}

static void test_gpus(hb_topology *t)
{
    hb_device d;
    gpu(&d, 0x17);
    if (locate(t, &d, "gpu0 locate") == HB_OK) {
        check_str("gpu0 numa", d.numa_nodes, "0");
        check_str("gpu0 cpuset", d.cpuset, "0-3");
        check_uint("gpu0 cores", d.n_cores, 4);
        check_uint("gpu0 pus", d.n_pus, 4);
        check_uint("gpu0 pci vendor", d.pci_vendor_id, 0x10de);
        check_uint("gpu0 pci device", d.pci_device_id, 0x2330);
        check_str("gpu0 source", d.locality_source, "hwloc PCI 0000:17:00.0");
    }
    gpu(&d, 0xb1);
    if (locate(t, &d, "gpu1 locate") == HB_OK) {
        check_str("gpu1 numa", d.numa_nodes, "1");
        check_str("gpu1 cpuset", d.cpuset, "4-7");
        check_uint("gpu1 cores", d.n_cores, 4);
        check_uint("gpu1 pci device", d.pci_device_id, 0x2330);
    }
    gpu(&d, 0x42);
    d.pci_dev = 3;
    d.pci_func = 1;
    if (locate(t, &d, "unknown bus locate") == HB_OK) {
        check_str("unknown bus numa", d.numa_nodes, "0-1");
        check_str("unknown bus cpuset", d.cpuset, "0-7");
        check_str("unknown bus source", d.locality_source,
                  "PCI 0000:42:03.1 not in hwloc topology: whole machine assumed");
        check_uint("unknown bus pci ids untouched", d.pci_vendor_id, 0);
    }
}

/* The PCIe link: the fixture's H100 sits at Gen4 x16 (pci_link_speed
 * 31.507692 GB/s per direction, 16 GT/s x 16 lanes x 128/130 / 8) right
 * under its host bridge; it becomes the device's link peak, derived. A
 * device whose memory is the host's has no link peak. */
static void test_link(hb_topology *t)
{
    hb_device d;
    hb_err err = {0};
    gpu(&d, 0x17);
    d.peaks.link_gbs.value = 0;
    if (locate(t, &d, "link locate") != HB_OK)
        return;
    char why[512];
    snprintf(why, sizeof why, "got %.6f (%s)", d.pcie_link_gbs, d.pcie_link_detail);
    check(fabs(d.pcie_link_gbs - 31.507692) < 1e-4, "gpu0 pcie link 31.5 GB/s", why);
    check(hb_peak_resolve(&d, NULL, &err) == HB_OK, "gpu0 peaks resolve", err.msg);
    snprintf(why, sizeof why, "got %.6f source %d: %s", d.peaks.link_gbs.value, (int)d.peaks.link_gbs.src,
             d.peaks.link_gbs.detail);
    check(fabs(d.peaks.link_gbs.value - 31.507692) < 1e-4 && d.peaks.link_gbs.src == HB_PEAK_DERIVED &&
              strstr(d.peaks.link_gbs.detail, "0000:17:00.0"), "gpu0 link peak derived from hwloc", why);

    memset(&d, 0, sizeof d);
    d.kind = HB_KIND_CPU;
    d.unified_memory = 1;
    if (locate(t, &d, "cpu link locate") != HB_OK)
        return;
    check(hb_peak_resolve(&d, NULL, &err) == HB_OK, "cpu peaks resolve", err.msg);
    check(isnan(d.pcie_link_gbs) && isnan(d.peaks.link_gbs.value) && d.peaks.link_gbs.src == HB_PEAK_UNKNOWN &&
              strstr(d.peaks.link_gbs.detail, "zero-copy"), "cpu device: no link peak (zero-copy)",
          d.peaks.link_gbs.detail);
}

/* --numa remote picks the nearest node with CPUs that is not the device's:
 * for the GPU on node 0, node 1 and its PUs. (On an XML topology hwloc
 * cannot bind this process; that is noted in the binding, not an error.) A
 * device local to every node has no remote node. */
static void test_remote(hb_topology *t)
{
    hb_place place;
    hb_place_init(&place, t->topo);
    hb_device d;
    hb_numa_binding b;
    hb_err err = {0};
    gpu(&d, 0x17);
    if (locate(t, &d, "remote locate") != HB_OK)
        return;
    int rc = place.bind(&place, &d, 1, &b, &err);
    check(rc == HB_OK, "gpu0 remote bind", err.msg);
    place.unbind(&place, &b);
    check_str("gpu0 remote node", b.nodes, "1");
    check_str("gpu0 remote cpus", b.cpus, "4-7");
    rc = place.bind(&place, &d, 0, &b, &err);
    place.unbind(&place, &b);
    check_str("gpu0 local node", b.nodes, "0");
    check_str("gpu0 local cpus", b.cpus, "0-3");
    memset(&d, 0, sizeof d);
    d.kind = HB_KIND_CPU;
    if (locate(t, &d, "remote cpu locate") != HB_OK)
        return;
    rc = place.bind(&place, &d, 1, &b, &err);
    place.unbind(&place, &b);
    check(rc == HB_EUSAGE && strstr(err.msg, "local to NUMA node(s) 0-1"), "cpu device: no remote node", err.msg);
}

static void test_cpu_and_host(hb_topology *t)
{
    hb_device d;
    memset(&d, 0, sizeof d);
    d.kind = HB_KIND_CPU;
    snprintf(d.type, sizeof d.type, "CPU");
    if (locate(t, &d, "cpu device locate") == HB_OK) {
        check_str("cpu device numa", d.numa_nodes, "0-1");
        check_str("cpu device cpuset", d.cpuset, "0-7");
        check_uint("cpu device cores", d.n_cores, 8);
        check_uint("cpu device pus", d.n_pus, 8);
        check_str("cpu device source", d.locality_source, "whole machine (CPU device)");
    }
    memset(&d, 0, sizeof d);
    d.kind = HB_KIND_HOST;
    if (locate(t, &d, "host locate") == HB_OK) {
        check_str("host cpuset", d.cpuset, "0-7");
        check_str("host source", d.locality_source, "whole machine (host)");
    }
}

static void test_host_info_xml(hb_topology *t)
{
    hb_host_info hi;
    hb_err err = {0};
    int rc = hb_host_info_collect(t, &hi, &err);
    check(rc == HB_OK, "xml host info", err.msg);
    if (rc != HB_OK)
        return;
    check_uint("xml packages", hi.packages, 2);
    check_uint("xml numa_nodes", hi.numa_nodes, 2);
    check_uint("xml cores", hi.cores, 8);
    check_uint("xml pus", hi.pus, 8);
    check_uint("xml memory", hi.memory_bytes, 2ULL << 36);
    check_str("xml cpu model", hi.cpu_model, "Test CPU 4-core");
    check_uint("xml cache levels", (unsigned)hi.n_caches, 3);
    if (hi.n_caches == 3) {
        check_str("xml L1 name", hi.caches[0].name, "L1d");
        check_uint("xml L1 size", hi.caches[0].size_bytes, 49152);
        check_uint("xml L1 count", hi.caches[0].count, 8);
        check_str("xml L3 name", hi.caches[2].name, "L3");
        check_uint("xml L3 count", hi.caches[2].count, 2);
        check_uint("xml L3 line", hi.caches[2].line_bytes, 64);
    }
    check(hi.hwloc_version[0] != '\0', "xml hwloc version", "empty");
}

static void test_live(void)
{
    hb_topology t = {0};
    hb_err err = {0};
    int rc = hb_topology_load(&t, NULL, &err);
    check(rc == HB_OK, "live load", err.msg);
    if (rc == HB_OK) {
        hb_host_info hi;
        rc = hb_host_info_collect(&t, &hi, &err);
        check(rc == HB_OK, "live host info", err.msg);
        if (rc == HB_OK) {
            check(hi.hostname[0] != '\0', "live hostname", "empty");
            check(hi.cores >= 1, "live cores", "no cores");
            printf("     live: %s | %s | %s | %s | %u pkg %u numa %u cores %u pus | %llu B | "
                   "hwloc %s\n",
                   hi.hostname, hi.os, hi.kernel, hi.cpu_model, hi.packages, hi.numa_nodes,
                   hi.cores, hi.pus, (unsigned long long)hi.memory_bytes, hi.hwloc_version);
        }
    }
    hb_topology_free(&t);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s two_socket_two_gpu.xml\n", argv[0]);
        return 2;
    }
    hb_topology t = {0};
    hb_err err = {0};
    int rc = hb_topology_load(&t, argv[1], &err);
    check(rc == HB_OK, "xml load", err.msg);
    if (rc == HB_OK) {
        check(t.from_xml == 1, "xml from_xml", "from_xml not set");
        test_gpus(&t);
        test_link(&t);
        test_remote(&t);
        test_cpu_and_host(&t);
        test_host_info_xml(&t);
    }
    hb_topology_free(&t);
    hb_topology_free(&t); /* safe twice, and on a zeroed struct */

    hb_topology bad = {0};
    rc = hb_topology_load(&bad, "/nonexistent/topo.xml", &err);
    check(rc == HB_EUSAGE && strstr(err.msg, "/nonexistent/topo.xml") != NULL,
          "missing xml is usage error", err.msg);
    hb_topology_free(&bad);

    test_live();
    return failures ? 1 : 0;
}
