/* SPDX-License-Identifier: Apache-2.0 */
/* compare: two result files side by side (`hbmbench compare`).
 *
 *   read (json_io) -> match results (compare_match.c) -> test each pair on its
 *   raw samples (compare_stats.c) -> list environment differences
 *   (compare_env.c) -> one writer per format (compare_output.c, compare_json.c)
 *
 * One hb_cmp holds BASE against one OTHER file; it points into both runs and
 * owns only its own arrays. Library code: nothing here prints except the
 * writers, into the FILE they are given. */
#ifndef HB_COMPARE_H
#define HB_COMPARE_H

#include <stddef.h>
#include <stdio.h>

#include "compare_stats.h"
#include "hb_error.h"
#include "run.h"
#include "text.h"   /* hb_text_line: every string from a file a text writer prints */

/* How results are paired (--match). */
typedef enum hb_match_mode {
    HB_MATCH_PCI,    /* device name and PCI bus id, bench, dtype, size (default) */
    HB_MATCH_NAME,   /* as above, ignoring the PCI bus id */
    HB_MATCH_ORDER,  /* ignore device identity and size: the n-th device of BASE
                      * against the n-th of OTHER, each bench's largest size */
} hb_match_mode;

typedef enum hb_verdict {
    HB_SAME,         /* tested, no significant difference */
    HB_FASTER,       /* OTHER significantly faster */
    HB_SLOWER,       /* OTHER significantly slower */
    HB_UNTESTED,     /* too few samples to test */
    HB_INVALID,      /* either side failed verification: never compared as numbers */
} hb_verdict;

/* One side of a pair: its figures in the unit of the base's figure
 * (GB/s, GFLOP/s, ns: the result's own declaration, figure.h). */
typedef struct hb_cmp_side {
    double best, median;
    double pct_peak;         /* best / the figure's peak (for GEMM in files older than
                              * peak_gflops, the device's FLOP/s peak of the dtype); NAN: unknown
                              * or no peak (latency) */
    size_t n;                /* usable samples */
} hb_cmp_side;

typedef struct hb_cmp_row {
    const hb_result *base, *other;   /* into the two runs */
    const hb_result_figure *figure;  /* the base's: name, unit, direction */
    hb_cmp_side b, o;
    hb_cmp_test test;
    hb_verdict verdict;
    int regression;                  /* slower beyond --fail-below */
    int config_differs;              /* the tuned configurations differ; keys saying where one came
                                      * from ("tuning", "tuned_at") are left out (compare_match.c) */
    int noisy;                       /* a side's CV is above m->noisy_cv (marked '~') */
    int size_differs;                /* (--match order) the array sizes differ */
} hb_cmp_row;

/* One way the two environments differ, e.g. {"driver_version [0]", "535.1", "550.5"}. */
typedef struct hb_cmp_diff {
    char what[96];
    char base[192], other[192];
} hb_cmp_diff;

typedef struct hb_cmp {
    const char *base_path, *other_path;
    const hb_run *base, *other;
    hb_match_mode mode;
    /* --models: the model each side's results were measured by (their view
     * clears it, so the two sides pair); NULL: each result's own. */
    const char *side_model[2];
    hb_cmp_row *rows;
    size_t n_rows;
    const hb_result **only_base, **only_other;   /* unmatched results */
    size_t n_only_base, n_only_other;
    size_t n_duplicates;                         /* results whose key repeats in a file */
    hb_cmp_diff *diffs;
    size_t n_diffs, cap_diffs;
    size_t n_regressions;
    /* With a gate: results valid in BASE that OTHER has invalid or lacks
     * (a kernel that broke or vanished must not pass a CI gate). */
    size_t n_lost;
} hb_cmp;

/* What to try when nothing matched: another --match mode helps only when
 * both sides have results; a side with none (a model the file lacks) is
 * said as such. buf gets the advice, without a final period. */
void hb_cmp_empty_advice(const hb_cmp *c, char *buf, size_t len);

/* Pairs the results of base and other by mode and tests every valid pair.
 * fail_below_pct < 0: no regression gate. cmp is zeroed first; release it
 * with hb_cmp_free(). HB_EFAIL only when out of memory. */
int hb_cmp_build(hb_cmp *cmp, const char *base_path, const hb_run *base, const char *other_path,
                 const hb_run *other, hb_match_mode mode, const hb_cmp_method *m,
                 double fail_below_pct, hb_err *err);
void hb_cmp_free(hb_cmp *cmp);

/* Appends the environment differences that make the comparison unfair
 * (compare_env.c). HB_EFAIL only when out of memory. */
int hb_cmp_env_diffs(hb_cmp *cmp, hb_err *err);

/* "gemm", "gemm/clblast" for a library's reference row, "triad@cuda" for
 * a model other than the one files without models meant. */
void hb_cmp_bench_label(const hb_result *r, char *buf, size_t len);

/* A side's model (side 0: BASE, 1: OTHER): --models' name, else r's own. */
const char *hb_cmp_side_model(const hb_cmp *c, int side, const hb_result *r);
/* The host that measured r: its node in a gathered MPI run, else the file's hostname. */
const char *hb_cmp_host_of(const hb_run *run, const hb_result *r);

/* --models A,B: the results of run measured by model, as a run of their
 * own (view->results.v is a new array of shallow copies whose model is
 * cleared, so A's rows pair with B's; free it with hb_cmp_view_free).
 * HB_EFAIL only when out of memory. */
int hb_cmp_model_view(const hb_run *run, const char *model, hb_run *view, hb_err *err);
void hb_cmp_view_free(hb_run *view);
/* The device of run that measured r, NULL if the file lists none. */
const hb_device *hb_cmp_device_of(const hb_run *run, const hb_result *r);
/* "128.0 MiB" per array, "2048x2048x2048" where the result has m, n, k,
 * "128.0 MiB k=64" where it has k only (the roofline sweep). */
void hb_cmp_size_label(const hb_result *r, char *buf, size_t len);

typedef enum hb_cmp_format { HB_CMP_TABLE, HB_CMP_MARKDOWN, HB_CMP_CSV, HB_CMP_JSON } hb_cmp_format;

/* Writers (compare_output.c, compare_table.c, compare_json.c). The text
 * formats start with the method header, then per comparison both files
 * (host, creation time, completeness), their environment differences, the
 * table and the unmatched results. The terminal table fits 120 columns
 * unless wide (every column, whole device names). CSV has one header line
 * and a row per pair of every comparison (environment differences go to
 * note, which may be NULL, as "# " lines). JSON is one document for all
 * comparisons. The text writers fail (HB_EFAIL) only when out of memory. */
int hb_cmp_print_text(FILE *f, const hb_cmp *cmps, size_t n, const hb_cmp_method *m,
                      double fail_below_pct, int markdown, int wide, hb_err *err);
void hb_cmp_print_csv(FILE *f, FILE *note, const hb_cmp *cmps, size_t n);
int hb_cmp_print_json(FILE *f, const hb_cmp *cmps, size_t n, const hb_cmp_method *m,
                      double fail_below_pct, hb_err *err);
const char *hb_verdict_name(hb_verdict v);
const char *hb_match_mode_name(hb_match_mode m);

/* Turns a reader error into "FILE:LINE:COLUMN: message" where the reader
 * gave none, by finding the offending value in the file's text
 * (compare_locate.c); "FILE:?:?: message" when it cannot be found. */
void hb_cmp_locate_error(const char *path, hb_err *err);
/* The 1-based line and column (in characters) of the value at doc_path
 * ("results[3].stats.min_s", "" for the top level) in JSON text[0..len).
 * Returns 0 when found, -1 otherwise. */
int hb_json_locate(const char *text, size_t len, const char *doc_path, int *line, int *col);

#endif
