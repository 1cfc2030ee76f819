/* SPDX-License-Identifier: Apache-2.0 */
/* The GEMM tuner through the driver (runner/driver/measure.c) on the PoCL device,
 * with a temporary cache folder: a first run searches and writes the
 * winner, a second reuses it without searching, --retune searches again,
 * a changed driver version misses and keeps its winner beside the first
 * (a cluster on a shared $HOME can have nodes on either), and the time box
 * stops a search after the first configuration that verifies.
 * Exits 77 (skipped) without an OpenCL CPU device. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "pocl_harness.h"
#include "discover.h"
#include "gemm.h"
#include "measure.h"

static char cache_file[4200];

static int retune;

static int measure(hb_model_env *env, const hb_device *dev, const hb_bench *b, const hb_bench_opts *bo,
                   hb_result_list *l, hb_result **out)
{
    hb_measure_opts mo = {.iters = 2, .warmup = 1, .tune_iters = 1, .tune = 1, .retune = retune};
    hb_problem probs[8];
    hb_err e = {0};
    hb_bench_ctx ctx = hb_test_ctx(env, &hb_bench_gemm, HB_F32, 0);
    ctx.bench = b;
    ctx.dev = dev;
    ctx.opts = bo;
    ctx.tune = 1;
    int np = b->problems(&ctx, probs, 8, &e);
    *out = hb_result_list_push(l);
    if (np != 1 || !*out || hb_measure(&ctx, &probs[0], &mo, *out, &e)) {
        printf("FAIL measure: %s\n", e.msg);
        return -1;
    }
    return 0;
}

static const char *param(const hb_result *r, const char *key)
{
    return hb_params_text(&r->config, key);
}

static int same_config(const hb_result *a, const hb_result *b)
{
    static const char *const keys[] = {"tm", "tn", "vw", "wgm", "wgn", "tk", "unroll"};
    if (strcmp(param(a, "algo"), param(b, "algo")))
        return 0;
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        const hb_param *x = hb_params_get(&a->config, keys[i]), *y = hb_params_get(&b->config, keys[i]);
        if (!x || !y || x->num != y->num)
            return 0;
    }
    return 1;
}

/* How many lines of the cache file hold text. */
static int entries_with(const char *text)
{
    FILE *f = fopen(cache_file, "r");
    char line[512];
    int n = 0;
    while (f && fgets(line, sizeof line, f))
        n += strstr(line, text) != NULL;
    if (f)
        fclose(f);
    return n;
}

int main(void)
{
    hb_device_list list;
    hb_device *cpu;
    hb_err e = {0};
    int found = hb_test_cpu_device(&list, &cpu);
    if (found)
        return found;
    char dir[] = "/tmp/hb_tune_XXXXXX";
    if (!mkdtemp(dir)) {
        printf("FAIL mkdtemp\n");
        return 1;
    }
    snprintf(cache_file, sizeof cache_file, "%s/cache/tuning.json", dir);
    char cache_dir[4100];
    snprintf(cache_dir, sizeof cache_dir, "%s/cache", dir); /* missing: the store creates it */
    hb_device dev = *cpu;
    hb_model_env *env;
    if (hb_model_opencl.open(&dev, NULL, &env, &e)) {
        printf("FAIL open: %s\n", e.msg);
        return 1;
    }
    hb_bench_opts bo = {.n = 1, .name = {"gemm-sizes"}, .value = {"48"}, .cache_dir = cache_dir};
    hb_result_list l = {0};
    hb_result *r1, *r2, *r3, *r4, *r5;

    int rc = measure(env, &dev, &hb_bench_gemm, &bo, &l, &r1);
    CHECK(!rc && r1->valid && r1->n_grid >= 2 && !strcmp(param(r1, "tuning"), "searched"),
          "first run searches (%zu configurations) and verifies", rc ? 0 : r1->n_grid);
    CHECK(access(cache_file, R_OK) == 0 && entries_with(dev.driver_version) == 1 && entries_with("\"48x48x48\""),
          "winner written to %s, keyed by driver and shape", cache_file);

    rc = measure(env, &dev, &hb_bench_gemm, &bo, &l, &r2);
    r1 = &l.v[0];
    CHECK(!rc && r2->valid && r2->n_grid == 0 && !strcmp(param(r2, "tuning"), "cache") && same_config(r1, r2),
          "second run reuses the cached winner without a search (%s)", param(r2, "algo"));

    retune = 1;
    rc = measure(env, &dev, &hb_bench_gemm, &bo, &l, &r3);
    CHECK(!rc && r3->valid && r3->n_grid >= 2, "--retune searches again");
    retune = 0;

    snprintf(dev.driver_version, sizeof dev.driver_version, "hb-test-driver-2");
    rc = measure(env, &dev, &hb_bench_gemm, &bo, &l, &r4);
    CHECK(!rc && r4->valid && r4->n_grid >= 2, "a new driver version misses the cache and searches");
    CHECK(entries_with("hb-test-driver-2") == 1 && entries_with(cpu->driver_version) == 1,
          "the other driver's winner is kept beside the new one");

    /* The time box: a copy of the descriptor with a budget of nothing stops
     * after the first configuration that verifies. */
    hb_bench boxed = hb_bench_gemm;
    boxed.tune_budget_s = 1e-9;
    retune = 1;
    rc = measure(env, &dev, &boxed, &bo, &l, &r5);
    CHECK(!rc && r5->valid && r5->n_grid == 1 && strstr(r5->notes, "time box"), "the time box ends a search: %s",
          rc ? "" : r5->notes);

    hb_result_list_free(&l);
    hb_model_opencl.close(env);
    hb_device_list_free(&list);
    unlink(cache_file);
    char sub[4300];
    snprintf(sub, sizeof sub, "%s.lock", cache_file);
    unlink(sub);
    snprintf(sub, sizeof sub, "%s/cache", dir);
    rmdir(sub);
    rmdir(dir);
    return hb_check_failures() != 0;
}
