/* SPDX-License-Identifier: Apache-2.0 */
/* dtype: the element types hbmbench measures, in one table: name, bytes
 * stored per element, and the device capability each needs. Code holds an
 * hb_dtype; the name is what result files and the command line use. */
#ifndef HB_DTYPE_H
#define HB_DTYPE_H

#include <stddef.h>

typedef enum hb_dtype { HB_F32, HB_F64, HB_F16, HB_NDTYPES } hb_dtype;

typedef struct hb_dtype_info {
    const char *name;       /* "f32" */
    size_t bytes;           /* bytes stored per element */
    const char *needs;      /* the OpenCL extension a device must report, NULL if core */
    double unit_roundoff;   /* u = 2^-p for p mantissa bits with the implicit one (IEEE 754-2019, 3.3) */
} hb_dtype_info;

const hb_dtype_info *hb_dtype_get(hb_dtype t);
const char *hb_dtype_name(hb_dtype t);
size_t hb_dtype_bytes(hb_dtype t);
/* 0 and *out set when name is a dtype; -1 otherwise. */
int hb_dtype_parse(const char *name, hb_dtype *out);
/* Bytes per element of a dtype named in a file: 4 when the name is unknown
 * (the f32 default of every bench). */
size_t hb_dtype_bytes_of(const char *name);
/* A set of dtypes as bits (1u << HB_F32 | ...). */
#define HB_DTYPE_BIT(t) (1u << (t))

#endif
