/* SPDX-License-Identifier: Apache-2.0 */
/* cluster_rank: what one rank of an MPI run measures, as its report (the
 * rank's entry of cluster.ranks with "doc", its own run's result document),
 * and the test-only faults (docs/cluster.md, "Testing"). */
#ifndef HB_CLUSTER_RANK_H
#define HB_CLUSTER_RANK_H

#include <stddef.h>

#include <jansson.h>

#include "cluster_comm.h"
#include "cluster_internal.h"
#include "run_opts.h"

/* Keeps a report on disk (the rank's partial file); rep is the caller's. */
typedef void (*hb_cluster_keep_fn)(json_t *rep, void *arg);

/* This rank's report: its place, its own run's exit code and what it said,
 * and its result document. rest (n arguments) is `run`'s command line
 * without the cluster options. keep (when not NULL) gets the report so far
 * after each finished measurement, its document marked "complete": false.
 * The run's private folder is "$TMPDIR/hbmbench-rank-NODE-PID-XXXXXX",
 * removed when the run ends; those of killed ranks on this node go at the
 * next MPI run's start. NULL only when out of memory. */
json_t *hb_cluster_run_rank(const hb_comm *c, const hb_cluster_opts *co, const hb_run_opts *o, char **rest, int n,
                            hb_cluster_keep_fn keep, void *arg);

/* The exit code a report stands for: its run's, or 1 when it has no results. */
int hb_cluster_report_code(const json_t *rep);

/* A string as JSON; bytes that are not UTF-8 show as '?'. */
json_t *hb_cluster_jtext(const char *s);

/* The fault rank r carries, as its report says it ("" when none). */
void hb_cluster_injection(int r, char *buf, size_t len);
/* The faults that strike at a point of the protocol: "report" (after the
 * rank's partial file is written, before it reports: HB_TEST_FAIL_MODE=hang
 * or stop) and "gathered" (rank 0, the others' reports in, nothing written
 * yet: exit-after-gather). */
void hb_cluster_fault_at(int rank, const char *point);

#endif
