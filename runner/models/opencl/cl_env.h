/* SPDX-License-Identifier: Apache-2.0 */
/* cl_env: the OpenCL model's opened device (its struct hb_model_env): a
 * context, a profiling queue, the programs built on it (built once per
 * source and options, then reused) and the timer slots of a batch. Shared
 * by the model's files only. */
#ifndef HB_CL_ENV_H
#define HB_CL_ENV_H

#include <CL/cl.h>

#include "model.h"

typedef struct hb_cl_program_entry {
    char file[64];
    char options[256];
    cl_program program;     /* NULL if the build failed */
    char build_error[1024];  /* why, when program is NULL */
    int build_rc;            /* and hb_cl_program's answer then */
} hb_cl_program_entry;

struct hb_model_env {
    const hb_device *dev;
    cl_device_id id;
    cl_context context;
    cl_command_queue queue;        /* in-order, CL_QUEUE_PROFILING_ENABLE */
    const char *kernel_dir;        /* NULL: kernels embedded in the binary */
    hb_cl_program_entry *programs;
    size_t n_programs;
    cl_event *events;              /* timer slots: one profiling event per timed launch */
    cl_event *begins;              /* where a launch is several kernels: its first one's event, else NULL */
    int n_events;
    /* The outcomes of the whole-array kernels (opencl_model.c, run_values):
     * made at the first check or sum, at their largest size, and kept. */
    cl_mem outcomes;
    cl_ulong *outcomes_host;
};
typedef struct hb_model_env hb_cl_env;

extern const hb_model hb_model_opencl;

int hb_cl_env_open(const hb_device *dev, const hb_model_opts *opts, hb_model_env **out, hb_err *err);
void hb_cl_env_close(hb_model_env *env);

static inline cl_mem hb_cl_mem(const hb_buf *b)
{
    return (cl_mem)b->handle;
}

/* Builds (or returns the cached) program from kernels/opencl/<file> with
 * options. A program the compiler rejects (CL_BUILD_PROGRAM_FAILURE,
 * CL_INVALID_BUILD_OPTIONS, or HB_FAULT=build) returns HB_BENCH_SKIP: a
 * variant this device cannot build, which a tuning point skips with a
 * note; err then reads "clBuildProgram: <error>: <the build log's first
 * error line> (kernels/opencl/<file> with "<options>" on <device>); build
 * log:" and the whole log, the reason first so that a note holds it
 * (injected: "clBuildProgram: kernels/opencl/<file>: failure injected by
 * HB_FAULT=build:N (with ...)"). Any other failure is HB_EFAIL.
 * A failed build is cached too, so a variant that a compiler rejects (e.g.
 * non-temporal stores on a non-clang compiler) is tried only once. */
int hb_cl_program(hb_cl_env *env, const char *file, const char *options, cl_program *out, hb_err *err);

/* Runs fn(arg) with fd 2 captured as a program build is: for a library
 * that builds OpenCL programs inside its own calls (CLBlast), so what the
 * compiler prints goes to the build log, or to stderr when fn fails.
 * `what` names the step for the progress line; returns fn's result. */
int hb_cl_captured(const char *what, int (*fn)(void *arg), void *arg);

/* clCreateKernel with the error named. */
int hb_cl_kernel(cl_program program, const char *name, cl_kernel *out, hb_err *err);

/* Enqueues kernel k over global/local work sizes with its event in `slot`. */
/* The first kernel of a launch that enqueues several (in order, on the
 * one in-order queue): slot's time then runs from its start to the end of
 * the kernel hb_cl_launch enqueues last with the same slot. */
int hb_cl_launch_begin(hb_cl_env *env, cl_kernel k, cl_uint dims, const size_t *global, const size_t *local,
                       int slot, const char *what, hb_err *err);
int hb_cl_launch(hb_cl_env *env, cl_kernel k, cl_uint dims, const size_t *global, const size_t *local, int slot,
                 const char *what, hb_err *err);

/* CL_KERNEL_WORK_GROUP_SIZE of k on the env's device, 0 when the query fails. */
size_t hb_cl_kernel_wg_limit(hb_cl_env *env, cl_kernel k);

/* The model's timer calls (opencl_model.c uses them). */
int hb_cl_timer_begin(hb_model_env *env, int n, hb_err *err);
int hb_cl_timer_read(hb_model_env *env, int n, double *seconds, hb_err *err);

#endif
