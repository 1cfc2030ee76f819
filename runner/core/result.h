/* SPDX-License-Identifier: Apache-2.0 */
/* result: the one result model. The runner fills it, every writer (table,
 * CSV, JSON) reads it, and `compare` reads JSON back into it.
 * Units: times in seconds, bandwidth in GB/s (1e9 bytes/s), compute in
 * GFLOP/s (1e9 FLOP/s), sizes in bytes. NAN means "not applicable/unknown"
 * and is written as JSON null. */
#ifndef HB_RESULT_H
#define HB_RESULT_H

#include <stddef.h>
#include <stdint.h>

#include "device.h"
#include "figure.h"
#include "params.h"
#include "stats.h"

/* 2: every result carries its "figure" (what its number is); dtype may be
 * null (an untyped bench); ops_per_iter. Files of version 1 are read with
 * their figure worked out from their fields (json_read_result.c). */
#define HB_SCHEMA_VERSION 2

/* One point of the tuning grid: a configuration and what it achieved. */
typedef struct hb_grid_point {
    hb_params config;
    double best_gbs, median_gbs;   /* NAN if it failed to build/run/verify */
    double best_gflops;            /* from the minimum time; NAN for bandwidth kernels */
    double confirm_gbs;            /* median over the confirmation rounds of its best GB/s; NAN if not re-measured */
    int valid;
    int failed_verification;        /* it ran, and its output was wrong */
    char note[128];                 /* why it was skipped or failed, or "" */
} hb_grid_point;

/* A GPU's state at one moment, from NVML (runner/peaks/nvml_state.c). */
typedef struct hb_gpu_state {
    double sm_mhz, mem_mhz;        /* current clocks, MHz; NAN: unknown */
    double temp_c;                 /* GPU temperature, degrees C; NAN: unknown */
    double power_w;                /* board power, W; NAN: unknown */
    int ecc;                       /* ECC mode: 1 on, 0 off, -1 unknown */
    int have_reasons;              /* reasons is known */
    unsigned long long reasons;    /* NVML clocks event (throttle) reasons, a bit mask */
} hb_gpu_state;

/* The name of bit `bit` of NVML's clocks event reasons ("sw_power_cap"),
 * NULL for a bit NVML does not define; *slowdown (may be NULL) says whether
 * it slows the GPU down rather than being a setting or idleness (NVML API
 * Reference, "Clocks Event Reasons"). */
const char *hb_gpu_reason_name(unsigned bit, int *slowdown);

/* One quantity over the samples of a window; NAN where no sample had it. */
typedef struct hb_gpu_range {
    double min, median, max;
} hb_gpu_range;

/* The GPU's state sampled at a fixed period by a background thread across
 * a window of at least a second around the final measurement
 * (runner/peaks/nvml_state.h). samples == 0: no window. */
typedef struct hb_gpu_window {
    int samples;
    double period_s, duration_s;   /* the sampling period; the window, its start to its end */
    hb_gpu_range sm_mhz, mem_mhz, temp_c, power_w;
    int have_reasons;              /* a sample had reasons */
    unsigned long long reasons;    /* the union of every sample's reasons */
} hb_gpu_window;

/* The GPU's state before and after a result's timed iterations, over a
 * window around them, and what it says about them (hb_gpu_judge). */
typedef struct hb_telemetry {
    int present;                   /* sampled: an NVIDIA GPU that NVML answers for */
    hb_gpu_state before, after;
    int clocks_dropped;            /* a clock fell by more than 5% across the iterations */
    int throttled;                 /* a slowdown reason was set before or after, or in the window */
    hb_gpu_window window;
    char library[256];             /* the NVML file that answered; "" in older files */
} hb_telemetry;

/* Where a result's wall time went, s on the host's monotonic clock (the
 * result file's "time_split"; scripts/time_split.py prints the shares).
 * total_s: the whole measurement of the result; kernels_s: its timed
 * iterations by the result's own timer (tuning, confirmation and final
 * batches); batches_s: the wall time of those batches with their warm-ups,
 * launches and waits (kernels_s is part of it); builds_s: making
 * configurations current (compiling, setting arguments) and poisoning
 * outputs; verify_s: checking outputs; setup_s: the bench's set-up and
 * tear-down (allocation, start values, reference sums); tuning_s: the
 * search and its confirmation, whose kernels, builds and checks are also
 * counted in the other parts. NAN in files from before it. */
typedef struct hb_time_split {
    double total_s, kernels_s, batches_s, builds_s, verify_s, setup_s, tuning_s;
} hb_time_split;

/* What a result's number is, from its bench's declaration (figure.h), as the
 * result file's "figure" object stores it: readers take the number, its
 * unit and its direction from here, never from the bench's name. */
typedef struct hb_result_figure {
    char name[16];             /* "bandwidth", "flops", "latency"; "" before the result is finished */
    char unit[12];             /* "GB/s", "GFLOP/s", "ns" */
    int lower_is_better;
    char count[8];             /* what an iteration counts: "bytes", "flops", "ops" (hb_result_count) */
    double best, median;       /* from the fastest and the median iteration, in unit; NAN when invalid */
    double peak;               /* the peak it is held against, in unit; NAN: none or unknown */
    char peak_source[32];      /* hb_peak_src_name() of that peak; "" when the basis is none */
} hb_result_figure;

typedef struct hb_result {
    int device_index;
    char device[256];              /* device name */
    char pci_bus_id[16];
    char bench[32];                /* "triad", "gemm", ... */
    char family[16];               /* "stream", "host-stream", ... */
    char dtype[8];                 /* "f32", "f64", "f16" */
    char implementation[16];       /* "hbmbench" (our kernels), "clblast", ... */
    char model[16];                /* the model that ran it: "opencl", "host", ...; "" in files before it */
    uint64_t elements;             /* elements per array (GEMM: of C) */
    char problem[48];              /* the problem's label ("48.0 KiB", "2048x2048x2048"); "" before schema 2 */
    int64_t m, n, k;               /* GEMM: C is m x n, A m x k; roofline: k = FMAs per
                                    * element; -1 where not applicable (JSON null) */
    double bytes_per_iter;         /* counted bytes, STREAM convention */
    double flops_per_iter;         /* 0 for pure bandwidth kernels */
    double ops_per_iter;           /* the family's own operations (latency: dependent loads); 0: none */
    hb_params config;              /* the configuration measured */

    hb_stats stats;                /* per-iteration device time, s */
    double *samples_s;             /* raw per-iteration times, s (owned) */
    size_t n_samples;
    double wall_s_per_iter;        /* host wall clock over the batch / n, s */
    /* When the timed iterations ran (hb_unix_now_s, the host's wall clock,
     * s since 1970 UTC): an MPI run's aggregates ask whether the ranks'
     * devices were timed at the same moment; NAN when unknown. */
    double timed_from_unix_s, timed_until_unix_s;
    char timer[16];                /* "opencl-events" or "host-clock" */

    double bw_best_gbs, bw_median_gbs;        /* from min and median time */
    double gflops_best, gflops_median;        /* NAN for bandwidth kernels */
    double intensity;                         /* flops_per_iter / bytes_per_iter, FLOP/byte */
    double peak_bw_gbs;                       /* NAN when unknown */
    char peak_source[32];                     /* hb_peak_src_name() */
    double peak_gflops;                       /* compute benches: the FLOP/s peak of the dtype */
    char peak_gflops_source[32];              /* its source; "" for bandwidth benches */
    char percent_basis[16];                   /* "bandwidth", "fp32", "fp64", "link" or "none" */
    double percent_of_peak;                   /* best / the peak named by percent_basis; NAN when unknown */
    hb_result_figure figure;                  /* what the result's number is, and its value */

    /* --concurrent: measured while the other devices of its group ran the
     * same step (runner/driver/concurrent.h). */
    int concurrent_devices;        /* devices in its group; 0 when measured alone */
    int concurrent_step;           /* the group's serial number in the run */
    double solo_gbs;               /* this device's best GB/s alone at that step; NAN when unknown */
    long lead_iters;               /* untimed iterations before its timed ones, until every device of its group ran */
    long held_iters;               /* untimed iterations after its timed ones, while others still timed */
    /* When, in seconds since the concurrent phase began: it began loading
     * its device after the release, its timed iterations started and
     * ended, and it stopped loading. */
    double conc_load_s, conc_start_s, conc_end_s, conc_held_s;

    int valid;
    int tuning_failures;           /* tuning points whose output failed verification (exit status 1) */
    char notes[512];               /* verification failure, >100% flag, ... */
    int repetition;                /* which repetition of the run (--repeat): 1, 2, ...; 0 when not repeated */
    hb_telemetry telemetry;        /* NVIDIA GPUs: clocks, temperature, power around the timed iterations */

    hb_time_split time;            /* where the measurement's wall time went */

    hb_grid_point *grid;           /* the whole tuning grid (owned), may be NULL */
    size_t n_grid;

    /* MPI runs only (runner/cluster/, docs/cluster.md): the node and rank
     * that measured it; node "" in a plain run, and rank then means nothing. */
    char node[256];
    int rank;
} hb_result;

/* The result's figure from its declaration f, after one of the finish
 * calls below: value, unit, direction and the peak of percent_basis. A
 * point that counts none of f's quantity (the roofline's k = 0 point does
 * no arithmetic) reports bandwidth instead: hb_figure_of(). */
void hb_result_set_figure(hb_result *r, const hb_figure *f);
/* g as declaration f describes it (name, unit, count, direction), its
 * values unknown (NAN, no peak source): the start of every result's figure,
 * measured or read from an old file. */
void hb_figure_describe(hb_result_figure *g, const hb_figure *f);
/* The figure a result reports: f, or bandwidth where the result counts
 * none of f's quantity but moves bytes. */
const hb_figure *hb_figure_of(const hb_figure *f, const hb_result *r);
/* What one iteration of r counts for its figure (bytes, FLOP or
 * operations per iteration, by figure.count); 0 when unknown. */
double hb_result_count(const hb_result *r);
/* The size a table shows for r: its array bytes (elements x the dtype's
 * size), or for an untyped bench its problem's label. */
void hb_result_size_label(const hb_result *r, char *buf, size_t len);
/* What one iteration of r counts of figure f's quantity. */
double hb_result_count_for(const hb_result *r, const hb_figure *f);
/* Appends a sentence to r->notes ("; " separated). */
void hb_result_note(hb_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Fills stats, bandwidths and percent_of_peak from samples and peak. */
void hb_result_finish(hb_result *r, const hb_peak_value *peak_bw);
/* As hb_result_finish, for a bench judged against the host <-> device link
 * (transfer): percent_basis "link"; no percent where the link is unknown
 * or not applicable (device memory is host memory). */
void hb_result_finish_link(hb_result *r, const hb_peak_value *link);
/* As hb_result_finish, for a compute bench (GEMM, roofline): GFLOP/s is
 * reported even at 0 FLOP, and percent_of_peak is of the FLOP/s peak of
 * r->dtype (f16 storage computes in fp32, so it uses the fp32 peak). */
void hb_result_finish_compute(hb_result *r, const hb_peaks *peaks);
/* The FLOP/s peak a dtype is judged against: "fp64" for f64, else "fp32". */
const char *hb_flops_basis(const char *dtype);
/* That peak among peaks (fp64 for f64, else fp32). */
const hb_peak_value *hb_flops_peak(const hb_peaks *peaks, const char *dtype);
void hb_result_free(hb_result *r);

/* A growable list of results. */
typedef struct hb_result_list {
    hb_result *v;
    size_t n, cap;
} hb_result_list;

/* Returns a zeroed slot at the end (NANs where NAN means unknown), or NULL
 * when out of memory. */
hb_result *hb_result_list_push(hb_result_list *l);
/* Frees the last result and removes it from the list. */
void hb_result_list_pop(hb_result_list *l);
void hb_result_list_free(hb_result_list *l);

#endif
