/* SPDX-License-Identifier: Apache-2.0 */
/* peak_derived: peak = units x clock x FP lanes per unit x 2 (one FMA is two
 * FLOP), the formula of docs/peaks.md#deriving-flop-rates. Every
 * factor goes into the detail, so a reader can see which one is a guess. */
#include "peak_derived.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* FMA pipes per core: 2 on Haswell..Skylake client, AVX-512 parts with two
 * FMA units, Zen 2/3/4 (docs/peaks.md#cpu-flop-rates, StackOverflow q/15655835); not
 * detectable, so assumed and said so. */
#define HB_CPU_FMA_PORTS 2

void hb_nv_sm_rates(unsigned major, unsigned minor, unsigned *fp32_lanes, unsigned *fp64_div)
{
    /* docs/peaks.md#nvidia-lanes-and-fp64-ratios (hwloc topology-cuda.c L18-60 @2.9.0; HPCInfo
     * gpu-detect.cu): 64 FP32 lanes on sm_60/70/75/80, 128 on
     * sm_61/86/89/90/10x/12x; FP64 1/2 on sm_60/70/80/90, 1/32 on sm_75,
     * 1/64 on sm_86/89. Anything else is left unknown, not guessed. */
    static const struct { unsigned major, minor, lanes, div; } t[] = {
        {6, 0, 64, 2}, {6, 1, 128, 0}, {7, 0, 64, 2}, {7, 5, 64, 32}, {8, 0, 64, 2},
        {8, 6, 128, 64}, {8, 9, 128, 64}, {9, 0, 128, 2},
    };
    *fp32_lanes = 0;
    *fp64_div = 0;
    if (major == 10 || major == 12) {
        *fp32_lanes = 128;
        return;
    }
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (t[i].major == major && t[i].minor == minor) {
            *fp32_lanes = t[i].lanes;
            *fp64_div = t[i].div;
        }
}

/* FP32 SIMD lanes of the CPU this runs on (16 AVX-512F, 8 AVX2/AVX, 4 SSE),
 * *ext naming the extension; 0 on other architectures. */
static unsigned hb_cpu_fp32_lanes(const char **ext)
{
#if defined(__x86_64__) || defined(__i386__)
    /* CPU devices (PoCL) run on this host, so the host's flags are theirs. */
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) {
        *ext = "AVX-512F";
        return 16;
    }
    if (__builtin_cpu_supports("avx2") || __builtin_cpu_supports("avx")) {
        *ext = __builtin_cpu_supports("avx2") ? "AVX2" : "AVX";
        return 8;
    }
    if (__builtin_cpu_supports("sse")) {
        *ext = "SSE";
        return 4;
    }
#endif
    *ext = "none known";
    return 0;
}

static void set_derived(hb_peak_value *v, double gflops)
{
    v->value = gflops;
    v->src = HB_PEAK_DERIVED;
}

static void derive_cpu(const hb_device *dev, hb_peak_value *fp32, hb_peak_value *fp64,
                       char *why, size_t whylen)
{
    static const char *const tail = "clock is the OpenCL driver's report (PoCL reports the "
                                    "current or nominal MHz); FMA port count assumed 2";
    const char *ext = NULL;
    unsigned lanes = hb_cpu_fp32_lanes(&ext);
    /* PoCL's compute units are hardware threads (docs/peaks.md#cpu-flop-rates), so prefer
     * hwloc's physical cores: SMT threads share the FMA units. */
    unsigned cores = dev->n_cores ? dev->n_cores : dev->compute_units;
    const char *what = dev->n_cores ? "physical cores" : "compute units (no core count)";
    unsigned mhz = dev->max_clock_mhz;

    if (!lanes || !cores || !mhz) {
        snprintf(why, whylen, "derived: needs cores (%u), clock (%u MHz) and SIMD width (%s)",
                 cores, mhz, ext);
        return;
    }
    set_derived(fp32, cores * (double)mhz * lanes * HB_CPU_FMA_PORTS * 2 / 1e3);
    snprintf(fp32->detail, sizeof fp32->detail,
             "derived: %u %s x %u MHz x %u fp32 lanes (%s) x %d FMA ports x 2 FLOP/FMA; %s",
             cores, what, mhz, lanes, ext, HB_CPU_FMA_PORTS, tail);
    set_derived(fp64, fp32->value / 2);
    snprintf(fp64->detail, sizeof fp64->detail,
             "derived: %u %s x %u MHz x %u fp64 lanes (%s) x %d FMA ports x 2 FLOP/FMA; %s",
             cores, what, mhz, lanes / 2, ext, HB_CPU_FMA_PORTS, tail);
}

static void derive_nvidia(const hb_device *dev, hb_peak_value *fp32, hb_peak_value *fp64,
                          char *why, size_t whylen)
{
    unsigned major = (unsigned)dev->cc_major, minor = (unsigned)dev->cc_minor, lanes, div;
    double base;

    if (!major) {
        snprintf(why, whylen, "derived: the driver gives no NVIDIA compute capability");
        return;
    }
    hb_nv_sm_rates(major, minor, &lanes, &div);
    if (!lanes || !dev->compute_units || !dev->max_clock_mhz) {
        snprintf(why, whylen, "derived: no FP32 lanes per SM known for sm_%u%u, or no SM "
                 "count or clock", major, minor);
        return;
    }
    base = dev->compute_units * (double)dev->max_clock_mhz * 2 / 1e3;
    set_derived(fp32, base * lanes);
    snprintf(fp32->detail, sizeof fp32->detail,
             "derived: %u SMs x %u fp32 lanes/SM (sm_%u%u) x %u MHz (OpenCL max clock) x "
             "2 FLOP/FMA", dev->compute_units, lanes, major, minor, dev->max_clock_mhz);
    if (!div) {
        snprintf(why, whylen, "derived: FP64 rate of sm_%u%u not in the table", major, minor);
        return;
    }
    set_derived(fp64, base * lanes / div);
    snprintf(fp64->detail, sizeof fp64->detail,
             "derived: %u SMs x %u fp32 lanes/SM x 1/%u fp64 rate (sm_%u%u) x %u MHz "
             "(OpenCL max clock) x 2 FLOP/FMA",
             dev->compute_units, lanes, div, major, minor, dev->max_clock_mhz);
}

void hb_peak_derive(const hb_device *dev, hb_peak_value *fp32, hb_peak_value *fp64,
                    char *why, size_t whylen)
{
    fp32->value = fp64->value = NAN;
    fp32->src = fp64->src = HB_PEAK_UNKNOWN;
    fp32->detail[0] = fp64->detail[0] = '\0';
    if (why && whylen)
        why[0] = '\0';
    if (hb_device_on_host_memory(dev))
        derive_cpu(dev, fp32, fp64, why, whylen);
    else if (strcasestr(dev->vendor, "NVIDIA"))
        derive_nvidia(dev, fp32, fp64, why, whylen);
    else
        snprintf(why, whylen, "derived: no per-unit rate known for this vendor");
}
