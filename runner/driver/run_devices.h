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
} hb_run_plan;

/* Appends every result to out. A device whose model cannot be opened, or
 * that fails mid-run, is reported on stderr, its failing result marked
 * invalid, and the run goes on with the next device; *failed is set then
 * and when any result is invalid. Returns HB_EUSAGE for a family option
 * that does not fit a device (e.g. --gemm-sizes too large), else HB_OK. */
int hb_run_devices(const hb_run_plan *plan, const hb_session *s, const int *chosen, hb_result_list *out,
                   int *failed);

/* Whether the plan measures dev with its binding b (--model). */
int hb_plan_wants(const hb_run_plan *plan, const hb_device *dev, int b);

#endif
