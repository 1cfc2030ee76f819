/* test_host_stream: the native host baseline on the live machine.
 * 1. every kernel variant this CPU runs, on a small block, checked exactly
 *    (and a corrupted element or sum is caught);
 * 2. hb_host_stream_run with 4 MiB arrays, 3 iterations, 1 warm-up, all
 *    benches x f32/f64, plain and non-temporal stores;
 * 3. one team whose kernel is broken on purpose, arrays bound with hwloc:
 *    the wrong element and the wrong sum must come back;
 * 4. bad usage: iters 0, an unknown bench or dtype.
 * Prints "PASS x" / "FAIL x: why"; exits 1 on any failure. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_stream.h"
#include "host_stream_kernels.h"
#include "host_stream_team.h"

static int failures;

__attribute__((format(printf, 2, 3))) static void check(int ok, const char *fmt, ...)
{
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (ok) {
        printf("PASS %s\n", what);
    } else {
        printf("FAIL %s\n", what);
        failures++;
    }
}

/* Runs one variant's bench on n elements at global offset lo, then checks. */
static void test_variant(const hb_hs_isa *isa, int dtype, int bench, uint64_t lo, uint64_t n)
{
    size_t bytes = (size_t)n * hb_hs_dtype_size[dtype];
    void *a = aligned_alloc(64, bytes), *b = aligned_alloc(64, bytes), *c = aligned_alloc(64, bytes);
    if (!a || !b || !c) {
        check(0, "allocate %zu bytes: out of memory", bytes);
        free(a), free(b), free(c);
        return;
    }
    const char *bn = hb_hs_benches[bench].name, *dn = hb_hs_dtype_names[dtype];
    const char *sn = isa->nontemporal ? "nontemporal" : "plain";
    hb_hs_init(dtype, a, b, c, lo, n);
    double sum = isa->run[dtype](bench, a, b, c, (size_t)n);
    hb_hs_check ck;
    hb_hs_verify(bench, dtype, a, b, c, lo, n, &ck);
    if (hb_hs_benches[bench].reduces) {
        double rel = (double)fabsl((long double)sum - ck.sum_expected) / (double)ck.sum_expected;
        double tol = hb_hs_sum_tolerance(dtype, hb_hs_chain(isa, dtype, n));
        check(rel <= tol, "kernel %s/%s %s %s: rel error %.3g <= tol %.3g", isa->name, sn, bn,
              dn, rel, tol);
        /* A sum off by one element's worth must not pass. */
        check(1.0 / (double)n > tol, "kernel %s/%s %s %s: tolerance %.3g below one element (%.3g)",
              isa->name, sn, bn, dn, tol, 1.0 / (double)n);
    } else {
        check(ck.bad == UINT64_MAX, "kernel %s/%s %s %s exact (first bad %llu: got %g want %g)",
              isa->name, sn, bn, dn, (unsigned long long)ck.bad, ck.got, ck.expected);
        /* Corrupt the written array's element 5 and the check must name it. */
        void *w = bench == HB_HS_SCALE ? b : bench == HB_HS_COPY || bench == HB_HS_ADD ? c : a;
        if (dtype == HB_HS_F32)
            ((float *)w)[5] += 0.5f;
        else
            ((double *)w)[5] += 0x1p-40;
        hb_hs_verify(bench, dtype, a, b, c, lo, n, &ck);
        check(ck.bad == lo + 5, "kernel %s/%s %s %s: corrupted element %llu caught (got %llu)",
              isa->name, sn, bn, dn, (unsigned long long)(lo + 5), (unsigned long long)ck.bad);
    }
    free(a), free(b), free(c);
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
        /* 37 x 64 elements: the sums' rounds do not divide evenly, so the
         * tail path runs too; lo > 2^32 exercises the high index bits. */
        for (int d = 0; d < HB_HS_NDTYPE; d++)
            for (int bn = 0; bn < HB_HS_NBENCH; bn++)
                test_variant(isa, d, bn, ((uint64_t)1 << 32) + 4096, 37 * 64);
    }
}

/* The best plain kernel, then element 1000 of every thread's block is
 * spoilt (the first wrong one is global element 1000) and every sum is off
 * by 1. */
static double broken_kernel(int bench, void *a, void *b, void *c, size_t n)
{
    double s = hb_hs_isa_pick(0)->run[HB_HS_F64](bench, a, b, c, n);
    double *w = bench == HB_HS_SCALE ? b : bench == HB_HS_COPY || bench == HB_HS_ADD ? c : a;
    if (hb_hs_benches[bench].reduces)
        return s + 1.0;
    if (n > 1000)
        w[1000] = -1.0;
    return s;
}

static void test_broken(hb_topology *topo)
{
    hb_hs_isa broken = *hb_hs_isa_pick(0);
    broken.run[HB_HS_F64] = broken_kernel;
    hb_hs_plan plan = {.topo = topo->topo, .cpuset = hwloc_get_root_obj(topo->topo)->cpuset,
                       .membind = hwloc_get_root_obj(topo->topo)->nodeset,
                       .bytes_per_array = (uint64_t)1 << 20, .isa = &broken, .warmup = 0,
                       .iters = 2};
    double s0[2], s1[2];
    hb_hs_job jobs[2] = {{.bench = HB_HS_TRIAD, .dtype = HB_HS_F64, .samples = s0},
                         {.bench = HB_HS_DOT, .dtype = HB_HS_F64, .samples = s1}};
    hb_err err = {0};
    int n_threads = 0, rc = hb_hs_team_run(&plan, jobs, 2, &n_threads, &err);
    check(rc == HB_OK && n_threads >= 1, "team with hwloc-bound arrays: rc %d %s, %d threads", rc,
          err.msg, n_threads);
    check(jobs[0].bad.bad == 1000 && jobs[0].bad.got == -1.0,
          "broken triad: first bad element %llu (want 1000), got %g",
          (unsigned long long)jobs[0].bad.bad, jobs[0].bad.got);
    long double rel = fabsl(jobs[1].sum_got - jobs[1].sum_expected) / jobs[1].sum_expected;
    check((double)rel > hb_hs_sum_tolerance(HB_HS_F64, jobs[1].chain),
          "broken dot: rel error %.3Lg above tol %.3g", rel,
          hb_hs_sum_tolerance(HB_HS_F64, jobs[1].chain));
    check(s0[0] > 0 && s0[1] > 0 && jobs[0].wall_s >= s0[0] + s0[1],
          "team samples %g %g s, batch %g s", s0[0], s0[1], jobs[0].wall_s);
}

static const hb_param *param(const hb_result *r, const char *key)
{
    return hb_params_get(&r->config, key);
}

static void test_run(hb_topology *topo, const hb_device *dev, int nontemporal)
{
    static const char *const benches[] = {"copy", "scale", "add", "triad", "dot", "read", "write", NULL};
    static const char *const dtypes[] = {"f32", "f64", NULL};
    static const int arrays[] = {2, 2, 3, 3, 2, 1, 1};
    const uint64_t bytes = (uint64_t)4 << 20;
    hb_host_stream_opts o = {benches, dtypes, bytes, 3, 1, nontemporal};
    hb_result_list out = {0};
    hb_err err = {0};
    const char *want = hb_hs_isa_pick(nontemporal)->nontemporal ? "nontemporal" : "plain";
    int rc = hb_host_stream_run(topo, dev, &o, &out, &err);
    check(rc == HB_OK, "run, %s stores: rc %d %s", want, rc, err.msg);
    int n_numa = hwloc_get_nbobjs_by_type(topo->topo, HWLOC_OBJ_NUMANODE);
    size_t scopes = n_numa >= 2 ? (size_t)n_numa + 1 : 1;
    check(out.n == scopes * 14, "%s: %zu results, want %zu scope(s) x 7 benches x 2 dtypes", want,
          out.n, scopes);
    int machine = 0;
    for (size_t i = 0; i < out.n; i++) {
        const hb_result *r = &out.v[i];
        const hb_param *scope = param(r, "scope"), *threads = param(r, "threads");
        const hb_param *stores = param(r, "stores");
        int is32 = strcmp(r->dtype, "f32") == 0, k = 0;
        while (k < 7 && strcmp(benches[k], r->bench) != 0)
            k++;
        char id[128];
        snprintf(id, sizeof id, "%s %s %s %s", scope ? scope->text : "?", r->bench, r->dtype, want);
        machine += scope && strcmp(scope->text, "machine") == 0;
        double bpi = k < 7 ? (double)arrays[k] * (double)(bytes / (is32 ? 4 : 8)) * (is32 ? 4 : 8)
                           : -1;
        check(r->valid, "%s valid (%s)", id, r->notes);
        check(r->n_samples == 3 && r->samples_s, "%s: %zu samples, want 3", id, r->n_samples);
        check(r->bw_best_gbs > 0 && r->bw_median_gbs > 0, "%s: %.2f GB/s best, %.2f median", id,
              r->bw_best_gbs, r->bw_median_gbs);
        check(r->bytes_per_iter == bpi, "%s: %.0f bytes per iteration, want %.0f", id,
              r->bytes_per_iter, bpi);
        check(strcmp(r->device, "host") == 0 && strcmp(r->family, "host-stream") == 0 &&
                  strcmp(r->timer, "host-clock") == 0 && r->device_index == dev->index,
              "%s: device \"%s\" #%d, family \"%s\", timer \"%s\"", id, r->device,
              r->device_index, r->family, r->timer);
        check(threads && threads->num >= 1 && stores && strcmp(stores->text, want) == 0,
              "%s: threads %g, stores %s", id, threads ? threads->num : NAN,
              stores ? stores->text : "(none)");
    }
    check(machine == 14, "%s: scope \"machine\" has %d results, want 14", want, machine);
    hb_result_list_free(&out);
}

static void test_usage(hb_topology *topo, const hb_device *dev)
{
    static const char *const nope[] = {"nope", NULL};
    static const char *const f16[] = {"f16", NULL};
    hb_host_stream_opts o = {NULL, NULL, (uint64_t)1 << 20, 0, 0, 0};
    hb_result_list out = {0};
    hb_err err = {0};
    int rc = hb_host_stream_run(topo, dev, &o, &out, &err);
    check(rc == HB_EUSAGE && out.n == 0, "iters 0 -> usage error: rc %d \"%s\"", rc, err.msg);
    o.iters = 1;
    o.benches = nope;
    rc = hb_host_stream_run(topo, dev, &o, &out, &err);
    check(rc == HB_EUSAGE && strstr(err.msg, "nope") && out.n == 0,
          "bench \"nope\" -> usage error naming it: rc %d \"%s\"", rc, err.msg);
    o.benches = NULL;
    o.dtypes = f16;
    rc = hb_host_stream_run(topo, dev, &o, &out, &err);
    check(rc == HB_EUSAGE && strstr(err.msg, "f16") && out.n == 0,
          "dtype \"f16\" -> usage error naming it: rc %d \"%s\"", rc, err.msg);
    hb_result_list_free(&out);
}

int main(void)
{
    test_kernels();
    hb_topology topo;
    hb_err err = {0};
    if (hb_topology_load(&topo, NULL, &err) != HB_OK) {
        printf("FAIL load the live topology: %s\n", err.msg);
        return 1;
    }
    hb_device dev;
    memset(&dev, 0, sizeof dev);
    dev.index = 3;
    dev.is_host = 1;
    snprintf(dev.name, sizeof dev.name, "host");
    dev.peaks.bw_gbs.value = NAN;
    dev.peaks.bw_gbs.src = HB_PEAK_UNKNOWN;
    test_run(&topo, &dev, 0);
    test_run(&topo, &dev, 1);
    test_broken(&topo);
    test_usage(&topo, &dev);
    hb_topology_free(&topo);
    printf("%s: %d failure(s)\n", failures ? "FAIL host_stream" : "PASS host_stream", failures);
    return failures ? 1 : 0;
}
