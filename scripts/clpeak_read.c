/* SPDX-License-Identifier: Apache-2.0 */
/* clpeak_read: global-memory read bandwidth the way clpeak measures it, for
 * scripts/bench_cpu_peers.sh to set beside hbmbench's read and dot.
 *
 * The idea is clpeak's global bandwidth test (github.com/krrishnarraj/clpeak,
 * src/global_bandwidth.cpp and src/kernels/global_bandwidth_kernels.cl),
 * written here afresh: each work-item sums FETCH = 16 float16 vectors and
 * writes one float, so no load is dead. Two access patterns, as clpeak has:
 *   local offset:  work-item w of group g loads A[g*local*16 + w + i*local]
 *   global offset: work-item n loads A[n + i*global]
 * for i in 0..15; either way the whole array is read exactly once. Bytes =
 * the array's bytes, GB = 1e9 B. Local size: the device's largest work-group
 * (as clpeak), 256 if that launch is refused; global size = floats / 16 / 16.
 * Times: OpenCL profiling events, 1 warm-up + K timed launches. Prints '#'
 * lines (device, sizes, both variants) and "read best_GB/s median_GB/s" for
 * the variant with the better best.
 *
 * Build: cc -O2 -o clpeak_read scripts/clpeak_read.c -lOpenCL
 * Usage: clpeak_read [--device INDEX] [--mib M] [--iters K]
 *   INDEX counts devices across all platforms in order (default 0);
 *   M MiB of floats (default 128); K timed launches (default 20). */
#define CL_TARGET_OPENCL_VERSION 300
#include <CL/cl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FETCH 16 /* float16 loads per work-item, clpeak's FETCH_PER_WI */

static const char *source =
    "#define FETCH 16\n"
    "static float hsum(float16 s)\n"
    "{\n"
    "    float8 a = s.lo + s.hi;\n"
    "    float4 b = a.lo + a.hi;\n"
    "    float2 c = b.lo + b.hi;\n"
    "    return c.x + c.y;\n"
    "}\n"
    "__kernel void read_local(__global const float16 *a, __global float *out)\n"
    "{\n"
    "    size_t step = get_local_size(0);\n"
    "    size_t at = get_group_id(0) * step * FETCH + get_local_id(0);\n"
    "    float16 s = 0.0f;\n"
    "    for (int i = 0; i < FETCH; i++)\n"
    "        s += a[at + i * step];\n"
    "    out[get_global_id(0)] = hsum(s);\n"
    "}\n"
    "__kernel void read_global(__global const float16 *a, __global float *out)\n"
    "{\n"
    "    size_t step = get_global_size(0);\n"
    "    size_t at = get_global_id(0);\n"
    "    float16 s = 0.0f;\n"
    "    for (int i = 0; i < FETCH; i++)\n"
    "        s += a[at + i * step];\n"
    "    out[get_global_id(0)] = hsum(s);\n"
    "}\n";

/* The codes this program can meet (the OpenCL 3.0 spec's error list). */
static const char *cl_name(cl_int rc)
{
    switch (rc) {
#define N(c) case c: return #c;
        N(CL_DEVICE_NOT_FOUND) N(CL_DEVICE_NOT_AVAILABLE) N(CL_COMPILER_NOT_AVAILABLE)
        N(CL_MEM_OBJECT_ALLOCATION_FAILURE) N(CL_OUT_OF_RESOURCES) N(CL_OUT_OF_HOST_MEMORY)
        N(CL_PROFILING_INFO_NOT_AVAILABLE) N(CL_BUILD_PROGRAM_FAILURE) N(CL_INVALID_VALUE)
        N(CL_INVALID_DEVICE) N(CL_INVALID_CONTEXT) N(CL_INVALID_QUEUE_PROPERTIES)
        N(CL_INVALID_COMMAND_QUEUE) N(CL_INVALID_MEM_OBJECT) N(CL_INVALID_PROGRAM)
        N(CL_INVALID_PROGRAM_EXECUTABLE) N(CL_INVALID_KERNEL_NAME) N(CL_INVALID_KERNEL)
        N(CL_INVALID_ARG_INDEX) N(CL_INVALID_ARG_VALUE) N(CL_INVALID_ARG_SIZE)
        N(CL_INVALID_KERNEL_ARGS) N(CL_INVALID_WORK_DIMENSION) N(CL_INVALID_WORK_GROUP_SIZE)
        N(CL_INVALID_WORK_ITEM_SIZE) N(CL_INVALID_GLOBAL_WORK_SIZE) N(CL_INVALID_EVENT)
        N(CL_INVALID_BUFFER_SIZE) N(CL_INVALID_PLATFORM)
#undef N
    case -1001: return "CL_PLATFORM_NOT_FOUND_KHR"; /* the ICD loader: no platform (cl_khr_icd, cl_ext.h) */
    default: return "unlisted OpenCL error";
    }
}

static void check(cl_int rc, const char *what)
{
    if (rc != CL_SUCCESS) {
        fprintf(stderr, "clpeak_read: %s: %s (%d)\n", what, cl_name(rc), (int)rc);
        exit(1);
    }
}
#define CHECK(call) check((call), #call)

static cl_device_id pick(int want)
{
    cl_platform_id plats[16];
    cl_uint np = 0;
    CHECK(clGetPlatformIDs(16, plats, &np));
    int seen = 0;
    for (cl_uint p = 0; p < np && p < 16; p++) {
        cl_device_id devs[64];
        cl_uint nd = 0;
        cl_int rc = clGetDeviceIDs(plats[p], CL_DEVICE_TYPE_ALL, 64, devs, &nd);
        if (rc == CL_DEVICE_NOT_FOUND)
            continue; /* a platform with no device is not an error */
        check(rc, "clGetDeviceIDs");
        for (cl_uint d = 0; d < nd && d < 64; d++, seen++)
            if (seen == want)
                return devs[d];
    }
    fprintf(stderr, "clpeak_read: no OpenCL device %d (%d found)\n", want, seen);
    exit(1);
}

static int cmp(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* One launch, its device time in seconds; the launch's own code is returned
 * so the caller can retry a refused work-group size. */
static cl_int launch(cl_command_queue q, cl_kernel k, size_t global, size_t local, double *sec)
{
    cl_event ev;
    cl_int rc = clEnqueueNDRangeKernel(q, k, 1, NULL, &global, &local, 0, NULL, &ev);
    if (rc != CL_SUCCESS)
        return rc;
    CHECK(clWaitForEvents(1, &ev));
    cl_ulong t0, t1;
    CHECK(clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_START, sizeof t0, &t0, NULL));
    CHECK(clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_END, sizeof t1, &t1, NULL));
    CHECK(clReleaseEvent(ev));
    *sec = (double)(t1 - t0) * 1e-9;
    return CL_SUCCESS;
}

/* Largest divisor of global not above cap (global is a multiple of 16). */
static size_t fit(size_t global, size_t cap)
{
    size_t local = cap < global ? cap : global;
    while (global % local)
        local--;
    return local;
}

/* Times one variant; fills best/median GB/s. Every work-item's sum of 256
 * ones must be 256, which also proves every load happened. */
static void measure(cl_command_queue q, cl_kernel k, cl_device_id dev, cl_mem out, size_t global, double bytes,
                    int iters, double gbs[2])
{
    size_t dmax = 0, kmax = 0;
    CHECK(clGetDeviceInfo(dev, CL_DEVICE_MAX_WORK_GROUP_SIZE, sizeof dmax, &dmax, NULL));
    CHECK(clGetKernelWorkGroupInfo(k, dev, CL_KERNEL_WORK_GROUP_SIZE, sizeof kmax, &kmax, NULL));
    size_t local = fit(global, dmax < kmax ? dmax : kmax);
    double *t = malloc((size_t)iters * sizeof *t), warm;
    float *res = malloc(global * sizeof *res);
    if (!t || !res) {
        fprintf(stderr, "clpeak_read: out of memory\n");
        exit(1);
    }
    const float zero = 0.0f; /* the other variant's sums must not pass for this one's */
    CHECK(clEnqueueFillBuffer(q, out, &zero, sizeof zero, 0, global * sizeof zero, 0, NULL, NULL));
    cl_int rc = launch(q, k, global, local, &warm);
    if ((rc == CL_INVALID_WORK_GROUP_SIZE || rc == CL_OUT_OF_RESOURCES) && local > 256) {
        printf("# local size %zu refused (%s), using %zu\n", local, cl_name(rc), fit(global, 256));
        local = fit(global, 256);
        rc = launch(q, k, global, local, &warm);
    }
    check(rc, "clEnqueueNDRangeKernel");
    for (int i = 0; i < iters; i++)
        CHECK(launch(q, k, global, local, &t[i]));
    CHECK(clEnqueueReadBuffer(q, out, CL_TRUE, 0, global * sizeof *res, res, 0, NULL, NULL));
    for (size_t i = 0; i < global; i++)
        if (res[i] != 16.0f * FETCH) {
            fprintf(stderr, "clpeak_read: work-item %zu summed %g, not %g\n", i, res[i], 16.0 * FETCH);
            exit(1);
        }
    qsort(t, (size_t)iters, sizeof *t, cmp);
    gbs[0] = bytes / t[0] / 1e9;
    gbs[1] = bytes / t[(iters - 1) / 2] / 1e9;
    printf("# local size %zu, global size %zu\n", local, global);
    free(res);
    free(t);
}

static int arg_int(int argc, char **argv, int *i, const char *name)
{
    char *end;
    long v = *i + 1 < argc ? strtol(argv[*i + 1], &end, 10) : -1;
    if (*i + 1 >= argc || *end || v < 0 || v > 1 << 20) {
        fprintf(stderr, "clpeak_read: %s needs a number (usage: clpeak_read [--device INDEX] [--mib M] [--iters K])\n",
                name);
        exit(2);
    }
    ++*i;
    return (int)v;
}

int main(int argc, char **argv)
{
    int index = 0, mib = 128, iters = 20;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--device"))
            index = arg_int(argc, argv, &i, "--device");
        else if (!strcmp(argv[i], "--mib"))
            mib = arg_int(argc, argv, &i, "--mib");
        else if (!strcmp(argv[i], "--iters"))
            iters = arg_int(argc, argv, &i, "--iters");
        else {
            fprintf(stderr, "usage: clpeak_read [--device INDEX] [--mib M] [--iters K]\n");
            return 2;
        }
    }
    if (mib < 1 || iters < 1) {
        fprintf(stderr, "clpeak_read: --mib and --iters must be at least 1\n");
        return 2;
    }
    cl_device_id dev = pick(index);
    char name[256] = "";
    CHECK(clGetDeviceInfo(dev, CL_DEVICE_NAME, sizeof name, name, NULL));
    size_t bytes = (size_t)mib << 20, global = bytes / sizeof(float) / 16 / FETCH;
    cl_int rc;
    cl_context ctx = clCreateContext(NULL, 1, &dev, NULL, NULL, &rc);
    check(rc, "clCreateContext");
    cl_queue_properties props[] = {CL_QUEUE_PROPERTIES, CL_QUEUE_PROFILING_ENABLE, 0};
    cl_command_queue q = clCreateCommandQueueWithProperties(ctx, dev, props, &rc);
    check(rc, "clCreateCommandQueueWithProperties");
    cl_program prog = clCreateProgramWithSource(ctx, 1, &source, NULL, &rc);
    check(rc, "clCreateProgramWithSource");
    rc = clBuildProgram(prog, 1, &dev, "", NULL, NULL);
    if (rc != CL_SUCCESS) {
        char log[8192] = "";
        clGetProgramBuildInfo(prog, dev, CL_PROGRAM_BUILD_LOG, sizeof log, log, NULL);
        fprintf(stderr, "clpeak_read: clBuildProgram: %s (%d); build log:\n%s\n", cl_name(rc), (int)rc, log);
        return 1;
    }
    cl_mem a = clCreateBuffer(ctx, CL_MEM_READ_ONLY, bytes, NULL, &rc);
    check(rc, "clCreateBuffer");
    cl_mem out = clCreateBuffer(ctx, CL_MEM_WRITE_ONLY, global * sizeof(float), NULL, &rc);
    check(rc, "clCreateBuffer");
    const float one = 1.0f;
    CHECK(clEnqueueFillBuffer(q, a, &one, sizeof one, 0, bytes, 0, NULL, NULL));
    CHECK(clFinish(q));
    printf("# clpeak_read: device %d '%s', %d MiB of floats, float16 x %d fetches per work-item, 1 warm-up + %d "
           "timed launches\n", index, name, mib, FETCH, iters);
    static const char *kernels[2] = {"read_local", "read_global"};
    double gbs[2][2];
    for (int v = 0; v < 2; v++) {
        cl_kernel k = clCreateKernel(prog, kernels[v], &rc);
        check(rc, "clCreateKernel");
        CHECK(clSetKernelArg(k, 0, sizeof a, &a));
        CHECK(clSetKernelArg(k, 1, sizeof out, &out));
        measure(q, k, dev, out, global, (double)bytes, iters, gbs[v]);
        printf("# %s offset: best %.2f GB/s, median %.2f GB/s\n", v ? "global" : "local", gbs[v][0], gbs[v][1]);
        CHECK(clReleaseKernel(k));
    }
    int w = gbs[1][0] > gbs[0][0];
    printf("read %.2f %.2f\n", gbs[w][0], gbs[w][1]);
    CHECK(clReleaseMemObject(out));
    CHECK(clReleaseMemObject(a));
    CHECK(clReleaseProgram(prog));
    CHECK(clReleaseCommandQueue(q));
    CHECK(clReleaseContext(ctx));
    return 0;
}
