/* SPDX-License-Identifier: Apache-2.0 */
/* runner/cluster/ without a launcher: the options, launch detection, how
 * devices are dealt to local ranks, the merge of rank reports, and the
 * outlier rules on made-up figures (docs/cluster.md). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cluster.h"
#include "cluster_internal.h"
#include "json_io.h"
#include "read_file.h"

static int failures;

static void check(int ok, const char *what)
{
    printf("%s %s\n", ok ? "PASS" : "FAIL", what);
    failures += !ok;
}

static void test_opts(void)
{
    char *argv[] = {"run", "--size", "1MiB", "--rank-timeout", "5", "--pin=none", "--outlier-fraction=0.8",
                    "--outlier-cv", "4", "--iters", "3", NULL};
    char *rest[16];
    int n = 0;
    hb_cluster_opts o;
    hb_err err = {0};
    int rc = hb_cluster_opts_take(11, argv, &o, rest, &n, &err);
    check(rc == 0 && n == 5 && !strcmp(rest[1], "--size") && !strcmp(rest[3], "--iters") && rest[5] == NULL,
          "options: cluster options taken out, the rest kept in order");
    check(o.rank_timeout_s == 5 && !o.pin && o.outlier_fraction == 0.8 && o.noisy_cv_factor == 4 && o.given,
          "options: values read");
    char *plain[] = {"run", "--size", "1MiB", NULL};
    rc = hb_cluster_opts_take(3, plain, &o, rest, &n, &err);
    check(rc == 0 && n == 3 && !o.given && o.rank_timeout_s == 600 && o.outlier_fraction == 0.9 &&
              o.noisy_cv_factor == 3 && o.pin,
          "options: defaults (600 s, 0.9, 3, pin device)");
    const char *bad[][2] = {{"--rank-timeout", "-1"}, {"--outlier-fraction", "0"}, {"--outlier-fraction", "1.5"},
                            {"--outlier-cv", "0.5"}, {"--pin", "cores"}, {"--rank-timeout", "5s"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *a[] = {"run", (char *)bad[i][0], (char *)bad[i][1], NULL};
        char what[96];
        snprintf(what, sizeof what, "options: %s %s refused (exit 2)", bad[i][0], bad[i][1]);
        check(hb_cluster_opts_take(3, a, &o, rest, &n, &err) == HB_EUSAGE && strstr(err.msg, bad[i][0]), what);
    }
    char *missing[] = {"run", "--rank-timeout", NULL};
    check(hb_cluster_opts_take(2, missing, &o, rest, &n, &err) == HB_EUSAGE, "options: a missing value refused");
}

static void clear_env(void)
{
    static const char *const vars[] = {"HB_CLUSTER", "OMPI_COMM_WORLD_SIZE", "OMPI_COMM_WORLD_RANK",
                                       "OMPI_COMM_WORLD_LOCAL_RANK", "SLURM_STEP_ID", "SLURM_PROCID",
                                       "SLURM_LOCALID", "PMIX_RANK", "PMI_SIZE", "PMI_RANK"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
        unsetenv(vars[i]);
}

static void test_launch(void)
{
    hb_launch l;
    clear_env();
    check(!hb_cluster_launched(), "launch: a plain environment is no MPI run");
    setenv("OMPI_COMM_WORLD_SIZE", "4", 1);
    setenv("OMPI_COMM_WORLD_RANK", "2", 1);
    setenv("OMPI_COMM_WORLD_LOCAL_RANK", "1", 1);
    hb_launch_detect(&l);
    check(l.launcher && !strcmp(l.launcher, "open-mpi") && l.env_rank == 2 && l.env_local_rank == 1,
          "launch: Open MPI's mpirun, rank and local rank");
    setenv("HB_CLUSTER", "0", 1);
    check(!hb_cluster_launched(), "launch: HB_CLUSTER=0 forces a plain run");
    clear_env();
    setenv("SLURM_PROCID", "0", 1);
    setenv("SLURM_LOCALID", "0", 1);
    check(!hb_cluster_launched(), "launch: a batch script's SLURM_ variables without a step are no MPI run");
    setenv("SLURM_STEP_ID", "0", 1);
    hb_launch_detect(&l);
    check(l.launcher && !strcmp(l.launcher, "slurm") && l.env_rank == 0, "launch: srun (SLURM_STEP_ID)");
    clear_env();
    setenv("PMI_SIZE", "2", 1);
    setenv("PMI_RANK", "1", 1);
    hb_launch_detect(&l);
    check(l.launcher && !strcmp(l.launcher, "pmi") && l.env_rank == 1, "launch: a PMI-1 launcher (Hydra)");
    clear_env();
    setenv("HB_CLUSTER", "1", 1);
    hb_launch_detect(&l);
    check(l.launcher && !strcmp(l.launcher, "forced") && l.env_rank == -1, "launch: HB_CLUSTER=1 forces one");
    clear_env();
}

static void test_pick(void)
{
    hb_device d[4];
    memset(d, 0, sizeof d);
    const char *numa[] = {"1", "0", "0", "0-1"}, *pci[] = {"0000:c1:00.0", "0000:41:00.0", "0000:01:00.0", ""};
    for (int i = 0; i < 4; i++) {
        d[i].index = i;
        snprintf(d[i].numa_nodes, sizeof d[i].numa_nodes, "%s", numa[i]);
        snprintf(d[i].pci_bus_id, sizeof d[i].pci_bus_id, "%s", pci[i]);
    }
    const hb_device *c[4] = {&d[0], &d[1], &d[2], &d[3]};
    int order[4], shared = 0;
    int slot = hb_cluster_pick(c, 4, 0, 4, order, &shared);
    /* NUMA 0 first (PCI order within it: 01 before 41, then the one without
     * PCI, "0-1"), then NUMA 1. */
    check(order[0] == 2 && order[1] == 1 && order[2] == 3 && order[3] == 0, "pick: locality order (NUMA, PCI)");
    check(slot == 0 && shared == 1, "pick: local rank 0 of 4 takes the first, alone");
    slot = hb_cluster_pick(c, 4, 3, 4, order, &shared);
    check(order[slot] == 0 && shared == 1, "pick: local rank 3 of 4 takes the fourth");
    slot = hb_cluster_pick(c, 2, 2, 3, order, &shared);
    check(slot == 0 && shared == 2, "pick: 3 ranks on 2 devices: local rank 2 shares the first with rank 0");
    slot = hb_cluster_pick(c, 2, 1, 3, order, &shared);
    check(slot == 1 && shared == 1, "pick: ... and local rank 1 has the second alone");
}

/* A result as a rank's file has it. */
static json_t *result(const char *device, const char *bench, int rank, double median, double cv, int valid)
{
    json_t *r = json_pack("{s:s, s:i, s:s, s:s, s:s, s:I, s:n, s:n, s:n, s:f, s:{s:f}, s:{s:f, s:f}, s:{s:n, s:n},"
                          " s:b, s:s}",
                          "device", device, "device_index", 0, "bench", bench, "family",
                          strcmp(bench, "gemm") ? "stream" : "gemm", "dtype", "f32", "elements", (json_int_t)1024, "m",
                          "n", "k", "flops_per_iter", strcmp(bench, "gemm") ? 0.0 : 2e9, "stats", "cv", cv,
                          "bandwidth_gbs", "best", median * 1.01, "median", median, "gflops", "best", "median",
                          "valid", valid, "percent_of_peak_basis", strcmp(bench, "gemm") ? "bandwidth" : "fp32");
    char node[16];
    snprintf(node, sizeof node, "node-%d", rank / 2);
    json_object_set_new(r, "device_index", json_integer(rank % 2)); /* two ranks per node, a device each */
    json_object_set_new(r, "rank", json_integer(rank));
    json_object_set_new(r, "node", json_string(node));
    int gemm = !strcmp(bench, "gemm"), latency = !strcmp(bench, "latency");
    if (gemm) {
        json_object_set_new(json_object_get(r, "gflops"), "median", json_real(median));
        json_object_set_new(json_object_get(r, "gflops"), "best", json_real(median));
        json_object_set_new(json_object_get(r, "bandwidth_gbs"), "median", json_real(1));
    }
    /* the figure the outliers read (schema 2): GFLOP/s for gemm, ns for latency, else GB/s */
    json_object_set_new(r, "figure", json_pack("{s:s, s:s, s:s, s:s, s:f, s:f, s:n, s:n}", "name",
                                               gemm ? "flops" : latency ? "latency" : "bandwidth", "unit",
                                               gemm ? "GFLOP/s" : latency ? "ns" : "GB/s", "better",
                                               latency ? "lower" : "higher", "count", gemm ? "flops" : "bytes",
                                               "best", gemm || latency ? median : median * 1.01, "median", median,
                                               "peak", "peak_source"));
    return r;
}

static json_t *doc_with(json_t *results)
{
    return json_pack("{s:o, s:{s:[], s:[]}}", "results", results, "cluster", "aggregates", "outliers");
}

static void window(json_t *r, double from, double until, int repetition)
{
    json_object_set_new(r, "timed_window", json_pack("{s:f, s:f}", "from_unix_s", from, "until_unix_s", until));
    if (repetition)
        json_object_set_new(r, "repetition", json_integer(repetition));
}

static json_t *aggregate_of(json_t *rs, const char *phase)
{
    json_t *doc = doc_with(rs), *v, *found = NULL;
    hb_cluster_opts o = {.outlier_fraction = 0.9, .noisy_cv_factor = 3, .pin = 1};
    hb_err err = {0};
    check(hb_cluster_outliers(doc, &o, &err) == 0, "aggregates: computed");
    size_t i;
    json_array_foreach(json_object_get(json_object_get(doc, "cluster"), "aggregates"), i, v)
        if (!strcmp(json_string_value(json_object_get(v, "phase")), phase))
            found = json_deep_copy(v);
    json_decref(doc);
    return found;
}

/* What a total may add: devices, not results; never a shared device;
 * and whether they were timed at once (docs/cluster.md, "Aggregates"). */
static void test_aggregate_devices(void)
{
    /* Two ranks on two devices, two repetitions each; their windows overlap by 0.5 s in each. */
    json_t *rs = json_array();
    const double med[] = {100, 110, 200, 220};
    for (int k = 0; k < 4; k++) {
        json_t *r = result("GPU A", "triad", k / 2, med[k], 0.01, 1);
        window(r, 1000 + 10 * (k % 2) + 0.5 * (k / 2), 1001 + 10 * (k % 2) + 0.5 * (k / 2), 1 + k % 2);
        json_array_append_new(rs, r);
    }
    json_t *a = aggregate_of(rs, "alone");
    check(a && json_integer_value(json_object_get(a, "results")) == 4 &&
              json_integer_value(json_object_get(a, "devices")) == 2 &&
              json_integer_value(json_object_get(a, "ranks")) == 2 &&
              fabs(json_number_value(json_object_get(a, "total")) - 315) < 1e-9 &&
              json_is_true(json_object_get(a, "simultaneous")) &&
              fabs(json_number_value(json_object_get(a, "overlap_s")) - 0.5) < 1e-9,
          "aggregates: --repeat 2 on 2 devices: total 105 + 210 = 315 (each device's median, not 630), at once "
          "(0.5 s overlap in each repetition)");
    json_decref(a);

    /* The same, but rank 1's second repetition came after rank 0's. */
    rs = json_array();
    for (int k = 0; k < 4; k++) {
        json_t *r = result("GPU A", "triad", k / 2, med[k], 0.01, 1);
        window(r, k == 3 ? 1012 : 1000 + 10 * (k % 2), k == 3 ? 1013 : 1001 + 10 * (k % 2), 1 + k % 2);
        json_array_append_new(rs, r);
    }
    a = aggregate_of(rs, "alone");
    check(a && json_is_false(json_object_get(a, "simultaneous")) &&
              fabs(json_number_value(json_object_get(a, "overlap_s")) + 1) < 1e-9 &&
              fabs(json_number_value(json_object_get(a, "total")) - 315) < 1e-9,
          "aggregates: one repetition timed apart (1 s gap): not simultaneous, overlap -1 s; the total stands as a sum");
    json_decref(a);

    /* Three ranks on one node's one device: shared, no total. */
    rs = json_array();
    for (int k = 0; k < 3; k++) {
        json_t *r = result("GPU A", "copy", k, 100, 0.01, 1);
        json_object_set_new(r, "node", json_string("node-0"));
        json_object_set_new(r, "device_index", json_integer(0));
        json_array_append_new(rs, r);
    }
    a = aggregate_of(rs, "alone");
    check(a && json_integer_value(json_object_get(a, "devices")) == 1 &&
              json_integer_value(json_object_get(a, "shared_devices")) == 1 &&
              json_integer_value(json_object_get(a, "ranks")) == 3 && json_is_null(json_object_get(a, "total")) &&
              json_is_null(json_object_get(a, "best_total")),
          "aggregates: 3 ranks on one device: 1 device, shared, no total");
    json_decref(a);

    /* --concurrent: the solo and together results of the same devices are two groups. */
    rs = json_array();
    for (int k = 0; k < 4; k++) {
        json_t *r = result("GPU A", "triad", k % 2, k < 2 ? 100 : 80, 0.01, 1);
        if (k >= 2)
            json_object_set_new(r, "concurrent", json_pack("{s:i, s:i}", "devices", 1, "step", 1));
        json_array_append_new(rs, r);
    }
    json_t *copy = json_deep_copy(rs);
    a = aggregate_of(rs, "together");
    json_t *alone = aggregate_of(copy, "alone");
    check(a && alone && fabs(json_number_value(json_object_get(a, "total")) - 160) < 1e-9 &&
              fabs(json_number_value(json_object_get(alone, "total")) - 200) < 1e-9 &&
              json_integer_value(json_object_get(a, "results")) == 2,
          "aggregates: --concurrent's together results (160) apart from the solo ones (200)");
    json_decref(a);
    json_decref(alone);
}

static void test_outliers(void)
{
    json_t *rs = json_array();
    const double med[] = {100, 101, 99, 85, 95}, cv[] = {0.010, 0.012, 0.011, 0.010, 0.20};
    for (int i = 0; i < 5; i++)
        json_array_append_new(rs, result("GPU A", "triad", i, med[i], cv[i], 1));
    json_array_append_new(rs, result("GPU A", "triad", 5, 10, 0.01, 0));   /* invalid: not counted */
    json_array_append_new(rs, result("GPU B", "triad", 6, 10, 0.5, 1));    /* alone: never an outlier */
    for (int i = 0; i < 3; i++)                                            /* GFLOP/s, its own group */
        json_array_append_new(rs, result("GPU A", "gemm", i, i == 2 ? 500 : 1000, 0.01, 1));
    json_t *doc = doc_with(rs);
    hb_cluster_opts o = {.outlier_fraction = 0.9, .noisy_cv_factor = 3, .pin = 1};
    hb_err err = {0};
    check(hb_cluster_outliers(doc, &o, &err) == 0, "outliers: computed");
    json_t *outs = json_object_get(json_object_get(doc, "cluster"), "outliers");
    json_t *aggs = json_object_get(json_object_get(doc, "cluster"), "aggregates");
    check(json_array_size(outs) == 3, "outliers: three (two slow, one noisy)");
    json_t *o0 = json_array_get(outs, 0), *o1 = json_array_get(outs, 1), *o2 = json_array_get(outs, 2);
    check(!strcmp(json_string_value(json_object_get(o0, "kind")), "slow") &&
              json_integer_value(json_object_get(o0, "rank")) == 2 &&
              !strcmp(json_string_value(json_object_get(o0, "unit")), "GFLOP/s") &&
              fabs(json_number_value(json_object_get(o0, "ratio")) - 0.5) < 1e-12,
          "outliers: the worst slow one first: gemm on rank 2, 0.5 x the median, in GFLOP/s");
    check(!strcmp(json_string_value(json_object_get(o1, "kind")), "slow") &&
              json_integer_value(json_object_get(o1, "rank")) == 3 &&
              fabs(json_number_value(json_object_get(o1, "group_median")) - 99) < 1e-12 &&
              json_integer_value(json_object_get(o1, "group_size")) == 5,
          "outliers: rank 3 slow at 85 against the median 99 of 5 valid results (0.95 x is not)");
    check(!strcmp(json_string_value(json_object_get(o2, "kind")), "noisy") &&
              json_integer_value(json_object_get(o2, "rank")) == 4,
          "outliers: rank 4 noisy (CV 20 % against a median 1.1 %)");
    json_t *r3 = json_array_get(rs, 3), *r4 = json_array_get(rs, 4), *r0 = json_array_get(rs, 0);
    check(json_array_size(json_object_get(r3, "outlier")) == 1 && json_array_size(json_object_get(r4, "outlier")) == 1 &&
              json_array_size(json_object_get(r0, "outlier")) == 0 &&
              json_array_size(json_object_get(json_array_get(rs, 6), "outlier")) == 0,
          "outliers: results say it too; others carry []");
    check(json_array_size(aggs) == 3, "aggregates: one per group (GPU A triad, GPU A gemm, GPU B triad)");
    json_t *a = NULL;
    size_t i;
    json_t *v;
    json_array_foreach(aggs, i, v)
        if (!strcmp(json_string_value(json_object_get(v, "bench")), "triad") &&
            !strcmp(json_string_value(json_object_get(v, "device")), "GPU A"))
            a = v;
    check(a && json_integer_value(json_object_get(a, "ranks")) == 5 &&
              json_integer_value(json_object_get(a, "nodes")) == 3 &&
              fabs(json_number_value(json_object_get(a, "total")) - 480) < 1e-9 &&
              json_number_value(json_object_get(a, "min")) == 85 && json_number_value(json_object_get(a, "max")) == 101,
          "aggregates: GPU A triad: 5 ranks on 3 nodes, total 480, min 85, max 101");
    check(a && json_integer_value(json_object_get(a, "devices")) == 5 &&
              json_integer_value(json_object_get(a, "shared_devices")) == 0 &&
              json_is_null(json_object_get(a, "simultaneous")) && json_is_null(json_object_get(a, "overlap_s")) &&
              !strcmp(json_string_value(json_object_get(a, "phase")), "alone"),
          "aggregates: 5 devices, none shared, alone; simultaneous unknown (no timed windows)");
    json_decref(doc);

    test_aggregate_devices();

    /* Two devices: the median is their mean; the noise rule needs three. */
    rs = json_array();
    json_array_append_new(rs, result("GPU A", "copy", 0, 100, 0.01, 1));
    json_array_append_new(rs, result("GPU A", "copy", 1, 80, 0.3, 1));
    doc = doc_with(rs);
    hb_cluster_outliers(doc, &o, &err);
    outs = json_object_get(json_object_get(doc, "cluster"), "outliers");
    check(json_array_size(outs) == 1 && !strcmp(json_string_value(json_object_get(json_array_get(outs, 0), "kind")),
                                                "slow"),
          "outliers: of two devices, 80 is slow against their median 90; no noise rule with two");
    json_decref(doc);

    /* A time (lower is better): the slow one takes longer; a shorter one is no outlier. */
    rs = json_array();
    const double ns[] = {100, 101, 99, 130, 80};
    for (int k = 0; k < 5; k++)
        json_array_append_new(rs, result("GPU A", "latency", k, ns[k], 0.01, 1));
    doc = doc_with(rs);
    hb_cluster_outliers(doc, &o, &err);
    outs = json_object_get(json_object_get(doc, "cluster"), "outliers");
    aggs = json_object_get(json_object_get(doc, "cluster"), "aggregates");
    o0 = json_array_get(outs, 0);
    check(json_array_size(outs) == 1 && json_integer_value(json_object_get(o0, "rank")) == 3 &&
              !strcmp(json_string_value(json_object_get(o0, "unit")), "ns") &&
              !strcmp(json_string_value(json_object_get(o0, "better")), "lower") &&
              fabs(json_number_value(json_object_get(o0, "ratio")) - 100.0 / 130) < 1e-12,
          "outliers: latency 130 ns against a median 100 ns is slow (speed 0.77); 80 ns is not");
    a = json_array_get(aggs, 0);
    check(json_is_null(json_object_get(a, "total")) && json_is_null(json_object_get(a, "best_total")) &&
              !strcmp(json_string_value(json_object_get(a, "better")), "lower"),
          "aggregates: no total of times");
    json_decref(doc);
}

static json_t *report(int rank, const char *status, json_t *doc)
{
    char node[16];
    snprintf(node, sizeof node, "node-%d", rank);
    return json_pack("{s:i, s:s, s:i, s:i, s:s, s:i, s:s, s:i, s:s, s:i, s:s, s:f, s:s, s:o}", "rank", rank, "node",
                     node, "local_rank", 0, "local_size", 1, "status", status, "exit_code", doc ? 0 : 1, "message",
                     doc ? "" : "it failed", "device_index", 0, "device", "GPU A", "device_shared_by", 1, "cpuset",
                     "0-7", "wall_s", 1.5, "test_injection", "", "doc", doc ? doc : json_null());
}

static json_t *rank_doc(const char *command)
{
    return json_pack("{s:i, s:{s:s}, s:{s:s}, s:[{s:i}], s:[{s:s}, {s:s}], s:[]}", "schema_version", 1, "host",
                     "hostname", "node", "config", "command_line", command, "devices", "index", 0, "results", "bench",
                     "copy", "bench", "triad", "roofline");
}

static void test_merge(void)
{
    hb_cluster_opts o = {.rank_timeout_s = 0, .outlier_fraction = 0.9, .noisy_cv_factor = 3, .pin = 1};
    hb_cluster_meta m = {"open-mpi", 3, "hbmbench run --rank-timeout 0", &o, NAN, NULL, NULL};
    json_t *reps[3] = {report(0, "failed", NULL), report(1, "ok", rank_doc("inner 1")),
                       report(2, "ok", rank_doc("inner 2"))};
    hb_err err = {0};
    json_t *doc = hb_cluster_merge(reps, &m, &err);
    json_t *results = json_object_get(doc, "results"), *c = json_object_get(doc, "cluster");
    check(doc && json_array_size(results) == 4 && json_array_size(json_object_get(doc, "devices")) == 2,
          "merge: every rank's results and devices");
    check(json_integer_value(json_object_get(json_array_get(results, 0), "rank")) == 1 &&
              !strcmp(json_string_value(json_object_get(json_array_get(results, 3), "node")), "node-2"),
          "merge: each marked with its rank and node");
    check(!strcmp(json_string_value(json_object_get(json_object_get(doc, "config"), "command_line")),
                  "hbmbench run --rank-timeout 0"),
          "merge: the command line as typed, not the rank's own");
    json_t *ranks = json_object_get(c, "ranks");
    check(json_array_size(ranks) == 3 &&
              !strcmp(json_string_value(json_object_get(json_array_get(ranks, 0), "status")), "failed") &&
              json_integer_value(json_object_get(json_array_get(ranks, 0), "results")) == 0 &&
              json_integer_value(json_object_get(json_array_get(ranks, 2), "results")) == 2 &&
              json_is_object(json_object_get(json_array_get(ranks, 1), "host")) &&
              json_is_null(json_object_get(json_array_get(ranks, 0), "host")),
          "merge: cluster.ranks: every rank, its status, result count and host");
    check(json_is_null(json_object_get(c, "rank_timeout_s")) && json_integer_value(json_object_get(c, "nodes")) == 3,
          "merge: no time box is null; 3 nodes");
    json_decref(doc);
    for (int r = 0; r < 3; r++)
        json_decref(reps[r]);
    json_t *none[1] = {report(0, "failed", NULL)};
    m.size = 1;
    check(hb_cluster_merge(none, &m, &err) == NULL && strstr(err.msg, "no rank"), "merge: no results, no file");
    json_decref(none[0]);
}

static json_t *rank_doc_with(json_t *results)
{
    return json_pack("{s:i, s:{s:s}, s:{s:s}, s:[{s:i}], s:o}", "schema_version", 2, "host", "hostname", "node",
                     "config", "command_line", "inner", "devices", "index", 0, "results", results);
}

static json_t *from_file(void *ctx, int rank, json_t *rep, const char *why)
{
    (void)ctx, (void)why;
    return rep ? rep : json_pack("{s:i, s:s, s:s, s:s}", "rank", rank, "node", "", "status", "missing", "message", "");
}

/* The file written from partial files, one report at a time, is the text
 * of the whole document merged in memory. */
static void test_write(void)
{
    char dir[] = "/tmp/hb-cluster-units-XXXXXX", out[64], *paths[4] = {0};
    check(mkdtemp(dir) != NULL, "write: a temporary folder");
    snprintf(out, sizeof out, "%s/g.json", dir);
    hb_cluster_opts o = {.rank_timeout_s = 600, .rank_timeout_factor = 1, .outlier_fraction = 0.9,
                         .noisy_cv_factor = 3, .pin = 1};
    hb_cluster_meta m = {"open-mpi", 4, "hbmbench run", &o, 42, NULL, "run"};
    json_t *reps[4] = {report(0, "ok", rank_doc_with(json_pack("[o, o]", result("GPU A", "copy", 0, 100, 0.01, 1),
                                                                result("GPU A", "triad", 0, 90, 0.01, 1)))),
                       report(1, "failed", NULL), report(2, "ok", rank_doc_with(json_pack("[o]", result("GPU A", "copy", 2, 50, 0.01, 1)))),
                       NULL};
    hb_err err = {0};
    for (int r = 0; r < 3; r++) {
        char *text = json_dumps(reps[r], 0), path[128];
        check(hb_partial_write(out, r, text, &err) == HB_OK, "write: a partial file");
        hb_partial_path(out, r, path, sizeof path);
        paths[r] = strdup(path);
        free(text);
    }
    check(!strcmp(strrchr(paths[2], '/'), "/g.rank-2.json"), "write: partial files are named OUT.rank-R.json");
    json_t *summary = NULL;
    int rc = hb_cluster_write(paths, &m, from_file, NULL, out, 0, &summary, &err);
    check(rc == HB_OK && summary, "write: the gathered file written");
    reps[3] = from_file(NULL, 3, NULL, "");
    json_t *doc = hb_cluster_merge(reps, &m, &err);
    char *want = doc && !hb_cluster_outliers(doc, &o, &err) ? hb_json_doc_dumps(doc) : NULL, *got = NULL;
    size_t len = 0;
    hb_err ignored = {0};
    check(want && !hb_read_file(out, &got, &len, &ignored) && len == strlen(want) + 1 && !strncmp(got, want, len - 1),
          "write: the same text as the document merged in memory");
    json_t *again = NULL;
    check(hb_cluster_write(paths, &m, from_file, NULL, out, 0, &again, &err) == HB_EUSAGE && !again,
          "write: an existing file is not replaced without force");
    const json_t *ranks = json_object_get(json_object_get(summary, "cluster"), "ranks");
    check(!strcmp(hb_cluster_str(json_array_get(ranks, 0), "kept"), "complete") &&
              !strcmp(hb_cluster_str(json_array_get(ranks, 1), "kept"), "none") &&
              !strcmp(hb_cluster_str(json_array_get(ranks, 3), "status"), "missing"),
          "write: each rank's state");
    free(want);
    free(got);
    json_decref(doc);
    json_decref(summary);
    for (int r = 0; r < 4; r++) {
        json_decref(reps[r]);
        if (paths[r])
            unlink(paths[r]);
        free(paths[r]);
    }
    unlink(out);
    rmdir(dir);
}

static void test_time_box(void)
{
    hb_cluster_opts o = {.rank_timeout_s = 600, .rank_timeout_factor = 1};
    unsetenv("SLURM_JOB_END_TIME");
    check(hb_cluster_time_box(&o, 7200) == 7200 && hb_cluster_time_box(&o, 10) == 600,
          "time box: the larger of --rank-timeout and the factor x rank 0's run");
    char end[32];
    snprintf(end, sizeof end, "%lld", (long long)time(NULL) + 100);
    setenv("SLURM_JOB_END_TIME", end, 1);
    double box = hb_cluster_time_box(&o, 7200);
    check(box > 60 && box <= 100 - HB_JOB_END_MARGIN_S, "time box: ends 30 s before the Slurm job does");
    o.rank_timeout_s = 0;
    unsetenv("SLURM_JOB_END_TIME");
    check(isinf(hb_cluster_time_box(&o, 5)), "time box: --rank-timeout 0 is no limit");
}

int main(void)
{
    test_write();
    test_time_box();
    test_opts();
    test_launch();
    test_pick();
    test_outliers();
    test_merge();
    printf("%d failed\n", failures);
    return failures != 0;
}
