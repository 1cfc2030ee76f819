/* SPDX-License-Identifier: Apache-2.0 */
/* clpeak_style: the compute peak the way clpeak measures it, for
 * scripts/bench_gemm.sh to set beside hbmbench's roofline compute ceiling.
 *
 * The kernels are clpeak's compute_sp_v16 / compute_dp_v16 shape
 * (github.com/krrishnarraj/clpeak, src/kernels/compute_sp_kernels.cl, the
 * MAD_4 form "x = mad(y, x, y); y = mad(x, y, x);"): one 16-wide vector
 * chain per work-item, 8 x MAD_16 = 4096 FLOP per work-item (clpeak's
 * workPerWI). Local size: the device's largest work-group, as clpeak; global
 * size: units x 16 work-groups (clpeak scales it to the device the same
 * way). Prints "fp32 best GFLOP/s mean GFLOP/s" and the same for fp64.
 *
 * Build: cc -O2 -o clpeak_style scripts/clpeak_style.c -lOpenCL
 * Usage: clpeak_style [DEVICE_INDEX]  (index among all OpenCL devices, as
 * `hbmbench list` numbers them; default 0). */
#define CL_TARGET_OPENCL_VERSION 300
#include <CL/cl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *source =
    "#define MAD_4(x, y) x = mad(y, x, y); y = mad(x, y, x); x = mad(y, x, y); y = mad(x, y, x);\n"
    "#define MAD_16(x, y) MAD_4(x, y); MAD_4(x, y); MAD_4(x, y); MAD_4(x, y);\n"
    "#define BODY(T)                                                                    \\\n"
    "    T##16 x = (T##16)(_A, _A + 1, _A + 2, _A + 3, _A + 4, _A + 5, _A + 6, _A + 7,     \\\n"
    "                     _A + 8, _A + 9, _A + 10, _A + 11, _A + 12, _A + 13, _A + 14, _A + 15); \\\n"
    "    T##16 y = (T##16)get_local_id(0);                                              \\\n"
    "    for (int i = 0; i < 8; i++) { MAD_16(x, y); }                                  \\\n"
    "    T##2 t = y.s01 + y.s23 + y.s45 + y.s67 + y.s89 + y.sAB + y.sCD + y.sEF;         \\\n"
    "    ptr[get_global_id(0)] = t.s0 + t.s1;\n"
    "__kernel void compute_sp_v16(__global float *ptr, float _A) { BODY(float) }\n"
    "#ifdef cl_khr_fp64\n"
    "#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n"
    "__kernel void compute_dp_v16(__global double *ptr, double _A) { BODY(double) }\n"
    "#endif\n";

#define CHECK(call)                                                                  \
    do {                                                                             \
        cl_int rc_ = (call);                                                         \
        if (rc_ != CL_SUCCESS) {                                                     \
            fprintf(stderr, "clpeak_style: %s: OpenCL error %d\n", #call, (int)rc_); \
            exit(1);                                                                 \
        }                                                                            \
    } while (0)

static cl_device_id pick(int want)
{
    cl_platform_id plats[16];
    cl_uint np = 0;
    CHECK(clGetPlatformIDs(16, plats, &np));
    int seen = 0;
    for (cl_uint p = 0; p < np; p++) {
        cl_device_id devs[64];
        cl_uint nd = 0;
        if (clGetDeviceIDs(plats[p], CL_DEVICE_TYPE_ALL, 64, devs, &nd) != CL_SUCCESS)
            continue;
        for (cl_uint d = 0; d < nd; d++, seen++)
            if (seen == want)
                return devs[d];
    }
    fprintf(stderr, "clpeak_style: no OpenCL device %d\n", want);
    exit(1);
}

static void run(cl_context ctx, cl_command_queue q, cl_program prog, cl_device_id dev, int f64)
{
    size_t local = 0;
    cl_uint units = 0;
    CHECK(clGetDeviceInfo(dev, CL_DEVICE_MAX_WORK_GROUP_SIZE, sizeof local, &local, NULL));
    CHECK(clGetDeviceInfo(dev, CL_DEVICE_MAX_COMPUTE_UNITS, sizeof units, &units, NULL));
    size_t global = (size_t)units * 16 * local;
    cl_int rc;
    cl_kernel k = clCreateKernel(prog, f64 ? "compute_dp_v16" : "compute_sp_v16", &rc);
    CHECK(rc);
    cl_mem out = clCreateBuffer(ctx, CL_MEM_WRITE_ONLY, global * (f64 ? 8 : 4), NULL, &rc);
    CHECK(rc);
    float a32 = 1.3f;
    double a64 = 1.3;
    CHECK(clSetKernelArg(k, 0, sizeof out, &out));
    CHECK(clSetKernelArg(k, 1, f64 ? sizeof a64 : sizeof a32, f64 ? (void *)&a64 : (void *)&a32));
    double best = 1e30, sum = 0;
    const int iters = 10;
    for (int i = -1; i < iters; i++) { /* one warm-up */
        cl_event ev;
        CHECK(clEnqueueNDRangeKernel(q, k, 1, NULL, &global, &local, 0, NULL, &ev));
        CHECK(clFinish(q));
        cl_ulong t0, t1;
        CHECK(clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_START, sizeof t0, &t0, NULL));
        CHECK(clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_END, sizeof t1, &t1, NULL));
        clReleaseEvent(ev);
        double s = (double)(t1 - t0) * 1e-9;
        if (i >= 0) {
            best = s < best ? s : best;
            sum += s;
        }
    }
    double flop = (double)global * 4096.0;
    printf("%s %.2f %.2f\n", f64 ? "fp64" : "fp32", flop / best / 1e9, flop / (sum / iters) / 1e9);
    clReleaseMemObject(out);
    clReleaseKernel(k);
}

int main(int argc, char **argv)
{
    cl_device_id dev = pick(argc > 1 ? atoi(argv[1]) : 0);
    cl_int rc;
    cl_context ctx = clCreateContext(NULL, 1, &dev, NULL, NULL, &rc);
    CHECK(rc);
    cl_queue_properties props[] = {CL_QUEUE_PROPERTIES, CL_QUEUE_PROFILING_ENABLE, 0};
    cl_command_queue q = clCreateCommandQueueWithProperties(ctx, dev, props, &rc);
    CHECK(rc);
    cl_program prog = clCreateProgramWithSource(ctx, 1, &source, NULL, &rc);
    CHECK(rc);
    if (clBuildProgram(prog, 1, &dev, "", NULL, NULL) != CL_SUCCESS) {
        char log[8192] = "";
        clGetProgramBuildInfo(prog, dev, CL_PROGRAM_BUILD_LOG, sizeof log, log, NULL);
        fprintf(stderr, "clpeak_style: build failed:\n%s\n", log);
        return 1;
    }
    char ext[8192] = "";
    clGetDeviceInfo(dev, CL_DEVICE_EXTENSIONS, sizeof ext, ext, NULL);
    run(ctx, q, prog, dev, 0);
    if (strstr(ext, "cl_khr_fp64"))
        run(ctx, q, prog, dev, 1);
    clReleaseProgram(prog);
    clReleaseCommandQueue(q);
    clReleaseContext(ctx);
    return 0;
}
