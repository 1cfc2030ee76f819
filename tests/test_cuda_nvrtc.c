/* SPDX-License-Identifier: Apache-2.0 */
/* Every CUDA kernel in every tuning variant compiles with NVRTC: the
 * embedded kernels/cuda/stream.cu, for each distinct set of -D options of
 * the full tuning grids (arrays and reductions, f32 and f64), as PTX for
 * compute capability 9.0 with every kernel's entry point present; one
 * CUBIN where this NVRTC makes them; the oldest architecture it supports;
 * and a variant the source refuses, whose log must reach the error.
 * Needs NVRTC, not a GPU: exits 77 (skipped) where NVRTC does not load. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "cuda_geometry.h"
#include "cuda_nvrtc.h"
#include "embedded.h"
#include "stream.h"

#define MAX_SETS 256

static int seen(char (*sets)[128], int n, const char *d)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(sets[i], d))
            return 1;
    return 0;
}

/* Every distinct option set of the full grids. */
static int option_sets(char (*sets)[128])
{
    int n = 0;
    hb_cu_stream_cfg c[128];
    for (int red = 0; red <= 1; red++)
        for (int f64 = 0; f64 <= 1; f64++) {
            int k = hb_cu_stream_grid(red, f64, 2, c, 128);
            for (int i = 0; i < k && n < MAX_SETS; i++) {
                char d[128];
                hb_cu_cfg_defines(&c[i], f64, d, sizeof d);
                if (!seen(sets, n, d))
                    snprintf(sets[n++], 128, "%s", d);
            }
        }
    return n;
}

/* The kernels the model looks up by name: the benches, init and fill64. */
static int has_entries(const char *ptx, char *missing, size_t len)
{
    const char *names[HB_STREAM_NKINDS + 2];
    for (int k = 0; k < HB_STREAM_NKINDS; k++)
        names[k] = hb_stream_facts[k].name;
    names[HB_STREAM_NKINDS] = "init";
    names[HB_STREAM_NKINDS + 1] = "fill64";
    for (int k = 0; k < HB_STREAM_NKINDS + 2; k++) {
        char entry[64];
        snprintf(entry, sizeof entry, ".entry %s(", names[k]);
        if (!strstr(ptx, entry)) {
            snprintf(missing, len, "%s", names[k]);
            return 0;
        }
    }
    return 1;
}

int main(void)
{
    hb_nvrtc_api api;
    char why[1024];
    if (!hb_nvrtc_api_load(&api, why, sizeof why)) {
        printf("SKIP: %s\n", why);
        return 77;
    }
    printf("NVRTC %d.%d from %s\n", api.major, api.minor, api.path);
    size_t len = 0;
    const char *src = hb_embedded_find("stream.cu", &len);
    CHECK(src && len > 0, "stream.cu is embedded");
    if (!src)
        return hb_check_failures() != 0;
    static char sets[MAX_SETS][128];
    int n = option_sets(sets);
    CHECK(n >= 40, "%d distinct option sets in the full grids", n);
    for (int i = 0; i < n; i++) {
        hb_nvrtc_image img;
        hb_err e = {0};
        char missing[32] = "";
        int rc = hb_nvrtc_compile(&api, src, "stream.cu", sets[i], 9, 0, 0, &img, &e);
        CHECK(!rc && !img.cubin && !strcmp(img.arch, "compute_90") && has_entries(img.data, missing, sizeof missing),
              "%s: PTX for compute_90 with every kernel%s%s%s", sets[i], missing[0] ? " (missing " : "", missing,
              rc ? e.msg : missing[0] ? ")" : "");
        if (!rc)
            hb_nvrtc_image_free(&img);
    }

    hb_nvrtc_image img;
    hb_err e = {0};
    int rc = hb_nvrtc_compile(&api, src, "stream.cu", sets[0], 9, 0, 1, &img, &e);
    if (api.get_cubin) {
        CHECK(!rc && img.cubin && !strcmp(img.arch, "sm_90") && img.size > 4 && !memcmp(img.data, "\177ELF", 4),
              "CUBIN for sm_90 is an ELF image%s%s", rc ? ": " : "", rc ? e.msg : "");
    } else {
        CHECK(!rc && !img.cubin, "this NVRTC makes no CUBIN: PTX instead");
    }
    if (!rc)
        hb_nvrtc_image_free(&img);

    int archs[64], na = 0;
    if (api.get_num_supported_archs && api.get_num_supported_archs(&na) == HB_NVRTC_SUCCESS && na > 0 && na <= 64 &&
        api.get_supported_archs(archs) == HB_NVRTC_SUCCESS) {
        rc = hb_nvrtc_compile(&api, src, "stream.cu", sets[n - 1], archs[0] / 10, archs[0] % 10, 1, &img, &e);
        CHECK(!rc, "the oldest architecture NVRTC supports (sm_%d) builds too%s%s", archs[0], rc ? ": " : "",
              rc ? e.msg : "");
        if (!rc)
            hb_nvrtc_image_free(&img);
        rc = hb_nvrtc_compile(&api, src, "stream.cu", sets[0], 1, 0, 1, &img, &e);
        CHECK(rc == HB_EFAIL && strstr(e.msg, "supports no architecture"), "a GPU older than NVRTC supports: %s",
              e.msg);
    }

    rc = hb_nvrtc_compile(&api, src, "stream.cu", "-DHB_F64=1 -DHB_VEC=4 -DHB_ILP=1 -DHB_LOOP=1 -DHB_ATOMIC=0", 9,
                          0, 0, &img, &e);
    CHECK(rc == HB_EFAIL && strstr(e.msg, "nvrtcCompileProgram: NVRTC_ERROR_COMPILATION") &&
              strstr(e.msg, "f64 runs with HB_VEC 1 or 2"), "a refused variant names the error and shows the log");
    return hb_check_failures() != 0;
}
