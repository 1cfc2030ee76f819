/* SPDX-License-Identifier: Apache-2.0 */
/* embedded: lookup of the files embedded at build time, and loading them from a folder instead. */
#include "embedded.h"

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

static int read_file(const char *path, char **text, size_t *len, hb_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return hb_fail(err, HB_EUSAGE, "%s: %s", path, strerror(errno));
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n - 1, f);
        if (n < cap - 1)
            break;
        char *bigger = realloc(buf, cap * 2);
        if (!bigger) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    int failed = ferror(f);
    fclose(f);
    if (!buf)
        return hb_fail(err, HB_EFAIL, "%s: out of memory", path);
    if (failed) {
        free(buf);
        return hb_fail(err, HB_EUSAGE, "%s: read error", path);
    }
    buf[n] = '\0';
    *text = buf;
    if (len)
        *len = n;
    return HB_OK;
}

int hb_source_load(const char *dir, const char *name, char **text, size_t *len, hb_err *err)
{
    if (dir) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, name);
        return read_file(path, text, len, err);
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
