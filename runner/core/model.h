/* SPDX-License-Identifier: Apache-2.0 */
/* model: what differs between ways of running a kernel on a device
 * (BabelStream's word: its OpenCL, CUDA, OpenMP... "models" run the same
 * benchmark through different programming models; src/Stream.h there).
 *
 * A model discovers its devices, opens one (context, queue, threads),
 * allocates and initialises buffers, moves data for verification, and times
 * iterations with its own clock (device events, or the host clock). How it
 * runs each bench family's kernels is in its hb_kernels entries
 * (benches/bench.h). The driver (runner/driver/measure.c) sizes, tunes,
 * times, verifies and computes statistics the same way for every model.
 *
 * Adding a model: a folder runner/models/NAME with one hb_model and its
 * hb_kernels, and one line in runner/discovery/model_table.c
 * (docs/ARCHITECTURE.md walks through it). */
#ifndef HB_MODEL_H
#define HB_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "device.h"
#include "dtype.h"
#include "hb_error.h"
#include "values.h"

/* A buffer in the device's memory: the model's handle (cl_mem, CUdeviceptr,
 * a host pointer) and its size in bytes. */
typedef struct hb_buf {
    uintptr_t handle;
    size_t bytes;
} hb_buf;

/* Host memory the model allocated for the device's copies: its host
 * address, size, and the model's handle (OpenCL: the cl_mem it maps). */
typedef struct hb_host_buf {
    void *ptr;
    size_t bytes;
    uintptr_t handle;
} hb_host_buf;

/* One opened device: each model defines its own struct hb_model_env. */
typedef struct hb_model_env hb_model_env;

typedef struct hb_model_opts {
    const char *kernel_dir;    /* NULL: the kernels embedded in the binary */
} hb_model_opts;

struct hb_kernels;

typedef struct hb_model {
    const char *name;          /* "opencl", "host", "cuda": `run --model` and the results' "model" */
    const char *timer;         /* the results' "timer": "opencl-events", "host-clock", "cuda-events" */

    /* Appends the devices this model reaches to list. A runtime that is
     * absent is not an error: 0 devices, and status says why in one line. */
    int (*discover)(hb_device_list *list, char *status, size_t status_len, hb_err *err);
    int (*open)(const hb_device *dev, const hb_model_opts *opts, hb_model_env **env, hb_err *err);
    void (*close)(hb_model_env *env);

    /* Buffers. init_values writes hb_value(i, seed) of benches/stream_values.h
     * at element i (the stream inputs) where the model would place the data
     * for its kernels (the host model first-touches from the streaming threads). */
    int (*alloc)(hb_model_env *env, size_t bytes, hb_buf *out, hb_err *err);
    void (*release)(hb_model_env *env, hb_buf *buf);
    int (*upload)(hb_model_env *env, hb_buf *dst, size_t offset, size_t bytes, const void *src, hb_err *err);
    int (*download)(hb_model_env *env, const hb_buf *src, size_t offset, size_t bytes, void *dst, hb_err *err);
    int (*fill)(hb_model_env *env, hb_buf *dst, const void *pattern, size_t pattern_bytes, size_t bytes,
                hb_err *err);
    int (*init_values)(hb_model_env *env, hb_buf *dst, hb_dtype dtype, uint64_t n, unsigned seed, hb_err *err);
    /* Verification on the device (values.h): check_values compares the n
     * elements of src with expr, all in parallel, and fills *out;
     * sum_values computes the exact sum of value(i, seed_a) (seed_b 0) or of
     * value(i, seed_a) * value(i, seed_b) over i < n. Only the few words of
     * the outcome cross to the host. */
    int (*check_values)(hb_model_env *env, const hb_buf *src, hb_dtype dtype, uint64_t n,
                        const hb_values_expr *expr, hb_values_check *out, hb_err *err);
    int (*sum_values)(hb_model_env *env, hb_dtype dtype, uint64_t n, unsigned seed_a, unsigned seed_b,
                      hb_values_sum *out, hb_err *err);

    /* Pinned host memory, for the transfer family: page-locked memory the
     * device's copy engines reach directly, which the model allocates
     * (out->ptr is its host address; first touched by the caller). Optional:
     * NULL where the model has no memory of its own apart from the host's
     * (the host model). OpenCL: a CL_MEM_ALLOC_HOST_PTR buffer kept mapped
     * (docs/transfer.md#pinned-and-pageable). */
    int (*pinned_alloc)(hb_model_env *env, size_t bytes, hb_host_buf *out, hb_err *err);
    void (*pinned_release)(hb_model_env *env, hb_host_buf *buf);

    /* Timing of one batch: timer_begin(n) readies slots 0..n-1; each timed
     * launch records its iteration into one slot (hb_kernels.launch);
     * finish waits for all work; timer_read gives each slot's seconds. */
    int (*timer_begin)(hb_model_env *env, int n, hb_err *err);
    int (*finish)(hb_model_env *env, hb_err *err);
    int (*timer_read)(hb_model_env *env, int n, double *seconds, hb_err *err);

    /* How this model runs each bench family (NULL-terminated). */
    const struct hb_kernels *const *kernels;
} hb_model;

#endif
