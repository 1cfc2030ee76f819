/* SPDX-License-Identifier: Apache-2.0 */
/* The stream family on the first OpenCL CPU device (PoCL in CI): every
 * kernel, dtype, vector width, access pattern, store kind and (for the block
 * pattern) a stream count of 1 and 3 (parts with left-overs) at sizes that
 * exercise the scalar tails, each verified; proof that verification
 * catches a wrong element and a wrong sum; the device's start values and
 * exact sums against the host's; the device check against the host
 * cross-check on planted corruptions. Exits 77 (skipped) without an
 * OpenCL CPU device. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "check.h"
#include "pocl_harness.h"
#include "cl_util.h"
#include "discover.h"
#include "measure.h"
#include "stream.h"

static const unsigned vecs[] = {1, 2, 4, 8, 16};
static const char *const patterns[] = {"grid", "block"};
static const unsigned streams[] = {1, 3};

static void config(hb_params *p, const char *pattern, unsigned vec, unsigned wg, const char *store)
{
    hb_params_clear(p);
    hb_params_set_text(p, "pattern", pattern);
    hb_params_set_num(p, "vec", vec);
    hb_params_set_num(p, "wg", wg);
    hb_params_set_text(p, "store", store);
}

/* Every variant of one bench and dtype at n elements. */
static void all_variants(hb_model_env *env, const hb_bench *b, hb_dtype dtype, uint64_t n)
{
    hb_bench_ctx ctx = hb_test_ctx(env, b, dtype, n);
    hb_err e = {0};
    int ok = !b->setup(&ctx, &e), all_valid = ok, runs = 0;
    char why[512] = "";
    for (int s = 0; s < 2 && ok; s++) {
        const char *store = s ? "nontemporal" : "plain";
        for (size_t p = 0; p < 2; p++)
            for (size_t k = 0; k < (p ? 2u : 1u); k++)
                for (size_t v = 0; v < 5; v++) {
                    hb_params cfg;
                    int valid = 0;
                    config(&cfg, patterns[p], vecs[v], 4, store);
                    if (p)
                        hb_params_set_num(&cfg, "streams", streams[k]);
                    int rc = hb_test_run_once(&ctx, &cfg, &valid, why, sizeof why, &e);
                    if (rc == HB_BENCH_SKIP)
                        continue;
                    runs++;
                    if (rc || !valid) {
                        all_valid = 0;
                        printf("  %s %s n=%llu %s/%u/%s/streams=%u: %s\n", b->name, hb_dtype_name(dtype),
                               (unsigned long long)n, patterns[p], vecs[v], store, p ? streams[k] : 1u,
                               rc ? e.msg : why);
                    }
                }
    }
    hb_test_teardown(&ctx);
    CHECK(ok && all_valid && runs >= 20, "%s %s n=%llu: %d variants verified%s%s", b->name, hb_dtype_name(dtype),
          (unsigned long long)n, runs, ok ? "" : ": ", ok ? "" : e.msg);
}

/* Corrupts the output after a correct run: verification must name it. */
static void catches_errors(hb_model_env *env)
{
    hb_err e = {0};
    hb_params cfg;
    char why[512];
    int valid = 1;
    config(&cfg, "grid", 4, 4, "plain");
    hb_bench_ctx ctx = hb_test_ctx(env, hb_bench_find("copy"), HB_F32, 1000);
    int rc = ctx.bench->setup(&ctx, &e) || hb_test_run_once(&ctx, &cfg, &valid, why, sizeof why, &e);
    hb_stream_data *d = ctx.data;
    float bad = 12345.0f;
    rc = rc || ctx.model->upload(env, &d->buf[2], 777 * sizeof bad, sizeof bad, &bad, &e) ||
         ctx.bench->verify(&ctx, &valid, why, sizeof why, &e);
    CHECK(!rc && !valid && strstr(why, "c[777]") && strstr(why, "12345"), "wrong element caught: %s", why);
    hb_test_teardown(&ctx);

    ctx = hb_test_ctx(env, hb_bench_find("dot"), HB_F32, 1000);
    valid = 1;
    rc = ctx.bench->setup(&ctx, &e) || hb_test_run_once(&ctx, &cfg, &valid, why, sizeof why, &e);
    d = ctx.data;
    rc = rc || ctx.model->upload(env, (hb_buf *)d->partial, 0, sizeof bad, &bad, &e) ||
         ctx.bench->verify(&ctx, &valid, why, sizeof why, &e);
    CHECK(!rc && !valid && strstr(why, "sum"), "wrong sum caught: %s", why);
    hb_test_teardown(&ctx);
}

/* The device's start values are benches/stream_values.h's, element by
 * element; its exact sums are the host's, word for word. */
static void device_values(hb_model_env *env)
{
    const uint64_t n = 65536 + 4099; /* work-items of unequal shares */
    for (int f64 = 0; f64 < 2; f64++) {
        hb_dtype t = f64 ? HB_F64 : HB_F32;
        hb_err e = {0};
        hb_buf buf = {0, 0};
        size_t eb = hb_dtype_bytes(t);
        char *host = malloc(n * eb);
        uint64_t wrong = 0;
        int rc = !host || hb_model_opencl.alloc(env, n * eb, &buf, &e) ||
                 hb_model_opencl.init_values(env, &buf, t, n, HB_SEED_C, &e) ||
                 hb_model_opencl.download(env, &buf, 0, n * eb, host, &e);
        for (uint64_t i = 0; !rc && i < n; i++)
            wrong += f64 ? ((double *)host)[i] != hb_value_f64(i, HB_SEED_C)
                         : ((float *)host)[i] != hb_value_f32(i, HB_SEED_C);
        CHECK(!rc && !wrong, "%s init kernel equals stream_values.h: %llu of %llu differ %s", hb_dtype_name(t),
              (unsigned long long)wrong, (unsigned long long)n, rc ? e.msg : "");
        hb_model_opencl.release(env, &buf);
        free(host);
        for (unsigned seed_b = 0; seed_b <= HB_SEED_B; seed_b += HB_SEED_B) {
            hb_values_sum dev = {0}, ref = {0};
            rc = hb_model_opencl.sum_values(env, t, n, HB_SEED_A, seed_b, &dev, &e);
            hb_values_sum_range(f64, 0, n, HB_SEED_A, seed_b, &ref);
            CHECK(!rc && !memcmp(&dev, &ref, sizeof dev), "%s exact sum of %s on the device equals the host's %s",
                  hb_dtype_name(t), seed_b ? "a*b" : "a", rc ? e.msg : "");
        }
    }
}

/* Corruptions the device check and the host cross-check must both find,
 * and name alike: one element, the last one (a tail), a NaN, two apart. */
static void device_and_host_agree(hb_model_env *env)
{
    static const struct { uint64_t at[2]; float value; uint64_t wrong; } cases[] = {
        {{777, 777}, 12345.0f, 1}, {{70002, 70002}, -1.0f, 1}, {{5, 5}, NAN, 1}, {{9, 60000}, 0.0f, 2}};
    hb_err e = {0};
    hb_params cfg;
    config(&cfg, "block", 8, 4, "plain");
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        hb_bench_ctx ctx = hb_test_ctx(env, hb_bench_find("triad"), HB_F32, 70003);
        char why[512] = "", want[32];
        int valid = 1;
        int rc = ctx.bench->setup(&ctx, &e) || hb_test_run_once(&ctx, &cfg, &valid, why, sizeof why, &e);
        hb_stream_data *d = ctx.data;
        for (int k = 0; k < 2 && !rc; k++)
            rc = ctx.model->upload(env, &d->buf[0], cases[c].at[k] * sizeof(float), sizeof(float), &cases[c].value,
                                   &e);
        hb_values_check dev = {0, UINT64_MAX};
        hb_values_expr x = hb_stream_expr(HB_TRIAD);
        rc = rc || ctx.model->check_values(env, &d->buf[0], HB_F32, ctx.elements, &x, &dev, &e);
        CHECK(!rc && dev.wrong == cases[c].wrong && dev.first == cases[c].at[0],
              "device check: %llu wrong, first %llu", (unsigned long long)dev.wrong, (unsigned long long)dev.first);
        d->verify_mode = HB_VERIFY_BOTH; /* fails when the two disagree */
        rc = rc || ctx.bench->verify(&ctx, &valid, why, sizeof why, &e);
        snprintf(want, sizeof want, "a[%llu]", (unsigned long long)cases[c].at[0]);
        CHECK(!rc && !valid && strstr(why, want) && !strstr(why, "disagree"), "device and host name %s: %s", want,
              rc ? e.msg : why);
        hb_test_teardown(&ctx);
    }
}

/* The whole driver: tuning grid, re-measurement, statistics. */
static void driver(hb_model_env *env)
{
    hb_result_list l = {0};
    hb_err e = {0};
    hb_measure_opts o = {.iters = 3, .warmup = 1, .tune_iters = 1, .tune = 1, .retune = 1};
    hb_problem p = {.elements = 100003};
    hb_result *r = hb_result_list_push(&l);
    hb_bench_ctx ctx = hb_test_ctx(env, hb_bench_find("triad"), HB_F64, p.elements);
    int rc = hb_measure(&ctx, &p, &o, r, &e);
    CHECK(!rc && r->valid && r->n_samples == 3 && r->n_grid >= 2 && r->bw_best_gbs > 0 &&
              r->bytes_per_iter == 3.0 * 8 * 100003 && r->stats.min <= r->stats.median,
          "measure triad f64: %d samples, %zu grid points, %.2f GB/s %s", (int)r->n_samples, r->n_grid,
          r->bw_best_gbs, rc ? e.msg : "");
    CHECK(!isnan(r->wall_s_per_iter) && r->wall_s_per_iter > 0, "wall-clock cross-check recorded");
    CHECK(isnan(r->percent_of_peak) && !strcmp(r->peak_source, "unknown"), "unknown peak gives no percentage");
    int confirmed = 0;
    for (size_t i = 0; i < r->n_grid; i++)
        confirmed += !isnan(r->grid[i].confirm_gbs);
    CHECK(confirmed >= 2 && confirmed <= 4, "the best three points and the first re-measured alternately: %d", confirmed);
    /* The winner is cached: the next run measures it at once. */
    hb_params won = r->config;
    o.retune = 0;
    hb_result *again = hb_result_list_push(&l);
    rc = hb_measure(&ctx, &p, &o, again, &e);
    const hb_param *how = hb_params_get(&again->config, "tuning");
    CHECK(!rc && again->valid && again->n_grid == 0 && how && !strcmp(hb_param_text(&again->config, how), "cache") &&
              hb_params_get(&again->config, "vec")->num == hb_params_get(&won, "vec")->num,
          "second run measures the cached winner without a search (%s)", how ? hb_param_text(&again->config, how) : "no tuning param");
    hb_result_list_free(&l);
}

int main(void)
{
    hb_device_list list;
    hb_device *cpu;
    hb_model_env *env;
    int found = hb_test_open_cpu(&list, &cpu, &env);
    if (found)
        return found;
    hb_device *dev = cpu;
    const uint64_t sizes[] = {5, 1003, 65536 + 17};
    for (const hb_bench *const *b = hb_benches; *b; b++)
        if ((*b)->family == &hb_family_stream)
            for (int d = 0; d < 2; d++)
                for (size_t s = 0; s < 3; s++)
                    if (d == 0 || dev->fp64)
                        all_variants(env, *b, d ? HB_F64 : HB_F32, sizes[s]);
    catches_errors(env);
    device_values(env);
    device_and_host_agree(env);
    driver(env);
    hb_model_opencl.close(env);
    hb_device_list_free(&list);
    return hb_check_failures() != 0;
}
