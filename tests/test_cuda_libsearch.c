/* SPDX-License-Identifier: Apache-2.0 */
/* The search for the driver's libraries (runner/core/dl_search.h), shared
 * by libcuda.so.1 (cuda_api.c) and libnvidia-ml.so.1 (nvml_api.c): by
 * soname through the loader's path, then in the folders container images
 * use; a library that opens but is refused (the toolkit's stub) does not
 * end the search; the file loaded is recorded; when none loads, the
 * message names every place tried. The candidates are copies of the mock
 * driver (argv[1], tests/mock_cuda/mock_libcuda.c) under a soname no
 * loader path has, in folders made here. Then the real loaders' messages
 * on this machine (skipped where a driver or NVML is installed). */
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "cuda_api.h"
#include "dl_search.h"
#include "nvml_api.h"

#define SONAME "libhb-search-test.so.1"

static int copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = in ? fopen(to, "wb") : NULL;
    char buf[65536];
    size_t n;
    int ok = in && out;
    while (ok && (n = fread(buf, 1, sizeof buf, in)) > 0)
        ok = fwrite(buf, 1, n, out) == n;
    if (in)
        fclose(in);
    if (out && fclose(out))
        ok = 0;
    return ok;
}

/* Refuses the copy in folder "a/" (as the stub is refused), and checks
 * that what it accepts is the mock driver: cuInit resolves and succeeds. */
static int accept_mock(void *lib, const char *path, void *arg, char *why, size_t len)
{
    (*(int *)arg)++;
    if (strstr(path, "/a/")) {
        snprintf(why, len, "%s: refused by the test", path);
        return 0;
    }
    int (*init)(unsigned) = (int (*)(unsigned))dlsym(lib, "cuInit");
    if (!init || init(0) != 0) {
        snprintf(why, len, "%s: no working cuInit", path);
        return 0;
    }
    return 1;
}

static void test_search(const char *mock, const char *tmp)
{
    char none[PATH_MAX], a[PATH_MAX], b[PATH_MAX], file[PATH_MAX + 32], path[PATH_MAX], why[1024];
    snprintf(none, sizeof none, "%s/none", tmp);
    snprintf(a, sizeof a, "%s/a", tmp);
    snprintf(b, sizeof b, "%s/b", tmp);
    mkdir(a, 0700);
    mkdir(b, 0700);
    snprintf(file, sizeof file, "%s/%s", a, SONAME);
    int ok = copy_file(mock, file);
    snprintf(file, sizeof file, "%s/%s", b, SONAME);
    ok = ok && copy_file(mock, file);
    CHECK(ok, "two copies of the mock driver under %s in %s/{a,b}", SONAME, tmp);

    int calls = 0;
    const char *const dirs[] = {none, a, b, NULL};
    hb_dl_search s = {.soname = SONAME, .dirs = dirs, .accept = accept_mock, .arg = &calls};
    void *lib = hb_dl_open_search(&s, path, sizeof path, why, sizeof why);
    CHECK(lib && !strcmp(path, file) && calls == 2 && s.refused == 1,
          "not on the loader path, absent from none/, refused in a/: loaded from b/ (%s), the file recorded",
          lib ? path : why);
    if (lib)
        dlclose(lib);

    const char *const only_a[] = {none, a, NULL};
    s.dirs = only_a;
    lib = hb_dl_open_search(&s, path, sizeof path, why, sizeof why);
    char want[2 * PATH_MAX + 160];
    snprintf(want, sizeof want, "%s/%s: refused by the test; %s not found in the loader path, %s", a, SONAME, SONAME,
             none);
    CHECK(!lib && s.refused == 1 && !strcmp(why, want), "refused and absent, every place named: %s", why);

    const char *const empty[] = {none, NULL};
    s.dirs = empty;
    lib = hb_dl_open_search(&s, path, sizeof path, why, sizeof why);
    snprintf(want, sizeof want, "%s not found in the loader path, %s", SONAME, none);
    CHECK(!lib && s.refused == 0 && !strcmp(why, want), "nowhere: %s", why);

    /* the environment variable names the one file to use (one of the
     * table's, runner/core/env.c: no other is ever read) */
    s.env = "HB_LIBNVML";
    setenv(s.env, file, 1);
    calls = 0;
    lib = hb_dl_open_search(&s, path, sizeof path, why, sizeof why);
    CHECK(lib && !strcmp(path, file) && calls == 1, "the override first, whatever the folders: %s", lib ? path : why);
    if (lib)
        dlclose(lib);
    setenv(s.env, none, 1);
    s.dirs = dirs;
    lib = hb_dl_open_search(&s, path, sizeof path, why, sizeof why);
    CHECK(!lib && !strncmp(why, "HB_LIBNVML: ", 12) && strstr(why, none),
          "an override that does not load is not searched around: %s", why);
    unsetenv(s.env);
    CHECK(hb_dl_vendor_dirs[0] && !strcmp(hb_dl_vendor_dirs[0], "/usr/local/nvidia/lib64") &&
              !strcmp(hb_dl_vendor_dirs[1], "/usr/lib/x86_64-linux-gnu") && !strcmp(hb_dl_vendor_dirs[2], "/usr/lib64") &&
              !hb_dl_vendor_dirs[3], "the folders container images use, in order");
}

/* The real loaders: the file loaded, or every place tried. */
static void test_loaders(const char *mock)
{
    char why[1024];
    hb_cu_api cu;
    setenv("HB_LIBCUDA", mock, 1);
    CHECK(hb_cu_api_load(&cu, why, sizeof why) && !strcmp(cu.path, mock), "HB_LIBCUDA: the mock driver, %s",
          cu.path);
    unsetenv("HB_LIBCUDA");
    if (hb_cu_api_load(&cu, why, sizeof why))
        printf("SKIP the no-driver message: a driver loaded from %s\n", cu.path);
    else
        CHECK(strstr(why, "libcuda.so.1 not found in the loader path, /usr/local/nvidia/lib64, "
                          "/usr/lib/x86_64-linux-gnu, /usr/lib64") != NULL, "no driver: %s", why);
    hb_nvml_api nv;
    unsetenv("HB_LIBNVML");
    if (hb_nvml_load(&nv, why, sizeof why)) {
        printf("SKIP the no-NVML message: NVML loaded from %s\n", nv.path);
        hb_nvml_unload(&nv);
    } else {
        CHECK(!strcmp(why, "NVML: libnvidia-ml.so.1 not found in the loader path, /usr/local/nvidia/lib64, "
                           "/usr/lib/x86_64-linux-gnu, /usr/lib64") || strstr(why, "refused") || strstr(why, "NVML_ERROR"),
              "no NVML: %s", why);
    }
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        printf("usage: test_cuda_libsearch MOCK_LIBCUDA\n");
        return 2;
    }
    char mock[PATH_MAX], tmp[] = "/tmp/hb_libsearch.XXXXXX";
    if (!realpath(argv[1], mock) || !mkdtemp(tmp)) {
        printf("FAIL no mock driver at %s or no temporary folder\n", argv[1]);
        return 1;
    }
    test_search(mock, tmp);
    test_loaders(mock);
    char cmd[PATH_MAX + 16];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    if (system(cmd) != 0)
        printf("note: %s left behind\n", tmp);
    return hb_check_failures() != 0;
}
