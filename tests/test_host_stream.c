/* SPDX-License-Identifier: Apache-2.0 */
/* test_host_stream: the host model (the native baseline) on the live machine.
 * 1. every kernel variant this CPU runs, on a small block at a global index
 *    above 2^32, checked exactly (sums within their rounding bound);
 * 2. the whole driver on the host device: every stream bench in f32 and f64
 *    at a size with a scalar tail, the full tuning grid (instruction sets,
 *    store kinds, thread counts), every result verified and described;
 * 3. a corrupted element and a corrupted partial sum are caught by the
 *    shared verification;
 * 4. --host-stores plain keeps non-temporal variants out of the grid.
 * Prints "PASS x" / "FAIL x: why"; exits 1 on any failure. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "host_env.h"
#include "host_stream_kernels.h"
#include "measure.h"
#include "session.h"
#include "stream.h"

static double element(hb_dtype t, const void *p, uint64_t k)
{
    return t == HB_F32 ? (double)((const float *)p)[k] : ((const double *)p)[k];
}

static void init(hb_dtype t, void *p, unsigned seed, uint64_t lo, uint64_t n)
{
    for (uint64_t k = 0; k < n; k++)
        if (t == HB_F32)
            ((float *)p)[k] = hb_value_f32(lo + k, seed);
        else
            ((double *)p)[k] = hb_value_f64(lo + k, seed);
}

/* One variant's kernel on n elements standing at global index lo. */
static void test_variant(const hb_hs_isa *isa, hb_dtype t, const hb_stream_fact *f, uint64_t lo, uint64_t n,
                         unsigned streams, unsigned prefetch)
{
    size_t bytes = (size_t)n * hb_dtype_bytes(t);
    void *arr[3] = {aligned_alloc(64, bytes), aligned_alloc(64, bytes), aligned_alloc(64, bytes)};
    static const unsigned seeds[3] = {HB_SEED_A, HB_SEED_B, HB_SEED_C};
    if (!arr[0] || !arr[1] || !arr[2]) {
        CHECK(0, "allocate %zu bytes", bytes);
        free(arr[0]), free(arr[1]), free(arr[2]);
        return;
    }
    for (int a = 0; a < 3; a++)
        init(t, arr[a], seeds[a], lo, n);
    const char *sn = isa->nontemporal ? "nontemporal" : "plain";
    double sum = isa->run[t](f->kind, arr[0], arr[1], arr[2], (size_t)n, streams, prefetch);
    if (f->reduction) {
        long double want = hb_stream_expected_sum(f->kind, t, lo, n);
        double rel = (double)fabsl((long double)sum - want) / (double)want;
        double tol = 2 * (double)hb_hs_chain(isa, t, n, streams) * hb_dtype_get(t)->unit_roundoff + 1e-15;
        CHECK(rel <= tol && 1.0 / (double)n > tol,
              "kernel %s/%s %s %s, %u streams, prefetch %u: rel error %.3g <= tol %.3g < one element", isa->name,
              sn, f->name, hb_dtype_name(t), streams, prefetch, rel, tol);
    } else {
        uint64_t bad = UINT64_MAX;
        for (uint64_t k = 0; k < n && bad == UINT64_MAX; k++) {
            double want = t == HB_F32 ? hb_stream_expected_f32(f->kind, lo + k) : hb_stream_expected_f64(f->kind, lo + k);
            if (element(t, arr[f->writes], k) != want)
                bad = k;
        }
        CHECK(bad == UINT64_MAX, "kernel %s/%s %s %s, %u streams, prefetch %u exact (first bad %llu)", isa->name, sn,
              f->name, hb_dtype_name(t), streams, prefetch, (unsigned long long)bad);
    }
    free(arr[0]), free(arr[1]), free(arr[2]);
}

static void test_kernels(void)
{
    for (int i = 0; i < hb_hs_isa_count(); i++) {
        const hb_hs_isa *isa = hb_hs_isa_get(i);
        if (!hb_hs_isa_ok(isa)) {
            printf("SKIP kernel variant %s (%s stores): not on this CPU\n", isa->name,
                   isa->nontemporal ? "nontemporal" : "plain");
            continue;
        }
        /* 37 x 64 elements: the sums' rounds and the stream parts do not divide evenly, and a
         * prefetch distance reaches past the block (it must stop at its end). */
        for (int t = 0; t < HB_HS_NDTYPE; t++)
            for (int k = 0; k < HB_STREAM_NKINDS; k++)
                for (int st = 0; st < HB_HS_NSTREAMS; st++)
                    for (int pf = 0; pf < HB_HS_NPREFETCH; pf++)
                        test_variant(isa, (hb_dtype)t, &hb_stream_facts[k], ((uint64_t)1 << 32) + 4096, 37 * 64,
                                     hb_hs_streams[st], hb_hs_prefetches[pf]);
    }
}

static const hb_kernels *host_kernels(void)
{
    return hb_model_host.kernels[0];
}

/* Every stream bench and dtype through the driver, full grid. */
static void test_driver(hb_model_env *env, const hb_device *dev)
{
    const uint64_t n = ((uint64_t)1 << 20) + 13; /* a tail past the last whole vector */
    hb_measure_opts mo = {.iters = 3, .warmup = 1, .tune_iters = 1, .tune = 2, .retune = 1};
    for (int t = 0; t < 2; t++)
        for (const hb_bench *const *b = hb_benches; *b; b++) {
            if ((*b)->family != &hb_family_stream)
                continue;
            hb_bench_ctx ctx = {.bench = *b, .kernels = host_kernels(), .model = &hb_model_host, .env = env,
                                .dev = dev, .dtype = (hb_dtype)t};
            hb_problem p = {.elements = n};
            hb_result_list l = {0};
            hb_result *r = hb_result_list_push(&l);
            hb_err e = {0};
            int rc = hb_measure(&ctx, &p, &mo, r, &e);
            const hb_stream_fact *f = hb_stream_fact_of(*b);
            double bpi = hb_stream_arrays(f) * (double)n * (double)hb_dtype_bytes((hb_dtype)t);
            const hb_param *threads = hb_params_get(&r->config, "threads"), *isa = hb_params_get(&r->config, "isa");
            CHECK(!rc && r->valid && r->n_samples == 3 && r->bw_best_gbs > 0 && r->bytes_per_iter == bpi,
                  "host %s %s: valid %d, %zu samples, %.2f GB/s, %.0f bytes %s%s", (*b)->name,
                  hb_dtype_name((hb_dtype)t), r->valid, r->n_samples, r->bw_best_gbs, r->bytes_per_iter, e.msg,
                  r->notes);
            CHECK(!strcmp(r->family, "host-stream") && !strcmp(r->timer, "host-clock") && !strcmp(r->model, "host") &&
                      threads && threads->num >= 1 && isa && r->n_grid >= 2,
                  "host %s %s: family %s, timer %s, model %s, %zu grid points", (*b)->name,
                  hb_dtype_name((hb_dtype)t), r->family, r->timer, r->model, r->n_grid);
            for (size_t g = 0; g < r->n_grid; g++)
                CHECK(r->grid[g].valid || strstr(r->grid[g].note, "skipped"), "host %s %s grid point %zu: %s",
                      (*b)->name, hb_dtype_name((hb_dtype)t), g, r->grid[g].note);
            hb_result_list_free(&l);
        }
}

/* Runs the default configuration once, corrupts the output, verifies. */
static void test_catches(hb_model_env *env, const hb_device *dev, const char *bench, const char *what)
{
    hb_bench_ctx ctx = {.bench = hb_bench_find(bench), .kernels = host_kernels(), .model = &hb_model_host,
                        .env = env, .dev = dev, .dtype = HB_F64, .elem_bytes = 8, .elements = 100000};
    hb_params cfg;
    hb_err e = {0};
    char why[512] = "";
    int valid = 0;
    host_kernels()->configs(&ctx, &cfg, 1);
    int rc = ctx.bench->setup(&ctx, &e) || ctx.kernels->prepare(&ctx, &cfg, &e) || ctx.bench->poison(&ctx, &e) ||
             ctx.kernels->launch(&ctx, -1, &e) || ctx.bench->verify(&ctx, &valid, why, sizeof why, &e);
    CHECK(!rc && valid, "host %s before corruption: %s", bench, rc ? e.msg : why);
    hb_stream_data *d = ctx.data;
    double bad = -7.0;
    hb_buf *out = d->f->reduction ? (hb_buf *)d->partial : &d->buf[d->f->writes];
    rc = rc || ctx.model->upload(env, out, d->f->reduction ? 0 : 4321 * 8, 8, &bad, &e) ||
         ctx.bench->verify(&ctx, &valid, why, sizeof why, &e);
    CHECK(!rc && !valid && strstr(why, what), "host %s: corruption caught (%s)", bench, why);
    /* The team's check and exact sum against the host cross-check. */
    d->verify_mode = HB_VERIFY_BOTH;
    rc = rc || (d->f->reduction && hb_stream_reference_sum(&ctx, &e)) ||
         ctx.bench->verify(&ctx, &valid, why, sizeof why, &e);
    CHECK(!rc && !valid && strstr(why, what) && !strstr(why, "disagree"), "host %s: --verify both agrees (%s)",
          bench, rc ? e.msg : why);
    ctx.kernels->teardown(&ctx);
    ctx.bench->teardown(&ctx);
}

static void test_plain_only(const hb_device *dev)
{
    hb_bench_opts o = {.n = 1, .name = {"host-stores"}, .value = {"plain"}};
    hb_bench_ctx ctx = {.bench = hb_bench_find("triad"), .dev = dev, .dtype = HB_F32, .opts = &o, .tune = 2};
    hb_params cfgs[64];
    int n = host_kernels()->configs(&ctx, cfgs, 64), plain = 0;
    for (int i = 0; i < n; i++)
        plain += !strcmp(hb_params_text(&cfgs[i], "stores"), "plain");
    CHECK(n >= 1 && plain == n, "--host-stores plain: %d of %d configurations plain", plain, n);
}

int main(void)
{
    test_kernels();
    hb_session s;
    hb_err e = {0};
    hb_peak_opts peaks = {NAN, NAN, NAN, NULL};
    if (hb_session_open(&s, &peaks, &e)) {
        printf("FAIL session: %s\n", e.msg);
        return 1;
    }
    const hb_device *dev = NULL;
    for (size_t i = 0; i < s.list.n && !dev; i++)
        if (s.list.v[i].model == &hb_model_host && !strcmp(s.list.v[i].scope, "machine"))
            dev = &s.list.v[i];
    hb_model_env *env = NULL;
    CHECK(dev && !hb_model_host.open(dev, NULL, &env, &e), "host device found and opened %s", e.msg);
    if (env) {
        test_driver(env, dev);
        test_catches(env, dev, "triad", "a[4321]");
        test_catches(env, dev, "dot", "sum");
        test_plain_only(dev);
    }
    hb_model_host.close(env);
    hb_session_close(&s);
    return hb_check_failures() != 0;
}
