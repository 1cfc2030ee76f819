/* SPDX-License-Identifier: Apache-2.0 */
/* read_file: a whole file into memory (read_file.h). */
#include "read_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int hb_read_file(const char *path, char **text, size_t *len, hb_err *err)
{
    *text = NULL;
    *len = 0;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return hb_fail(err, HB_EUSAGE, "%s: cannot read: %s", path, strerror(errno));
    /* sized by fstat, grown if the file grows meanwhile (or fstat cannot say: a pipe) */
    struct stat st;
    size_t cap = fstat(fileno(fp), &st) == 0 && st.st_size > 0 ? (size_t)st.st_size + 1 : 65536, n = 0, got;
    char *buf = malloc(cap);
    while (buf && (got = fread(buf + n, 1, cap - n - 1, fp)) > 0) {
        n += got;
        if (n == cap - 1) {
            char *bigger = realloc(buf, cap *= 2);
            if (!bigger)
                free(buf);
            buf = bigger;
        }
    }
    int bad = ferror(fp), e = errno;
    fclose(fp);
    if (!buf)
        return hb_fail(err, HB_EFAIL, "%s: out of memory", path);
    if (bad) {
        free(buf);
        return hb_fail(err, HB_EUSAGE, "%s: cannot read: %s", path, strerror(e));
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return HB_OK;
}
