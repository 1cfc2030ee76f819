/* SPDX-License-Identifier: Apache-2.0 */
/* host_team: the host model's threads: one per physical core of a cpuset,
 * each pinned with hwloc to one PU of its core, kept for the life of an
 * opened host device and given one task at a time. */
#ifndef HB_HOST_TEAM_H
#define HB_HOST_TEAM_H

#include <hwloc.h>

#include "hb_error.h"

typedef struct hb_team hb_team;

/* What each thread runs: thread t of n (t < n <= the team's size). */
typedef void (*hb_team_fn)(void *arg, int t, int n);

/* Starts one pinned thread per core of cpuset (per PU when hwloc reports no
 * cores). HB_EFAIL when a thread, the pinning or a barrier fails. */
int hb_team_start(hwloc_topology_t topo, hwloc_const_cpuset_t cpuset, hb_team **out, hb_err *err);
int hb_team_size(const hb_team *t);

/* Runs fn on threads 0..n-1 at once and returns when every one has
 * finished. *seconds (when not NULL) is the CLOCK_MONOTONIC time from the
 * release of the threads to the last one's finish, STREAM's convention of
 * one time per kernel per trial (stream.c). */
int hb_team_run(hb_team *t, int n, hb_team_fn fn, void *arg, double *seconds, hb_err *err);

/* Stops and joins the threads. */
void hb_team_stop(hb_team *t);

/* Thread t's share of an n-element array of size-byte elements when n_threads
 * share it: whole 4 KiB pages each (so a page is first touched by the thread
 * that streams it), the last thread taking what does not fill one. */
void hb_team_block(uint64_t n, size_t size, int n_threads, int t, uint64_t *lo, uint64_t *len);

#endif
