/* SPDX-License-Identifier: Apache-2.0 */
/* latency: the latency family's descriptor, options, conventions and its
 * sweep of working sets (latency.h states what is measured; latency_data.c
 * holds the data; latency_summary.c the plateaus; each model's kernels do
 * the chase). */
#include "latency.h"

#include <stdio.h>
#include <string.h>

#include "latency_summary.h"
#include "parse.h"

#define MIN_BYTES ((uint64_t)4 << 10)
/* 2^32 - 1 indices of 4 bytes: a uint32 index reaches every one, and
 * 0xffffffff stays free for the poison. */
#define MAX_BYTES ((uint64_t)HB_LATENCY_POISON * 4)
#define MIN_DEFAULT_MAX ((uint64_t)64 << 20)
#define MAX_LOADS 1000000000

/* --latency-max: bytes with a unit (a plain number is bytes: a working
 * set has no dtype), a multiple of 4 from 4 KiB to 16 GiB - 4 B (2^32 - 1
 * indices: exactly 16 GiB would need the poison's index). */
static int parse_max(const char *text, uint64_t *out, hb_err *err)
{
    hb_size sz;
    if (hb_parse_size("--latency-max", text, &sz, err))
        return HB_EUSAGE;
    if (sz.is_auto || sz.value < MIN_BYTES || sz.value > MAX_BYTES || sz.value % 4)
        return hb_fail(err, HB_EUSAGE, "--latency-max: '%s' is not a working set of whole 4-byte indices from "
                       "4 KiB to 16 GiB - 4 B (e.g. 256KiB, 64MiB, 1GiB)", text);
    *out = sz.value;
    return HB_OK;
}

static int check_max(const char *value, hb_err *err)
{
    uint64_t v;
    return parse_max(value, &v, err);
}

static int check_loads(const char *value, hb_err *err)
{
    int v;
    return hb_parse_int("--latency-loads", value, 1, MAX_LOADS, &v, err);
}

uint64_t hb_latency_loads(const hb_bench_opts *opts)
{
    const char *v = hb_bench_opt(opts, "latency-loads");
    int n;
    hb_err e;
    return v && !hb_parse_int("--latency-loads", v, 1, MAX_LOADS, &n, &e) ? (uint64_t)n : HB_LATENCY_LOADS;
}

static const hb_option latency_options[] = {
    {"latency-max", "SIZE",
     "largest working set of the latency chase, e.g. 256KiB, 1GiB.\n"
     "Default: 4x the largest cache the device reports, at least\n"
     "64 MiB, at most its largest allocation", check_max},
    {"latency-loads", "N", "dependent loads per latency iteration (default 131072)", check_loads},
    {NULL, NULL, NULL, NULL},
};

static void latency_conventions(char *buf, size_t len)
{
    snprintf(buf, len, "latency: one thread follows i = next[i] through a buffer of 32-bit indices holding one "
             "random cyclic permutation (Sattolo), so each load's address is the load before's value and no "
             "prefetcher helps; a load is one such dependent 4-byte read; the figure is an iteration's time / its "
             "loads in ns per load (lower is better; best from the fastest iteration), %u loads per iteration by "
             "default (~13 ms at 100 ns/load, a CPU's memory; ~40-80 ms at a GPU's 300-600 ns), each continuing "
             "where the last ended; working sets 4 KiB up, two per octave; bytes_per_iter counts 4 bytes per "
             "load; the end index verified exactly", HB_LATENCY_LOADS);
}

const hb_family hb_family_latency = {
    .name = "latency", .figure = &hb_figure_latency, .options = latency_options, .conventions_key = "latency",
    .conventions = latency_conventions, .summary_key = "latency_plateaus", .summarize = hb_latency_summarize,
    .print_summary = hb_latency_print,
};

static uint64_t largest_cache(const hb_device *dev)
{
    uint64_t c = dev->global_cache_bytes;
    c = dev->core_l2_bytes > c ? dev->core_l2_bytes : c;
    return dev->core_l1d_bytes > c ? dev->core_l1d_bytes : c;
}

/* The largest working set: --latency-max, or 4x the largest cache (as
 * STREAM sizes its arrays, so the last points are well out of every
 * cache), at least 64 MiB, at most the device's largest allocation. */
static int upper(const hb_bench_ctx *ctx, uint64_t *out, int *given, hb_err *err)
{
    const char *v = hb_bench_opt(ctx->opts, "latency-max");
    uint64_t lim = ctx->dev->max_alloc_bytes ? ctx->dev->max_alloc_bytes : MAX_BYTES;
    lim = lim < MAX_BYTES ? lim : MAX_BYTES;
    *given = v != NULL;
    if (v) {
        if (parse_max(v, out, err))
            return HB_EUSAGE;
        char a[32], b[32];
        hb_format_bytes(*out, a, sizeof a);
        hb_format_bytes(lim, b, sizeof b);
        if (*out > lim)
            return hb_fail(err, HB_EUSAGE, "--latency-max: %s is more than %s can allocate at once (%s)", a,
                           ctx->dev->name, b);
        return HB_OK;
    }
    uint64_t want = 4 * largest_cache(ctx->dev);
    want = want > MIN_DEFAULT_MAX ? want : MIN_DEFAULT_MAX;
    *out = want < lim ? want : lim;
    return HB_OK;
}

static int add(hb_problem *out, int *n, int max, uint64_t bytes, hb_err *err)
{
    if (*n == max)
        return hb_fail(err, HB_EUSAGE, "--latency-max: more than %d working sets", max);
    hb_problem *p = &out[(*n)++];
    memset(p, 0, sizeof *p);
    p->elements = bytes / 4;
    hb_format_bytes(bytes, p->label, sizeof p->label);
    return HB_OK;
}

/* Two points per octave, 2^k and 1.5 x 2^k bytes (lmbench's lat_mem_rd
 * steps finer; two are enough to see each plateau and its edges), from
 * 4 KiB to the largest; a largest off that grid is measured too. */
static int latency_problems(const hb_bench_ctx *ctx, hb_problem *out, int max, hb_err *err)
{
    uint64_t top = 0;
    int given = 0, n = 0;
    if (upper(ctx, &top, &given, err))
        return -1;
    if (top < MIN_BYTES) {
        hb_fail(err, HB_EUSAGE, "%s: its largest allocation is below the smallest working set (4 KiB)",
                ctx->dev->name);
        return -1;
    }
    uint64_t last = 0;
    for (uint64_t s = MIN_BYTES; s <= top; s *= 2) {
        if (add(out, &n, max, s, err))
            return -1;
        last = s;
        if (s + s / 2 <= top) {
            if (add(out, &n, max, s + s / 2, err))
                return -1;
            last = s + s / 2;
        }
    }
    if (last != top && given && add(out, &n, max, top, err))
        return -1;
    return n;
}

/* Untyped (.dtypes = 0): the indices are no data type of the run's
 * --dtype; the driver runs it once per device and model. */
const hb_bench hb_bench_latency = {
    .name = "latency", .family = &hb_family_latency, .formula = "i = next[i], a random cyclic permutation",
    .dtypes = 0,
    .problems = latency_problems, .setup = hb_latency_setup, .poison = hb_latency_poison,
    .verify = hb_latency_verify, .teardown = hb_latency_teardown,
};
