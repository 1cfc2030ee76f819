/* SPDX-License-Identifier: Apache-2.0 */
/* hb_signal: a run stopped by SIGINT, SIGTERM or SIGHUP keeps what it
 * measured.
 *
 * The first of these signals only sets a flag (the one thing a handler may
 * safely do, besides the few async-signal-safe calls of POSIX.1-2017
 * section 2.4.3) and prints one line; the driver reads the flag between
 * iterations and configurations, abandons the measurement in progress, and
 * the command writes the finished ones as a result file marked incomplete,
 * then exits 128 + the signal's number (130, 143, 129), as a shell reports a
 * process killed by it. A second signal ends the process at once: the
 * handler removes the temporary result file being written (hb_signal_guard)
 * and the signal's default action kills the process, so no damaged or
 * half-written file remains.
 *
 * A signal that was ignored when hbmbench started (nohup, a background job
 * of a shell without job control) stays ignored: that is what the caller
 * asked for. SIGXFSZ and SIGPIPE are ignored, so a file-size limit or a
 * closed pipe is an error write() reports, not a silent death.
 *
 * The flag and the guarded path are process-wide by nature (a signal is
 * delivered to the process), the only mutable state outside a run's structs. */
#ifndef HB_SIGNAL_H
#define HB_SIGNAL_H

/* What the driver returns when a signal stopped it (never an exit code). */
#define HB_STOPPED (-2)

/* Installs the handlers (SIGINT, SIGTERM, SIGHUP unless ignored at start)
 * and ignores SIGXFSZ and SIGPIPE. */
void hb_signal_install(void);

/* The signal that asked the run to stop, 0 when none has. */
int hb_signal_stop(void);

/* "SIGINT", "SIGTERM", "SIGHUP", else "signal N" (N up to 99). */
const char *hb_signal_name(int sig);

/* The temporary file a second signal must remove before the process dies
 * (one at a time; a later call replaces it). Call before creating the file. */
void hb_signal_guard(const char *path);
void hb_signal_unguard(void);

#endif
