/* SPDX-License-Identifier: Apache-2.0 */
/* deadline: a call into a vendor's library that may never return (a driver
 * that hangs while it enumerates its devices) run in a thread of its own,
 * waited for until a point in time, and abandoned after it.
 *
 * An abandoned thread is left running, detached: it cannot be stopped
 * safely. pthread_cancel acts only at cancellation points, and a thread
 * cancelled inside a driver leaves the driver's locks held and its state
 * half built (asynchronous cancellation is safe only in code written for
 * it, POSIX.1-2017 XSH section 2.9.5.4); pthread_kill with a fatal signal
 * ends the whole process. So the thread owns everything it writes to (the
 * job's argument, freed by whichever of the thread and the caller lets go
 * last), the process carries on without its answer, and the thread ends
 * when the process does. What this cannot escape: a hang that holds a lock
 * the rest of the process needs, such as the dynamic loader's while a
 * library's constructor runs (every later dlopen, and exit's destructors,
 * would wait on it too). */
#ifndef HB_DEADLINE_H
#define HB_DEADLINE_H

#include <time.h>

#include "hb_error.h"

/* Without HB_DISCOVERY_TIMEOUT each model's discovery gets 20 s: generous
 * for a driver that answers, with room for one that initialises its GPUs
 * when first asked (NVIDIA's without persistence mode: NVIDIA's "Driver
 * Persistence" guide), short enough that a hung one costs a run little. */
#define HB_DISCOVERY_TIMEOUT_DEFAULT 20.0
#define HB_DISCOVERY_TIMEOUT_MAX 86400.0

/* The discovery limit in seconds: HB_DISCOVERY_TIMEOUT when set and not
 * empty (a number from 0 to 86400; 0 means no limit), else the default. Anything else is
 * bad usage (HB_EUSAGE, the message naming the variable). */
int hb_discovery_timeout(double *seconds, hb_err *err);

/* A point in time on the monotonic clock, or none (wait without end). */
typedef struct hb_deadline {
    struct timespec at;
    int none;
} hb_deadline;

/* The point `seconds` from now; seconds <= 0: none. */
hb_deadline hb_deadline_in(double seconds);

typedef struct hb_deadline_job hb_deadline_job;

/* Runs fn(arg) in a detached thread of its own. From here the job owns
 * arg: free_arg(arg) (if not NULL) runs once fn has returned and the
 * caller has released the job, whichever comes last. NULL with err set
 * when no thread could be started (arg is then freed). */
hb_deadline_job *hb_deadline_start(void (*fn)(void *), void *arg, void (*free_arg)(void *), hb_err *err);

/* Waits until fn has returned (1: what it wrote into arg may be read until
 * the job is released) or the deadline has passed (0: arg must not be
 * touched; fn may still be writing to it). */
int hb_deadline_wait(hb_deadline_job *job, const hb_deadline *until);

/* The caller lets go of the job; it must not use it, or its arg, again. */
void hb_deadline_release(hb_deadline_job *job);

/* The one message for a discovery step given up:
 * "hbmbench: <model>: <what> did not answer within <s> s; skipped (HB_DISCOVERY_TIMEOUT)"
 * on stderr, through hb_text_fprintf (what may quote a driver's words). */
void hb_deadline_warn(const char *model, const char *what, double seconds);

#endif
