/* SPDX-License-Identifier: Apache-2.0 */
/* progress: where a run stands, on stderr (never stdout, which carries the
 * table, CSV or JSON), and the OpenCL compiler's output kept in a file.
 *
 * A run plans its measurements (device x model x dtype x bench x
 * implementation x problem, as run_devices.c iterates them, times the
 * repetitions); each line says which one is under way, the time since the
 * run started and, once one has finished, an estimate of the time left: the
 * mean wall time of the finished measurements times the measurements not
 * finished, less what the current one has run (docs/usage.md, "Progress").
 *
 *   [3/14] tuning triad f32 4.0 MiB (9 configurations) 12 s, ~40 s left
 *
 * HB_PROGRESS_TERMINAL (stderr is a terminal) rewrites one status line in
 * place with '\r', cleared before any other line is written;
 * HB_PROGRESS_LINES (--progress, stderr not a terminal) prints whole lines,
 * and only the steps that matter (a measurement's start, tuning, a library
 * run, a build over a second); HB_PROGRESS_OFF prints nothing (--quiet, or
 * neither). In every mode the object listens to the models' activity
 * (runner/core/activity.h): what a compiler printed during a successful
 * build goes to the build log file (opened at its first line), and is
 * counted. Thread-safe: --concurrent's device threads share one. */
#ifndef HB_PROGRESS_H
#define HB_PROGRESS_H

#include <stdio.h>

enum hb_progress_mode { HB_PROGRESS_OFF, HB_PROGRESS_LINES, HB_PROGRESS_TERMINAL };

typedef struct hb_progress hb_progress;

/* A progress writing to f (stderr) in mode; the compiler's output goes to
 * build_log (NULL: nowhere, only counted), which is created at its first
 * line and replaces an existing regular file only with force. NULL when
 * out of memory. */
hb_progress *hb_progress_new(enum hb_progress_mode mode, FILE *f, const char *build_log, int force);
/* Clears the status line, closes the build log and frees. NULL: nothing. */
void hb_progress_free(hb_progress *pg);

/* The run's planned measurements; the clock starts here. */
void hb_progress_plan(hb_progress *pg, int total);
/* n planned measurements that will not run (a device that could not be
 * opened, a library that is not there, a device given up). */
void hb_progress_skip(hb_progress *pg, int n);
/* A measurement begins (what: "triad f32 4.0 MiB on DEVICE") and ends
 * (finished, failed or abandoned: it is counted as done either way). */
void hb_progress_begin(hb_progress *pg, const char *what);
void hb_progress_end(hb_progress *pg);
/* A step of the current measurement, as a printf format; whole: also a
 * line of its own with --progress (otherwise only the terminal's status). */
void hb_progress_step(hb_progress *pg, int whole, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Clears the terminal's status line before another line goes to stderr. */
void hb_progress_clear(hb_progress *pg);

/* Makes pg the calling thread's activity listener (NULL: none). */
void hb_progress_listen(hb_progress *pg);

/* After the run: one line on stderr (unless quiet) when a compiler printed
 * anything during successful builds: how many warnings, and where the
 * text is. */
void hb_progress_report_builds(hb_progress *pg, int quiet);

#endif
