/* SPDX-License-Identifier: Apache-2.0 */
/* The latency bench's data without a device (benches/latency_data.c): the
 * cycle Sattolo's algorithm makes is one cycle through every index for
 * every n from 2 to 5000 and a few large ones, its order is the walk along
 * next[], the same seed gives the same cycle; and the end index the bench
 * expects after k launches is where walking next[] k x loads steps from 0
 * ends, each launch starting where the one before ended. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "latency.h"

#define SEED 0x1234abcdull

/* Whether next[] is one cycle through all n indices, order[] the walk along
 * it from 0, and the returned length n; why says what is wrong. */
static int one_cycle(uint64_t n, uint64_t len, const uint32_t *next, const uint32_t *order, unsigned char *seen,
                     char *why, size_t why_len)
{
    uint64_t k = 0;
    uint32_t at = 0;
    memset(seen, 0, n);
    for (; len == n && k < n && at < n && !seen[at] && order[k] == at; k++) {
        seen[at] = 1;
        at = next[at];
    }
    if (len == n && k == n && at == 0)
        return 1;
    snprintf(why, why_len, "n %llu: length %llu, stopped at step %llu on index %u", (unsigned long long)n,
             (unsigned long long)len, (unsigned long long)k, (unsigned)at);
    return 0;
}

static void cycles(void)
{
    static const uint64_t large[] = {65536, (1u << 20) + 7, 1u << 22};
    enum { SMALL = 5000 };
    uint64_t top = large[2];
    uint32_t *next = malloc(top * 4), *order = malloc(top * 4), *again = malloc(top * 4);
    unsigned char *seen = malloc(top);
    if (!next || !order || !again || !seen) {
        CHECK(0, "out of memory");
        return;
    }
    char why[128] = "";
    int ok = 1, same = 1, differ = 1;
    for (uint64_t n = 2; n <= SMALL && ok; n++) {
        ok = one_cycle(n, hb_latency_cycle(n, SEED, next, order), next, order, seen, why, sizeof why);
        hb_latency_cycle(n, SEED, again, NULL);
        same = same && !memcmp(next, again, n * 4);
        /* another seed, another cycle: of the (n - 1)! cycles, two seeds
         * meet on one with odds below 1e-12 from n = 16 */
        hb_latency_cycle(n, SEED + 1, again, NULL);
        differ = differ && (n < 16 || memcmp(next, again, n * 4));
    }
    CHECK(ok, "n = 2..%d: next[] is one cycle through every index, order[] its walk from 0%s%s", SMALL,
          ok ? "" : ": ", why);
    CHECK(same, "n = 2..%d: the same seed gives the same cycle", SMALL);
    CHECK(differ, "n = 16..%d: another seed gives another cycle", SMALL);
    for (int i = 0; i < 3; i++) {
        uint64_t n = large[i];
        ok = one_cycle(n, hb_latency_cycle(n, SEED ^ n, next, order), next, order, seen, why, sizeof why);
        /* a random cycle rarely steps to the next index (1/n a step); a sequential walk would be prefetched */
        uint64_t adjacent = 0;
        for (uint64_t k = 0; k < n; k++)
            adjacent += next[k] == k + 1;
        CHECK(ok && adjacent < 16, "n = %llu: one cycle, %llu steps to the adjacent index%s%s",
              (unsigned long long)n, (unsigned long long)adjacent, ok ? "" : ": ", why);
    }
    free(next), free(order), free(again), free(seen);
}

/* k launches of `loads` each: every start where the walk stands, and the
 * expected end where k x loads steps from 0 end. */
static void expected(uint64_t n, uint64_t loads, int launches)
{
    uint32_t *next = malloc(n * 4), *order = malloc(n * 4);
    if (!next || !order) {
        CHECK(0, "out of memory");
        free(next), free(order);
        return;
    }
    hb_latency_cycle(n, SEED, next, order);
    hb_latency_data d = {.n = n, .loads = loads, .order = order};
    hb_bench_ctx ctx = {.data = &d};
    uint32_t at = 0;
    int ok = 1, k;
    for (k = 1; k <= launches && ok; k++) {
        ok = hb_latency_next_start(&ctx) == at;
        for (uint64_t s = 0; s < loads; s++)
            at = next[at];
        ok = ok && hb_latency_expected(&d) == at && d.launches == (uint64_t)k;
    }
    CHECK(ok, "n %llu, %llu loads: after each of %d launches the expected end is %llu x loads steps along next[]",
          (unsigned long long)n, (unsigned long long)loads, launches, (unsigned long long)(k - 1));
    free(next), free(order);
}

int main(void)
{
    cycles();
    expected(2, 1, 5);
    expected(2, 3, 5);
    expected(1000, 1, 20);
    expected(1000, 7, 20);
    expected(1000, 1000, 5);      /* a whole cycle: back at 0 */
    expected(1000, 2500, 7);      /* more loads than indices */
    expected(4096, 4096 * 3 + 1, 4);
    expected(1536, HB_LATENCY_LOADS, 9);
    return hb_check_failures() != 0;
}
