/* SPDX-License-Identifier: Apache-2.0 */
/* cuda_env: the cuda model's opened device (its struct hb_model_env): the
 * driver and NVRTC tables, the device's primary context (the one the CUDA
 * runtime and libraries such as cuBLAS use too: CUDA Driver API,
 * "Primary Context Management"), one stream, the modules compiled for it
 * (once per source and options) and the timer slots: a pair of CUDA events
 * per timed launch. Shared by the model's files only. */
#ifndef HB_CUDA_ENV_H
#define HB_CUDA_ENV_H

#include "cuda_api.h"
#include "cuda_geometry.h"
#include "model.h"

typedef struct hb_cu_module_entry {
    char file[64];
    char defines[256];
    hb_cu_module module;        /* NULL if compiling or loading failed */
    char error[1024];           /* why, when module is NULL */
} hb_cu_module_entry;

struct hb_model_env {
    const hb_device *dev;
    hb_cu_api cu;
    hb_nvrtc_api nvrtc;
    hb_cu_device device;
    hb_cu_ctx ctx;
    hb_cu_stream stream;        /* blocking with respect to the legacy default stream (flags 0) */
    hb_cu_limits limits;
    const char *kernel_dir;     /* NULL: kernels embedded in the binary */
    hb_cu_module_entry *modules;
    size_t n_modules;
    hb_cu_event *start, *end;   /* timer slots: events around each timed launch */
    int n_events;               /* events created (kept between batches) */
    int n_slots;                /* slots of the current batch */
    /* The outcomes of the check and sum kernels (cuda_model.c): made at
     * the first one, at their largest size, and kept. */
    hb_cu_dptr outcomes;
    uint64_t *outcomes_host;
};
typedef struct hb_model_env hb_cu_env;

extern const hb_model hb_model_cuda;

int hb_cu_env_open(const hb_device *dev, const hb_model_opts *opts, hb_model_env **out, hb_err *err);
void hb_cu_env_close(hb_model_env *env);

/* The function `kernel` of kernels/cuda/<file> built with defines (cached
 * per file and defines; a failed build is cached too). */
int hb_cu_function_of(hb_cu_env *env, const char *file, const char *defines, const char *kernel, hb_cu_function *out,
                      hb_err *err);

/* Launches f over `blocks` x `threads` on the env's stream with params;
 * slot >= 0 brackets it with that timer slot's events. */
int hb_cu_launch(hb_cu_env *env, hb_cu_function f, uint64_t blocks, int threads, void **params, int slot,
                 const char *what, hb_err *err);

/* Records timer slot `slot`'s start (end = 0) or end event on the stream;
 * nothing for a warm-up (slot < 0). For work other than our kernels (a
 * library's calls) between the two. */
int hb_cu_record(hb_cu_env *env, int slot, int end, hb_err *err);

/* Blocks of `threads` threads of f resident per SM: the driver's answer
 * (cuOccupancyMaxActiveBlocksPerMultiprocessor), or the estimate from
 * cuda_geometry.h where the call fails; 0 when f cannot run that block. */
int hb_cu_blocks_per_sm(hb_cu_env *env, hb_cu_function f, int threads);

int hb_cu_sync(hb_cu_env *env, const char *what, hb_err *err);
int hb_cu_timer_begin(hb_model_env *env, int n, hb_err *err);
int hb_cu_timer_read(hb_model_env *env, int n, double *seconds, hb_err *err);

static inline hb_cu_dptr hb_cu_ptr(const hb_buf *b)
{
    return (hb_cu_dptr)b->handle;
}

#endif
