/* Unit tests of compare's statistics (compare_stats.c) and of finding a
 * value's line and column in a result file (compare_locate.c).
 * usage: compare_units TMPDIR */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "compare.h"
#include "json_io.h"

static void test_mann_whitney(void)
{
    const double x[] = {1, 2, 3, 4, 5}, y[] = {6, 7, 8, 9, 10};
    /* R 4.x: wilcox.test(1:5, 6:10, exact = FALSE, correct = TRUE) gives
     * W = 0, p-value = 0.01219 (normal approximation, continuity corrected). */
    double p = hb_mann_whitney_p(x, 5, y, 5);
    CHECK(fabs(p - 0.01219) < 5e-5, "Mann-Whitney 1..5 vs 6..10: p = %.5f (R: 0.01219)", p);
    CHECK(fabs(hb_mann_whitney_p(y, 5, x, 5) - p) < 1e-12, "Mann-Whitney is two-sided (symmetric)");
    CHECK(hb_mann_whitney_p(x, 5, x, 5) == 1.0, "identical samples: p = 1");
    const double same[] = {3, 3, 3, 3};
    CHECK(hb_mann_whitney_p(same, 4, same, 4) == 1.0, "all values tied: p = 1 (no variance)");
    CHECK(isnan(hb_mann_whitney_p(x, 0, y, 5)), "an empty side: NAN");
}

/* n costs around t: t * (1 + s * q), q evenly spaced over [-1, 1], interleaved. */
static void costs(double *v, int n, double t, double s)
{
    for (int i = 0; i < n; i++) {
        int j = (i * 7) % n; /* a fixed permutation (7 is coprime to 20) */
        v[j] = t * (1 + s * (-1 + 2.0 * i / (n - 1)));
    }
}

static void test_bootstrap(void)
{
    hb_cmp_method m = hb_cmp_method_default();
    hb_err err = {0};
    double a[20], b[20], noisy[20];
    costs(a, 20, 1.0, 0.005);
    costs(b, 20, 1.0 / 0.9, 0.005);
    costs(noisy, 20, 1.0, 0.2);
    hb_cmp_test t, t2;

    CHECK(hb_cmp_test_costs(&m, a, 20, a, 20, &t, &err) == HB_OK, "test runs");
    CHECK(t.ratio == 1.0 && t.ci_lo <= 1 && t.ci_hi >= 1 && !t.significant,
          "identical: ratio 1, CI %.4f..%.4f holds 1, not significant", t.ci_lo, t.ci_hi);

    hb_cmp_test_costs(&m, a, 20, b, 20, &t, &err);
    CHECK(fabs(t.ratio - 0.9) < 1e-9, "10%% slower: ratio %.6f", t.ratio);
    CHECK(t.significant && t.ci_hi < 1 && t.p < 0.001, "10%% slower, tight: significant (CI %.4f..%.4f, p %.2g)",
          t.ci_lo, t.ci_hi, t.p);

    hb_cmp_test_costs(&m, a, 20, noisy, 20, &t, &err);
    CHECK(fabs(t.ratio - 1) < 1e-9 && !t.significant,
          "same median, 20%% noise: not significant (CI %.3f..%.3f, p %.3f)", t.ci_lo, t.ci_hi, t.p);

    hb_cmp_test_costs(&m, a, 20, b, 20, &t, &err);
    hb_cmp_test_costs(&m, a, 20, b, 20, &t2, &err);
    CHECK(t.ci_lo == t2.ci_lo && t.ci_hi == t2.ci_hi, "fixed seed: the same interval every time");

    hb_cmp_test_costs(&m, a, 4, b, 20, &t, &err);
    CHECK(isnan(t.p) && isnan(t.ci_lo) && !t.significant && fabs(t.ratio - 0.9) < 0.01,
          "4 samples (< %zu): ratio only, untested", m.min_samples);
}

static void test_locate(void)
{
    const char *doc = "{\n"
                      "  \"a\": \"x}\\\"]\",\n"
                      "  \"b\": [1, {\"c\": [true, null]}, \"\xc3\xa9\xc3\xa9\", 7],\n"
                      "  \"d\": {\"e\": {\"f\": -1.5e3}}\n"
                      "}\n";
    int line = 0, col = 0;
    size_t len = strlen(doc);
    CHECK(hb_json_locate(doc, len, "", &line, &col) == 0 && line == 1 && col == 1, "the top level: 1:1");
    CHECK(hb_json_locate(doc, len, "a", &line, &col) == 0 && line == 2 && col == 8, "a: 2:8 (%d:%d)", line, col);
    CHECK(hb_json_locate(doc, len, "b[1].c[1]", &line, &col) == 0 && line == 3 && col == 25,
          "b[1].c[1] past a string with braces and quotes: 3:25 (%d:%d)", line, col);
    CHECK(hb_json_locate(doc, len, "b[3]", &line, &col) == 0 && line == 3 && col == 39,
          "b[3] after UTF-8 text counts characters: 3:39 (%d:%d)", line, col);
    CHECK(hb_json_locate(doc, len, "d.e.f", &line, &col) == 0 && line == 4 && col == 20,
          "d.e.f: 4:20 (%d:%d)", line, col);
    CHECK(hb_json_locate(doc, len, "b[9]", &line, &col) != 0, "b[9] is not there");
    CHECK(hb_json_locate(doc, len, "zz", &line, &col) != 0, "zz is not there");
    CHECK(hb_json_locate("[1, 2", 5, "[1]", &line, &col) == 0 && col == 5, "a truncated text still scans");
    CHECK(hb_json_locate("{\"a\": ", 6, "a", &line, &col) != 0, "a value cut off: not found, no overrun");
    /* Fuzzing finding: a NUL byte inside an open array made the scanner stop
     * advancing (strchr finds the terminator), so compare hung at 100% CPU.
     * Each must return at once (ctest's timeout catches a hang). */
    CHECK(hb_json_locate("[[\0", 3, "[1]", &line, &col) != 0, "NUL inside a nested array: not found, no hang");
    CHECK(hb_json_locate("{\"a\":{\"b\":\0}}", 13, "c", &line, &col) != 0, "NUL as a member value: no hang");
    CHECK(hb_json_locate("[[1,\0,2],3]", 12, "[1]", &line, &col) == 0 && col == 10,
          "a NUL is skipped like a literal: [1] at 1:10 (%d:%d)", line, col);
}

/* The reader's messages for well-formed but wrong files get a position. */
static void test_locate_error(const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/compare_units_future.json", dir);
    FILE *f = fopen(path, "w");
    if (!f) {
        CHECK(0, "cannot write %s", path);
        return;
    }
    fputs("{\n  \"tool\": {\"name\": \"hbmbench\"},\n  \"schema_version\": 99,\n  \"results\": []\n}\n", f);
    fclose(f);
    hb_run run;
    hb_err err = {0};
    int rc = hb_json_read_run(path, &run, &err);
    hb_cmp_locate_error(path, &err);
    char want[600];
    snprintf(want, sizeof want, "%s:3:21: written by a newer hbmbench", path);
    CHECK(rc == HB_EUSAGE && strncmp(err.msg, want, strlen(want)) == 0, "future version at 3:21: %s", err.msg);

    hb_err e2 = {HB_EUSAGE, ""};
    snprintf(e2.msg, sizeof e2.msg, "%s: results[0].stats.min_s: expected a number or null", path);
    hb_cmp_locate_error(path, &e2);
    snprintf(want, sizeof want, "%s:4:14: results[0]", path);
    CHECK(strncmp(e2.msg, want, strlen(want)) == 0, "a missing member is reported at its parent: %s", e2.msg);

    hb_err e3 = {HB_EUSAGE, ""};
    snprintf(e3.msg, sizeof e3.msg, "%s:7:3: parser message", path);
    hb_cmp_locate_error(path, &e3);
    snprintf(want, sizeof want, "%s:7:3: parser message", path);
    CHECK(strcmp(e3.msg, want) == 0, "the parser's own position is kept");
}

int main(int argc, char **argv)
{
    test_mann_whitney();
    test_bootstrap();
    test_locate();
    test_locate_error(argc > 1 ? argv[1] : ".");
    return hb_check_failures() != 0;
}
