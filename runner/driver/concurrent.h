/* SPDX-License-Identifier: Apache-2.0 */
/* concurrent: `run --concurrent`: every selected device measured at the
 * same time, one host thread per device, each pinned to its device's local
 * cores; each device's results beside its solo run (docs/concurrent.md).
 *
 * How the devices overlap. A device's thread runs the ordinary loop
 * (run_devices.c, measure.c) with an hb_sync in its measure options. Each
 * measurement is one *step*: (dtype, bench, implementation, problem), in
 * the order the loop runs them. Before the timed batch of a step (after
 * set-up, tuning or the solo run's configuration, poisoning and warm-up) a
 * device waits at the sync point. When every device still running is
 * waiting, the devices at the earliest step are released together: that is
 * the step's group, and it gets a serial number. Each device of the group
 * then runs untimed iterations of the step until every device of the group
 * is running (threads wake at different times), times its iterations, and
 * runs untimed ones again until the last device of the group has finished
 * timing: every timed iteration of every device ran while all the others
 * were loading their devices too. A device without that step (no kernels for it,
 * no f64) waits at its next one and adds no load meanwhile. */
#ifndef HB_CONCURRENT_H
#define HB_CONCURRENT_H

#include "bench.h"
#include "result.h"
#include "run_devices.h"

typedef struct hb_sync hb_sync;

/* Waits until this device's step is released with its group (this thread
 * is device `self` of the sync). *group: devices in the group; *step: its
 * serial number. */
void hb_sync_start(hb_sync *s, int self, const hb_bench_ctx *ctx, int problem_index, int *group, int *step);
/* This device of the current group has begun loading its device; whether
 * every one of them has (before that, it loads with untimed iterations). */
void hb_sync_loading(hb_sync *s);
int hb_sync_all_loading(hb_sync *s);
/* Seconds since the sync was made (CLOCK_MONOTONIC): the results' clock. */
double hb_sync_clock(const hb_sync *s);
/* This device has finished its timed iterations (also on an error). */
void hb_sync_timed(hb_sync *s);
/* Whether a device of the current group is still timing. */
int hb_sync_busy(hb_sync *s);
/* Whether r was measured alone (not in a concurrent step) on dev. Devices
 * match by name and PCI bus id, so a --solo file from another run matches. */
int hb_solo_of(const hb_result *r, const hb_device *dev);
/* This device's result of the same step measured alone (the solo phase or
 * the --solo file), NULL when there is none. */
const hb_result *hb_sync_solo(const hb_sync *s, const hb_bench_ctx *ctx, int problem_index);

/* concurrent_sync.c: a sync for n device threads (solo: their solo
 * results); NULL when out of memory. A thread that is done, or never
 * started, leaves it, so the others no longer wait for it. */
hb_sync *hb_sync_new(const hb_run_plan *plan, const hb_result_list *solo, int n);
void hb_sync_leave(hb_sync *s, int self);
void hb_sync_free(hb_sync *s);

/* concurrent_solo.c: reads the --solo file at path into file (free with
 * hb_run_free_read) and checks it before anything is measured: a result
 * file that holds a valid result measured alone of every chosen device
 * (chosen[i] for s->list.v[i]); HB_EUSAGE naming the file and the device
 * otherwise. A file written on another host is a warning on stderr. */
int hb_solo_load(const char *path, const hb_session *s, const int *chosen, hb_run *file, hb_err *err);

/* The concurrent run (hb_run_devices with plan->concurrent), per model
 * (the plan's units u[0..n), hb_plan_units, grouped by their model): first
 * each unit alone, one after the other (the solo phase; its results come
 * first in out), unless plan->solo (--solo) gives those figures; then all of
 * the group's units at once, each result marked with its group (hb_result
 * concurrent_*). Devices fail and are reported as in hb_run_devices. */
int hb_run_concurrent(const hb_run_plan *plan, const hb_session *s, const hb_plan_unit *u, int n,
                      hb_result_list *out, int *failed);

#endif
