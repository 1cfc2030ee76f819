/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_memfile: fuzz input as a file, for readers that take a path (the
 * peaks file, result files): an anonymous memory file (memfd_create(2))
 * named by /proc/self/fd/N, so each run reads through exactly the code a
 * user's file goes through, without touching the disk. */
#ifndef HB_FUZZ_MEMFILE_H
#define HB_FUZZ_MEMFILE_H

#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"

/* Writes data to a new memory file, its path into path; returns its fd. */
static inline int hb_fuzz_memfile(const uint8_t *data, size_t size, char *path, size_t cap)
{
    int fd = memfd_create("hb_fuzz", MFD_CLOEXEC);
    if (fd < 0)
        abort();
    for (size_t done = 0; done < size;) {
        ssize_t w = write(fd, data + done, size - done);
        if (w <= 0)
            abort();
        done += (size_t)w;
    }
    snprintf(path, cap, "/proc/self/fd/%d", fd);
    return fd;
}

#endif
