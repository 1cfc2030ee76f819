/* SPDX-License-Identifier: Apache-2.0 */
/* acceptance: acceptance checks of a result file against rules, the way DCGM's
 * memory-bandwidth diag holds each SKU to a minimum and SuperBench's data
 * diagnosis judges results with rule files.
 *
 * A rule selects devices (type, name, datasheet family) and their results
 * (bench, dtype, model, implementation, sizes), reads one metric of each
 * and compares it with a threshold. Each rule is judged per device, a
 * device being a node, rank and device index of the file (a plain run has
 * one node and rank): pass, fail or skip. A rule that cannot judge what it
 * selects (no result on a device it selects, a missing field or peak, too
 * few samples, an unknown cache size, an empty file) fails unless the rule
 * or the file says "on_missing": "skip"; the whole check passes when
 * nothing fails. The rules-file format is in docs/compare-check.md
 * ("Acceptance checks"); the built-in rules, each with its reasoning and
 * sources, are runner/check/default_rules.json.
 *
 * This layer sees only the result model (hb_core) and the JSON library: the
 * caller gives each device's datasheet family and figures and its largest
 * cache (hb_check_device_info), so the check never resolves peaks itself.
 * Functions report failure through hb_err and never print, except the
 * printers. Cost: sorting, O((results + rules x devices) log) overall. */
#ifndef HB_ACCEPTANCE_H
#define HB_ACCEPTANCE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hb_error.h"
#include "run.h"

typedef enum hb_check_metric {
    HB_METRIC_BW_BEST,         /* bandwidth_gbs.best, GB/s */
    HB_METRIC_BW_MEDIAN,       /* bandwidth_gbs.median, GB/s */
    HB_METRIC_PERCENT,         /* 100 x the best or median figure / the peak of its basis, % */
    HB_METRIC_CV,              /* stats.cv, a fraction (0.05 = 5 %) */
    HB_METRIC_VALID,           /* the output verified: true or false */
    HB_METRIC_RATIO_IDENTICAL, /* figure / median of the same figure over identical devices
                                * (median / figure for a lower-is-better figure: < 1 is slower) */
    HB_METRIC_FIGURE_BEST,     /* figure.best, in the rule's unit (a result's declared figure) */
    HB_METRIC_FIGURE_MEDIAN,   /* figure.median, likewise */
    HB_METRIC_N
} hb_check_metric;

typedef enum hb_check_op { HB_OP_GE, HB_OP_GT, HB_OP_LE, HB_OP_LT, HB_OP_EQ, HB_OP_N } hb_check_op;

/* Which figure percent_of_peak and ratio_to_median_of_identical use: the
 * one from the minimum time (the file's percent_of_peak) or the median. */
typedef enum hb_check_of { HB_OF_BEST, HB_OF_MEDIAN } hb_check_of;

/* The select fields that take names or glob patterns (fnmatch(3), case
 * insensitive); sizes is separate. */
typedef enum hb_check_sel {
    HB_SEL_BENCH, HB_SEL_DTYPE, HB_SEL_DEVICE_TYPE, HB_SEL_DEVICE_NAME, HB_SEL_DEVICE_FAMILY,
    HB_SEL_MODEL, HB_SEL_IMPLEMENTATION, HB_SEL_N
} hb_check_sel;

#define HB_CHECK_MAX_PATTERNS 16

typedef struct hb_check_patterns {
    int n;                                    /* 0: any value */
    const char *v[HB_CHECK_MAX_PATTERNS];
} hb_check_patterns;

/* One rule; the strings point into the parsed JSON, which the rule set owns. */
typedef struct hb_check_rule {
    const char *id;
    const char *description;
    const char *source;                       /* reasoning and citations, "" when none */
    hb_check_patterns sel[HB_SEL_N];
    int all_sizes;                            /* 0: each result group's largest size only */
    hb_check_metric metric;
    hb_check_of of;
    hb_check_op op;
    double threshold;                         /* valid: 1 (true) or 0 (false) */
    const char *unit;                         /* figure_best/median: the figure's unit ("ns"); "" otherwise */
    int on_missing_skip;                      /* "on_missing": "skip" (the rule's, else the file's); 0: fail */
    int datasheet;                            /* percent_of_peak "peak": "datasheet" (the table's figure, not
                                               * the one the run used, which --peak-bw may have replaced) */
    double beyond_cache;                      /* memory-bandwidth figures: each array must be at least this
                                               * many times the device's largest cache (4, STREAM's rule); 0: off */
    int min_samples;                          /* fewer timed iterations cannot be judged (cv: 10); 0: any */
} hb_check_rule;

typedef struct hb_check_rules {
    void *json;                               /* json_t root, owns the strings */
    hb_check_rule *v;
    size_t n;
    int builtin;                              /* the embedded default_rules.json */
    int on_incomplete_skip;                   /* "on_incomplete": "skip": an interrupted run may pass */
    int on_missing_skip;                      /* the file's "on_missing": the rules' default */
    char origin[1024];                        /* the rules file's path, or "built-in" */
} hb_check_rules;

/* "bandwidth_best", ... as written in rules files. */
const char *hb_check_metric_name(hb_check_metric m);
const char *hb_check_op_name(hb_check_op op);
/* "pass", "fail", "skip" */

/* Parses a rules document. what names it in messages (a path). Errors are
 * HB_EUSAGE: "WHAT:LINE:COLUMN: ..." for malformed JSON, "WHAT: rules[2].select:
 * unknown field \"bnech\" (fields: ...)" for a field, metric or value that does
 * not exist, a rule id used twice; HB_EFAIL when out of memory. On failure
 * *out is empty. */
int hb_check_rules_parse(const char *text, size_t len, const char *what, hb_check_rules *out, hb_err *err);
/* Reads and parses the rules file at path; NULL: the built-in rules. A
 * path that cannot be read or is a directory is HB_EUSAGE ("PATH: is a
 * directory, not a rules file"). */
int hb_check_rules_load(const char *path, hb_check_rules *out, hb_err *err);
/* The text of the built-in rules file, NUL-terminated; NULL if not embedded. */
const char *hb_check_rules_builtin_text(void);
void hb_check_rules_free(hb_check_rules *rules);

typedef enum hb_check_outcome { HB_CHECK_PASS, HB_CHECK_FAIL, HB_CHECK_SKIP } hb_check_outcome;

const char *hb_check_outcome_name(hb_check_outcome v);

/* One result judged by one rule. */
typedef struct hb_check_item {
    size_t result;             /* index into run->results */
    double value;              /* the metric; NAN when it has none */
    double reference;          /* percent: the peak used; ratio: the median of identical
                                * devices; NAN otherwise */
    const char *reference_source; /* percent: the peak's source ("table", "datasheet", ...), else "" */
    int n_identical;           /* ratio: identical devices (distinct ones) with a figure */
    int missing;               /* it could not be judged: verdict is the rule's on_missing */
    hb_check_outcome verdict;
    char why[200];             /* why it was skipped or failed without a value, else "" */
} hb_check_item;

/* One rule on one device: the verdict over every result it selected there. */
typedef struct hb_check_verdict {
    const hb_check_rule *rule;
    int device;                /* index into report->devices; -1: the rule selected no device */
    hb_check_outcome verdict;  /* fail if any item fails, else pass if any passes, else skip; with
                                * no item, the rule's on_missing (missing: 1) or skip */
    int missing;               /* the rule selected the device but none of its results, or the file
                                * has none at all */
    double margin;             /* how far its worst failing item is past the threshold, relative
                                * (|value - threshold| / |threshold|); INFINITY: failed without a value */
    char detail[512];
    hb_check_item *items;      /* owned */
    size_t n_items;
} hb_check_verdict;

/* What the caller knows of a device of run->devices (cmd_check.c fills it
 * from runner/peaks/known_devices.json and the device's caches). */
typedef struct hb_check_device_info {
    const char *family;        /* its datasheet family (a known_devices.json row), "" or NULL: none */
    double datasheet_bw_gbs, datasheet_fp32_gflops, datasheet_fp64_gflops;   /* the row's; NAN: none */
    uint64_t largest_cache_bytes;   /* the largest cache it streams through; 0: unknown */
} hb_check_device_info;

/* A device as the check sees it: one node, rank and device index. */
typedef struct hb_check_device {
    int index;                 /* the device's index on its node (`hbmbench list`) */
    const char *node;          /* the node that measured it ("" in a plain run) */
    int rank;                  /* the MPI rank that measured it (0 in a plain run) */
    const char *uuid;          /* its UUID, "" when the file has none; identity across ranks */
    const hb_device *dev;      /* its record in run->devices; NULL when the file has none */
    const char *name, *type;
    char family[128];          /* its datasheet family (known_devices.json row), "" when none */
    double datasheet_bw_gbs, datasheet_fp32_gflops, datasheet_fp64_gflops;
    uint64_t cache_bytes;      /* largest cache; 0: unknown */
    int peak_floors;           /* rules holding it to a minimum percent_of_peak (>= or >)
                                * whose device select matches it */
    size_t first, n_results;   /* its results: report->order[first .. first + n_results) */
} hb_check_device;

/* Verdict counts of one rule. */
typedef struct hb_check_rule_count {
    size_t pass, fail, skip;
} hb_check_rule_count;

/* Room for a result's label: "triad f32 128.0 MiB", "gemm f32 ... (clblast)". */
#define HB_CHECK_LABEL_LEN 160

typedef struct hb_check_report {
    const hb_run *run;
    const char *result_path;
    const hb_check_rules *rules;
    hb_check_device *devices;  /* owned; sorted by node, rank, index */
    size_t n_devices;
    int gathered;              /* devices on more than one node or rank (an MPI file) */
    size_t *order;             /* owned: result indices grouped by device */
    char (*labels)[HB_CHECK_LABEL_LEN]; /* owned: each result's label, made once
                                          (100,000 rules over 16 results name
                                          them 200,000 times) */
    hb_check_verdict *v;       /* owned; by rule, then device */
    size_t n, cap;
    hb_check_rule_count *per_rule;  /* owned; per rules->v entry */
    size_t n_pass, n_fail, n_skip;
} hb_check_report;

/* The pseudo-rules "complete" (an interrupted run's file) and "ranks" (a
 * gathered MPI file with ranks that sent nothing): one verdict each, on no
 * device, only when they fail or on_incomplete skips them. */
extern const hb_check_rule hb_check_rule_complete;
extern const hb_check_rule hb_check_rule_ranks;

/* Judges run (read from result_path) by rules. info[i] describes
 * run->devices[i]; info may be NULL (no family, no datasheet figure, caches
 * unknown). The report points into run, rules and info's strings, which
 * must outlive it. Fails only when out of memory (HB_EFAIL). */
int hb_check_eval(const hb_check_rules *rules, const hb_run *run, const char *result_path,
                  const hb_check_device_info *info, hb_check_report *out, hb_err *err);
void hb_check_report_free(hb_check_report *rep);

/* HB_OK when nothing failed, HB_EFAIL when something did. */
int hb_check_exit_code(const hb_check_report *rep);

/* The verdicts as a table: a line per rule and device, notes, a summary;
 * above max_lines verdicts (0: no limit), a summary that fits a screen
 * instead: counts per rule and the worst failures. */
void hb_check_print_table(FILE *fp, const hb_check_report *rep, size_t max_lines);
/* The verdicts as JUnit XML (one testcase per rule and device; the format
 * Jenkins and GitLab read). Caller frees; NULL when out of memory. */
char *hb_check_junit_dumps(const hb_check_report *rep);
/* "node-a rank 3 device 0", or "device 0" in a plain run. */
void hb_check_device_label(const hb_check_report *rep, const hb_check_device *d, char *buf, size_t len);
/* The verdict document (results/README.md, "Check verdicts"). Caller frees;
 * NULL when out of memory. No trailing newline. */
char *hb_check_json_dumps(const hb_check_report *rep);

#endif
