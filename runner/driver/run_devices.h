/* SPDX-License-Identifier: Apache-2.0 */
/* run_devices: a whole run over the selected devices: for each device and
 * each of its models that the plan wants (a GPU seen through OpenCL and
 * CUDA is measured once by each), the model is opened once; for each
 * dtype, bench and the model's kernels of that bench's family, every
 * problem is measured (measure.c). Knows no bench, family or model by name. */
#ifndef HB_RUN_DEVICES_H
#define HB_RUN_DEVICES_H

#include "bench.h"
#include "measure.h"
#include "parse.h"
#include "session.h"

#define HB_MAX_RUN_BENCHES 32

typedef struct hb_run_plan {
    const hb_bench *benches[HB_MAX_RUN_BENCHES];
    int n_benches;
    hb_dtype dtypes[HB_NDTYPES];
    int n_dtypes;
    hb_size size;              /* per stream array: auto, bytes or elements */
    int sweep;                 /* stream sizes from 4 KiB up to size, x2 steps */
    hb_measure_opts measure;
    hb_bench_opts bench_opts;
    const char *impls[8];      /* implementations to run; none: every one */
    int n_impls;
    const char *models[HB_MAX_MODELS]; /* models to measure with; none: every model of each device */
    int n_models;
    hb_model_opts model_opts;
    int quiet;
    /* Where the run stands, on stderr, and the compiler's output (progress.h);
     * NULL: none. measure.progress is the same, or NULL where a measurement's
     * own steps are not shown (--concurrent's device threads). */
    struct hb_progress *progress;
    int concurrent;            /* every chosen device at once, after each alone (concurrent.h) */
    const char *solo_file;     /* --solo: the solo figures from this result file instead */
    const struct hb_run *solo; /* that file, read and checked (hb_solo_load) */
    int repeat;                /* the whole run this many times (--repeat); 0 or 1: once */
    int repetition;            /* the repetition being measured (hb_run_devices sets it): 1, 2, ...; 0 when not
                                * repeated; each result carries it from the moment it is kept */
    /* Called after each repetition with the results so far (tests read the
     * process's memory here); NULL: none. */
    void (*after_repetition)(int repetition, const hb_result_list *results, void *arg);
    void *after_arg;
    /* Called after each finished measurement with the results kept so far
     * (valid or not; under --concurrent after each step that every device
     * finished, never from two threads at once), so they can be kept on
     * disk (an MPI rank's partial file, docs/cluster.md); NULL: none. */
    void (*after_result)(const hb_result_list *kept, void *arg);
    void *result_arg;
} hb_run_plan;

/* Checks before any device is opened what can be checked: every selected
 * device, through each model the plan measures it with (hb_plan_units),
 * and every dtype and bench has a problem list that fits (--size, family
 * options such as --gemm-sizes), and something is measured at all.
 * HB_EUSAGE with a message naming the option and the device otherwise. */
int hb_run_check(const hb_run_plan *plan, const hb_session *s, const int *chosen, hb_err *err);


/* One device's part of that: its model opened, every dtype and bench. */
int hb_run_device(const hb_run_plan *p, const hb_session *s, const hb_device *dev, int announce, hb_result_list *out,
                  int *failed);

/* How many measurements one device (bound to one model) plans: every
 * dtype, bench, implementation and problem the plan asks of it. */
int hb_run_planned(const hb_run_plan *plan, const hb_session *s, const hb_device *dev);

/* A line on stderr (nothing under --quiet), control characters stripped;
 * the status line of plan->progress is cleared first. */
void hb_run_say(const hb_run_plan *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same, printed under --quiet too: an error or a warning about what
 * was measured (--quiet keeps errors and warnings). */
void hb_run_warn(const hb_run_plan *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Whether the plan measures dev with its binding b (--model). */
int hb_plan_wants(const hb_run_plan *plan, const hb_device *dev, int b);

/* One unit of a plan: a chosen device through one wanted model (a device
 * several models reach is one unit per model, --model permitting). */
typedef struct hb_plan_unit {
    size_t device;             /* its index in the session's list */
    hb_device bound;           /* the device as that model sees it (hb_device_bound) */
} hb_plan_unit;

/* The plan's units in run order: the chosen devices in list order, each
 * once per wanted binding. The one iterator the run, --concurrent and the
 * pre-flight check (hb_run_check) walk, so none of them can measure or
 * check a model --model left out. Returns a malloc'd array (the caller
 * frees it) and its length in *n; NULL with *n -1 when out of memory. */
hb_plan_unit *hb_plan_units(const hb_run_plan *plan, const hb_session *s, const int *chosen, int *n);

#endif
