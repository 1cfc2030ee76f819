/* SPDX-License-Identifier: Apache-2.0 */
/* model_table: the models built into this binary. */
#include "model_table.h"

#include <string.h>

extern const hb_model hb_model_opencl, hb_model_cuda, hb_model_host;

const hb_model *const hb_models[] = {&hb_model_opencl, &hb_model_cuda, &hb_model_host, NULL};

const hb_model *hb_model_find(const char *name)
{
    for (const hb_model *const *m = hb_models; *m; m++)
        if (!strcmp((*m)->name, name))
            return *m;
    return NULL;
}

int hb_model_names(const char **out, int max)
{
    int n = 0;
    for (const hb_model *const *m = hb_models; *m && n < max - 1; m++)
        out[n++] = (*m)->name;
    out[n] = NULL;
    return n;
}
