/* SPDX-License-Identifier: Apache-2.0 */
/* One GPU seen through OpenCL and CUDA is one device: discovery's merge by
 * PCI bus id (runner/core/device.c), the binding a run measures
 * (hb_device_bound, --model through hb_plan_wants) with that model's own
 * limits (sizing: runner/driver/sizing.c; the device's "bindings" in the
 * JSON) and the per-kernel model ratio under the run's table
 * (runner/io/output.c). No GPU needed: the devices are made here, as the
 * two models would describe one H200. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "json_io.h"
#include "output.h"
#include "run_devices.h"
#include "sizing.h"

#define GIB (1ULL << 30)
#define MIB (1ULL << 20)

extern const hb_model hb_model_opencl, hb_model_cuda, hb_model_host;

static hb_device *add(hb_device_list *l, const hb_model *m, hb_device_kind kind, const char *name, const char *pci,
                      uintptr_t h0, uintptr_t h1)
{
    hb_device *d = hb_device_list_add(l);
    d->model = m;
    d->kind = kind;
    d->handle[0] = h0;
    d->handle[1] = h1;
    snprintf(d->name, sizeof d->name, "%s", name);
    if (pci) {
        d->has_pci = 1;
        snprintf(d->pci_bus_id, sizeof d->pci_bus_id, "%s", pci);
    }
    return d;
}

/* Each binding measures with its own model's limits: CUDA's rows are not
 * held to NVIDIA OpenCL's allocation cap nor sized by its cache figure. */
static void test_limits(const hb_device *g)
{
    hb_device ocl = hb_device_bound(g, 0), cuda = hb_device_bound(g, 1);
    CHECK(g->bindings[1].max_alloc_bytes == 143 * GIB && g->bindings[1].global_cache_bytes == 60 * MIB &&
              g->bindings[0].max_alloc_bytes == 36 * GIB && !strcmp(g->bindings[1].library,
                                                                     "/usr/local/nvidia/lib64/libcuda.so.1"),
          "each binding keeps its model's limits and library");
    CHECK(ocl.max_alloc_bytes == 36 * GIB && ocl.global_cache_bytes == 4608 * 1024 && cuda.max_alloc_bytes == 143 * GIB &&
              cuda.global_mem_bytes == 143 * GIB && cuda.global_cache_bytes == 60 * MIB,
          "the bound copies carry them (OpenCL: 36 GiB per allocation; CUDA: no cap, 60 MiB L2)");
    CHECK(hb_largest_cache(&cuda, NULL) == 60 * MIB && hb_largest_cache(&ocl, NULL) == 4608 * 1024,
          "sizing's largest cache is the model's own");
    char why[256];
    uint64_t n = 0;
    hb_err e = {0};
    hb_size autosize = {.is_auto = 1};
    CHECK(!hb_plan_elements(&cuda, NULL, &autosize, 4, &n, why, sizeof why, &e) && strstr(why, "4 x 60.0 MiB"),
          "CUDA's auto size follows its L2: %s", why);
    /* an allocation cap below the memory share: the cap binds OpenCL only */
    hb_device capped = *g;
    capped.bindings[0].max_alloc_bytes = 4 * GIB;
    ocl = hb_device_bound(&capped, 0), cuda = hb_device_bound(&capped, 1);
    hb_size eight = {.value = 8 * GIB, .is_bytes = 1};
    int refused = hb_plan_elements(&ocl, NULL, &eight, 4, &n, why, sizeof why, &e);
    CHECK(refused == HB_EUSAGE && strstr(e.msg, "at most 4.00 GiB"), "8 GiB arrays refused through OpenCL: %s", e.msg);
    e = (hb_err){0};
    CHECK(!hb_plan_elements(&cuda, NULL, &eight, 4, &n, why, sizeof why, &e) && n == 2 * GIB,
          "and measured through CUDA: %s", why);
    json_t *j = hb_json_device(g);
    json_t *b = j ? json_object_get(j, "bindings") : NULL;
    json_t *b1 = json_array_get(b, 1);
    CHECK(json_array_size(b) == 2 && !strcmp(json_string_value(json_object_get(b1, "model")), "cuda") &&
              json_integer_value(json_object_get(b1, "max_alloc_bytes")) == (json_int_t)(143 * GIB) &&
              !strcmp(json_string_value(json_object_get(b1, "library")), "/usr/local/nvidia/lib64/libcuda.so.1") &&
              json_is_null(json_object_get(json_array_get(b, 0), "library")),
          "the device's JSON lists each binding's limits and library");
    json_decref(j);
}

static void test_merge(void)
{
    hb_device_list l = {0};
    hb_device *o = add(&l, &hb_model_opencl, HB_KIND_GPU, "NVIDIA H200", "0000:65:00.0", 0x10, 0x11);
    /* NVIDIA's OpenCL: a quarter of the memory per allocation, its own cache figure */
    o->global_mem_bytes = 143 * GIB, o->max_alloc_bytes = 36 * GIB, o->global_cache_bytes = 4608 * 1024;
    add(&l, &hb_model_opencl, HB_KIND_CPU, "pthread", NULL, 0x20, 0x21);
    hb_device *c = add(&l, &hb_model_cuda, HB_KIND_GPU, "NVIDIA H200", "0000:65:00.0", 0, 0);
    c->cc_major = 9;
    c->global_mem_bytes = c->max_alloc_bytes = 143 * GIB, c->global_cache_bytes = 60 * MIB;
    snprintf(c->bindings[0].library, sizeof c->bindings[0].library, "/usr/local/nvidia/lib64/libcuda.so.1");
    add(&l, &hb_model_cuda, HB_KIND_GPU, "NVIDIA H200", "0000:B3:00.0", 1, 0);
    add(&l, &hb_model_cuda, HB_KIND_GPU, "NVIDIA H200 MIG", "0000:b3:00.0", 2, 0);
    add(&l, &hb_model_host, HB_KIND_HOST, "host", NULL, 0, 0);
    size_t folded = hb_device_list_merge(&l);
    CHECK(folded == 1 && l.n == 5, "one device folded: %zu of 6 left %zu", folded, l.n);
    hb_device *g = &l.v[0];
    char models[64];
    hb_device_models(g, models, sizeof models);
    CHECK(g->n_bindings == 2 && g->bindings[0].model == &hb_model_opencl && g->bindings[1].model == &hb_model_cuda &&
              !strcmp(models, "opencl, cuda"), "the H200 has both models: %s", models);
    CHECK(g->model == &hb_model_opencl && g->max_alloc_bytes == 36ULL << 30 && g->cc_major == 9,
          "OpenCL's description kept (its allocation limit), CUDA's compute capability added");
    CHECK(l.v[2].n_bindings == 1 && l.v[3].n_bindings == 1 && l.v[2].index == 2 && l.v[3].index == 3,
          "two CUDA devices on one bus id (MIG) stay two");
    CHECK(l.v[1].n_bindings == 1 && l.v[4].kind == HB_KIND_HOST && l.v[4].index == 4, "CPU and host untouched");
    hb_device b = hb_device_bound(g, 1);
    CHECK(b.model == &hb_model_cuda && b.handle[0] == 0 && b.index == 0 && !strcmp(b.name, "NVIDIA H200"),
          "the CUDA binding measures device 0 with CUDA's handle");
    CHECK(hb_device_binding(g, "cuda") == 1 && hb_device_binding(g, "host") == -1, "binding by model name");
    test_limits(g);

    hb_run_plan all = {0}, cuda = {.models = {"cuda"}, .n_models = 1};
    CHECK(hb_plan_wants(&all, g, 0) && hb_plan_wants(&all, g, 1), "no --model: every binding runs");
    CHECK(!hb_plan_wants(&cuda, g, 0) && hb_plan_wants(&cuda, g, 1) && !hb_plan_wants(&cuda, &l.v[1], 0),
          "--model cuda: the CUDA binding only");

    /* The one iterator the run, --concurrent and the pre-flight check walk
     * (hb_plan_units): each chosen device once per wanted model. */
    hb_session s = {.list = l};
    int chosen[5] = {1, 1, 0, 0, 0}, n = 0;
    hb_plan_unit *u = hb_plan_units(&all, &s, chosen, &n);
    CHECK(n == 3 && u[0].device == 0 && u[0].bound.model == &hb_model_opencl && u[1].device == 0 &&
              u[1].bound.model == &hb_model_cuda && u[2].device == 1,
          "no --model: the H200 through OpenCL, then CUDA, then the CPU (%d units)", n);
    free(u);
    u = hb_plan_units(&cuda, &s, chosen, &n);
    CHECK(n == 1 && u[0].bound.model == &hb_model_cuda && u[0].bound.handle[0] == 0,
          "--model cuda: the H200 through CUDA only, the CPU not at all (%d units)", n);
    free(u);
    /* the pre-flight check judges the wanted model's kernels, not the
     * device's first binding's: CUDA has no GEMM of ours (only cuBLAS) */
    chosen[1] = 0;
    hb_run_plan gemm = {.benches = {hb_bench_find("gemm")}, .n_benches = 1, .dtypes = {HB_F32}, .n_dtypes = 1,
                        .impls = {"hbmbench"}, .n_impls = 1, .models = {"cuda"}, .n_models = 1};
    hb_err e = {0};
    CHECK(hb_run_check(&gemm, &s, chosen, &e) == HB_EUSAGE && strstr(e.msg, "nothing to measure"),
          "--model cuda --bench gemm --impl hbmbench: nothing to measure (%s)", e.msg);
    gemm.models[0] = "opencl";
    e = (hb_err){0};
    CHECK(hb_run_check(&gemm, &s, chosen, &e) == HB_OK, "--model opencl: our GEMM runs there (%s)", e.msg);
    hb_device_list_free(&l);
}

static hb_result result(const char *model, const char *bench, double gbs, int valid)
{
    hb_result r;
    memset(&r, 0, sizeof r);
    r.device_index = 0;
    snprintf(r.device, sizeof r.device, "NVIDIA H200");
    snprintf(r.model, sizeof r.model, "%s", model);
    snprintf(r.bench, sizeof r.bench, "%s", bench);
    snprintf(r.dtype, sizeof r.dtype, "f32");
    snprintf(r.implementation, sizeof r.implementation, "hbmbench");
    snprintf(r.percent_basis, sizeof r.percent_basis, "bandwidth");
    r.elements = 1ULL << 28;
    r.m = r.n = r.k = -1;
    r.bw_best_gbs = gbs;
    r.gflops_best = NAN;
    r.valid = valid;
    r.n_samples = 0;
    hb_result_set_figure(&r, &hb_figure_bandwidth);
    r.figure.best = valid ? gbs : NAN; /* as from the samples this made-up result has none of */
    return r;
}

static void test_ratios(void)
{
    hb_result rs[] = {result("opencl", "triad", 3800, 1), result("opencl", "dot", 4000, 1),
                      result("cuda", "triad", 4000, 1), result("cuda", "dot", 4100, 0)};
    hb_run run;
    memset(&run, 0, sizeof run);
    run.results.v = rs;
    run.results.n = 4;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    hb_print_model_ratios(f, &run);
    fclose(f);
    CHECK(strstr(text, "# [0] triad    f32   1.00 GiB   opencl/cuda = 0.950 (3800.00 vs 4000.00 GB/s)") != NULL,
          "triad: opencl/cuda = 0.950");
    CHECK(strstr(text, "dot ") && strstr(text, "opencl/cuda = - (INVALID)"), "an invalid side gives no ratio");
    printf("%s", text);
    free(text);
    run.results.n = 2;
    f = open_memstream(&text, &len);
    hb_print_model_ratios(f, &run);
    fclose(f);
    CHECK(len == 0, "one model: no ratio lines");
    free(text);
}

int main(void)
{
    test_merge();
    test_ratios();
    return hb_check_failures() != 0;
}
