/* One GPU seen through OpenCL and CUDA is one device: discovery's merge by
 * PCI bus id (runner/core/device.c), the binding a run measures
 * (hb_device_bound, --model through hb_plan_wants) and the per-kernel model
 * ratio under the run's table (runner/io/output.c). No GPU needed: the
 * devices are made here, as the two models would describe one H200. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "output.h"
#include "run_devices.h"

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

static void test_merge(void)
{
    hb_device_list l = {0};
    add(&l, &hb_model_opencl, HB_KIND_GPU, "NVIDIA H200", "0000:65:00.0", 0x10, 0x11)->max_alloc_bytes = 36ULL << 30;
    add(&l, &hb_model_opencl, HB_KIND_CPU, "pthread", NULL, 0x20, 0x21);
    hb_device *c = add(&l, &hb_model_cuda, HB_KIND_GPU, "NVIDIA H200", "0000:65:00.0", 0, 0);
    c->cc_major = 9;
    c->max_alloc_bytes = 143ULL << 30;
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

    hb_run_plan all = {0}, cuda = {.models = {"cuda"}, .n_models = 1};
    CHECK(hb_plan_wants(&all, g, 0) && hb_plan_wants(&all, g, 1), "no --model: every binding runs");
    CHECK(!hb_plan_wants(&cuda, g, 0) && hb_plan_wants(&cuda, g, 1) && !hb_plan_wants(&cuda, &l.v[1], 0),
          "--model cuda: the CUDA binding only");
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
