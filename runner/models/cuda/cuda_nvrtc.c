/* SPDX-License-Identifier: Apache-2.0 */
/* cuda_nvrtc: run-time compilation of the cuda model's kernels (cuda_nvrtc.h). */
#include "cuda_nvrtc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_OPTIONS 16

int hb_nvrtc_pick_arch(const int *archs, int n, int cc, int *exact)
{
    int best = -1;
    *exact = n == 0;
    if (n == 0)
        return cc;
    for (int i = 0; i < n; i++) {
        if (archs[i] == cc) {
            *exact = 1;
            return cc;
        }
        if (archs[i] < cc && archs[i] > best)
            best = archs[i];
    }
    return best;
}

/* Splits defines at spaces into opts (pointers into buf). */
static int split(const char *defines, char *buf, size_t len, const char **opts, int max)
{
    int n = 0;
    snprintf(buf, len, "%s", defines ? defines : "");
    for (char *save = NULL, *t = strtok_r(buf, " ", &save); t && n < max; t = strtok_r(NULL, " ", &save))
        opts[n++] = t;
    return n;
}

static char *program_log(const hb_nvrtc_api *api, hb_nvrtc_program p)
{
    size_t n = 0;
    if (api->get_log_size(p, &n) != HB_NVRTC_SUCCESS || n == 0)
        return NULL;
    char *log = malloc(n + 1);
    if (log && api->get_log(p, log) != HB_NVRTC_SUCCESS) {
        free(log);
        return NULL;
    }
    if (log)
        log[n] = '\0';
    return log;
}

/* The chosen architecture's option and whether the result is a CUBIN. */
static int choose(const hb_nvrtc_api *api, int cc, int want_cubin, hb_nvrtc_image *out, hb_err *err)
{
    int archs[64], n = 0, exact = 0;
    if (api->get_num_supported_archs && api->get_num_supported_archs(&n) == HB_NVRTC_SUCCESS && n > 0 &&
        n <= 64 && api->get_supported_archs(archs) == HB_NVRTC_SUCCESS) {
        /* listed */
    } else {
        n = 0;
    }
    int arch = hb_nvrtc_pick_arch(archs, n, cc, &exact);
    if (arch < 0)
        return hb_fail(err, HB_EFAIL, "NVRTC %d.%d (%s) supports no architecture at or below sm_%d; it is newer "
                       "than this GPU: use an older CUDA toolkit's NVRTC (HB_NVRTC=FILE)",
                       api->major, api->minor, api->path, cc);
    out->cubin = exact && want_cubin && api->get_cubin;
    snprintf(out->arch, sizeof out->arch, "%s_%d", out->cubin ? "sm" : "compute", arch);
    return HB_OK;
}

static int fetch(const hb_nvrtc_api *api, hb_nvrtc_program p, const char *name, hb_nvrtc_image *out, hb_err *err)
{
    int (*size_of)(hb_nvrtc_program, size_t *) = out->cubin ? api->get_cubin_size : api->get_ptx_size;
    int (*get)(hb_nvrtc_program, char *) = out->cubin ? api->get_cubin : api->get_ptx;
    char call[96];
    snprintf(call, sizeof call, "%s(%s)", out->cubin ? "nvrtcGetCUBIN" : "nvrtcGetPTX", name);
    size_t n = 0;
    if (hb_nvrtc_check(api, size_of(p, &n), call, err))
        return HB_EFAIL;
    out->data = malloc(n + 1);
    if (!out->data)
        return hb_fail(err, HB_EFAIL, "out of memory for %s", call);
    if (hb_nvrtc_check(api, get(p, out->data), call, err)) {
        hb_nvrtc_image_free(out);
        return HB_EFAIL;
    }
    out->data[n] = '\0';
    out->size = n;
    return HB_OK;
}

int hb_nvrtc_compile(const hb_nvrtc_api *api, const char *src, const char *name, const char *defines, int cc_major,
                     int cc_minor, int want_cubin, hb_nvrtc_image *out, hb_err *err)
{
    memset(out, 0, sizeof *out);
    if (choose(api, cc_major * 10 + cc_minor, want_cubin, out, err))
        return HB_EFAIL;
    char buf[512], arch_opt[40];
    const char *opts[MAX_OPTIONS];
    int n = split(defines, buf, sizeof buf, opts, MAX_OPTIONS - 2);
    snprintf(arch_opt, sizeof arch_opt, "-arch=%s", out->arch);
    opts[n++] = arch_opt;
    opts[n++] = "-std=c++17"; /* the hexadecimal float literals of stream.cu */
    hb_nvrtc_program p = NULL;
    char call[128];
    snprintf(call, sizeof call, "nvrtcCreateProgram(%s)", name);
    if (hb_nvrtc_check(api, api->create_program(&p, src, name, 0, NULL, NULL), call, err))
        return HB_EFAIL;
    int rc = api->compile_program(p, n, opts);
    if (rc != HB_NVRTC_SUCCESS) {
        char *log = program_log(api, p);
        const char *what = api->get_error_string ? api->get_error_string(rc) : NULL;
        char builtins[sizeof api->builtins + 64] = "";
        if (rc == HB_NVRTC_ERROR_BUILTIN_OPERATION_FAILURE)
            snprintf(builtins, sizeof builtins, "; builtins: %s",
                     api->builtins[0] ? api->builtins : "no libnvrtc-builtins.so.* beside it");
        hb_fail(err, HB_EFAIL, "nvrtcCompileProgram: %s: kernels/cuda/%s with \"%s %s\" (NVRTC %d.%d, %s%s); log:\n%s",
                what ? what : "NVRTC error", name, defines ? defines : "", arch_opt, api->major, api->minor,
                api->path, builtins, log ? log : "(none)");
        free(log);
        api->destroy_program(&p);
        return HB_EFAIL;
    }
    rc = fetch(api, p, name, out, err);
    api->destroy_program(&p);
    return rc;
}

void hb_nvrtc_image_free(hb_nvrtc_image *img)
{
    free(img->data);
    img->data = NULL;
    img->size = 0;
}
