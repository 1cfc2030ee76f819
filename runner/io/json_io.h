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

/* Any result document as text, formatted as every result file is (2-space
 * indent, 17 significant digits). Caller frees; NULL when out of memory. */
char *hb_json_doc_dumps(const json_t *doc);

/* Writes the result document to path, atomically: a temp file beside it is
 * written and synced, then moved into place, so no half-written result file
 * ever remains. Without force an existing path is never replaced
 * (HB_EUSAGE). A missing immediate parent directory is created.
 * Errors: HB_EUSAGE for the path (exists, cannot create), HB_EFAIL for I/O
 * and memory failures; every message names the path. */
int hb_json_write_run(const hb_run *run, const char *path, int force, hb_err *err);

/* Writes an already formatted document (text, a final newline added) to
 * path the same way: atomically, never replacing without force, with the
 * same errors. For documents made elsewhere (the gathered file of an MPI
 * run, runner/cluster/). */
int hb_json_write_text(const char *text, const char *path, int force, hb_err *err);

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

#endif
