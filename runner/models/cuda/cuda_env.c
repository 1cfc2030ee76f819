/* SPDX-License-Identifier: Apache-2.0 */
/* cuda_env: the cuda model's context, stream, module cache and timer slots. */
#include "cuda_env.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cuda_nvrtc.h"
#include "embedded.h"

#define CHECK(call, what) hb_cu_check(&env->cu, (call), (what), err)

/* An attribute the geometry needs; a driver without it leaves 0 (unknown). */
static int attr(hb_cu_env *env, int which)
{
    int v = 0;
    return env->cu.device_get_attribute(&v, which, env->device) == HB_CUDA_SUCCESS ? v : 0;
}

static void query_limits(hb_cu_env *env)
{
    hb_cu_limits *l = &env->limits;
    l->sms = attr(env, HB_CU_ATTR_MULTIPROCESSOR_COUNT);
    l->max_threads_per_block = attr(env, HB_CU_ATTR_MAX_THREADS_PER_BLOCK);
    l->max_threads_per_sm = attr(env, HB_CU_ATTR_MAX_THREADS_PER_MULTIPROCESSOR);
    l->max_blocks_per_sm = attr(env, HB_CU_ATTR_MAX_BLOCKS_PER_MULTIPROCESSOR);
    l->regs_per_sm = attr(env, HB_CU_ATTR_MAX_REGISTERS_PER_MULTIPROCESSOR);
    l->smem_per_sm = (size_t)attr(env, HB_CU_ATTR_MAX_SHARED_MEMORY_PER_MULTIPROCESSOR);
    l->max_grid_x = (unsigned)attr(env, HB_CU_ATTR_MAX_GRID_DIM_X);
    l->cc_major = attr(env, HB_CU_ATTR_COMPUTE_CAPABILITY_MAJOR);
    l->cc_minor = attr(env, HB_CU_ATTR_COMPUTE_CAPABILITY_MINOR);
}

int hb_cu_env_open(const hb_device *dev, const hb_model_opts *opts, hb_model_env **out, hb_err *err)
{
    hb_cu_env *env = calloc(1, sizeof *env);
    char why[768];
    if (!env)
        return hb_fail(err, HB_EFAIL, "out of memory");
    *out = env;
    env->dev = dev;
    env->device = (hb_cu_device)dev->handle[0];
    env->kernel_dir = opts ? opts->kernel_dir : NULL;
    if (!hb_cu_api_load(&env->cu, why, sizeof why) || !hb_nvrtc_api_load(&env->nvrtc, why, sizeof why))
        return hb_fail(err, HB_EFAIL, "cuda model: %s", why);
    if (CHECK(env->cu.primary_ctx_retain(&env->ctx, env->device), "cuDevicePrimaryCtxRetain"))
        return HB_EFAIL;
    if (CHECK(env->cu.ctx_set_current(env->ctx), "cuCtxSetCurrent") ||
        CHECK(env->cu.stream_create(&env->stream, 0), "cuStreamCreate"))
        return HB_EFAIL;
    query_limits(env);
    if (env->limits.sms <= 0 || env->limits.max_threads_per_block <= 0 || env->limits.max_grid_x == 0)
        return hb_fail(err, HB_EFAIL, "cuDeviceGetAttribute on %s: no SM count, block or grid limit", dev->name);
    return HB_OK;
}

static void destroy_events(hb_cu_env *env)
{
    for (int i = 0; i < env->n_events; i++) {
        env->cu.event_destroy(env->start[i]);
        env->cu.event_destroy(env->end[i]);
    }
    free(env->start);
    free(env->end);
    env->start = env->end = NULL;
    env->n_events = env->n_slots = 0;
}

/* Teardown returns no status (hb_model.close): failures here cannot be
 * acted upon, and the primary context's release frees what is left. */
void hb_cu_env_close(hb_model_env *env)
{
    if (!env)
        return;
    if (env->ctx) {
        env->cu.ctx_set_current(env->ctx);
        if (env->stream)
            env->cu.stream_synchronize(env->stream);
        destroy_events(env);
        if (env->outcomes)
            env->cu.mem_free(env->outcomes);
        for (size_t i = 0; i < env->n_modules; i++)
            if (env->modules[i].module)
                env->cu.module_unload(env->modules[i].module);
        if (env->stream)
            env->cu.stream_destroy(env->stream);
        env->cu.primary_ctx_release(env->device);
    }
    free(env->modules);
    free(env->outcomes_host);
    free(env);
}

/* kernels/cuda/<file>: from the embedded copy, or with --kernel-dir from
 * DIR, else from DIR/../cuda (so the repository's kernels/opencl folder,
 * given for the OpenCL kernels, finds these too). */
static int load_source(hb_cu_env *env, const char *file, char **src, hb_err *err)
{
    if (env->kernel_dir) {
        char sibling[4096], path[4200], candidate[4200];
        snprintf(path, sizeof path, "%s/%s", env->kernel_dir, file);
        snprintf(sibling, sizeof sibling, "%s/../cuda", env->kernel_dir);
        snprintf(candidate, sizeof candidate, "%s/%s", sibling, file);
        if (access(path, R_OK) != 0 && access(candidate, R_OK) == 0)
            return hb_source_load(sibling, file, src, NULL, err);
    }
    return hb_source_load(env->kernel_dir, file, src, NULL, err);
}

/* Compiles and loads one module; the driver's own log explains a load failure. */
static int build(hb_cu_env *env, const char *file, const char *defines, hb_cu_module *out, hb_err *err)
{
    char *src = NULL;
    if (load_source(env, file, &src, err))
        return err->code;
    hb_nvrtc_image img;
    int rc = hb_nvrtc_compile(&env->nvrtc, src, file, defines, env->limits.cc_major, env->limits.cc_minor, 1, &img,
                              err);
    free(src);
    if (rc)
        return rc;
    char log[1024] = "";
    int options[2] = {HB_CU_JIT_ERROR_LOG_BUFFER, HB_CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES};
    void *values[2] = {log, (void *)(uintptr_t)sizeof log};
    int st = env->cu.module_load_data_ex(out, img.data, 2, options, values);
    if (st != HB_CUDA_SUCCESS) {
        char num[64];
        hb_fail(err, HB_EFAIL, "cuModuleLoadDataEx: %s: kernels/cuda/%s (%s, %s) on %s%s%s",
                hb_cu_error_name(&env->cu, st, num, sizeof num), file, img.arch, defines, env->dev->name,
                log[0] ? "; JIT log: " : "", log);
        rc = HB_EFAIL;
    }
    hb_nvrtc_image_free(&img);
    return rc;
}

static int module_of(hb_cu_env *env, const char *file, const char *defines, hb_cu_module *out, hb_err *err)
{
    for (size_t i = 0; i < env->n_modules; i++) {
        hb_cu_module_entry *e = &env->modules[i];
        if (!strcmp(e->file, file) && !strcmp(e->defines, defines)) {
            if (!e->module)
                return hb_fail(err, HB_EFAIL, "%s", e->error);
            *out = e->module;
            return HB_OK;
        }
    }
    hb_cu_module_entry *grown = realloc(env->modules, (env->n_modules + 1) * sizeof *grown);
    if (!grown)
        return hb_fail(err, HB_EFAIL, "out of memory");
    env->modules = grown;
    hb_cu_module_entry *e = &env->modules[env->n_modules++];
    memset(e, 0, sizeof *e);
    snprintf(e->file, sizeof e->file, "%s", file);
    snprintf(e->defines, sizeof e->defines, "%s", defines);
    int rc = build(env, file, defines, &e->module, err);
    if (rc) {
        e->module = NULL;
        snprintf(e->error, sizeof e->error, "%s", err->msg);
        return rc;
    }
    *out = e->module;
    return HB_OK;
}

int hb_cu_function_of(hb_cu_env *env, const char *file, const char *defines, const char *kernel, hb_cu_function *out,
                      hb_err *err)
{
    hb_cu_module m = NULL;
    char call[96];
    if (module_of(env, file, defines, &m, err))
        return HB_EFAIL;
    snprintf(call, sizeof call, "cuModuleGetFunction(%s)", kernel);
    return CHECK(env->cu.module_get_function(out, m, kernel), call);
}

int hb_cu_record(hb_cu_env *env, int slot, int end, hb_err *err)
{
    if (slot < 0 || slot >= env->n_slots)
        return HB_OK;
    return end ? CHECK(env->cu.event_record(env->end[slot], env->stream), "cuEventRecord(end)")
               : CHECK(env->cu.event_record(env->start[slot], env->stream), "cuEventRecord(start)");
}

int hb_cu_launch(hb_cu_env *env, hb_cu_function f, uint64_t blocks, int threads, void **params, int slot,
                 const char *what, hb_err *err)
{
    char call[96];
    if (blocks == 0 || blocks > 0xffffffffu)
        return hb_fail(err, HB_EFAIL, "internal: %s: %llu blocks", what, (unsigned long long)blocks);
    snprintf(call, sizeof call, "cuLaunchKernel(%s)", what);
    return hb_cu_record(env, slot, 0, err) ||
           CHECK(env->cu.launch_kernel(f, (unsigned)blocks, 1, 1, (unsigned)threads, 1, 1, 0, env->stream, params,
                                       NULL), call) ||
           hb_cu_record(env, slot, 1, err) ? HB_EFAIL : HB_OK;
}

int hb_cu_blocks_per_sm(hb_cu_env *env, hb_cu_function f, int threads)
{
    int n = 0, regs = 0, max_threads = 0;
    if (env->cu.func_get_attribute(&max_threads, HB_CU_FUNC_MAX_THREADS_PER_BLOCK, f) == HB_CUDA_SUCCESS &&
        threads > max_threads)
        return 0;
    if (env->cu.occupancy_max_active_blocks(&n, f, threads, 0) == HB_CUDA_SUCCESS)
        return n;
    if (env->cu.func_get_attribute(&regs, HB_CU_FUNC_NUM_REGS, f) != HB_CUDA_SUCCESS)
        regs = 0;
    return hb_cu_occupancy_estimate(&env->limits, threads, regs, 0);
}

int hb_cu_sync(hb_cu_env *env, const char *what, hb_err *err)
{
    char call[96];
    snprintf(call, sizeof call, "cuStreamSynchronize(%s)", what);
    return CHECK(env->cu.stream_synchronize(env->stream), call);
}

/* ---- timer slots (hb_model.timer_begin / timer_read) ---- */

int hb_cu_timer_begin(hb_model_env *env, int n, hb_err *err)
{
    if (n > env->n_events) {
        hb_cu_event *s = realloc(env->start, (size_t)n * sizeof *s);
        if (s)
            env->start = s;
        hb_cu_event *e = realloc(env->end, (size_t)n * sizeof *e);
        if (e)
            env->end = e;
        if (!s || !e)
            return hb_fail(err, HB_EFAIL, "out of memory");
        for (; env->n_events < n; env->n_events++) {
            if (CHECK(env->cu.event_create(&env->start[env->n_events], 0), "cuEventCreate"))
                return HB_EFAIL;
            if (CHECK(env->cu.event_create(&env->end[env->n_events], 0), "cuEventCreate")) {
                env->cu.event_destroy(env->start[env->n_events]);
                return HB_EFAIL;
            }
        }
    }
    env->n_slots = n;
    return HB_OK;
}

/* Each slot's end minus its start (cuEventElapsedTime, milliseconds, with a
 * resolution of about half a microsecond: CUDA Driver API, "Event
 * Management"): the kernel's time on the device, without the launch. */
int hb_cu_timer_read(hb_model_env *env, int n, double *seconds, hb_err *err)
{
    if (n > env->n_slots)
        return hb_fail(err, HB_EFAIL, "internal: %d timer slots read, %d begun", n, env->n_slots);
    for (int i = 0; i < n; i++) {
        float ms = 0;
        if (CHECK(env->cu.event_elapsed_time(&ms, env->start[i], env->end[i]), "cuEventElapsedTime"))
            return HB_EFAIL;
        seconds[i] = ms * 1e-3;
    }
    env->n_slots = 0;
    return HB_OK;
}
