/* SPDX-License-Identifier: Apache-2.0 */
/* opencl_clblast: CLBlast's SGEMM/DGEMM (github.com/CNugteren/CLBlast, C API
 * clblast_c.h) on the same device, problems and inputs as our GEMM, as a
 * library reference row: implementation "clblast", verified the same way.
 * Built only when CMake finds CLBlast (HB_HAVE_CLBLAST).
 *
 * Timing: CLBlast may run several kernels per call (its "indirect" GEMM
 * pads and transposes first) and returns only the last one's event, so
 * each call is timed with the host clock between clFinish calls instead
 * (timer "host-clock"); that includes its launch overhead, tens of
 * microseconds on PoCL (docs/pocl.md). CLBlast computes in place, so C0 is copied into C before each
 * call, outside the timed region. Its tuning is its own: a device missing
 * from its database runs its defaults (CLBlast README, "tuning").
 *
 * CLBlast compiles its kernels inside its first call for a device and
 * precision (and keeps them in its own cache): prepare makes that call,
 * untimed, with fd 2 captured (cl_env.h, hb_cl_captured), so what the
 * OpenCL compiler prints goes to the build log, not the terminal. */
#ifdef HB_HAVE_CLBLAST
#include <clblast_c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cl_util.h"
#include "hb_clock.h"
#include "opencl_kernels.h"
#include "gemm.h"

static int clb_configs(const hb_bench_ctx *ctx, hb_params *out, int max)
{
    (void)max;
    hb_params_clear(&out[0]);
    hb_params_set_text(&out[0], "routine", ctx->dtype == HB_F64 ? "CLBlastDgemm" : "CLBlastSgemm");
    hb_params_set_text(&out[0], "layout", "row-major");
    return 1;
}


static int status_error(CLBlastStatusCode s, const char *routine, hb_err *err)
{
    /* Codes above -1000 are OpenCL's own (clblast_c.h). */
    if (s > -1000)
        return hb_fail(err, HB_EFAIL, "%s: %s (%d)", routine, hb_cl_error_name((cl_int)s), (int)s);
    return hb_fail(err, HB_EFAIL, "%s: CLBlast status %d (see clblast_c.h)", routine, (int)s);
}

static int clb_run_timed(hb_bench_ctx *ctx, double *seconds, hb_err *err);

typedef struct clb_first_call {
    hb_bench_ctx *ctx;
    hb_err *err;
} clb_first_call;

static int first_call(void *arg)
{
    clb_first_call *c = arg;
    double ignored;
    return clb_run_timed(c->ctx, &ignored, c->err);
}

static int clb_prepare(hb_bench_ctx *ctx, const hb_params *cfg, hb_err *err)
{
    (void)cfg;
    char what[96];
    snprintf(what, sizeof what, "CLBlast's first %s call (it compiles its kernels)",
             ctx->dtype == HB_F64 ? "DGEMM" : "SGEMM");
    clb_first_call c = {ctx, err};
    return hb_cl_captured(what, first_call, &c);
}

static int clb_run_timed(hb_bench_ctx *ctx, double *seconds, hb_err *err)
{
    hb_gemm_data *st = ctx->data;
    cl_command_queue q = ctx->env->queue;
    cl_mem a = hb_cl_mem(&st->a), b = hb_cl_mem(&st->b), c = hb_cl_mem(&st->c), d = hb_cl_mem(&st->d);
    size_t m = (size_t)st->m, n = (size_t)st->n, k = (size_t)st->k;
    if (hb_cl_check(clEnqueueCopyBuffer(q, c, d, 0, 0, m * n * ctx->elem_bytes, 0, NULL, NULL),
                    "clEnqueueCopyBuffer(C0 to C)", err) ||
        hb_cl_check(clFinish(q), "clFinish(C0 to C)", err))
        return HB_EFAIL;
    cl_event ev = NULL;
    const char *routine = ctx->dtype == HB_F64 ? "CLBlastDgemm" : "CLBlastSgemm";
    double t0 = hb_now_s();
    CLBlastStatusCode s =
        ctx->dtype == HB_F64
            ? CLBlastDgemm(CLBlastLayoutRowMajor, CLBlastTransposeNo, CLBlastTransposeNo, m, n, k, HB_GEMM_ALPHA,
                           a, 0, k, b, 0, n, HB_GEMM_BETA, d, 0, n, &q, &ev)
            : CLBlastSgemm(CLBlastLayoutRowMajor, CLBlastTransposeNo, CLBlastTransposeNo, m, n, k,
                           (float)HB_GEMM_ALPHA, a, 0, k, b, 0, n, (float)HB_GEMM_BETA, d, 0, n, &q,
                           &ev);
    if (s != CLBlastSuccess)
        return status_error(s, routine, err);
    int rc = hb_cl_check(clFinish(q), "clFinish(CLBlast)", err);
    *seconds = hb_now_s() - t0;
    if (ev)
        clReleaseEvent(ev);
    return rc;
}

const hb_kernels hb_cl_clblast_kernels = {
    .family = "gemm", .implementation = "clblast", .dtypes = HB_DTYPE_BIT(HB_F32) | HB_DTYPE_BIT(HB_F64),
    .timer = "host-clock", .configs = clb_configs, .prepare = clb_prepare, .run_timed = clb_run_timed,
};
#else
/* Without CLBlast this file declares nothing else (ISO C wants one declaration). */
typedef int hb_gemm_clblast_absent;
#endif
