/* SPDX-License-Identifier: Apache-2.0 */
/* NVRTC opened from a folder the loader does not search ($HB_NVRTC, as for
 * $CUDA_HOME/lib64 or a pip wheel's nvidia/cuda_nvrtc/lib) compiles: the
 * libnvrtc-builtins.so.* beside it is loaded first (cuda_api.c), so
 * NVRTC's own dlopen by soname finds it. The folder is made here, links to
 * the toolkit's libnvrtc and builtins; LD_LIBRARY_PATH must not reach the
 * toolkit (tests/cuda.cmake empties it). Where the toolkit is also in
 * ld.so.cache (this machine's /etc/ld.so.conf.d), a compile would succeed
 * without the fix, so the test checks which builtins file is loaded after
 * the compile: the folder's, and no other (dl_iterate_phdr names each
 * object by the path it was opened with). Exits 77 (skipped) without a
 * toolkit. */
#include <glob.h>
#include <limits.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "cuda_geometry.h"
#include "cuda_nvrtc.h"
#include "embedded.h"

typedef struct loaded {
    char from_dir[PATH_MAX], elsewhere[PATH_MAX];
    const char *dir;
} loaded;

static int each_object(struct dl_phdr_info *info, size_t size, void *arg)
{
    (void)size;
    loaded *l = arg;
    const char *name = info->dlpi_name ? info->dlpi_name : "";
    const char *base = strrchr(name, '/');
    if (!strstr(base ? base : name, "libnvrtc-builtins"))
        return 0;
    size_t n = strlen(l->dir);
    if (!strncmp(name, l->dir, n) && name[n] == '/')
        snprintf(l->from_dir, sizeof l->from_dir, "%s", name);
    else
        snprintf(l->elsewhere, sizeof l->elsewhere, "%s", name);
    return 0;
}

/* Links dir/<name> to every file of the toolkit matching pattern; how many. */
static int link_all(const char *pattern, const char *dir)
{
    glob_t g;
    int n = 0;
    if (glob(pattern, 0, NULL, &g) != 0)
        return 0;
    for (size_t i = 0; i < g.gl_pathc; i++) {
        char to[PATH_MAX + 64];
        const char *base = strrchr(g.gl_pathv[i], '/');
        snprintf(to, sizeof to, "%s%s", dir, base);
        n += symlink(g.gl_pathv[i], to) == 0;
    }
    globfree(&g);
    return n;
}

static const char *toolkit_lib(void)
{
    static char dir[PATH_MAX];
    const char *home = getenv("CUDA_HOME");
    snprintf(dir, sizeof dir, "%s/lib64", home && home[0] ? home : "/usr/local/cuda");
    char probe[PATH_MAX + 32];
    snprintf(probe, sizeof probe, "%s/libnvrtc.so", dir);
    return access(probe, R_OK) == 0 ? dir : NULL;
}

int main(void)
{
    const char *lib = toolkit_lib();
    if (!lib) {
        printf("SKIP: no CUDA toolkit (libnvrtc.so in $CUDA_HOME/lib64 or /usr/local/cuda/lib64)\n");
        return 77;
    }
    const char *ldpath = getenv("LD_LIBRARY_PATH");
    CHECK(!ldpath || !strstr(ldpath, "cuda"), "LD_LIBRARY_PATH does not reach the toolkit: \"%s\"",
          ldpath ? ldpath : "");
    char dir[] = "/tmp/hb_nvrtc_dir.XXXXXX", pattern[PATH_MAX + 64], file[PATH_MAX + 64];
    if (!mkdtemp(dir)) {
        printf("FAIL no temporary folder\n");
        return 1;
    }
    snprintf(pattern, sizeof pattern, "%s/libnvrtc.so*", lib);
    int n_nvrtc = link_all(pattern, dir);
    snprintf(pattern, sizeof pattern, "%s/libnvrtc-builtins.so*", lib);
    int n_builtins = link_all(pattern, dir);
    CHECK(n_nvrtc > 0 && n_builtins > 0, "%d libnvrtc and %d builtins files linked into %s", n_nvrtc, n_builtins, dir);
    snprintf(file, sizeof file, "%s/libnvrtc.so", dir);
    setenv("HB_NVRTC", file, 1);
    unsetenv("CUDA_HOME");
    unsetenv("CUDA_PATH");

    hb_nvrtc_api api;
    char why[1024];
    int ok = hb_nvrtc_api_load(&api, why, sizeof why);
    CHECK(ok, "NVRTC loads from HB_NVRTC=%s: %s", file, ok ? api.path : why);
    if (ok) {
        size_t n = strlen(dir);
        CHECK(!strncmp(api.builtins, dir, n) && api.builtins[n] == '/' && api.builtins_lib,
              "the builtins beside it were loaded first: %s", api.builtins);
        size_t len = 0;
        const char *src = hb_embedded_find("stream.cu", &len);
        hb_nvrtc_image img;
        hb_err err = {0};
        hb_cu_stream_cfg cfg[128];
        char defines[128] = "";
        if (hb_cu_stream_grid(0, 0, 1, cfg, 128) > 0) /* the default point */
            hb_cu_cfg_defines(&cfg[0], 0, defines, sizeof defines);
        int rc = src ? hb_nvrtc_compile(&api, src, "stream.cu", defines, 9, 0, 0, &img, &err)
                     : hb_fail(&err, HB_EFAIL, "stream.cu not embedded");
        CHECK(rc == HB_OK && img.size > 0, "stream.cu compiles (NVRTC %d.%d): %s", api.major, api.minor,
              rc ? err.msg : img.cubin ? "CUBIN" : "PTX");
        if (!rc)
            hb_nvrtc_image_free(&img);
        loaded l = {.dir = dir};
        dl_iterate_phdr(each_object, &l);
        CHECK(l.from_dir[0] && !l.elsewhere[0], "the builtins in use are the folder's (%s), none other (%s)",
              l.from_dir[0] ? l.from_dir : "none", l.elsewhere[0] ? l.elsewhere : "none");
    }
    char cmd[PATH_MAX + 16];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        printf("note: %s left behind\n", dir);
    return hb_check_failures() != 0;
}
