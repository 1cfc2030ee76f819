/* SPDX-License-Identifier: Apache-2.0 */
/* dl_search: a vendor library by soname, then in the folders container
 * images use (dl_search.h). */
#include "dl_search.h"
#include "env.h"

#include <dlfcn.h>
#include <limits.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *const hb_dl_vendor_dirs[] = {"/usr/local/nvidia/lib64", "/usr/lib/x86_64-linux-gnu", "/usr/lib64", NULL};

#define MAX_SEEN 8

void hb_dl_loaded_path(void *lib, const char *fallback, char *out, size_t len)
{
    struct link_map *map = NULL;
    if (dlinfo(lib, RTLD_DI_LINKMAP, &map) == 0 && map && map->l_name && map->l_name[0])
        snprintf(out, len, "%s", map->l_name);
    else
        snprintf(out, len, "%s", fallback);
}

/* What the search has met so far: the places without the library, the
 * candidates refused, and the files already tried (by their real path, so
 * a folder the loader's path already led to is not tried twice). */
typedef struct search_log {
    char absent[512], refused[1024];
    char seen[MAX_SEEN][PATH_MAX];
    int n_seen;
} search_log;

static void append(char *buf, size_t len, const char *sep, const char *text)
{
    size_t used = strlen(buf);
    if (used < len)
        snprintf(buf + used, len - used, "%s%s", used ? sep : "", text);
}

static int seen_before(search_log *log, const char *file, int remember)
{
    char real[PATH_MAX];
    if (!realpath(file, real))
        return 0;
    for (int i = 0; i < log->n_seen; i++)
        if (!strcmp(log->seen[i], real))
            return 1;
    if (remember && log->n_seen < MAX_SEEN)
        snprintf(log->seen[log->n_seen++], PATH_MAX, "%s", real);
    return 0;
}

/* dlopen of one candidate and accept's verdict; NULL with the reason
 * logged. by_soname: the loader's path, where "not there" is an error text. */
static void *try_candidate(hb_dl_search *s, const char *file, int by_soname, search_log *log, char *path,
                           size_t path_len)
{
    void *lib = dlopen(file, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        const char *e = dlerror();
        /* "libcuda.so.1: cannot open shared object file": the loader has none
         * (a missing dependency names the dependency instead) */
        size_t n = strlen(s->soname);
        if (by_soname && e && !strncmp(e, s->soname, n) && e[n] == ':' && strstr(e, "cannot open shared object file"))
            append(log->absent, sizeof log->absent, ", ", "the loader path");
        else
            append(log->refused, sizeof log->refused, "; ", e ? e : file);
        return NULL;
    }
    hb_dl_loaded_path(lib, file, path, path_len);
    seen_before(log, path, 1);
    char why[512] = "";
    if (!s->accept || s->accept(lib, path, s->arg, why, sizeof why))
        return lib;
    dlclose(lib);
    s->refused++;
    append(log->refused, sizeof log->refused, "; ", why[0] ? why : path);
    return NULL;
}

static void explain(const hb_dl_search *s, const search_log *log, char *why, size_t why_len)
{
    snprintf(why, why_len, "%s", log->refused);
    if (log->absent[0]) {
        size_t used = strlen(why);
        if (used < why_len)
            snprintf(why + used, why_len - used, "%s%s not found in %s", used ? "; " : "", s->soname, log->absent);
    }
}

void *hb_dl_open_search(hb_dl_search *s, char *path, size_t path_len, char *why, size_t why_len)
{
    search_log log;
    log.absent[0] = log.refused[0] = '\0';
    log.n_seen = 0;
    s->refused = 0;
    const char *file = s->env ? hb_env(s->env) : NULL;
    void *lib = NULL;
    if (file && file[0]) {
        if (!(lib = try_candidate(s, file, 0, &log, path, path_len))) {
            char text[sizeof log.refused];
            explain(s, &log, text, sizeof text);
            snprintf(why, why_len, "%s: %s", s->env, text);
        }
        return lib;
    }
    lib = try_candidate(s, s->soname, 1, &log, path, path_len);
    for (const char *const *d = s->dirs ? s->dirs : hb_dl_vendor_dirs; !lib && *d; d++) {
        char cand[PATH_MAX];
        snprintf(cand, sizeof cand, "%s/%s", *d, s->soname);
        if (access(cand, F_OK) != 0)
            append(log.absent, sizeof log.absent, ", ", *d);
        else if (!seen_before(&log, cand, 0))
            lib = try_candidate(s, cand, 0, &log, path, path_len);
    }
    if (!lib)
        explain(s, &log, why, why_len);
    return lib;
}
