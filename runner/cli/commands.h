/* SPDX-License-Identifier: Apache-2.0 */
/* commands: the subcommands of hbmbench. Each parses its own options,
 * prints its own errors, and returns the process exit code (hb_error.h). */
#ifndef HB_COMMANDS_H
#define HB_COMMANDS_H

int hb_cmd_list(int argc, char **argv);
int hb_cmd_run(int argc, char **argv);
/* hb_cmd_run() with fn(text, arg) called after each finished measurement
 * with the result document so far (marked "complete": false, "stopped_by":
 * ""), for an MPI rank to keep on disk (runner/cluster/); not under
 * --concurrent. */
typedef void (*hb_checkpoint_fn)(const char *text, void *arg);
int hb_cmd_run_hooked(int argc, char **argv, hb_checkpoint_fn fn, void *arg);
int hb_cmd_compare(int argc, char **argv);
int hb_cmd_check(int argc, char **argv);
int hb_cmd_export(int argc, char **argv);

struct hb_session;
/* Warns on stderr (even under --quiet: it is a mistake to fix) about each
 * entry of a --peaks file that matches no device of the session, which
 * would otherwise leave a peak unknown without a word. */
void hb_warn_unmatched_peaks(const char *cmd, const char *peaks_file, const struct hb_session *s);

#endif
