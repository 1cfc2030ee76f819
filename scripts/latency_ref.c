/* SPDX-License-Identifier: Apache-2.0 */
/* latency_ref: a pointer chase written apart from hbmbench, to hold its
 * latency family against (scripts/bench_latency.sh). It includes no
 * hbmbench header and shares no code with it; build it alone:
 *
 *     gcc -O2 -o latency_ref scripts/latency_ref.c
 *
 * Method: lmbench's lat_mem_rd (McVoy & Staelin, "lmbench: Portable tools
 * for performance analysis", USENIX 1996; lmbench3 src/lat_mem_rd.c) and
 * tinymembench's random read latency test (github.com/ssvb/tinymembench):
 * a chain of loads in which each load's address is the value the load
 * before returned, so the loads cannot overlap, timed over many loads and
 * divided by their number.
 *
 * The chain is built differently from hbmbench's (Sattolo's algorithm on
 * next[] directly): here a Fisher-Yates shuffle of all n indices with a
 * xorshift64* generator (Vigna, "An experimental exploration of
 * Marsaglia's xorshift generators, scrambled", ACM TOMS 42(4), 2016) gives
 * a random order, and consecutive entries of it are linked into one ring,
 * next[order[k]] = order[k + 1], the last back to the first.
 *
 * Indices are 4 bytes, not padded to 64-byte lines: a working set of W
 * bytes holds W / 4 indices, 16 to a line, as hbmbench's does, so both
 * touch the same lines and pages at the same W and their ns per load
 * compare point by point. (Padding each index to its own line, as some
 * chases do, makes every load a new line but counts the working set in
 * lines; at the same W it would hit caches differently.)
 *
 * Timing: clock_gettime(CLOCK_MONOTONIC) around each repetition of L
 * dependent loads; one untimed repetition first; each repetition goes on
 * where the one before stopped, so they walk the whole ring rather than
 * its first L indices again; the figure is the fastest repetition's time /
 * L. Memory is allocated as hbmbench's host model allocates it: whole 2
 * MiB units of an mmap, aligned to 2 MiB, with MADV_HUGEPAGE, so where
 * transparent huge pages are on even a 4 KiB working set lies in one
 * physically contiguous huge page (one TLB entry, no cache set conflicts
 * between pages); -P: the exact length in base pages, no advice, which
 * shows what pages cost. It is written before timing, so no page fault is
 * timed.
 *
 * Output: one line per working set, "bytes ns_per_load", for 4 KiB, 6 KiB,
 * 8 KiB, ... (2^k and 1.5 x 2^k, hbmbench's grid) up to -m, and -m itself
 * when off that grid. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

typedef struct opts {
    uint64_t max_bytes, loads, seed;
    int reps, cpu, huge;
} opts;

/* xorshift64* (Vigna 2016): a 64-bit state that never is 0. */
static uint64_t xorshift64s(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545f4914f6cdd1dull;
}

/* next[] = one ring through all n indices in a shuffled order. */
static void make_ring(uint32_t *next, uint64_t n, uint64_t seed)
{
    uint32_t *order = malloc(n * sizeof *order);
    if (!order) {
        fprintf(stderr, "latency_ref: out of memory\n");
        exit(1);
    }
    for (uint64_t i = 0; i < n; i++)
        order[i] = (uint32_t)i;
    uint64_t s = seed ? seed : 1;
    for (uint64_t i = n - 1; i > 0; i--) { /* Fisher-Yates: j from 0 to i */
        uint64_t j = xorshift64s(&s) % (i + 1);
        uint32_t t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (uint64_t k = 0; k < n; k++)
        next[order[k]] = order[(k + 1) % n];
    free(order);
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* The chase itself, out of line so the loop is the whole measurement; the
 * index it returns is used, so the compiler keeps every load. */
__attribute__((noinline)) static uint32_t walk(const uint32_t *next, uint32_t i, uint64_t loads)
{
    while (loads--)
        i = next[i];
    return i;
}

#define HUGE ((size_t)2 << 20)

/* Best ns per load over o->reps repetitions on a ring of bytes / 4 indices. */
static double measure(const opts *o, uint64_t bytes, uint32_t *sink)
{
    uint64_t n = bytes / 4;
    size_t use = o->huge ? ((size_t)bytes + HUGE - 1) & ~(HUGE - 1) : (size_t)bytes;
    size_t len = o->huge ? use + HUGE : use; /* room to align up */
    unsigned char *raw = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) {
        fprintf(stderr, "latency_ref: mmap of %zu bytes: %s\n", len, strerror(errno));
        exit(1);
    }
    uint32_t *next = (uint32_t *)raw;
    if (o->huge) {
        next = (uint32_t *)(((uintptr_t)raw + HUGE - 1) & ~(uintptr_t)(HUGE - 1));
        (void)madvise(next, use, MADV_HUGEPAGE); /* a hint: where THP is off, base pages */
    }
    make_ring(next, n, o->seed ^ bytes);
    uint32_t at = walk(next, 0, o->loads); /* untimed: caches and TLB warm */
    double best = 0;
    for (int r = 0; r < o->reps; r++) {
        double t0 = now_s();
        at = walk(next, at, o->loads);
        double t = now_s() - t0;
        if (r == 0 || t < best)
            best = t;
    }
    *sink ^= at;
    munmap(raw, len);
    return best / (double)o->loads * 1e9;
}

/* "256MiB", "64K", "4096": bytes (K, M, G are binary, as KiB, MiB, GiB). */
static int parse_bytes(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    int shift = 0;
    if (*end == 'K' || *end == 'k')
        shift = 10;
    else if (*end == 'M')
        shift = 20;
    else if (*end == 'G')
        shift = 30;
    if (shift)
        end += (end[1] == 'i' && end[2] == 'B') ? 3 : (end[1] == 'B' ? 2 : 1);
    if (errno || end == s || *end || v == 0 || v > (UINT64_MAX >> shift))
        return -1;
    *out = (uint64_t)v << shift;
    return 0;
}

static void usage(void)
{
    fprintf(stderr, "usage: latency_ref [-m MAX] [-l LOADS] [-r REPS] [-c CPU] [-s SEED] [-P]\n"
                    "  -m MAX    largest working set, bytes or with K/M/G(iB) (default 256MiB)\n"
                    "  -l LOADS  dependent loads per repetition (default 131072)\n"
                    "  -r REPS   timed repetitions, the fastest counts (default 20)\n"
                    "  -c CPU    pin to this CPU first (default: not pinned)\n"
                    "  -s SEED   seed of the shuffle (default 1)\n"
                    "  -P        base pages only (no MADV_HUGEPAGE)\n"
                    "prints one line per working set: bytes ns_per_load\n");
    exit(2);
}

static opts parse(int argc, char **argv)
{
    opts o = {.max_bytes = 256ull << 20, .loads = 131072, .seed = 1, .reps = 20, .cpu = -1, .huge = 1};
    int c;
    char *end;
    while ((c = getopt(argc, argv, "m:l:r:c:s:P")) != -1) {
        errno = 0;
        if (c == 'm' && parse_bytes(optarg, &o.max_bytes))
            usage();
        else if (c == 'l' && ((o.loads = strtoull(optarg, &end, 10)) == 0 || *end))
            usage();
        else if (c == 'r' && ((o.reps = atoi(optarg)) < 1))
            usage();
        else if (c == 'c' && ((o.cpu = atoi(optarg)) < 0))
            usage();
        else if (c == 's' && (o.seed = strtoull(optarg, &end, 0), *end))
            usage();
        else if (c == 'P')
            o.huge = 0;
        else if (c == '?')
            usage();
    }
    /* 4-byte indices below 2^32, whole indices, at least one 4 KiB page */
    if (optind != argc || o.max_bytes < 4096 || o.max_bytes % 4 || o.max_bytes / 4 > UINT32_MAX)
        usage();
    return o;
}

int main(int argc, char **argv)
{
    opts o = parse(argc, argv);
    if (o.cpu >= 0) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(o.cpu, &set);
        if (sched_setaffinity(0, sizeof set, &set)) {
            fprintf(stderr, "latency_ref: cannot pin to CPU %d: %s\n", o.cpu, strerror(errno));
            return 1;
        }
    }
    uint32_t sink = 0;
    uint64_t last = 0;
    for (uint64_t s = 4096; s <= o.max_bytes; s *= 2) {
        uint64_t half = s + s / 2;
        printf("%llu %.4f\n", (unsigned long long)s, measure(&o, s, &sink));
        last = s;
        if (half <= o.max_bytes) {
            printf("%llu %.4f\n", (unsigned long long)half, measure(&o, half, &sink));
            last = half;
        }
        fflush(stdout);
    }
    if (last != o.max_bytes)
        printf("%llu %.4f\n", (unsigned long long)o.max_bytes, measure(&o, o.max_bytes, &sink));
    fprintf(stderr, "latency_ref: %llu loads x %d repetitions, end index checksum %u\n",
            (unsigned long long)o.loads, o.reps, (unsigned)sink);
    return 0;
}
