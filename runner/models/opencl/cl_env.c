#include "cl_env.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cl_util.h"
#include "embedded.h"

int hb_cl_env_open(hb_cl_env *env, const hb_device *dev, const char *kernel_dir, hb_err *err)
{
    memset(env, 0, sizeof *env);
    env->dev = dev;
    env->kernel_dir = kernel_dir;
    cl_int rc;
    cl_context_properties props[] = {CL_CONTEXT_PLATFORM, (cl_context_properties)dev->platform, 0};
    env->context = clCreateContext(props, 1, &dev->id, NULL, NULL, &rc);
    if (hb_cl_check(rc, "clCreateContext", err))
        return HB_EFAIL;
    cl_queue_properties qprops[] = {CL_QUEUE_PROPERTIES, CL_QUEUE_PROFILING_ENABLE, 0};
    env->queue = clCreateCommandQueueWithProperties(env->context, dev->id, qprops, &rc);
    if (hb_cl_check(rc, "clCreateCommandQueueWithProperties", err)) {
        clReleaseContext(env->context);
        env->context = NULL;
        return HB_EFAIL;
    }
    return HB_OK;
}

void hb_cl_env_close(hb_cl_env *env)
{
    for (size_t i = 0; i < env->n_programs; i++)
        if (env->programs[i].program)
            clReleaseProgram(env->programs[i].program);
    free(env->programs);
    if (env->queue)
        clReleaseCommandQueue(env->queue);
    if (env->context)
        clReleaseContext(env->context);
    memset(env, 0, sizeof *env);
}

static char *build_log(cl_program program, cl_device_id dev)
{
    size_t n = 0;
    if (clGetProgramBuildInfo(program, dev, CL_PROGRAM_BUILD_LOG, 0, NULL, &n) != CL_SUCCESS || n == 0)
        return NULL;
    char *log = malloc(n + 1);
    if (log && clGetProgramBuildInfo(program, dev, CL_PROGRAM_BUILD_LOG, n, log, NULL) != CL_SUCCESS) {
        free(log);
        return NULL;
    }
    if (log)
        log[n] = '\0';
    return log;
}

static int build(hb_cl_env *env, const char *file, const char *options, cl_program *out, hb_err *err)
{
    char *src = NULL;
    size_t len = 0;
    if (hb_source_load(env->kernel_dir, file, &src, &len, err))
        return err->code;
    cl_int rc;
    const char *srcs[] = {src};
    cl_program p = clCreateProgramWithSource(env->context, 1, srcs, &len, &rc);
    free(src);
    if (hb_cl_check(rc, "clCreateProgramWithSource", err))
        return HB_EFAIL;
    rc = clBuildProgram(p, 1, &env->dev->id, options, NULL, NULL);
    if (rc != CL_SUCCESS) {
        char *log = build_log(p, env->dev->id);
        hb_fail(err, HB_EFAIL, "clBuildProgram: %s: kernels/%s with \"%s\" on %s; build log:\n%s",
                hb_cl_error_name(rc), file, options, env->dev->name, log ? log : "(none)");
        free(log);
        clReleaseProgram(p);
        return HB_EFAIL;
    }
    *out = p;
    return HB_OK;
}

int hb_cl_program(hb_cl_env *env, const char *file, const char *options, cl_program *out, hb_err *err)
{
    for (size_t i = 0; i < env->n_programs; i++) {
        hb_cl_program_entry *e = &env->programs[i];
        if (strcmp(e->file, file) == 0 && strcmp(e->options, options) == 0) {
            if (!e->program)
                return hb_fail(err, HB_EFAIL, "%s", e->build_error);
            *out = e->program;
            return HB_OK;
        }
    }
    hb_cl_program_entry *grown = realloc(env->programs, (env->n_programs + 1) * sizeof *grown);
    if (!grown)
        return hb_fail(err, HB_EFAIL, "out of memory");
    env->programs = grown;
    hb_cl_program_entry *e = &env->programs[env->n_programs++];
    memset(e, 0, sizeof *e);
    snprintf(e->file, sizeof e->file, "%s", file);
    snprintf(e->options, sizeof e->options, "%s", options);
    int rc = build(env, file, options, &e->program, err);
    if (rc) {
        snprintf(e->build_error, sizeof e->build_error, "%s", err->msg);
        return rc;
    }
    *out = e->program;
    return HB_OK;
}

int hb_cl_kernel(cl_program program, const char *name, cl_kernel *out, hb_err *err)
{
    cl_int rc;
    *out = clCreateKernel(program, name, &rc);
    if (rc != CL_SUCCESS)
        return hb_fail(err, HB_EFAIL, "clCreateKernel(%s): %s", name, hb_cl_error_name(rc));
    return HB_OK;
}

int hb_cl_event_seconds(cl_event ev, double *seconds, hb_err *err)
{
    cl_ulong t0, t1;
    if (hb_cl_check(clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_START, sizeof t0, &t0, NULL),
                    "clGetEventProfilingInfo(START)", err) ||
        hb_cl_check(clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_END, sizeof t1, &t1, NULL),
                    "clGetEventProfilingInfo(END)", err))
        return HB_EFAIL;
    *seconds = (double)(t1 - t0) * 1e-9;
    return HB_OK;
}
