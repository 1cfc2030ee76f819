/* SPDX-License-Identifier: Apache-2.0 */
/* cl_env: the OpenCL model's context, queue, program cache and timer slots. */
#include "cl_env.h"
#include "env.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "activity.h"
#include "bench.h"
#include "cl_util.h"
#include "embedded.h"
#include "fault.h"
#include "hb_clock.h"
#include "text.h"

/* The device's ids, as discovery stored them in dev->handle. */
static cl_platform_id hb_cl_platform_of(const hb_device *dev)
{
    return (cl_platform_id)dev->handle[0];
}

static cl_device_id hb_cl_device_of(const hb_device *dev)
{
    return (cl_device_id)dev->handle[1];
}

int hb_cl_env_open(const hb_device *dev, const hb_model_opts *opts, hb_model_env **out, hb_err *err)
{
    hb_cl_env *env = calloc(1, sizeof *env);
    if (!env)
        return hb_fail(err, HB_EFAIL, "out of memory");
    env->dev = dev;
    env->id = hb_cl_device_of(dev);
    env->kernel_dir = opts ? opts->kernel_dir : NULL;
    cl_int rc;
    cl_context_properties props[] = {CL_CONTEXT_PLATFORM, (cl_context_properties)hb_cl_platform_of(dev), 0};
    env->context = clCreateContext(props, 1, &env->id, NULL, NULL, &rc);
    if (hb_cl_check(rc, "clCreateContext", err)) {
        free(env);
        return HB_EFAIL;
    }
    cl_queue_properties qprops[] = {CL_QUEUE_PROPERTIES, CL_QUEUE_PROFILING_ENABLE, 0};
    env->queue = clCreateCommandQueueWithProperties(env->context, env->id, qprops, &rc);
    if (hb_cl_check(rc, "clCreateCommandQueueWithProperties", err)) {
        clReleaseContext(env->context);
        free(env);
        return HB_EFAIL;
    }
    *out = env;
    return HB_OK;
}

static void release_events(hb_cl_env *env)
{
    for (int i = 0; i < env->n_events; i++) {
        if (env->events[i])
            clReleaseEvent(env->events[i]);
        if (env->begins && env->begins[i])
            clReleaseEvent(env->begins[i]);
    }
    free(env->events);
    free(env->begins);
    env->events = env->begins = NULL;
    env->n_events = 0;
}

void hb_cl_env_close(hb_model_env *env)
{
    if (!env)
        return;
    release_events(env);
    if (env->outcomes)
        clReleaseMemObject(env->outcomes);
    free(env->outcomes_host);
    for (size_t i = 0; i < env->n_programs; i++)
        if (env->programs[i].program)
            clReleaseProgram(env->programs[i].program);
    free(env->programs);
    if (env->queue)
        clReleaseCommandQueue(env->queue);
    if (env->context)
        clReleaseContext(env->context);
    free(env);
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

/* The build log's first line that says "error", else its first line
 * that is not blank, without the folders of the paths in it: a build
 * failure's message starts with it, so that the note of a skipped tuning
 * point (128 characters) says why. */
static void log_headline(const char *log, char *buf, size_t len)
{
    const char *pick = NULL;
    for (const char *l = log; l && *l && !pick; l += strcspn(l, "\n"), l += *l == '\n')
        if (memmem(l, strcspn(l, "\n"), "error", 5))
            pick = l;
    for (const char *l = log; l && *l && !pick; l += strcspn(l, "\n"), l += *l == '\n')
        if (strspn(l, " \t\r") < strcspn(l, "\n"))
            pick = l;
    if (!pick) {
        snprintf(buf, len, "(no build log)");
        return;
    }
    /* a path names the compiler's temporary file: its last part is enough */
    size_t used = 0, n = strcspn(pick, "\r\n");
    for (size_t i = strspn(pick, " \t"); i < n && used + 1 < len; i++) {
        if (pick[i] == '/' && (i == 0 || pick[i - 1] == ' ')) {
            size_t word = strcspn(pick + i, " \r\n");
            const char *last = memrchr(pick + i, '/', word);
            i = (size_t)(last - pick);
            continue;
        }
        buf[used++] = pick[i];
    }
    buf[used] = '\0';
}

/* ---- the compiler's own stderr ----
 * PoCL's clang writes its diagnostics ("4 warnings generated.") straight to
 * file descriptor 2 during clBuildProgram, besides putting them in the
 * build log (docs/usage.md, "Compiler output"). So file descriptor 2
 * points at an anonymous file while a program builds: on success its text
 * goes to the thread's activity listener (runner/core/activity.h: the
 * driver's build log file), on failure to stderr with the error. fd 2 is
 * the process's, so one build at a time captures it (--concurrent's device
 * threads build in turn), under hb_stderr_lock(), which the driver's lines
 * wait for; a line written to stderr meanwhile without it (a driver's own
 * thread) lands in the captured text (and the log). */

#define CAPTURE_MAX (1u << 20) /* bytes of compiler output kept per build */

typedef struct fd2_capture {
    int saved; /* a copy of fd 2 as it was, -1 when fd 2 was closed */
    int fd;    /* the anonymous file fd 2 points at meanwhile, -1: not captured */
} fd2_capture;

/* An unnamed file: memfd_create, else a temporary file unlinked at once. */
static int anonymous_file(void)
{
    int fd = memfd_create("hbmbench-compiler-stderr", MFD_CLOEXEC);
    if (fd >= 0)
        return fd;
    const char *dir = hb_env("TMPDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/hbmbench-cc-XXXXXX", dir && *dir ? dir : "/tmp");
    fd = mkostemp(path, O_CLOEXEC);
    if (fd >= 0)
        unlink(path);
    return fd;
}

/* Points fd 2 at an anonymous file; c->fd < 0 when that could not be done
 * (the build then runs uncaptured, as before). Safe when fd 2 is closed:
 * it is then closed again afterwards. */
static void capture_begin(fd2_capture *c)
{
    c->saved = c->fd = -1;
    fflush(stderr);
    int saved = fcntl(2, F_DUPFD_CLOEXEC, 3);
    if (saved < 0 && errno != EBADF)
        return;
    int fd = anonymous_file();
    if (fd < 0 || (fd != 2 && dup2(fd, 2) < 0)) {
        if (fd >= 0)
            close(fd);
        if (saved >= 0)
            close(saved);
        return;
    }
    c->saved = saved;
    c->fd = fd;
}

/* Restores fd 2 and returns what was written to it (malloc'ed, *len bytes,
 * at most CAPTURE_MAX; NULL when nothing, or when it could not be read). */
static char *capture_end(fd2_capture *c, size_t *len)
{
    *len = 0;
    if (c->fd < 0)
        return NULL;
    fflush(stderr);
    char *text = NULL;
    off_t size = lseek(c->fd, 0, SEEK_END);
    if (size > 0) {
        size_t want = (size_t)size < CAPTURE_MAX ? (size_t)size : CAPTURE_MAX;
        text = malloc(want + 1);
        ssize_t got = text ? pread(c->fd, text, want, 0) : -1;
        if (got > 0) {
            *len = (size_t)got;
            text[got] = '\0';
        } else {
            free(text);
            text = NULL;
        }
    }
    if (c->saved >= 0) {
        while (dup2(c->saved, 2) < 0 && errno == EINTR)
            ;
        close(c->saved);
    } else {
        close(2); /* it was closed before */
    }
    if (c->fd != 2)
        close(c->fd);
    return text;
}

/* "compiling gemm.cl (HB_DT=1 ALGO=2 ...)": the options without their -D. */
static void build_what(const char *file, const char *options, char *buf, size_t len)
{
    char opts[160];
    size_t used = 0;
    for (const char *o = options; *o && used + 1 < sizeof opts; o++) {
        if ((o == options || o[-1] == ' ') && o[0] == '-' && o[1] == 'D') {
            o++;
            continue;
        }
        opts[used++] = *o;
    }
    opts[used] = '\0';
    snprintf(buf, len, "compiling %s%s%s%s", file, used ? " (" : "", opts, used ? ")" : "");
}

/* Runs fn(arg) as the step `what` with fd 2 captured (above), under
 * hb_stderr_lock, telling the activity listener when it begins and ends;
 * returns fn's result and what fd 2 received (*text, *len; free it). */
static int run_captured(const char *what, int (*fn)(void *arg), void *arg, char **text, size_t *len)
{
    hb_activity_begin(what);
    double t0 = hb_now_s();
    fd2_capture cap;
    hb_stderr_lock();
    capture_begin(&cap);
    int rc = fn(arg);
    *text = capture_end(&cap, len);
    hb_stderr_unlock();
    hb_activity_end(what, hb_now_s() - t0, rc == 0);
    return rc;
}

typedef struct build_call {
    hb_cl_env *env;
    cl_program program;
    const char *options;
} build_call;

static int call_build(void *arg)
{
    build_call *b = arg;
    return clBuildProgram(b->program, 1, &b->env->id, b->options, NULL, NULL);
}

/* clBuildProgram with fd 2 captured; what the compiler printed (and, when
 * it printed anything, the build log) goes to the activity listener, or
 * with a failure to stderr. */
static cl_int build_captured(hb_cl_env *env, cl_program p, const char *file, const char *options)
{
    char what[256], *text;
    size_t len;
    build_what(file, options, what, sizeof what);
    build_call call = {env, p, options};
    cl_int rc = run_captured(what, call_build, &call, &text, &len);
    if (len && rc == CL_SUCCESS) {
        /* what clang printed is a count ("8 warnings generated."); the
         * warnings themselves are in the build log: both are kept */
        char *log = build_log(p, env->id), *both = NULL;
        int n = log && *log ? asprintf(&both, "%.*s%s%s", (int)len, text, text[len - 1] == '\n' ? "" : "\n", log) : -1;
        hb_activity_output(what, n > 0 ? both : text, n > 0 ? (size_t)n : len);
        free(both);
        free(log);
    } else if (len) {
        hb_activity_interrupt();
        hb_text_fprintf(stderr, "hbmbench: the OpenCL compiler's output for kernels/opencl/%s with \"%s\" on %s, "
                        "whose build failed (%s):\n%.*s%s", file, options, env->dev->name, hb_cl_error_name(rc),
                        (int)len, text, text[len - 1] == '\n' ? "" : "\n");
    }
    free(text);
    return rc;
}

int hb_cl_captured(const char *what, int (*fn)(void *arg), void *arg)
{
    char *text;
    size_t len;
    int rc = run_captured(what, fn, arg, &text, &len);
    if (len && (rc != 0 || !hb_activity_output(what, text, len))) {
        hb_activity_interrupt();
        hb_text_fprintf(stderr, "hbmbench: %s printed:\n%.*s%s", what, (int)len, text,
                        text[len - 1] == '\n' ? "" : "\n");
    }
    free(text);
    return rc;
}

/* HB_BENCH_SKIP when the compiler rejects the program (a variant this
 * device cannot build: the caller skips that point with a note), err
 * holding the log; HB_EFAIL for any other failure. */
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
    rc = build_captured(env, p, file, options);
    if (rc != CL_SUCCESS) {
        char *log = build_log(p, env->id), head[256];
        log_headline(log, head, sizeof head);
        hb_fail(err, HB_EFAIL, "clBuildProgram: %s: %s (kernels/opencl/%s with \"%s\" on %s); build log:\n%s",
                hb_cl_error_name(rc), head, file, options, env->dev->name, log ? log : "(none)");
        free(log);
        clReleaseProgram(p);
        return rc == CL_BUILD_PROGRAM_FAILURE || rc == CL_INVALID_BUILD_OPTIONS ? HB_BENCH_SKIP : HB_EFAIL;
    }
    *out = p;
    return HB_OK;
}

int hb_cl_program(hb_cl_env *env, const char *file, const char *options, cl_program *out, hb_err *err)
{
    for (size_t i = 0; i < env->n_programs; i++) {
        hb_cl_program_entry *e = &env->programs[i];
        if (strcmp(e->file, file) == 0 && strcmp(e->options, options) == 0) {
            if (!e->program) { /* said once in full; later measurements point back to it */
                hb_fail(err, HB_EFAIL, "%.160s... (this build failed before in this run; not tried again)",
                        e->build_error);
                return e->build_rc;
            }
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
    /* an injected failure takes a rejected build's path, note and all */
    int rc = HB_BENCH_SKIP;
    if (hb_fault_hit(HB_FAULT_BUILD))
        hb_fail(err, HB_EFAIL, "clBuildProgram: kernels/opencl/%s: failure injected by HB_FAULT=%s (with \"%s\" on %s)",
                file, hb_fault_name(HB_FAULT_BUILD), options, env->dev->name);
    else if (hb_fault_hit(HB_FAULT_BUILD_STOP) && !raise(SIGTERM))
        hb_fail(err, HB_EFAIL, "clBuildProgram: kernels/opencl/%s: unable to rename temporary file (a signal came "
                "during the build, injected by HB_FAULT=%s)", file, hb_fault_name(HB_FAULT_BUILD_STOP));
    else
        rc = build(env, file, options, &e->program, err);
    if (rc) {
        snprintf(e->build_error, sizeof e->build_error, "%s", err->msg);
        e->build_rc = rc;
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

/* Where a timed launch puts its event: NULL for a warm-up (slot < 0). */
static cl_event *hb_cl_slot(hb_cl_env *env, int slot)
{
    return slot >= 0 && slot < env->n_events ? &env->events[slot] : NULL;
}

static int enqueue(hb_cl_env *env, cl_kernel k, cl_uint dims, const size_t *global, const size_t *local,
                   cl_event *ev, const char *what, hb_err *err)
{
    cl_int rc = clEnqueueNDRangeKernel(env->queue, k, dims, NULL, global, local, 0, NULL, ev);
    if (rc == CL_SUCCESS)
        return HB_OK;
    return hb_fail(err, HB_EFAIL, "clEnqueueNDRangeKernel(%s): %s", what, hb_cl_error_name(rc));
}

int hb_cl_launch_begin(hb_cl_env *env, cl_kernel k, cl_uint dims, const size_t *global, const size_t *local,
                       int slot, const char *what, hb_err *err)
{
    cl_event *ev = slot >= 0 && slot < env->n_events ? &env->begins[slot] : NULL;
    if (ev && *ev) {
        clReleaseEvent(*ev);
        *ev = NULL;
    }
    return enqueue(env, k, dims, global, local, ev, what, err);
}

int hb_cl_launch(hb_cl_env *env, cl_kernel k, cl_uint dims, const size_t *global, const size_t *local, int slot,
                 const char *what, hb_err *err)
{
    return enqueue(env, k, dims, global, local, hb_cl_slot(env, slot), what, err);
}

size_t hb_cl_kernel_wg_limit(hb_cl_env *env, cl_kernel k)
{
    size_t lim = 0;
    if (clGetKernelWorkGroupInfo(k, env->id, CL_KERNEL_WORK_GROUP_SIZE, sizeof lim, &lim, NULL) != CL_SUCCESS)
        return 0;
    return lim;
}

/* ---- timer slots (hb_model.timer_begin / timer_read) ---- */

int hb_cl_timer_begin(hb_model_env *env, int n, hb_err *err)
{
    release_events(env);
    env->events = calloc((size_t)(n > 0 ? n : 1), sizeof *env->events);
    env->begins = calloc((size_t)(n > 0 ? n : 1), sizeof *env->begins);
    if (!env->events || !env->begins) {
        free(env->events);
        free(env->begins);
        env->events = env->begins = NULL;
        return hb_fail(err, HB_EFAIL, "out of memory");
    }
    env->n_events = n;
    return HB_OK;
}

/* Device-side START to END of each finished launch (OpenCL 3.0 API spec,
 * clGetEventProfilingInfo): the kernel's execution, not its queueing. */
int hb_cl_timer_read(hb_model_env *env, int n, double *seconds, hb_err *err)
{
    int rc = HB_OK;
    for (int i = 0; i < n && !rc; i++) {
        cl_ulong t0, t1;
        if (i >= env->n_events || !env->events[i])
            rc = hb_fail(err, HB_EFAIL, "internal: timer slot %d was not recorded", i);
        else if (hb_cl_check(clGetEventProfilingInfo(env->begins[i] ? env->begins[i] : env->events[i],
                                                     CL_PROFILING_COMMAND_START, sizeof t0, &t0,
                                                     NULL), "clGetEventProfilingInfo(START)", err) ||
                 hb_cl_check(clGetEventProfilingInfo(env->events[i], CL_PROFILING_COMMAND_END, sizeof t1, &t1,
                                                     NULL), "clGetEventProfilingInfo(END)", err))
            rc = HB_EFAIL;
        else
            seconds[i] = (double)(t1 - t0) * 1e-9;
    }
    release_events(env);
    return rc;
}
