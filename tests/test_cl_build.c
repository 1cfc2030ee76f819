/* SPDX-License-Identifier: Apache-2.0 */
/* test_cl_build: a program the OpenCL compiler rejects
 * (runner/models/opencl/cl_env.c, hb_cl_program) is HB_BENCH_SKIP, the
 * tuning point's skip, with the error by name and the build log's first
 * error line first in the message (so a 128-character note holds it); the
 * rejection is cached; HB_FAULT=build takes the same path; anything else
 * (a kernel file that cannot be read) stays a failure. On PoCL's CPU
 * device; skipped (77) without one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fault.h"
#include "pocl_harness.h"
#include "check.h"


static int starts(const char *s, const char *prefix)
{
    return !strncmp(s, prefix, strlen(prefix));
}

int main(void)
{
    hb_device_list list;
    hb_device *dev;
    hb_model_env *env;
    int found = hb_test_open_cpu(&list, &dev, &env);
    if (found)
        return found;
    hb_err e = {0};
    cl_program p;

    /* HB_FAULT=build:1: the first build is rejected, as a compiler would */
    CHECK(hb_fault_init("build:1", &e) == HB_OK, "%s", e.msg);
    int rc = hb_cl_program(env, "stream.cl", "-DHB_F64=0 -DHB_NT=0", &p, &e);
    CHECK(rc == HB_BENCH_SKIP, "injected: rc %d", rc);
    CHECK(starts(e.msg, "clBuildProgram: kernels/opencl/stream.cl: failure injected by HB_FAULT=build:1 (with "),
          "injected: %s", e.msg);
    memset(&e, 0, sizeof e);
    rc = hb_cl_program(env, "stream.cl", "-DHB_F64=0 -DHB_NT=0", &p, &e);
    CHECK(rc == HB_BENCH_SKIP && strstr(e.msg, "HB_FAULT=build:1") && strstr(e.msg, "failed before in this run"),
          "cached: rc %d, %s", rc, e.msg);
    rc = hb_cl_program(env, "stream.cl", "-DHB_F64=0 -DHB_NT=1", &p, &e);
    CHECK(rc == HB_OK, "other options build: rc %d, %s", rc, e.msg);
    hb_fault_init(NULL, &e);

    /* a real rejection: a kernel folder whose stream.cl has an #error */
    char dir[] = "/tmp/hb_cl_build_XXXXXX", path[64];
    CHECK(mkdtemp(dir) != NULL, "mkdtemp");
    snprintf(path, sizeof path, "%s/stream.cl", dir);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL, "%s", path);
    if (f) {
        fputs("#error hbmbench test: this compiler rejects the program\n__kernel void k(void) {}\n", f);
        fclose(f);
    }
    env->kernel_dir = dir;
    rc = hb_cl_program(env, "stream.cl", "-DHB_TEST=1", &p, &e);
    CHECK(rc == HB_BENCH_SKIP, "rejected: rc %d, %s", rc, e.msg);
    CHECK(starts(e.msg, "clBuildProgram: CL_BUILD_PROGRAM_FAILURE: "), "rejected: %s", e.msg);
    const char *first = strstr(e.msg, "hbmbench test: this compiler rejects the program");
    CHECK(first && first - e.msg < 110, "the log's first line within a note's 110 characters: %s", e.msg);
    CHECK(!strstr(e.msg, "/hb_cl_build_") || strstr(e.msg, "/hb_cl_build_") > strstr(e.msg, "build log:"),
          "no folder before the log: %s", e.msg);
    CHECK(strstr(e.msg, "(kernels/opencl/stream.cl with \"-DHB_TEST=1\" on ") && strstr(e.msg, "; build log:\n"),
          "file, options, device and log: %s", e.msg);
    memset(&e, 0, sizeof e);
    rc = hb_cl_program(env, "stream.cl", "-DHB_TEST=1", &p, &e);
    CHECK(rc == HB_BENCH_SKIP && strstr(e.msg, "CL_BUILD_PROGRAM_FAILURE"), "cached rejection: rc %d", rc);

    /* a file that cannot be read is no compiler's verdict: a failure */
    unlink(path);
    rc = hb_cl_program(env, "stream.cl", "-DHB_TEST=2", &p, &e);
    CHECK(rc != HB_OK && rc != HB_BENCH_SKIP, "unreadable: rc %d, %s", rc, e.msg);
    rmdir(dir);

    hb_model_opencl.close(env);
    hb_device_list_free(&list);
    return hb_check_failures() != 0;
}
