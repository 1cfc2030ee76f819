/* SPDX-License-Identifier: Apache-2.0 */
/* test_peak: peak resolution without a GPU. Devices are filled by hand the
 * way discovery would fill them; peaks files are written to temp files here.
 * On a machine with NVML the fake PCI bus ids below match no GPU, so NVML
 * falls through exactly as it does where the library is absent. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "device.h"
#include "peak.h"
#include "peak_derived.h"
#include "peak_nvml.h"
#include "peak_table.h"

#define GIB (1024ull * 1024 * 1024)

static int failures;

static void check(int ok, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void check(int ok, const char *name, const char *fmt, ...)
{
    va_list ap;
    if (ok) {
        printf("PASS %s\n", name);
        return;
    }
    failures++;
    printf("FAIL %s: ", name);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
}

static const hb_peak_opts no_opts = {NAN, NAN, NAN, NULL};

/* An NVIDIA-looking GPU at a bus id no real machine uses for a GPU. */
static hb_device gpu(const char *name, unsigned pci_dev_id, double mem_gib, unsigned cus)
{
    hb_device d;
    memset(&d, 0, sizeof d);
    snprintf(d.name, sizeof d.name, "%s", name);
    snprintf(d.vendor, sizeof d.vendor, "NVIDIA Corporation");
    d.kind = HB_KIND_GPU;
    snprintf(d.type, sizeof d.type, "GPU");
    d.compute_units = cus;
    d.max_clock_mhz = 1980;
    d.global_mem_bytes = (uint64_t)(mem_gib * GIB);
    d.has_pci = 1;
    d.pci_domain = 0xfe;
    d.pci_bus = 0xff;
    d.pci_dev = 0x1f;
    snprintf(d.pci_bus_id, sizeof d.pci_bus_id, "00fe:ff:1f.0");
    if (pci_dev_id) {
        d.pci_vendor_id = 0x10de;
        d.pci_device_id = pci_dev_id;
    }
    return d;
}

static int resolve(hb_device *d, const hb_peak_opts *o, hb_err *e)
{
    memset(e, 0, sizeof *e);
    return hb_peak_resolve(d, o, e);
}

static char temp_paths[8][64];
static int n_temp;

static char *write_temp(const char *text)
{
    char *p = temp_paths[n_temp++ % 8];
    int fd;
    snprintf(p, sizeof temp_paths[0], "/tmp/hb_test_peak_XXXXXX.json");
    fd = mkstemps(p, 5);
    if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
        return NULL;
    close(fd);
    return p;
}

static void test_table(void)
{
    hb_peak_table t;
    hb_err e = {0};
    int rc = hb_peak_table_load_embedded(&t, &e), complete = 1;
    check(rc == HB_OK && t.n >= 24, "table parses", "rc %d, %zu rows: %s", rc, t.n, e.msg);
    /* A FLOP figure no public source gives is left unknown (the B200 row);
     * every row has its bandwidth, and every figure its source (the parser
     * refuses one without). */
    for (size_t i = 0; rc == HB_OK && i < t.n; i++) {
        const hb_peak_row *r = &t.rows[i];
        if (isnan(r->bw_gbs) || !r->src_bw || (!isnan(r->fp32_gflops) && !r->src_fp32) ||
            (!isnan(r->fp64_gflops) && !r->src_fp64)) {
            complete = 0;
            printf("  row %zu (%s) lacks its bandwidth or a figure's source\n", i, r->name);
        }
    }
    check(complete, "every row has a bandwidth and every figure its source", "see rows above");
    hb_peak_table_free(&t);

    {
        const char *bad = "{\"devices\":[{\"name\":\"X\",\"bw_gbs\":1,\"sources\":{},"
                          "\"match\":{\"name_contains\":[\"X\"]}}]}";
        rc = hb_peak_table_parse(bad, strlen(bad), "t.json", &t, &e);
    }
    check(rc != HB_OK && strstr(e.msg, "bw"), "figure without source rejected", "rc %d: %s",
          rc, e.msg);
}

static void test_table_matching(void)
{
    hb_err e;
    hb_device d = gpu("Some Future GPU", 0x2330, 0, 132);
    int rc = resolve(&d, &no_opts, &e);
    check(rc == HB_OK && d.peaks.bw_gbs.value == 3350 && d.peaks.bw_gbs.src == HB_PEAK_TABLE &&
          strstr(d.peaks.bw_gbs.detail, "H100 SXM5"), "H100 SXM by PCI id 10de:2330",
          "rc %d, %g [%s] %s", rc, d.peaks.bw_gbs.value, hb_peak_src_name(d.peaks.bw_gbs.src),
          d.peaks.bw_gbs.detail);
    check(d.peaks.fp64_gflops.value == 34000 && d.peaks.fp32_gflops.value == 67000,
          "H100 SXM flops from table", "%g %g", d.peaks.fp32_gflops.value,
          d.peaks.fp64_gflops.value);
    /* NVML is absent here (or finds no GPU at the fake bus id): no error, table. */
    check(strstr(d.peaks.bw_gbs.detail, "datasheet table:") != NULL,
          "NVML unavailable falls through to table", "%s", d.peaks.bw_gbs.detail);

    d = gpu("NVIDIA H100 80GB HBM3", 0, 80, 132);
    resolve(&d, &no_opts, &e);
    check(d.peaks.bw_gbs.value == 3350 && d.peaks.bw_gbs.src == HB_PEAK_TABLE,
          "H100 SXM by name and 80 GiB", "%g %s", d.peaks.bw_gbs.value, d.peaks.bw_gbs.detail);

    d = gpu("NVIDIA A100 PCIe", 0, 39.4, 108);
    resolve(&d, &no_opts, &e);
    check(d.peaks.bw_gbs.value == 1555 && strstr(d.peaks.bw_gbs.detail, "PCIe 40GB"),
          "A100 PCIe 40GB by memory size", "%g %s", d.peaks.bw_gbs.value, d.peaks.bw_gbs.detail);
    d = gpu("NVIDIA A100 PCIe", 0, 79.2, 108);
    resolve(&d, &no_opts, &e);
    check(d.peaks.bw_gbs.value == 1935 && strstr(d.peaks.bw_gbs.detail, "PCIe 80GB"),
          "A100 PCIe 80GB by memory size", "%g %s", d.peaks.bw_gbs.value, d.peaks.bw_gbs.detail);

    d = gpu("Acme Mystery GPU", 0, 16, 40);
    snprintf(d.vendor, sizeof d.vendor, "Acme");
    resolve(&d, &no_opts, &e);
    check(isnan(d.peaks.bw_gbs.value) && d.peaks.bw_gbs.src == HB_PEAK_UNKNOWN &&
          isnan(d.peaks.fp32_gflops.value) && isnan(d.peaks.fp64_gflops.value) &&
          strstr(d.peaks.bw_gbs.detail, "--peak-bw"), "unknown GPU is NAN and unknown",
          "%g [%s] %s", d.peaks.bw_gbs.value, hb_peak_src_name(d.peaks.bw_gbs.src),
          d.peaks.bw_gbs.detail);

    d = gpu("NVIDIA H100 80GB HBM3", 0x2330, 80, 16);   /* a slice: 16 of 132 SMs */
    resolve(&d, &no_opts, &e);
    check(isnan(d.peaks.bw_gbs.value) && d.peaks.bw_gbs.src == HB_PEAK_UNKNOWN &&
          strstr(d.peaks.bw_gbs.detail, "16 of 132 compute units") &&
          strstr(d.peaks.bw_gbs.detail, "whole part"), "partition is not scaled",
          "%g %s", d.peaks.bw_gbs.value, d.peaks.bw_gbs.detail);

    d = gpu("AMD Instinct MI250X", 0, 64, 110);         /* one GCD has its own row */
    d.pci_vendor_id = 0x1002;
    d.pci_device_id = 0x740c;
    snprintf(d.vendor, sizeof d.vendor, "Advanced Micro Devices, Inc.");
    resolve(&d, &no_opts, &e);
    check(d.peaks.bw_gbs.value == 1638.4 && strstr(d.peaks.bw_gbs.detail, "one GCD"),
          "MI250X GCD picks the per-GCD row", "%g %s", d.peaks.bw_gbs.value,
          d.peaks.bw_gbs.detail);
}

/* name, PCI vendor and device id (0: none), memory in GiB as the driver
 * reports it, SMs or CUs; the row the table must pick (a substring of its
 * name, NULL: none), its bandwidth and FP64; AMD's board name
 * (CL_DEVICE_BOARD_NAME_AMD, NULL: none). */
typedef struct sku_case {
    const char *name;
    unsigned vendor, pci;
    double gib;
    unsigned cus;
    const char *row;
    double bw, fp64;
    const char *board;
} sku_case;

/* SKUs that share a chip, a PCI id or a name substring must not take each
 * other's figures (H100 NVL / PCIe / SXM; H200 SXM / NVL / GH200; B200 /
 * GB200; MI300A / MI300X / MI325X). */
static void test_sku_matching(void)
{
    static const sku_case cases[] = {
        {"NVIDIA H100 NVL", 0x10de, 0, 93.6, 132, "H100 NVL", 3938, 30000, NULL},
        {"NVIDIA H100 NVL", 0x10de, 0x2321, 93.6, 132, "H100 NVL", 3938, 30000, NULL},
        /* 10de:233a is "H800L 94GB" in pci.ids, not an H100 NVL */
        {"NVIDIA H800 NVL", 0x10de, 0x233a, 93.6, 132, NULL, NAN, NAN, NULL},
        {"NVIDIA H100 PCIe", 0x10de, 0x2331, 79.6, 114, "H100 PCIe", 2000, 26000, NULL},
        {"NVIDIA H100 80GB HBM3", 0x10de, 0x2330, 79.6, 132, "H100 SXM5", 3350, 34000, NULL},
        {"NVIDIA H200", 0x10de, 0x2335, 140.4, 132, "H200 SXM", 4800, 34000, NULL},
        {"NVIDIA H200 NVL", 0x10de, 0x2335, 140.4, 132, "H200 NVL", 4800, 30000, NULL},
        {"NVIDIA H200 NVL", 0x10de, 0, 140.4, 132, "H200 NVL", 4800, 30000, NULL},
        {"NVIDIA H200 NVL", 0x10de, 0x233b, 140.4, 132, "H200 NVL", 4800, 30000, NULL},
        {"NVIDIA GH200 480GB", 0x10de, 0, 95.6, 132, "GH200 96GB", 4000, 34000, NULL},
        {"NVIDIA GH200 144G HBM3e", 0x10de, 0, 140.0, 132, "GH200 144GB", 4900, 34000, NULL},
        {"NVIDIA GH200 144G HBM3e", 0x10de, 0x2348, 140.0, 132, "GH200 144GB", 4900, 34000, NULL},
        {"NVIDIA B200", 0x10de, 0, 179.1, 148, "B200", 7700, 37000, NULL},
        {"NVIDIA B200", 0x10de, 0x2901, 179.1, 148, "B200", 7700, 37000, NULL},
        {"NVIDIA GB200", 0x10de, 0, 184.0, 152, NULL, NAN, NAN, NULL},
        {"NVIDIA H100 NVL", 0x10de, 0, 40.0, 132, NULL, NAN, NAN, NULL},  /* memory outside every range */
        {"AMD Instinct MI300A", 0x1002, 0, 128, 228, "MI300A", 5300, 61300, NULL},
        {"AMD Instinct MI300X", 0x1002, 0, 192, 304, "MI300X", 5300, 81700, NULL},
        {"AMD Instinct MI325X", 0x1002, 0, 256, 304, "MI325X", 6000, 81700, NULL},
        /* ROCm's OpenCL names all three gfx942: the PCI id, else AMD's board name, tells them apart */
        {"gfx942", 0x1002, 0x74a0, 128, 228, "MI300A", 5300, 61300, NULL},
        {"gfx942", 0x1002, 0x74a1, 192, 304, "MI300X", 5300, 81700, NULL},
        {"gfx942", 0x1002, 0x74a5, 256, 304, "MI325X", 6000, 81700, NULL},
        {"gfx942:sramecc+:xnack-", 0x1002, 0, 192, 304, "MI300X", 5300, 81700, "AMD Instinct MI300X"},
        {"gfx942", 0x1002, 0, 128, 228, "MI300A", 5300, 61300, "AMD Instinct MI300A"},
        {"gfx942", 0x1002, 0, 256, 304, "MI325X", 6000, 81700, "AMD Instinct MI325X"},
        /* look-alikes: the same chip under another id (MI308X, 1002:74a2) or no name to go by */
        {"gfx942", 0x1002, 0x74a2, 192, 304, NULL, NAN, NAN, NULL},
        {"gfx942", 0x1002, 0, 192, 304, NULL, NAN, NAN, "AMD Instinct MI308X"},
        {"gfx942", 0x1002, 0, 192, 304, NULL, NAN, NAN, NULL},
        {"gfx942", 0x10de, 0x74a1, 192, 304, NULL, NAN, NAN, NULL},  /* another vendor's device id */
    };
    hb_peak_table t;
    hb_err e = {0};
    if (hb_peak_table_load_embedded(&t, &e)) {
        check(0, "table loads", "%s", e.msg);
        return;
    }
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const sku_case *c = &cases[i];
        hb_device d = gpu(c->name, c->pci, c->gib, c->cus);
        char how[64] = "", what[160];
        if (c->pci)
            d.pci_vendor_id = c->vendor;
        if (c->board)
            snprintf(d.board_name, sizeof d.board_name, "%s", c->board);
        const hb_peak_row *r = hb_peak_table_lookup(&t, &d, how, sizeof how);
        snprintf(what, sizeof what, "%s%s%s, %.1f GiB, PCI id %04x:%04x: %s", c->name,
                 c->board ? ", board " : "", c->board ? c->board : "", c->gib, c->pci ? c->vendor : 0, c->pci,
                 c->row ? c->row : "no row");
        int ok = c->row ? r && strstr(r->name, c->row) && r->bw_gbs == c->bw &&
                              (isnan(c->fp64) ? isnan(r->fp64_gflops) : r->fp64_gflops == c->fp64)
                        : r == NULL;
        check(ok, what, "got %s (%s)", r ? r->name : "none", how);
    }
    hb_peak_table_free(&t);
}

static void test_user_and_file(void)
{
    hb_err e;
    hb_peak_opts o = no_opts;
    hb_device d = gpu("NVIDIA H100 80GB HBM3", 0x2330, 80, 132);
    char *f;
    int rc;

    o.bw_gbs = 3000;
    resolve(&d, &o, &e);
    check(d.peaks.bw_gbs.value == 3000 && d.peaks.bw_gbs.src == HB_PEAK_USER &&
          strcmp(d.peaks.bw_gbs.detail, "--peak-bw 3000") == 0 &&
          d.peaks.fp32_gflops.src == HB_PEAK_TABLE, "--peak-bw wins over the table",
          "%g [%s] %s", d.peaks.bw_gbs.value, hb_peak_src_name(d.peaks.bw_gbs.src),
          d.peaks.bw_gbs.detail);

    f = write_temp("{\"devices\": [\n"
                   " {\"match\": \"acme x1\", \"bw_gbs\": 410.5, \"source\": \"Acme sheet p.3\"},\n"
                   " {\"match\": \"0000:65:00.0\", \"fp32_gflops\": 1234},\n"
                   " {\"match\": \"H100 80GB\", \"bw_gbs\": 3100, \"source\": \"measured ceiling\"}\n"
                   "]}\n");
    o = no_opts;
    o.peaks_file = f;
    d = gpu("Acme X1 Accelerator", 0, 32, 64);
    snprintf(d.vendor, sizeof d.vendor, "Acme");
    d.pci_domain = 0;
    d.pci_bus = 0x65;
    d.pci_dev = 0;
    rc = resolve(&d, &o, &e);
    check(rc == HB_OK && d.peaks.bw_gbs.value == 410.5 && d.peaks.bw_gbs.src == HB_PEAK_FILE &&
          strstr(d.peaks.bw_gbs.detail, f) && strstr(d.peaks.bw_gbs.detail, "Acme sheet p.3"),
          "peaks file matched by name", "rc %d %s: %g %s", rc, e.msg, d.peaks.bw_gbs.value,
          d.peaks.bw_gbs.detail);
    check(d.peaks.fp32_gflops.value == 1234 && d.peaks.fp32_gflops.src == HB_PEAK_FILE &&
          isnan(d.peaks.fp64_gflops.value), "peaks file matched by PCI bus id",
          "%g %s", d.peaks.fp32_gflops.value, d.peaks.fp32_gflops.detail);

    d = gpu("gfx942", 0, 32, 64);                       /* ROCm: the board name says what it is */
    snprintf(d.board_name, sizeof d.board_name, "Acme X1 Accelerator");
    d.pci_bus = 0x66;
    rc = resolve(&d, &o, &e);
    check(rc == HB_OK && d.peaks.bw_gbs.value == 410.5 && d.peaks.bw_gbs.src == HB_PEAK_FILE,
          "peaks file matched by AMD's board name", "rc %d: %g %s", rc, d.peaks.bw_gbs.value,
          d.peaks.bw_gbs.detail);

    d = gpu("NVIDIA H100 80GB HBM3", 0x2330, 80, 132);
    resolve(&d, &o, &e);
    check(d.peaks.bw_gbs.value == 3100 && d.peaks.fp32_gflops.src == HB_PEAK_TABLE,
          "peaks file beats table, per figure", "%g %s", d.peaks.bw_gbs.value,
          d.peaks.bw_gbs.detail);

    o.peaks_file = f = write_temp("{\"devices\": [\n  {\"match\": \"x\",, }\n]}\n");
    rc = resolve(&d, &o, &e);
    {
        char want[128];
        snprintf(want, sizeof want, "%s:2:", f);
        check(rc == HB_EUSAGE && strstr(e.msg, want), "malformed peaks file -> usage error "
              "with FILE:LINE:COLUMN", "rc %d: %s", rc, e.msg);
    }
    o.peaks_file = f = write_temp("{\"devices\": [{\"match\": \"x\"}, {\"match\": \"y\", "
                                  "\"bw_gbs\": \"fast\"}]}");
    rc = resolve(&d, &o, &e);
    check(rc == HB_EUSAGE && strstr(e.msg, f) && strstr(e.msg, "devices[1]"),
          "wrongly typed entry -> usage error naming file and entry", "rc %d: %s", rc, e.msg);
    o.peaks_file = "/nonexistent/peaks.json";
    rc = resolve(&d, &o, &e);
    check(rc == HB_EUSAGE && strstr(e.msg, "/nonexistent/peaks.json"),
          "missing peaks file -> usage error", "rc %d: %s", rc, e.msg);
}

static void test_cpu_and_formulas(void)
{
    hb_err e;
    hb_device d;
    unsigned lanes, div;

    memset(&d, 0, sizeof d);
    snprintf(d.name, sizeof d.name, "cpu-x86-64-AMD EPYC");
    snprintf(d.vendor, sizeof d.vendor, "AuthenticAMD");
    d.kind = HB_KIND_CPU;
    snprintf(d.type, sizeof d.type, "CPU");
    d.compute_units = 4;
    d.n_cores = 2;
    d.max_clock_mhz = 2445;
    resolve(&d, &no_opts, &e);
    check(isnan(d.peaks.bw_gbs.value) && d.peaks.bw_gbs.src == HB_PEAK_UNKNOWN &&
          strstr(d.peaks.bw_gbs.detail, "HMAT"), "CPU bandwidth unknown", "%g %s",
          d.peaks.bw_gbs.value, d.peaks.bw_gbs.detail);
    check(d.peaks.fp32_gflops.src == HB_PEAK_DERIVED && d.peaks.fp32_gflops.value > 0 &&
          d.peaks.fp64_gflops.src == HB_PEAK_DERIVED &&
          fabs(d.peaks.fp64_gflops.value * 2 - d.peaks.fp32_gflops.value) < 1e-9 &&
          strstr(d.peaks.fp32_gflops.detail, "2 physical cores x 2445 MHz") &&
          strstr(d.peaks.fp32_gflops.detail, "FMA port count assumed 2"),
          "CPU flops derived", "%g [%s] %s", d.peaks.fp32_gflops.value,
          hb_peak_src_name(d.peaks.fp32_gflops.src), d.peaks.fp32_gflops.detail);
    printf("  cpu fp32: %g GFLOP/s: %s\n", d.peaks.fp32_gflops.value, d.peaks.fp32_gflops.detail);

    check(fabs(hb_nvml_bw_gbs(5120, 2619) - 3352.32) < 0.01 &&
          fabs(hb_nvml_fp32_gflops(16896, 1980) - 66908.16) < 0.01, "NVML formulas",
          "%g %g", hb_nvml_bw_gbs(5120, 2619), hb_nvml_fp32_gflops(16896, 1980));
    hb_nv_sm_rates(8, 0, &lanes, &div);
    check(lanes == 64 && div == 2, "sm_80 rates", "%u %u", lanes, div);
    hb_nv_sm_rates(8, 9, &lanes, &div);
    check(lanes == 128 && div == 64, "sm_89 rates", "%u %u", lanes, div);
    hb_nv_sm_rates(6, 1, &lanes, &div);
    check(lanes == 128 && div == 0, "sm_61 fp64 unknown", "%u %u", lanes, div);
    check(strcmp(hb_peak_src_name(HB_PEAK_FILE), "peaks-file") == 0 &&
          strcmp(hb_peak_src_name(HB_PEAK_UNKNOWN), "unknown") == 0 &&
          strcmp(hb_peak_src_name(HB_PEAK_VENDOR), "vendor") == 0, "source names", "%s",
          hb_peak_src_name(HB_PEAK_FILE));
}

int main(void)
{
    test_table();
    test_table_matching();
    test_sku_matching();
    test_user_and_file();
    test_cpu_and_formulas();
    for (int i = 0; i < n_temp && i < 8; i++)
        unlink(temp_paths[i]);
    printf("%s\n", failures ? "test_peak: FAILED" : "test_peak: all passed");
    return failures ? 1 : 0;
}
