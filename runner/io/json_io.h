/* SPDX-License-Identifier: Apache-2.0 */
/* json_io: the one place hbmbench turns its result model into JSON and back.
 *
 * The result file is a versioned contract (results/README.md, results/schema.json):
 * readers accept every schema_version up to HB_SCHEMA_VERSION; fields a
 * reader does not know are ignored, so additions do not bump the version,
 * renames and removals do. NAN (unknown, not applicable) is written as null
 * and read back as NAN; so are infinities, which JSON cannot express.
 * Doubles are written with 17 significant digits, so they read back exactly.
 *
 * Every function here reports failure through hb_err and never prints. */
#ifndef HB_JSON_IO_H
#define HB_JSON_IO_H

#include <limits.h>
#include <stddef.h>

#include <jansson.h>

#include "hb_error.h"
#include "run.h"

/* The JSON object of one device: every hb_device field but the OpenCL
 * handles. New reference, NULL when out of memory. */
json_t *hb_json_device(const hb_device *d);

/* The document of `hbmbench list --json`: schema_version, tool, devices.
 * Caller frees; NULL when out of memory. No trailing newline. */
char *hb_json_devices_dumps(const hb_device *devs, size_t n);

/* The result document of one run (for `--format json` on stdout). It always
 * carries this build's HB_SCHEMA_VERSION, whatever run->schema_version says.
 * Caller frees; NULL when out of memory. No trailing newline. */
char *hb_json_run_dumps(const hb_run *run);

/* Where a run's result document goes, checked and reserved before the run
 * (json_file.c): the destination, and the temporary file beside it that
 * the document is written to and then moved into place from. */
typedef struct hb_out {
    char path[PATH_MAX];       /* the destination as given */
    char tmp[PATH_MAX];        /* the reserved temporary file, "<path>.tmp.<host>.<pid>"; "" when none */
    int fd;                    /* open on tmp; -1 when none */
    int force;                 /* may replace a regular file at path */
    int to_stdout;             /* "-", /dev/stdout: the document goes to standard output */
    int stale_removed;         /* temporary files of killed runs removed from path's folder */
} hb_out;

/* Checks path and reserves it: its folder exists (a missing immediate
 * parent is created) and is a folder; path is absent, or with force a
 * regular file (never a directory, a symbolic link, a device, a pipe or a
 * socket); a temporary file can be created beside it and takes a 64 KiB
 * probe, synced. Temporary files that killed runs on this host left in the
 * folder are removed. Standard output (hb_out_is_stdout) must be open.
 * HB_EUSAGE with a message naming the path otherwise; o then holds nothing. */
int hb_out_open(hb_out *o, const char *path, int force, hb_err *err);

/* Writes the result document to the reserved file, syncs it and moves it
 * into place (never replacing a file without force), or writes it to
 * standard output; then closes o. On failure no temporary file remains:
 * HB_EFAIL, or HB_EUSAGE when path appeared since hb_out_open() (without
 * force); the message names the path and the system's reason (EFBIG,
 * ENOSPC, EIO, ...). */
int hb_out_commit(hb_out *o, const hb_run *run, hb_err *err);

/* A document written piece by piece (the MPI run's gathered file, which is
 * never all in memory at once): a stream on the reserved file, emptied of
 * its probe, or standard output. NULL with err when out of memory. */
FILE *hb_out_stream(hb_out *o, hb_err *err);
/* Ends that stream: when ok, flushes and syncs it and moves the file into
 * place as hb_out_commit() does; otherwise (or when that fails) removes it.
 * Closes o either way. Errors as hb_out_commit()'s. */
int hb_out_commit_stream(hb_out *o, FILE *f, int ok, hb_err *err);

/* hb_out_open() then hb_out_commit_text(): a whole document written the
 * same way, whole or absent, never replacing an existing path without force. */
int hb_write_text_atomic(const char *text, const char *path, int force, hb_err *err);

/* Any result document as text, formatted as every result file is (2-space
 * indent, 17 significant digits). Caller frees; NULL when out of memory. */
char *hb_json_doc_dumps(const json_t *doc);

/* hb_out_open() then hb_out_commit(): the whole write at once. Errors as
 * theirs: HB_EUSAGE for the path (exists, cannot create), HB_EFAIL for I/O
 * and memory failures; every message names the path. */
int hb_json_write_run(const hb_run *run, const char *path, int force, hb_err *err);

/* Reads a result file into run (zeroed first). On success run owns what it
 * points to: devices, results, their samples and grids; release it with
 * hb_run_free_read(). On failure run holds nothing and err says why
 * (always HB_EUSAGE, except HB_EFAIL when out of memory):
 *   "PATH: cannot read: ...", "PATH: empty file",
 *   "PATH:LINE:COLUMN: <parser message>" for malformed or truncated JSON,
 *   "PATH: not an hbmbench result file (...)",
 *   "PATH: written by a newer hbmbench (schema_version N; ...)",
 *   "PATH: results[3].stats.min_s: expected a number or null".
 * Missing optional fields read as NAN, "" or 0. */
int hb_json_read_run(const char *path, hb_run *run, hb_err *err);

/* Frees what hb_json_read_run() allocated and zeroes run. */
void hb_run_free_read(hb_run *run);

/* Whether path means standard output: "-", /dev/stdout, /dev/fd/1. */
int hb_out_is_stdout(const char *path);

#endif
