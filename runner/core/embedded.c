/* SPDX-License-Identifier: Apache-2.0 */
/* embedded: lookup of the files embedded at build time, and loading them from a folder instead. */
#include "embedded.h"
#include "read_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *hb_embedded_find(const char *name, size_t *len)
{
    for (const hb_embedded_file *f = hb_embedded_files; f->name; f++)
        if (strcmp(f->name, name) == 0) {
            if (len)
                *len = f->len;
            return f->data;
        }
    return NULL;
}


int hb_source_load(const char *dir, const char *name, char **text, size_t *len, hb_err *err)
{
    if (dir) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, name);
        size_t n;
        int rc = hb_read_file(path, text, &n, err);
        if (!rc && len)
            *len = n;
        return rc;
    }
    size_t n;
    const char *data = hb_embedded_find(name, &n);
    if (!data)
        return hb_fail(err, HB_EFAIL, "%s: not embedded in this build", name);
    *text = malloc(n + 1);
    if (!*text)
        return hb_fail(err, HB_EFAIL, "%s: out of memory", name);
    memcpy(*text, data, n + 1);
    if (len)
        *len = n;
    return HB_OK;
}
