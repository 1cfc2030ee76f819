/* SPDX-License-Identifier: Apache-2.0 */
/* run: everything one `hbmbench run` produced, as written to the JSON file:
 * the tool, the host, the devices, the configuration and the results. */
#ifndef HB_RUN_H
#define HB_RUN_H

#include "device.h"
#include "host_info.h"
#include "result.h"
#include "scheduler.h"

typedef struct hb_run {
    int schema_version;        /* HB_SCHEMA_VERSION when written by this build */
    char tool_version[32];     /* HB_VERSION */
    char git_commit[48];       /* HB_GIT_COMMIT, "unknown" outside a checkout */
    char created[32];          /* UTC, ISO 8601: "2026-11-24T17:19:33Z" */
    hb_host_info host;
    hb_scheduler scheduler;    /* the batch job; name "" (JSON null) outside one */
    hb_device *devices;        /* the devices measured (not owned by the run) */
    size_t n_devices;
    hb_params config;          /* iters, warmup, size, tune, ... */
    char command_line[1024];
    int incomplete;            /* a signal stopped the run: results holds what finished ("complete": false) */
    char stopped_by[16];       /* that signal, "SIGINT"; "" when complete */
    /* Read back from a gathered MPI file (cluster.ranks, docs/cluster.md):
     * its ranks, those that sent no results (status "failed" or "timeout"),
     * and the first of those in words ("rank 3 on node-a: timeout; ...");
     * 0 and "" in a plain run. */
    size_t cluster_ranks, cluster_ranks_lost;
    char cluster_lost[512];
    hb_result_list results;
} hb_run;

#endif
