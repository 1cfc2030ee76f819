/* SPDX-License-Identifier: Apache-2.0 */
/* The GPU state around each measurement (runner/peaks/nvml_state.h)
 * without a GPU: the judgement of two samples (a clock that fell, a
 * slowdown reason, settings that are not slowdowns, unknowns) and of the
 * window's reasons, the reason names, the window's sampler thread against
 * the mock NVML (argv[2], tests/mock_cuda/mock_nvml.c: at least 1 s, at
 * the stated period, min < max, a median, the power cap seen, the
 * library's file), and the result's "telemetry" with its window through
 * the JSON writer and reader (the file is left for the schema check:
 * argv[1]). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "hb_clock.h"
#include "json_io.h"
#include "nvml_state.h"

static hb_gpu_state state(double sm, double mem, unsigned long long reasons)
{
    return (hb_gpu_state){sm, mem, 55, 420.5, 1, 1, reasons};
}

static hb_telemetry tel(hb_gpu_state before, hb_gpu_state after)
{
    hb_telemetry t;
    memset(&t, 0, sizeof t);
    t.present = 1;
    t.before = before;
    t.after = after;
    return t;
}

static void test_judge(void)
{
    char why[256];
    hb_telemetry t = tel(state(1980, 3201, 0), state(1980, 3201, 0));
    hb_gpu_judge(&t, why, sizeof why);
    CHECK(!t.clocks_dropped && !t.throttled && !why[0], "steady clocks, no reasons: nothing to say");
    t.after = state(1890, 3201, 0); /* -4.5% */
    hb_gpu_judge(&t, why, sizeof why);
    CHECK(!t.clocks_dropped, "a 4.5%% dip is within the 5%% allowance");
    t.after = state(1500, 3201, 0x4);
    hb_gpu_judge(&t, why, sizeof why);
    CHECK(t.clocks_dropped && t.throttled && !strcmp(why, "SM clock fell from 1980 to 1500 MHz; the GPU throttled "
                                                          "(NVML: sw_power_cap)"), "drop and power cap: %s", why);
    t.after = state(1980, 2619, 0);
    hb_gpu_judge(&t, why, sizeof why);
    CHECK(t.clocks_dropped && !t.throttled && strstr(why, "memory clock fell from 3201 to 2619 MHz"),
          "memory clock drop: %s", why);
    t.before = state(1980, 3201, 0x1 | 0x2 | 0x10 | 0x100);
    t.after = state(1980, 3201, 0x1);
    hb_gpu_judge(&t, why, sizeof why);
    CHECK(!t.throttled && !why[0], "idle, application clocks, sync boost, display clock are no slowdown");
    t.before = state(NAN, NAN, 0);
    t.before.have_reasons = 0;
    t.after = state(300, NAN, 0x40);
    hb_gpu_judge(&t, why, sizeof why);
    CHECK(!t.clocks_dropped && t.throttled && strstr(why, "hw_thermal_slowdown"),
          "unknown before: no drop claimed, the thermal reason still counts: %s", why);
    char names[128];
    hb_gpu_reason_names(0x4 | 0x80 | (1ULL << 40), names, sizeof names);
    CHECK(!strcmp(names, "sw_power_cap,hw_power_brake_slowdown,bit40"), "reason names: %s", names);
    t = tel(state(1980, 3201, 0x1), state(1980, 3201, 0x1));
    t.window.samples = 40;
    t.window.have_reasons = 1;
    t.window.reasons = 0x1 | 0x20;
    hb_gpu_judge(&t, why, sizeof why);
    CHECK(t.throttled && strstr(why, "sw_thermal_slowdown"), "a slowdown only the window saw counts: %s", why);
}

/* The window through the real sampler and the mock NVML. */
static void test_window(const char *mock)
{
    if (!mock) {
        printf("SKIP the window: no mock NVML given\n");
        return;
    }
    setenv("HB_LIBNVML", mock, 1);
    hb_device dev;
    memset(&dev, 0, sizeof dev);
    dev.kind = HB_KIND_GPU;
    dev.has_pci = 1;
    dev.pci_bus = 0xc1;
    snprintf(dev.vendor, sizeof dev.vendor, "NVIDIA Corporation");
    hb_gpu_probe *p = hb_gpu_probe_open(&dev);
    CHECK(p != NULL, "the mock NVML (HB_LIBNVML) answers for 0000:c1:00.0");
    if (!p)
        return;
    hb_telemetry t = tel(state(NAN, NAN, 0), state(NAN, NAN, 0));
    double t0 = hb_now_s();
    CHECK(hb_gpu_window_begin(p), "the sampler starts");
    struct timespec batch = {0, 30000000}; /* a 30 ms final batch */
    nanosleep(&batch, NULL);
    hb_gpu_probe_sample(p, &t.before);
    hb_gpu_probe_sample(p, &t.after);
    hb_gpu_window_end(p, &t);
    double took = hb_now_s() - t0;
    const hb_gpu_window *w = &t.window;
    printf("window: %d samples in %.3f s (ended after %.3f s); SM %.0f/%.0f/%.0f MHz, memory %.0f-%.0f MHz, "
           "%.3f W, %.0f C, reasons 0x%llx; %s\n", w->samples, w->duration_s, took, w->sm_mhz.min, w->sm_mhz.median,
           w->sm_mhz.max, w->mem_mhz.min, w->mem_mhz.max, w->power_w.median, w->temp_c.median, w->reasons, t.library);
    CHECK(took >= HB_GPU_WINDOW_S && w->duration_s >= HB_GPU_WINDOW_S && w->duration_s <= took,
          "a 30 ms batch still gets a window of at least 1 s (%.3f s; %.3f s with the set-up)", w->duration_s, took);
    /* 41 at the period; a loaded machine may delay the thread, never speed it up */
    CHECK(w->samples >= 10 && w->samples <= (int)(took / HB_GPU_PERIOD_S) + 2 && w->period_s == HB_GPU_PERIOD_S,
          "sampled at the fixed period: %d samples in %.3f s", w->samples, took);
    CHECK(w->sm_mhz.min == 1500 && w->sm_mhz.max == 1980 && w->sm_mhz.median >= 1500 && w->sm_mhz.median <= 1980,
          "SM clock min < max with a median between: %.0f / %.0f / %.0f", w->sm_mhz.min, w->sm_mhz.median,
          w->sm_mhz.max);
    CHECK(w->mem_mhz.min == 2619 && w->mem_mhz.max == 2619 && w->power_w.min == 412.345 &&
              w->power_w.max == 412.345 && w->temp_c.median == 47, "memory clock, power, temperature summarised");
    CHECK(w->have_reasons && w->reasons == 0x4, "every throttle reason seen: the power cap (0x%llx)", w->reasons);
    CHECK(t.before.sm_mhz == 1980 && t.after.sm_mhz == 1500 && t.after.reasons == 0x4,
          "the point samples keep their pair while the thread samples");
    CHECK(strstr(t.library, "libnvidia-ml.so.1") != NULL, "the NVML file is recorded: %s", t.library);
    char why[256];
    hb_gpu_judge(&t, why, sizeof why);
    CHECK(t.throttled && t.clocks_dropped, "judged: %s", why);
    hb_telemetry again = tel(state(NAN, NAN, 0), state(NAN, NAN, 0));
    hb_gpu_window_end(p, &again);
    CHECK(again.window.samples == 0, "no window without a begin");
    CHECK(hb_gpu_window_begin(p), "a window left running ...");
    hb_gpu_probe_close(p);
    CHECK(1, "... is stopped by closing the probe");
    unsetenv("HB_LIBNVML");
}

static void test_json(const char *path)
{
    hb_device dev;
    memset(&dev, 0, sizeof dev);
    dev.peaks.bw_gbs.value = dev.peaks.fp32_gflops.value = dev.peaks.fp64_gflops.value = NAN;
    snprintf(dev.name, sizeof dev.name, "NVIDIA H200");
    snprintf(dev.type, sizeof dev.type, "GPU");
    hb_run run;
    memset(&run, 0, sizeof run);
    snprintf(run.created, sizeof run.created, "2026-11-24T12:00:00Z");
    run.devices = &dev;
    run.n_devices = 1;
    hb_result *r = hb_result_list_push(&run.results);
    snprintf(r->bench, sizeof r->bench, "triad");
    snprintf(r->model, sizeof r->model, "cuda");
    r->m = r->n = r->k = -1;
    r->valid = 0; /* no samples: the reader accepts them only on an invalid result */
    hb_result_set_figure(r, &hb_figure_bandwidth);
    r->telemetry = tel(state(1980, 3201, 0), state(1500, 3201, 0x4));
    r->telemetry.clocks_dropped = r->telemetry.throttled = 1;
    r->telemetry.window = (hb_gpu_window){.samples = 41, .period_s = HB_GPU_PERIOD_S, .duration_s = 1.0125,
                                          .sm_mhz = {1500, 1740, 1980}, .mem_mhz = {3201, 3201, 3201},
                                          .temp_c = {54, 55, 57}, .power_w = {NAN, NAN, NAN},
                                          .have_reasons = 1, .reasons = 0x1 | 0x4};
    snprintf(r->telemetry.library, sizeof r->telemetry.library, "/usr/lib/x86_64-linux-gnu/libnvidia-ml.so.1");
    r->telemetry.before.ecc = -1;
    r->telemetry.before.have_reasons = 0;
    hb_result *plain = hb_result_list_push(&run.results);
    snprintf(plain->bench, sizeof plain->bench, "copy");
    plain->m = plain->n = plain->k = -1;
    plain->valid = 0;
    hb_result_set_figure(plain, &hb_figure_bandwidth);
    hb_err e = {0};
    CHECK(!hb_json_write_run(&run, path, 1, &e), "written: %s", e.msg);
    char *text = hb_json_run_dumps(&run);
    CHECK(text && strstr(text, "\"throttle_reasons\": [\n") && strstr(text, "\"sw_power_cap\"") &&
              strstr(text, "\"ecc\": null") && strstr(text, "\"window\": {") && strstr(text, "\"gpu_idle\""),
          "telemetry with its window in the document");
    free(text);
    hb_run back;
    CHECK(!hb_json_read_run(path, &back, &e), "read back: %s", e.msg);
    if (back.results.n < 2) {
        printf("FAIL nothing read back\n");
        hb_result_list_free(&run.results);
        return;
    }
    const hb_telemetry *t = &back.results.v[0].telemetry;
    CHECK(t->present && t->clocks_dropped && t->throttled && t->after.sm_mhz == 1500 && t->after.reasons == 0x4 &&
              t->after.have_reasons && !t->before.have_reasons && t->before.ecc == -1 && t->after.ecc == 1 &&
              t->after.power_w == 420.5, "telemetry round trip");
    const hb_gpu_window *w = &t->window;
    CHECK(w->samples == 41 && w->period_s == HB_GPU_PERIOD_S && w->duration_s == 1.0125 && w->sm_mhz.min == 1500 &&
              w->sm_mhz.median == 1740 && w->sm_mhz.max == 1980 && w->temp_c.max == 57 && isnan(w->power_w.median) &&
              w->have_reasons && w->reasons == 0x5 && !strcmp(t->library, "/usr/lib/x86_64-linux-gnu/libnvidia-ml.so.1"),
          "window and library round trip");
    CHECK(!back.results.v[1].telemetry.present, "a result without telemetry stays without");
    hb_run_free_read(&back);
    hb_result_list_free(&run.results);
}

int main(int argc, char **argv)
{
    test_judge();
    test_window(argc > 2 ? argv[2] : NULL);
    test_json(argc > 1 ? argv[1] : "telemetry.json");
    return hb_check_failures() != 0;
}
