/* SPDX-License-Identifier: Apache-2.0 */
/* embedded: the kernels (kernels/opencl/NAME.cl) and data tables (runner/peaks/NAME.json,
 * runner/check/default_rules.json)
 * (runner/core/embed_files.cmake), so hbmbench runs from any directory. */
#ifndef HB_EMBEDDED_H
#define HB_EMBEDDED_H

#include <stddef.h>

#include "hb_error.h"

typedef struct hb_embedded_file {
    const char *name;   /* file name without directory, NULL ends the table */
    const char *data;   /* NUL-terminated */
    size_t len;
} hb_embedded_file;

extern const hb_embedded_file hb_embedded_files[];

/* Returns the embedded file's text, or NULL. */
const char *hb_embedded_find(const char *name, size_t *len);

/* Reads <dir>/<name> when dir is set, else the embedded copy. The caller
 * frees *text. Fails with HB_EUSAGE if the file cannot be read. */
int hb_source_load(const char *dir, const char *name, char **text, size_t *len, hb_err *err);

#endif
