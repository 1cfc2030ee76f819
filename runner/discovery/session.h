/* SPDX-License-Identifier: Apache-2.0 */
/* session: what every command starts from: the devices (of every model,
 * or of the models named), the hwloc topology, the host description, each
 * device's locality and its peaks, the batch job it runs in. */
#ifndef HB_SESSION_H
#define HB_SESSION_H

#include "discover.h"
#include "host_info.h"
#include "peak.h"
#include "place.h"
#include "scheduler.h"
#include "topology.h"

typedef struct hb_session {
    hb_device_list list;
    hb_topology topo;
    hb_host_info host;
    hb_place place;            /* binding threads and memory to NUMA nodes, over topo */
    hb_scheduler scheduler;    /* the batch job (scheduler_env.h); name "" outside one */
} hb_session;

int hb_session_open(hb_session *s, const hb_peak_opts *peaks, hb_err *err);
/* The same with only the models named discovered (hb_discover_models;
 * n_models 0: every model): what `--model` asks for. */
int hb_session_open_models(hb_session *s, const hb_peak_opts *peaks, const char *const *models, int n_models,
                           hb_err *err);
void hb_session_close(hb_session *s);

#endif
