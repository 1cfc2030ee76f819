/* SPDX-License-Identifier: Apache-2.0 */
/* cuda_nvrtc: CUDA C++ source to a loadable image with NVRTC (no GPU
 * needed, so the tests compile every kernel variant wherever NVRTC is).
 *
 * The image is a CUBIN for the device's own architecture (-arch=sm_XY)
 * when this NVRTC can make one, which the driver loads as it is; else PTX
 * for the newest virtual architecture at or below the device's
 * (-arch=compute_XY), which the driver compiles when loading it (NVRTC
 * User Guide, "Supported Compile Options" -arch; CUDA C++ Programming
 * Guide, "Just-in-Time Compilation"). A CUBIN avoids the driver's JIT and
 * works with a driver older than NVRTC (CUDA Compatibility guide, minor
 * version compatibility), where PTX of a newer ISA would be refused. */
#ifndef HB_CUDA_NVRTC_H
#define HB_CUDA_NVRTC_H

#include <stddef.h>

#include "cuda_api.h"

typedef struct hb_nvrtc_image {
    char *data;                /* owned; NUL-terminated for PTX */
    size_t size;
    int cubin;                 /* 1: CUBIN, 0: PTX */
    char arch[24];             /* "sm_90", "compute_90" */
} hb_nvrtc_image;

/* The architecture to compile for, as 10 x major + minor: cc itself when it
 * is among archs (exact = 1), else the largest below it (exact = 0); -1
 * when every entry of archs is above cc. n = 0 (NVRTC older than 11.2
 * cannot list them): cc, exact. */
int hb_nvrtc_pick_arch(const int *archs, int n, int cc, int *exact);

/* Compiles src (named `name` in messages) with the space-separated
 * `defines` for compute capability cc_major.cc_minor; want_cubin = 0 asks
 * for PTX even where a CUBIN could be made. On a compile error err holds
 * the call, NVRTC's error name, the options and the compiler's log. */
int hb_nvrtc_compile(const hb_nvrtc_api *api, const char *src, const char *name, const char *defines, int cc_major,
                     int cc_minor, int want_cubin, hb_nvrtc_image *out, hb_err *err);
void hb_nvrtc_image_free(hb_nvrtc_image *img);

#endif
