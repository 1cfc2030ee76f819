/* SPDX-License-Identifier: Apache-2.0 */
/* winners: tuning winners in and out of the cache, checked against the
 * current grid (winners.h). */
#include "winners.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "activity.h"
#include "embedded.h"
#include "point.h"
#include "progress.h"
#include "read_file.h"
#include "text.h"
#include "tune_cache_write.h"

/* Keys of a configuration that say where it came from, not what it is:
 * never compared, never part of the grid's hash. */
static int provenance(const char *key)
{
    return !strcmp(key, "tuning") || !strcmp(key, "tuned_at");
}

/* FNV-1a, 64 bits (http://www.isthe.com/chongo/tech/comp/fnv/): a
 * fingerprint, not a defence against anyone. */
static uint64_t fnv(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}
#define FNV_START 0xcbf29ce484222325ull

/* Every kernel source of the binary (the .cl files of kernels/opencl and the .cu of kernels/cuda),
 * embedded or, with --kernel-dir, as that folder (or, for CUDA's, the
 * folder's ../cuda: cuda_env.c) holds it now. */
static uint64_t kernels_hash(const char *dir)
{
    uint64_t h = FNV_START;
    for (const hb_embedded_file *f = hb_embedded_files; f->name; f++) {
        size_t n = strlen(f->name);
        if (n < 3 || (strcmp(f->name + n - 3, ".cl") && strcmp(f->name + n - 3, ".cu")))
            continue;
        h = fnv(h, f->name, n + 1);
        if (!dir) {
            h = fnv(h, f->data, f->len);
            continue;
        }
        char path[4400], *text = NULL;
        size_t len = 0;
        hb_err err = {0};
        snprintf(path, sizeof path, "%s/%s", dir, f->name);
        int rc = hb_read_file(path, &text, &len, &err);
        if (rc && !strcmp(f->name + n - 3, ".cu")) {
            snprintf(path, sizeof path, "%s/../cuda/%s", dir, f->name);
            rc = hb_read_file(path, &text, &len, &err);
        }
        h = rc ? fnv(h, "(missing)", 9) : fnv(h, text, len);
        free(text);
    }
    return h;
}

static uint64_t param_hash(uint64_t h, const hb_params *ps, const hb_param *p)
{
    char v[64];
    if (p->is_text)
        snprintf(v, sizeof v, "=\"%s\";", hb_param_text(ps, p));
    else
        snprintf(v, sizeof v, "=%.17g;", p->num);
    return fnv(fnv(h, p->key, strlen(p->key)), v, strlen(v));
}

static uint64_t grid_hash(const hb_params *grid, int n)
{
    uint64_t h = FNV_START;
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < grid[i].n; j++)
            if (!provenance(grid[i].p[j].key))
                h = param_hash(h, &grid[i], &grid[i].p[j]);
        h = fnv(h, "|", 1);
    }
    return h;
}

void hb_winner_key_of(const hb_bench_ctx *ctx, const char *shape, const hb_params *grid, int n, hb_winner_key *k)
{
    memset(k, 0, sizeof *k);
    k->ctx = ctx;
    char dir[4000];
    hb_err err = {0};
    if (!hb_tune_cache_dir(ctx->opts ? ctx->opts->cache_dir : NULL, dir, sizeof dir, &err))
        hb_tune_cache_path(dir, k->path, sizeof k->path);
    snprintf(k->shape, sizeof k->shape, "%s", shape);
    snprintf(k->units, sizeof k->units, "%u", ctx->dev->compute_units);
    snprintf(k->memory, sizeof k->memory, "%llu", (unsigned long long)ctx->dev->global_mem_bytes);
    snprintf(k->version, sizeof k->version, "%s+%s", HB_VERSION, HB_GIT_COMMIT);
    snprintf(k->kernels, sizeof k->kernels, "%016llx",
             (unsigned long long)kernels_hash(ctx->opts ? ctx->opts->kernel_dir : NULL));
    snprintf(k->grid, sizeof k->grid, "%016llx", (unsigned long long)grid_hash(grid, n));
    snprintf(k->dtype, sizeof k->dtype, "%s", hb_point_dtype(ctx));
}

static hb_tune_key tune_key(const hb_winner_key *k)
{
    const hb_device *d = k->ctx->dev;
    hb_tune_key t = {0};
    hb_tune_key_add(&t, "device", d->name);
    hb_tune_key_add(&t, "vendor", d->vendor);
    hb_tune_key_add(&t, "compute_units", k->units);
    hb_tune_key_add(&t, "memory_bytes", k->memory);
    hb_tune_key_add(&t, "scope", d->scope);
    hb_tune_key_add(&t, "driver", d->driver_version);
    hb_tune_key_add(&t, "hbmbench", k->version);
    hb_tune_key_add(&t, "kernels", k->kernels);
    hb_tune_key_add(&t, "model", k->ctx->model->name);
    hb_tune_key_add(&t, "implementation", k->ctx->kernels->implementation);
    hb_tune_key_add(&t, "bench", k->ctx->bench->name);
    hb_tune_key_add(&t, "dtype", k->dtype);
    hb_tune_key_add(&t, "shape", k->shape);
    hb_tune_key_add(&t, "grid", k->grid);
    return t;
}

static void warn(const hb_winner_key *k, struct hb_progress *pg, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void warn(const hb_winner_key *k, struct hb_progress *pg, const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    hb_progress_clear(pg);
    hb_stderr_lock();
    hb_text_fprintf(stderr, "hbmbench run: warning: %s: %s\n", k->ctx->dev->name, msg);
    hb_stderr_unlock();
}

/* Whether a (an entry of bag pa) and b (of pb) hold the same value. */
static int same_value(const hb_params *pa, const hb_param *a, const hb_params *pb, const hb_param *b)
{
    return a->is_text == b->is_text &&
           (a->is_text ? !strcmp(hb_param_text(pa, a), hb_param_text(pb, b)) : a->num == b->num);
}

/* Whether w is grid point g, provenance apart. */
static int is_point(const hb_params *w, const hb_params *g)
{
    int n = 0;
    for (int i = 0; i < g->n; i++) {
        if (provenance(g->p[i].key))
            continue;
        const hb_param *v = hb_params_get(w, g->p[i].key);
        if (!v || !same_value(w, v, g, &g->p[i]))
            return 0;
        n++;
    }
    for (int i = 0; i < w->n; i++)
        n -= !provenance(w->p[i].key);
    return n == 0;
}

static void value_text(const hb_params *ps, const hb_param *p, char *buf, size_t len)
{
    if (p->is_text)
        snprintf(buf, len, "\"%s\"", hb_param_text(ps, p));
    else
        snprintf(buf, len, "%.17g", p->num);
}

/* Why w is no point of the grid: the first of its parameters the grid
 * does not have, or has with other values only (those listed). */
static void explain(const hb_params *w, const hb_params *grid, int n, char *why, size_t len)
{
    for (int i = 0; i < w->n; i++) {
        const hb_param *p = &w->p[i];
        if (provenance(p->key))
            continue;
        char seen[256] = "", v[64];
        int known = 0, found = 0;
        for (int j = 0; j < n && !found; j++) {
            const hb_param *q = hb_params_get(&grid[j], p->key);
            if (!q)
                continue;
            known = 1;
            found = same_value(w, p, &grid[j], q);
            value_text(&grid[j], q, v, sizeof v);
            size_t used = strlen(seen);
            if (!found && !strstr(seen, v) && used < 200)
                snprintf(seen + used, sizeof seen - used, "%s%s", used ? ", " : "", v);
        }
        value_text(w, p, v, sizeof v);
        if (!known) {
            snprintf(why, len, "this grid has no parameter \"%s\"", p->key);
            return;
        }
        if (!found) {
            snprintf(why, len, "%s=%s is none of this grid's values (%s)", p->key, v, seen);
            return;
        }
    }
    for (int i = 0; n > 0 && i < grid[0].n; i++)
        if (!provenance(grid[0].p[i].key) && !hb_params_get(w, grid[0].p[i].key)) {
            snprintf(why, len, "it has no \"%s\"", grid[0].p[i].key);
            return;
        }
    snprintf(why, len, "no point of this grid has these values together");
}

static void update(const hb_winner_key *k, const hb_params *winner, struct hb_progress *pg)
{
    if (!k->path[0])
        return;
    hb_tune_key key = tune_key(k);
    char note[1536];
    hb_err err = {0};
    if (hb_tune_cache_update(k->path, &key, winner, note, sizeof note, &err))
        warn(k, pg, "tuning cache not %s: %s", winner ? "saved (the next run searches again)" : "updated",
             err.msg);
    if (note[0])
        warn(k, pg, "tuning cache %s", note);
}

int hb_winner_find(const hb_winner_key *k, const hb_params *grid, int n, struct hb_progress *pg, char *why,
                   size_t len)
{
    char msg[1536], what[1024], cfg[512];
    hb_params w;
    if (len)
        why[0] = '\0';
    if (!k->path[0])
        return -1;
    hb_tune_key key = tune_key(k);
    enum hb_tune_found st = hb_tune_cache_find(k->path, &key, &w, msg, sizeof msg);
    if (st == HB_TUNE_BAD) {
        warn(k, pg, "tuning cache %s; searching instead", msg);
        snprintf(why, len, "the tuning cache could not be used (%s)", msg);
        return -1;
    }
    if (st != HB_TUNE_HIT)
        return -1;
    for (int i = 0; i < n; i++)
        if (is_point(&w, &grid[i]))
            return i;
    explain(&w, grid, n, what, sizeof what);
    hb_params_format(&w, cfg, sizeof cfg);
    warn(k, pg, "tuning cache %s: the winner cached for %s %s %s (%s) is not a point of this run's grid: %s; "
                "discarded, searching again", k->path, k->ctx->bench->name, k->dtype, k->shape, cfg, what);
    snprintf(why, len, "the cached tuning winner (%s) was not a point of the grid (%s): discarded, searched again",
             cfg, what);
    update(k, NULL, pg);
    return -1;
}

void hb_winner_store(const hb_winner_key *k, const hb_params *winner, struct hb_progress *pg)
{
    hb_params w = {0};
    for (int i = 0; i < winner->n; i++)
        if (!provenance(winner->p[i].key))
            hb_params_set_from(&w, winner, &winner->p[i]);
    hb_params_set_text(&w, "tuned_at", k->shape);
    update(k, &w, pg);
}

void hb_winner_discard(const hb_winner_key *k, const char *config, const char *reason, struct hb_progress *pg)
{
    warn(k, pg, "tuning cache %s: the winner cached for %s %s %s (%s) failed here (%s); removed from the cache, "
                "searching again", k->path, k->ctx->bench->name, k->dtype, k->shape, config, reason);
    update(k, NULL, pg);
}
