/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_tcache: the tuning cache reader and its read-merge-write
 * (runner/io/tune_cache*.c) on any bytes as the cache file. Promises:
 * a lookup is a miss, a hit whose parameters fit an hb_params, or a
 * refusal naming the file; a store either leaves a cache that holds the
 * new winner (a file that was not a tuning cache moved aside to .bad,
 * byte for byte) or fails naming the file and leaves it as it was. */
#include <sys/stat.h>

#include "fuzz_memfile.h"
#include "read_file.h"
#include "tune_cache_write.h"

static hb_tune_key key(void)
{
    hb_tune_key k = {0};
    hb_tune_key_add(&k, "device", "Test GPU");
    hb_tune_key_add(&k, "bench", "triad");
    hb_tune_key_add(&k, "shape", "64.0 KiB");
    return k;
}

static void check_lookup(const char *path, const hb_tune_key *k)
{
    hb_params out;
    char why[1024] = "";
    memset(&out, 0xa5, sizeof out); /* a hit must set everything it reports */
    enum hb_tune_found st = hb_tune_cache_find(path, k, &out, why, sizeof why);
    HB_FUZZ_ASSERT(st == HB_TUNE_MISS || st == HB_TUNE_HIT || st == HB_TUNE_BAD, "state %d", (int)st);
    if (st == HB_TUNE_BAD)
        HB_FUZZ_ASSERT(strncmp(why, path, strlen(path)) == 0, "a refusal names the file: %s", why);
    if (st != HB_TUNE_HIT)
        return;
    HB_FUZZ_ASSERT(out.n >= 0 && out.n <= HB_MAX_PARAMS, "%d parameters", out.n);
    for (int i = 0; i < out.n; i++) {
        HB_FUZZ_ASSERT(out.p[i].key[0] && memchr(out.p[i].key, 0, sizeof out.p[i].key), "parameter %d's name", i);
        HB_FUZZ_ASSERT(!out.p[i].is_text || (out.p[i].text_at < out.text_used &&
                                             memchr(out.texts + out.p[i].text_at, 0, out.text_used - out.p[i].text_at)),
                       "parameter %d's text", i);
    }
}

/* The folder the store works in, made once per process (in memory where
 * it can be) and removed at exit. */
static char dir[64];

static void remove_work_dir(void)
{
    static const char *const names[] = {"tuning.json", "tuning.json.bad", "tuning.json.lock"};
    char path[128];
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
}

static const char *work_dir(void)
{
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "%s/hb_fuzz_tcache_XXXXXX", access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
        if (!mkdtemp(dir) || atexit(remove_work_dir) != 0)
            abort();
    }
    return dir;
}

static int file_is(const char *path, const uint8_t *data, size_t size)
{
    char *text = NULL;
    size_t len = 0;
    hb_err err = {0};
    int same = !hb_read_file(path, &text, &len, &err) && len == size && !memcmp(text, data, size);
    free(text);
    return same;
}

static void check_store(const uint8_t *data, size_t size, const hb_tune_key *k)
{
    char path[128], bad[160], note[1024];
    snprintf(path, sizeof path, "%s/tuning.json", work_dir());
    snprintf(bad, sizeof bad, "%s.bad", path);
    unlink(bad);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
    hb_params w = {0};
    hb_params_set_num(&w, "wg", 256);
    hb_params_set_text(&w, "store", "plain");
    hb_err err = {0};
    int rc = hb_tune_cache_update(path, k, &w, note, sizeof note, &err);
    if (rc != HB_OK) {
        HB_FUZZ_ASSERT(strstr(err.msg, path) && file_is(path, data, size), "a failed store names the file and "
                       "leaves it: %s", err.msg);
        return;
    }
    hb_params out;
    char why[1024];
    enum hb_tune_found st = hb_tune_cache_find(path, k, &out, why, sizeof why);
    const hb_param *wg = hb_params_get(&out, "wg");
    HB_FUZZ_ASSERT(st == HB_TUNE_HIT && wg && wg->num == 256 && out.n == 2, "the stored winner is found: %d %s",
                   (int)st, why);
    if (access(bad, F_OK) == 0)
        HB_FUZZ_ASSERT(file_is(bad, data, size) && strstr(note, "moved aside"), "moved aside whole: %s", note);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    hb_tune_key k = key();
    int fd = hb_fuzz_memfile(data, size, path, sizeof path);
    check_lookup(path, &k);
    close(fd);
    check_store(data, size, &k);
    return 0;
}
