/* SPDX-License-Identifier: Apache-2.0 */
/* tune_cache_write: changes to the tuning cache file, each a locked
 * read-merge-write (tune_cache.h describes the file and the lock). */
#ifndef HB_TUNE_CACHE_WRITE_H
#define HB_TUNE_CACHE_WRITE_H

#include "tune_cache.h"

/* Stores winner under key in the cache file at path (winner NULL: removes
 * key's entry), creating its folder and the folder's parent when missing,
 * under the lock (tune_cache.h). HB_OK, or HB_EFAIL with err naming the path and
 * the reason (then the file is as it was, or moved aside as note says).
 * note (len > 0) receives what else happened, "" for nothing: a damaged
 * file moved aside, damaged entries dropped. */
int hb_tune_cache_update(const char *path, const hb_tune_key *key, const hb_params *winner, char *note,
                         size_t note_len, hb_err *err);

#endif
