/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_result: a result file through exactly what `hbmbench compare` does
 * with it (runner/cli/cmd_compare.c): the reader (runner/io/json_read*.c),
 * on failure the error locator (runner/compare/compare_locate.c), and on
 * success the comparison of the file with itself in every match mode and
 * every output format. Checked: a failure is a usage error (2) whose
 * message starts "FILE:LINE:COLUMN: " or "FILE:?:?: "; the reader, which
 * parses a piece at a time (json_read_split.c), says exactly what one parse
 * of the whole text says; what is read has only positive samples; a file
 * compared with itself has no significant difference and no regression. */
#include <math.h>

#include "compare.h"
#include "fuzz_memfile.h"
#include "json_get.h"
#include "json_io.h"

static void check_error(const char *path, hb_err *err)
{
    HB_FUZZ_ASSERT(err->code == HB_EUSAGE || err->code == HB_EFAIL, "code %d: %s", err->code, err->msg);
    hb_cmp_locate_error(path, err);
    size_t plen = strlen(path);
    int line = 0, col = 0, used = 0;
    const char *rest = err->msg + plen;
    int placed = strncmp(err->msg, path, plen) == 0
                 && (sscanf(rest, ":%d:%d: %n", &line, &col, &used) == 2 ? used > 0 && line >= 1 && col >= 1
                                                                       : strncmp(rest, ":?:?: ", 6) == 0);
    HB_FUZZ_ASSERT(err->code != HB_EUSAGE || placed, "no FILE:LINE:COLUMN: %s", err->msg);
    char clean[sizeof err->msg];
    hb_text_line(err->msg, clean, sizeof clean);
    HB_FUZZ_ASSERT(!strchr(clean, '\x1b'), "ESC left in '%s'", clean);
}

static void compare_with_itself(const char *path, const hb_run *run, FILE *sink)
{
    hb_cmp_method m = hb_cmp_method_default();
    m.noisy_cv = 0.05;   /* the built-in check rule's limit: the '~' marks and legend run too */
    for (int mode = HB_MATCH_PCI; mode <= HB_MATCH_ORDER; mode++) {
        hb_cmp cmp;
        hb_err err = {0};
        int rc = hb_cmp_build(&cmp, path, run, path, run, (hb_match_mode)mode, &m, 5.0, &err);
        HB_FUZZ_ASSERT(rc == HB_OK, "%s", err.msg);
        HB_FUZZ_ASSERT(cmp.n_regressions == 0, "%zu regressions against itself", cmp.n_regressions);
        for (size_t i = 0; i < cmp.n_rows; i++)
            HB_FUZZ_ASSERT(!cmp.rows[i].test.significant
                               && (cmp.rows[i].verdict == HB_SAME || cmp.rows[i].verdict == HB_UNTESTED
                                   || cmp.rows[i].verdict == HB_INVALID),
                           "row %zu: verdict %s against itself", i, hb_verdict_name(cmp.rows[i].verdict));
        for (int md = 0; md < 2; md++)
            for (int wide = 0; wide < 2; wide++) {
                rc = hb_cmp_print_text(sink, &cmp, 1, &m, 5.0, md, wide, &err);
                HB_FUZZ_ASSERT(rc == HB_OK, "%s", err.msg);
            }
        hb_cmp_print_csv(sink, sink, &cmp, 1);
        rc = hb_cmp_print_json(sink, &cmp, 1, &m, 5.0, &err);
        HB_FUZZ_ASSERT(rc == HB_OK, "%s", err.msg);
        hb_cmp_free(&cmp);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *sink;
    if (!sink && !(sink = fopen("/dev/null", "w")))
        abort();
    char path[64];
    int fd = hb_fuzz_memfile(data, size, path, sizeof path);
    hb_run run, whole;
    hb_err err = {0}, werr = {0};
    int rc = hb_json_read_run(path, &run, &err);
    int wrc = hb_json_read_run_whole((const char *)data, size, path, &whole, &werr);
    HB_FUZZ_ASSERT(rc == wrc && (rc ? !strcmp(err.msg, werr.msg) : run.results.n == whole.results.n),
                   "split read: %d '%s' (%zu results), whole parse: %d '%s' (%zu results)", rc, err.msg,
                   run.results.n, wrc, werr.msg, whole.results.n);
    for (size_t i = 0; !rc && i < run.results.n; i++)
        HB_FUZZ_ASSERT(run.results.v[i].n_samples == whole.results.v[i].n_samples
                           && !memcmp(run.results.v[i].samples_s, whole.results.v[i].samples_s,
                                      run.results.v[i].n_samples * sizeof(double))
                           && !strcmp(run.results.v[i].device, whole.results.v[i].device),
                       "results[%zu] differ between the split read and the whole parse", i);
    hb_run_free_read(&whole);
    if (rc != HB_OK) {
        HB_FUZZ_ASSERT(run.results.n == 0 && run.devices == NULL, "a failed read keeps data");
        check_error(path, &err);
        close(fd);
        return 0;
    }
    for (size_t i = 0; i < run.results.n; i++) {
        const hb_result *r = &run.results.v[i];
        HB_FUZZ_ASSERT(!r->valid || r->n_samples > 0, "results[%zu]: valid without samples", i);
        for (size_t j = 0; j < r->n_samples; j++)
            HB_FUZZ_ASSERT(r->samples_s[j] > 0 && isfinite(r->samples_s[j]), "results[%zu].samples_s[%zu] = %g",
                           i, j, r->samples_s[j]);
    }
    compare_with_itself(path, &run, sink);
    hb_run_free_read(&run);
    close(fd);
    return 0;
}
