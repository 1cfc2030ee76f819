/* SPDX-License-Identifier: Apache-2.0 */
/* tune_cache: the tuning winners file, read side (tune_cache.h); the
 * locked read-merge-write is tune_cache_write.c. */
#include "tune_cache.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "env.h"

#define FILE_NAME "tuning.json"
#define FORMAT_FIELD "hbmbench_tuning_cache"

void hb_tune_key_add(hb_tune_key *k, const char *name, const char *value)
{
    if (k->n < HB_TUNE_KEY_MAX) {
        k->name[k->n] = name;
        k->value[k->n++] = value ? value : "";
    }
}

int hb_tune_cache_dir(const char *override, char *buf, size_t len, hb_err *err)
{
    const char *xdg = hb_env("XDG_CACHE_HOME"), *home = hb_env("HOME");
    if (override && *override)
        snprintf(buf, len, "%s", override);
    else if (xdg && *xdg == '/') /* the spec ignores relative paths */
        snprintf(buf, len, "%s/hbmbench", xdg);
    else if (home && *home)
        snprintf(buf, len, "%s/.cache/hbmbench", home);
    else
        return hb_fail(err, HB_EFAIL, "no cache folder: neither XDG_CACHE_HOME nor HOME is set");
    return HB_OK;
}

void hb_tune_cache_path(const char *dir, char *buf, size_t len)
{
    snprintf(buf, len, "%s/%s", dir, FILE_NAME);
}

/* The schema's checks, in the order a reader meets them. */
static enum hb_tune_found judge(const char *path, json_t *root, int *newer, char *why, size_t len)
{
    json_t *format = json_object_get(root, FORMAT_FIELD);
    if (!json_is_object(root) || !json_is_integer(format)) {
        snprintf(why, len, "%s: not a tuning cache (no \"%s\" format number)", path, FORMAT_FIELD);
        return HB_TUNE_BAD;
    }
    json_int_t v = json_integer_value(format);
    if (v > HB_TUNE_CACHE_FORMAT) {
        *newer = 1;
        snprintf(why, len, "%s: written by a newer hbmbench (format %lld, this one reads %d)", path, (long long)v,
                 HB_TUNE_CACHE_FORMAT);
        return HB_TUNE_BAD;
    }
    if (v == 1) {
        snprintf(why, len, "%s: format 1 (hbmbench 0.1), whose keys cannot be matched", path);
        return HB_TUNE_MISS;
    }
    if (v < 1) {
        snprintf(why, len, "%s: not a tuning cache (format %lld)", path, (long long)v);
        return HB_TUNE_BAD;
    }
    if (!json_is_array(json_object_get(root, "entries"))) {
        snprintf(why, len, "%s: not a tuning cache (\"entries\" is not an array)", path);
        return HB_TUNE_BAD;
    }
    return HB_TUNE_HIT;
}

enum hb_tune_found hb_tune_cache_load(const char *path, json_t **root, int *newer, char *why, size_t len)
{
    *root = NULL;
    *newer = 0;
    why[0] = '\0';
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (errno == ENOENT)
            return HB_TUNE_MISS;
        snprintf(why, len, "%s: cannot read: %s", path, strerror(errno));
        return HB_TUNE_BAD;
    }
    json_error_t jerr;
    json_t *j = json_loadf(f, JSON_REJECT_DUPLICATES, &jerr);
    int read_error = ferror(f);
    fclose(f);
    if (!j) {
        if (read_error)
            snprintf(why, len, "%s: cannot read: %s", path, jerr.text);
        else
            snprintf(why, len, "%s: not JSON (line %d, column %d: %s)", path, jerr.line, jerr.column, jerr.text);
        return HB_TUNE_BAD;
    }
    enum hb_tune_found st = judge(path, j, newer, why, len);
    if (st == HB_TUNE_HIT)
        *root = j;
    else
        json_decref(j);
    return st;
}

int hb_tune_entry_ok(const json_t *e)
{
    const json_t *key = json_object_get(e, "key"), *v;
    const char *name;
    if (!json_is_object(e) || !json_is_object(key) || !json_is_object(json_object_get(e, "params")))
        return 0;
    json_object_foreach((json_t *)key, name, v)
        if (!json_is_string(v))
            return 0;
    return 1;
}

int hb_tune_entry_is(const json_t *e, const hb_tune_key *k)
{
    const json_t *key = json_object_get(e, "key");
    if (!json_is_object(key) || json_object_size(key) != (size_t)k->n)
        return 0;
    for (int i = 0; i < k->n; i++) {
        const char *v = json_string_value(json_object_get(key, k->name[i]));
        if (!v || strcmp(v, k->value[i]) != 0)
            return 0;
    }
    return 1;
}

/* The entry's params into out; 0 with why when one does not fit. */
static int params_of(const json_t *params, hb_params *out, char *why, size_t len)
{
    const char *name;
    json_t *v;
    hb_params_clear(out);
    if (json_object_size(params) > HB_MAX_PARAMS) {
        snprintf(why, len, "%zu parameters (at most %d)", json_object_size(params), HB_MAX_PARAMS);
        return 0;
    }
    json_object_foreach((json_t *)params, name, v) {
        if (!*name || strlen(name) >= sizeof out->p[0].key) {
            snprintf(why, len, "a parameter name of %zu characters", strlen(name));
            return 0;
        }
        /* a text must fit what is left of the bag's texts (params.h) */
        int set = json_is_string(v) && strlen(json_string_value(v)) == json_string_length(v)
                      ? hb_params_set_text(out, name, json_string_value(v))
                  : json_is_number(v) ? hb_params_set_num(out, name, json_number_value(v))
                                      : -1;
        if (set) {
            snprintf(why, len, "parameter \"%.31s\" is not a number or a short text", name);
            return 0;
        }
    }
    return 1;
}

enum hb_tune_found hb_tune_cache_find(const char *path, const hb_tune_key *key, hb_params *out, char *why,
                                      size_t len)
{
    json_t *root, *e;
    int newer;
    enum hb_tune_found st = hb_tune_cache_load(path, &root, &newer, why, len);
    if (st != HB_TUNE_HIT)
        return st;
    size_t i;
    st = HB_TUNE_MISS;
    json_array_foreach(json_object_get(root, "entries"), i, e) {
        if (!hb_tune_entry_is(e, key))
            continue;
        char what[96];
        const json_t *params = json_object_get(e, "params");
        if (!json_is_object(params))
            snprintf(what, sizeof what, "\"params\" is not an object");
        if (json_is_object(params) && params_of(params, out, what, sizeof what))
            st = HB_TUNE_HIT;
        else {
            snprintf(why, len, "%s: entry %zu is damaged: %s", path, i, what);
            st = HB_TUNE_BAD;
        }
        break;
    }
    json_decref(root);
    return st;
}
