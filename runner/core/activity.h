/* SPDX-License-Identifier: Apache-2.0 */
/* activity: what a model is doing that takes time of its own (building a
 * program), and what a compiler printed meanwhile, told to whoever listens
 * in the calling thread (the driver's progress, runner/driver/progress.h).
 *
 * Models sit below the driver and cannot call it; the listener is set per
 * thread (each --concurrent device thread sets its own), so a model reports
 * without knowing who listens, and nothing is said when no one does. */
#ifndef HB_ACTIVITY_H
#define HB_ACTIVITY_H

#include <stddef.h>

typedef struct hb_activity {
    /* A step begins: "compiling gemm.cl (...)" (its text, cleaned by the listener). */
    void (*begin)(void *arg, const char *what);
    /* It ended after seconds (wall clock), ok 0 when it failed. */
    void (*end)(void *arg, const char *what, double seconds, int ok);
    /* What a compiler wrote on stderr during a successful step: len bytes
     * of text, not terminated; the listener keeps it (a log file). */
    void (*output)(void *arg, const char *what, const char *text, size_t len);
    /* Something is about to be written to stderr (a status line shown in
     * place is cleared first). */
    void (*interrupt)(void *arg);
    void *arg;
} hb_activity;

/* One writer of file descriptor 2 at a time, process-wide: a build that
 * points fd 2 at a file (runner/models/opencl/cl_env.c) holds it, and so
 * does the driver while it writes a line, so another thread's line waits
 * for the build instead of landing in its captured output. Take it after
 * any lock of the listener's, never before. */
void hb_stderr_lock(void);
void hb_stderr_unlock(void);

/* The calling thread's listener (NULL: none); a is not copied. */
void hb_activity_listen(const hb_activity *a);

/* Tell the calling thread's listener, if any. */
void hb_activity_begin(const char *what);
void hb_activity_end(const char *what, double seconds, int ok);
/* Returns 1 when a listener took the text, 0 when none listens. */
int hb_activity_output(const char *what, const char *text, size_t len);
void hb_activity_interrupt(void);

#endif
