/* SPDX-License-Identifier: Apache-2.0 */
/* dl_search: opening a vendor's runtime library that is installed with the
 * driver, not with hbmbench (libcuda.so.1, libnvidia-ml.so.1), by its
 * soname through the loader's path, then from the folders where container
 * images put the driver's libraries when the loader's path does not reach
 * them: /usr/local/nvidia/lib64 (the NVIDIA CUDA images set
 * LD_LIBRARY_PATH to it, and a shell that clears LD_LIBRARY_PATH loses it),
 * and the distribution's library folders into which the NVIDIA Container
 * Toolkit mounts the driver's libraries (/usr/lib/x86_64-linux-gnu on
 * Debian and Ubuntu, /usr/lib64 on RHEL-like images); docs/cuda.md. */
#ifndef HB_DL_SEARCH_H
#define HB_DL_SEARCH_H

#include <stddef.h>

/* The folders tried after the loader's path, in order, NULL-ended. */
extern const char *const hb_dl_vendor_dirs[];

/* Whether the library just opened from path is usable (its calls resolve,
 * it initialises). 0 refuses it with why; the search closes it and goes on. */
typedef int (*hb_dl_accept_fn)(void *lib, const char *path, void *arg, char *why, size_t why_len);

typedef struct hb_dl_search {
    const char *env;           /* an environment variable naming the file: when set, only that file */
    const char *soname;        /* "libcuda.so.1" */
    const char *const *dirs;   /* NULL-ended; NULL: hb_dl_vendor_dirs */
    hb_dl_accept_fn accept;    /* NULL: every library that opens is accepted */
    void *arg;                 /* for accept */
    int refused;               /* out: candidates that opened but that accept refused */
} hb_dl_search;

/* dlopen (RTLD_NOW | RTLD_LOCAL) of the first candidate that opens and that
 * accept takes: $env when set and not empty (alone: an explicit choice is
 * not second-guessed), else the soname through the loader's path, then
 * soname in each folder. Returns the handle with path = the file opened;
 * NULL with why listing every place tried and why each candidate found was
 * refused ("libcuda.so.1 not found in the loader path, /usr/local/nvidia/lib64,
 * ..."; "/x/libcuda.so.1: cuInit: CUDA_ERROR_STUB_LIBRARY ...; not found in
 * ..."); s->refused counts the candidates found but refused. */
void *hb_dl_open_search(hb_dl_search *s, char *path, size_t path_len, char *why, size_t why_len);

/* The file the loader opened for lib (dlinfo's link map), fallback when it
 * does not say. */
void hb_dl_loaded_path(void *lib, const char *fallback, char *out, size_t len);

#endif
