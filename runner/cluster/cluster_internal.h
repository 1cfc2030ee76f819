/* SPDX-License-Identifier: Apache-2.0 */
/* cluster_internal: what the files of runner/cluster/ share. Only
 * cluster_comm.c calls MPI; everything else is plain C over jansson, hwloc
 * and the layers below, so the unit tests need no launcher. */
#ifndef HB_CLUSTER_INTERNAL_H
#define HB_CLUSTER_INTERNAL_H

#include <stdio.h>

#include <jansson.h>

#include "device.h"
#include "hb_error.h"
#include "peak.h"

/* The options only an MPI run has (cluster_opts.c). */
typedef struct hb_cluster_opts {
    double rank_timeout_s;     /* --rank-timeout: the least time box, s; 0: no limit */
    double rank_timeout_factor;/* --rank-timeout-factor: the box is at least this x rank 0's run time */
    double outlier_fraction;   /* --outlier-fraction: slow below this x the group median */
    double noisy_cv_factor;    /* --outlier-cv: noisy above this x the group median CV */
    int pin;                   /* --pin device (1) or none (0) */
    int given;                 /* any of them was on the command line */
} hb_cluster_opts;

/* The outlier rules that are not options (docs/cluster.md, "Outliers"). */
#define HB_SLOW_MIN_DEVICES 2
#define HB_NOISY_MIN_DEVICES 3
#define HB_NOISY_CV_MIN 0.02

/* Takes the cluster options (--opt VALUE or --opt=VALUE) out of argv:
 * rest gets argv without them, in order, NULL-terminated (room for argc + 1
 * pointers), *n_rest its count. Bad values fail with HB_EUSAGE. */
int hb_cluster_opts_take(int argc, char **argv, hb_cluster_opts *o, char **rest, int *n_rest, hb_err *err);
/* The options' lines for `run --help`. */
const char *hb_cluster_usage(void);

/* What the launcher's environment says (cluster_env.c). */
typedef struct hb_launch {
    const char *launcher;      /* "open-mpi", "slurm", "pmix", "pmi", "forced"; NULL: none */
    int env_rank;              /* the rank it gives, -1 when it gives none */
    int env_local_rank;        /* the node-local rank it gives, -1 when none */
} hb_launch;

void hb_launch_detect(hb_launch *l);

/* Where a rank measures (cluster_place.c). */
typedef struct hb_placement {
    int device_index;          /* in `hbmbench list` on this node */
    char device[256];
    char type[16];
    int candidates;            /* devices the selector chose on this node */
    int shared_by;             /* local ranks on this device, this one included */
    char cpuset[256];          /* what the rank bound itself to; "" when not bound */
    char note[256];            /* why it is not bound, or "" */
} hb_placement;

/* The order devices are dealt to local ranks: by NUMA node, then PCI bus
 * id, then index (so local rank i gets the i-th device in locality order),
 * and which of the n candidates local rank r of local_size takes. Returns
 * the position in order[] (filled with candidate positions), and how many
 * local ranks share it in *shared_by. */
int hb_cluster_pick(const hb_device *const *cands, int n, int local_rank, int local_size, int *order,
                    int *shared_by);
/* Opens a session of the models `run --model` named (n_models 0: every
 * model), so the selector's indices are those the rank's run sees, applies
 * the selector (NULL: the default), picks this rank's device and, with pin,
 * binds the whole process to the device's CPUs with hwloc. HB_ENODEV when
 * the selector chose nothing. */
int hb_cluster_place(const char *selector, const hb_peak_opts *peaks, const char *const *models, int n_models,
                     int local_rank, int local_size, int pin, hb_placement *p, hb_err *err);

/* The time box (docs/cluster.md, "Time boxes"): how long rank 0 waits for
 * the others once its own run of run_s seconds has ended,
 * max(rank_timeout_s, rank_timeout_factor x run_s), cut so that it ends
 * HB_JOB_END_MARGIN_S before the Slurm job's end (SLURM_JOB_END_TIME, when
 * set). Returns seconds from now; INFINITY when rank_timeout_s is 0 and no
 * job end is known. */
#define HB_JOB_END_MARGIN_S 30.0
double hb_cluster_time_box(const hb_cluster_opts *o, double run_s);

/* What rank 0 needs to assemble the file (cluster_merge.c). */
typedef struct hb_cluster_meta {
    const char *launcher;
    int size;
    const char *command_line;  /* the command as typed, cluster options included */
    const hb_cluster_opts *opts;
    double wait_s;             /* the time box rank 0 used, s; NAN: none or unknown */
    const char *run_id;        /* partial files of another run are refused; NULL: any */
    const char *gathered_by;   /* "run" (rank 0; also when NULL) or "merge" */
} hb_cluster_meta;

/* One gathered document from every rank's report (reports[r], as the rank
 * made it; a rank that sent nothing has a "timeout" report): the lowest
 * rank's document as the frame, every rank's devices, results and family
 * summaries marked with rank and node, and "cluster". NULL with err when no
 * rank sent results (HB_EFAIL), or out of memory. Takes the reports' docs. */
json_t *hb_cluster_merge(json_t *const *reports, const hb_cluster_meta *m, hb_err *err);

/* Pieces of hb_cluster_merge that the file writer shares (cluster_merge.c):
 * "cluster" without ranks' entries; the entry of one rank (its report without
 * the document, with the count of its results); the report's document. */
json_t *hb_cluster_object(const hb_cluster_meta *m, size_t nodes);
json_t *hb_cluster_rank_entry(const json_t *report, size_t results);
const json_t *hb_cluster_doc_of(const json_t *report);
/* Marks an element of a rank's array with its rank and node (-1 when out of memory). */
int hb_cluster_mark(json_t *o, json_int_t rank, const char *node);

/* ------------------------------------------------ partial files (cluster_partial.c)
 * Each rank's report is kept on disk as soon as it is made, beside the
 * gathered file: "<out>.rank-<R>.json" ("<out>" without a final ".json"),
 * written whole or not at all. A partial carries "run_id" (the same for every
 * rank of one run) and "job" (what a later `hbmbench merge` needs to make the
 * gathered file as rank 0 would have). */
void hb_partial_path(const char *out, int rank, char *buf, size_t len);
/* Writes the report's text to rank's partial file (replacing one of the same
 * run). HB_EFAIL with the reason. */
int hb_partial_write(const char *out, int rank, const char *text, hb_err *err);
/* Reads a partial file: a report object whose "rank" is a count. NULL with
 * err (HB_EUSAGE) when it cannot be read or is not one. */
json_t *hb_partial_read(const char *path, hb_err *err);
/* What a report says of the results it holds: "complete" (its run ended
 * and every planned measurement is in), "partial" (its run was stopped:
 * the finished ones are in, its document is marked "complete": false), or
 * "none" (it has no results document). */
const char *hb_partial_kept(const json_t *report);

/* --------------------------------------------- the gathered file (cluster_write.c)
 * Writes the gathered file from every rank's report, one report in memory
 * at a time, so the writer needs about one report's memory however many
 * ranks there are: reports are read twice from files. report(ctx, r, rep,
 * why) gives the report to use for rank r: rep is what paths[r] held (NULL
 * when paths[r] is NULL or could not be read, why then says why, else "");
 * the callee takes rep and returns it, changed or not, or a small report of
 * a rank with no results; NULL only when out of memory.
 * The text is that of hb_json_doc_dumps(hb_cluster_merge(...)) with the
 * outliers filled in, written as every result file is (whole or absent,
 * never replacing out without force). *summary gets the document without
 * its arrays' elements (cluster whole) for the summary; the CSV of every
 * result is printed from the written file. HB_EFAIL (no rank has results, out of memory, I/O),
 * HB_EUSAGE (out exists). */
typedef json_t *(*hb_report_fn)(void *ctx, int rank, json_t *rep, const char *why);
int hb_cluster_write(char *const *paths, const hb_cluster_meta *m, hb_report_fn report, void *ctx,
                     const char *out, int force, json_t **summary, hb_err *err);

/* What the aggregates and outliers need of one result, a few dozen bytes
 * (cluster_outliers.c): the strings are kept once for all rows, the
 * problem's identity (device, bench, dtype, implementation, elements,
 * problem, m, n, k) once per problem. Rows that are in no group (invalid,
 * no figure) carry nothing but member 0. */
#define HB_ROW_SLOW 1
#define HB_ROW_NOISY 2
typedef struct hb_cluster_row {
    const json_t *problem;
    const char *key, *node, *unit;
    json_int_t rank, device_index;  /* device_index -1: null */
    double fig, best, cv;           /* the median figure, the best, the CV */
    double from, until;             /* its timed_window (s since 1970 UTC); NAN: unknown */
    json_int_t repetition;          /* --repeat's, 0 when not repeated */
    int lower;                      /* the figure is a time: lower is better */
    int member;                     /* valid, with a figure: in a group */
    int flags;                      /* HB_ROW_SLOW, HB_ROW_NOISY once judged */
} hb_cluster_row;
typedef struct hb_cluster_rows {
    hb_cluster_row *v;
    size_t n, cap;
    json_t *intern;
} hb_cluster_rows;
/* Appends result r (of rank, on node) as a row. -1 when out of memory. */
int hb_cluster_rows_add(hb_cluster_rows *rows, const json_t *r, json_int_t rank, const char *node);
void hb_cluster_rows_free(hb_cluster_rows *rows);
/* Fills cluster.aggregates and cluster.outliers from the rows, and the
 * rows' flags. HB_EFAIL when out of memory. */
int hb_cluster_judge(hb_cluster_rows *rows, json_t *cluster, const hb_cluster_opts *o, hb_err *err);
/* A row's "outlier" array: ["slow"], ["noisy"], both, or []. NULL: out of memory. */
json_t *hb_cluster_row_flags(const hb_cluster_row *m);

/* Fills results[].outlier, cluster.aggregates and cluster.outliers of a
 * gathered document (cluster_outliers.c). HB_EFAIL when out of memory. */
int hb_cluster_outliers(json_t *doc, const hb_cluster_opts *o, hb_err *err);

/* The unit of a result's figure ("GB/s", "GFLOP/s", "ns"; "" when the
 * result has none). */
const char *hb_cluster_unit(const json_t *result);
/* Member k of o as a number (NAN when absent or not a number), as a string ("" when not one). */
double hb_cluster_num(const json_t *o, const char *k);
const char *hb_cluster_str(const json_t *o, const char *k);
/* "64.0 KiB" per array, "MxNxK" for GEMM, an untyped bench's problem label,
 * as compare labels sizes. */
void hb_cluster_size_label(const json_t *o, char *buf, size_t len);

/* The summary of a gathered document on f: ranks, aggregates, outliers
 * (cluster_print.c); and every result as CSV with its rank and node. */
void hb_cluster_print(FILE *f, const json_t *doc);
void hb_cluster_print_csv(FILE *f, const json_t *doc);
/* What a run or merge prints of the gathered file at path (format 0 table,
 * from summary; 1 CSV and 2 JSON, from the file, read back for it). */
void hb_cluster_emit(FILE *f, int format, const json_t *summary, const char *path);

#endif
