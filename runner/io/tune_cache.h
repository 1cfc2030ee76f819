/* SPDX-License-Identifier: Apache-2.0 */
/* tune_cache: the winners of past tuning sweeps, kept in one JSON file,
 * <dir>/tuning.json, so a later run measures at once instead of searching.
 *
 * dir is $XDG_CACHE_HOME/hbmbench, else ~/.cache/hbmbench (the XDG Base
 * Directory Specification), unless the caller names one (tests do).
 *
 * An entry is keyed by the device name, its driver version, the hbmbench
 * version, the bench, the dtype and the shape (its class and the size it
 * was tuned at). A new driver or a new hbmbench makes the old winner a
 * miss (it may no longer win, or no longer build), and the next store for
 * that device, bench, dtype and shape replaces it. A file that cannot be
 * read or parsed is a miss too, and is rewritten by the next store: the
 * cache only ever saves time. */
#ifndef HB_TUNE_CACHE_H
#define HB_TUNE_CACHE_H

#include <stddef.h>

#include "hb_error.h"
#include "result.h"

typedef struct hb_tune_key {
    const char *device, *driver, *version, *bench, *dtype, *shape;
} hb_tune_key;

/* The cache folder: override if set, else as above. HB_EFAIL when neither
 * XDG_CACHE_HOME nor HOME is set. */
int hb_tune_cache_dir(const char *override, char *buf, size_t len, hb_err *err);

/* 1 and *out filled when dir holds a winner for exactly key, else 0. */
int hb_tune_cache_find(const char *dir, const hb_tune_key *key, hb_params *out);

/* Records winner under key (creating dir and its parent when missing),
 * replacing any entry for the same device, bench, dtype and shape.
 * The file is replaced atomically (written beside it, then renamed). */
int hb_tune_cache_store(const char *dir, const hb_tune_key *key, const hb_params *winner, hb_err *err);

#endif
