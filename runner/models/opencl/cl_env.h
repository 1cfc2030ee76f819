/* cl_env: an OpenCL context and profiling queue for one device, plus the
 * programs built on it (built once per source and options, then reused). */
#ifndef HB_CL_ENV_H
#define HB_CL_ENV_H

#include "device.h"
#include "hb_error.h"

typedef struct hb_cl_program_entry {
    char file[64];
    char options[256];
    cl_program program;     /* NULL if the build failed */
    char build_error[1024];  /* why, when program is NULL */
} hb_cl_program_entry;

typedef struct hb_cl_env {
    const hb_device *dev;
    cl_context context;
    cl_command_queue queue;        /* in-order, CL_QUEUE_PROFILING_ENABLE */
    const char *kernel_dir;        /* NULL: kernels embedded in the binary */
    hb_cl_program_entry *programs;
    size_t n_programs;
} hb_cl_env;

int hb_cl_env_open(hb_cl_env *env, const hb_device *dev, const char *kernel_dir, hb_err *err);
void hb_cl_env_close(hb_cl_env *env);

/* Builds (or returns the cached) program from kernels/<file> with options.
 * On a build failure the error names the device and holds the build log.
 * A failed build is cached too, so a variant that a compiler rejects (e.g.
 * non-temporal stores on a non-clang compiler) is tried only once. */
int hb_cl_program(hb_cl_env *env, const char *file, const char *options,
                  cl_program *out, hb_err *err);

/* clCreateKernel with the error named. */
int hb_cl_kernel(cl_program program, const char *name, cl_kernel *out, hb_err *err);

/* Device-side start..end time of a finished event, in seconds. */
int hb_cl_event_seconds(cl_event ev, double *seconds, hb_err *err);

#endif
