/* SPDX-License-Identifier: Apache-2.0 */
/* transfer: the transfer family's descriptors, options, conventions and
 * problems (transfer.h states what is measured; transfer_data.c holds the
 * data; each model's kernels do the copies). */
#include "transfer.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

#define MAX_SIZES 32
/* A device holds at most this share of its memory in transfer buffers; on a
 * device whose memory is the host's, the host side counts too. */
#define MEM_SHARE 0.5

static const hb_xfer_dir dir_h2d = HB_XFER_H2D, dir_d2h = HB_XFER_D2H, dir_bidir = HB_XFER_BIDIR;

hb_xfer_dir hb_transfer_dir(const hb_bench *b)
{
    return *(const hb_xfer_dir *)b->facts;
}

/* transfer.c: "4KiB,1MiB" into sizes in bytes (each a multiple of 8, at
 * least 8); HB_EUSAGE naming --transfer-sizes. */
static int hb_transfer_parse_sizes(const char *text, uint64_t *out, int max, int *n, hb_err *err)
{
    char buf[512];
    const char *items[MAX_SIZES];
    if (hb_parse_list("--transfer-sizes", text, NULL, buf, sizeof buf, items, max < MAX_SIZES ? max : MAX_SIZES, n,
                      err))
        return HB_EUSAGE;
    for (int i = 0; i < *n; i++) {
        hb_size sz;
        /* a plain number is bytes here (a transfer has no elements), and
         * there is no "auto": the default is a sweep */
        int digits = isdigit((unsigned char)items[i][0]);
        if (digits && hb_parse_size("--transfer-sizes", items[i], &sz, err))
            return HB_EUSAGE;
        if (!digits || sz.value < 8 || sz.value % 8)
            return hb_fail(err, HB_EUSAGE, "--transfer-sizes: '%s' is not a size of at least 8 bytes in whole 8-byte "
                           "words (e.g. 4KiB, 64MiB, 1GiB)", items[i]);
        out[i] = sz.value;
    }
    return HB_OK;
}

static int check_sizes(const char *value, hb_err *err)
{
    uint64_t sizes[MAX_SIZES];
    int n;
    return hb_transfer_parse_sizes(value, sizes, MAX_SIZES, &n, err);
}

static const char *const host_kinds[] = {"pageable", "pinned", NULL};
static const char *const apis[] = {"rw", "map", NULL};
static const char *const numa_modes[] = {"local", "remote", NULL};

/* Which of choices the list names: bit i for choices[i]. */
static int choose(const char *opt, const char *text, const char *const *choices, unsigned *mask, hb_err *err)
{
    char buf[64];
    const char *items[4];
    int n = 0;
    if (hb_parse_list(opt, text, choices, buf, sizeof buf, items, 4, &n, err))
        return HB_EUSAGE;
    *mask = 0;
    for (int i = 0; i < n; i++)
        for (int c = 0; choices[c]; c++)
            if (!strcmp(items[i], choices[c]))
                *mask |= 1u << c;
    return HB_OK;
}

static int check_host(const char *value, hb_err *err)
{
    unsigned m;
    return choose("--transfer-host", value, host_kinds, &m, err);
}

static int check_api(const char *value, hb_err *err)
{
    unsigned m;
    return choose("--transfer-api", value, apis, &m, err);
}

static int check_numa(const char *value, hb_err *err)
{
    for (int i = 0; numa_modes[i]; i++)
        if (!strcmp(value, numa_modes[i]))
            return HB_OK;
    return hb_fail(err, HB_EUSAGE, "--numa: unknown value '%s' (local or remote)", value);
}

static const hb_option transfer_options[] = {
    {"transfer-sizes", "LIST",
     "transfer sizes in bytes with a unit, e.g. 4KiB,1MiB,256MiB.\n"
     "Default: 4 KiB to 1 GiB in x4 steps, as far as the device holds", check_sizes},
    {"transfer-host", "LIST", "host memory of the transfers: pageable,pinned (default both)", check_host},
    {"transfer-api", "LIST",
     "how the transfers copy: rw (clEnqueueWrite/ReadBuffer),\n"
     "map (map, memcpy, unmap); default both", check_api},
    {"numa", "MODE",
     "local (default): bind the transfers' host memory and thread\n"
     "to the device's NUMA node; remote: to the nearest other node", check_numa},
    {NULL, NULL, NULL, NULL},
};

static void transfer_conventions(char *buf, size_t len)
{
    snprintf(buf, len, "h2d, d2h count the bytes copied, bidir both directions (2 x size); each iteration is one "
             "finished copy, timed by device events (rw: the command; map: map start to unmap end, the memcpy "
             "between included; bidir: first start to last end over two queues); percent_of_peak is of the host "
             "<-> device link per direction (bidir: x2), none where device memory is host memory (zero_copy); "
             "data verified exactly after the timed copies");
}

const hb_family hb_family_transfer = {
    .name = "transfer", .figure = &hb_figure_link, .options = transfer_options, .conventions_key = "transfer",
    .conventions = transfer_conventions,
};

/* Host and device memory of one problem, and whether the device holds it. */
static int fits(const hb_bench_ctx *ctx, uint64_t bytes, char *why, size_t len)
{
    const hb_device *dev = ctx->dev;
    int dirs = hb_transfer_dir(ctx->bench) == HB_XFER_BIDIR ? 2 : 1;
    double device = (double)bytes * dirs, host = dev->unified_memory ? device : 0;
    if (bytes > dev->max_alloc_bytes || device + host > MEM_SHARE * (double)dev->global_mem_bytes) {
        snprintf(why, len, "%.1f MB of buffers does not fit %.60s: largest allocation %.1f MB, %.0f%% of memory "
                 "%.1f MB", (device + host) / 1e6, dev->name, (double)dev->max_alloc_bytes / 1e6, 100 * MEM_SHARE,
                 MEM_SHARE * (double)dev->global_mem_bytes / 1e6);
        return 0;
    }
    return 1;
}

/* --numa remote fails here, before any buffer exists, where it cannot be
 * done: one NUMA node, or a device local to every node. */
static int check_remote(const hb_bench_ctx *ctx, hb_err *err)
{
    const char *numa = hb_bench_opt(ctx->opts, "numa");
    if (!numa || strcmp(numa, "remote"))
        return HB_OK;
    if (!ctx->place)
        return hb_fail(err, HB_EUSAGE, "--numa remote: no NUMA placement here (outside the driver)");
    hb_numa_binding b;
    int rc = ctx->place->bind(ctx->place, ctx->dev, 1, &b, err);
    ctx->place->unbind(ctx->place, &b);
    return rc;
}

static int transfer_problems(const hb_bench_ctx *ctx, hb_problem *out, int max, hb_err *err)
{
    uint64_t sizes[MAX_SIZES];
    int ns = 0;
    unsigned hosts = 3, ways = 3;
    const char *given = hb_bench_opt(ctx->opts, "transfer-sizes"), *h = hb_bench_opt(ctx->opts, "transfer-host"),
               *a = hb_bench_opt(ctx->opts, "transfer-api");
    if ((given && hb_transfer_parse_sizes(given, sizes, MAX_SIZES, &ns, err)) ||
        (h && choose("--transfer-host", h, host_kinds, &hosts, err)) ||
        (a && choose("--transfer-api", a, apis, &ways, err)) || check_remote(ctx, err))
        return -1;
    if (!given)
        for (uint64_t s = 4096; s <= (1ull << 30) && ns < MAX_SIZES; s *= 4)
            sizes[ns++] = s;
    if (!ctx->model->pinned_alloc) {
        if (h && (hosts & 2)) {
            hb_fail(err, HB_EUSAGE, "--transfer-host pinned: the %s model has no pinned memory", ctx->model->name);
            return -1;
        }
        hosts &= ~2u;
    }
    int n = 0;
    char why[300] = "no path selected", label[32];
    for (unsigned way = 0; way < 2; way++)
        for (unsigned host = 0; host < 2; host++)
            for (int i = 0; i < ns && (ways >> way & 1) && (hosts >> host & 1); i++) {
                hb_format_bytes(sizes[i], label, sizeof label);
                if (!fits(ctx, sizes[i], why, sizeof why)) {
                    if (!given)
                        continue; /* the default sweep stops where the device does */
                    hb_fail(err, HB_EUSAGE, "--transfer-sizes: %s: %s", label, why);
                    return -1;
                }
                if (n == max) {
                    hb_fail(err, HB_EUSAGE, "--transfer-sizes: more than %d transfer problems", max);
                    return -1;
                }
                hb_problem *p = &out[n++];
                memset(p, 0, sizeof *p);
                p->elements = sizes[i] / hb_dtype_bytes(HB_F32);
                p->variant = (host ? HB_XFER_PINNED : 0) | (way ? HB_XFER_MAP : 0);
                snprintf(p->label, sizeof p->label, "%s %s %s", label, host_kinds[host], apis[way]);
            }
    if (n == 0) {
        hb_fail(err, HB_EUSAGE, "%s: no transfer size fits (%s)", ctx->dev->name, why);
        return -1;
    }
    return n;
}

#define HB_TRANSFER_BENCH(nm, dir, formula_, dirs)                                                             \
    const hb_bench hb_bench_##nm = {                                                                         \
        .name = #nm, .family = &hb_family_transfer, .formula = formula_, .dtypes = HB_DTYPE_BIT(HB_F32),      \
        .directions = dirs, .facts = &dir, .problems = transfer_problems,             \
        .setup = hb_transfer_setup, .poison = hb_transfer_poison, .verify = hb_transfer_verify,               \
        .teardown = hb_transfer_teardown}
HB_TRANSFER_BENCH(h2d, dir_h2d, "device = host", 1);
HB_TRANSFER_BENCH(d2h, dir_d2h, "host = device", 1);
HB_TRANSFER_BENCH(bidir, dir_bidir, "device = host and host = device, at once", 2);
