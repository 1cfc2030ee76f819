/* SPDX-License-Identifier: Apache-2.0 */
/* The tuning cache file (runner/io/tune_cache*.c) without a device:
 * processes writing at once all keep their winners (the flock'd
 * read-merge-write), a store replaces only its own key, a file that is not
 * a tuning cache is moved aside (never replaced silently), a newer format is
 * left alone, a format-1 file is replaced, a damaged entry is reported and
 * dropped, the oldest entries go beyond HB_TUNE_CACHE_MAX, and a write that
 * cannot happen says where and why. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "read_file.h"
#include "tune_cache_write.h"

#define WRITERS 6
#define PER_WRITER 15

static char dir[64], path[128];

static hb_tune_key key_of(const char *bench, char *buf, int i)
{
    hb_tune_key k = {0};
    sprintf(buf, "%d", i);
    hb_tune_key_add(&k, "device", "Test GPU");
    hb_tune_key_add(&k, "bench", bench);
    hb_tune_key_add(&k, "shape", buf);
    return k;
}

static int store(const char *bench, int i, double wg, char *note, size_t len, hb_err *err)
{
    char buf[16];
    hb_tune_key k = key_of(bench, buf, i);
    hb_params w = {0};
    hb_params_set_num(&w, "wg", wg);
    hb_params_set_text(&w, "store", "plain");
    return hb_tune_cache_update(path, &k, &w, note, len, err);
}

static enum hb_tune_found find(const char *bench, int i, hb_params *out, char *why, size_t len)
{
    char buf[16];
    hb_tune_key k = key_of(bench, buf, i);
    return hb_tune_cache_find(path, &k, out, why, len);
}

static void put_file(const char *name, const char *text)
{
    FILE *f = fopen(name, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static int same_file(const char *name, const char *text)
{
    char *got = NULL;
    size_t len = 0;
    hb_err err = {0};
    int same = !hb_read_file(name, &got, &len, &err) && len == strlen(text) && !memcmp(got, text, len);
    free(got);
    return same;
}

/* WRITERS processes, each storing PER_WRITER winners of its own bench in
 * turn with the others: without the lock, one's read-modify-write loses
 * another's winners. */
static void concurrent_writers(void)
{
    pid_t pid[WRITERS];
    for (int w = 0; w < WRITERS; w++) {
        pid[w] = fork();
        if (pid[w] == 0) {
            char bench[16], note[256];
            hb_err err = {0};
            snprintf(bench, sizeof bench, "writer%d", w);
            for (int i = 0; i < PER_WRITER; i++)
                if (store(bench, i, 64 + w, note, sizeof note, &err))
                    _exit(1);
            _exit(0);
        }
    }
    int ok = 1;
    for (int w = 0; w < WRITERS; w++) {
        int st = 0;
        ok &= pid[w] > 0 && waitpid(pid[w], &st, 0) == pid[w] && WIFEXITED(st) && WEXITSTATUS(st) == 0;
    }
    int kept = 0;
    for (int w = 0; w < WRITERS; w++)
        for (int i = 0; i < PER_WRITER; i++) {
            char bench[16], why[512];
            hb_params p = {0};
            snprintf(bench, sizeof bench, "writer%d", w);
            const hb_param *wg = NULL;
            kept += find(bench, i, &p, why, sizeof why) == HB_TUNE_HIT && (wg = hb_params_get(&p, "wg")) &&
                    wg->num == 64 + w;
        }
    CHECK(ok && kept == WRITERS * PER_WRITER, "%d processes writing at once keep all %d winners (%d kept)", WRITERS,
          WRITERS * PER_WRITER, kept);
}

static void round_trip(void)
{
    char note[512], why[512];
    hb_err err = {0};
    hb_params p = {0};
    unlink(path);
    int rc = store("triad", 1, 256, note, sizeof note, &err) || store("copy", 1, 128, note, sizeof note, &err) ||
             store("triad", 1, 64, note, sizeof note, &err);
    const hb_param *wg = NULL;
    CHECK(!rc && find("triad", 1, &p, why, sizeof why) == HB_TUNE_HIT && (wg = hb_params_get(&p, "wg")) &&
              wg->num == 64 && p.n == 2,
          "a store replaces its own key's winner");
    CHECK(find("copy", 1, &p, why, sizeof why) == HB_TUNE_HIT && find("add", 1, &p, why, sizeof why) == HB_TUNE_MISS,
          "and keeps the others'; another key misses");
    char buf[16];
    hb_tune_key k = key_of("triad", buf, 1);
    rc = hb_tune_cache_update(path, &k, NULL, note, sizeof note, &err);
    CHECK(!rc && find("triad", 1, &p, why, sizeof why) == HB_TUNE_MISS &&
              find("copy", 1, &p, why, sizeof why) == HB_TUNE_HIT,
          "a removal removes only its key");
    k.n--; /* a key with fewer names is another key */
    CHECK(hb_tune_cache_find(path, &k, &p, why, sizeof why) == HB_TUNE_MISS, "keys match whole, not by prefix");
}

static void damaged_file(void)
{
    static const char *const bad[] = {"not json {", "[1, 2]", "{\"entries\": []}",
                                      "{\"hbmbench_tuning_cache\": 2, \"entries\": {}}",
                                      "{\"hbmbench_tuning_cache\": 0, \"entries\": []}"};
    char bad_path[160], note[1024], why[1024];
    snprintf(bad_path, sizeof bad_path, "%s.bad", path);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        hb_params p = {0};
        hb_err err = {0};
        put_file(path, bad[i]);
        unlink(bad_path);
        enum hb_tune_found st = find("copy", 1, &p, why, sizeof why);
        CHECK(st == HB_TUNE_BAD && !strncmp(why, path, strlen(path)), "'%s' is not used: %s", bad[i], why);
        int rc = store("copy", 1, 8, note, sizeof note, &err);
        CHECK(!rc && same_file(bad_path, bad[i]) && strstr(note, "moved aside to") &&
                  find("copy", 1, &p, why, sizeof why) == HB_TUNE_HIT,
              "and is moved aside, not replaced silently: %s", note);
    }
}

static void other_formats(void)
{
    static const char newer[] = "{\"hbmbench_tuning_cache\": 3, \"entries\": []}\n";
    char note[1024], why[1024];
    hb_params p = {0};
    hb_err err = {0};
    put_file(path, newer);
    enum hb_tune_found st = find("copy", 1, &p, why, sizeof why);
    int rc = store("copy", 1, 8, note, sizeof note, &err);
    CHECK(st == HB_TUNE_BAD && rc == HB_EFAIL && strstr(err.msg, "newer hbmbench") && same_file(path, newer),
          "a newer format is not used and left as it is: %s", err.msg);

    put_file(path, "{\"hbmbench_tuning_cache\": 1, \"entries\": [{\"device\": \"x\", \"params\": {\"wg\": 3}}]}");
    st = find("copy", 1, &p, why, sizeof why);
    rc = store("copy", 1, 8, note, sizeof note, &err);
    CHECK(st == HB_TUNE_MISS && !rc && find("copy", 1, &p, why, sizeof why) == HB_TUNE_HIT,
          "a format-1 file misses and is replaced");
}

static void damaged_entries(void)
{
    char note[1024], why[1024];
    hb_params p = {0};
    hb_err err = {0};
    /* a text longer than a configuration's room for texts (params.h) */
    char long_text[HB_PARAMS_TEXT_BYTES + 2], doc[4096];
    memset(long_text, 'x', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';
    snprintf(doc, sizeof doc,
             "{\"hbmbench_tuning_cache\": 2, \"entries\": [7, {\"key\": {\"device\": 1}, \"params\": {}},"
             " {\"key\": {\"device\": \"Test GPU\", \"bench\": \"copy\", \"shape\": \"1\"},"
             "  \"params\": {\"wg\": [64]}},"
             " {\"key\": {\"device\": \"Test GPU\", \"bench\": \"copy\", \"shape\": \"2\"},"
             "  \"params\": {\"store\": \"%s\"}}]}", long_text);
    put_file(path, doc);
    enum hb_tune_found a = find("copy", 1, &p, why, sizeof why);
    CHECK(a == HB_TUNE_BAD && strstr(why, "entry 2 is damaged"), "an entry whose parameter is a list: %s", why);
    enum hb_tune_found b = find("copy", 2, &p, why, sizeof why);
    CHECK(b == HB_TUNE_BAD, "an entry whose text does not fit: %s", why);
    int rc = store("copy", 1, 8, note, sizeof note, &err);
    CHECK(!rc && strstr(note, "2 damaged entries dropped") && find("copy", 1, &p, why, sizeof why) == HB_TUNE_HIT,
          "a store drops the malformed entries and says so: %s", note);
}

static void bounded(void)
{
    char note[256], why[256];
    hb_params p = {0};
    hb_err err = {0};
    unlink(path);
    int rc = 0;
    for (int i = 0; i < HB_TUNE_CACHE_MAX + 3 && !rc; i++)
        rc = store("bound", i, 1, note, sizeof note, &err);
    CHECK(!rc && find("bound", 2, &p, why, sizeof why) == HB_TUNE_MISS &&
              find("bound", 3, &p, why, sizeof why) == HB_TUNE_HIT &&
              find("bound", HB_TUNE_CACHE_MAX + 2, &p, why, sizeof why) == HB_TUNE_HIT,
          "beyond %d entries the oldest go", HB_TUNE_CACHE_MAX);
}

static void unwritable(void)
{
    char file[128], inside[192], note[256], why[512];
    hb_err err = {0};
    hb_params p = {0};
    snprintf(file, sizeof file, "%s/a-file", dir);
    put_file(file, "x");
    snprintf(inside, sizeof inside, "%s/hbmbench/tuning.json", file);
    hb_tune_key k = {0};
    hb_tune_key_add(&k, "device", "Test GPU");
    hb_params_set_num(&p, "wg", 1);
    int rc = hb_tune_cache_update(inside, &k, &p, note, sizeof note, &err);
    CHECK(rc == HB_EFAIL && strstr(err.msg, file) && strstr(err.msg, strerror(ENOTDIR)),
          "a cache that cannot be written says where and why: %s", err.msg);
    CHECK(hb_tune_cache_find(inside, &k, &p, why, sizeof why) == HB_TUNE_BAD && strstr(why, strerror(ENOTDIR)),
          "and one that cannot be read: %s", why);
    unlink(file);
}

int main(void)
{
    /* /dev/shm where there is one: the bounded test makes a thousand fsyncs */
    snprintf(dir, sizeof dir, "%s/hb_tcache_XXXXXX", access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
    if (!mkdtemp(dir)) {
        printf("FAIL mkdtemp: %s\n", strerror(errno));
        return 1;
    }
    snprintf(path, sizeof path, "%s/hbmbench/tuning.json", dir);
    concurrent_writers();
    round_trip();
    damaged_file();
    other_formats();
    damaged_entries();
    bounded();
    unwritable();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        printf("note: could not remove %s\n", dir);
    return hb_check_failures() != 0;
}
