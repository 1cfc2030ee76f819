/* SPDX-License-Identifier: Apache-2.0 */
/* read_file: a whole file into memory, the one reader of result, rules,
 * kernel and report files (json_read.c, embedded.c, compare_locate.c,
 * cluster_run.c). */
#ifndef HB_READ_FILE_H
#define HB_READ_FILE_H

#include <stddef.h>

#include "hb_error.h"

/* path's bytes into *text, NUL-terminated (the caller frees it), their
 * count into *len; an empty file is read as "". HB_EUSAGE "PATH: cannot
 * read: REASON" when it cannot be opened or read, HB_EFAIL when out of
 * memory. */
int hb_read_file(const char *path, char **text, size_t *len, hb_err *err);

#endif
