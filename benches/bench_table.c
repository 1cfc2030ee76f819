#include <string.h>

#include "bench.h"

extern const hb_bench hb_bench_copy, hb_bench_scale, hb_bench_add, hb_bench_triad, hb_bench_dot,
    hb_bench_read, hb_bench_write, hb_bench_gemm, hb_bench_roofline;
#ifdef HB_HAVE_CLBLAST
extern const hb_bench hb_bench_gemm_clblast;
#endif

/* The benches, in the order `hbmbench run` runs them. The stream family is
 * the default set; gemm and roofline run when asked for (--bench). A
 * library reference row follows ours under the same name. */
const hb_bench *const hb_benches[] = {
    &hb_bench_copy, &hb_bench_scale, &hb_bench_add, &hb_bench_triad,
    &hb_bench_dot, &hb_bench_read, &hb_bench_write, &hb_bench_gemm,
#ifdef HB_HAVE_CLBLAST
    &hb_bench_gemm_clblast,
#endif
    &hb_bench_roofline, NULL,
};

const hb_bench *hb_bench_find(const char *name)
{
    for (const hb_bench *const *b = hb_benches; *b; b++)
        if (strcmp((*b)->name, name) == 0)
            return *b;
    return NULL;
}

const char *hb_bench_impl(const hb_bench *b)
{
    return b->implementation ? b->implementation : "hbmbench";
}
