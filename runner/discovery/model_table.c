/* SPDX-License-Identifier: Apache-2.0 */
/* model_table: the models built into this binary. */
#include "model_table.h"

extern const hb_model hb_model_opencl, hb_model_cuda, hb_model_host;

const hb_model *const hb_models[] = {&hb_model_opencl, &hb_model_cuda, &hb_model_host, NULL};

/* A device's bindings and the list's statuses hold HB_MAX_MODELS models
 * (device.h): a fifth model would never be discovered, so it must not
 * build until HB_MAX_MODELS grows. */
_Static_assert(sizeof hb_models / sizeof *hb_models - 1 <= HB_MAX_MODELS,
               "more models than HB_MAX_MODELS (runner/core/device.h)");

int hb_model_names(const char **out, int max)
{
    int n = 0;
    for (const hb_model *const *m = hb_models; *m && n < max - 1; m++)
        out[n++] = (*m)->name;
    out[n] = NULL;
    return n;
}
