/* SPDX-License-Identifier: Apache-2.0 */
/* peak: resolve each theoretical ceiling on its own, first source that answers
 * wins (order in peak.h, design in docs/peaks.md#resolution-order):
 * user -> peaks file -> NVML -> datasheet table -> derived -> unknown.
 *
 * Conventions stated here because they shape every percentage we print:
 * - A datasheet or NVML figure is for the whole part. A device showing fewer
 *   compute units than its table row (MIG slice, MI300X CPX, an MI250 GCD
 *   under the MI250X id), or a GPU NVML says is in MIG mode, gets neither:
 *   scaling by units would invent a number the vendor never published
 *   (docs/peaks.md#partitions). Derived FLOP/s, computed from the device's
 *   own units and clock, may still answer. Parts whose partitions have
 *   published figures (MI250X GCD, Max 1550 stack) have rows of their own.
 * - Bandwidth is never derived (no OpenCL query gives a memory clock); FLOP/s
 *   may be, and says so.
 * - NVML is cross-checked against the table; a > 10% gap is shown, since
 *   drivers have reported widths that disagree with datasheets (B200 8192 vs
 *   7680 bits, docs/peaks.md#cross-checking-vendor-figures). */
#include "peak.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "device.h"
#include "peak_derived.h"
#include "peak_nvml.h"
#include "peak_table.h"
#include "peaks_file.h"

enum { P_BW, P_FP32, P_FP64, P_N };

static const char *const opt_names[P_N] = {"--peak-bw", "--peak-fp32", "--peak-fp64"};
static const char *const opt_units[P_N] = {"GB/s", "GFLOP/s", "GFLOP/s"};

typedef struct resolve_ctx {
    hb_device *dev;
    hb_peak_value *v[P_N];
    char why[P_N][200];       /* why a source could not answer, for the unknown detail */
    hb_peak_table table;
    const hb_peak_row *row;   /* NULL when the table has no row for dev */
    char how[64];             /* how the row matched */
    int partition;            /* fewer compute units than row, or NVML MIG mode */
    char partition_why[200];  /* said first in every unknown detail */
} resolve_ctx;

/* Appends to a fixed buffer; a detail that does not fit is cut, never overrun. */
static void appendf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void appendf(char *buf, size_t size, const char *fmt, ...)
{
    size_t used = strlen(buf);
    va_list ap;
    if (used + 1 >= size)
        return;
    va_start(ap, fmt);
    vsnprintf(buf + used, size - used, fmt, ap);
    va_end(ap);
}

static void note_why(resolve_ctx *c, int f, const char *why)
{
    if (why && why[0])
        appendf(c->why[f], sizeof c->why[f], "%s%s", c->why[f][0] ? "; " : "", why);
}

static double row_value(const hb_peak_row *r, int f)
{
    return f == P_BW ? r->bw_gbs : f == P_FP32 ? r->fp32_gflops : r->fp64_gflops;
}

static const char *row_source(const hb_peak_row *r, int f)
{
    return f == P_BW ? r->src_bw : f == P_FP32 ? r->src_fp32 : r->src_fp64;
}

static void from_user(resolve_ctx *c, const hb_peak_opts *opts)
{
    double u[P_N] = {opts->bw_gbs, opts->fp32_gflops, opts->fp64_gflops};
    for (int f = 0; f < P_N; f++) {
        if (isnan(u[f]))
            continue;
        c->v[f]->value = u[f];
        c->v[f]->src = HB_PEAK_USER;
        snprintf(c->v[f]->detail, sizeof c->v[f]->detail, "%s %.10g", opt_names[f], u[f]);
    }
}

static void find_row(resolve_ctx *c)
{
    hb_err terr = {0};
    if (hb_peak_table_load_embedded(&c->table, &terr) != HB_OK) {
        for (int f = 0; f < P_N; f++)
            note_why(c, f, terr.msg);
        return;
    }
    c->row = hb_peak_table_lookup(&c->table, c->dev, c->how, sizeof c->how);
    c->partition = c->row && c->dev->compute_units &&
                   c->dev->compute_units < c->row->compute_units;
    if (c->partition)
        snprintf(c->partition_why, sizeof c->partition_why, "device shows %u of %u compute "
                 "units; the datasheet figure (%s) is for the whole part and is not scaled",
                 c->dev->compute_units, c->row->compute_units, c->row->name);
}

/* " (table says X)" when the datasheet disagrees with the vendor by > 10%. */
static void cross_check(resolve_ctx *c, int f)
{
    double t = c->row && !c->partition ? row_value(c->row, f) : NAN;
    hb_peak_value *v = c->v[f];
    if (!isnan(t) && fabs(v->value - t) > 0.10 * t)
        appendf(v->detail, sizeof v->detail, " (table says %.10g)", t);
}

static void from_nvml(resolve_ctx *c)
{
    hb_nvml_peaks n;
    char why[160] = "";
    hb_peak_value *bw = c->v[P_BW], *fp32 = c->v[P_FP32];

    /* NVML answers for the whole GPU at that bus id, so it is no ceiling for a
     * device that shows fewer SMs than the whole part. */
    if (!strcasestr(c->dev->vendor, "NVIDIA") || !c->dev->has_pci || c->partition ||
        (bw->src != HB_PEAK_UNKNOWN && fp32->src != HB_PEAK_UNKNOWN))
        return;
    hb_peak_nvml_query(c->dev, &n, why, sizeof why);
    if (n.mig) {
        /* A GPU in MIG mode is a partition even if OpenCL shows every SM:
         * the table's whole-GPU figure must not answer either. */
        c->partition = 1;
        snprintf(c->partition_why, sizeof c->partition_why, "NVML reports MIG mode on; "
                 "whole-GPU figures (NVML, datasheet) do not apply to a slice");
        return;
    }
    if (bw->src == HB_PEAK_UNKNOWN && n.have_bw) {
        bw->value = n.bw_gbs;
        bw->src = HB_PEAK_VENDOR;
        snprintf(bw->detail, sizeof bw->detail,
                 "NVML: %u-bit bus x %u MHz max memory clock x 2", n.bus_bits, n.mem_mhz);
        cross_check(c, P_BW);
    } else if (bw->src == HB_PEAK_UNKNOWN) {
        note_why(c, P_BW, why[0] ? why : "NVML: no memory bus width or clock");
    }
    if (fp32->src == HB_PEAK_UNKNOWN && n.have_fp32) {
        fp32->value = n.fp32_gflops;
        fp32->src = HB_PEAK_VENDOR;
        snprintf(fp32->detail, sizeof fp32->detail,
                 "NVML: %u CUDA cores x %u MHz max SM clock x 2 FLOP/FMA", n.cores, n.sm_mhz);
        cross_check(c, P_FP32);
    } else if (fp32->src == HB_PEAK_UNKNOWN) {
        note_why(c, P_FP32, why[0] ? why : "NVML: no core count or SM clock");
    }
}

static void from_table(resolve_ctx *c)
{
    if (!c->row || c->partition)
        return;
    for (int f = 0; f < P_N; f++) {
        hb_peak_value *v = c->v[f];
        if (v->src != HB_PEAK_UNKNOWN || isnan(row_value(c->row, f)))
            continue;
        v->value = row_value(c->row, f);
        v->src = HB_PEAK_TABLE;
        snprintf(v->detail, sizeof v->detail, "datasheet table: %s (%s); matched by %s",
                 c->row->name, row_source(c->row, f), c->how);
    }
}

static void from_derived(resolve_ctx *c)
{
    hb_peak_value d[2];
    char why[200] = "";
    if (c->v[P_FP32]->src != HB_PEAK_UNKNOWN && c->v[P_FP64]->src != HB_PEAK_UNKNOWN)
        return;
    hb_peak_derive(c->dev, &d[0], &d[1], why, sizeof why);
    for (int f = P_FP32; f <= P_FP64; f++) {
        if (c->v[f]->src != HB_PEAK_UNKNOWN)
            continue;
        if (d[f - P_FP32].src == HB_PEAK_DERIVED)
            *c->v[f] = d[f - P_FP32];
        else
            note_why(c, f, why);
    }
}

static void finish_unknown(resolve_ctx *c)
{
    int cpu = hb_device_on_host_memory(c->dev);
    for (int f = 0; f < P_N; f++) {
        hb_peak_value *v = c->v[f];
        const char *why = c->why[f];
        if (v->src != HB_PEAK_UNKNOWN)
            continue;
        v->value = NAN;
        v->detail[0] = '\0';
        if (c->partition)   /* the partition is the news: say it first */
            appendf(v->detail, sizeof v->detail, "unknown: %s; ", c->partition_why);
        else if (f == P_BW && cpu)
            appendf(v->detail, sizeof v->detail, "no source: CPU memory bandwidth needs firmware "
                    "HMAT or DMI data, which is not read here, so unknown; ");
        else
            appendf(v->detail, sizeof v->detail, "no source: ");
        appendf(v->detail, sizeof v->detail, "pass %s %s or --peaks FILE", opt_names[f],
                opt_units[f]);
        if (why[0])
            appendf(v->detail, sizeof v->detail, " (%s)", why);
    }
}

/* The host <-> device link: the PCIe link hwloc found (topology.c), per
 * direction. Not the peak of a device whose memory is the host's: a copy
 * there crosses no link, and a link figure would invite reading a memcpy
 * as PCIe bandwidth (clpeak issue #38, docs/transfer.md#zero-copy). */
static void resolve_link(hb_device *dev)
{
    hb_peak_value *v = &dev->peaks.link_gbs;
    v->value = NAN;
    v->src = HB_PEAK_UNKNOWN;
    if (dev->unified_memory) {
        snprintf(v->detail, sizeof v->detail, "not applicable: device memory is host memory (zero-copy), "
                 "so a transfer crosses no link");
    } else if (dev->pcie_link_gbs > 0) {
        v->value = dev->pcie_link_gbs;
        v->src = HB_PEAK_DERIVED;
        snprintf(v->detail, sizeof v->detail, "%s", dev->pcie_link_detail);
    } else {
        snprintf(v->detail, sizeof v->detail, "no source: %s", dev->pcie_link_detail[0] ? dev->pcie_link_detail
                 : "no PCIe link known");
    }
}

int hb_peak_resolve(hb_device *dev, const hb_peak_opts *opts, hb_err *err)
{
    resolve_ctx c;
    int rc = HB_OK;

    memset(&c, 0, sizeof c);
    c.dev = dev;
    c.v[P_BW] = &dev->peaks.bw_gbs;
    c.v[P_FP32] = &dev->peaks.fp32_gflops;
    c.v[P_FP64] = &dev->peaks.fp64_gflops;
    for (int f = 0; f < P_N; f++) {
        c.v[f]->value = NAN;
        c.v[f]->src = HB_PEAK_UNKNOWN;
        c.v[f]->detail[0] = '\0';
    }
    if (opts) {
        from_user(&c, opts);
        if (opts->peaks_file && (rc = hb_peaks_file_apply(opts->peaks_file, dev, err)) != HB_OK)
            return rc;
    }
    find_row(&c);
    from_nvml(&c);
    from_table(&c);
    from_derived(&c);
    finish_unknown(&c);
    resolve_link(dev);
    hb_peak_table_free(&c.table);
    return HB_OK;
}
