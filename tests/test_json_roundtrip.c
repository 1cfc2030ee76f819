/* SPDX-License-Identifier: Apache-2.0 */
/* test_json_roundtrip: the result file contract (runner/io/json_io.h).
 * A run with two devices and three results is written, read back and
 * compared field by field (doubles exactly, NAN as NAN); the writer never
 * overwrites without force and never leaves a temp file; every kind of bad
 * input gives HB_EUSAGE and a message that names the file.
 * Usage: test_json_roundtrip [FIXTURE.json]  (also writes the run there, for
 * tests/validate_schema.py). Prints "PASS x" / "FAIL x: why". */
#include "json_io.h"

#include <dirent.h>
#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int failures;

static void check(int ok, const char *name, const char *why)
{
    if (ok)
        printf("PASS %s\n", name);
    else
        printf("FAIL %s: %s\n", name, why);
    failures += !ok;
}

static void set_peak(hb_peak_value *p, double v, hb_peak_src src, const char *detail)
{
    p->value = v;
    p->src = src;
    snprintf(p->detail, sizeof p->detail, "%s", detail);
}

static void make_devices(hb_device d[2])
{
    memset(d, 0, 2 * sizeof *d);
    d[0] = (hb_device){ .index = 0, .kind = HB_KIND_GPU, .compute_units = 132, .max_clock_mhz = 1980,
        .global_mem_bytes = 85520809984ULL, .max_alloc_bytes = 21380202496ULL,
        .global_cache_bytes = 3932160, .cache_line_bytes = 128, .local_mem_bytes = 49152,
        .max_work_group_size = 1024, .fp64 = 1, .fp16 = 1, .vendor_id = 0x10de,
        .has_pci = 1, .pci_bus = 0x65, .pci_vendor_id = 0x10de, .pci_device_id = 0x2330,
        .n_cores = 32, .n_pus = 64 };
    snprintf(d[0].platform_name, sizeof d[0].platform_name, "NVIDIA CUDA");
    snprintf(d[0].platform_version, sizeof d[0].platform_version, "OpenCL 3.0 CUDA 12.4.131");
    snprintf(d[0].name, sizeof d[0].name, "NVIDIA H100 80GB HBM3 \xe2\x84\xa2 \xc3\x9c" "ber");
    snprintf(d[0].vendor, sizeof d[0].vendor, "NVIDIA Corporation");
    snprintf(d[0].type, sizeof d[0].type, "GPU");
    snprintf(d[0].driver_version, sizeof d[0].driver_version, "550.54.15");
    snprintf(d[0].cl_version, sizeof d[0].cl_version, "OpenCL 3.0 CUDA");
    snprintf(d[0].clc_version, sizeof d[0].clc_version, "OpenCL C 1.2 ");
    snprintf(d[0].pci_bus_id, sizeof d[0].pci_bus_id, "0000:65:00.0");
    snprintf(d[0].numa_nodes, sizeof d[0].numa_nodes, "0");
    snprintf(d[0].cpuset, sizeof d[0].cpuset, "0-31,64-95");
    snprintf(d[0].locality_source, sizeof d[0].locality_source, "hwloc pci");
    snprintf(d[0].uuid, sizeof d[0].uuid, "GPU-6d6f636b-0001-0203-0405-060708090a0b");
    snprintf(d[0].uuid_source, sizeof d[0].uuid_source, "nvmlDeviceGetUUID");
    snprintf(d[0].serial, sizeof d[0].serial, "1650123456789");
    snprintf(d[0].board_name, sizeof d[0].board_name, "AMD Instinct MI300X");
    snprintf(d[0].identity_detail, sizeof d[0].identity_detail, "a \"quoted\" note");
    set_peak(&d[0].peaks.bw_gbs, 3352.32, HB_PEAK_TABLE, "datasheet: NVIDIA H100 SXM5 80GB");
    set_peak(&d[0].peaks.fp32_gflops, 66900.0, HB_PEAK_VENDOR, "NVML clocks");
    set_peak(&d[0].peaks.fp64_gflops, 1.0 / 3.0, HB_PEAK_DERIVED, "132 x 1980 MHz x 64 x 2");

    d[1] = (hb_device){ .index = 1, .kind = HB_KIND_HOST, .compute_units = 64,
        .global_mem_bytes = 540000000000ULL, .n_cores = 64, .n_pus = 128 };
    snprintf(d[1].name, sizeof d[1].name, "AMD EPYC 9554 (host STREAM)");
    snprintf(d[1].type, sizeof d[1].type, "HOST");
    snprintf(d[1].numa_nodes, sizeof d[1].numa_nodes, "0-1");
    snprintf(d[1].cpuset, sizeof d[1].cpuset, "0-127");
    snprintf(d[1].locality_source, sizeof d[1].locality_source, "whole machine (CPU device)");
    set_peak(&d[1].peaks.bw_gbs, NAN, HB_PEAK_UNKNOWN, "");
    set_peak(&d[1].peaks.fp32_gflops, NAN, HB_PEAK_UNKNOWN, "");
    set_peak(&d[1].peaks.fp64_gflops, NAN, HB_PEAK_UNKNOWN, "no FLOP peak for the host");
}

static hb_result *add_result(hb_run *run, const hb_device *d, const char *bench,
                             const double *samples, size_t n)
{
    hb_result *r = hb_result_list_push(&run->results);
    r->device_index = d->index;
    snprintf(r->device, sizeof r->device, "%s", d->name);
    snprintf(r->pci_bus_id, sizeof r->pci_bus_id, "%s", d->pci_bus_id);
    snprintf(r->bench, sizeof r->bench, "%s", bench);
    snprintf(r->family, sizeof r->family, "stream");
    snprintf(r->dtype, sizeof r->dtype, "f64");
    snprintf(r->timer, sizeof r->timer, "opencl-events");
    snprintf(r->model, sizeof r->model, "opencl"); /* a file names it since models (the reader fills older ones) */
    r->samples_s = malloc(n * sizeof *samples);
    memcpy(r->samples_s, samples, n * sizeof *samples);
    r->n_samples = n;
    r->stats = hb_stats_of(samples, n);
    return r;
}

/* The figure as the driver's hb_result_set_figure would leave it. */
static void set_figure(hb_result *r, const char *name, const char *unit, int lower, const char *count, double best,
                       double median, double peak, const char *source)
{
    hb_result_figure *f = &r->figure;
    snprintf(f->name, sizeof f->name, "%s", name);
    snprintf(f->unit, sizeof f->unit, "%s", unit);
    snprintf(f->count, sizeof f->count, "%s", count);
    snprintf(f->peak_source, sizeof f->peak_source, "%s", source);
    f->lower_is_better = lower, f->best = best, f->median = median, f->peak = peak;
}

static void make_run(hb_run *run, hb_device devs[2])
{
    static const double s0[] = { 2.7e-4, 2.6512345678901234e-4, 2.8e-4, 3.1e-4, 2.65e-4 };
    static const double s1[] = { 0.125, 0.25 };
    static const double s2[] = { 1.0 / 7.0, 5e-324, 0.15 };
    memset(run, 0, sizeof *run);
    run->schema_version = HB_SCHEMA_VERSION;
    snprintf(run->tool_version, sizeof run->tool_version, "0.1.0");
    snprintf(run->git_commit, sizeof run->git_commit, "0123456789ab");
    snprintf(run->created, sizeof run->created, "2026-11-24T17:19:33Z");
    hb_host_info *h = &run->host;
    snprintf(h->hostname, sizeof h->hostname, "gpu-node-07");
    hb_scheduler *j = &run->scheduler;
    snprintf(j->name, sizeof j->name, "slurm");
    snprintf(j->job_id, sizeof j->job_id, "81234");
    snprintf(j->job_name, sizeof j->job_name, "hbm \xc3\xbc" "ber sweep");
    snprintf(j->nodes, sizeof j->nodes, "gpu[01-04]");
    snprintf(j->nodes_from, sizeof j->nodes_from, "SLURM_JOB_NODELIST");
    snprintf(j->step_id, sizeof j->step_id, "0");
    snprintf(h->os, sizeof h->os, "Debian GNU/Linux 12 (bookworm)");
    snprintf(h->kernel, sizeof h->kernel, "Linux 6.1.0-18-amd64");
    snprintf(h->cpu_model, sizeof h->cpu_model, "AMD EPYC 9554 64-Core Processor");
    snprintf(h->hwloc_version, sizeof h->hwloc_version, "2.9.0");
    h->packages = 2, h->numa_nodes = 2, h->cores = 128, h->pus = 256;
    h->memory_bytes = 1622761799680ULL;
    h->caches[0] = (hb_cache_level){ "L1d", 32768, 128, 64 };
    h->caches[1] = (hb_cache_level){ "L2", 1048576, 128, 64 };
    h->caches[2] = (hb_cache_level){ "L3", 33554432, 16, 64 };
    h->n_caches = 3;
    make_devices(devs);
    run->devices = devs;
    run->n_devices = 2;
    hb_params_set_num(&run->config, "iters", 20);
    hb_params_set_num(&run->config, "size_bytes", 805306368);
    hb_params_set_text(&run->config, "tune", "on");
    snprintf(run->command_line, sizeof run->command_line, "hbmbench run --tune \"a b\" -o x.json");

    hb_result *r = add_result(run, &devs[0], "triad", s0, 5);
    r->elements = 33554432, r->bytes_per_iter = 805306368, r->flops_per_iter = 0;
    hb_params_set_num(&r->config, "wg", 256);
    hb_params_set_num(&r->config, "vec", 8);
    hb_params_set_text(&r->config, "pattern", "blocked");
    /* longer than any fixed field it could be mistaken for (a pointer's 8 bytes) */
    hb_params_set_text(&r->config, "store", "nontemporal, and a longer text of about sixty bytes");
    hb_params_set_num(&r->config, "ratio", -0.3);
    hb_params_set_num(&r->config, "unknown", NAN);
    r->wall_s_per_iter = 2.9e-4;
    r->bw_best_gbs = 805306368 / 2.6512345678901234e-4 / 1e9, r->bw_median_gbs = 2876.0951;
    r->peak_bw_gbs = 3352.32, r->percent_of_peak = 90.6123456789;
    snprintf(r->peak_source, sizeof r->peak_source, "table");
    r->grid = calloc(3, sizeof *r->grid);
    r->n_grid = 3;
    for (int i = 0; i < 3; i++) {
        hb_params_set_num(&r->grid[i].config, "wg", 64 << i);
        hb_params_set_num(&r->grid[i].config, "vec", 4);
        r->grid[i].best_gbs = 3000.5 + i, r->grid[i].median_gbs = 2999.25 + i;
        r->grid[i].valid = 1;
    }
    r->grid[2].valid = 0, r->grid[2].best_gbs = r->grid[2].median_gbs = NAN;
    snprintf(r->grid[2].note, sizeof r->grid[2].note, "CL_INVALID_WORK_GROUP_SIZE");
    set_figure(r, "bandwidth", "GB/s", 0, "bytes", r->bw_best_gbs, r->bw_median_gbs, r->peak_bw_gbs, "table");

    r = add_result(run, &devs[1], "copy", s1, 2);
    snprintf(r->family, sizeof r->family, "host-stream");
    snprintf(r->timer, sizeof r->timer, "host-clock");
    snprintf(r->model, sizeof r->model, "host");
    r->elements = 1ULL << 40, r->bytes_per_iter = 1152921504606846976.0;
    r->valid = 0, r->wall_s_per_iter = 0.126;
    snprintf(r->peak_source, sizeof r->peak_source, "unknown");
    hb_result_note(r, "verification failed: a[7] = 1.5, expected 2");
    hb_result_note(r, "tab\tand \"quotes\" survive");
    set_figure(r, "bandwidth", "GB/s", 0, "bytes", NAN, NAN, NAN, "");

    r = add_result(run, &devs[0], "gemm", s2, 3);
    snprintf(r->family, sizeof r->family, "gemm");
    snprintf(r->dtype, sizeof r->dtype, "f32");
    r->elements = 16777216, r->bytes_per_iter = 201326592, r->flops_per_iter = 137438953472.0;
    r->bw_best_gbs = 1.4, r->bw_median_gbs = 1.3;
    r->gflops_best = 961.9, r->gflops_median = 916.2589;
    r->peak_bw_gbs = 3352.32, r->wall_s_per_iter = 0.151;
    snprintf(r->peak_source, sizeof r->peak_source, "table");
    snprintf(r->node, sizeof r->node, "gpu-node-08");   /* as an MPI run writes it */
    r->rank = 3;
    set_figure(r, "flops", "GFLOP/s", 0, "flops", r->gflops_best, r->gflops_median, NAN, "");

    /* an untyped bench whose figure is a time (schema 2): dtype null */
    r = add_result(run, &devs[1], "latency", s1, 2);
    snprintf(r->family, sizeof r->family, "latency");
    snprintf(r->model, sizeof r->model, "host");
    r->dtype[0] = '\0';
    snprintf(r->problem, sizeof r->problem, "48.0 KiB");
    r->elements = 12288, r->ops_per_iter = 131072, r->bytes_per_iter = 4.0 * 131072;
    snprintf(r->percent_basis, sizeof r->percent_basis, "none");
    set_figure(r, "latency", "ns", 1, "ops", 0.125 / 131072 * 1e9, 0.1875 / 131072 * 1e9, NAN, "");
}

/* Field-by-field comparison: the first difference goes into why. */
static char why[4096];
#define DIFF(...) (snprintf(why, sizeof why, __VA_ARGS__), 0)
#define SAME_D(a, b) ((isnan(a) && isnan(b)) || (a) == (b))
#define CMP_D(a, b, f) if (!SAME_D((a).f, (b).f)) return DIFF(#f ": %.17g != %.17g", (double)(a).f, (double)(b).f)
#define CMP_I(a, b, f) if ((a).f != (b).f) return DIFF(#f ": %llu != %llu", (unsigned long long)(a).f, (unsigned long long)(b).f)
#define CMP_S(a, b, f) if (strcmp((a).f, (b).f)) return DIFF(#f ": \"%s\" != \"%s\"", (a).f, (b).f)

static int same_params(const hb_params *a, const hb_params *b)
{
    CMP_I(*a, *b, n);
    for (int i = 0; i < a->n; i++) {
        CMP_S(a->p[i], b->p[i], key);
        CMP_I(a->p[i], b->p[i], is_text);
        CMP_D(a->p[i], b->p[i], num);
        if (strcmp(hb_param_text(a, &a->p[i]), hb_param_text(b, &b->p[i])))
            return DIFF("text of %s differs", a->p[i].key);
    }
    return 1;
}

static int same_peak(const hb_peak_value *a, const hb_peak_value *b)
{
    CMP_D(*a, *b, value);
    CMP_I(*a, *b, src);
    CMP_S(*a, *b, detail);
    return 1;
}

static int same_device(const hb_device *a, const hb_device *b)
{
    CMP_I(*a, *b, index); CMP_I(*a, *b, kind);
    CMP_S(*a, *b, platform_name); CMP_S(*a, *b, platform_version); CMP_S(*a, *b, name);
    CMP_S(*a, *b, vendor); CMP_S(*a, *b, type); CMP_S(*a, *b, driver_version);
    CMP_S(*a, *b, cl_version); CMP_S(*a, *b, clc_version);
    CMP_I(*a, *b, compute_units); CMP_I(*a, *b, max_clock_mhz);
    CMP_I(*a, *b, global_mem_bytes); CMP_I(*a, *b, max_alloc_bytes);
    CMP_I(*a, *b, global_cache_bytes); CMP_I(*a, *b, cache_line_bytes);
    CMP_I(*a, *b, local_mem_bytes); CMP_I(*a, *b, max_work_group_size);
    CMP_I(*a, *b, fp64); CMP_I(*a, *b, fp16); CMP_I(*a, *b, vendor_id);
    CMP_I(*a, *b, has_pci); CMP_I(*a, *b, pci_domain); CMP_I(*a, *b, pci_bus);
    CMP_I(*a, *b, pci_dev); CMP_I(*a, *b, pci_func); CMP_S(*a, *b, pci_bus_id);
    CMP_I(*a, *b, pci_vendor_id); CMP_I(*a, *b, pci_device_id);
    CMP_S(*a, *b, numa_nodes); CMP_S(*a, *b, cpuset); CMP_I(*a, *b, n_cores);
    CMP_I(*a, *b, n_pus); CMP_S(*a, *b, locality_source);
    CMP_S(*a, *b, board_name);
    CMP_S(*a, *b, uuid); CMP_S(*a, *b, uuid_source); CMP_S(*a, *b, serial); CMP_S(*a, *b, identity_detail);
    return same_peak(&a->peaks.bw_gbs, &b->peaks.bw_gbs)
        && same_peak(&a->peaks.fp32_gflops, &b->peaks.fp32_gflops)
        && same_peak(&a->peaks.fp64_gflops, &b->peaks.fp64_gflops);
}

static int same_result(const hb_result *a, const hb_result *b)
{
    CMP_I(*a, *b, device_index); CMP_S(*a, *b, device); CMP_S(*a, *b, pci_bus_id);
    CMP_S(*a, *b, bench); CMP_S(*a, *b, family); CMP_S(*a, *b, dtype);
    CMP_I(*a, *b, elements); CMP_D(*a, *b, bytes_per_iter); CMP_D(*a, *b, flops_per_iter);
    if (!same_params(&a->config, &b->config))
        return 0;
    CMP_I(a->stats, b->stats, n); CMP_D(a->stats, b->stats, min);
    CMP_D(a->stats, b->stats, median); CMP_D(a->stats, b->stats, mean);
    CMP_D(a->stats, b->stats, max); CMP_D(a->stats, b->stats, stddev);
    CMP_D(a->stats, b->stats, cv);
    CMP_I(*a, *b, n_samples);
    for (size_t i = 0; i < a->n_samples; i++)
        CMP_D(*a, *b, samples_s[i]);
    CMP_D(*a, *b, wall_s_per_iter); CMP_S(*a, *b, timer);
    CMP_D(*a, *b, bw_best_gbs); CMP_D(*a, *b, bw_median_gbs);
    CMP_D(*a, *b, gflops_best); CMP_D(*a, *b, gflops_median);
    CMP_D(*a, *b, peak_bw_gbs); CMP_S(*a, *b, peak_source); CMP_D(*a, *b, percent_of_peak);
    CMP_I(*a, *b, valid); CMP_S(*a, *b, notes); CMP_I(*a, *b, n_grid);
    CMP_S(*a, *b, node); CMP_I(*a, *b, rank);
    CMP_S(*a, *b, problem); CMP_D(*a, *b, ops_per_iter); CMP_S(*a, *b, model); CMP_S(*a, *b, percent_basis);
    CMP_S(a->figure, b->figure, name); CMP_S(a->figure, b->figure, unit); CMP_S(a->figure, b->figure, count);
    CMP_I(a->figure, b->figure, lower_is_better); CMP_D(a->figure, b->figure, best);
    CMP_D(a->figure, b->figure, median); CMP_D(a->figure, b->figure, peak);
    CMP_S(a->figure, b->figure, peak_source);
    for (size_t i = 0; i < a->n_grid; i++) {
        if (!same_params(&a->grid[i].config, &b->grid[i].config))
            return 0;
        CMP_D(a->grid[i], b->grid[i], best_gbs); CMP_D(a->grid[i], b->grid[i], median_gbs);
        CMP_I(a->grid[i], b->grid[i], valid); CMP_S(a->grid[i], b->grid[i], note);
    }
    return 1;
}

static int same_run(const hb_run *a, const hb_run *b)
{
    CMP_I(*a, *b, schema_version); CMP_S(*a, *b, tool_version); CMP_S(*a, *b, git_commit);
    CMP_S(*a, *b, created); CMP_S(*a, *b, command_line);
    CMP_S(a->host, b->host, hostname); CMP_S(a->host, b->host, os);
    CMP_S(a->scheduler, b->scheduler, name); CMP_S(a->scheduler, b->scheduler, job_id);
    CMP_S(a->scheduler, b->scheduler, job_name);
    if (strcmp(a->scheduler.nodes, b->scheduler.nodes)) return DIFF("scheduler.nodes differ");
    CMP_S(a->scheduler, b->scheduler, nodes_from); CMP_S(a->scheduler, b->scheduler, step_id);
    CMP_S(a->scheduler, b->scheduler, array_job_id); CMP_S(a->scheduler, b->scheduler, array_task_id);
    CMP_S(a->host, b->host, kernel); CMP_S(a->host, b->host, cpu_model);
    CMP_S(a->host, b->host, hwloc_version); CMP_I(a->host, b->host, packages);
    CMP_I(a->host, b->host, numa_nodes); CMP_I(a->host, b->host, cores);
    CMP_I(a->host, b->host, pus); CMP_I(a->host, b->host, memory_bytes);
    CMP_I(a->host, b->host, n_caches);
    for (int i = 0; i < a->host.n_caches; i++) {
        CMP_S(a->host.caches[i], b->host.caches[i], name);
        CMP_I(a->host.caches[i], b->host.caches[i], size_bytes);
        CMP_I(a->host.caches[i], b->host.caches[i], count);
        CMP_I(a->host.caches[i], b->host.caches[i], line_bytes);
    }
    if (!same_params(&a->config, &b->config))
        return 0;
    CMP_I(*a, *b, n_devices);
    for (size_t i = 0; i < a->n_devices; i++)
        if (!same_device(&a->devices[i], &b->devices[i]))
            return 0;
    CMP_I(a->results, b->results, n);
    for (size_t i = 0; i < a->results.n; i++)
        if (!same_result(&a->results.v[i], &b->results.v[i]))
            return 0;
    return 1;
}


/* Whole-file helpers. */
static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    rewind(fp);
    char *buf = calloc((size_t)n + 1, 1);
    if (buf && fread(buf, 1, (size_t)n, fp) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(fp);
    if (len)
        *len = (size_t)n;
    return buf;
}

static void spit(const char *path, const char *text, size_t len)
{
    FILE *fp = fopen(path, "wb");
    if (fp) {
        fwrite(text, 1, len, fp);
        fclose(fp);
    }
}

static int count_temp_files(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        n += strstr(e->d_name, ".tmp.") != NULL;
    if (d)
        closedir(d);
    return n;
}

static void test_write(const hb_run *run, const char *dir, const char *path)
{
    hb_err err = { 0 };
    int rc = hb_json_write_run(run, path, 0, &err);
    check(rc == HB_OK, "write creates the missing results/ directory and the file", err.msg);

    size_t len;
    char *file = slurp(path, &len);
    char *text = hb_json_run_dumps(run);
    check(file && text && len == strlen(text) + 1 && memcmp(file, text, len - 1) == 0
          && file[len - 1] == '\n', "file is hb_json_run_dumps() plus a newline",
          "contents differ");

    hb_run back;
    rc = hb_json_read_run(path, &back, &err);
    snprintf(why, sizeof why, "%s", err.msg);
    check(rc == HB_OK && same_run(run, &back), "every field reads back exactly", why);
    char *again = rc == HB_OK ? hb_json_run_dumps(&back) : NULL;
    check(again && text && strcmp(again, text) == 0, "what is read back writes the same bytes",
          "the documents differ");
    free(again);
    hb_run_free_read(&back);

    hb_run changed = *run;
    snprintf(changed.created, sizeof changed.created, "2027-01-01T00:00:00Z");
    rc = hb_json_write_run(&changed, path, 0, &err);
    char *after = slurp(path, NULL);
    check(rc == HB_EUSAGE && strstr(err.msg, path) && strstr(err.msg, "refusing to overwrite")
          && after && strcmp(after, file) == 0,
          "without --force an existing file is refused and left byte-identical", err.msg);
    free(after);

    rc = hb_json_write_run(&changed, path, 1, &err);
    int read_rc = hb_json_read_run(path, &back, &err);
    check(rc == HB_OK && read_rc == HB_OK && strcmp(back.created, changed.created) == 0,
          "with --force the file is replaced", err.msg);
    hb_run_free_read(&back);
    check(count_temp_files(dir) == 0, "no temp file remains", "a *.tmp.* file is left");

    char deep[512];
    snprintf(deep, sizeof deep, "%s/no/such/run.json", dir);
    rc = hb_json_write_run(run, deep, 0, &err);
    check(rc == HB_EUSAGE && strstr(err.msg, deep), "only the immediate parent is created",
          err.msg);
    free(file);
    free(text);
}

static void test_devices_dumps(const hb_device *devs)
{
    char *s = hb_json_devices_dumps(devs, 2);
    json_t *doc = s ? json_loads(s, 0, NULL) : NULL;
    json_t *d = json_array_get(json_object_get(doc, "devices"), 1);
    json_t *bw = json_object_get(json_object_get(json_object_get(d, "peaks"), "bandwidth_gbs"),
                                 "value");
    json_t *vid = json_object_get(json_object_get(json_array_get(
        json_object_get(doc, "devices"), 0), "pci"), "vendor_id");
    check(json_integer_value(json_object_get(doc, "schema_version")) == HB_SCHEMA_VERSION
          && strcmp(json_string_value(json_object_get(json_object_get(doc, "tool"), "name")),
                    "hbmbench") == 0
          && json_array_size(json_object_get(doc, "devices")) == 2 && json_is_null(bw)
          && json_is_string(vid) && strcmp(json_string_value(vid), "0x10de") == 0,
          "device list document", s ? s : "NULL");
    json_decref(doc);
    free(s);

    hb_device latin1 = devs[1];
    snprintf(latin1.name, sizeof latin1.name, "Caf\xe9 CPU");
    json_t *j = hb_json_device(&latin1);
    const char *name = json_string_value(json_object_get(j, "name"));
    check(name && strcmp(name, "Caf? CPU") == 0, "a name that is not UTF-8 is made valid",
          name ? name : "NULL");
    json_decref(j);
}

/* Writes a copy of the good file with one change made by edit(). */
static void write_variant(const char *good, const char *path, void (*edit)(json_t *))
{
    json_t *doc = json_load_file(good, 0, NULL);
    edit(doc);
    json_dump_file(doc, path, JSON_INDENT(2));
    json_decref(doc);
}

static void edit_version(json_t *doc)
{
    json_object_set_new(doc, "schema_version", json_integer(99));
}

static void edit_type(json_t *doc)
{
    json_t *stats = json_object_get(json_array_get(json_object_get(doc, "results"), 2), "stats");
    json_object_set_new(stats, "min_s", json_string("fast"));
}

/* Damaged samples (compare's input): each must fail, never read as fewer
 * samples. results[0] is the valid triad with 5 samples. */
static json_t *samples0(json_t *doc)
{
    return json_object_get(json_array_get(json_object_get(doc, "results"), 0), "samples_s");
}

static void edit_null_sample(json_t *doc)
{
    json_array_set_new(samples0(doc), 1, json_null());
}

static void edit_zero_sample(json_t *doc)
{
    json_array_set_new(samples0(doc), 2, json_real(0.0));
}

static void edit_negative_sample(json_t *doc)
{
    json_array_set_new(samples0(doc), 3, json_real(-2.7e-4));
}

static void edit_no_samples(json_t *doc)
{
    json_object_del(json_array_get(json_object_get(doc, "results"), 0), "samples_s");
}

static void edit_cut_samples(json_t *doc)
{
    json_array_remove(samples0(doc), 4);
}

static void edit_valid_empty(json_t *doc)
{
    json_t *r = json_array_get(json_object_get(doc, "results"), 0);
    json_array_clear(json_object_get(r, "samples_s"));
    json_object_set_new(json_object_get(r, "stats"), "n", json_null());
}

static void edit_no_bytes(json_t *doc)
{
    json_object_set_new(json_array_get(json_object_get(doc, "results"), 0), "bytes_per_iter", json_null());
}

static void expect_bad(const char *name, const char *path, const char *want, int want_pos)
{
    hb_run run;
    hb_err err = { 0 };
    int rc = hb_json_read_run(path, &run, &err);
    size_t plen = strlen(path);
    int line = 0, col = 0;
    int named = strncmp(err.msg, path, plen) == 0;
    int pos = named && sscanf(err.msg + plen, ":%d:%d: ", &line, &col) == 2 && line > 0;
    int ok = rc == HB_EUSAGE && named && strstr(err.msg, want) && (!want_pos || pos)
             && run.results.n == 0 && run.devices == NULL;
    char name_full[128];
    snprintf(name_full, sizeof name_full, "reading %s fails clearly", name);
    check(ok, name_full, err.msg);
    if (ok)
        printf("     %s\n", err.msg);
}

static void test_bad_inputs(const char *dir, const char *good)
{
    char p[512];
    size_t len;
    char *text = slurp(good, &len);

    snprintf(p, sizeof p, "%s/malformed.json", dir);
    spit(p, "{\"schema_version\": 1, ", 22);
    expect_bad("malformed JSON", p, "", 1);
    snprintf(p, sizeof p, "%s/empty.json", dir);
    spit(p, "", 0);
    expect_bad("an empty file", p, "empty file", 0);
    snprintf(p, sizeof p, "%s/truncated.json", dir);
    spit(p, text, len / 2);
    expect_bad("a truncated file", p, "", 1);
    snprintf(p, sizeof p, "%s/array.json", dir);
    spit(p, "[1, 2]\n", 7);
    expect_bad("a JSON array", p, "not an hbmbench result file", 0);
    snprintf(p, sizeof p, "%s/other.json", dir);
    spit(p, "{\"schema_version\": 1, \"tool\": {\"name\": \"fio\"}}", 46);
    expect_bad("another tool's JSON", p, "not an hbmbench result file", 0);
    snprintf(p, sizeof p, "%s/newer.json", dir);
    write_variant(good, p, edit_version);
    expect_bad("schema_version 99", p, "written by a newer hbmbench (schema_version 99;", 0);
    snprintf(p, sizeof p, "%s/wrongtype.json", dir);
    write_variant(good, p, edit_type);
    expect_bad("a field of the wrong type", p, ": results[2].stats.min_s: expected a number or null", 0);
    snprintf(p, sizeof p, "%s/list.json", dir);
    char *list = hb_json_devices_dumps(NULL, 0);
    spit(p, list, strlen(list));
    free(list);
    expect_bad("a device list", p, "no \"results\" array", 0);
    snprintf(p, sizeof p, "%s/absent.json", dir);
    expect_bad("a missing file", p, "cannot read: No such file", 0);
    static const struct {
        const char *name, *want;
        void (*edit)(json_t *);
    } damaged[] = {
        {"a null sample", ": results[0].samples_s[1]: expected a positive number of seconds, got null",
         edit_null_sample},
        {"a zero sample", ": results[0].samples_s[2]: expected a positive number of seconds, got 0",
         edit_zero_sample},
        {"a negative sample", ": results[0].samples_s[3]: expected a positive number of seconds, got -0.00027",
         edit_negative_sample},
        {"missing samples_s", ": results[0].samples_s: missing", edit_no_samples},
        {"fewer samples than stats.n", ": results[0].samples_s: 4 samples, but stats.n says 5", edit_cut_samples},
        {"a valid result without samples", ": results[0].samples_s: empty, but the result is valid",
         edit_valid_empty},
        {"a valid result without bytes_per_iter", ": results[0].bytes_per_iter: expected a positive number",
         edit_no_bytes},
    };
    for (size_t i = 0; i < sizeof damaged / sizeof damaged[0]; i++) {
        snprintf(p, sizeof p, "%s/damaged%zu.json", dir, i);
        write_variant(good, p, damaged[i].edit);
        expect_bad(damaged[i].name, p, damaged[i].want, 0);
    }
    free(text);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

int main(int argc, char **argv)
{
    const char *tmpdir = getenv("TMPDIR");
    char dir[256], results_dir[300], path[400];
    snprintf(dir, sizeof dir, "%s/hb_json_XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
    if (!mkdtemp(dir)) {
        printf("FAIL setup: cannot create %s\n", dir);
        return 1;
    }
    snprintf(results_dir, sizeof results_dir, "%s/results", dir);
    snprintf(path, sizeof path, "%s/gpu-node-07-20261124T171933Z.json", results_dir);

    hb_device devs[2];
    hb_run run;
    make_run(&run, devs);
    test_write(&run, results_dir, path);
    test_devices_dumps(devs);
    test_bad_inputs(dir, path);

    if (argc > 1) {
        hb_err err = { 0 };
        check(hb_json_write_run(&run, argv[1], 1, &err) == HB_OK, "fixture written", err.msg);
    }
    hb_result_list_free(&run.results);
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    printf("%s: %d failure(s)\n", failures ? "FAIL" : "PASS", failures);
    return failures != 0;
}
