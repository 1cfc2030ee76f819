/* The GPU state around each measurement (runner/peaks/nvml_state.h)
 * without a GPU: the judgement of two samples (a clock that fell, a
 * slowdown reason, settings that are not slowdowns, unknowns), the
 * reason names, and the result's "telemetry" through the JSON writer and
 * reader (the file is left for the schema check: argv[1]). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "json_io.h"
#include "nvml_state.h"

static hb_gpu_state state(double sm, double mem, unsigned long long reasons)
{
    return (hb_gpu_state){sm, mem, 55, 420.5, 1, 1, reasons};
}

static void test_judge(void)
{
    char why[256];
    hb_telemetry t = {1, state(1980, 3201, 0), state(1980, 3201, 0), 0, 0};
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
    r->telemetry = (hb_telemetry){1, state(1980, 3201, 0), state(1500, 3201, 0x4), 1, 1};
    r->telemetry.before.ecc = -1;
    r->telemetry.before.have_reasons = 0;
    hb_result *plain = hb_result_list_push(&run.results);
    snprintf(plain->bench, sizeof plain->bench, "copy");
    plain->m = plain->n = plain->k = -1;
    plain->valid = 0;
    hb_err e = {0};
    CHECK(!hb_json_write_run(&run, path, 1, &e), "written: %s", e.msg);
    char *text = hb_json_run_dumps(&run);
    CHECK(text && strstr(text, "\"throttle_reasons\": [\n") && strstr(text, "\"sw_power_cap\"") &&
              strstr(text, "\"ecc\": null"), "telemetry in the document");
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
    CHECK(!back.results.v[1].telemetry.present, "a result without telemetry stays without");
    hb_run_free_read(&back);
    hb_result_list_free(&run.results);
}

int main(int argc, char **argv)
{
    test_judge();
    test_json(argc > 1 ? argv[1] : "telemetry.json");
    return hb_check_failures() != 0;
}
