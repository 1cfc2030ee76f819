/* SPDX-License-Identifier: Apache-2.0 */
/* winners: the driver's memory of past tuning sweeps, kept in the tuning
 * cache (runner/io/tune_cache.h), so a later run measures the same
 * configuration at once instead of searching (--retune searches again).
 *
 * A winner means something only for what it was found on, so all of that
 * is its key, and a change in any of it is a miss (the search that follows
 * stores under the new key; the old entry stays for the machine or build
 * it was found on):
 *   - the device: name, vendor, compute units, memory size, the host
 *     device's scope (a MIG slice or a partition has its board's name, not
 *     its units and memory), and its driver version;
 *   - the program: hbmbench's version and commit, and a hash of every
 *     kernel source the run compiles from (those embedded in the binary,
 *     or those in --kernel-dir);
 *   - the model, the implementation, the bench, the dtype, and the problem
 *     it was tuned at;
 *   - the grid: a hash of every point of the grid this run would search, in
 *     order. So every option that restricts or changes the grid (--tune
 *     quick or full, --host-stores, a family's own) is in the key without a
 *     list of them to keep up to date.
 *
 * A cached winner is used only if it is one of the grid's points (the one
 * check, hb_winner_find): a damaged or foreign entry (an impossible
 * work-group size, an unknown store kind, a value outside the grid) is
 * discarded with a warning, removed from the cache, and the grid searched.
 * Warnings go to stderr even under --quiet (they change what is measured,
 * or what the next run will do); none changes the exit code. */
#ifndef HB_WINNERS_H
#define HB_WINNERS_H

#include "bench.h"
#include "tune_cache.h"

struct hb_progress;

/* One winner's place in the cache: its file and its key's texts. */
typedef struct hb_winner_key {
    char path[4096];           /* the cache file; "" when there is no cache folder (neither XDG_CACHE_HOME nor HOME) */
    const hb_bench_ctx *ctx;
    char shape[48], units[16], memory[24], version[96], kernels[24], grid[24], dtype[16];
} hb_winner_key;

/* The key of ctx's winner at the problem labelled shape, for the grid of
 * n points that ctx's kernels list (as configs made them). */
void hb_winner_key_of(const hb_bench_ctx *ctx, const char *shape, const hb_params *grid, int n, hb_winner_key *k);

/* The index in grid of the winner cached under k, or -1: none cached, or
 * one that cannot be used (the cache is unreadable or not a tuning cache,
 * the entry is damaged, or the winner is not a point of grid: that entry is
 * removed). An unusable one is warned about on stderr (pg's status line
 * cleared first) and why (len > 0) says what it was, for the result's notes. */
int hb_winner_find(const hb_winner_key *k, const hb_params *grid, int n, struct hb_progress *pg, char *why,
                   size_t len);

/* Records winner (with "tuned_at" = the key's shape, and without the
 * provenance "tuning") for the next run. A cache that cannot be written
 * costs the next run a search; a warning says so. */
void hb_winner_store(const hb_winner_key *k, const hb_params *winner, struct hb_progress *pg);

/* Removes k's entry, a winner (config: as hb_params_format writes it) that
 * failed here for reason, with a warning saying so. */
void hb_winner_discard(const hb_winner_key *k, const char *config, const char *reason, struct hb_progress *pg);

#endif
