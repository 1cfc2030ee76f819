/* SPDX-License-Identifier: Apache-2.0 */
/* tune_cache: the winners of past tuning sweeps, kept in one JSON file,
 * <dir>/tuning.json, so a later run measures at once instead of searching.
 *
 * dir is $XDG_CACHE_HOME/hbmbench, else ~/.cache/hbmbench (the XDG Base
 * Directory Specification), unless the caller names one (tests do).
 *
 * The file, format 2:
 *   {"hbmbench_tuning_cache": 2,
 *    "entries": [{"key": {NAME: TEXT, ...}, "params": {NAME: NUMBER or TEXT, ...}}, ...]}
 * An entry's key is a set of named texts that the caller chooses (the
 * driver's winners.h says which and why); an entry answers only a key with
 * exactly the same names and texts. This file knows nothing of what they
 * mean, nor whether a winner is a point of anyone's grid (winners.c checks).
 *
 * Many processes share the file (MPI ranks on a shared $HOME): a change is
 * a read-merge-write under an exclusive flock(2) on <dir>/tuning.json.lock
 * (over NFS too, where Linux turns it into a byte-range lock: flock(2),
 * https://man7.org/linux/man-pages/man2/flock.2.html). The file is read as
 * it is now, only the entry of the same key is replaced or removed, and the
 * result is written to a temporary file in the same folder, fsync'd and
 * renamed over the cache: readers take no lock and see the old file or the
 * new one, never a part. The file keeps at most HB_TUNE_CACHE_MAX entries;
 * beyond that the least recently written go.
 *
 * A file that is not a tuning cache (not JSON, not this schema) is never
 * replaced silently: the next change moves it aside to tuning.json.bad
 * (replacing an older one) and says so; a file of a newer format (a newer
 * hbmbench) is left as it is and not written. A format-1 file (hbmbench
 * 0.1: keys without the grid) is replaced: none of its winners can be
 * matched. */
#ifndef HB_TUNE_CACHE_H
#define HB_TUNE_CACHE_H

#include <stddef.h>

#include "hb_error.h"
#include "result.h"

struct json_t; /* jansson's */

#define HB_TUNE_CACHE_FORMAT 2
#define HB_TUNE_CACHE_MAX 1000
#define HB_TUNE_KEY_MAX 20

typedef struct hb_tune_key {
    int n;
    const char *name[HB_TUNE_KEY_MAX], *value[HB_TUNE_KEY_MAX]; /* NULL value: "" */
} hb_tune_key;

/* Appends name = value to k (beyond HB_TUNE_KEY_MAX: ignored). */
void hb_tune_key_add(hb_tune_key *k, const char *name, const char *value);

/* The cache folder: override if set, else as above. HB_EFAIL when neither
 * XDG_CACHE_HOME nor HOME is set. */
int hb_tune_cache_dir(const char *override, char *buf, size_t len, hb_err *err);

/* <dir>/tuning.json */
void hb_tune_cache_path(const char *dir, char *buf, size_t len);

enum hb_tune_found {
    HB_TUNE_MISS,    /* no file, or no entry for the key */
    HB_TUNE_HIT,     /* *out holds the entry's params */
    HB_TUNE_BAD,     /* the file cannot be read or is not a tuning cache of this format, or the key's
                      * entry is damaged: why says so, starting with the file's path */
};

/* Looks key up in the cache file at path (no lock: see above). A HIT's
 * params are numbers and texts that fit an hb_params (at most
 * HB_MAX_PARAMS of them, names and texts that fit), else the entry is BAD. */
enum hb_tune_found hb_tune_cache_find(const char *path, const hb_tune_key *key, hb_params *out, char *why,
                                      size_t len);

/* Internal to tune_cache*.c: reads the file at path into *root (a format-2
 * cache whose "entries" is an array). Returns HB_TUNE_HIT when it is one,
 * HB_TUNE_MISS when there is no file (or it is format 1: *root NULL, why
 * says so), HB_TUNE_BAD with why otherwise; *newer is set when the file is
 * of a higher format. */
enum hb_tune_found hb_tune_cache_load(const char *path, struct json_t **root, int *newer, char *why, size_t len);

/* Internal: whether entry e is well formed (an object whose "key" is an
 * object of texts and whose "params" is an object), and whether its key is
 * exactly k. */
int hb_tune_entry_ok(const struct json_t *e);
int hb_tune_entry_is(const struct json_t *e, const hb_tune_key *k);

#endif
