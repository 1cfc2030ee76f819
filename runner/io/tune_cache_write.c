/* SPDX-License-Identifier: Apache-2.0 */
/* tune_cache_write: the tuning cache's locked read-merge-write
 * (tune_cache.h says why each step is there). */
#include "tune_cache_write.h"
#include "json_num.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "hb_clock.h"
#include "json_number.h"
#include "tune_cache.h"

/* How long a writer waits for another to finish: a store takes
 * milliseconds, so a lock held longer than this is a stuck process (or a
 * filesystem whose locks hang), and the winner is not saved. */
#define LOCK_WAIT_S 10.0

/* mkdir -p for the file's folder and the folder's parent: ~/.cache may
 * not exist yet. */
static int make_dirs(const char *path, hb_err *err)
{
    char dir[4096], parent[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return HB_OK; /* in the working folder, or in / */
    *slash = '\0';
    snprintf(parent, sizeof parent, "%s", dir);
    slash = strrchr(parent, '/');
    if (slash && slash != parent) {
        *slash = '\0';
        if (mkdir(parent, 0777) != 0 && errno != EEXIST)
            return hb_fail(err, HB_EFAIL, "tuning cache: cannot create %s: %s", parent, strerror(errno));
    }
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return hb_fail(err, HB_EFAIL, "tuning cache: cannot create %s: %s", dir, strerror(errno));
    return HB_OK;
}

/* The lock beside the cache (never deleted: removing a lock file lets two
 * writers lock two different files). Returns its fd, or -1 with err. */
static int lock(const char *path, hb_err *err)
{
    char name[4200];
    snprintf(name, sizeof name, "%s.lock", path);
    int fd = open(name, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0)
        return hb_fail(err, HB_EFAIL, "%s: cannot open: %s", name, strerror(errno)), -1;
    double t0 = hb_now_s();
    while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        if ((e != EWOULDBLOCK && e != EINTR) || hb_now_s() - t0 > LOCK_WAIT_S) {
            close(fd);
            if (e == EWOULDBLOCK)
                return hb_fail(err, HB_EFAIL, "%s: another process held the lock for %.0f s", name, LOCK_WAIT_S),
                       -1;
            return hb_fail(err, HB_EFAIL, "%s: cannot lock: %s", name, strerror(e)), -1;
        }
        nanosleep(&(struct timespec){.tv_nsec = 10 * 1000 * 1000}, NULL);
    }
    return fd;
}

/* The folder's entry for the new file reaches the disk too (fsync(2): "an
 * explicit fsync() on a file descriptor for the directory is also needed").
 * Best effort: the rename has happened either way. */
static void sync_dir(const char *path)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    int fd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
}

static int write_atomically(const char *path, json_t *root, hb_err *err)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0)
        return hb_fail(err, HB_EFAIL, "%s: cannot write: %s", path, strerror(errno));
    char *text = json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
    size_t len = text ? hb_json_shorten_reals(text) : 0;
    errno = text ? 0 : ENOMEM;
    int ok = text && write(fd, text, len) == (ssize_t)len && write(fd, "\n", 1) == 1 && fsync(fd) == 0;
    int e = errno;
    free(text);
    if (close(fd) != 0 && ok) {
        ok = 0;
        e = errno;
    }
    if (ok && rename(tmp, path) != 0) {
        ok = 0;
        e = errno;
    }
    if (!ok) {
        unlink(tmp);
        return hb_fail(err, HB_EFAIL, "%s: cannot write: %s", path, strerror(e ? e : EIO));
    }
    sync_dir(path);
    return HB_OK;
}

/* An entry for key and winner; whole numbers are written as integers. */
static json_t *entry_of(const hb_tune_key *key, const hb_params *winner)
{
    json_t *e = json_object(), *k = json_object(), *params = json_object();
    int bad = !e || !k || !params;
    for (int i = 0; !bad && i < key->n; i++)
        bad = json_object_set_new(k, key->name[i], json_string(key->value[i]));
    for (int i = 0; !bad && i < winner->n; i++) {
        const hb_param *p = &winner->p[i];
        json_t *j = p->is_text ? json_string(hb_param_text(winner, p)) : hb_json_num(p->num);
        bad = json_object_set_new(params, p->key, j);
    }
    if (bad || json_object_set_new(e, "key", k) || json_object_set_new(e, "params", params)) {
        json_decref(e);
        return NULL;
    }
    return e;
}

/* The entries kept: every well-formed one but key's, then winner's (if
 * any), the oldest cut beyond HB_TUNE_CACHE_MAX; *dropped counts the
 * damaged ones left out. */
static json_t *merged(json_t *old, const hb_tune_key *key, const hb_params *winner, int *dropped)
{
    json_t *kept = json_array(), *e;
    size_t i;
    *dropped = 0;
    json_array_foreach(old, i, e) {
        if (!hb_tune_entry_ok(e))
            ++*dropped;
        else if (kept && !hb_tune_entry_is(e, key) && json_array_append(kept, e))
            json_decref(kept), kept = NULL;
    }
    json_t *fresh = winner ? entry_of(key, winner) : NULL;
    if (kept && winner && (!fresh || json_array_append_new(kept, fresh)))
        json_decref(kept), kept = NULL;
    while (kept && json_array_size(kept) > HB_TUNE_CACHE_MAX)
        json_array_remove(kept, 0);
    return kept;
}

/* What is on disk now, under the lock: *old (a format-2 "entries" array,
 * new when there is none) or an error; a damaged file is moved aside. */
static int read_current(const char *path, json_t **root, char *note, size_t note_len, hb_err *err)
{
    char why[1024];
    int newer;
    enum hb_tune_found st = hb_tune_cache_load(path, root, &newer, why, sizeof why);
    if (st == HB_TUNE_BAD && newer)
        return hb_fail(err, HB_EFAIL, "%s; left as it is", why);
    if (st == HB_TUNE_BAD && access(path, F_OK) == 0 && strstr(why, ": cannot read: ") == NULL) {
        char bad[4200];
        snprintf(bad, sizeof bad, "%s.bad", path);
        if (rename(path, bad) != 0)
            return hb_fail(err, HB_EFAIL, "%s; cannot move it aside to %s: %s", why, bad, strerror(errno));
        snprintf(note, note_len, "%s; moved aside to %s", why, bad);
    } else if (st == HB_TUNE_BAD)
        return hb_fail(err, HB_EFAIL, "%s", why);
    if (!*root)
        *root = json_pack("{s:i, s:[]}", "hbmbench_tuning_cache", HB_TUNE_CACHE_FORMAT, "entries");
    return *root ? HB_OK : hb_fail(err, HB_EFAIL, "%s: out of memory", path);
}

int hb_tune_cache_update(const char *path, const hb_tune_key *key, const hb_params *winner, char *note,
                         size_t note_len, hb_err *err)
{
    char ignored[8];
    if (note_len == 0) {
        note = ignored;
        note_len = sizeof ignored;
    }
    note[0] = '\0';
    if (make_dirs(path, err))
        return HB_EFAIL;
    int fd = lock(path, err);
    if (fd < 0)
        return HB_EFAIL;
    json_t *root = NULL;
    int rc = read_current(path, &root, note, note_len, err), dropped = 0;
    json_t *kept = rc ? NULL : merged(json_object_get(root, "entries"), key, winner, &dropped);
    if (!rc && (!kept || json_object_set_new(root, "entries", kept)))
        rc = hb_fail(err, HB_EFAIL, "%s: out of memory", path);
    if (!rc)
        rc = write_atomically(path, root, err);
    if (!rc && dropped) {
        size_t used = strlen(note);
        snprintf(note + used, note_len - used, "%s%s: %d damaged entr%s dropped", used ? "; " : "", path, dropped,
                 dropped == 1 ? "y" : "ies");
    }
    json_decref(root);
    close(fd); /* releases the lock */
    return rc;
}
