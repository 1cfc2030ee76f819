/* SPDX-License-Identifier: Apache-2.0 */
/* cluster_gather: rank 0's end of an MPI run (docs/cluster.md, "Protocol"):
 * every other rank's report within the time box, each kept on disk as it
 * arrives, then the gathered file written from the partial files, one
 * report in memory at a time, the summary printed, and the verdict sent. */
#ifndef HB_CLUSTER_GATHER_H
#define HB_CLUSTER_GATHER_H

#include "cluster_comm.h"
#include "cluster_internal.h"
#include "run_opts.h"

/* One MPI run, as every rank knows it after the start. */
typedef struct hb_cluster_job {
    hb_comm *comm;
    const hb_launch *launch;
    const hb_cluster_opts *co;
    const hb_run_opts *o;
    char out[1024];            /* the gathered file (rank 0's choice, broadcast) */
    char partials[1024];       /* what the partial files are named after: out, or for "-" hbmbench-stdout.json */
    char run_id[96];           /* the same on every rank: rank 0's node, pid and start time */
    char command_line[2048];   /* this rank's command as typed, cluster options included */
} hb_cluster_job;

/* Rank 0, its own run over (own_text: its report, kept in its partial file
 * when own_kept): gathers, writes, prints and ends the job. Returns the
 * exit code (when it returns at all: an abort does not). */
int hb_cluster_gather(const hb_cluster_job *j, char *own_text, int own_kept, double own_wall_s);

#endif
