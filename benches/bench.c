/* SPDX-License-Identifier: Apache-2.0 */
/* bench: lookups over the bench table, the options given to families and
 * kernels. */
#include "bench.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const hb_bench *hb_bench_find(const char *name)
{
    for (const hb_bench *const *b = hb_benches; *b; b++)
        if (strcmp((*b)->name, name) == 0)
            return *b;
    return NULL;
}

int hb_bench_has_dtype(const hb_bench *b, hb_dtype t)
{
    return (b->dtypes & HB_DTYPE_BIT(t)) != 0;
}

const hb_figure *hb_bench_figure(const hb_bench *b)
{
    return b->figure ? b->figure : b->family->figure;
}

const char *hb_bench_opt(const hb_bench_opts *o, const char *name)
{
    for (int i = 0; o && i < o->n; i++)
        if (!strcmp(o->name[i], name))
            return o->value[i];
    return NULL;
}
