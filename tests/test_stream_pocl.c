/* The stream family on the first OpenCL CPU device (PoCL in CI): every
 * kernel, dtype, vector width, access pattern and store kind at sizes that
 * exercise the scalar tails, each verified; and proof that verification
 * catches a wrong element and a wrong sum. Exits 77 (skipped) without an
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
#include "stream_state.h"

static const unsigned vecs[] = {1, 2, 4, 8, 16};
static const char *const patterns[] = {"grid", "block"};

static void config(hb_params *p, const char *pattern, unsigned vec, unsigned wg, const char *store)
{
    p->n = 0;
    hb_params_set_text(p, "pattern", pattern);
    hb_params_set_num(p, "vec", vec);
    hb_params_set_num(p, "wg", wg);
    hb_params_set_text(p, "store", store);
}

/* Every variant of one bench and dtype at n elements. */
static void all_variants(hb_cl_env *env, const hb_bench *b, const char *dtype, uint64_t n)
{
    hb_bench_ctx ctx = {.bench = b, .env = env, .dev = env->dev, .dtype = dtype,
                        .elem_bytes = strcmp(dtype, "f64") ? 4 : 8, .elements = n};
    hb_err e = {0};
    int ok = !b->setup(&ctx, &e), all_valid = ok, runs = 0;
    char why[512] = "";
    for (int s = 0; s < 2 && ok; s++) {
        const char *store = s ? "nontemporal" : "plain";
        for (size_t p = 0; p < 2; p++)
            for (size_t v = 0; v < 5; v++) {
                hb_params cfg;
                int valid = 0;
                config(&cfg, patterns[p], vecs[v], 4, store);
                int rc = hb_test_run_once(&ctx, &cfg, &valid, why, sizeof why, &e);
                if (rc == HB_BENCH_SKIP)
                    continue;
                runs++;
                if (rc || !valid) {
                    all_valid = 0;
                    printf("  %s %s n=%llu %s/%u/%s: %s\n", b->name, dtype, (unsigned long long)n, patterns[p],
                           vecs[v], store, rc ? e.msg : why);
                }
            }
    }
    b->teardown(&ctx);
    CHECK(ok && all_valid && runs >= 10, "%s %s n=%llu: %d variants verified%s%s", b->name, dtype,
          (unsigned long long)n, runs, ok ? "" : ": ", ok ? "" : e.msg);
}

/* Corrupts the output after a correct run: verification must name it. */
static void catches_errors(hb_cl_env *env)
{
    hb_err e = {0};
    hb_params cfg;
    char why[512];
    int valid = 1;
    config(&cfg, "grid", 4, 4, "plain");
    hb_bench_ctx ctx = {.bench = hb_bench_find("copy"), .env = env, .dev = env->dev, .dtype = "f32",
                        .elem_bytes = 4, .elements = 1000};
    int rc = ctx.bench->setup(&ctx, &e) || hb_test_run_once(&ctx, &cfg, &valid, why, sizeof why, &e);
    hb_stream_state *st = ctx.state;
    float bad = 12345.0f;
    rc = rc || hb_cl_check(clEnqueueWriteBuffer(env->queue, st->buf[2], CL_TRUE, 777 * sizeof bad, sizeof bad,
                                                &bad, 0, NULL, NULL), "clEnqueueWriteBuffer", &e) ||
         ctx.bench->verify(&ctx, &valid, why, sizeof why, &e);
    CHECK(!rc && !valid && strstr(why, "c[777]") && strstr(why, "12345"), "wrong element caught: %s", why);
    ctx.bench->teardown(&ctx);

    ctx.bench = hb_bench_find("dot");
    valid = 1;
    rc = ctx.bench->setup(&ctx, &e) || hb_test_run_once(&ctx, &cfg, &valid, why, sizeof why, &e);
    st = ctx.state;
    rc = rc || hb_cl_check(clEnqueueWriteBuffer(env->queue, st->partial, CL_TRUE, 0, sizeof bad, &bad, 0, NULL,
                                                NULL), "clEnqueueWriteBuffer", &e) ||
         ctx.bench->verify(&ctx, &valid, why, sizeof why, &e);
    CHECK(!rc && !valid && strstr(why, "sum"), "wrong sum caught: %s", why);
    ctx.bench->teardown(&ctx);
}

/* The whole driver: tuning grid, re-measurement, statistics. */
static void driver(hb_cl_env *env)
{
    hb_result_list l = {0};
    hb_err e = {0};
    hb_measure_opts o = {.iters = 3, .warmup = 1, .tune_iters = 1, .tune = 1};
    hb_problem p = {.elements = 100003};
    hb_result *r = hb_result_list_push(&l);
    int rc = hb_measure(env, hb_bench_find("triad"), "f64", &p, NULL, &o, r, &e);
    CHECK(!rc && r->valid && r->n_samples == 3 && r->n_grid >= 2 && r->bw_best_gbs > 0 &&
              r->bytes_per_iter == 3.0 * 8 * 100003 && r->stats.min <= r->stats.median,
          "measure triad f64: %d samples, %zu grid points, %.2f GB/s %s", (int)r->n_samples, r->n_grid,
          r->bw_best_gbs, rc ? e.msg : "");
    CHECK(!isnan(r->wall_s_per_iter) && r->wall_s_per_iter > 0, "wall-clock cross-check recorded");
    CHECK(isnan(r->percent_of_peak) && !strcmp(r->peak_source, "unknown"), "unknown peak gives no percentage");
    hb_result_list_free(&l);
}

int main(void)
{
    hb_device_list list;
    hb_device *cpu;
    hb_cl_env env;
    int found = hb_test_open_cpu(&list, &cpu, &env);
    if (found)
        return found;
    hb_device *dev = cpu;
    const uint64_t sizes[] = {5, 1003, 65536 + 17};
    for (const hb_bench *const *b = hb_benches; *b; b++)
        if (!strcmp((*b)->family, "stream"))
            for (int d = 0; d < 2; d++)
                for (size_t s = 0; s < 3; s++)
                    if (d == 0 || dev->fp64)
                        all_variants(&env, *b, d ? "f64" : "f32", sizes[s]);
    catches_errors(&env);
    driver(&env);
    hb_cl_env_close(&env);
    hb_device_list_free(&list);
    return hb_check_failures() != 0;
}
