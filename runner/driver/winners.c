/* SPDX-License-Identifier: Apache-2.0 */
/* winners: tuning winners in and out of the cache (winners.h). */
#include "winners.h"

#include <stdio.h>

#include "tune_cache.h"

/* The key's bench names the model and the implementation too: the same
 * bench has other kernels, and other winners, on another model. */
static hb_tune_key key_of(const hb_bench_ctx *ctx, const char *shape, char *bench, size_t len)
{
    snprintf(bench, len, "%s/%s/%s", ctx->bench->name, ctx->model->name, ctx->kernels->implementation);
    return (hb_tune_key){ctx->dev->name, ctx->dev->driver_version, HB_VERSION, bench, hb_dtype_name(ctx->dtype),
                         shape};
}

static int dir_of(const hb_bench_ctx *ctx, char *dir, size_t len)
{
    hb_err err = {0};
    return hb_tune_cache_dir(ctx->opts ? ctx->opts->cache_dir : NULL, dir, len, &err);
}

int hb_winner_find(const hb_bench_ctx *ctx, const char *shape, hb_params *out)
{
    char dir[4096], bench[96];
    hb_tune_key key = key_of(ctx, shape, bench, sizeof bench);
    return !dir_of(ctx, dir, sizeof dir) && hb_tune_cache_find(dir, &key, out);
}

void hb_winner_store(const hb_bench_ctx *ctx, const char *shape, const hb_params *winner)
{
    char dir[4096], bench[96];
    hb_tune_key key = key_of(ctx, shape, bench, sizeof bench);
    hb_params w = *winner;
    hb_err err = {0};
    hb_params_set_text(&w, "tuned_at", shape);
    if (!dir_of(ctx, dir, sizeof dir))
        hb_tune_cache_store(dir, &key, &w, &err);
}
