/* SPDX-License-Identifier: Apache-2.0 */
/* dtype: the one table of element types. */
#include "dtype.h"

#include <string.h>

static const hb_dtype_info table[HB_NDTYPES] = {
    [HB_F32] = {"f32", 4, NULL, 0x1p-24},
    [HB_F64] = {"f64", 8, "cl_khr_fp64", 0x1p-53},
    [HB_F16] = {"f16", 2, "cl_khr_fp16", 0x1p-11},
};

const hb_dtype_info *hb_dtype_get(hb_dtype t)
{
    return t < HB_NDTYPES ? &table[t] : &table[HB_F32];
}

const char *hb_dtype_name(hb_dtype t)
{
    return hb_dtype_get(t)->name;
}

size_t hb_dtype_bytes(hb_dtype t)
{
    return hb_dtype_get(t)->bytes;
}

int hb_dtype_parse(const char *name, hb_dtype *out)
{
    for (int t = 0; t < HB_NDTYPES; t++)
        if (!strcmp(table[t].name, name)) {
            *out = (hb_dtype)t;
            return 0;
        }
    return -1;
}

size_t hb_dtype_bytes_of(const char *name)
{
    hb_dtype t;
    return hb_dtype_parse(name, &t) ? 4 : table[t].bytes;
}
