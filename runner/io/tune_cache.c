/* SPDX-License-Identifier: Apache-2.0 */
/* tune_cache: the tuning winners file (tune_cache.h). */
#include "tune_cache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "json_number.h"

#define FILE_NAME "tuning.json"
#define FORMAT 1

int hb_tune_cache_dir(const char *override, char *buf, size_t len, hb_err *err)
{
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
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

static const char *const fields[] = {"device", "driver", "version", "bench", "dtype", "shape"};

static const char *key_field(const hb_tune_key *k, int i)
{
    const char *v[] = {k->device, k->driver, k->version, k->bench, k->dtype, k->shape};
    return v[i] ? v[i] : "";
}

/* Matches the first `n` key fields, in the order above. */
static int entry_matches(const json_t *e, const hb_tune_key *key, const int *which, int n)
{
    for (int i = 0; i < n; i++) {
        const char *v = json_string_value(json_object_get(e, fields[which[i]]));
        if (!v || strcmp(v, key_field(key, which[i])) != 0)
            return 0;
    }
    return 1;
}

static json_t *load(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, FILE_NAME);
    json_t *root = json_load_file(path, 0, NULL);
    if (root && (!json_is_object(root) || !json_is_array(json_object_get(root, "entries")))) {
        json_decref(root);
        root = NULL;
    }
    return root;
}

int hb_tune_cache_find(const char *dir, const hb_tune_key *key, hb_params *out)
{
    static const int all[] = {0, 1, 2, 3, 4, 5};
    json_t *root = load(dir);
    if (!root)
        return 0;
    json_t *entries = json_object_get(root, "entries"), *e;
    size_t i;
    int found = 0;
    json_array_foreach(entries, i, e) {
        if (found || !json_is_object(e) || !entry_matches(e, key, all, 6))
            continue;
        json_t *params = json_object_get(e, "params"), *v;
        const char *name;
        if (!json_is_object(params))
            continue;
        hb_params_clear(out);
        json_object_foreach(params, name, v) {
            if (json_is_number(v))
                hb_params_set_num(out, name, json_number_value(v));
            else if (json_is_string(v))
                hb_params_set_text(out, name, json_string_value(v));
        }
        found = 1;
    }
    json_decref(root);
    return found;
}

static json_t *entry_of(const hb_tune_key *key, const hb_params *winner)
{
    json_t *e = json_object(), *params = json_object();
    for (int i = 0; e && i < 6; i++)
        json_object_set_new(e, fields[i], json_string(key_field(key, i)));
    for (int i = 0; params && i < winner->n; i++) {
        const hb_param *p = &winner->p[i];
        json_object_set_new(params, p->key, p->is_text ? json_string(hb_param_text(winner, p)) : json_real(p->num));
    }
    if (!e || !params || json_object_set_new(e, "params", params)) {
        json_decref(e);
        return NULL;
    }
    return e;
}

/* mkdir -p for the last two components: ~/.cache may not exist yet. */
static int make_dir(const char *dir, hb_err *err)
{
    char parent[4096];
    snprintf(parent, sizeof parent, "%s", dir);
    char *slash = strrchr(parent, '/');
    if (slash && slash != parent) {
        *slash = '\0';
        if (mkdir(parent, 0777) != 0 && errno != EEXIST)
            return hb_fail(err, HB_EFAIL, "cannot create %s: %s", parent, strerror(errno));
    }
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return hb_fail(err, HB_EFAIL, "cannot create %s: %s", dir, strerror(errno));
    return HB_OK;
}

static int write_atomically(const char *dir, json_t *root, hb_err *err)
{
    char path[4096], tmp[4200];
    snprintf(path, sizeof path, "%s/%s", dir, FILE_NAME);
    snprintf(tmp, sizeof tmp, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0)
        return hb_fail(err, HB_EFAIL, "%s: %s", tmp, strerror(errno));
    char *text = json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
    size_t len = text ? hb_json_shorten_reals(text) : 0;
    int ok = text && write(fd, text, len) == (ssize_t)len && write(fd, "\n", 1) == 1 && fsync(fd) == 0;
    free(text);
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        return hb_fail(err, HB_EFAIL, "%s: cannot write: %s", path, strerror(e));
    }
    return HB_OK;
}

int hb_tune_cache_store(const char *dir, const hb_tune_key *key, const hb_params *winner, hb_err *err)
{
    static const int same_slot[] = {0, 3, 4, 5}; /* device, bench, dtype, shape */
    if (make_dir(dir, err))
        return HB_EFAIL;
    json_t *root = load(dir);
    if (!root)
        root = json_pack("{s:i, s:[]}", "hbmbench_tuning_cache", FORMAT, "entries");
    json_t *entries = json_object_get(root, "entries"), *kept = json_array(), *e;
    size_t i;
    json_array_foreach(entries, i, e)
        if (json_is_object(e) && !entry_matches(e, key, same_slot, 4))
            json_array_append(kept, e);
    json_t *fresh = entry_of(key, winner);
    int rc = !kept || !fresh || json_array_append_new(kept, fresh) || json_object_set_new(root, "entries", kept)
                 ? hb_fail(err, HB_EFAIL, "out of memory")
                 : write_atomically(dir, root, err);
    json_decref(root);
    return rc;
}
