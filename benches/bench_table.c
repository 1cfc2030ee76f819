#include <string.h>

#include "bench.h"

extern const hb_bench hb_bench_copy, hb_bench_scale, hb_bench_add, hb_bench_triad, hb_bench_dot,
    hb_bench_read, hb_bench_write;

/* The benches, in the order `hbmbench run` runs them by default. */
const hb_bench *const hb_benches[] = {
    &hb_bench_copy, &hb_bench_scale, &hb_bench_add, &hb_bench_triad,
    &hb_bench_dot, &hb_bench_read, &hb_bench_write, NULL,
};

const hb_bench *hb_bench_find(const char *name)
{
    for (const hb_bench *const *b = hb_benches; *b; b++)
        if (strcmp((*b)->name, name) == 0)
            return *b;
    return NULL;
}
